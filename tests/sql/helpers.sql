-- Helpers for the SQL tests.  tests/run-sql-tests.sh runs this file before
-- each NN_*.sql test, inside the same transaction (which is rolled back), so
-- nothing here outlives a test.

SET client_min_messages = warning;

-- The demo safety house is the fixture of every test (a no-op when the
-- database already holds it).
SELECT tafel_demo_data('$argon2id$v=19$m=65536,t=2,p=1$dGVzdA$dGVzdA');

CREATE FUNCTION test_uid(p_login text) RETURNS bigint LANGUAGE sql AS $$
	SELECT id FROM users WHERE login = p_login
$$;

CREATE FUNCTION test_org(p_name text) RETURNS bigint LANGUAGE sql AS $$
	SELECT id FROM organisations WHERE name = p_name
$$;

CREATE FUNCTION test_series(p_kind text) RETURNS bigint LANGUAGE sql AS $$
	SELECT id FROM series WHERE kind = p_kind ORDER BY id LIMIT 1
$$;

-- A fresh idempotency key.
CREATE SEQUENCE test_key_seq;
CREATE FUNCTION test_key() RETURNS text LANGUAGE sql AS $$
	SELECT 'test-key-' || nextval('test_key_seq')
$$;

-- tafel_write as the user with this login, with a fresh key.
CREATE FUNCTION test_write(p_login text, p_op text, p_args jsonb)
RETURNS jsonb LANGUAGE sql AS $$
	SELECT tafel_write(test_uid(p_login), test_key(), p_op, p_args)
$$;

-- A domestic-violence case in district Eemland with this summary and
-- persons (a JSON array as create_case takes it), created by the user with
-- this login; its id.
CREATE FUNCTION test_case(p_login text, p_summary text,
    p_persons jsonb DEFAULT '[]') RETURNS bigint LANGUAGE sql AS $$
	SELECT (test_write(p_login, 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence', 'district', 'Eemland',
	    'summary', p_summary, 'persons', p_persons)) ->> 'id')::bigint
$$;

-- Runs p_sql; NULL when it succeeds, else {code, message, hint, detail}.
CREATE FUNCTION test_err(p_sql text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_code text; v_msg text; v_hint text; v_detail text;
BEGIN
	EXECUTE p_sql;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE,
	    v_msg = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT,
	    v_detail = PG_EXCEPTION_DETAIL;
	RETURN jsonb_build_object('code', v_code, 'message', v_msg,
	    'hint', v_hint, 'detail', v_detail);
END
$$;

-- Runs p_sql and asserts that it fails with SQLSTATE p_code; returns the
-- error object of test_err.
CREATE FUNCTION test_expect(p_code text, p_sql text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	e jsonb := test_err(p_sql);
BEGIN
	ASSERT e IS NOT NULL, format('expected %s, but it succeeded: %s',
	    p_code, p_sql);
	ASSERT e ->> 'code' = p_code, format('expected %s, got %s (%s): %s',
	    p_code, e ->> 'code', e ->> 'message', p_sql);
	RETURN e;
END
$$;

-- The number of change-log rows.
CREATE FUNCTION test_changes() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM changelog
$$;

-- A meeting of series p_series planned by the demo chair at now() + p_in;
-- its id.
CREATE FUNCTION test_meeting(p_series bigint, p_in interval) RETURNS bigint
LANGUAGE sql AS $$
	SELECT (test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', p_series, 'scheduled_start',
	    extract(epoch FROM now() + p_in)::bigint)) ->> 'id')::bigint
$$;

-- Case p_case put on the agenda of meeting p_meeting by the demo chair;
-- its agenda item.
CREATE FUNCTION test_table(p_meeting bigint, p_case bigint) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT e FROM jsonb_array_elements(test_write('voorzitter',
	    'add_agenda_item', jsonb_build_object('meeting_id', p_meeting,
		'case_id', p_case)) -> 'items') e
	WHERE (e ->> 'case_id')::bigint = p_case
$$;

-- Meeting p_meeting opened by the demo chair (at its current version).
CREATE FUNCTION test_open(p_meeting bigint) RETURNS jsonb LANGUAGE sql AS $$
	SELECT test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', p_meeting, 'version',
	    tafel_json_meeting(p_meeting) -> 'version'))
$$;
