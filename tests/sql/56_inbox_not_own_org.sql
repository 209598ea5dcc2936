-- An organisation is not told in its inbox of what one of its own users
-- just did: the police got "afspraak afgerond" for completing its own
-- action point, the chair's organisation "agenda gepubliceerd" for its own
-- publish.  Per kind (docs/protocol.md 7.12): action_done/_cancelled,
-- case_moved/_closed, agenda_published and clock_set skip the writer's
-- organisation; action_assigned too (a new point or one handed over),
-- unless the point goes to a named colleague; info_round_asked and a
-- clock's notice on its day still come.

SELECT tafel_pm_add('voorzitter', 'Eigendorp', 'domestic_violence');
DO $$
DECLARE
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	v_vt bigint := test_org('Veilig Thuis Eemland-Twente');
	v_gem bigint := test_org('Gemeente Eemland-Twente');
	v_recl bigint := test_org('Reclassering Nederland, regio Oost');
	v_c bigint := (test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eigendorp", "approach": "person",
	    "reason": "eigen melding"}') ->> 'id')::bigint;
	v_s bigint := test_series('casusoverleg_hg');
	v_m bigint;
	v_rc bigint;
	v_today date := tafel_today();
	a jsonb;
	b jsonb;
BEGIN
	-- the police complete their own action point on their own case:
	-- nothing to the police; cancelling neither
	a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Aangifte opnemen',
	    'owner_org_id', v_pol, 'owner_user_id', test_uid('wijkagent'),
	    'due_date', v_today + 5));
	PERFORM test_write('wijkagent', 'complete_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version', 'note', 'Gedaan'));
	b := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Buren spreken',
	    'owner_org_id', v_pol, 'due_date', v_today + 5));
	PERFORM test_write('politie', 'cancel_action', jsonb_build_object(
	    'id', b -> 'id', 'version', b -> 'version', 'note', 'Niet nodig'));
	-- (but the named colleague hears of the point given to them)
	ASSERT NOT EXISTS (SELECT 1 FROM inbox_entries WHERE case_id = v_c
	    AND recipient_user_id IS DISTINCT FROM test_uid('wijkagent')),
	    (SELECT jsonb_agg(to_jsonb(e)) FROM inbox_entries e
		WHERE case_id = v_c)::text;
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'action_assigned'
	    AND recipient_user_id = test_uid('wijkagent')) = 1;
	ASSERT (SELECT count(*) FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('politie'), true, false) -> 'entries') x
	    WHERE x ->> 'kind' <> 'action_assigned') = 0;

	-- Veilig Thuis completing one: the police hear of it
	a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Huisbezoek',
	    'owner_org_id', v_vt, 'due_date', v_today + 5));
	PERFORM test_write('veiligthuis', 'complete_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version', 'note', 'Bezocht'));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'action_done' AND recipient_org_id = v_pol
	    AND sender_id = test_uid('veiligthuis')) = 1;

	-- handed over: to another organisation, it is told; to the writer's
	-- own organisation, nothing; to a named colleague of the writer, that
	-- colleague is told
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('gem-collega', 'Collega Gemeente', v_gem, 'x', '{member}');
	a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'School bellen',
	    'owner_org_id', v_vt, 'due_date', v_today + 5));
	a := test_write('voorzitter', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', 'School bellen', 'owner_org_id', v_pol,
	    'due_date', v_today + 5));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'action_assigned' AND recipient_org_id = v_pol
	    AND action_id = (a ->> 'id')::bigint) = 1;
	a := test_write('voorzitter', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', 'School bellen', 'owner_org_id', v_gem,
	    'due_date', v_today + 5));
	ASSERT NOT EXISTS (SELECT 1 FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'action_assigned' AND recipient_org_id = v_gem);
	a := test_write('voorzitter', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', 'School bellen', 'owner_org_id', v_vt,
	    'due_date', v_today + 5));
	a := test_write('voorzitter', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', 'School bellen', 'owner_org_id', v_gem,
	    'owner_user_id', test_uid('gem-collega'), 'due_date', v_today + 5));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'action_assigned' AND recipient_org_id = v_gem
	    AND recipient_user_id = test_uid('gem-collega')) = 1;

	-- the chair publishes: every member organisation but its own
	v_m := test_meeting(v_s, interval '3 days');
	PERFORM test_write('voorzitter', 'publish_agenda', jsonb_build_object(
	    'meeting_id', v_m, 'version', tafel_json_meeting(v_m) -> 'version'));
	ASSERT NOT EXISTS (SELECT 1 FROM inbox_entries WHERE meeting_id = v_m
	    AND recipient_org_id = v_gem);
	ASSERT (SELECT count(*) FROM inbox_entries WHERE meeting_id = v_m
	    AND kind = 'agenda_published') = (SELECT count(*)
	    FROM series_members WHERE series_id = v_s AND org_id <> v_gem);
	ASSERT (SELECT count(*) FROM series_members WHERE series_id = v_s
	    AND org_id <> v_gem) > 0;

	-- the process manager moves a case its organisation submitted:
	-- nothing to it; the police's case moved: the police hear of it
	v_rc := (test_write('voorzitter', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eigendorp", "approach": "person",
	    "reason": "gemeente meldt"}') ->> 'id')::bigint;
	PERFORM test_write('voorzitter', 'move_case', jsonb_build_object(
	    'id', v_rc, 'version', tafel_json_case(v_rc) -> 'version',
	    'to', 'screening'));
	ASSERT NOT EXISTS (SELECT 1 FROM inbox_entries WHERE case_id = v_rc);
	PERFORM test_write('voorzitter', 'move_case', jsonb_build_object(
	    'id', v_c, 'version', tafel_json_case(v_c) -> 'version',
	    'to', 'screening'));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'case_moved' AND recipient_org_id = v_pol) = 1;

	-- an info round asking the process manager's own organisation still
	-- reaches it: a question to answer by a day, for whoever answers
	PERFORM test_write('voorzitter', 'start_info_round', jsonb_build_object(
	    'case_id', v_rc, 'reply_by', v_today + 2,
	    'org_ids', jsonb_build_array(v_gem, v_pol)));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_rc
	    AND kind = 'info_round_asked') = 2;

	-- probation sets a custody clock on its own case: no clock_set for
	-- probation, but the notice on its day (today: it ends tomorrow)
	v_rc := (test_write('reclassering', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eigendorp", "approach": "person",
	    "reason": "vroeghulp"}') ->> 'id')::bigint;
	PERFORM test_write('reclassering', 'set_clock', jsonb_build_object(
	    'case_id', v_rc, 'kind', 'police_custody', 'starts_on', v_today,
	    'ends_on', v_today + 1));
	ASSERT NOT EXISTS (SELECT 1 FROM inbox_entries WHERE case_id = v_rc
	    AND kind = 'clock_set'), (SELECT jsonb_agg(to_jsonb(e))
	    FROM inbox_entries e WHERE case_id = v_rc)::text;
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_rc
	    AND kind = 'clock_notice' AND recipient_org_id = v_recl) = 1;
	-- the police setting one on it: probation is told it was set
	INSERT INTO case_involved_orgs (case_id, org_id) VALUES (v_c, v_recl);
	PERFORM test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', v_c, 'kind', 'pretrial_detention', 'starts_on', v_today,
	    'ends_on', v_today + 60));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'clock_set' AND recipient_org_id = v_recl) = 1;
END
$$;
