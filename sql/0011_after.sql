-- 0011 after the meeting: feedback that reaches the submitter.
--
--  * inbox_entries: one row per piece of feedback (terugkoppeling) to the
--    organisation (and person) that submitted a case: an action point on
--    the case completed (with its note) or cancelled (with its reason), or
--    the case moved along its routing or closed.  Made by triggers in the
--    same transaction as the change (sql/functions/58_inbox.sql), pushed
--    on the inbox topic to the recipient organisation's members and the
--    sender; read_at/read_by are the read receipt the sender sees.
--  * organisations.escalation_contact_id and action_points.escalated_at:
--    an action point overdue for escalation_after days is escalated once,
--    as an inbox entry of kind action_overdue to the owner organisation,
--    naming its escalation contact (tafeld's timer calls tafel_escalate).
--  * audit_log.context gains 'inbox' (an inbox read that sent personal
--    data of a case, e.g. an action's note) and 'minutes' (a rendering of
--    a meeting's minutes for a recipient organisation, 58_minutes.sql).
--
-- The functions are in sql/functions/58_inbox.sql, the grants and the
-- policy in 92_after_grants.sql.  docs/schema.md, docs/security.md and
-- docs/protocol.md (section 7.8) describe it.

CREATE TABLE inbox_entries (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('action_done',
			    'action_cancelled', 'case_moved', 'case_closed',
			    'action_overdue')),
	case_id		bigint NOT NULL REFERENCES cases (id),
	action_id	bigint REFERENCES action_points (id),
	recipient_org_id bigint NOT NULL REFERENCES organisations (id),
	recipient_user_id bigint REFERENCES users (id),
	-- NULL: made by tafeld itself (action_overdue)
	sender_id	bigint REFERENCES users (id),
	from_status	text NOT NULL DEFAULT '',
	to_status	text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	read_at		timestamptz,
	read_by		bigint REFERENCES users (id),
	version		bigint NOT NULL DEFAULT 1,
	CHECK ((read_at IS NULL) = (read_by IS NULL)),
	CHECK ((kind LIKE 'action_%') = (action_id IS NOT NULL))
);
CREATE INDEX inbox_entries_recipient_idx
	ON inbox_entries (recipient_org_id, read_at, id);
CREATE INDEX inbox_entries_sender_idx ON inbox_entries (sender_id, id);
CREATE INDEX inbox_entries_case_idx ON inbox_entries (case_id);

ALTER TABLE inbox_entries ENABLE ROW LEVEL SECURITY;

-- Escalation: the organisation's contact for overdue action points (set by
-- tafelctl org escalation-contact) and when an action point was escalated
-- (once).
ALTER TABLE organisations
	ADD COLUMN escalation_contact_id bigint REFERENCES users (id);
ALTER TABLE action_points ADD COLUMN escalated_at timestamptz;
CREATE INDEX action_points_escalation_idx ON action_points (due_date)
	WHERE state = 'open' AND escalated_at IS NULL;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_context_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_context_check
	CHECK (context IN ('snapshot', 'event', 'case_view', 'case_list',
	    'action_list', 'beamer', 'conflict', 'write', 'nomination_list',
	    'inforonde', 'inbox', 'minutes'));

-- the answer kind of mark_inbox_read; the lists keep every earlier value
-- (0008, 0009, and 0010's info_round, proposal and inforonde)
ALTER TABLE write_ops DROP CONSTRAINT write_ops_kind_check;
ALTER TABLE write_ops ADD CONSTRAINT write_ops_kind_check
	CHECK (kind IN ('meeting', 'attendance', 'agenda', 'item', 'action',
	    'case', 'person', 'contribution', 'goal', 'link', 'meetings',
	    'nomination', 'info_round', 'proposal', 'inbox'));

-- Reports (58_reports.sql): the steering group role, which sees totals
-- only; the history of a case's routing (kept by a trigger) for the time
-- spent in each phase.  The history starts here: a case that exists now
-- counts as in its current status since it was created.
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
	CHECK (roles <@ ARRAY['admin', 'chair', 'member', 'observer',
	    'steering']::text[]);

CREATE TABLE case_status_history (
	case_id		bigint NOT NULL REFERENCES cases (id),
	status		text NOT NULL REFERENCES case_statuses (status),
	entered_at	timestamptz NOT NULL,
	PRIMARY KEY (case_id, entered_at, status)
);
INSERT INTO case_status_history (case_id, status, entered_at)
	SELECT id, status, created_at FROM cases;
ALTER TABLE case_status_history ENABLE ROW LEVEL SECURITY;
