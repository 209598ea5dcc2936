-- The standing item "openstaande afspraken uit eerdere overleggen"
-- (tafel_carried_over_ids, tafel_series_earlier_meetings, list_open_actions;
-- 58_minutes.sql) takes the earlier meetings by when they were held, not by
-- their planned start: a meeting planned for tomorrow 13:30 but held today,
-- and the next one planned for tomorrow 09:00, left the first one's action
-- points out of the second's standing item (findings s15-C 7), and the
-- first one's showed the second's.

DO $$
DECLARE
	v_x bigint := test_case('politie', 'Eerst gehouden',
	    '[{"role": "victim", "name": "Noor Eerst", "birth_date": "1993-07-07"}]');
	v_y bigint := test_case('politie', 'Daarna gehouden',
	    '[{"role": "victim", "name": "Sara Daarna", "birth_date": "1994-08-08"}]');
	v_vt bigint := test_org('Veilig Thuis Eemland-Twente');
	-- planned tomorrow afternoon, held first (today)
	v_a bigint := test_meeting(test_series('casusoverleg_hg'), interval '1 day' + interval '4 hours');
	-- planned tomorrow morning, held after it
	v_b bigint := test_meeting(test_series('casusoverleg_hg'), interval '1 day');
	v_ax bigint;
	v_by bigint;
	l jsonb;
BEGIN
	PERFORM test_table(v_a, v_x);
	PERFORM test_table(v_b, v_y);
	PERFORM test_open(v_a);
	v_ax := (test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_x, 'meeting_id', v_a, 'description',
	    'Veiligheidsplan met Noor opstellen', 'owner_org_id', v_vt,
	    'due_date', to_char(current_date + 14, 'YYYY-MM-DD'))) ->> 'id')::bigint;
	PERFORM test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_a, 'version', tafel_json_meeting(v_a) -> 'version'));
	-- held an hour ago (the transaction's now() is one moment)
	UPDATE meetings SET opened_at = now() - interval '1 hour',
	    closed_at = now() - interval '50 minutes' WHERE id = v_a;

	-- B, planned before A's planned start but not held yet: A's open
	-- action point is in its standing item
	ASSERT v_a = ANY (tafel_series_earlier_meetings(v_b)),
	    tafel_series_earlier_meetings(v_b)::text;
	ASSERT v_ax = ANY (tafel_carried_over_ids(v_b)),
	    tafel_carried_over_ids(v_b)::text;
	l := tafel_list_open_actions(test_uid('voorzitter'), v_b) -> 'actions';
	ASSERT l @> jsonb_build_array(jsonb_build_object('id', v_ax)), l::text;

	-- B held now, after A: still there, in the snapshot's ids as well
	PERFORM test_open(v_b);
	ASSERT v_a = ANY (tafel_series_earlier_meetings(v_b));
	ASSERT v_ax = ANY (tafel_carried_over_ids(v_b));
	v_by := (test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_y, 'meeting_id', v_b, 'description',
	    'Gesprek met Sara plannen', 'owner_org_id', v_vt,
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD'))) ->> 'id')::bigint;

	-- A, held before B, does not count B among its earlier meetings
	ASSERT NOT v_b = ANY (tafel_series_earlier_meetings(v_a)),
	    tafel_series_earlier_meetings(v_a)::text;
	ASSERT NOT v_by = ANY (tafel_carried_over_ids(v_a)),
	    tafel_carried_over_ids(v_a)::text;
	ASSERT NOT (tafel_get_minutes(test_uid('politie'), v_a) -> 'open_actions')
	    @> jsonb_build_array(jsonb_build_object('id', v_by));
END
$$;
