-- 0010 before the meeting: legal clocks on a case.
--
--  * clock_kinds: the kinds of legal clock and their rules, kept by the
--    administrator (tafelctl clock-kind); shipped with the temporary
--    restraining order, police custody and pre-trial detention.
--  * case_clocks: the clocks a case carries.
--  * write_ops.kind: unchanged (the clock writes answer the Case).
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

ALTER TABLE clock_kinds ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_clocks ENABLE ROW LEVEL SECURITY;
