-- move_case follows the case_transitions table, and only it.

DO $$
DECLARE
	c jsonb := test_write('politie', 'create_case',
	    '{"theme": "domestic_violence", "summary": "routing"}');
	v_id bigint := (c ->> 'id')::bigint;
	f text;
	t text;
	e jsonb;
	r jsonb;
	v_before bigint;
	v_allowed boolean;
	v_n int := 0;
BEGIN
	-- what the target statuses need (0008, tested in 18_intake_routing)
	UPDATE cases SET lead_org_id = submitter_org_id,
	    case_manager_id = test_uid('politie'), end_date = current_date + 90,
	    closing_reason = 'doelen bereikt', evaluation = 'goed verlopen'
	WHERE id = v_id;
	INSERT INTO case_goals (case_id, description, position)
	VALUES (v_id, 'Veiligheid', 1);
	-- the chair routes it, connected to it (else not found: protocol.md 9.2)
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT v_id, org_id FROM users WHERE id = test_uid('voorzitter');
	-- every pair of statuses: allowed exactly when the table lists it
	FOR f IN SELECT status FROM case_statuses ORDER BY ordinal LOOP
		FOR t IN SELECT status FROM case_statuses ORDER BY ordinal LOOP
			UPDATE cases SET status = f,
			    closed_at = CASE WHEN f = 'closed' THEN now() END
			WHERE id = v_id;
			v_allowed := EXISTS (SELECT 1 FROM case_transitions
			    WHERE from_status = f AND to_status = t);
			v_before := test_changes();
			e := test_err(format('SELECT test_write(%L, %L, %L)',
			    'voorzitter', 'move_case', jsonb_build_object('id', v_id,
				'version', tafel_json_case(v_id) -> 'version', 'to', t)));
			IF v_allowed THEN
				ASSERT e IS NULL, format('%s -> %s refused: %s', f, t, e);
				ASSERT (SELECT status FROM cases WHERE id = v_id) = t;
				-- the case, and the submitter's inbox entry
				ASSERT test_changes() = v_before + 2;
				v_n := v_n + 1;
			ELSE
				ASSERT e ->> 'code' = 'TF018',
				    format('%s -> %s: %s', f, t, e);
				ASSERT e ->> 'message' LIKE '%' || f || '%' || t || '%',
				    e ->> 'message';
				ASSERT test_changes() = v_before;
			END IF;
		END LOOP;
	END LOOP;
	ASSERT v_n = 12, 'twelve allowed moves, got ' || v_n;

	-- the routing is data: drop a move and it is refused
	UPDATE cases SET status = 'signal', closed_at = NULL WHERE id = v_id;
	DELETE FROM case_transitions
	WHERE from_status = 'signal' AND to_status = 'screening';
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'move_case', jsonb_build_object('id', v_id,
		'version', tafel_json_case(v_id) -> 'version', 'to', 'screening')));
	INSERT INTO case_transitions VALUES ('signal', 'plan');
	r := test_write('voorzitter', 'move_case', jsonb_build_object('id', v_id,
	    'version', tafel_json_case(v_id) -> 'version', 'to', 'plan'));
	ASSERT r ->> 'status' = 'plan';

	-- closing sets closed_at, re-opening clears it
	UPDATE cases SET status = 'direction' WHERE id = v_id;
	r := test_write('voorzitter', 'move_case', jsonb_build_object('id', v_id,
	    'version', tafel_json_case(v_id) -> 'version', 'to', 'closed'));
	ASSERT (SELECT closed_at IS NOT NULL FROM cases WHERE id = v_id);
	r := test_write('voorzitter', 'move_case', jsonb_build_object('id', v_id,
	    'version', r -> 'version', 'to', 1));   -- CASE_SCREENING by number
	ASSERT r ->> 'status' = 'screening';
	ASSERT (SELECT closed_at IS NULL FROM cases WHERE id = v_id);

	-- only chairs, admins, process managers and the case manager route
	-- (the case manager is politie's user here: use another member); an
	-- unknown status is
	-- INVALID_ARGUMENT
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'wijkagent', 'move_case', jsonb_build_object('id', v_id,
		'version', r -> 'version', 'to', 'info_round')));
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'move_case', jsonb_build_object('id', v_id,
		'version', r -> 'version', 'to', 'nowhere')));
	ASSERT e ->> 'hint' = 'to';
END
$$;
