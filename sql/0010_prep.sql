-- 0010 before the meeting: legal clocks on a case.
--
--  * clock_kinds: the kinds of legal clock and their rules, kept by the
--    administrator (tafelctl clock-kind); shipped with the temporary
--    restraining order, police custody and pre-trial detention.
--  * case_clocks: the clocks a case carries.
--  * info_rounds, info_round_orgs: the info round (inforonde) on a case,
--    the organisations asked and their answers.
--  * proposal_declines: the chair's declined agenda proposals, with the
--    reason (kept).
--  * meetings.published_at/published_by: the agenda's publication;
--    series.publish_days_before: when it is due (working days before the
--    meeting; default 1); agenda_items.added_after_publication.
--  * write_ops.kind gains info_round and proposal; audit_log.context gains inforonde
--    (the identifying data an asked organisation reads for the round).
--
-- The functions are in sql/functions/17_prep_base.sql (the clocks of a
-- case as JSON, used by tafel_json_case) and 57_prep.sql (the writes).
-- docs/schema.md and docs/protocol.md (section 7.9) describe it.

CREATE TABLE clock_kinds (
	name		text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$'),
	-- shown to users: "huisverbod"
	label		text NOT NULL CHECK (label <> ''),
	-- the clock's length from its start; 0: the end date is given when
	-- the clock is set (custody, detention)
	initial_days	integer NOT NULL CHECK (initial_days BETWEEN 0 AND 3650),
	-- extensions by decision up to this many days in total; NULL: the
	-- clock cannot be extended
	max_total_days	integer CHECK (max_total_days BETWEEN 1 AND 3650),
	-- the kind has a review hearing date
	has_hearing	boolean NOT NULL DEFAULT false,
	-- the organisation kind that must be told before the clock ends
	-- (organisations.kind, e.g. 'probation'); '' none
	notify_org_kind	text NOT NULL DEFAULT '',
	-- ... this many days before the end
	notify_days_before integer NOT NULL DEFAULT 0
			    CHECK (notify_days_before BETWEEN 0 AND 365),
	active		boolean NOT NULL DEFAULT true,
	CHECK (max_total_days IS NULL OR max_total_days >= initial_days)
);

INSERT INTO clock_kinds (name, label, initial_days, max_total_days,
    has_hearing, notify_org_kind, notify_days_before) VALUES
	('huisverbod', 'huisverbod', 10, 28, true, '', 0),
	('police_custody', 'inverzekeringstelling', 0, NULL, false,
	    'probation', 1),
	('pretrial_detention', 'voorlopige hechtenis', 0, NULL, false,
	    'probation', 14);

CREATE TABLE case_clocks (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	kind		text NOT NULL REFERENCES clock_kinds (name),
	-- the order / the start (day 1)
	starts_on	date NOT NULL,
	-- the last day the clock runs
	ends_on		date NOT NULL,
	hearing_date	date,
	extensions	integer NOT NULL DEFAULT 0,
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	version		bigint NOT NULL DEFAULT 1,
	created_by	bigint REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (ends_on >= starts_on)
);
CREATE INDEX case_clocks_case_idx ON case_clocks (case_id);
CREATE INDEX case_clocks_ends_idx ON case_clocks (ends_on);

-- The info round: the process manager asks organisations whether they know
-- the persons of a case; one open round per case.
CREATE TABLE info_rounds (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	reply_by	date NOT NULL,
	state		text NOT NULL DEFAULT 'open'
			    CHECK (state IN ('open', 'closed')),
	started_by	bigint NOT NULL REFERENCES users (id),
	started_at	timestamptz NOT NULL DEFAULT now(),
	closed_by	bigint REFERENCES users (id),
	closed_at	timestamptz,
	version		bigint NOT NULL DEFAULT 1,
	CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX info_rounds_open_key ON info_rounds (case_id)
	WHERE state = 'open';

CREATE TABLE info_round_orgs (
	round_id	bigint NOT NULL REFERENCES info_rounds (id)
			    ON DELETE CASCADE,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	-- NULL: not answered yet
	answer		text CHECK (answer IN ('known', 'not_known')),
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	answered_by	bigint REFERENCES users (id),
	answered_at	timestamptz,
	PRIMARY KEY (round_id, org_id)
);
CREATE INDEX info_round_orgs_org_idx ON info_round_orgs (org_id);

-- The agenda proposes itself (57_prep.sql computes the proposals); what
-- the chair declined stays declined for that meeting, with the reason.
CREATE TABLE proposal_declines (
	meeting_id	bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	-- the proposal's reason codes when it was declined
	reasons		text[] NOT NULL DEFAULT '{}',
	decline_reason	text NOT NULL CHECK (btrim(decline_reason) <> ''
			    AND length(decline_reason) <= 500),
	declined_by	bigint NOT NULL REFERENCES users (id),
	declined_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (meeting_id, case_id)
);

-- Publishing the agenda.
ALTER TABLE meetings
	ADD COLUMN published_at timestamptz,
	ADD COLUMN published_by bigint REFERENCES users (id);
ALTER TABLE series ADD COLUMN publish_days_before integer NOT NULL DEFAULT 1
	CHECK (publish_days_before BETWEEN 0 AND 20);
ALTER TABLE agenda_items ADD COLUMN added_after_publication boolean
	NOT NULL DEFAULT false;

ALTER TABLE write_ops DROP CONSTRAINT write_ops_kind_check;
ALTER TABLE write_ops ADD CONSTRAINT write_ops_kind_check
	CHECK (kind IN ('meeting', 'attendance', 'agenda', 'item', 'action',
	    'case', 'person', 'contribution', 'goal', 'link', 'meetings',
	    'nomination', 'info_round', 'proposal'));

ALTER TABLE audit_log DROP CONSTRAINT audit_log_context_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_context_check
	CHECK (context IN ('snapshot', 'event', 'case_view', 'case_list',
	    'action_list', 'beamer', 'conflict', 'write', 'nomination_list',
	    'inforonde'));

ALTER TABLE proposal_declines ENABLE ROW LEVEL SECURITY;
ALTER TABLE info_rounds ENABLE ROW LEVEL SECURITY;
ALTER TABLE info_round_orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE clock_kinds ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_clocks ENABLE ROW LEVEL SECURITY;
