-- The database benchmark's measurements (tests/bench/bench_db.sh runs it
-- after db_fixture.sql): server-side milliseconds, measured with
-- clock_timestamp() around each call, p50/p99/max over :runs runs.
--   snapshot: tafel_snapshot of the fixture meeting (50 items, 500 action
--             points) for the police (involved, full view), a housing
--             corporation member (member of the series, partial view) and
--             the chair;
--   render:   tafel_events_for of one change (an action point created on a
--             case of the meeting) for 1 viewer and for 10 viewers in 10
--             different classes, and of an agenda change making an item
--             current (the heaviest payload: the case and its actions).
\set ON_ERROR_STOP on
CREATE TEMP TABLE bench_t (n serial, what text, ms float8);

CREATE OR REPLACE FUNCTION pg_temp.bench(p_what text, p_sql text, p_runs int)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	i int;
BEGIN
	EXECUTE p_sql;		-- warm the caches and plans
	FOR i IN 1..p_runs LOOP
		t0 := clock_timestamp();
		EXECUTE p_sql;
		INSERT INTO bench_t (what, ms) VALUES (p_what,
		    extract(epoch FROM clock_timestamp() - t0) * 1000);
	END LOOP;
END
$$;

SELECT max(id) AS meeting FROM meetings \gset
SELECT FROM pg_temp.bench('snapshot police', format(
    'SELECT tafel_snapshot((SELECT id FROM users WHERE login = %L), %s)',
    'politie', :meeting), :runs);
SELECT FROM pg_temp.bench('snapshot housing', format(
    'SELECT tafel_snapshot((SELECT id FROM users WHERE login = %L), %s)',
    'woningcorporatie', :meeting), :runs);
SELECT FROM pg_temp.bench('snapshot chair', format(
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
SELECT count(DISTINCT class) AS classes_of_10 FROM tafel_viewer_classes(:'viewers10', false);
SELECT FROM pg_temp.bench('render action, 1 class', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers1'), :runs);
SELECT FROM pg_temp.bench('render action, 10 viewers', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers10'), :runs);

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
SELECT FROM pg_temp.bench('render current item, 1 class', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers1'), :runs);
SELECT FROM pg_temp.bench('render current item, 10 viewers', format(
    'SELECT count(*) FROM tafel_events_for(%s, %L)', :seq, :'viewers10'), :runs);

SELECT what, count(*) AS runs,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p50_ms,
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p99_ms,
    round(max(ms)::numeric, 1) AS max_ms
FROM bench_t GROUP BY what ORDER BY min(n);
