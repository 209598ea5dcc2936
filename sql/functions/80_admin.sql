-- The owner's functions (tafelctl): unlock, the privacy officer's audit
-- queries, legal hold and the retention purge.  Not executable by tafel_app.

-- Owner: lift a lockout.  false when the login does not exist.
CREATE OR REPLACE FUNCTION tafel_unlock(p_login text)
RETURNS boolean LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	UPDATE users SET failed_logins = 0, locked_until = NULL
	WHERE login = p_login;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'user not found', 'login');
	END IF;
	RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION tafel_audit_meeting_label(p_meeting_id bigint)
RETURNS text LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT s.name || ' ' || to_char(m.scheduled_start
	    AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')
	FROM meetings m JOIN series s ON s.id = m.series_id
	WHERE m.id = p_meeting_id
$$;

-- An audit time as Amsterdam wall-clock time with its zone name
-- ('2026-11-29 09:30:12 CET'), whatever the session's time zone.
CREATE OR REPLACE FUNCTION tafel_audit_time(p_at timestamptz)
RETURNS text LANGUAGE sql STABLE SET TimeZone = 'Europe/Amsterdam' AS $$
	SELECT to_char(p_at, 'YYYY-MM-DD HH24:MI:SS TZ')
$$;

-- The read audit as the privacy officer reads it: the explicit reads of
-- audit_log (one row per call: first = last = its time, count 1) and the
-- push disclosures of audit_disclosures (0012: first and last time, and
-- how many changes disclosed the case to that viewer that day in that
-- meeting), after folding what the push recorded in audit_pending (0014)
-- into them.  Volatile for that fold: the query after it sees its rows.
-- The result columns changed with 0012, hence the DROPs below.
CREATE OR REPLACE FUNCTION tafel_audit_entries()
RETURNS TABLE (first_at timestamptz, last_at timestamptz, count bigint,
    user_id bigint, org_id bigint, case_id bigint, categories text[],
    meeting_id bigint, context text, id bigint)
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	PERFORM tafel_audit_fold(NULL, true);
	RETURN QUERY
	SELECT l.at, l.at, 1::bigint, l.user_id, l.org_id, l.case_id,
	    l.categories, l.meeting_id, l.context, l.id
	FROM audit_log l
	UNION ALL
	SELECT d.first_at, d.last_at, d.count, d.user_id, d.org_id, d.case_id,
	    d.categories, nullif(d.meeting_id, 0), d.context, -d.id
	FROM audit_disclosures d;
END
$$;

-- Who saw case X.
DROP FUNCTION IF EXISTS tafel_audit_case(text);
CREATE FUNCTION tafel_audit_case(p_case_number text)
RETURNS TABLE (first_at timestamptz, last_at timestamptz, count bigint,
    login text, organisation text, categories text[], meeting text,
    context text)
LANGUAGE sql VOLATILE SET search_path = public AS $$
	SELECT l.first_at, l.last_at, l.count, u.login, o.name, l.categories,
	    tafel_audit_meeting_label(l.meeting_id), l.context
	FROM tafel_audit_entries() l
	JOIN cases c ON c.id = l.case_id
	JOIN users u ON u.id = l.user_id
	JOIN organisations o ON o.id = l.org_id
	WHERE c.number = p_case_number
	ORDER BY l.first_at, l.id
$$;

-- What user Y saw between p_from and p_to (an entry whose first..last
-- span meets the period).
DROP FUNCTION IF EXISTS tafel_audit_user(text, timestamptz, timestamptz);
CREATE FUNCTION tafel_audit_user(p_login text, p_from timestamptz,
    p_to timestamptz)
RETURNS TABLE (first_at timestamptz, last_at timestamptz, count bigint,
    case_number text, organisation text, categories text[], meeting text,
    context text)
LANGUAGE sql VOLATILE SET search_path = public AS $$
	SELECT l.first_at, l.last_at, l.count, c.number, o.name, l.categories,
	    tafel_audit_meeting_label(l.meeting_id), l.context
	FROM tafel_audit_entries() l
	JOIN users u ON u.id = l.user_id
	JOIN cases c ON c.id = l.case_id
	JOIN organisations o ON o.id = l.org_id
	WHERE u.login = p_login
	    AND l.last_at >= coalesce(p_from, '-infinity')
	    AND l.first_at <= coalesce(p_to, 'infinity')
	ORDER BY l.first_at, l.id
$$;

CREATE OR REPLACE FUNCTION tafel_set_legal_hold(p_case_number text, p_on boolean)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	UPDATE cases SET legal_hold = coalesce(p_on, false), updated_at = now()
	WHERE number = p_case_number;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_number');
	END IF;
END
$$;

-- Anonymises closed cases whose closed_at lies more than p_older_than in
-- the past, not under legal hold, not yet anonymised.  Cases that qualify
-- but are under legal hold are listed with action 'skipped_legal_hold'.
-- The audit log is kept (it holds no personal data).
CREATE OR REPLACE FUNCTION tafel_purge(p_older_than interval, p_dry_run boolean)
RETURNS TABLE (case_number text, closed_at timestamptz, action text)
LANGUAGE plpgsql SET search_path = public AS $$
#variable_conflict use_column
DECLARE
	c cases;
	v_persons int;
	v_contribs int;
	v_goals int;
	v_decisions int;
	v_actions int;
	v_changes int;
	v_idem int;
	v_match jsonb;
BEGIN
	IF p_older_than IS NULL OR p_older_than < interval '0' THEN
		PERFORM tafel_raise('TF011', 'the retention period must be positive',
		    'older_than');
	END IF;
	PERFORM set_config('tafel.purge', 'on', true);
	FOR c IN SELECT * FROM cases x
	    WHERE x.status = 'closed' AND x.closed_at < now() - p_older_than
		AND x.anonymised_at IS NULL
	    ORDER BY x.closed_at, x.id FOR UPDATE LOOP
		case_number := c.number;
		closed_at := c.closed_at;
		IF c.legal_hold THEN
			action := 'skipped_legal_hold';
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF coalesce(p_dry_run, true) THEN
			action := 'would_anonymise';
			RETURN NEXT;
			CONTINUE;
		END IF;
		v_match := jsonb_build_object('c', c.id);

		UPDATE persons SET name = 'geanonimiseerd', birth_date = NULL,
		    version = version + 1, updated_at = now(), updated_by = NULL
		WHERE persons.case_id = c.id;
		GET DIAGNOSTICS v_persons = ROW_COUNT;
		UPDATE agenda_items SET decision = '', version = version + 1,
		    updated_at = now()
		WHERE agenda_items.case_id = c.id AND decision <> '';
		GET DIAGNOSTICS v_decisions = ROW_COUNT;
		UPDATE action_points SET description = '', completion_note = '',
		    version = version + 1, updated_at = now()
		WHERE action_points.case_id = c.id;
		GET DIAGNOSTICS v_actions = ROW_COUNT;
		UPDATE nominations SET reason = '', decline_reason = '',
		    version = version + 1, updated_at = now()
		WHERE nominations.case_id = c.id;
		UPDATE changelog cl SET payload = tafel_skeleton(cl.payload, c.id)
		WHERE (cl.case_id = c.id OR jsonb_path_exists(cl.payload,
		    '$.** ? (@.case_id == $c)', v_match)
		    OR (cl.payload -> 'case' ->> 'id')::bigint = c.id)
		    AND cl.payload IS DISTINCT FROM tafel_skeleton(cl.payload, c.id);
		GET DIAGNOSTICS v_changes = ROW_COUNT;
		DELETE FROM idempotency i
		WHERE i.response IS NOT NULL AND (jsonb_path_exists(i.response,
		    '$.** ? (@.case_id == $c)', v_match)
		    OR (i.response ? 'persons' AND (i.response ->> 'id')::bigint = c.id));
		GET DIAGNOSTICS v_idem = ROW_COUNT;
		-- intake (0008): contributions, goals and the case's texts
		UPDATE contributions SET facts = '', judgement = '',
		    version = version + 1, updated_at = now()
		WHERE contributions.case_id = c.id;
		GET DIAGNOSTICS v_contribs = ROW_COUNT;
		UPDATE case_goals SET description = '', version = version + 1,
		    updated_at = now()
		WHERE case_goals.case_id = c.id;
		GET DIAGNOSTICS v_goals = ROW_COUNT;
		-- before the meeting (0010): the info round's notes, the
		-- clocks' notes, the reasons of declined proposals
		UPDATE info_round_orgs SET note = '' WHERE round_id IN (
		    SELECT r.id FROM info_rounds r WHERE r.case_id = c.id);
		UPDATE case_clocks SET note = '', version = version + 1,
		    updated_at = now() WHERE case_clocks.case_id = c.id;
		UPDATE proposal_declines SET decline_reason = 'geanonimiseerd'
		WHERE proposal_declines.case_id = c.id;
		UPDATE cases SET summary = '', anonymised_at = now(),
		    reason = '', closing_reason = '', evaluation = '',
		    version = version + 1, updated_at = now()
		WHERE id = c.id;

		INSERT INTO purge_log (case_id, case_number, closed_at, reason, removed)
		VALUES (c.id, c.number, c.closed_at,
		    format('closed more than %s ago', p_older_than),
		    jsonb_build_object('persons', v_persons, 'summary',
			(c.summary <> '')::int, 'decisions', v_decisions,
			'action_points', v_actions, 'changelog', v_changes,
			'idempotency', v_idem, 'contributions', v_contribs,
			'goals', v_goals));
		action := 'anonymised';
		RETURN NEXT;
	END LOOP;
	PERFORM set_config('tafel.purge', '', true);
END
$$;
