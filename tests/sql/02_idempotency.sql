-- tafel_write: idempotent replay, key reuse, observers, bad requests.

DO $$
DECLARE
	v_pol bigint := test_uid('politie');
	v_args jsonb := '{"theme": "repeat_offenders", "approach": "person",
	    "district": "Enschede", "summary": "Idempotentie",
	    "persons": [{"role": "suspect", "name": "Dirk Dijkstra"}]}';
	v_before bigint := test_changes();
	v_cases bigint := (SELECT count(*) FROM cases);
	r1 jsonb;
	r2 jsonb;
	e jsonb;
BEGIN
	r1 := tafel_write(v_pol, 'idem-1', 'create_case', v_args);
	ASSERT test_changes() = v_before + 1, 'one write, one change-log row';
	ASSERT r1 ->> 'status' = 'signal';
	ASSERT r1 ->> 'submitter_org_id' = (SELECT org_id FROM users
	    WHERE id = v_pol)::text;
	ASSERT r1 ->> 'number' ~ '^[0-9]{4}-[0-9]{4}$', r1 ->> 'number';

	-- replay: same key, same op, same args (keys in another order)
	r2 := tafel_write(v_pol, 'idem-1', 'create_case',
	    (SELECT jsonb_object_agg(key, value) FROM (SELECT * FROM
		jsonb_each(v_args) ORDER BY key DESC) t));
	ASSERT r2 = r1, 'replay returns the first response';
	ASSERT test_changes() = v_before + 1, 'a replay writes no change';
	ASSERT (SELECT count(*) FROM cases) = v_cases + 1, 'one case created';

	-- same key, different args / different op: IDEMPOTENCY_KEY_REUSED
	e := test_expect('TF020', format('SELECT tafel_write(%s, %L, %L, %L)',
	    v_pol, 'idem-1', 'create_case', v_args || '{"summary": "anders"}'));
	ASSERT e ->> 'message' = 'idempotency key already used for a different request';
	ASSERT e ->> 'hint' = 'idempotency_key', e::text;
	PERFORM test_expect('TF020', format('SELECT tafel_write(%s, %L, %L, %L)',
	    v_pol, 'idem-1', 'update_case', v_args));
	ASSERT test_changes() = v_before + 1;

	-- the key is per user: another user may use the same key
	r2 := tafel_write(test_uid('reclassering'), 'idem-1', 'create_case', v_args);
	ASSERT r2 ->> 'id' <> r1 ->> 'id';
	ASSERT test_changes() = v_before + 2;

	-- a failed write is not remembered: the key can be used again
	PERFORM test_expect('TF011', format('SELECT tafel_write(%s, %L, %L, %L)',
	    v_pol, 'idem-2', 'create_case', '{"theme": ""}'));
	r2 := tafel_write(v_pol, 'idem-2', 'create_case', v_args);
	ASSERT r2 ->> 'id' IS NOT NULL;
	ASSERT test_changes() = v_before + 3;
END
$$;

DO $$
DECLARE
	v_obs bigint := test_uid('waarnemer');
	v_before bigint := test_changes();
	e jsonb;
BEGIN
	-- observers may not write
	e := test_expect('TF010', format('SELECT tafel_write(%s, %L, %L, %L)',
	    v_obs, 'obs-1', 'create_case', '{"theme": "domestic_violence"}'));
	ASSERT e ->> 'hint' = '';
	PERFORM test_expect('TF010', format('SELECT tafel_write(%s, %L, %L, %L)',
	    v_obs, 'obs-2', 'record_attendance', jsonb_build_object(
		'meeting_id', (SELECT min(id) FROM meetings), 'user_id', v_obs,
		'present', true)));
	-- nor disabled or unknown users
	UPDATE users SET disabled = true WHERE login = 'om';
	PERFORM test_expect('TF010', format('SELECT tafel_write(%s, %L, %L, %L)',
	    test_uid('om'), 'dis-1', 'create_case', '{"theme": "domestic_violence"}'));
	PERFORM test_expect('TF010', format('SELECT tafel_write(%s, %L, %L, %L)',
	    -1, 'x', 'create_case', '{}'));
	-- unknown op, missing key, bad key
	e := test_expect('TF011', format('SELECT tafel_write(%s, %L, %L, %L)',
	    test_uid('politie'), 'u-1', 'drop_everything', '{}'));
	PERFORM test_expect('TF019', format('SELECT tafel_write(%s, %L, %L, %L)',
	    test_uid('politie'), '', 'create_case', '{}'));
	PERFORM test_expect('TF011', format('SELECT tafel_write(%s, %L, %L, %L)',
	    test_uid('politie'), repeat('k', 65), 'create_case', '{}'));
	-- validation errors name the field
	e := test_expect('TF011', format('SELECT tafel_write(%s, %L, %L, %L)',
	    test_uid('politie'), 'v-1', 'create_case',
	    '{"theme": "domestic_violence", "approach": "sideways"}'));
	ASSERT e ->> 'hint' = 'approach', e::text;
	e := test_expect('TF011', format('SELECT tafel_write(%s, %L, %L, %L)',
	    test_uid('politie'), 'v-2', 'create_case',
	    '{"theme": "domestic_violence", "persons": [{"name": "A", "birth_date": "1990-02-30"}]}'));
	ASSERT e ->> 'hint' = 'persons.birth_date', e::text;
	e := test_expect('TF016', format('SELECT tafel_write(%s, %L, %L, %L)',
	    test_uid('voorzitter'), 'v-3', 'open_meeting',
	    '{"meeting_id": 999999999, "version": 1}'));
	ASSERT e ->> 'hint' = 'meeting_id', e::text;
	ASSERT test_changes() = v_before, 'failed writes leave no change';
END
$$;

-- enums are accepted as words or as proto numbers; int64 as strings too
DO $$
DECLARE
	r jsonb;
BEGIN
	r := test_write('politie', 'create_case', '{"theme": "at_risk_youth",
	    "approach": 2, "persons": [{"role": 3, "name": "Kind"}],
	    "case_manager_id": "0"}');
	ASSERT r ->> 'approach' = 'area', r::text;
	ASSERT r -> 'persons' -> 0 ->> 'role' = 'child', r::text;
	ASSERT (r ->> 'case_manager_id')::int = 0;
END
$$;
