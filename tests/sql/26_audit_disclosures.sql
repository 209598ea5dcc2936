-- The push's read audit at scale (0012): a change pushed to two viewers
-- of one case gives one disclosure per viewer (viewer x case x day x
-- meeting x organisation x context), whose count further changes raise;
-- the resume path adds to the same rows; nothing per event in audit_log;
-- the privacy officer's questions (tafel_audit_case, tafel_audit_user)
-- merge disclosures and the explicit reads; the rows only grow; tafel_app
-- cannot touch them.  The pushes run as tafel_app.

CREATE TEMP TABLE t_d AS SELECT
	(SELECT case_id FROM persons WHERE name = 'Jeroen Bakker') AS c1,
	(SELECT id FROM users WHERE login = 'politie') AS pol,
	(SELECT id FROM users WHERE login = 'wijkagent') AS wijk,
	(SELECT coalesce(max(id), 0) FROM audit_log) AS audit0,
	0::bigint AS seq1, 0::bigint AS seq2;
GRANT SELECT ON t_d TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text) TO tafel_app;

-- two changes of c1's case record
DO $$
DECLARE
	c1 bigint := (SELECT c1 FROM t_d);
BEGIN
	-- the writers of the audit and the bulk builders are internal
	ASSERT NOT EXISTS (SELECT 1 FROM unnest(ARRAY[
	    'tafel_audit_disclose(jsonb)',
	    'tafel_audit_add(bigint,bigint,bigint,text[],bigint,text)',
	    'tafel_audit_add_many(bigint,jsonb)', 'tafel_audit_entries()',
	    'tafel_access_many(bigint,bigint[])', 'tafel_json_cases(bigint[])',
	    'tafel_json_actions_of(bigint[])', 'tafel_sent_categories(text,jsonb,jsonb)'])
	    f WHERE has_function_privilege('tafel_app', f, 'EXECUTE'));
	PERFORM test_write('politie', 'update_case', tafel_json_case(c1)
	    || '{"district": "Enschede-Noord"}');
	UPDATE t_d SET seq1 = (SELECT max(seq) FROM changelog);
	PERFORM test_write('politie', 'update_case', tafel_json_case(c1)
	    || '{"district": "Enschede-Zuid"}');
	UPDATE t_d SET seq2 = (SELECT max(seq) FROM changelog);
	ASSERT (SELECT seq1 < seq2 FROM t_d);
END
$$;

SET ROLE tafel_app;
-- the first change to both officers
DO $$
DECLARE
	d t_d;
	ev jsonb[];
BEGIN
	SELECT * INTO d FROM t_d;
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(d.seq1,
	    jsonb_build_array(jsonb_build_object('user_id', d.pol),
		jsonb_build_object('user_id', d.wijk)));
	ASSERT ev[1] -> 'case' ->> 'district' = 'Enschede-Noord', ev[1]::text;
	ASSERT ev[2] -> 'case' -> 'persons' -> 0 ->> 'name' = 'Jeroen Bakker';
	-- the disclosures are out of the server role's reach
	PERFORM test_expect('42501', q) FROM unnest(ARRAY[
	    'SELECT * FROM audit_disclosures',
	    'UPDATE audit_disclosures SET count = 1',
	    'DELETE FROM audit_disclosures',
	    'SELECT * FROM audit_pending', 'DELETE FROM audit_pending',
	    'UPDATE audit_pending SET at = now()',
	    'INSERT INTO audit_pending (at, entries, seqs, grp, uids) VALUES '
		|| '(now(), ''{}'', ''{}'', ''{}'', ''{}'')',
	    format('INSERT INTO audit_disclosures (user_id, case_id, day, org_id, '
		|| 'context, categories, first_at, last_at, count) VALUES (%s, %s, '
		|| 'current_date, 1, ''event'', ''{}'', now(), now(), 1)',
		d.pol, d.c1)]) q;
END
$$;
RESET ROLE;

DO $$
DECLARE
	d t_d;
BEGIN
	SELECT * INTO d FROM t_d;
	ASSERT NOT EXISTS (SELECT 1 FROM audit_log WHERE id > d.audit0
	    AND context = 'event'), 'no audit row per event';
	-- the push recorded one pending row for both viewers (0014); the
	-- privacy officer's question folds it first, so it answers at once
	ASSERT (SELECT count(*) FROM audit_pending) = 1;
	ASSERT (SELECT uids FROM audit_pending) @> ARRAY[d.pol, d.wijk];
	ASSERT NOT EXISTS (SELECT 1 FROM audit_disclosures WHERE case_id = d.c1);
	ASSERT (SELECT array_agg(login ORDER BY login) FROM tafel_audit_case(
	    (SELECT number FROM cases WHERE id = d.c1)) WHERE context = 'event')
	    = '{politie,wijkagent}';
	ASSERT NOT EXISTS (SELECT 1 FROM audit_pending);
	ASSERT (SELECT count(*) FROM audit_disclosures WHERE case_id = d.c1) = 2,
	    (SELECT string_agg(format('%s/%s/%s', user_id, context, count), ' ')
		FROM audit_disclosures);
	ASSERT (SELECT array_agg(user_id ORDER BY user_id) FROM audit_disclosures
	    WHERE case_id = d.c1) = ARRAY[least(d.pol, d.wijk), greatest(d.pol, d.wijk)];
	ASSERT (SELECT bool_and(count = 1 AND context = 'event'
	    AND first_at = last_at AND categories @> '{person_names,case_summary}'
	    AND org_id = (SELECT org_id FROM users WHERE id = d.pol))
	    FROM audit_disclosures WHERE case_id = d.c1);
END
$$;

-- the second change: the same rows, count 2
SET ROLE tafel_app;
SELECT count(*) FROM tafel_events_for((SELECT seq2 FROM t_d),
    jsonb_build_array(jsonb_build_object('user_id', (SELECT pol FROM t_d)),
	jsonb_build_object('user_id', (SELECT wijk FROM t_d))));
-- the police officer resumes and gets both again
SELECT count(*) FROM tafel_events_for_viewer((SELECT pol FROM t_d), 0,
    ARRAY[(SELECT seq1 FROM t_d), (SELECT seq2 FROM t_d)]);
RESET ROLE;

DO $$
DECLARE
	d t_d;
	v_num text;
BEGIN
	SELECT * INTO d FROM t_d;
	v_num := (SELECT number FROM cases WHERE id = d.c1);
	-- the push and the resume: two pending rows, folded in one go
	ASSERT tafel_audit_fold(NULL, true) = 2;
	ASSERT tafel_audit_fold(NULL, true) = 0;
	ASSERT (SELECT count(*) FROM audit_disclosures WHERE case_id = d.c1) = 2;
	ASSERT (SELECT count FROM audit_disclosures WHERE case_id = d.c1
	    AND user_id = d.wijk) = 2;
	ASSERT (SELECT count FROM audit_disclosures WHERE case_id = d.c1
	    AND user_id = d.pol) = 4, 'the resume counts its two changes';
	ASSERT (SELECT bool_and(last_at >= first_at) FROM audit_disclosures
	    WHERE case_id = d.c1);
	ASSERT NOT EXISTS (SELECT 1 FROM audit_log WHERE id > d.audit0
	    AND context = 'event');

	-- an explicit read keeps its own row per call
	PERFORM tafel_get_case(d.wijk, d.c1);
	ASSERT (SELECT count(*) FROM audit_log WHERE id > d.audit0
	    AND user_id = d.wijk AND context = 'case_view') = 1;

	-- who saw this case: both officers' disclosures with their counts,
	-- and the explicit read
	ASSERT (SELECT count FROM tafel_audit_case(v_num)
	    WHERE login = 'wijkagent' AND context = 'event') = 2;
	ASSERT (SELECT count FROM tafel_audit_case(v_num)
	    WHERE login = 'politie' AND context = 'event') = 4;
	ASSERT (SELECT count FROM tafel_audit_case(v_num)
	    WHERE login = 'wijkagent' AND context = 'case_view'
		AND first_at > now() - interval '1 minute') = 1;
	-- what did this user see: the case, in this period and not before
	ASSERT (SELECT sum(count) FROM tafel_audit_user('wijkagent',
	    now() - interval '1 hour', NULL) WHERE case_number = v_num
		AND context = 'event') = 2;
	ASSERT NOT EXISTS (SELECT 1 FROM tafel_audit_user('wijkagent', NULL,
	    now() - interval '1 hour') WHERE case_number = v_num
		AND first_at >= now() - interval '1 minute');

	-- the rows only grow, also for the owner
	PERFORM test_expect('TF010', format('UPDATE audit_disclosures SET count = 1 '
	    || 'WHERE case_id = %s', d.c1));
	PERFORM test_expect('TF010', format('UPDATE audit_disclosures SET '
	    || 'categories = ''{}'' WHERE case_id = %s', d.c1));
	PERFORM test_expect('TF010', format('UPDATE audit_disclosures SET '
	    || 'first_at = first_at + interval ''1 second'' WHERE case_id = %s',
	    d.c1));
	PERFORM test_expect('TF010', 'DELETE FROM audit_disclosures');
	PERFORM test_expect('TF010', 'TRUNCATE audit_disclosures');
	-- a change recorded earlier but committed after a fold (a late
	-- transaction): the fold widens the span back and counts it
	INSERT INTO audit_pending (at, seqs, grp, uids, entries)
	SELECT first_at - interval '1 second', ARRAY[d.seq1], '{1}', ARRAY[user_id],
	    ARRAY[jsonb_build_array(
	    jsonb_build_object('org_id', org_id, 'case_id', case_id,
		'categories', '{person_names}'::text[], 'meeting_id', meeting_id,
		'context', context))]
	FROM audit_disclosures WHERE case_id = d.c1 AND user_id = d.wijk;
	-- pending rows only go through the fold
	PERFORM test_expect('TF010', 'DELETE FROM audit_pending');
	PERFORM test_expect('TF010', 'UPDATE audit_pending SET at = now()');
	PERFORM test_expect('TF010', 'TRUNCATE audit_pending');
	ASSERT tafel_audit_fold(NULL, false) = 1;
	-- the pending rows' arrays are not compressed (0023)
	ASSERT (SELECT array_agg(attname::text ORDER BY attname) FROM pg_attribute
	    WHERE attrelid = 'audit_pending'::regclass AND attstorage = 'e')
	    = ARRAY['entries', 'grp', 'seqs', 'uids'];
	ASSERT (SELECT count = 3 AND last_at - first_at >= interval '1 second'
	    FROM audit_disclosures WHERE case_id = d.c1 AND user_id = d.wijk);
END
$$;
