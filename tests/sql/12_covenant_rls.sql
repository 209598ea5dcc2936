-- The database enforces the covenant for the server's role (0005):
-- SET ROLE tafel_app, tafel.user_id = a user of an uninvolved
-- organisation.  (The suite runs as the cluster owner, a superuser.)

CREATE TEMP TABLE t_ids AS SELECT
	(SELECT id FROM users WHERE login = 'om') AS om,
	(SELECT id FROM users WHERE login = 'politie') AS pol,
	(SELECT case_id FROM persons WHERE name = 'Mehmet Özdemir') AS c2;
GRANT SELECT ON t_ids TO tafel_app;
-- test_expect runs its statement as the caller (tafel_app)
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text) TO tafel_app;

-- the role itself
DO $$
BEGIN
	ASSERT (SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreatedb
	    AND NOT rolcreaterole AND NOT rolbypassrls
	    FROM pg_roles WHERE rolname = 'tafel_app');
	ASSERT NOT has_table_privilege('tafel_app', 'changelog', 'SELECT');
	ASSERT NOT has_column_privilege('tafel_app', 'cases', 'summary', 'SELECT');
	ASSERT NOT has_column_privilege('tafel_app', 'agenda_items', 'decision', 'SELECT');
	ASSERT NOT has_column_privilege('tafel_app', 'users', 'password_hash', 'SELECT');
	ASSERT has_table_privilege('tafel_app', 'audit_log', 'INSERT');
	ASSERT NOT has_table_privilege('tafel_app', 'audit_log', 'SELECT');
	ASSERT NOT has_table_privilege('tafel_app', 'audit_log', 'UPDATE');
	ASSERT NOT has_table_privilege('tafel_app', 'audit_log', 'DELETE');
	ASSERT NOT has_table_privilege('tafel_app', 'persons', 'UPDATE');
	-- a policy picks rows, not columns: the dates of birth (a category
	-- of their own, which housing lacks) and an info round's notes are
	-- not readable directly by anyone
	ASSERT has_column_privilege('tafel_app', 'persons', 'name', 'SELECT');
	ASSERT NOT has_column_privilege('tafel_app', 'persons', 'birth_date', 'SELECT');
	ASSERT NOT has_column_privilege('tafel_app', 'persons', 'name_key', 'SELECT');
	ASSERT has_column_privilege('tafel_app', 'info_round_orgs', 'answer', 'SELECT');
	ASSERT NOT has_column_privilege('tafel_app', 'info_round_orgs', 'note', 'SELECT');
	-- a stored write answer is unredacted: only the server's functions
	-- read it, and render it for the user
	ASSERT has_column_privilege('tafel_app', 'idempotency', 'key', 'SELECT');
	ASSERT NOT has_column_privilege('tafel_app', 'idempotency', 'response', 'SELECT');
	ASSERT NOT has_table_privilege('tafel_app', 'cases', 'INSERT');
	ASSERT has_function_privilege('tafel_app', 'tafel_write(bigint,text,text,jsonb)',
	    'EXECUTE');
	ASSERT has_function_privilege('tafel_app',
	    'tafel_events_for(bigint,jsonb)', 'EXECUTE');
	ASSERT NOT has_function_privilege('tafel_app', 'tafel_json_case(bigint)',
	    'EXECUTE');
	ASSERT NOT has_function_privilege('tafel_app', 'tafel_purge(interval,boolean)',
	    'EXECUTE');
	ASSERT NOT has_function_privilege('tafel_app', 'tafel_audit_case(text)',
	    'EXECUTE');
	ASSERT NOT has_function_privilege('tafel_app', 'tafel_unlock(text)', 'EXECUTE');
	ASSERT NOT has_function_privilege('tafel_app',
	    'tafel_log_change(bigint,bigint,bigint,bigint[],jsonb)', 'EXECUTE');
	-- the definer functions are owned by the owner and pin search_path
	ASSERT NOT EXISTS (SELECT 1 FROM pg_proc p
	    WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
		AND NOT coalesce(p.proconfig, '{}') @> '{search_path=public}');
END
$$;

SET ROLE tafel_app;

-- no user set: no personal rows
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM persons) = 0;
	ASSERT (SELECT count(*) FROM cases) = 0;
	ASSERT (SELECT count(*) FROM action_points) = 0;
END
$$;

SELECT set_config('tafel.user_id', (SELECT om FROM t_ids)::text, true);

DO $$
DECLARE
	i t_ids;
	v jsonb;
BEGIN
	SELECT * INTO i FROM t_ids;
	-- persons of a case the OM is not involved in: no rows
	ASSERT (SELECT count(*) FROM persons WHERE case_id = i.c2) = 0;
	-- the case row itself (on the SSO agenda) is there, without summary
	ASSERT (SELECT count(*) FROM cases WHERE id = i.c2) = 1;
	ASSERT (SELECT count(*) FROM agenda_items WHERE case_id = i.c2) = 1;
	-- others' action points of that case: not directly
	ASSERT (SELECT count(*) FROM action_points WHERE case_id = i.c2) = 0;

	-- each of these is refused (insufficient_privilege)
	PERFORM test_expect('42501', q) FROM unnest(ARRAY[
	    'SELECT summary FROM cases',
	    'SELECT decision FROM agenda_items',
	    'SELECT * FROM changelog',
	    'SELECT * FROM audit_log',
	    'UPDATE audit_log SET categories = ''{}''',
	    'DELETE FROM audit_log',
	    'UPDATE persons SET name = ''x''',
	    'SELECT birth_date FROM persons',
	    'SELECT * FROM persons',
	    'SELECT note FROM info_round_orgs',
	    'SELECT response FROM idempotency',
	    -- the unredacted builders are not callable
	    format('SELECT tafel_json_case(%s)', i.c2),
	    -- tafel_purge is for the owner
	    'SELECT tafel_purge(''1 day'', true)',
	    -- audit rows only in one's own name
	    format('INSERT INTO audit_log (user_id, org_id, case_id, categories, '
		|| 'context) VALUES (%s, 1, %s, ''{}'', ''event'')', i.pol, i.c2)]) q;

	-- the read functions return the redacted view
	v := tafel_get_case(i.om, i.c2);
	ASSERT v -> 'case' ->> 'redacted' = 'true'
	    AND v -> 'case' ->> 'redaction_reason' = 'not_involved';
	ASSERT v -> 'case' -> 'persons' -> 0 ->> 'name' = 'M. Ö.';
	ASSERT v -> 'case' ->> 'summary' = '';
	v := tafel_snapshot(i.om, (SELECT meeting_id FROM agenda_items
	    WHERE case_id = i.c2 LIMIT 1));
	ASSERT (SELECT x ->> 'redacted' FROM jsonb_array_elements(
	    v -> 'snapshot' -> 'cases') x WHERE (x ->> 'id')::bigint = i.c2) = 'true';
	-- a write through the function works (the entry points are definer)
	PERFORM tafel_write(i.om, 'rls-key-1', 'create_case',
	    '{"theme": "repeat_offenders", "summary": "via tafel_app"}');
END
$$;

-- the police, involved in c2, see its persons directly too
SELECT set_config('tafel.user_id', (SELECT pol FROM t_ids)::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM persons WHERE case_id = (SELECT c2 FROM t_ids)) = 1;
	ASSERT (SELECT count(*) FROM action_points
	    WHERE case_id = (SELECT c2 FROM t_ids)) = 2;
	ASSERT (SELECT count(*) FROM idempotency) = 0, 'only one''s own keys';
END
$$;

RESET ROLE;

-- an MDO series (0008) names its case ("MDO <number>", case_id) and its
-- members: under RLS only where the case is connected for the user (the
-- police, which submitted the signal), not for the public prosecutor,
-- which has no connection to it; every other series as before
CREATE TEMP TABLE t_mdo AS SELECT (test_write('politie', 'create_case',
	'{"theme": "domestic_violence", "district": "Mdodorp",
	"reason": "geheim"}') ->> 'id')::bigint AS c;
GRANT SELECT ON t_mdo TO tafel_app;
INSERT INTO series (name, kind, themes, district, case_id)
SELECT 'MDO ' || c.number, 'mdo', ARRAY[c.theme], c.district, c.id
FROM cases c WHERE c.id = (SELECT c FROM t_mdo);
INSERT INTO series_members (series_id, org_id)
SELECT s.id, u.org_id FROM series s, users u
WHERE s.case_id = (SELECT c FROM t_mdo) AND u.id = (SELECT pol FROM t_ids);
ALTER TABLE t_mdo ADD COLUMN s bigint;
UPDATE t_mdo SET s = (SELECT id FROM series WHERE case_id = t_mdo.c);
SET ROLE tafel_app;
SELECT set_config('tafel.user_id', (SELECT om FROM t_ids)::text, true);
DO $$
BEGIN
	ASSERT NOT tafel_rls_case_connected((SELECT c FROM t_mdo)),
	    'connected';
	ASSERT (SELECT count(*) FROM series
	    WHERE case_id = (SELECT c FROM t_mdo)) = 0, 'an unconnected MDO';
	ASSERT (SELECT count(*) FROM series_members sm
	    WHERE sm.series_id = (SELECT s FROM t_mdo)) = 0, 'its members';
	ASSERT (SELECT count(*) FROM series_members) > 0, 'members';
	ASSERT (SELECT count(*) FROM series WHERE case_id IS NULL) > 0, 'series';
END
$$;
SELECT set_config('tafel.user_id', (SELECT pol FROM t_ids)::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM series
	    WHERE case_id = (SELECT c FROM t_mdo)) = 1;
	ASSERT (SELECT count(*) FROM series_members sm JOIN series s
	    ON s.id = sm.series_id WHERE s.case_id = (SELECT c FROM t_mdo)) = 1;
END
$$;
RESET ROLE;

-- the audit log is append-only for the owner too
DO $$
BEGIN
	PERFORM tafel_get_case((SELECT pol FROM t_ids), (SELECT c2 FROM t_ids));
	PERFORM test_expect('TF010', 'UPDATE audit_log SET categories = ''{}''');
	PERFORM test_expect('TF010', 'DELETE FROM audit_log');
	PERFORM test_expect('TF010', 'TRUNCATE audit_log');
END
$$;
