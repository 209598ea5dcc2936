-- The minutes keep who was there: a participant who left before the meeting
-- closed (present, then absent) is listed as present "until" (left_at), not
-- as absent, and their organisation is not "expected but absent".  And
-- "Besluit: verborgen" wherever the organisation may not read the item's
-- decision (MinutesItem.decision_withheld), whether or not one was
-- recorded: the minutes do not tell which hidden case has a decision.

DO $$
DECLARE
	v_c1 bigint := (test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eemland", "persons": [{"role": "victim",
	    "name": "Vroeg Weg"}]}') ->> 'id')::bigint;
	v_c2 bigint := (test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eemland"}') ->> 'id')::bigint;
	v_om bigint := test_org('Openbaar Ministerie, parket Oost-Nederland');
	m jsonb;
	i1 jsonb;
	v_m bigint;
	n jsonb;
	v_pol jsonb;
BEGIN
	m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'),
	    'scheduled_start', extract(epoch FROM now() + interval '1 hour')::bigint));
	v_m := (m ->> 'id')::bigint;
	i1 := test_table(v_m, v_c1);
	PERFORM test_table(v_m, v_c2);
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', m -> 'version'));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('voorzitter'), 'present', true));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('politie'), 'present', true));
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', i1 -> 'id', 'version', tafel_json_item((i1 ->> 'id')::bigint)
		-> 'version', 'decision', 'Besluit over Vroeg Weg'));
	-- the police leave before the end
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('politie'), 'present', false));
	m := test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', tafel_json_meeting(v_m) -> 'version'));

	n := tafel_get_minutes(test_uid('voorzitter'), v_m);
	SELECT x INTO v_pol FROM jsonb_array_elements(n -> 'present') x
	WHERE x ->> 'user_name' = 'Sanne Jansen';
	ASSERT v_pol IS NOT NULL, 'left early, not listed present: ' || n::text;
	-- (one transaction here: the periods' clock runs on, closed_at is now())
	ASSERT (v_pol ->> 'left_at')::bigint BETWEEN
	    extract(epoch FROM now() - interval '1 minute')::bigint
	    AND extract(epoch FROM clock_timestamp())::bigint + 1, v_pol::text;
	ASSERT NOT n -> 'absent' @> '[{"user_name": "Sanne Jansen"}]', n::text;
	ASSERT NOT n -> 'absent_orgs' ? 'Politie Eenheid Oost-Nederland', n::text;
	-- still there at the end: no left_at
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(n -> 'present') x
	    WHERE x ->> 'user_name' = 'Anouk de Vries' AND x ? 'left_at'), n::text;

	-- the OM (absent, not involved): the first item's decision is hidden;
	-- the second item has none, and reads the same (withheld), so that
	-- the OM cannot tell which of the two has a decision
	n := tafel_minutes_for_org(v_om, v_m);
	ASSERT n -> 'items' -> 0 -> 'item' ->> 'decision' = '', n::text;
	ASSERT (n -> 'items' -> 0 ->> 'decision_withheld')::boolean, n::text;
	ASSERT (n -> 'items' -> 1 ->> 'decision_withheld')::boolean, n::text;
	ASSERT (n -> 'items' -> 0) - 'item' - 'case' - 'actions'
	    = (n -> 'items' -> 1) - 'item' - 'case' - 'actions', n::text;
	-- the police read both: nothing withheld
	n := tafel_minutes_for_org(test_org('Politie Eenheid Oost-Nederland'), v_m);
	ASSERT n -> 'items' -> 0 -> 'item' ->> 'decision' = 'Besluit over Vroeg Weg';
	ASSERT NOT (n -> 'items' -> 0 ->> 'decision_withheld')::boolean, n::text;
	-- and the one without a decision is "no decision recorded" to them
	ASSERT NOT (n -> 'items' -> 1 ->> 'decision_withheld')::boolean, n::text;
END
$$;
