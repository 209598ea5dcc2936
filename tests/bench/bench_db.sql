-- The database benchmark's measurements (tests/bench/bench_db.sh runs it
-- after db_fixture.sql): server-side milliseconds, measured with
-- clock_timestamp() around each call, p50/p99/max over :runs runs.
--   snapshot: tafel_snapshot of the fixture meeting (50 items, 500 action
--             points) for the police (involved, full view), a housing
--             corporation member (member of the series, partial view) and
--             the chair;
--   render:   tafel_events_for of one change (an action point created on a
--             case of the meeting) for 1 viewer, for 10 viewers in 10
--             different classes, and for 100 viewers (the chair and 99
--             members spread over the series' organisations, several per
--             organisation, as tafel_bench fanout 100 has them), and of an
--             agenda change making an item current (the heaviest payload:
--             the case and its actions).
--   audit:    recording what one change disclosed to 100 and to 1000
--             viewers of one class (tafel_audit_disclose_classes: one
--             audit_pending row since 0014; with the function files of
--             848fffa loaded, their upsert of one audit_disclosures row per
--             viewer), and folding 50 such changes to 1000 viewers
--             (tafel_audit_fold, measured without its commit, where there
--             is one);
--   classify: tafel_viewer_classes of 1000 viewers.
-- Every run is its own transaction, as the server's calls are: the figure
-- includes the COMMIT (the disclosures' WAL flush); commit_ms is that part.
\set ON_ERROR_STOP on
CREATE TABLE pg_temp.bench_t (n serial, what text, ms float8, commit_ms float8);

CREATE OR REPLACE PROCEDURE pg_temp.bench(p_what text, p_sql text, p_runs int)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	t1 timestamptz;
	i int;
BEGIN
	EXECUTE p_sql;		-- warm the caches and plans
	COMMIT;
	FOR i IN 1..p_runs LOOP
		t0 := clock_timestamp();
		EXECUTE p_sql;
		t1 := clock_timestamp();
		COMMIT;
		INSERT INTO pg_temp.bench_t (what, ms, commit_ms) VALUES (p_what,
		    extract(epoch FROM clock_timestamp() - t0) * 1000,
		    extract(epoch FROM clock_timestamp() - t1) * 1000);
		COMMIT;
	END LOOP;
END
$$;

SELECT max(id) AS meeting FROM meetings \gset
CALL pg_temp.bench('snapshot police', format(
    'SELECT tafel_snapshot((SELECT id FROM users WHERE login = %L), %s)',
    'politie', :meeting), :runs);
CALL pg_temp.bench('snapshot housing', format(
    'SELECT tafel_snapshot((SELECT id FROM users WHERE login = %L), %s)',
    'woningcorporatie', :meeting), :runs);
CALL pg_temp.bench('snapshot chair', format(
    'SELECT tafel_snapshot((SELECT id FROM users WHERE login = %L), %s)',
    'voorzitter', :meeting), :runs);

-- a change to render: an action point on the meeting's first case
SELECT tafel_write((SELECT id FROM users WHERE login = 'voorzitter'),
    'bench-db-action-' || md5(clock_timestamp()::text), 'create_action',
    jsonb_build_object('case_id', (SELECT case_id FROM agenda_items
	WHERE meeting_id = :meeting ORDER BY position LIMIT 1),
	'meeting_id', :meeting, 'description', 'Bench: bellen met Anna',
	'due_date', to_char(current_date + 7, 'YYYY-MM-DD'),
	'owner_org_id', (SELECT id FROM organisations WHERE kind = 'police'
	    ORDER BY id LIMIT 1))) IS NOT NULL AS wrote;
SELECT max(seq) AS seq FROM changelog \gset
-- ten viewers in ten classes: one user of each of ten organisations that
-- may follow the meeting (members of its series), first one alone
SELECT jsonb_agg(jsonb_build_object('user_id', x.id, 'meeting_id', :meeting)
    ORDER BY x.id) AS viewers10,
    jsonb_build_array(jsonb_build_object('user_id',
	(SELECT id FROM users WHERE login = 'politie'), 'meeting_id', :meeting))
	AS viewers1
FROM (SELECT DISTINCT ON (u.org_id) u.id FROM users u
    JOIN series_members sm ON sm.org_id = u.org_id
    WHERE sm.series_id = (SELECT series_id FROM meetings WHERE id = :meeting)
	AND NOT u.disabled AND u.roles && ARRAY['member', 'chair', 'admin']
    ORDER BY u.org_id, u.id LIMIT 10) x \gset
-- a hundred: the chair and 99 members of the series' organisations in turn
INSERT INTO users (login, display_name, org_id, password_hash, roles)
SELECT 'benchdb' || g, 'Bench ' || g, o.a[1 + g % array_length(o.a, 1)],
    (SELECT password_hash FROM users WHERE login = 'voorzitter'), '{member}'
FROM generate_series(1, 99) g, (SELECT array_agg(sm.org_id ORDER BY sm.org_id) a
    FROM series_members sm JOIN meetings m ON m.series_id = sm.series_id
    WHERE m.id = :meeting) o
ON CONFLICT (login) DO NOTHING;
SELECT jsonb_build_array(jsonb_build_object('user_id', (SELECT id FROM users
    WHERE login = 'voorzitter'), 'meeting_id', :meeting))
    || jsonb_agg(jsonb_build_object('user_id', u.id, 'meeting_id', :meeting)
	ORDER BY u.id) AS viewers100
FROM users u WHERE u.login LIKE 'benchdb%' \gset
SELECT count(DISTINCT class) AS classes_of_10 FROM tafel_viewer_classes(:'viewers10', false);
SELECT count(DISTINCT class) AS classes_of_100 FROM tafel_viewer_classes(:'viewers100', false);
CALL pg_temp.bench('render action, 1 class', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers1'), :runs);
CALL pg_temp.bench('render action, 10 viewers', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers10'), :runs);
CALL pg_temp.bench('render action, 100 viewers', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers100'), :runs);

-- the heaviest change: an item made current carries its case and actions
SELECT tafel_write((SELECT id FROM users WHERE login = 'voorzitter'),
    'bench-db-open-' || md5(clock_timestamp()::text), 'open_meeting',
    jsonb_build_object('meeting_id', :meeting, 'version', m.version))
    IS NOT NULL AS opened
FROM meetings m WHERE m.id = :meeting AND m.state = 'planned';
SELECT tafel_write((SELECT id FROM users WHERE login = 'voorzitter'),
    'bench-db-current-' || md5(clock_timestamp()::text), 'set_current_item',
    jsonb_build_object('meeting_id', :meeting, 'item_id', (SELECT id
	FROM agenda_items WHERE meeting_id = :meeting ORDER BY position
	LIMIT 1))) IS NOT NULL AS current;
SELECT max(seq) AS seq FROM changelog \gset
CALL pg_temp.bench('render current item, 1 class', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers1'), :runs);
CALL pg_temp.bench('render current item, 10 viewers', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers10'), :runs);
CALL pg_temp.bench('render current item, 100 viewers', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers100'), :runs);

-- The audit and the classification: 1000 more members, one audit entry
-- (the fixture case, two categories) disclosed to one class of them.
INSERT INTO users (login, display_name, org_id, password_hash, roles)
SELECT 'benchdbk' || g, 'Bench K' || g, (SELECT min(id) FROM organisations),
    (SELECT password_hash FROM users WHERE login = 'voorzitter'), '{member}'
FROM generate_series(1, 1000) g
ON CONFLICT (login) DO NOTHING;
SELECT jsonb_agg(jsonb_build_object('user_id', u.id, 'meeting_id', :meeting)
    ORDER BY u.id) AS viewers1000,
    array_agg(u.id ORDER BY u.id) AS uids1000,
    (array_agg(u.id ORDER BY u.id))[1:100] AS uids100
FROM users u WHERE u.login LIKE 'benchdbk%' \gset
SELECT ARRAY[jsonb_build_array(jsonb_build_object('org_id',
    (SELECT min(id) FROM organisations), 'case_id', (SELECT case_id
	FROM agenda_items WHERE meeting_id = :meeting ORDER BY position
	LIMIT 1), 'categories', '{person_names,case_summary}'::text[],
    'meeting_id', :meeting, 'context', 'event'))]::text AS entry \gset
-- the recording as the loaded functions have it: session 5's three
-- arguments (an upsert per viewer) or 0014's four (one pending row)
SELECT CASE WHEN to_regprocedure('tafel_audit_disclose_classes(jsonb[],'
    || 'integer[],bigint[])') IS NOT NULL
    THEN 'SELECT tafel_audit_disclose_classes(%L::jsonb[], %L::int[], %L::bigint[])'
    ELSE 'SELECT tafel_audit_disclose_classes(%L::jsonb[], ''{1}'', %L::int[], '
	|| '%L::bigint[])' END AS record_sql,
    to_regprocedure('tafel_audit_disclose_classes(jsonb[],integer[],'
	|| 'bigint[])') IS NULL AS pending \gset
CALL pg_temp.bench('classify 1000 viewers', format(
    'SELECT count(*) FROM tafel_viewer_classes(%L, false)', :'viewers1000'),
    :runs);
CALL pg_temp.bench('record audit, 100 viewers', format(:'record_sql',
    :'entry', array_fill(1, ARRAY[100]), :'uids100'), :runs);
CALL pg_temp.bench('record audit, 1000 viewers', format(:'record_sql',
    :'entry', array_fill(1, ARRAY[1000]), :'uids1000'), :runs);
-- the fold of 50 recorded changes, inside the transaction that recorded
-- them (so that tafeld's own fold, every second, cannot take them)
CREATE OR REPLACE PROCEDURE pg_temp.bench_fold(p_entry jsonb[],
    p_uids bigint[], p_runs int)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	i int;
	k int;
BEGIN
	FOR i IN 0..p_runs LOOP
		FOR k IN 1..50 LOOP
			PERFORM tafel_audit_disclose_classes(p_entry,
			    ARRAY[k::bigint], array_fill(1, ARRAY[cardinality(p_uids)]),
			    p_uids);
		END LOOP;
		t0 := clock_timestamp();
		PERFORM tafel_audit_fold(NULL, true);
		IF i > 0 THEN	-- the first warms the caches and plans
			INSERT INTO pg_temp.bench_t (what, ms) VALUES (
			    'fold 50 changes x 1000 viewers',
			    extract(epoch FROM clock_timestamp() - t0) * 1000);
		END IF;
		COMMIT;
	END LOOP;
END
$$;
\if :pending
CALL pg_temp.bench_fold(:'entry', :'uids1000', least(:runs, 10));
\endif

SELECT what, count(*) AS runs,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p50_ms,
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p99_ms,
    round(max(ms)::numeric, 1) AS max_ms,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY commit_ms)::numeric, 1)
	AS commit_p50
FROM pg_temp.bench_t GROUP BY what ORDER BY min(n);
