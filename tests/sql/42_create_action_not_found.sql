-- create_action on a case the organisation has no connection to answers
-- NOT_FOUND (field case_id), exactly as for a case id that does not exist
-- (docs/protocol.md 9.2, docs/security.md rule 3).  Before, it answered
-- FORBIDDEN with the explanation of who may agree an action point, which
-- told any partner which case ids exist; that refusal is now only for a
-- user who may know the case.

DO $$
DECLARE
	v_c bigint := (test_write('politie', 'create_case',
	    '{"theme": "domestic_violence", "summary": "orakel"}') ->> 'id')::bigint;
	v_sh bigint := test_org('Slachtofferhulp Nederland, team Oost');
	v_args jsonb;
	v_real jsonb;
	v_missing jsonb;
	v_before bigint;
BEGIN
	v_args := jsonb_build_object('description', 'proberen',
	    'owner_org_id', v_sh,
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD'));
	ASSERT NOT (tafel_access(test_uid('slachtofferhulp'), v_c)
	    ->> 'connected')::boolean, 'victim support has no connection';
	v_before := test_changes();

	-- an existing case without a connection and a missing id: one answer
	v_real := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'create_action',
	    v_args || jsonb_build_object('case_id', v_c)));
	v_missing := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'create_action',
	    v_args || jsonb_build_object('case_id', 987654321)));
	ASSERT v_real = v_missing, format('%s vs %s', v_real, v_missing);
	ASSERT v_real ->> 'hint' = 'case_id' AND v_real ->> 'message' = 'case not found',
	    v_real;
	-- also in a meeting the case is not on (the meeting is checked after)
	v_real := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'create_action', v_args || jsonb_build_object(
		'case_id', v_c, 'meeting_id', (SELECT min(id) FROM meetings))));
	ASSERT v_real ->> 'hint' = 'case_id', v_real;
	ASSERT test_changes() = v_before, 'nothing written';
	ASSERT NOT EXISTS (SELECT 1 FROM case_involved_orgs
	    WHERE case_id = v_c AND org_id = v_sh);

	-- connected (involved) but not one who may agree: the refusal says why
	INSERT INTO case_involved_orgs (case_id, org_id) VALUES (v_c, v_sh);
	v_real := test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'create_action',
	    v_args || jsonb_build_object('case_id', v_c)));
	ASSERT v_real ->> 'message' LIKE 'only the chair of the meeting%', v_real;

	-- the submitter still agrees one
	PERFORM test_write('politie', 'create_action',
	    v_args || jsonb_build_object('case_id', v_c));
END
$$;
