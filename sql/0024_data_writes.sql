-- 0024 which transactions wrote the register: what tells a cached join snapshot from a stale one.
--
--  * data_writes: one row per transaction that inserted, updated,
--    deleted or truncated rows of any table a rendering can read (every
--    table but the audit, the idempotency keys and the resume tickets:
--    tafel_unwatched_tables, 88_triggers.sql, which also attaches the
--    trigger that writes the row).  A snapshot of a meeting rendered under
--    the MVCC snapshot S (pg_current_snapshot) is still what a new
--    rendering would give as long as no row here is visible now that was
--    not visible in S: a writer in progress at S and committed since is
--    caught the same way as one that began later.  tafeld keeps join
--    snapshots per class of viewers on that condition
--    (tafel_snapshot_cached, 60_read.sql; docs/architecture.md, "Join
--    snapshots").
--  * data_write_floor: rows are forgotten below it (tafel_forget_writes,
--    every maintenance run); a cached snapshot whose S reaches below the
--    floor counts as stale, so forgetting never makes a stale one look
--    current.
--  * Nothing personal; row-level security with no policy (nothing for
--    tafel_app): only the SECURITY DEFINER trigger and functions touch
--    them.
--  * cases by closed_at and created_at: the check that no case's twelve
--    months (tafel_case_recent) ran out since a snapshot was rendered.

CREATE TABLE data_writes (
	xid		xid8 PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp()
);
ALTER TABLE data_writes ENABLE ROW LEVEL SECURITY;

CREATE TABLE data_write_floor (
	id		int PRIMARY KEY CHECK (id = 1),
	floor_xid	xid8 NOT NULL
);
ALTER TABLE data_write_floor ENABLE ROW LEVEL SECURITY;
INSERT INTO data_write_floor VALUES (1, pg_snapshot_xmin(pg_current_snapshot()));

CREATE INDEX cases_closed_at_idx ON cases (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX cases_created_at_idx ON cases (created_at);
