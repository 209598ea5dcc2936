-- 0012 the read audit at scale: push disclosures.
--
--  * audit_disclosures: what the live push disclosed, one row per viewer x
--    case x meeting (0: none) x Amsterdam calendar day x organisation x
--    context, with the first and last time, the number of changes that
--    disclosed personal data of the case, and the union of the categories
--    sent.  tafel_events_for and tafel_events_for_viewer (70_push.sql)
--    write it set-based, one INSERT ... ON CONFLICT DO UPDATE per rendered
--    change (or resume), its rows in key order so that concurrent
--    deliveries lock them in the same order.  The explicit reads
--    (snapshot, case view, lists, conflict, ...) keep their row per call
--    in audit_log.
--  * Like audit_log: no personal data, row-level security with no policy
--    (nothing for tafel_app; only the owner's SECURITY DEFINER functions
--    write it), append-only in spirit: an update may only move last_at
--    forward, raise the count and add categories; no delete except under
--    tafel.purge (88_triggers.sql).
--
-- The functions are in sql/functions/70_push.sql (writing) and
-- 80_admin.sql (tafelctl audit); docs/schema.md and docs/security.md
-- describe it.

CREATE TABLE audit_disclosures (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id),
	case_id		bigint NOT NULL REFERENCES cases (id),
	day		date NOT NULL,
	meeting_id	bigint NOT NULL DEFAULT 0,
	org_id		bigint NOT NULL REFERENCES organisations (id),
	context		text NOT NULL CHECK (context IN ('event', 'beamer',
			    'inforonde', 'inbox')),
	categories	text[] NOT NULL,
	first_at	timestamptz NOT NULL,
	last_at		timestamptz NOT NULL,
	count		bigint NOT NULL CHECK (count >= 1),
	CHECK (last_at >= first_at),
	UNIQUE (user_id, case_id, day, meeting_id, org_id, context)
);

CREATE INDEX audit_disclosures_case_idx ON audit_disclosures (case_id, last_at);

ALTER TABLE audit_disclosures ENABLE ROW LEVEL SECURITY;
