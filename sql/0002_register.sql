-- 0002 register: the shared case register of a safety house.
--
-- Meeting series and their meetings, attendance, cases (with the routing
-- table), persons, agenda items, action points, the change log that feeds
-- the live events, and the idempotency store of the write path.
-- docs/schema.md describes every table and the write path.
--
-- Enumerations are stored as the lowercase proto value names with the enum's
-- prefix stripped (CASE_INFO_ROUND -> 'info_round'), so that the JSON the
-- functions in 0003 return maps one-to-one onto tafel.proto.

-- ---------------------------------------------------------------------------
-- organisations and users (0001): audit columns
-- ---------------------------------------------------------------------------

ALTER TABLE organisations
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN updated_by bigint;

ALTER TABLE users
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN updated_by bigint REFERENCES users (id);

ALTER TABLE organisations
	ADD CONSTRAINT organisations_updated_by_fkey
	FOREIGN KEY (updated_by) REFERENCES users (id);

-- ---------------------------------------------------------------------------
-- Covenant hooks: which categories of personal data an organisation may see.
-- Filled and enforced by a later migration (row-level security, redaction);
-- see docs/schema.md.
-- ---------------------------------------------------------------------------

CREATE TABLE data_categories (
	code		text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
	description	text NOT NULL
);

INSERT INTO data_categories (code, description) VALUES
	('person_names', 'full names of the persons in a case'),
	('birth_dates', 'dates of birth of the persons in a case'),
	('case_summary', 'the summary (facts and judgement) of a case');

CREATE TABLE org_data_access (
	org_id		bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	category	text NOT NULL REFERENCES data_categories (code),
	granted_at	timestamptz NOT NULL DEFAULT now(),
	granted_by	bigint REFERENCES users (id),
	PRIMARY KEY (org_id, category)
);

-- ---------------------------------------------------------------------------
-- Meeting series (overlegvormen) and meetings
-- ---------------------------------------------------------------------------

CREATE TABLE series (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL UNIQUE CHECK (name <> ''),
	-- casusoverleg_hg, wzt, sso, mdo, dohg, jchg, or a house's own word
	kind		text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
	-- domestic_violence, repeat_offenders, at_risk_youth, or own words
	themes		text[] NOT NULL DEFAULT '{}'
			    CHECK (array_position(themes, NULL) IS NULL),
	district	text NOT NULL DEFAULT '',
	usual_chair_id	bigint REFERENCES users (id),
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id)
);

CREATE TABLE series_members (
	series_id	bigint NOT NULL REFERENCES series (id) ON DELETE CASCADE,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	PRIMARY KEY (series_id, org_id)
);

CREATE INDEX series_members_org_idx ON series_members (org_id);

CREATE TABLE meetings (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	series_id	bigint NOT NULL REFERENCES series (id),
	scheduled_start	timestamptz NOT NULL,
	state		text NOT NULL DEFAULT 'planned'
			    CHECK (state IN ('planned', 'open', 'closed')),
	chair_id	bigint NOT NULL REFERENCES users (id),
	-- FK to agenda_items added below (the tables refer to each other)
	current_item_id	bigint,
	opened_at	timestamptz,
	closed_at	timestamptz,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	CHECK (state = 'open' OR current_item_id IS NULL)
);

CREATE INDEX meetings_series_start_idx ON meetings (series_id, scheduled_start);
CREATE INDEX meetings_start_idx ON meetings (scheduled_start);

CREATE TABLE attendance (
	meeting_id	bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users (id),
	-- the user's organisation when the attendance was recorded
	org_id		bigint NOT NULL REFERENCES organisations (id),
	present		boolean NOT NULL DEFAULT false,
	remote		boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	PRIMARY KEY (meeting_id, user_id)
);

CREATE INDEX attendance_user_idx ON attendance (user_id);
CREATE INDEX attendance_org_idx ON attendance (org_id, meeting_id);

-- ---------------------------------------------------------------------------
-- Cases and their routing
-- ---------------------------------------------------------------------------

-- The per-year counter behind case numbers ('2026-0042').
CREATE TABLE case_counters (
	year		integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
	last		integer NOT NULL CHECK (last >= 0)
);

CREATE TABLE case_statuses (
	status		text PRIMARY KEY,
	ordinal		integer NOT NULL UNIQUE
);

INSERT INTO case_statuses (status, ordinal) VALUES
	('signal', 0), ('screening', 1), ('info_round', 2), ('direction', 3),
	('plan', 4), ('in_progress', 5), ('monitoring', 6), ('closed', 7);

-- The allowed routing moves (annex 8, Enschede).  move_case checks this table.
CREATE TABLE case_transitions (
	from_status	text NOT NULL REFERENCES case_statuses (status),
	to_status	text NOT NULL REFERENCES case_statuses (status),
	PRIMARY KEY (from_status, to_status),
	CHECK (from_status <> to_status)
);

INSERT INTO case_transitions (from_status, to_status) VALUES
	('signal', 'screening'),
	('screening', 'info_round'),
	('info_round', 'direction'),
	('direction', 'plan'),
	('plan', 'in_progress'),
	('in_progress', 'monitoring'),
	('monitoring', 'closed'),
	-- no coordination needed
	('screening', 'closed'),
	('info_round', 'closed'),
	('direction', 'closed'),
	-- relapse
	('monitoring', 'in_progress'),
	-- a closed case re-opened by a new signal
	('closed', 'screening');

CREATE TABLE cases (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	number		text NOT NULL UNIQUE CHECK (number ~ '^[0-9]{4}-[0-9]{4,}$'),
	theme		text NOT NULL CHECK (theme ~ '^[a-z][a-z0-9_]*$'),
	approach	text NOT NULL DEFAULT 'person'
			    CHECK (approach IN ('person', 'system', 'area')),
	district	text NOT NULL DEFAULT '',
	submitter_org_id bigint NOT NULL REFERENCES organisations (id),
	submitter_user_id bigint REFERENCES users (id),
	case_manager_id	bigint REFERENCES users (id),
	status		text NOT NULL DEFAULT 'signal' REFERENCES case_statuses (status),
	summary		text NOT NULL DEFAULT '',
	closed_at	timestamptz,
	-- retention: a case under legal hold is never anonymised or deleted
	legal_hold	boolean NOT NULL DEFAULT false,
	anonymised_at	timestamptz,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

CREATE INDEX cases_status_idx ON cases (status);
CREATE INDEX cases_submitter_org_idx ON cases (submitter_org_id);
CREATE INDEX cases_case_manager_idx ON cases (case_manager_id);

CREATE TABLE persons (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	role		text NOT NULL DEFAULT 'other'
			    CHECK (role IN ('other', 'victim', 'suspect', 'child')),
	name		text NOT NULL CHECK (name <> ''),
	birth_date	date,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id)
);

CREATE INDEX persons_case_idx ON persons (case_id);

-- The organisations involved in a case (the submitter, owners of its action
-- points, ...).  The covenant rules of a later migration decide on this what
-- an organisation may see of the case.
CREATE TABLE case_involved_orgs (
	case_id		bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	added_at	timestamptz NOT NULL DEFAULT now(),
	added_by	bigint REFERENCES users (id),
	PRIMARY KEY (case_id, org_id)
);

CREATE INDEX case_involved_orgs_org_idx ON case_involved_orgs (org_id);

-- ---------------------------------------------------------------------------
-- Agendas
-- ---------------------------------------------------------------------------

CREATE TABLE agenda_items (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	meeting_id	bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	case_id		bigint NOT NULL REFERENCES cases (id),
	position	integer NOT NULL CHECK (position >= 1),
	state		text NOT NULL DEFAULT 'pending'
			    CHECK (state IN ('pending', 'current', 'discussed')),
	decision	text NOT NULL DEFAULT '',
	discussed_at	timestamptz,
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	UNIQUE (meeting_id, case_id),
	-- checked at the end of each statement, so positions can be shifted
	CONSTRAINT agenda_items_position_key UNIQUE (meeting_id, position)
	    DEFERRABLE INITIALLY IMMEDIATE,
	-- target of meetings.current_item_id: the item must be of that meeting
	CONSTRAINT agenda_items_id_meeting_key UNIQUE (id, meeting_id)
);

CREATE INDEX agenda_items_case_idx ON agenda_items (case_id);

ALTER TABLE meetings
	ADD CONSTRAINT meetings_current_item_fkey
	FOREIGN KEY (current_item_id, id)
	REFERENCES agenda_items (id, meeting_id)
	ON DELETE SET NULL (current_item_id)
	DEFERRABLE INITIALLY DEFERRED;

-- ---------------------------------------------------------------------------
-- Action points (afspraken)
-- ---------------------------------------------------------------------------

CREATE TABLE action_points (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id		bigint NOT NULL REFERENCES cases (id),
	meeting_id	bigint REFERENCES meetings (id),
	description	text NOT NULL CHECK (description <> ''),
	owner_org_id	bigint NOT NULL REFERENCES organisations (id),
	owner_user_id	bigint REFERENCES users (id),
	due_date	date NOT NULL,
	state		text NOT NULL DEFAULT 'open'
			    CHECK (state IN ('open', 'done', 'cancelled')),
	completion_note	text NOT NULL DEFAULT '',
	version		bigint NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint REFERENCES users (id),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	finished_at	timestamptz,
	finished_by	bigint REFERENCES users (id),
	CHECK ((state = 'open') = (finished_at IS NULL))
);

CREATE INDEX action_points_owner_org_idx
	ON action_points (owner_org_id, state, due_date);
CREATE INDEX action_points_owner_user_idx
	ON action_points (owner_user_id, state, due_date)
	WHERE owner_user_id IS NOT NULL;
CREATE INDEX action_points_case_idx ON action_points (case_id);
CREATE INDEX action_points_meeting_idx ON action_points (meeting_id)
	WHERE meeting_id IS NOT NULL;

-- ---------------------------------------------------------------------------
-- The change log: one row per committed write, in commit order (see
-- tafel_log_change in 0003).  The server LISTENs on 'tafel_changes' and
-- pushes each row to the sessions that may see it.
-- ---------------------------------------------------------------------------

CREATE SEQUENCE changelog_seq AS bigint;

CREATE TABLE changelog (
	seq		bigint PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint REFERENCES users (id),
	meeting_id	bigint,
	case_id		bigint,
	-- organisations whose action-point subscription must see this change
	org_ids		bigint[] NOT NULL DEFAULT '{}',
	-- Event-shaped object without seq/at/by_*: keys among meeting,
	-- agenda_items, case, action_point, attendance, person, actions
	payload		jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object')
);

CREATE INDEX changelog_at_idx ON changelog (at);

-- ---------------------------------------------------------------------------
-- Idempotency of writes: one row per (user, key); response is NULL only
-- inside the transaction that is carrying out the write.
-- ---------------------------------------------------------------------------

CREATE TABLE idempotency (
	user_id		bigint NOT NULL REFERENCES users (id),
	key		text NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
	op		text NOT NULL,
	args_hash	text NOT NULL,
	response	jsonb,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, key)
);

CREATE INDEX idempotency_created_at_idx ON idempotency (created_at);
