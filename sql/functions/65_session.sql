-- Resume tickets: issue, resume, revoke (docs/security.md), and the access
-- check of a subscription resumed from the server's memory.

-- At most this many live tickets per user (one per connected client);
-- a new one replaces the oldest.
CREATE OR REPLACE FUNCTION tafel_ticket_max_per_user()
RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 50 $$;

-- Ticket swaps commit without waiting for the WAL flush: when a hundred
-- clients come back at once, each swap would otherwise wait for its own
-- fsync.  A PostgreSQL crash (not a tafeld crash) can then undo the last
-- swaps of a fraction of a second: the old ticket is valid again, the new
-- one unknown, and that client logs in with its password.  Revocations
-- (logout, tafelctl, the trigger) keep the normal, durable commit.
CREATE OR REPLACE FUNCTION tafel_ticket_nosync()
RETURNS void LANGUAGE sql AS $$
	SELECT set_config('synchronous_commit', 'off', true)
$$;

-- After a password login: stores the hash of a new ticket valid for
-- p_lifetime_s seconds.  Returns its expiry (Unix seconds).
CREATE OR REPLACE FUNCTION tafel_ticket_issue(p_user_id bigint, p_hash bytea,
    p_cert_fp text, p_lifetime_s int)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_exp timestamptz := now() + make_interval(secs =>
	    greatest(coalesce(p_lifetime_s, 0), 1));
BEGIN
	PERFORM tafel_ticket_nosync();
	DELETE FROM resume_tickets WHERE user_id = p_user_id
	    AND expires_at <= now();
	DELETE FROM resume_tickets WHERE id IN (
		SELECT id FROM resume_tickets WHERE user_id = p_user_id
		ORDER BY created_at DESC, id DESC
		OFFSET tafel_ticket_max_per_user() - 1);
	INSERT INTO resume_tickets (user_id, hash, cert_fp, expires_at)
	VALUES (p_user_id, p_hash, coalesce(p_cert_fp, ''), v_exp);
	RETURN tafel_unix(v_exp);
END
$$;

-- A reconnect presenting a ticket: p_old_hash must be a live ticket of
-- p_login issued on a connection with the same client certificate.  It is
-- replaced by p_new_hash (same expiry) in this transaction, so a ticket
-- works once.  Returns one row like tafel_login_lookup (without the
-- password hash) plus the expiry, or no row when the ticket is unknown,
-- expired, of another user or another certificate.
CREATE OR REPLACE FUNCTION tafel_ticket_resume(p_login text, p_old_hash bytea,
    p_new_hash bytea, p_cert_fp text)
RETURNS TABLE (user_id bigint, disabled boolean, response jsonb,
    expires_at bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
#variable_conflict use_column
DECLARE
	t resume_tickets;
	u users;
BEGIN
	PERFORM tafel_ticket_nosync();
	DELETE FROM resume_tickets r WHERE r.hash = p_old_hash RETURNING *
	    INTO t;
	IF NOT FOUND OR t.expires_at <= now()
	    OR t.cert_fp <> coalesce(p_cert_fp, '') THEN
		RETURN;
	END IF;
	SELECT * INTO u FROM users WHERE id = t.user_id;
	IF NOT FOUND OR u.login <> p_login THEN
		RETURN;
	END IF;
	IF NOT u.disabled THEN
		INSERT INTO resume_tickets (user_id, hash, cert_fp, created_at,
		    expires_at)
		VALUES (u.id, p_new_hash, t.cert_fp, now(), t.expires_at);
	END IF;
	RETURN QUERY SELECT u.id, u.disabled,
	    jsonb_build_object('user', tafel_json_user(u.id),
		'organisation', tafel_json_org(u.org_id), 'idle_timeout_s', 0),
	    tafel_unix(t.expires_at);
END
$$;

-- Logout: the session's ticket stops working.  true if it existed.
CREATE OR REPLACE FUNCTION tafel_ticket_revoke(p_hash bytea)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	DELETE FROM resume_tickets WHERE hash = p_hash;
	RETURN FOUND;
END
$$;

-- Is the ticket with this hash still live?  A ticket login that a notice
-- overtook (server/revoke.c) asks so of the ticket it was just given
-- before its session starts: a new password, a disabled account and
-- tafelctl user revoke-tickets all delete the user's tickets, that one
-- included, so the answer is exact whichever notice was seen or lost.
CREATE OR REPLACE FUNCTION tafel_ticket_live(p_hash bytea)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT EXISTS (SELECT 1 FROM resume_tickets r
	    WHERE r.hash = p_hash AND r.expires_at > now())
$$;

-- Owner (tafelctl): revokes every ticket of a user; the number revoked.
CREATE OR REPLACE FUNCTION tafel_revoke_tickets(p_login text)
RETURNS int LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	n int;
	v_id bigint;
BEGIN
	SELECT id INTO v_id FROM users WHERE login = p_login;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no user %L (tafelctl user '
		    || 'list)', p_login), 'login');
	END IF;
	DELETE FROM resume_tickets WHERE user_id = v_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;


-- A subscription resumed from the server's memory: the same access checks
-- as tafel_snapshot (meeting exists, the user may see it, the shared
-- screen only for its chair or an admin), but no snapshot is built, read
-- or audited.  Returns the newest change-log seq, the cases on the agenda
-- now, the meeting's series and whether it was opened (p_meeting_id 0:
-- the organisation's action list; no cases, series 0).
-- (series_id and opened were added for push.c series_watch; a changed
-- result type needs the DROP)
DROP FUNCTION IF EXISTS tafel_resume_check(bigint, bigint, boolean);
CREATE OR REPLACE FUNCTION tafel_resume_check(p_user_id bigint, p_meeting_id bigint,
    p_presentation boolean)
RETURNS TABLE (seq bigint, case_ids bigint[], series_id bigint,
    opened boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
#variable_conflict use_column
DECLARE
	u users;
	m meetings;
BEGIN
	u := tafel_actor(p_user_id);
	IF coalesce(p_meeting_id, 0) = 0 THEN
		RETURN QUERY SELECT tafel_last_seq(), '{}'::bigint[], 0::bigint,
		    false;
		RETURN;
	END IF;
	-- the checks of a snapshot (60_read.sql)
	m := tafel_snapshot_meeting(u, p_meeting_id, p_presentation);
	RETURN QUERY SELECT tafel_last_seq(), coalesce((SELECT
	    array_agg(a.case_id ORDER BY a.id) FROM agenda_items a
	    WHERE a.meeting_id = m.id), '{}'::bigint[]), m.series_id,
	    m.opened_at IS NOT NULL;
END
$$;

-- Which of these users are disabled (server/revoke.c asks after its
-- listener reconnected, about the users logged in there: a notice of
-- tafel_tickets_user_changed sent meanwhile was lost).
CREATE OR REPLACE FUNCTION tafel_disabled_among(p_ids bigint[])
RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $$
	SELECT u.id FROM users u WHERE u.id = ANY (p_ids) AND u.disabled
	ORDER BY u.id
$$;

-- Ends every resumable and live session of user p_user_id, as the trigger
-- on users does for a new password, a disabled account or a role taken
-- away (88_triggers.sql): each tafeld closes the account's connections
-- when the notice arrives at commit (server/revoke.c, p_why one of its
-- names), and the client loads its views afresh on its next login.  For
-- what an account may see narrowed from outside its own row: access set
-- (its organisation's kind) and pm remove (its districts).
CREATE OR REPLACE FUNCTION tafel_end_sessions(p_user_id bigint, p_why text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	DELETE FROM resume_tickets WHERE user_id = p_user_id;
	PERFORM pg_notify('tafel_changes', format('end-sessions %s %s',
	    p_user_id, p_why));
END
$$;
