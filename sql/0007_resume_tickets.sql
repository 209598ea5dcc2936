-- 0007 resume tickets: a logged-in session gets back after a reconnect
-- without its password, and a resume the ring can serve reads no snapshot.
--
--  * resume_tickets: one row per live ticket, only its SHA-256 hash
--    (the ticket itself is 32 random bytes that never reach the database),
--    bound to a user and to the client certificate (its SHA-256
--    fingerprint, '' without one), with an absolute expiry fixed at the
--    password login.  Every use replaces the ticket (rotation); the chain
--    keeps the first expiry.
--  * Revocation: logout (tafel_ticket_revoke), the administrator
--    (tafel_revoke_tickets, `tafelctl user revoke-tickets`), and a trigger
--    that drops a user's tickets when their password changes or the
--    account is disabled.
--  * tafel_resume_check: the access check of a subscription resumed from
--    the server's memory, without the snapshot (and so without its audit).
--
-- Only the table lives here; its functions are in sql/functions/65_session.sql,
-- the trigger in 88_triggers.sql, the grants in 90_grants.sql.  The server
-- (tafel_app) gets EXECUTE on the four entry functions and no privilege on
-- the table.  docs/security.md describes the threat model,
-- docs/protocol.md the wire side.

CREATE TABLE resume_tickets (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash		bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
	cert_fp		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX resume_tickets_user_idx ON resume_tickets (user_id);

REVOKE ALL ON resume_tickets FROM PUBLIC, tafel_app;
REVOKE ALL ON SEQUENCE resume_tickets_id_seq FROM PUBLIC, tafel_app;
ALTER TABLE resume_tickets ENABLE ROW LEVEL SECURITY;
