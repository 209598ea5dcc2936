-- The write ops as one table (write_ops, filled by sql/functions/50_write.sql):
-- tafel_write accepts exactly its names and calls tafel_op_<name>; the
-- answer is rendered by the op's kind; the change log records the op and
-- refuses a change without the ids the op's routing names.

DO $$
DECLARE
	v jsonb;
	e jsonb;
BEGIN
	-- every op has its function, and only the ops are accepted
	ASSERT NOT EXISTS (SELECT 1 FROM write_ops w WHERE to_regprocedure(
	    'tafel_op_' || w.name || '(bigint, jsonb)') IS NULL);
	ASSERT (SELECT count(*) FROM write_ops) = 31;
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'drop_everything', '{}'));
	ASSERT e ->> 'message' LIKE 'unknown operation%';
	-- the lists the table replaced are gone
	ASSERT to_regprocedure('tafel_write_ops()') IS NULL;
	ASSERT to_regprocedure('tafel_op_kind(text)') IS NULL;

	-- a write records its op with its change
	v := test_write('politie', 'create_case', '{"theme": "domestic_violence"}');
	ASSERT (SELECT op FROM changelog ORDER BY seq DESC LIMIT 1) = 'create_case';
	ASSERT (SELECT case_id FROM changelog ORDER BY seq DESC LIMIT 1)
	    = (v ->> 'id')::bigint;
	ASSERT current_setting('tafel.op', true) = '', 'reset after the write';

	-- a change that lacks the ids its op is routed by is refused
	PERFORM set_config('tafel.op', 'create_action', true);
	e := test_expect('TF022', format('SELECT tafel_log_change(%s, 0, %s, '
	    || '''{}'', ''{}'')', test_uid('admin'), v ->> 'id'));
	ASSERT e ->> 'message' LIKE '%routed by (case, orgs)%', e::text;
	PERFORM set_config('tafel.op', '', true);
END
$$;
