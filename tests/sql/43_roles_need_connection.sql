-- An admin or a chair without a connection to a case gets NOT_FOUND from
-- every write on it, as from get_case and as for an id that does not exist
-- (docs/protocol.md 9.2, docs/security.md rule 3): roles say what a user
-- may do with a case it knows of, not which cases exist.  Before, both
-- could update_case (the answer showed the case number), add_person,
-- plan_mdo, create_action, update_action and (an admin)
-- update_contribution for a case get_case called not found, and move_case
-- and update_routing answered CONFLICT with the current case.

CREATE FUNCTION test_same_as_missing(p_login text, p_op text, p_args jsonb,
    p_id_field text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_real jsonb := test_expect('TF016', format(
	    'SELECT test_write(%L, %L, %L)', p_login, p_op, p_args));
	v_missing jsonb;
BEGIN
	v_missing := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    p_login, p_op, jsonb_set(p_args, string_to_array(p_id_field, '.'),
		'987654321')));
	ASSERT v_real = v_missing, format('%s %s: %s vs %s', p_login, p_op,
	    v_real, v_missing);
	RETURN v_real;
END
$$;

DO $$
DECLARE
	-- no district: no process manager, nobody but the police connected
	v_case jsonb := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "summary": "geen verbinding", "persons":
	    [{"role": "victim", "name": "Anna Jansen"}]}');
	v_c bigint := (v_case ->> 'id')::bigint;
	v_a jsonb := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Bellen', 'owner_org_id',
	    test_org('Politie Eenheid Oost-Nederland'),
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	v_k jsonb := test_write('politie', 'add_contribution', jsonb_build_object(
	    'case_id', v_c, 'facts', 'bekend bij de politie'));
	v_login text;
	v_before bigint;
	v_series bigint := (SELECT count(*) FROM series);
	e jsonb;
	v_own jsonb := '{}';
BEGIN
	FOREACH v_login IN ARRAY ARRAY['admin', 'voorzitter'] LOOP
		v_own := v_own || jsonb_build_object(v_login, test_write(v_login,
		    'create_case', '{"theme": "domestic_violence"}') -> 'id');
	END LOOP;
	FOREACH v_login IN ARRAY ARRAY['admin', 'voorzitter'] LOOP
		ASSERT NOT (tafel_access(test_uid(v_login), v_c) ->> 'connected')::boolean,
		    v_login;
		PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
		    test_uid(v_login), v_c));
		v_before := test_changes();
		e := test_same_as_missing(v_login, 'update_case',
		    tafel_json_case(v_c), 'id');
		ASSERT e ->> 'hint' = 'id' AND e ->> 'message' = 'case not found', e;
		PERFORM test_same_as_missing(v_login, 'move_case', jsonb_build_object(
		    'id', v_c, 'version', 1, 'to', 'screening'), 'id');
		PERFORM test_same_as_missing(v_login, 'update_routing',
		    jsonb_build_object('id', v_c, 'version', 1), 'id');
		e := test_same_as_missing(v_login, 'add_person', jsonb_build_object(
		    'person', jsonb_build_object('case_id', v_c, 'role', 'suspect',
			'name', 'Piet Jansen')), 'person.case_id');
		ASSERT e ->> 'hint' = 'person.case_id', e;
		e := test_same_as_missing(v_login, 'update_person', jsonb_build_object(
		    'person', v_case -> 'persons' -> 0), 'person.id');
		ASSERT e ->> 'message' = 'person not found', e;
		-- with a case of its own as person.case_id: the refusal to move
		-- a person to another case told that the hidden id exists
		e := test_same_as_missing(v_login, 'update_person', jsonb_build_object(
		    'person', v_case -> 'persons' -> 0 || jsonb_build_object('case_id',
			v_own -> v_login)), 'person.id');
		ASSERT e ->> 'message' = 'person not found', e;
		PERFORM test_same_as_missing(v_login, 'plan_mdo', jsonb_build_object(
		    'case_id', v_c, 'scheduled_start',
		    extract(epoch FROM now() + interval '2 days')::bigint), 'case_id');
		PERFORM test_same_as_missing(v_login, 'create_action',
		    jsonb_build_object('case_id', v_c, 'description', 'x',
			'owner_org_id', test_org('Politie Eenheid Oost-Nederland'),
			'due_date', to_char(current_date + 7, 'YYYY-MM-DD')), 'case_id');
		e := test_same_as_missing(v_login, 'update_action', v_a, 'id');
		ASSERT e ->> 'message' = 'action point not found', e;
		PERFORM test_same_as_missing(v_login, 'complete_action',
		    jsonb_build_object('id', v_a -> 'id', 'version',
			v_a -> 'version', 'note', 'klaar'), 'id');
		IF v_login = 'admin' THEN
			e := test_same_as_missing(v_login, 'update_contribution',
			    v_k || '{"facts": "x"}', 'id');
			ASSERT e ->> 'message' = 'contribution not found', e;
		END IF;
		ASSERT test_changes() = v_before, v_login || ': nothing written';
		ASSERT (SELECT count(*) FROM series) = v_series,
		    v_login || ': no MDO series';
	END LOOP;

	-- once connected (here: their organisation involved; in practice the
	-- case on the agenda of a meeting they see) both may change the case
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT v_c, org_id FROM users WHERE id = test_uid('admin');
	ASSERT (tafel_access(test_uid('voorzitter'), v_c) ->> 'connected')::boolean;
	v_case := test_write('admin', 'update_case', tafel_json_case(v_c)
	    || '{"approach": "system"}');
	ASSERT v_case ->> 'approach' = 'system', v_case;
	PERFORM test_write('voorzitter', 'move_case', jsonb_build_object(
	    'id', v_c, 'version', v_case -> 'version', 'to', 'screening'));
	PERFORM test_write('admin', 'update_action', v_a);
	PERFORM test_write('admin', 'update_contribution', v_k);
END
$$;
