-- Join snapshots kept per class of viewers (tafel_snapshot_cached, 60_read.sql;
-- data_writes, 0024).  Every viewer of one class gets the same snapshot
-- and the same audit rows (bar the user id), so one rendering may be
-- sent to them all; the shared screen and anyone for whom something
-- depends on the person get no class; a write, even one still running,
-- makes a kept snapshot stale; every table a rendering can read records
-- its writers.

-- every table but the unwatched ones has both triggers
DO $$
DECLARE
	v_missing text[];
BEGIN
	SELECT array_agg(c.relname ORDER BY c.relname) INTO v_missing
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind = 'r'
	    AND NOT c.relname = ANY (tafel_unwatched_tables())
	    AND (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid
		AND t.tgname IN ('tafel_data_written', 'tafel_data_truncated')) <> 2;
	ASSERT v_missing IS NULL, 'tables without the write triggers: '
	    || v_missing::text;
	ASSERT (SELECT count(*) FROM pg_class c
	    JOIN pg_namespace n ON n.oid = c.relnamespace
	    WHERE n.nspname = 'public' AND c.relkind = 'r') > 30;
END
$$;

-- the same class, the same snapshot and audit: every demo user with a
-- class, in every meeting they may see
DO $$
DECLARE
	r record;
	v_classes int := 0;
	v_shared int := 0;
BEGIN
	CREATE TEMP TABLE snaps ON COMMIT DROP AS
	SELECT u.id AS uid, m.id AS mid, c.key, c.body::text AS body,
	    c.entries::text AS entries, c.hit
	FROM users u CROSS JOIN meetings m
	CROSS JOIN LATERAL tafel_snapshot_cached(u.id, m.id, false, NULL, NULL,
	    NULL, NULL) c
	WHERE NOT u.disabled AND u.roles <> ARRAY['steering']
	    AND tafel_may_see_meeting(u, m.id);
	ASSERT NOT EXISTS (SELECT 1 FROM snaps WHERE hit OR body IS NULL);
	FOR r IN SELECT s.mid, s.key, count(*) AS n,
	    count(DISTINCT s.body) AS bodies,
	    count(DISTINCT s.entries) AS audits
	    FROM snaps s WHERE s.key IS NOT NULL GROUP BY s.mid, s.key LOOP
		v_classes := v_classes + 1;
		ASSERT r.bodies = 1 AND r.audits = 1, format('class %s of '
		    || 'meeting %s: %s snapshots, %s audits for %s viewers',
		    r.key, r.mid, r.bodies, r.audits, r.n);
		IF r.n > 1 THEN
			v_shared := v_shared + 1;
		END IF;
	END LOOP;
	-- not vacuous: classes with several members, some with audit rows
	ASSERT v_shared >= 3, format('%s classes, %s with more than one viewer',
	    v_classes, v_shared);
	ASSERT EXISTS (SELECT 1 FROM snaps WHERE key IS NOT NULL
	    AND entries <> '[]');
	-- the audit rows each viewer's call wrote are its entries
	ASSERT NOT EXISTS (SELECT 1 FROM snaps s WHERE s.key IS NOT NULL
	    AND (SELECT count(*) FROM audit_log a WHERE a.user_id = s.uid
		AND a.meeting_id = s.mid)
		<> jsonb_array_length(s.entries::jsonb));
	-- organisations differ, so do classes
	ASSERT (SELECT count(DISTINCT s.key) FROM snaps s
	    WHERE s.uid IN (test_uid('politie'), test_uid('jeugdzorg'),
		test_uid('waarnemer')) AND s.mid = (SELECT min(mid) FROM snaps
		WHERE uid = test_uid('waarnemer'))) = 3;
END
$$;

-- no class: the meeting's chair, an administrator, the shared screen
DO $$
DECLARE
	v_m bigint := test_meeting(test_series('casusoverleg_hg'),
	    interval '2 hours');
	c record;
BEGIN
	SELECT * INTO c FROM tafel_snapshot_cached(test_uid('voorzitter'), v_m,
	    false, NULL, NULL, NULL, NULL);
	ASSERT c.key IS NULL AND c.body IS NOT NULL;
	SELECT * INTO c FROM tafel_snapshot_cached(test_uid('admin'), v_m,
	    false, NULL, NULL, NULL, NULL);
	ASSERT c.key IS NULL AND c.body IS NOT NULL;
	SELECT * INTO c FROM tafel_snapshot_cached(test_uid('voorzitter'), v_m,
	    true, NULL, NULL, NULL, NULL);
	ASSERT c.key IS NULL AND c.body IS NOT NULL;
	-- the checks of every snapshot come first, kept one or not
	ASSERT test_err(format('SELECT tafel_snapshot_cached(%s, %s, true, '
	    || 'NULL, NULL, NULL, NULL)', test_uid('politie'), v_m))
	    ->> 'code' = 'TF010';
	ASSERT test_err(format('SELECT tafel_snapshot_cached(%s, 999999, false, '
	    || 'NULL, NULL, NULL, NULL)', test_uid('politie'))) ->> 'code'
	    = 'TF016';
END
$$;

-- a hit, and stale after a write.  A test is one transaction, and its own
-- writes (the demo data, the meetings above) are not in any snapshot it
-- takes, so they are taken for ones made before it began; a write after
-- that is seen as every other session sees one still running
DO $$
DECLARE
	v_m bigint := (SELECT min(m.id) FROM meetings m
	    WHERE tafel_may_see_meeting(tafel_actor(test_uid('politie')), m.id));
	v_before bigint := (SELECT count(*) FROM audit_log
	    WHERE user_id = test_uid('wijkagent') AND meeting_id = v_m);
	a record;
	b record;
BEGIN
	DELETE FROM data_writes WHERE xid = pg_current_xact_id();
	PERFORM set_config('tafel.wrote', '', true);
	SELECT * INTO a FROM tafel_snapshot_cached(test_uid('politie'), v_m,
	    false, NULL, NULL, NULL, NULL);
	ASSERT a.key IS NOT NULL AND NOT a.hit
	    AND jsonb_array_length(a.entries) > 0;
	-- another class's key is no hit
	SELECT * INTO b FROM tafel_snapshot_cached(test_uid('jeugdzorg'), v_m,
	    false, a.key, a.snap, a.at, a.entries);
	ASSERT NOT b.hit AND b.body IS NOT NULL AND b.key <> a.key;
	-- the same class: a hit, audited as the rendering was
	SELECT * INTO b FROM tafel_snapshot_cached(test_uid('wijkagent'), v_m,
	    false, a.key, a.snap, a.at, a.entries);
	ASSERT b.hit AND b.body IS NULL AND b.key = a.key
	    AND b.entries = a.entries;
	ASSERT (SELECT count(*) FROM audit_log WHERE user_id = test_uid('wijkagent')
	    AND meeting_id = v_m) = v_before + jsonb_array_length(a.entries);
	ASSERT (SELECT array_agg(ARRAY[org_id, case_id] ORDER BY id)
	    FROM (SELECT * FROM audit_log WHERE user_id = test_uid('wijkagent')
		AND meeting_id = v_m ORDER BY id DESC
		LIMIT jsonb_array_length(a.entries)) x)
	    = (SELECT array_agg(ARRAY[(e ->> 'org_id')::bigint,
		(e ->> 'case_id')::bigint] ORDER BY i)
		FROM jsonb_array_elements(a.entries) WITH ORDINALITY t(e, i));
	-- a kept snapshot from the future or too old is no hit
	SELECT * INTO b FROM tafel_snapshot_cached(test_uid('wijkagent'), v_m,
	    false, a.key, a.snap, now() + interval '1 second', a.entries);
	ASSERT NOT b.hit;
	-- a write, and the snapshot kept before it is stale
	PERFORM test_case('om', 'Een schrijver');
	ASSERT EXISTS (SELECT 1 FROM data_writes
	    WHERE xid = pg_current_xact_id());
	SELECT * INTO b FROM tafel_snapshot_cached(test_uid('wijkagent'), v_m,
	    false, a.key, a.snap, a.at, a.entries);
	ASSERT NOT b.hit AND b.body IS NOT NULL AND b.key = a.key;
	-- so is one whose snapshot reaches below the floor
	DELETE FROM data_writes WHERE xid = pg_current_xact_id();
	ASSERT tafel_unchanged_since(a.snap::pg_snapshot, a.at);
	UPDATE data_write_floor SET floor_xid = (pg_snapshot_xmin(
	    a.snap::pg_snapshot)::text::bigint + 1)::text::xid8;
	ASSERT NOT tafel_unchanged_since(a.snap::pg_snapshot, a.at);
	-- forgetting moves the floor to the oldest transaction running, and
	-- drops rows of transactions yet to come (restored from another
	-- cluster's backup)
	INSERT INTO data_writes (xid) VALUES (pg_current_xact_id());
	INSERT INTO data_writes (xid) VALUES ((pg_snapshot_xmax(
	    pg_current_snapshot())::text::bigint + 1000000)::text::xid8);
	PERFORM tafel_forget_writes();
	ASSERT NOT EXISTS (SELECT 1 FROM data_writes
	    WHERE xid >= pg_snapshot_xmax(pg_current_snapshot())
	    AND xid <> pg_current_xact_id());
	ASSERT (SELECT floor_xid FROM data_write_floor)
	    = pg_snapshot_xmin(pg_current_snapshot());
	ASSERT EXISTS (SELECT 1 FROM data_writes
	    WHERE xid = pg_current_xact_id());
END
$$;

-- stale by the clock: a case whose twelve months ran out since, and a
-- snapshot from another day or from the future
DO $$
DECLARE
	v_c bigint := test_case('politie', 'Lang geleden');
	v_s pg_snapshot;
BEGIN
	-- this transaction's writes taken for ones made before (above)
	DELETE FROM data_writes WHERE xid = pg_current_xact_id();
	v_s := pg_current_snapshot();
	ASSERT tafel_unchanged_since(v_s, now() - interval '20 seconds');
	UPDATE cases SET status = 'closed',
	    created_at = now() - interval '13 months',
	    closed_at = now() - interval '12 months' - interval '10 seconds'
	WHERE id = v_c;
	ASSERT NOT tafel_case_recent((SELECT c FROM cases c WHERE c.id = v_c));
	-- recent twenty seconds ago, not now
	ASSERT NOT tafel_unchanged_since(v_s, now() - interval '20 seconds');
	-- not recent then either: no change
	ASSERT tafel_unchanged_since(v_s, now() - interval '5 seconds');
	ASSERT NOT tafel_unchanged_since(v_s, now() + interval '1 second');
	ASSERT NOT tafel_unchanged_since(v_s, now() - interval '61 minutes');
END
$$;
