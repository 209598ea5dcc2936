-- 0006 attendance: presence over time; the write ops as a table.
--
--  * attendance_periods: when each user arrived at and left a meeting (kept
--    by a trigger on attendance.present, ended when the meeting closes; see
--    sql/functions/88_triggers.sql).  Presence earns access to a case only
--    for the agenda items opened while the organisation was present
--    (tafel_org_opened), never for items opened before the arrival or for
--    earlier meetings.  Existing attendance the new rules would have
--    refused is removed; the rest gets its periods.
--  * write_ops: one row per write operation (name, kind, routing), filled by
--    sql/functions/50_write.sql; tafel_write and tafel_log_change read it.
--    changelog.op records the operation of each change.
--
-- The rules of record_attendance, open_meeting and get_case that go with
-- it are functions (sql/functions/).  docs/schema.md and docs/security.md
-- ("Attendance") describe them.

-- ---------------------------------------------------------------------------
-- Schema
-- ---------------------------------------------------------------------------

CREATE TABLE attendance_periods (
	meeting_id	bigint NOT NULL,
	user_id		bigint NOT NULL,
	-- the user's organisation during the period
	org_id		bigint NOT NULL REFERENCES organisations (id),
	arrived_at	timestamptz NOT NULL,
	left_at		timestamptz,
	CHECK (left_at IS NULL OR left_at >= arrived_at),
	FOREIGN KEY (meeting_id, user_id)
	    REFERENCES attendance (meeting_id, user_id) ON DELETE CASCADE
);

CREATE INDEX attendance_periods_user_idx
	ON attendance_periods (meeting_id, user_id, arrived_at);
CREATE INDEX attendance_periods_org_idx
	ON attendance_periods (org_id, meeting_id);
-- at most one open period per user and meeting
CREATE UNIQUE INDEX attendance_periods_open_key
	ON attendance_periods (meeting_id, user_id) WHERE left_at IS NULL;

-- Attendance the new rules would have refused: recorded by the user
-- themselves for a meeting of a series their organisation is no member of
-- and that nobody else invited it to, or recorded after the meeting closed
-- by anyone but its chair.  It earned access it should not have; it goes.
DELETE FROM attendance a
USING meetings m
WHERE m.id = a.meeting_id
    AND ((a.updated_by = a.user_id AND a.user_id <> m.chair_id
	    AND NOT EXISTS (SELECT 1 FROM users x
		WHERE x.id = a.user_id AND 'admin' = ANY (x.roles))
	    AND NOT EXISTS (SELECT 1 FROM series_members sm
		WHERE sm.series_id = m.series_id AND sm.org_id = a.org_id)
	    AND NOT EXISTS (SELECT 1 FROM attendance o
		WHERE o.meeting_id = a.meeting_id AND o.org_id = a.org_id
		    AND o.updated_by IS DISTINCT FROM o.user_id))
	OR (m.closed_at IS NOT NULL AND a.created_at > m.closed_at
	    AND a.updated_by IS DISTINCT FROM m.chair_id));

-- The periods of the attendance recorded so far: present rows recorded
-- by the chair, or before the meeting opened, count from the opening;
-- others from when they were recorded; all end when the meeting closed.
INSERT INTO attendance_periods (meeting_id, user_id, org_id, arrived_at,
    left_at)
SELECT a.meeting_id, a.user_id, a.org_id, x.arrived, m.closed_at
FROM attendance a
JOIN meetings m ON m.id = a.meeting_id
CROSS JOIN LATERAL (SELECT CASE
    WHEN m.opened_at IS NULL THEN a.updated_at
    WHEN a.created_at <= m.opened_at
	OR a.updated_by IS NOT DISTINCT FROM m.chair_id THEN m.opened_at
    ELSE a.updated_at END AS arrived) x
WHERE a.present AND (m.closed_at IS NULL OR x.arrived <= m.closed_at);

ALTER TABLE attendance_periods ENABLE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------------------
-- The write operations
-- ---------------------------------------------------------------------------

CREATE TABLE write_ops (
	-- the Envelope body name of the request; tafel_op_<name> carries it out
	name		text PRIMARY KEY CHECK (name ~ '^[a-z][a-z_]*$'),
	-- the record the answer holds (how tafel_write renders it)
	kind		text NOT NULL CHECK (kind IN ('meeting', 'attendance',
			    'agenda', 'item', 'action', 'case', 'person')),
	-- the ids a change of this op carries for routing (changelog
	-- meeting_id, case_id, org_ids)
	routing		text[] NOT NULL CHECK (cardinality(routing) > 0
			    AND routing <@ ARRAY['meeting', 'case', 'orgs'])
);

ALTER TABLE changelog ADD COLUMN op text;
