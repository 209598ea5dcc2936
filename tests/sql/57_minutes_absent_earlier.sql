-- The minutes name each absent organisation once, and each item lists its
-- case's action points agreed before and still open.  A new user's meeting
-- (OM absent) listed the OM under "Verwacht maar afwezig" twice: as a
-- member organisation nobody of which was present and as its member
-- recorded absent; and case 2026-0011's open action point of the Raad
-- (agreed before the meeting) appeared nowhere in the minutes, which only
-- listed the action points of this meeting.  earlier_actions is rendered
-- like the rest: the absent, uninvolved OM's copy holds no texts, the
-- owner's its own in full, and the read audit records what a copy holds.

DO $$
DECLARE
	v_c bigint := test_case('politie', 'Eerder',
	    '[{"role": "child", "name": "Noa Eerder", "birth_date": "2015-02-02"}]');
	-- on the agenda without a decision or action point of its own
	v_c2 bigint := test_case('politie', 'Tweede');
	v_raad bigint := test_org('Raad voor de Kinderbescherming, regio Oost');
	v_vt bigint := test_org('Veilig Thuis Eemland-Twente');
	v_om bigint := test_org('Openbaar Ministerie, parket Oost-Nederland');
	v_m bigint;
	m jsonb;
	it jsonb;
	a_open jsonb;
	a_done jsonb;
	a_now jsonb;
	a_two jsonb;
	a_after jsonb;
	n jsonb;
	e jsonb;
BEGIN
	-- before the meeting, outside it: the Raad's (open) and Veilig
	-- Thuis's (done) action points on the case, one on the second case
	a_open := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Raadsonderzoek starten',
	    'owner_org_id', v_raad, 'owner_user_id', test_uid('raad'),
	    'due_date', tafel_today() + 20));
	a_done := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Melding doorzetten',
	    'owner_org_id', v_vt, 'due_date', tafel_today() + 3));
	PERFORM test_write('veiligthuis', 'complete_action', jsonb_build_object(
	    'id', a_done -> 'id', 'version', a_done -> 'version',
	    'note', 'Doorgezet'));
	a_two := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c2, 'description', 'School informeren',
	    'owner_org_id', v_vt, 'due_date', tafel_today() + 9));

	m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'),
	    'scheduled_start', extract(epoch FROM now() + interval '1 hour')::bigint));
	v_m := (m ->> 'id')::bigint;
	it := test_table(v_m, v_c);
	PERFORM test_table(v_m, v_c2);
	PERFORM test_open(v_m);
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('politie'), 'present', true));
	-- the OM expected, recorded absent
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('om'), 'present', false));
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', it -> 'id', 'version', tafel_json_item((it ->> 'id')::bigint)
		-> 'version', 'decision', 'Onderzoek afwachten'));
	a_now := test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'meeting_id', v_m, 'description', 'Plan maken',
	    'owner_org_id', v_vt, 'due_date', tafel_today() + 14));
	PERFORM test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', tafel_json_meeting(v_m) -> 'version'));
	-- agreed after the meeting closed, outside it: not from before
	a_after := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Later afgesproken',
	    'owner_org_id', v_raad, 'due_date', tafel_today() + 30));
	UPDATE action_points SET created_at = now() + interval '1 minute'
	WHERE id = (a_after ->> 'id')::bigint;

	-- the police's copy
	n := tafel_get_minutes(test_uid('politie'), v_m);
	-- the OM once: with its member recorded absent, not again on its own
	ASSERT n -> 'absent' @> jsonb_build_array(jsonb_build_object(
	    'user_name', 'Pieter van den Berg', 'org_name',
	    'Openbaar Ministerie, parket Oost-Nederland')), n -> 'absent';
	ASSERT NOT n -> 'absent_orgs' ? 'Openbaar Ministerie, parket Oost-Nederland',
	    n -> 'absent_orgs';
	-- a member nobody of which was recorded: on its own
	ASSERT n -> 'absent_orgs' ? 'Slachtofferhulp Nederland, team Oost',
	    n -> 'absent_orgs';
	ASSERT NOT n -> 'absent_orgs' ? 'Politie Eenheid Oost-Nederland';

	-- this meeting's action point under actions; the Raad's open one
	-- from before under earlier_actions; not the done one, not the one
	-- agreed after closing
	ASSERT n -> 'items' -> 0 -> 'actions' = jsonb_build_array(
	    n -> 'items' -> 0 -> 'actions' -> 0), n::text;
	ASSERT (n -> 'items' -> 0 -> 'actions' -> 0 ->> 'id')::bigint
	    = (a_now ->> 'id')::bigint, n::text;
	ASSERT jsonb_array_length(n -> 'items' -> 0 -> 'earlier_actions') = 1,
	    n::text;
	e := n -> 'items' -> 0 -> 'earlier_actions' -> 0;
	ASSERT (e ->> 'id')::bigint = (a_open ->> 'id')::bigint
	    AND e ->> 'description' = 'Raadsonderzoek starten'
	    AND e ->> 'owner_user_name' = 'Thijs de Graaf'
	    AND e ->> 'due_date' = (a_open ->> 'due_date'), e::text;
	-- the second case: its earlier one
	ASSERT (n -> 'items' -> 1 -> 'earlier_actions' -> 0 ->> 'id')::bigint
	    = (a_two ->> 'id')::bigint, n::text;
	ASSERT n -> 'items' -> 1 -> 'actions' = '[]', n::text;
	-- no person, as everywhere in the minutes
	ASSERT n::text NOT LIKE '%Noa Eerder%' AND n::text NOT LIKE '%2015-02-02%';
	-- the audit of the second case records the text the copy holds
	ASSERT (SELECT categories FROM audit_log WHERE context = 'minutes'
	    AND user_id = test_uid('politie') AND case_id = v_c2
	    AND meeting_id = v_m) = ARRAY['free_text'], (SELECT array_agg(
		categories) FROM audit_log WHERE context = 'minutes'
		AND user_id = test_uid('politie') AND case_id = v_c2);

	-- the OM (absent, not involved): the action point's owner and date,
	-- no text, as in its live view
	n := tafel_minutes_for_org(v_om, v_m);
	e := n -> 'items' -> 0 -> 'earlier_actions' -> 0;
	ASSERT (e ->> 'id')::bigint = (a_open ->> 'id')::bigint
	    AND e ->> 'description' = ''
	    AND e ->> 'owner_org_name' = 'Raad voor de Kinderbescherming, regio Oost',
	    e::text;
	ASSERT n::text NOT LIKE '%Raadsonderzoek%', n::text;
	ASSERT e = tafel_render(test_uid('om'), 0, 0, jsonb_build_object(
	    'actions', jsonb_build_array(tafel_json_action(
		(a_open ->> 'id')::bigint))), NULL, 0, false) -> 'actions' -> 0,
	    e::text;

	-- the Raad (a member, nobody recorded, owns the action point): named
	-- once on its own, its own action point in full
	n := tafel_minutes_for_org(v_raad, v_m);
	ASSERT n -> 'absent_orgs' ? 'Raad voor de Kinderbescherming, regio Oost',
	    n -> 'absent_orgs';
	ASSERT n -> 'items' -> 0 -> 'earlier_actions' -> 0 ->> 'description'
	    = 'Raadsonderzoek starten', n::text;
END
$$;
