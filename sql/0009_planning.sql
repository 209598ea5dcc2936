-- 0009 planning: meetings can be cancelled, and partners nominate cases
-- for the next meeting of a series.
--
--  * meetings.state gains 'cancelled' (planned -> cancelled), with
--    cancel_reason, cancelled_at and cancelled_by.
--  * nominations: a case proposed for a series by an organisation, with
--    its reason; the chair accepts it (the case goes on the agenda of a
--    meeting: meeting_id, agenda_item_id) or declines it (decline_reason).
--    At most one pending nomination per case and series.
--  * write_ops.kind gains 'meetings' (plan_meetings answers a MeetingList)
--    and 'nomination'.
--
-- The functions are in sql/functions/56_planning.sql, the policy and
-- grants in 90_grants.sql.  docs/schema.md and docs/protocol.md
-- ("Planning and nominations") describe the rules; docs/security.md who
-- sees a nomination.

ALTER TABLE meetings DROP CONSTRAINT meetings_state_check;
ALTER TABLE meetings ADD CONSTRAINT meetings_state_check
	CHECK (state IN ('planned', 'open', 'closed', 'cancelled'));
ALTER TABLE meetings
	ADD COLUMN cancel_reason text NOT NULL DEFAULT ''
	    CHECK (length(cancel_reason) <= 500),
	ADD COLUMN cancelled_at timestamptz,
	ADD COLUMN cancelled_by bigint REFERENCES users (id),
	ADD CONSTRAINT meetings_cancelled_check
	    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL));

CREATE TABLE nominations (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	series_id	bigint NOT NULL REFERENCES series (id),
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	nominated_by	bigint NOT NULL REFERENCES users (id),
	reason		text NOT NULL CHECK (length(reason) <= 2000),
	state		text NOT NULL DEFAULT 'pending'
			    CHECK (state IN ('pending', 'accepted', 'declined')),
	meeting_id	bigint REFERENCES meetings (id),
	agenda_item_id	bigint REFERENCES agenda_items (id) ON DELETE SET NULL,
	decline_reason	text NOT NULL DEFAULT ''
			    CHECK (length(decline_reason) <= 2000),
	decided_by	bigint REFERENCES users (id),
	decided_at	timestamptz,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	CHECK ((state = 'pending') = (decided_at IS NULL)),
	CHECK (state <> 'accepted' OR meeting_id IS NOT NULL)
);

CREATE UNIQUE INDEX nominations_pending_idx ON nominations (case_id, series_id)
	WHERE state = 'pending';
CREATE INDEX nominations_series_idx ON nominations (series_id, state);
CREATE INDEX nominations_org_idx ON nominations (org_id);

ALTER TABLE nominations ENABLE ROW LEVEL SECURITY;

ALTER TABLE write_ops DROP CONSTRAINT write_ops_kind_check;
ALTER TABLE write_ops ADD CONSTRAINT write_ops_kind_check
	CHECK (kind IN ('meeting', 'attendance', 'agenda', 'item', 'action',
	    'case', 'person', 'contribution', 'goal', 'link', 'meetings',
	    'nomination'));

-- the read audit knows the nomination list
ALTER TABLE audit_log DROP CONSTRAINT audit_log_context_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_context_check
	CHECK (context IN ('snapshot', 'event', 'case_view', 'case_list',
	    'action_list', 'beamer', 'conflict', 'write', 'nomination_list'));
