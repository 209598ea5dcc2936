-- The demo house loads once: a second call adds nothing and no change-log
-- rows are written.  (helpers.sql has already called it once.)

DO $$
DECLARE
	v_counts bigint[];
	v_after bigint[];
	v_changes bigint := test_changes();
BEGIN
	SELECT ARRAY[(SELECT count(*) FROM organisations), (SELECT count(*) FROM users),
	    (SELECT count(*) FROM series), (SELECT count(*) FROM series_members),
	    (SELECT count(*) FROM meetings), (SELECT count(*) FROM attendance),
	    (SELECT count(*) FROM cases), (SELECT count(*) FROM persons),
	    (SELECT count(*) FROM agenda_items), (SELECT count(*) FROM action_points),
	    (SELECT count(*) FROM nominations)]
	INTO v_counts;
	PERFORM tafel_demo_data('another-hash');
	PERFORM tafel_demo_data('another-hash');
	SELECT ARRAY[(SELECT count(*) FROM organisations), (SELECT count(*) FROM users),
	    (SELECT count(*) FROM series), (SELECT count(*) FROM series_members),
	    (SELECT count(*) FROM meetings), (SELECT count(*) FROM attendance),
	    (SELECT count(*) FROM cases), (SELECT count(*) FROM persons),
	    (SELECT count(*) FROM agenda_items), (SELECT count(*) FROM action_points),
	    (SELECT count(*) FROM nominations)]
	INTO v_after;
	ASSERT v_after = v_counts, format('%s then %s', v_counts, v_after);
	ASSERT test_changes() = v_changes;
	ASSERT NOT EXISTS (SELECT 1 FROM users WHERE password_hash = 'another-hash');

	-- what the demo promises
	ASSERT (SELECT roles @> '{chair}' AND display_name = 'Anouk de Vries'
	    FROM users WHERE login = 'voorzitter');
	ASSERT (SELECT roles = '{admin}' FROM users WHERE login = 'admin');
	ASSERT (SELECT roles = '{observer}' FROM users WHERE login = 'waarnemer');
	ASSERT (SELECT count(*) FROM users WHERE login IN ('voorzitter', 'politie',
	    'om', 'reclassering', 'jeugdzorg', 'veiligthuis', 'admin', 'waarnemer')) = 8;
	ASSERT EXISTS (SELECT 1 FROM organisations WHERE NOT covenant_signed);
	ASSERT (SELECT count(*) FROM meetings m
	    WHERE m.scheduled_start::date BETWEEN current_date - 1 AND current_date + 1
		AND m.state = 'planned'
		AND m.chair_id = test_uid('voorzitter')) >= 3;
	ASSERT EXISTS (SELECT 1 FROM meetings WHERE state = 'closed');
	ASSERT (SELECT count(DISTINCT status) FROM cases) >= 6;
	ASSERT EXISTS (SELECT 1 FROM persons WHERE name LIKE '%Özdemir%');
	ASSERT EXISTS (SELECT 1 FROM action_points WHERE state = 'open'
	    AND due_date < current_date);
	ASSERT EXISTS (SELECT 1 FROM action_points WHERE state = 'done'
	    AND completion_note <> '');
	ASSERT (SELECT count(DISTINCT owner_org_id) FROM action_points) >= 5;
	-- a case manager reads the case managed (routing involves its
	-- organisation): probation's case manager of 2026-0008 too
	ASSERT NOT EXISTS (SELECT 1 FROM cases c
	    WHERE c.case_manager_id IS NOT NULL
		AND NOT coalesce(tafel_access(c.case_manager_id, c.id) -> 'cats'
		    ? 'case_summary', false)), (SELECT string_agg(c.number, ', ')
	    FROM cases c WHERE c.case_manager_id IS NOT NULL
		AND NOT coalesce(tafel_access(c.case_manager_id, c.id) -> 'cats'
		    ? 'case_summary', false));

	-- two pending nominations, each as nominate_case would have taken it
	-- (the nominator's organisation a member of the series and connected
	-- to the case, which is open), for a series whose meeting today does
	-- not have the case yet
	ASSERT (SELECT count(*) FROM nominations WHERE state = 'pending') = 2;
	ASSERT NOT EXISTS (SELECT 1 FROM nominations n
	    JOIN users u ON u.id = n.nominated_by
	    JOIN cases c ON c.id = n.case_id
	    WHERE u.org_id <> n.org_id OR c.status = 'closed'
		OR n.reason = '' OR n.created_at > now()
		OR NOT EXISTS (SELECT 1 FROM series_members sm
		    WHERE sm.series_id = n.series_id AND sm.org_id = n.org_id)
		OR NOT coalesce((tafel_access(u.id, c.id) ->> 'connected')::boolean,
		    false)
		OR NOT EXISTS (SELECT 1 FROM case_involved_orgs i
		    WHERE i.case_id = c.id AND i.org_id = n.org_id)
		OR EXISTS (SELECT 1 FROM agenda_items ai
		    WHERE ai.meeting_id = tafel_series_next_meeting(n.series_id)
			AND ai.case_id = n.case_id));
	-- who sees them follows the rules: the chair both, the police its
	-- own, an organisation that nominated nothing none
	ASSERT jsonb_array_length(tafel_list_nominations(test_uid('voorzitter'),
	    0, false) -> 'nominations') = 2;
	ASSERT (SELECT array_agg(x ->> 'case_number') FROM jsonb_array_elements(
	    tafel_list_nominations(test_uid('politie'), 0, true) -> 'nominations')
	    x) = '{2026-0001}';
	ASSERT (SELECT array_agg(x ->> 'case_number') FROM jsonb_array_elements(
	    tafel_list_nominations(test_uid('verslavingszorg'), 0, true)
	    -> 'nominations') x) = '{2026-0002}';
	ASSERT jsonb_array_length(tafel_list_nominations(test_uid('om'), 0, true)
	    -> 'nominations') = 0;
	-- and each is proposed for today's meeting of its series, by the
	-- nominating organisation
	ASSERT (SELECT p -> 'reasons' -> 0 ->> 'text' FROM jsonb_array_elements(
	    tafel_list_proposals(test_uid('voorzitter'), test_series('wzt'), 0)
	    -> 'proposals') p WHERE p ->> 'case_number' = '2026-0002')
	    = 'nominated by Tavenier Verslavingszorg';
	ASSERT (SELECT p -> 'reasons' -> 0 ->> 'text' FROM jsonb_array_elements(
	    tafel_list_proposals(test_uid('voorzitter'), test_series('sso'), 0)
	    -> 'proposals') p WHERE p ->> 'case_number' = '2026-0001')
	    = 'nominated by Politie Eenheid Oost-Nederland';

	-- later case numbers do not collide with the demo's
	PERFORM test_write('politie', 'create_case', '{"theme": "domestic_violence"}');
END
$$;
