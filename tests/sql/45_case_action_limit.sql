-- A case holds at most 500 action points (tafel_max_case_actions): one
-- partner agreeing 1 100 action points of 8 000 bytes on its own case made
-- the case, and every meeting whose agenda held it, too large to read even
-- in parts (found by the second protocol-only tester).  The 501st is
-- OUT_OF_RANGE on case_id; the 500th still goes in.

DO $$
DECLARE
	v_case jsonb := test_write('politie', 'create_case',
	    '{"theme": "domestic_violence", "summary": "veel afspraken"}');
	v_c bigint := (v_case ->> 'id')::bigint;
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	v_args jsonb;
	a jsonb;
	e jsonb;
BEGIN
	INSERT INTO action_points (case_id, description, owner_org_id, due_date)
	SELECT v_c, 'afspraak ' || g, v_pol, current_date + 7
	FROM generate_series(1, tafel_max_case_actions() - 1) g;
	v_args := jsonb_build_object('case_id', v_c, 'description', 'de 500e',
	    'owner_org_id', v_pol, 'due_date',
	    to_char(current_date + 7, 'YYYY-MM-DD'));
	a := test_write('politie', 'create_action', v_args);
	ASSERT a ->> 'description' = 'de 500e', a;
	e := test_expect('TF014', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'create_action', v_args || '{"description": "de 501e"}'));
	ASSERT e ->> 'hint' = 'case_id', e;
	ASSERT e ->> 'message' = 'a case has at most 500 action points', e;
	ASSERT (SELECT count(*) FROM action_points WHERE case_id = v_c) = 500;
END
$$;
