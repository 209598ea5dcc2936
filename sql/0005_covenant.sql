-- 0005 covenant: the schema of the covenant's enforcement.
--
--  * kind_data_access: the categories of personal data an organisation
--    kind may see by default (org_data_access overrides per organisation);
--  * agenda_items.opened_at: when an item was first opened (its trigger is
--    in sql/functions/88_triggers.sql);
--  * login lockout columns; the read audit (audit_log, append-only by a
--    trigger); the retention log (purge_log);
--  * the server's role tafel_app, and row-level security enabled on the
--    register (the policies and grants are in sql/functions/90_grants.sql).
--
-- Until the functions moved to sql/functions/, this migration also created
-- the access rules, redaction, audit and retention functions; databases
-- that applied it then get the same schema, and the function files replace
-- what it created.  docs/schema.md and docs/security.md describe all of it.

-- ---------------------------------------------------------------------------
-- Schema additions
-- ---------------------------------------------------------------------------

INSERT INTO data_categories (code, description) VALUES
	('free_text', 'free text about persons: decisions, action point '
	    || 'descriptions and completion notes')
ON CONFLICT (code) DO NOTHING;

-- The categories an organisation KIND may see by default.  Rows in
-- org_data_access for an organisation replace its kind's defaults.
CREATE TABLE kind_data_access (
	kind		text NOT NULL CHECK (kind IN (
			    'police', 'prosecutor', 'probation', 'municipality',
			    'child_protection', 'veilig_thuis', 'youth_care',
			    'mental_health', 'addiction_care', 'housing',
			    'victim_support', 'other')),
	category	text NOT NULL REFERENCES data_categories (code),
	PRIMARY KEY (kind, category)
);

INSERT INTO kind_data_access (kind, category)
SELECT k, c
FROM unnest(ARRAY['police', 'prosecutor', 'probation', 'municipality',
    'child_protection', 'veilig_thuis', 'youth_care', 'mental_health',
    'addiction_care']) k,
    unnest(ARRAY['person_names', 'birth_dates', 'case_summary', 'free_text']) c;
INSERT INTO kind_data_access (kind, category) VALUES
	('housing', 'person_names'), ('housing', 'free_text'),
	('victim_support', 'person_names'), ('victim_support', 'case_summary'),
	('victim_support', 'free_text');
-- 'other': nothing

-- When an agenda item was first opened (became current).  Organisations
-- present in that meeting see the case in full from that moment on.
ALTER TABLE agenda_items ADD COLUMN opened_at timestamptz;
UPDATE agenda_items SET opened_at = coalesce(discussed_at, updated_at)
WHERE state IN ('current', 'discussed') AND opened_at IS NULL;

-- Anonymised action points have an empty description (tafel_purge); the
-- write operations still require one.
ALTER TABLE action_points DROP CONSTRAINT action_points_description_check;

-- Login lockout
ALTER TABLE users
	ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
	ADD COLUMN locked_until timestamptz;

-- The read audit: one row per (user, case) per call that returned
-- personal data of the case, with the categories actually sent.  No
-- personal data in it; append-only.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	user_id		bigint NOT NULL REFERENCES users (id),
	org_id		bigint NOT NULL REFERENCES organisations (id),
	case_id		bigint NOT NULL REFERENCES cases (id),
	categories	text[] NOT NULL,
	meeting_id	bigint,
	context		text NOT NULL CHECK (context IN ('snapshot', 'event',
			    'case_view', 'case_list', 'action_list', 'beamer',
			    'conflict', 'write'))
);

CREATE INDEX audit_log_case_idx ON audit_log (case_id, at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at);

-- Retention: one row per anonymised case (counts only, no data).
CREATE TABLE purge_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	case_id		bigint NOT NULL REFERENCES cases (id),
	case_number	text NOT NULL,
	closed_at	timestamptz,
	reason		text NOT NULL,
	removed		jsonb NOT NULL
);

-- ---------------------------------------------------------------------------
-- The server's role; row-level security on the register
-- ---------------------------------------------------------------------------

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tafel_app') THEN
		CREATE ROLE tafel_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
		    NOBYPASSRLS;
	END IF;
END
$$;

ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE persons ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_involved_orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE agenda_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_points ENABLE ROW LEVEL SECURITY;
ALTER TABLE changelog ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE purge_log ENABLE ROW LEVEL SECURITY;
