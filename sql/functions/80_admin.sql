-- The owner's functions (tafelctl): unlock, the privacy officer's audit
-- queries, legal hold and the retention purge.  Not executable by tafel_app.

-- Owner: lift a lockout, and (at commit, on the change channel: each
-- tafeld's auth_unlock_notice) the login slow-down tafelds keep in memory.
-- Refused when the login does not exist.
CREATE OR REPLACE FUNCTION tafel_unlock(p_login text)
RETURNS boolean LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	UPDATE users SET failed_logins = 0, locked_until = NULL
	WHERE login = p_login;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no user %L (tafelctl user '
		    || 'list)', p_login), 'login');
	END IF;
	PERFORM pg_notify('tafel_changes', 'unlocked ' || p_login);
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
LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
BEGIN
	-- an unknown number is an error, not an empty answer ("nobody saw it")
	IF NOT EXISTS (SELECT 1 FROM cases c WHERE c.number = p_case_number) THEN
		PERFORM tafel_raise('TF016', format('no case numbered %L',
		    p_case_number), 'case_number');
	END IF;
	RETURN QUERY
	SELECT l.first_at, l.last_at, l.count, u.login, o.name, l.categories,
	    tafel_audit_meeting_label(l.meeting_id), l.context
	FROM tafel_audit_entries() l
	JOIN cases c ON c.id = l.case_id
	JOIN users u ON u.id = l.user_id
	JOIN organisations o ON o.id = l.org_id
	WHERE c.number = p_case_number
	ORDER BY l.first_at, l.id;
END
$$;

-- What user Y saw between p_from and p_to (an entry whose first..last
-- span meets the period).
DROP FUNCTION IF EXISTS tafel_audit_user(text, timestamptz, timestamptz);
CREATE FUNCTION tafel_audit_user(p_login text, p_from timestamptz,
    p_to timestamptz)
RETURNS TABLE (first_at timestamptz, last_at timestamptz, count bigint,
    case_number text, organisation text, categories text[], meeting text,
    context text)
LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM users u WHERE u.login = p_login) THEN
		PERFORM tafel_raise('TF016', format('no user %L (tafelctl user '
		    || 'list)', p_login), 'login');
	END IF;
	IF p_to < p_from THEN
		PERFORM tafel_raise('TF011', 'TO lies before FROM', 'to');
	END IF;
	RETURN QUERY
	SELECT l.first_at, l.last_at, l.count, c.number, o.name, l.categories,
	    tafel_audit_meeting_label(l.meeting_id), l.context
	FROM tafel_audit_entries() l
	JOIN users u ON u.id = l.user_id
	JOIN cases c ON c.id = l.case_id
	JOIN organisations o ON o.id = l.org_id
	WHERE u.login = p_login
	    AND l.last_at >= coalesce(p_from, '-infinity')
	    AND l.first_at <= coalesce(p_to, 'infinity')
	ORDER BY l.first_at, l.id;
END
$$;

-- An administrator's FROM or TO (tafelctl audit user): YYYY-MM-DD, or with
-- HH:MM[:SS], in Europe/Amsterdam; NULL stays NULL.  Nothing else: the
-- server's DateStyle would read 03-12-2026 as 12 March.
CREATE OR REPLACE FUNCTION tafel_admin_time(p_text text, p_what text)
RETURNS timestamptz LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	IF p_text IS NULL THEN
		RETURN NULL;
	END IF;
	IF p_text !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$'
	THEN
		PERFORM tafel_raise('TF011', format('%s: %L is not a date YYYY-MM-DD '
		    || '(or YYYY-MM-DD HH:MM)', p_what, p_text), lower(p_what));
	END IF;
	BEGIN
		RETURN p_text::timestamp AT TIME ZONE 'Europe/Amsterdam';
	EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
		PERFORM tafel_raise('TF011', format('%s: %L is not a %s on the '
		    || 'calendar', p_what, p_text, CASE WHEN length(p_text) > 10
		    THEN 'date and time' ELSE 'date' END), lower(p_what));
	END;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION tafel_set_legal_hold(p_case_number text, p_on boolean)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	UPDATE cases SET legal_hold = coalesce(p_on, false), updated_at = now()
	WHERE number = p_case_number;
	IF NOT FOUND THEN
		-- worded as tafel_audit_case's
		PERFORM tafel_raise('TF016', format('no case numbered %L',
		    p_case_number), 'case_number');
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
		-- whoever has the case on screen gets it anonymised, with its
		-- action points (no actor: the retention job), routed by the
		-- case as every change of it is (docs/protocol.md 8.2)
		PERFORM tafel_log_change(NULL, NULL, c.id, '{}',
		    jsonb_build_object('case', tafel_json_case(c.id),
			'actions', tafel_json_case_actions(c.id, false)));

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

-- ---------------------------------------------------------------------
-- tafelctl's organisation, series and covenant commands: each checks its
-- arguments and says what is wrong (an unknown name is an error, never a
-- silent no-op), and runs as one statement.
-- ---------------------------------------------------------------------

-- The values a CHECK constraint of the form "col IN ('a', 'b', ...)"
-- allows, in its order (for messages that list them).
CREATE OR REPLACE FUNCTION tafel_check_values(p_constraint text)
RETURNS text[] LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(array_agg(t.m[1] ORDER BY t.n), '{}')
	FROM pg_constraint c
	CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(c.oid),
	    '''([^'']+)''', 'g') WITH ORDINALITY AS t(m, n)
	WHERE c.conname = p_constraint
$$;

CREATE OR REPLACE FUNCTION tafel_admin_org_kind(p_kind text)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	IF NOT coalesce(p_kind, '') = ANY (tafel_check_values(
	    'organisations_kind_check')) THEN
		PERFORM tafel_raise('TF011', format('unknown organisation kind %L '
		    || '(one of: %s)', p_kind, array_to_string(tafel_check_values(
		    'organisations_kind_check'), ', ')), 'kind');
	END IF;
	RETURN p_kind;
END
$$;

CREATE OR REPLACE FUNCTION tafel_admin_org(p_name text)
RETURNS organisations LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	o organisations;
BEGIN
	SELECT * INTO o FROM organisations WHERE name = p_name
	    OR id::text = p_name ORDER BY name = p_name DESC LIMIT 1;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no organisation named %L '
		    || '(tafelctl org list)', p_name), 'organisation');
	END IF;
	RETURN o;
END
$$;

CREATE OR REPLACE FUNCTION tafel_admin_series(p_name text)
RETURNS series LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	s series;
BEGIN
	SELECT * INTO s FROM series WHERE name = p_name OR id::text = p_name
	    ORDER BY name = p_name DESC LIMIT 1;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no meeting series named %L '
		    || '(tafelctl series list)', p_name), 'series');
	END IF;
	RETURN s;
END
$$;

-- org add NAME KIND [COVENANT-DATE]
CREATE OR REPLACE FUNCTION tafel_admin_org_add(p_name text, p_kind text,
    p_covenant text)
RETURNS bigint LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_since date;
	v_id bigint;
BEGIN
	IF btrim(coalesce(p_name, '')) = '' THEN
		PERFORM tafel_raise('TF011', 'the organisation needs a name', 'name');
	END IF;
	PERFORM tafel_admin_org_kind(p_kind);
	IF p_covenant IS NOT NULL THEN
		IF p_covenant !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
			PERFORM tafel_raise('TF011', format('COVENANT-DATE %L is not a '
			    || 'date YYYY-MM-DD', p_covenant), 'covenant_since');
		END IF;
		BEGIN
			v_since := p_covenant::date;
		EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format
		THEN
			PERFORM tafel_raise('TF011', format('COVENANT-DATE %L is not a '
			    || 'date on the calendar', p_covenant), 'covenant_since');
		END;
		IF v_since > tafel_today() THEN
			PERFORM tafel_raise('TF011', format('COVENANT-DATE %s lies in '
			    || 'the future: give the day it was signed', v_since),
			    'covenant_since');
		END IF;
	END IF;
	IF EXISTS (SELECT 1 FROM organisations WHERE name = p_name) THEN
		PERFORM tafel_raise('TF011', format('an organisation named %L '
		    || 'exists already', p_name), 'name');
	END IF;
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES (p_name, p_kind, v_since IS NOT NULL, v_since)
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

-- org disable NAME: the organisation and every user of it; the number of
-- users disabled now.
CREATE OR REPLACE FUNCTION tafel_admin_org_disable(p_name text)
RETURNS int LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	o organisations := tafel_admin_org(p_name);
	v_n int;
BEGIN
	UPDATE organisations SET disabled = true, version = version + 1
	WHERE id = o.id AND NOT disabled;
	UPDATE users SET disabled = true, version = version + 1
	WHERE org_id = o.id AND NOT disabled;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END
$$;

-- org enable NAME: lifts the organisation's mark; its users stay disabled
-- until each is enabled (tafelctl user enable).
CREATE OR REPLACE FUNCTION tafel_admin_org_enable(p_name text)
RETURNS boolean LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	o organisations := tafel_admin_org(p_name);
BEGIN
	UPDATE organisations SET disabled = false, version = version + 1
	WHERE id = o.id AND disabled;
	RETURN FOUND;
END
$$;

-- ROLES of user add and user roles: comma-separated known roles (empty:
-- member); the steering role stands alone (reports only).
CREATE OR REPLACE FUNCTION tafel_admin_roles(p_roles text)
RETURNS text[] LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	-- as given, each once
	v_roles text[] := ARRAY(SELECT btrim(r) FROM unnest(string_to_array(
	    coalesce(nullif(btrim(p_roles), ''), 'member'), ','))
	    WITH ORDINALITY AS t(r, n) GROUP BY btrim(r) ORDER BY min(n));
	v_known text[] := tafel_check_values('users_roles_check');
BEGIN
	IF NOT v_roles <@ v_known THEN
		PERFORM tafel_raise('TF011', format('unknown role in %L (roles: %s)',
		    p_roles, array_to_string(v_known, ', ')), 'roles');
	END IF;
	IF 'steering' = ANY (v_roles) AND cardinality(v_roles) > 1 THEN
		PERFORM tafel_raise('TF011', 'the steering role stands alone: a '
		    || 'steering group member sees the reports only', 'roles');
	END IF;
	RETURN v_roles;
END
$$;

-- user add: the login (lowercase letters, digits, . _ -; one user per
-- login whatever its case), the name and the roles checked.
CREATE OR REPLACE FUNCTION tafel_admin_user_add(p_login text, p_name text,
    p_org text, p_roles text, p_hash text)
RETURNS bigint LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	o organisations := tafel_admin_org(p_org);
	v_roles text[];
	v_id bigint;
BEGIN
	IF coalesce(p_login, '') !~ '^[a-z0-9][a-z0-9._-]{0,63}$' THEN
		PERFORM tafel_raise('TF011', format('login %L: use lowercase letters, '
		    || 'digits, . _ and - (at most 64, no spaces)', p_login), 'login');
	END IF;
	IF EXISTS (SELECT 1 FROM users WHERE lower(login) = p_login) THEN
		PERFORM tafel_raise('TF011', format('the login %L exists already',
		    (SELECT login FROM users WHERE lower(login) = p_login LIMIT 1)),
		    'login');
	END IF;
	IF btrim(coalesce(p_name, '')) = '' THEN
		PERFORM tafel_raise('TF011', 'the user needs a display name',
		    'display_name');
	END IF;
	v_roles := tafel_admin_roles(p_roles);
	INSERT INTO users (login, display_name, org_id, roles, password_hash)
	VALUES (p_login, p_name, o.id, v_roles, p_hash)
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

-- user roles LOGIN ROLES: replaces the user's roles (checked as for user
-- add; not empty).  Returns the roles it had before, comma-separated.
CREATE OR REPLACE FUNCTION tafel_admin_user_roles(p_login text, p_roles text)
RETURNS text LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users;
	v_roles text[];
BEGIN
	SELECT * INTO u FROM users WHERE login = p_login;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no user %L (tafelctl user '
		    || 'list)', p_login), 'login');
	END IF;
	IF btrim(coalesce(p_roles, '')) = '' THEN
		PERFORM tafel_raise('TF011', format('give the roles, e.g. '
		    || 'chair,member (roles: %s)', array_to_string(
		    tafel_check_values('users_roles_check'), ', ')), 'roles');
	END IF;
	v_roles := tafel_admin_roles(p_roles);
	UPDATE users SET roles = v_roles, version = version + 1
	WHERE id = u.id AND roles IS DISTINCT FROM v_roles;
	RETURN array_to_string(u.roles, ',');
END
$$;

-- access set KIND [CATEGORIES]: what a kind may see, replaced whole; the
-- categories as stored, in the canonical order.
CREATE OR REPLACE FUNCTION tafel_admin_access_set(p_kind text, p_cats text)
RETURNS text[] LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_cats text[] := ARRAY(SELECT btrim(c) FROM unnest(string_to_array(
	    coalesce(p_cats, ''), ',')) c WHERE btrim(c) <> '');
	v_bad text[];
	v_old text[] := ARRAY(SELECT k.category FROM kind_data_access k
	    WHERE k.kind = p_kind);
BEGIN
	PERFORM tafel_admin_org_kind(p_kind);
	v_bad := ARRAY(SELECT c FROM unnest(v_cats) c
	    WHERE NOT c = ANY (tafel_all_categories()));
	IF cardinality(v_bad) > 0 THEN
		PERFORM tafel_raise('TF011', format('unknown categor%s %s (the '
		    || 'categories: %s)', CASE WHEN cardinality(v_bad) = 1 THEN 'y'
		    ELSE 'ies' END, array_to_string(v_bad, ', '),
		    array_to_string(tafel_all_categories(), ', ')), 'categories');
	END IF;
	v_cats := tafel_cats_sorted(v_cats);
	DELETE FROM kind_data_access WHERE kind = p_kind;
	INSERT INTO kind_data_access (kind, category)
	SELECT p_kind, c FROM unnest(v_cats) c;
	-- a category taken away: the accounts of that kind's organisations
	-- (those that go by the kind's categories, tafel_org_categories) must
	-- not keep it on screen; they log in again and load afresh
	IF NOT v_cats @> v_old THEN
		PERFORM tafel_end_sessions(u.id, 'access')
		FROM users u JOIN organisations o ON o.id = u.org_id
		WHERE o.kind = p_kind AND NOT u.disabled
		    AND NOT EXISTS (SELECT 1 FROM org_data_access x
			WHERE x.org_id = o.id);
	END IF;
	RETURN v_cats;
END
$$;

-- access list: every kind, also those that may see nothing.
CREATE OR REPLACE FUNCTION tafel_admin_access_list()
RETURNS TABLE (kind text, categories text) LANGUAGE sql STABLE
SET search_path = public AS $$
	SELECT k, coalesce((SELECT string_agg(a.category, ',' ORDER BY
	    array_position(tafel_all_categories(), a.category))
	    FROM kind_data_access a WHERE a.kind = k), '(nothing)')
	FROM unnest(tafel_check_values('organisations_kind_check')) k
	ORDER BY k
$$;

-- The user of login p_login, who is to be p_what (e.g. 'the usual chair'):
-- an active user with the chair (or admin) role, else an error that says
-- what to do.
CREATE OR REPLACE FUNCTION tafel_admin_chair_user(p_login text, p_what text)
RETURNS users LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v_chair users;
BEGIN
	SELECT * INTO v_chair FROM users WHERE login = p_login;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no user %L to be %s',
		    p_login, p_what), 'chair');
	END IF;
	IF v_chair.disabled OR NOT v_chair.roles && ARRAY['chair', 'admin'] THEN
		PERFORM tafel_raise('TF011', format('%s cannot be %s: %s', p_login,
		    p_what, CASE WHEN v_chair.disabled THEN 'the account is '
		    || 'disabled' ELSE format('give the user the chair role first '
		    || '(tafelctl user roles %s chair,member)', p_login) END),
		    'chair');
	END IF;
	RETURN v_chair;
END
$$;

-- series chair SERIES LOGIN|-: the series' usual chair (who chairs the
-- meetings planned without another; - for none).  Meetings planned
-- already keep theirs (tafel_admin_meeting_chair).
CREATE OR REPLACE FUNCTION tafel_admin_series_chair(p_series text,
    p_login text)
RETURNS TABLE (series text, usual_chair text)
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	s series := tafel_admin_series(p_series);
	v_chair users;
BEGIN
	IF p_login <> '-' THEN
		v_chair := tafel_admin_chair_user(p_login, 'the usual chair');
	END IF;
	UPDATE series x SET usual_chair_id = v_chair.id,
	    version = x.version + 1, updated_at = now()
	WHERE x.id = s.id;
	RETURN QUERY SELECT s.name, coalesce(v_chair.login, '-');
END
$$;

-- meeting chair ID LOGIN: another chair for a planned or open meeting,
-- as the acting user p_actor (tafelctl: the meeting's chair so far, or
-- --as).  Logged as a change of the meeting, so that every client shows
-- it and the new chair may open it, or lead the open one, at once (the
-- chair who dropped out of an open meeting hands it over).  Presence is
-- not recorded for the new chair: it opens cases (rule 6), so it is
-- recorded as for anyone else.
CREATE OR REPLACE FUNCTION tafel_admin_meeting_chair(p_meeting bigint,
    p_login text, p_actor bigint)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	m meetings;
	v_chair users;
	v_json jsonb;
BEGIN
	SELECT * INTO m FROM meetings WHERE id = p_meeting FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('no meeting with id %s '
		    || '(tafelctl meeting list shows the ids)', p_meeting),
		    'meeting_id');
	END IF;
	IF m.state NOT IN ('planned', 'open') THEN
		PERFORM tafel_raise('TF018', format('meeting %s is %s: only a '
		    || 'planned or open meeting gets another chair', p_meeting,
		    m.state), 'meeting_id');
	END IF;
	v_chair := tafel_admin_chair_user(p_login, format('the chair of '
	    || 'meeting %s', p_meeting));
	UPDATE meetings SET chair_id = v_chair.id, version = version + 1,
	    updated_at = now(), updated_by = p_actor
	WHERE id = m.id;
	v_json := tafel_json_meeting(m.id);
	PERFORM tafel_log_change(p_actor, m.id, NULL, '{}',
	    jsonb_build_object('meeting', v_json));
	RETURN v_json;
END
$$;

-- series add NAME KIND THEMES [DISTRICT] [CHAIR-LOGIN]
CREATE OR REPLACE FUNCTION tafel_admin_series_add(p_name text, p_kind text,
    p_themes text, p_district text, p_chair text)
RETURNS bigint LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_themes text[] := ARRAY(SELECT btrim(t) FROM unnest(string_to_array(
	    coalesce(p_themes, ''), ',')) t WHERE btrim(t) <> '');
	v_chair users;
	v_id bigint;
BEGIN
	IF btrim(coalesce(p_name, '')) = '' THEN
		PERFORM tafel_raise('TF011', 'the series needs a name', 'name');
	END IF;
	IF EXISTS (SELECT 1 FROM series WHERE name = p_name) THEN
		PERFORM tafel_raise('TF011', format('a series named %L exists '
		    || 'already', p_name), 'name');
	END IF;
	IF coalesce(p_kind, '') !~ '^[a-z][a-z0-9_]*$' THEN
		PERFORM tafel_raise('TF011', format('series kind %L: lowercase '
		    || 'letters, digits and _ (e.g. wzt, sso, casusoverleg_hg)',
		    p_kind), 'kind');
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(v_themes) t WHERE t !~ '^[a-z][a-z0-9_]*$')
	THEN
		PERFORM tafel_raise('TF011', format('themes %L: lowercase words '
		    || 'separated by commas (e.g. domestic_violence,at_risk_youth)',
		    p_themes), 'themes');
	END IF;
	IF coalesce(p_chair, '') <> '' THEN
		v_chair := tafel_admin_chair_user(p_chair, 'the usual chair');
	END IF;
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES (p_name, p_kind, v_themes, coalesce(p_district, ''), v_chair.id)
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

-- series member SERIES ORGANISATION: true when it was not a member yet.
CREATE OR REPLACE FUNCTION tafel_admin_series_member(p_series text,
    p_org text)
RETURNS boolean LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	s series := tafel_admin_series(p_series);
	o organisations := tafel_admin_org(p_org);
BEGIN
	INSERT INTO series_members (series_id, org_id) VALUES (s.id, o.id)
	ON CONFLICT DO NOTHING;
	RETURN FOUND;
END
$$;

-- series publish-days SERIES DAYS
CREATE OR REPLACE FUNCTION tafel_admin_publish_days(p_series text,
    p_days text)
RETURNS TABLE (id bigint, name text, publish_days_before int)
LANGUAGE plpgsql SET search_path = public AS $$
#variable_conflict use_column
DECLARE
	s series := tafel_admin_series(p_series);
BEGIN
	IF coalesce(p_days, '') !~ '^[0-9]{1,2}$' OR p_days::int > 20 THEN
		PERFORM tafel_raise('TF011', format('DAYS %L: a number of working '
		    || 'days from 0 (the day itself) to 20', p_days), 'days');
	END IF;
	RETURN QUERY
	UPDATE series x SET publish_days_before = p_days::int,
	    version = x.version + 1, updated_at = now()
	WHERE x.id = s.id
	RETURNING x.id, x.name, x.publish_days_before;
END
$$;

-- A theme or district that no series, case or process manager uses yet,
-- as a note for tafelctl ('' when all are known): a typo would make a new
-- one silently.
CREATE OR REPLACE FUNCTION tafel_admin_new_words(p_themes text,
    p_district text)
RETURNS text LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT concat_ws('; ',
	    (SELECT CASE WHEN count(*) = 1 THEN 'theme ' ELSE 'themes ' END
		|| string_agg(btrim(t), ', ')
		|| CASE WHEN count(*) = 1 THEN ' is' ELSE ' are' END || ' new (known: '
		|| coalesce((SELECT string_agg(DISTINCT k, ', ') FROM (
		    SELECT unnest(themes) k FROM series
		    UNION SELECT theme FROM cases) x), 'none') || ')'
	     FROM unnest(string_to_array(coalesce(p_themes, ''), ',')) t
	     WHERE btrim(t) <> '' AND NOT EXISTS (SELECT 1 FROM series
		 WHERE btrim(t) = ANY (themes))
		AND NOT EXISTS (SELECT 1 FROM cases WHERE theme = btrim(t))
		AND NOT EXISTS (SELECT 1 FROM process_managers
		    WHERE theme = btrim(t))
	     HAVING count(*) > 0),
	    (SELECT 'district ' || p_district || ' is new (known: '
		|| coalesce((SELECT string_agg(DISTINCT d, ', ') FROM (
		    SELECT district d FROM series WHERE district <> ''
		    UNION SELECT district FROM cases) x), 'none') || ')'
	     WHERE coalesce(p_district, '') <> ''
		AND NOT EXISTS (SELECT 1 FROM series WHERE district = p_district)
		AND NOT EXISTS (SELECT 1 FROM cases WHERE district = p_district)
		AND NOT EXISTS (SELECT 1 FROM process_managers
		    WHERE district = p_district)))
$$;

-- tafelctl meeting list [SERIES]: the meetings from today on, of every
-- series, or of those SERIES names (name, id or kind: every series of that
-- kind).  A SERIES that names none is an error, not an empty list.
CREATE OR REPLACE FUNCTION tafel_admin_meeting_list(p_series text)
RETURNS TABLE (id bigint, start text, series text, state text, chair text,
    reason text)
LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	IF p_series IS NOT NULL AND NOT EXISTS (SELECT 1 FROM series s
	    WHERE s.name = p_series OR s.kind = lower(p_series)
	    OR s.id::text = p_series) THEN
		PERFORM tafel_raise('TF016', format('no meeting series named %L, '
		    || 'nor of that kind (tafelctl series list)', p_series), 'series');
	END IF;
	RETURN QUERY SELECT m.id, to_char(m.scheduled_start AT TIME ZONE
	    'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI Dy'), s.name, m.state::text,
	    coalesce(u.display_name, '')::text, m.cancel_reason::text
	FROM meetings m JOIN series s ON s.id = m.series_id
	LEFT JOIN users u ON u.id = m.chair_id
	WHERE m.scheduled_start >= current_date AND (p_series IS NULL
	    OR s.name = p_series OR s.kind = lower(p_series)
	    OR s.id::text = p_series)
	ORDER BY m.scheduled_start, m.id;
END
$$;

-- tafelctl meeting plan --series: a series' name, its id, or its kind when
-- exactly one series has that kind.
CREATE OR REPLACE FUNCTION tafel_admin_plan_series(p_series text)
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v_id bigint;
	v_names text;
BEGIN
	SELECT id INTO v_id FROM series WHERE name = p_series
	    OR id::text = p_series ORDER BY name = p_series DESC LIMIT 1;
	IF FOUND THEN
		RETURN v_id;
	END IF;
	SELECT min(id), string_agg(format('%L', name), ', ' ORDER BY name)
	INTO v_id, v_names FROM series WHERE kind = lower(p_series);
	IF v_names IS NULL THEN
		PERFORM tafel_raise('TF016', format('no meeting series named %L, '
		    || 'nor of that kind (tafelctl series list)', p_series), 'series');
	END IF;
	IF v_names LIKE '%, %' THEN
		PERFORM tafel_raise('TF011', format('several series are of kind '
		    || '%s: %s; give the name or the id', lower(p_series), v_names),
		    'series');
	END IF;
	RETURN v_id;
END
$$;
