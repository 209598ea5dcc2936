-- The reads the server calls (SECURITY DEFINER entry points: they set
-- tafel.user_id, check access themselves and render per user), and login.

-- LoginResponse for a login name, with what the server needs to check the
-- password; locked: the account is locked now (the server refuses the login
-- without checking the password).  No row when the login does not exist.
CREATE OR REPLACE FUNCTION tafel_login_lookup(p_login text)
RETURNS TABLE (user_id bigint, password_hash text, disabled boolean,
    response jsonb, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT u.id, coalesce(u.password_hash, ''), u.disabled,
	    jsonb_build_object('user', tafel_json_user(u.id),
		'organisation', tafel_json_org(u.org_id), 'idle_timeout_s', 0),
	    coalesce(u.locked_until > now(), false)
	FROM users u WHERE u.login = p_login
$$;

-- After checking a password: ok resets the count; a failure counts, and
-- the p_max_failures-th consecutive one locks the account for
-- p_lock_seconds.  Returns true when the account is (now) locked.
CREATE OR REPLACE FUNCTION tafel_login_result(p_user_id bigint, p_ok boolean,
    p_max_failures int, p_lock_seconds int)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF u.locked_until > now() THEN
		RETURN true;
	END IF;
	IF p_ok THEN
		UPDATE users SET failed_logins = 0, locked_until = NULL
		WHERE id = u.id AND (failed_logins <> 0 OR locked_until IS NOT NULL);
		RETURN false;
	END IF;
	IF coalesce(p_max_failures, 0) > 0
	    AND u.failed_logins + 1 >= p_max_failures THEN
		UPDATE users SET failed_logins = 0, locked_until = now()
		    + make_interval(secs => greatest(coalesce(p_lock_seconds, 0), 1))
		WHERE id = u.id;
		RETURN true;
	END IF;
	UPDATE users SET failed_logins = failed_logins + 1, locked_until = NULL
	WHERE id = u.id;
	RETURN false;
END
$$;

-- SeriesList: the series the user's organisation is a member of (or that
-- the user usually chairs); all for an administrator.
CREATE OR REPLACE FUNCTION tafel_list_series(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object('series', coalesce((
	    SELECT jsonb_agg(tafel_json_series(s.id) ORDER BY s.name, s.id)
	    FROM series s
	    WHERE tafel_is_admin(u) OR s.usual_chair_id = u.id
		OR EXISTS (SELECT 1 FROM series_members sm
		    WHERE sm.series_id = s.id AND sm.org_id = u.org_id)),
	    '[]'::jsonb));
END
$$;

-- MeetingList: open meetings first, then by scheduled start.  0 = no filter.
CREATE OR REPLACE FUNCTION tafel_list_meetings(p_user_id bigint, p_series_id bigint,
    p_from_ts bigint, p_to_ts bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object('meetings', coalesce((
	    SELECT jsonb_agg(tafel_json_meeting(m.id)
		ORDER BY (m.state = 'open') DESC, m.scheduled_start, m.id)
	    FROM meetings m
	    WHERE (coalesce(p_series_id, 0) = 0 OR m.series_id = p_series_id)
		AND (coalesce(p_from_ts, 0) = 0
		    OR m.scheduled_start >= to_timestamp(p_from_ts))
		AND (coalesce(p_to_ts, 0) = 0
		    OR m.scheduled_start <= to_timestamp(p_to_ts))
		AND tafel_may_see_meeting(u, m.id)),
	    '[]'::jsonb));
END
$$;

-- OrganisationList: all organisations and all active users.
CREATE OR REPLACE FUNCTION tafel_list_orgs(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object(
	    'organisations', coalesce((SELECT jsonb_agg(tafel_json_org(o.id)
		ORDER BY o.name) FROM organisations o), '[]'::jsonb),
	    'users', coalesce((SELECT jsonb_agg(tafel_json_user(x.id)
		ORDER BY x.display_name, x.id) FROM users x WHERE NOT x.disabled),
		'[]'::jsonb),
	    -- the districts someone manages or meets about (no case's own:
	    -- a district only a hidden case has is not told; an MDO series
	    -- takes its one case's district, so it does not count)
	    'districts', coalesce((SELECT jsonb_agg(d.district ORDER BY d.district)
		FROM (SELECT s.district FROM series s WHERE s.district <> ''
		    AND s.kind <> 'mdo'
		    UNION SELECT p.district FROM process_managers p
		    WHERE p.district <> '') d), '[]'::jsonb));
END
$$;

-- The meeting of a snapshot that u may see (TF016 when there is none,
-- TF010 when u may not see it, or asks for its shared screen without
-- chairing it): the checks of every snapshot, cached or not.
CREATE OR REPLACE FUNCTION tafel_snapshot_meeting(u users, p_meeting_id bigint,
    p_presentation boolean)
RETURNS meetings LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	m meetings;
BEGIN
	SELECT * INTO m FROM meetings WHERE id = p_meeting_id;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF NOT tafel_may_see_meeting(u, m.id) THEN
		PERFORM tafel_raise('TF010', 'your organisation takes no part in '
		    || 'this meeting', 'meeting_id');
	END IF;
	IF coalesce(p_presentation, false) AND NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting or an '
		    || 'administrator can show the shared screen', 'presentation');
	END IF;
	RETURN m;
END
$$;

-- SubscribeResponse with a meeting snapshot, rendered for the user, or
-- with p_presentation for the meeting's shared screen (chair or admin
-- only), as JSON text: what the server sends on.  Each part is built
-- redacted for the viewer in one query (tafel_snapshot_parts, 62_bulk.sql)
-- and the parts are put together as text; tests/sql/29_snapshot_text.sql
-- asserts it is what tafel_render makes of the unredacted builders, with
-- the same audit rows.  The seq, the access and every part are read by
-- one statement (one snapshot of the data); the audit rows are written
-- before the answer is returned (the server sends it after the commit).
CREATE OR REPLACE FUNCTION tafel_snapshot_json(p_user_id bigint,
    p_meeting_id bigint, p_presentation boolean)
RETURNS json LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN tafel_snapshot_render(u, tafel_snapshot_meeting(u, p_meeting_id,
	    p_presentation), coalesce(p_presentation, false));
END
$$;

-- tafel_snapshot_json's rendering, for a viewer and meeting its checks
-- passed: no entry function (it leaves tafel.audit_collect as the caller
-- set it, so that tafel_snapshot_cached can collect its audit entries).
CREATE OR REPLACE FUNCTION tafel_snapshot_render(u users, m meetings,
    p_presentation boolean)
RETURNS json LANGUAGE plpgsql SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_pres boolean := coalesce(p_presentation, false);
	v_pm bigint;
	v_bm bigint;
	v_ctx text;
	p record;
	v_info jsonb := '[]';
	v_isent jsonb := '{}';		-- answers the shared screen shows
	v_el jsonb;
	v_r jsonb;
BEGIN
	-- tafel_render's viewer: the shared screen of the meeting, or the
	-- user with the shared screen's marks when they chair it
	v_pm := CASE WHEN v_pres THEN m.id ELSE 0 END;
	v_bm := CASE WHEN NOT v_pres AND tafel_may_chair(u, m) THEN m.id ELSE 0 END;
	v_ctx := CASE WHEN v_pres THEN 'beamer' ELSE 'snapshot' END;
	SELECT * INTO p FROM tafel_snapshot_parts(u.id, m.id, v_pm, v_bm);

	-- the info rounds by their own rule, each with its own audit
	-- (17_prep_base.sql), as tafel_render renders them
	FOR v_el IN SELECT e FROM jsonb_array_elements(p.info_rounds)
	    WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
		IF v_pres THEN
			v_r := tafel_render_info_round_beamer(v_el,
			    coalesce(p.acc -> (v_el ->> 'case_id'),
				tafel_beamer_access(m.id, u.id,
				    (v_el ->> 'case_id')::bigint)));
			v_isent := tafel_sent_merge(v_isent,
			    tafel_info_round_sent(v_r));
		ELSE
			v_r := tafel_render_info_round(u, v_el,
			    tafel_access(u.id, (v_el ->> 'case_id')::bigint), v_ctx,
			    m.id);
		END IF;
		CONTINUE WHEN v_r IS NULL;
		v_info := v_info || jsonb_build_array(v_r);
	END LOOP;

	-- the audit: one row per case that got any personal data (on the
	-- shared screen: per organisation present), as tafel_render writes
	-- it (tafel_audit_sent); then those of the carried-over action points
	PERFORM tafel_audit_sent(u, v_pm, m.id, v_ctx,
	    tafel_sent_merge(p.sent, v_isent));
	PERFORM tafel_audit_sent(u, v_pm, m.id, v_ctx, p.open_sent);

	RETURN json_build_object(
	    'seq', p.seq,
	    'resumed', false,
	    'snapshot', json_build_object(
		'meeting', p.meeting,
		'agenda', p.agenda,
		'cases', p.cases,
		'actions', p.actions,
		'info_rounds', v_info::json,
		'organisations', p.organisations,
		-- the series' member organisations: whose people are expected
		'member_org_ids', p.member_org_ids,
		-- the standing item "openstaande afspraken", rendered as
		-- list_open_actions renders it (what may not be seen is left
		-- out), on the shared screen as the room may see it
		'open_actions', p.open_actions,
		'earlier_meeting_ids', p.earlier_meeting_ids));
END
$$;


-- Has nothing a rendering reads changed since a snapshot rendered under
-- the MVCC snapshot p_snap at the time p_at (both taken first, before
-- any of the rendering's statements)?  Not when a transaction that wrote
-- the register (data_writes, 0024) is visible now and was not in p_snap,
-- when p_snap reaches below the floor under which those rows are
-- forgotten, when the day changed (the rendering's tafel_today()) or
-- when a case's twelve months (tafel_case_recent) ran out meanwhile;
-- and at most an hour, whatever the rest says.
CREATE OR REPLACE FUNCTION tafel_unchanged_since(p_snap pg_snapshot,
    p_at timestamptz)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT p_at <= now() AND p_at > now() - interval '1 hour'
	    AND (p_at AT TIME ZONE 'Europe/Amsterdam')::date = tafel_today()
	    AND pg_snapshot_xmin(p_snap) >= (SELECT f.floor_xid FROM data_write_floor f)
	    AND NOT EXISTS (SELECT 1 FROM data_writes w
		WHERE w.xid >= pg_snapshot_xmin(p_snap)
		AND NOT pg_visible_in_snapshot(w.xid, p_snap))
	    -- recent at p_at and no longer now: only a closed case can
	    -- stop being recent, and only by the clock
	    AND NOT EXISTS (SELECT 1 FROM cases c
		WHERE ((c.closed_at >= p_at - interval '12 months'
			AND c.closed_at < now() - interval '12 months')
		    OR (c.created_at >= p_at - interval '12 months'
			AND c.created_at < now() - interval '12 months'))
		AND c.closed_at IS NOT NULL
		AND c.closed_at < now() - interval '12 months'
		AND c.created_at < now() - interval '12 months')
$$;

-- A meeting's snapshot for a join, through tafeld's cache of snapshots
-- per class of viewers (server/snapcache.c).  The class is the push's
-- (tafel_viewer_classes: the organisation, observer or not, the meeting;
-- anyone for whom something depends on the person, and the shared
-- screen, has none and is never served from the cache), with the day.
-- p_key, p_snap, p_at and p_entries are what an earlier call returned
-- for a viewer the server takes to be of the same class (all NULL:
-- none).  When the class is that key and nothing changed since
-- (tafel_unchanged_since), the answer is hit: the caller sends the
-- snapshot it kept, and the disclosure is recorded for this user as the
-- rendering would have recorded it (p_entries, collected from that
-- rendering's audit: the same rows, with this user's id).  Else body
-- holds tafel_snapshot_json's answer, rendered for this user, and key,
-- snap, at and entries what a later call of the class needs (key NULL:
-- not to be kept).  Every check of tafel_snapshot_json comes first.
CREATE OR REPLACE FUNCTION tafel_snapshot_cached(p_user_id bigint,
    p_meeting_id bigint, p_presentation boolean, p_key text, p_snap text,
    p_at timestamptz, p_entries jsonb,
    OUT hit boolean, OUT key text, OUT snap text, OUT at timestamptz,
    OUT entries jsonb, OUT body json)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	-- before anything is read: what the rendering below sees is this or
	-- newer, so a write not visible here counts as a change
	v_snap pg_snapshot := pg_current_snapshot();
	u users := tafel_actor(p_user_id);
	v_pres boolean := coalesce(p_presentation, false);
	m meetings := tafel_snapshot_meeting(u, p_meeting_id, v_pres);
	v_class text;
BEGIN
	hit := false;
	IF NOT v_pres THEN
		SELECT c.class INTO v_class FROM tafel_viewer_classes(
		    jsonb_build_array(jsonb_build_object('user_id', u.id,
			'meeting_id', p_meeting_id)), false) c;
		IF v_class LIKE 'o:%' THEN
			key := v_class || ':' || tafel_today();
		END IF;
	END IF;
	IF key IS NOT NULL AND p_key = key AND p_snap IS NOT NULL
	    AND p_at IS NOT NULL AND jsonb_typeof(p_entries) = 'array'
	    AND tafel_unchanged_since(p_snap::pg_snapshot, p_at) THEN
		PERFORM tafel_audit_add_many(u.id, p_entries);
		hit := true;
		snap := p_snap;
		at := p_at;
		entries := p_entries;
		RETURN;
	END IF;
	IF key IS NULL THEN
		body := tafel_snapshot_render(u, m, v_pres);
		RETURN;
	END IF;
	-- the rendering's audit collected (tafel_audit_add), then written
	PERFORM set_config('tafel.audit_pending', '', true);
	PERFORM set_config('tafel.audit_collect', 'on', true);
	body := tafel_snapshot_render(u, m, false);
	entries := coalesce(nullif(current_setting('tafel.audit_pending', true),
	    ''), '[]')::jsonb;
	PERFORM set_config('tafel.audit_collect', 'off', true);
	PERFORM set_config('tafel.audit_pending', '', true);
	PERFORM tafel_audit_add_many(u.id, entries);
	snap := v_snap::text;
	at := now();
END
$$;

-- Forgets the data_writes rows no cached snapshot can need any more:
-- those below the oldest transaction still running, where the floor
-- moves too (a snapshot older than that is stale from now on), and any
-- of a transaction that has not begun yet: rows restored from a backup
-- of another cluster (`tafelctl restore`), whose xids mean nothing here
-- and would make every kept snapshot look stale.  Returns how many rows
-- went.
CREATE OR REPLACE FUNCTION tafel_forget_writes()
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_now pg_snapshot := pg_current_snapshot();
	v_floor xid8 := pg_snapshot_xmin(v_now);
	v_n bigint;
BEGIN
	UPDATE data_write_floor SET floor_xid = v_floor WHERE id = 1;
	-- (xmax: after the newest transaction that ended; this one's own
	-- row, when it wrote, can lie above it)
	DELETE FROM data_writes WHERE xid < v_floor
	    OR (xid >= pg_snapshot_xmax(v_now)
		AND xid IS DISTINCT FROM pg_current_xact_id_if_assigned());
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END
$$;

-- The same as jsonb, with the action points as arrays of objects (the SQL
-- tests and tools read it so).
CREATE OR REPLACE FUNCTION tafel_snapshot(p_user_id bigint, p_meeting_id bigint,
    p_presentation boolean)
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
	SELECT jsonb_set(jsonb_set(s, '{snapshot,actions}',
	    tafel_json_table_objects(s -> 'snapshot' -> 'actions')),
	    '{snapshot,open_actions}',
	    tafel_json_table_objects(s -> 'snapshot' -> 'open_actions'))
	FROM (SELECT tafel_snapshot_json(p_user_id, p_meeting_id,
	    p_presentation)::jsonb AS s) x
$$;

-- The same without the shared screen.
CREATE OR REPLACE FUNCTION tafel_snapshot(p_user_id bigint, p_meeting_id bigint)
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
	SELECT tafel_snapshot(p_user_id, p_meeting_id, false)
$$;

-- SubscribeResponse for the org-actions topic, rendered for the user.
CREATE OR REPLACE FUNCTION tafel_org_actions(p_user_id bigint,
    p_include_finished boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
	v jsonb;
BEGIN
	u := tafel_actor(p_user_id);
	SELECT jsonb_build_object(
	    'seq', (SELECT coalesce(max(cl.seq), 0) FROM changelog cl),
	    'actions', tafel_json_org_actions(u.org_id, NULL,
		coalesce(p_include_finished, false)))
	INTO v;
	RETURN jsonb_build_object(
	    'seq', v -> 'seq',
	    'resumed', false,
	    'actions', jsonb_build_object('actions', tafel_render(u.id, 0, 0,
		jsonb_build_object('actions', v -> 'actions'), 'action_list', 0,
		false) -> 'actions'));
END
$$;

-- ActionList: the user's own action points plus those of their
-- organisation that have no owner person, rendered for the user.
CREATE OR REPLACE FUNCTION tafel_my_actions(p_user_id bigint,
    p_include_finished boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	u := tafel_actor(p_user_id);
	RETURN jsonb_build_object('actions', tafel_render(u.id, 0, 0,
	    jsonb_build_object('actions', tafel_json_org_actions(u.org_id, u.id,
		coalesce(p_include_finished, false))), 'action_list', 0, false)
	    -> 'actions');
END
$$;

-- CaseDetail.  NOT_FOUND for a case the user has no connection to (not
-- involved, not on the agenda of a meeting they may see).  The history
-- lists only the meetings the user may see.
CREATE OR REPLACE FUNCTION tafel_get_case(p_user_id bigint, p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
	v_case jsonb;
	r jsonb;
BEGIN
	u := tafel_actor(p_user_id);
	v_case := tafel_json_case(p_case_id);
	IF v_case IS NULL
	    OR NOT (tafel_access(u.id, p_case_id) ->> 'connected')::boolean THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_id');
	END IF;
	r := tafel_render(u.id, 0, 0, jsonb_build_object(
	    'case', v_case,
	    'actions', tafel_json_case_actions(p_case_id, false),
	    'history', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'case_id', p_case_id,
		'meeting_id', m.id,
		'scheduled_start', tafel_unix(m.scheduled_start),
		-- when it was held (opened; 0 while not): its date in the
		-- history, which is in that order
		'held_at', tafel_unix(m.opened_at),
		'series_name', s.name,
		'decision', a.decision,
		'decision_changed_after_close',
		    tafel_decision_changed_after_close(a, m),
		'decision_by_name', CASE WHEN
		    tafel_decision_changed_after_close(a, m)
		    THEN coalesce(du.display_name, '') ELSE '' END,
		'decision_at', CASE WHEN tafel_decision_changed_after_close(a, m)
		    THEN tafel_unix(a.updated_at) ELSE 0 END)
		ORDER BY coalesce(m.opened_at, m.scheduled_start), m.id)
		FROM agenda_items a
		JOIN meetings m ON m.id = a.meeting_id
		JOIN series s ON s.id = m.series_id
		LEFT JOIN users du ON du.id = a.updated_by
		WHERE a.case_id = p_case_id AND tafel_may_see_meeting(u, m.id)),
		'[]'::jsonb),
	    -- intake and the plan of approach (0008)
	    'contributions', tafel_json_case_contributions(p_case_id),
	    'goals', tafel_json_case_goals(p_case_id),
	    'links', tafel_json_case_links(p_case_id),
	    -- its info rounds, newest first (0010; rendered by their own rule)
	    'info_rounds', coalesce((SELECT jsonb_agg(tafel_json_info_round(ir.id)
		ORDER BY ir.id DESC) FROM info_rounds ir
		WHERE ir.case_id = p_case_id), '[]'::jsonb)),
	    'case_view', 0, false);
	RETURN jsonb_build_object(
	    'case', r -> 'case',
	    'actions', r -> 'actions',
	    'contributions', coalesce(r -> 'contributions', '[]'),
	    'goals', coalesce(r -> 'goals', '[]'),
	    'links', coalesce(r -> 'links', '[]'),
	    'info_rounds', coalesce(r -> 'info_rounds', '[]'),
	    'history', coalesce((SELECT jsonb_agg(h - 'case_id' ORDER BY i)
		FROM jsonb_array_elements(r -> 'history') WITH ORDINALITY AS t(h, i)),
		'[]'::jsonb));
END
$$;

DROP FUNCTION IF EXISTS tafel_list_cases(bigint, boolean);

-- JSON bytes an answer's list may take: the 1 MiB frame less room for the
-- envelope and the rest of a snapshot.
CREATE OR REPLACE FUNCTION tafel_list_budget()
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT 960000::bigint $$;

-- CaseList: newest first; only the cases the user has a connection to,
-- below p_before_id when it is not 0 (the next page).  The list stops
-- before its size passes p_budget bytes of JSON (a case's protobuf is
-- smaller than its JSON), so the answer fits the 1 MiB frame limit however
-- many and however long the cases; omitted counts the older cases left out
-- (ask again with before_id = the last id).  The first case always comes.
-- Only the cases sent are rendered, so only their reads are audited; the
-- cases past the budget are only counted (their JSON is never built).
CREATE OR REPLACE FUNCTION tafel_list_cases(p_user_id bigint,
    p_include_closed boolean, p_before_id bigint, p_budget bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
	r record;
	v_j jsonb;
	v_list jsonb[] := '{}';
	v_total bigint := 0;
	v_size bigint;
	v_first_out bigint;	-- the newest case left out
	v_omitted bigint := 0;
BEGIN
	u := tafel_actor(p_user_id);
	FOR r IN SELECT c.id
	    FROM cases c
	    WHERE (coalesce(p_include_closed, false) OR c.status <> 'closed')
		AND (coalesce(p_before_id, 0) <= 0 OR c.id < p_before_id)
		AND (tafel_access(u.id, c.id) ->> 'connected')::boolean
	    ORDER BY c.id DESC LOOP
		v_j := tafel_json_case(r.id);
		-- 256: what redaction may add (reason, categories)
		v_size := octet_length(v_j::text) + 256;
		IF v_total + v_size > p_budget AND cardinality(v_list) > 0 THEN
			v_first_out := r.id;
			EXIT;
		END IF;
		v_total := v_total + v_size;
		v_list := v_list || v_j;
	END LOOP;
	IF v_first_out IS NOT NULL THEN
		SELECT count(*) INTO v_omitted
		FROM cases c
		WHERE (coalesce(p_include_closed, false) OR c.status <> 'closed')
		    AND c.id <= v_first_out
		    AND (tafel_access(u.id, c.id) ->> 'connected')::boolean;
	END IF;
	RETURN jsonb_build_object('cases', tafel_render(u.id, 0, 0,
	    jsonb_build_object('cases', to_jsonb(v_list)), 'case_list', 0,
	    false) -> 'cases', 'omitted', v_omitted);
END
$$;

-- The first page with the frame's budget (list_cases, the case list's
-- snapshot).
CREATE OR REPLACE FUNCTION tafel_list_cases(p_user_id bigint,
    p_include_closed boolean, p_before_id bigint DEFAULT 0)
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
	SELECT tafel_list_cases(p_user_id, p_include_closed, p_before_id,
	    tafel_list_budget())
$$;
