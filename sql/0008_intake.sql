-- 0008 intake: signals, earlier cases, contributions, routing conditions,
-- the plan of approach and MDOs planned from a case.
--
--  * process_managers: who manages the cases of a district/theme (kept by
--    tafelctl pm); a process manager counts as involved in those cases.
--  * cases: the signal's reason, the regie (lead organisation), end and
--    review dates, the closing reason and evaluation.
--  * persons.name_key: the Dutch phonetic key of the name (tafel_name_key,
--    kept by a trigger in sql/functions/55_intake.sql), indexed with the
--    birth date for the earlier-cases match.
--  * person_links: the same person in two cases.
--  * contributions: each partner's contribution to a case, its own entry.
--  * case_goals and action_points.goal_id: the plan of approach.
--  * case_status_requirements: what a move into a status needs.
--  * series.case_id: the series of a case's ad-hoc MDOs.
--  * write_ops.kind: the new answer kinds.
--
-- The functions are in sql/functions/55_intake.sql, the grants and policies
-- in 91_intake_grants.sql.  docs/schema.md, docs/security.md and
-- docs/protocol.md (section 7.6) describe it.

CREATE TABLE process_managers (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	district	text NOT NULL,
	-- '' : every theme of the district
	theme		text NOT NULL DEFAULT ''
			    CHECK (theme = '' OR theme ~ '^[a-z][a-z0-9_]*$'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (district, theme, user_id)
);
CREATE INDEX process_managers_user_idx ON process_managers (user_id);

ALTER TABLE cases
	ADD COLUMN reason text NOT NULL DEFAULT '',
	ADD COLUMN lead_org_id bigint REFERENCES organisations (id),
	ADD COLUMN end_date date,
	ADD COLUMN review_date date,
	ADD COLUMN closing_reason text NOT NULL DEFAULT '',
	ADD COLUMN evaluation text NOT NULL DEFAULT '';
CREATE INDEX cases_district_theme_idx ON cases (district, theme);

ALTER TABLE persons ADD COLUMN name_key text NOT NULL DEFAULT '';
CREATE INDEX persons_name_key_idx ON persons (name_key, birth_date);

CREATE TABLE person_links (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- person_a < person_b: one row per pair
	person_a	bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
	person_b	bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (person_a < person_b),
	UNIQUE (person_a, person_b)
);
CREATE INDEX person_links_b_idx ON person_links (person_b);

CREATE TABLE contributions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	author_id	bigint NOT NULL REFERENCES users (id),
	facts		text NOT NULL DEFAULT '',
	judgement	text NOT NULL DEFAULT '',
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id)
);
CREATE INDEX contributions_case_idx ON contributions (case_id);

CREATE TABLE case_goals (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	description	text NOT NULL,
	position	integer NOT NULL CHECK (position >= 1),
	achieved	boolean NOT NULL DEFAULT false,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	UNIQUE (case_id, position)
);

ALTER TABLE action_points
	ADD COLUMN goal_id bigint REFERENCES case_goals (id);
CREATE INDEX action_points_goal_idx ON action_points (goal_id)
	WHERE goal_id IS NOT NULL;

-- What a move INTO a status needs (move_case checks it; the codes are the
-- client's Error.missing).  tafel_case_missing knows how to test each code.
CREATE TABLE case_status_requirements (
	status		text NOT NULL REFERENCES case_statuses (status),
	requirement	text NOT NULL CHECK (requirement IN ('lead_org',
			    'case_manager', 'goal', 'end_date', 'closing_reason',
			    'evaluation')),
	ordinal		integer NOT NULL,
	PRIMARY KEY (status, requirement)
);
INSERT INTO case_status_requirements (status, requirement, ordinal) VALUES
	('direction', 'lead_org', 1),
	('direction', 'case_manager', 2),
	('plan', 'goal', 3),
	('monitoring', 'end_date', 4),
	('closed', 'closing_reason', 5),
	('closed', 'evaluation', 6);

-- The series holding a case's ad-hoc MDOs ("MDO <number>").
ALTER TABLE series ADD COLUMN case_id bigint REFERENCES cases (id);
CREATE UNIQUE INDEX series_case_key ON series (case_id)
	WHERE case_id IS NOT NULL;

ALTER TABLE write_ops DROP CONSTRAINT write_ops_kind_check;
ALTER TABLE write_ops ADD CONSTRAINT write_ops_kind_check CHECK (kind IN (
	'meeting', 'attendance', 'agenda', 'item', 'action', 'case', 'person',
	'contribution', 'goal', 'link'));

ALTER TABLE process_managers ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE contributions ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_goals ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_status_requirements ENABLE ROW LEVEL SECURITY;
