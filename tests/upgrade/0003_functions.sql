-- 0003 functions: the whole contract between the C server and the database.
--
-- The server never builds SQL.  Writes go through tafel_write(user, key, op,
-- args) only; reads call the tafel_* read functions below.  Every function
-- returns jsonb whose keys are the proto field names of a tafel.proto message
-- (enums as their lowercase value names without the enum prefix, dates as
-- 'YYYY-MM-DD', timestamps as Unix seconds, absent ids as 0, absent text as
-- "", repeated fields as arrays).
--
-- Errors: RAISE EXCEPTION with SQLSTATE 'TF0NN' where NN is the proto
-- ErrorCode, HINT = the offending request field (or ''), DETAIL = a JSON
-- object {"current_<record>": {...}} for CONFLICT (or '').
-- See docs/schema.md.

-- ---------------------------------------------------------------------------
-- Small helpers
-- ---------------------------------------------------------------------------

CREATE FUNCTION tafel_raise(p_code text, p_message text, p_field text DEFAULT '',
    p_detail text DEFAULT '')
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message,
	    HINT = coalesce(p_field, ''), DETAIL = coalesce(p_detail, '');
END
$$;

-- CONFLICT: p_key is one of current_meeting, current_agenda_item,
-- current_action_point, current_case, current_person.
CREATE FUNCTION tafel_conflict(p_key text, p_current jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'TF017',
	    MESSAGE = 'the record was changed by someone else (version mismatch)',
	    HINT = 'version',
	    DETAIL = jsonb_build_object(p_key, p_current)::text;
END
$$;

CREATE FUNCTION tafel_unix(p_ts timestamptz)
RETURNS bigint LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE WHEN p_ts IS NULL THEN 0
	    ELSE floor(extract(epoch FROM p_ts))::bigint END
$$;

CREATE FUNCTION tafel_datestr(p_date date)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT coalesce(to_char(p_date, 'YYYY-MM-DD'), '')
$$;

-- An id (or other int64) argument; absent or null is 0.  Accepts a JSON
-- number or a decimal string (proto3 JSON spells int64 as a string).
CREATE FUNCTION tafel_arg_id(p_args jsonb, p_field text, p_hint text DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
DECLARE
	v_text text := p_args ->> p_field;
BEGIN
	IF v_text IS NULL OR v_text = '' THEN
		RETURN 0;
	END IF;
	IF v_text !~ '^-?[0-9]{1,19}$' THEN
		PERFORM tafel_raise('TF011', p_field || ' must be an integer',
		    coalesce(p_hint, p_field));
	END IF;
	RETURN v_text::bigint;
EXCEPTION WHEN numeric_value_out_of_range THEN
	PERFORM tafel_raise('TF014', p_field || ' is out of range',
	    coalesce(p_hint, p_field));
END
$$;

CREATE FUNCTION tafel_arg_text(p_args jsonb, p_field text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT coalesce(p_args ->> p_field, '')
$$;

CREATE FUNCTION tafel_arg_bool(p_args jsonb, p_field text)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT coalesce((p_args ->> p_field) IN ('true', '1'), false)
$$;

-- A 'YYYY-MM-DD' argument; '' or absent is NULL.
CREATE FUNCTION tafel_arg_date(p_args jsonb, p_field text, p_hint text DEFAULT NULL)
RETURNS date LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
DECLARE
	v_text text := coalesce(p_args ->> p_field, '');
BEGIN
	IF v_text = '' THEN
		RETURN NULL;
	END IF;
	IF v_text !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		PERFORM tafel_raise('TF011', p_field || ' must be YYYY-MM-DD',
		    coalesce(p_hint, p_field));
	END IF;
	RETURN v_text::date;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
	PERFORM tafel_raise('TF011', p_field || ' is not a valid date',
	    coalesce(p_hint, p_field));
END
$$;

-- An enum argument: the value name ('info_round') or the proto number;
-- absent, null or '' is the proto default (the first name).
CREATE FUNCTION tafel_arg_enum(p_args jsonb, p_field text, p_names text[],
    p_hint text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
DECLARE
	v jsonb := p_args -> p_field;
	v_text text;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN p_names[1];
	END IF;
	v_text := v #>> '{}';
	IF jsonb_typeof(v) = 'number' THEN
		IF v_text ~ '^[0-9]{1,9}$' AND v_text::int < cardinality(p_names) THEN
			RETURN p_names[v_text::int + 1];
		END IF;
	ELSIF jsonb_typeof(v) = 'string' THEN
		IF v_text = '' THEN
			RETURN p_names[1];
		END IF;
		IF v_text = ANY (p_names) THEN
			RETURN v_text;
		END IF;
	END IF;
	PERFORM tafel_raise('TF011', 'invalid value for ' || p_field,
	    coalesce(p_hint, p_field));
	RETURN NULL;
END
$$;

CREATE FUNCTION tafel_enum_approach()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['person', 'system', 'area']
$$;

CREATE FUNCTION tafel_enum_case_status()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['signal', 'screening', 'info_round', 'direction', 'plan',
	    'in_progress', 'monitoring', 'closed']
$$;

CREATE FUNCTION tafel_enum_person_role()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['other', 'victim', 'suspect', 'child']
$$;

-- The acting user: must exist and not be disabled (else FORBIDDEN).
CREATE FUNCTION tafel_actor(p_user_id bigint)
RETURNS users LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled THEN
		PERFORM tafel_raise('TF010', 'unknown or disabled user');
	END IF;
	RETURN u;
END
$$;

CREATE FUNCTION tafel_is_admin(u users)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT 'admin' = ANY (u.roles)
$$;

-- Chair of this meeting, or an administrator.
CREATE FUNCTION tafel_may_chair(u users, m meetings)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT 'admin' = ANY (u.roles) OR m.chair_id = u.id
$$;

-- May see (subscribe to, list) a meeting: admin, its chair, a member
-- organisation of its series, or an organisation attending it.
CREATE FUNCTION tafel_may_see_meeting(u users, p_meeting_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT 'admin' = ANY (u.roles) OR EXISTS (
		SELECT 1 FROM meetings m
		WHERE m.id = p_meeting_id AND (m.chair_id = u.id
		    OR EXISTS (SELECT 1 FROM series_members sm
			WHERE sm.series_id = m.series_id AND sm.org_id = u.org_id)
		    OR EXISTS (SELECT 1 FROM attendance a
			WHERE a.meeting_id = m.id
			AND (a.org_id = u.org_id OR a.user_id = u.id))))
$$;

-- May edit a case (its fields and persons): admin, a chair (process
-- manager), the submitter's organisation or the case manager.
CREATE FUNCTION tafel_may_edit_case(u users, c cases)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT u.roles && ARRAY['admin', 'chair'] OR u.org_id = c.submitter_org_id
	    OR u.id IS NOT DISTINCT FROM c.case_manager_id
$$;

-- May change an action point: admin, a chair, the owner organisation's
-- members, or the case manager of its case.
CREATE FUNCTION tafel_may_manage_action(u users, a action_points)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT u.roles && ARRAY['admin', 'chair'] OR u.org_id = a.owner_org_id
	    OR EXISTS (SELECT 1 FROM cases c
		WHERE c.id = a.case_id AND c.case_manager_id = u.id)
$$;

-- The next case number of this year: '2026-0042'.
CREATE FUNCTION tafel_next_case_number()
RETURNS text LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_year int := extract(year FROM current_date)::int;
	v_n int;
BEGIN
	INSERT INTO case_counters AS cc (year, last) VALUES (v_year, 1)
	ON CONFLICT (year) DO UPDATE SET last = cc.last + 1
	RETURNING cc.last INTO v_n;
	RETURN v_year::text || '-' ||
	    CASE WHEN v_n < 10000 THEN lpad(v_n::text, 4, '0') ELSE v_n::text END;
END
$$;

-- ---------------------------------------------------------------------------
-- JSON builders: one proto message each.  NULL when the id does not exist.
-- ---------------------------------------------------------------------------

-- Organisation
CREATE FUNCTION tafel_json_org(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', o.id,
	    'name', o.name,
	    'kind', o.kind,
	    'covenant_signed', o.covenant_signed,
	    'covenant_since', tafel_datestr(o.covenant_since))
	FROM organisations o WHERE o.id = p_id
$$;

-- User
CREATE FUNCTION tafel_json_user(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', u.id,
	    'login', u.login,
	    'display_name', u.display_name,
	    'org_id', u.org_id,
	    'org_name', o.name,
	    'roles', coalesce((SELECT jsonb_agg(r ORDER BY array_position(
		ARRAY['admin', 'chair', 'member', 'observer'], r))
		FROM unnest(u.roles) r), '[]'::jsonb))
	FROM users u JOIN organisations o ON o.id = u.org_id
	WHERE u.id = p_id
$$;

-- Series
CREATE FUNCTION tafel_json_series(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', s.id,
	    'name', s.name,
	    'kind', s.kind,
	    'themes', to_jsonb(s.themes),
	    'district', s.district,
	    'member_org_ids', coalesce((SELECT jsonb_agg(sm.org_id ORDER BY sm.org_id)
		FROM series_members sm WHERE sm.series_id = s.id), '[]'::jsonb),
	    'usual_chair_id', coalesce(s.usual_chair_id, 0))
	FROM series s WHERE s.id = p_id
$$;

-- Attendance
CREATE FUNCTION tafel_json_attendance(p_meeting_id bigint, p_user_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'meeting_id', a.meeting_id,
	    'user_id', a.user_id,
	    'user_name', u.display_name,
	    'org_id', a.org_id,
	    'org_name', o.name,
	    'present', a.present,
	    'remote', a.remote)
	FROM attendance a
	JOIN users u ON u.id = a.user_id
	JOIN organisations o ON o.id = a.org_id
	WHERE a.meeting_id = p_meeting_id AND a.user_id = p_user_id
$$;

-- Meeting
CREATE FUNCTION tafel_json_meeting(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', m.id,
	    'series_id', m.series_id,
	    'series_name', s.name,
	    'scheduled_start', tafel_unix(m.scheduled_start),
	    'state', m.state,
	    'chair_id', m.chair_id,
	    'chair_name', coalesce(c.display_name, ''),
	    'current_item_id', coalesce(m.current_item_id, 0),
	    'attendance', coalesce((SELECT jsonb_agg(
		tafel_json_attendance(a.meeting_id, a.user_id)
		ORDER BY u.display_name, a.user_id)
		FROM attendance a JOIN users u ON u.id = a.user_id
		WHERE a.meeting_id = m.id), '[]'::jsonb),
	    'version', m.version)
	FROM meetings m
	JOIN series s ON s.id = m.series_id
	LEFT JOIN users c ON c.id = m.chair_id
	WHERE m.id = p_id
$$;

-- AgendaItem
CREATE FUNCTION tafel_json_item(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', a.id,
	    'meeting_id', a.meeting_id,
	    'case_id', a.case_id,
	    'position', a.position,
	    'state', a.state,
	    'decision', a.decision,
	    'version', a.version)
	FROM agenda_items a WHERE a.id = p_id
$$;

-- All AgendaItems of a meeting, in order.
CREATE FUNCTION tafel_json_items(p_meeting_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_item(a.id) ORDER BY a.position, a.id),
	    '[]'::jsonb)
	FROM agenda_items a WHERE a.meeting_id = p_meeting_id
$$;

-- Agenda
CREATE FUNCTION tafel_json_agenda(p_meeting_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object('meeting_id', p_meeting_id,
	    'items', tafel_json_items(p_meeting_id))
$$;

-- Person
CREATE FUNCTION tafel_json_person(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', p.id,
	    'case_id', p.case_id,
	    'role', p.role,
	    'name', p.name,
	    'birth_date', tafel_datestr(p.birth_date),
	    'version', p.version)
	FROM persons p WHERE p.id = p_id
$$;

-- Case (unredacted; the covenant rules of a later migration redact)
CREATE FUNCTION tafel_json_case(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', c.id,
	    'number', c.number,
	    'theme', c.theme,
	    'approach', c.approach,
	    'district', c.district,
	    'submitter_org_id', c.submitter_org_id,
	    'submitter_user_id', coalesce(c.submitter_user_id, 0),
	    'case_manager_id', coalesce(c.case_manager_id, 0),
	    'status', c.status,
	    'summary', c.summary,
	    'persons', coalesce((SELECT jsonb_agg(tafel_json_person(p.id) ORDER BY p.id)
		FROM persons p WHERE p.case_id = c.id), '[]'::jsonb),
	    'version', c.version,
	    'redacted', false,
	    'redaction_reason', '',
	    'submitter_org_name', so.name,
	    'case_manager_name', coalesce(cm.display_name, ''))
	FROM cases c
	JOIN organisations so ON so.id = c.submitter_org_id
	LEFT JOIN users cm ON cm.id = c.case_manager_id
	WHERE c.id = p_id
$$;

-- ActionPoint
CREATE FUNCTION tafel_json_action(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', a.id,
	    'case_id', a.case_id,
	    'meeting_id', coalesce(a.meeting_id, 0),
	    'description', a.description,
	    'owner_org_id', a.owner_org_id,
	    'owner_user_id', coalesce(a.owner_user_id, 0),
	    'due_date', tafel_datestr(a.due_date),
	    'state', a.state,
	    'completion_note', a.completion_note,
	    'version', a.version,
	    'updated_by', coalesce(a.updated_by, 0),
	    'updated_at', tafel_unix(a.updated_at),
	    'case_number', c.number,
	    'owner_org_name', o.name,
	    'owner_user_name', coalesce(u.display_name, ''),
	    'overdue', a.state = 'open' AND a.due_date < current_date)
	FROM action_points a
	JOIN cases c ON c.id = a.case_id
	JOIN organisations o ON o.id = a.owner_org_id
	LEFT JOIN users u ON u.id = a.owner_user_id
	WHERE a.id = p_id
$$;

-- The open action points of a case (for the add_agenda_item event).
CREATE FUNCTION tafel_json_case_actions(p_case_id bigint, p_open_only boolean)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_action(a.id)
	    ORDER BY (a.state = 'open' AND a.due_date < current_date) DESC,
	    a.due_date, a.id), '[]'::jsonb)
	FROM action_points a
	WHERE a.case_id = p_case_id AND (NOT p_open_only OR a.state = 'open')
$$;

-- ---------------------------------------------------------------------------
-- The change log
-- ---------------------------------------------------------------------------

-- Appends one change and notifies the server.  The advisory lock is taken
-- FIRST and held until the transaction ends, so transactions get their seq
-- in the order they commit: a reader that sees seq N committed has already
-- seen every seq below N that will ever commit.  (Rolled-back writes leave
-- gaps; seq is strictly increasing, not dense.)
CREATE FUNCTION tafel_log_change(p_actor bigint, p_meeting_id bigint,
    p_case_id bigint, p_org_ids bigint[], p_payload jsonb)
RETURNS bigint LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_seq bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(7410);
	v_seq := nextval('changelog_seq');
	INSERT INTO changelog (seq, at, actor_id, meeting_id, case_id, org_ids,
	    payload)
	VALUES (v_seq, clock_timestamp(), p_actor, nullif(p_meeting_id, 0),
	    nullif(p_case_id, 0),
	    ARRAY(SELECT DISTINCT x FROM unnest(coalesce(p_org_ids, '{}')) x
		WHERE x IS NOT NULL AND x <> 0 ORDER BY x),
	    p_payload);
	PERFORM pg_notify('tafel_changes', v_seq::text);
	RETURN v_seq;
END
$$;

-- ---------------------------------------------------------------------------
-- Write operations: tafel_op_<op>(user_id, args) -> response jsonb.
-- Called only through tafel_write.
-- ---------------------------------------------------------------------------

-- create_meeting: CreateMeetingRequest -> Meeting
CREATE FUNCTION tafel_op_create_meeting(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	s series;
	ch users;
	v_start bigint := tafel_arg_id(p_args, 'scheduled_start');
	v_chair bigint := tafel_arg_id(p_args, 'chair_id');
	v_id bigint;
	v_json jsonb;
BEGIN
	IF NOT u.roles && ARRAY['chair', 'admin'] THEN
		PERFORM tafel_raise('TF010',
		    'only a chair or an administrator can plan a meeting');
	END IF;
	SELECT * INTO s FROM series WHERE id = tafel_arg_id(p_args, 'series_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting series not found', 'series_id');
	END IF;
	IF v_start = 0 THEN
		PERFORM tafel_raise('TF011', 'scheduled_start is required',
		    'scheduled_start');
	END IF;
	-- 2000-01-01 .. 9999-12-31
	IF v_start NOT BETWEEN 946684800 AND 253402300799 THEN
		PERFORM tafel_raise('TF014', 'scheduled_start is out of range',
		    'scheduled_start');
	END IF;
	IF v_chair = 0 THEN
		v_chair := coalesce(s.usual_chair_id, u.id);
	END IF;
	SELECT * INTO ch FROM users WHERE id = v_chair;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'chair not found', 'chair_id');
	END IF;
	IF ch.disabled OR NOT ch.roles && ARRAY['chair', 'admin'] THEN
		PERFORM tafel_raise('TF011',
		    'the chair must be an active user with the chair role',
		    'chair_id');
	END IF;

	INSERT INTO meetings (series_id, scheduled_start, chair_id, created_by,
	    updated_by)
	VALUES (s.id, to_timestamp(v_start), ch.id, u.id, u.id)
	RETURNING id INTO v_id;

	v_json := tafel_json_meeting(v_id);
	PERFORM tafel_log_change(u.id, v_id, NULL, '{}',
	    jsonb_build_object('meeting', v_json));
	RETURN v_json;
END
$$;

-- open_meeting / close_meeting: MeetingStateRequest -> Meeting
CREATE FUNCTION tafel_meeting_state(p_user_id bigint, p_args jsonb, p_to text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	v_items jsonb := '[]';
	v_json jsonb;
	v_payload jsonb;
BEGIN
	SELECT * INTO m FROM meetings
	WHERE id = tafel_arg_id(p_args, 'meeting_id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010',
		    'only the chair of the meeting or an administrator can '
		    || CASE p_to WHEN 'open' THEN 'open' ELSE 'close' END || ' it');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> m.version THEN
		PERFORM tafel_conflict('current_meeting', tafel_json_meeting(m.id));
	END IF;
	IF NOT ((m.state = 'planned' AND p_to = 'open') OR
	    (m.state = 'open' AND p_to = 'closed')) THEN
		PERFORM tafel_raise('TF018', format('cannot move a meeting from %s to %s',
		    m.state, p_to));
	END IF;

	IF p_to = 'closed' AND m.current_item_id IS NOT NULL THEN
		UPDATE agenda_items SET state = 'discussed',
		    discussed_at = coalesce(discussed_at, now()),
		    version = version + 1, updated_at = now(), updated_by = u.id
		WHERE id = m.current_item_id;
		v_items := jsonb_build_array(tafel_json_item(m.current_item_id));
	END IF;

	UPDATE meetings SET state = p_to,
	    opened_at = CASE WHEN p_to = 'open' THEN now() ELSE opened_at END,
	    closed_at = CASE WHEN p_to = 'closed' THEN now() ELSE closed_at END,
	    current_item_id = CASE WHEN p_to = 'closed' THEN NULL
		ELSE current_item_id END,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = m.id;

	v_json := tafel_json_meeting(m.id);
	v_payload := jsonb_build_object('meeting', v_json);
	IF jsonb_array_length(v_items) > 0 THEN
		v_payload := v_payload || jsonb_build_object('agenda_items', v_items);
	END IF;
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}', v_payload);
	RETURN v_json;
END
$$;

CREATE FUNCTION tafel_op_open_meeting(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_meeting_state(p_user_id, p_args, 'open')
$$;

CREATE FUNCTION tafel_op_close_meeting(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_meeting_state(p_user_id, p_args, 'closed')
$$;

-- record_attendance: AttendanceRequest -> Attendance.  The meeting's version
-- is not bumped (attendance is its own record); the event carries the
-- meeting for its attendance list.
CREATE FUNCTION tafel_op_record_attendance(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	t users;
	v_json jsonb;
BEGIN
	SELECT * INTO m FROM meetings WHERE id = tafel_arg_id(p_args, 'meeting_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	SELECT * INTO t FROM users WHERE id = tafel_arg_id(p_args, 'user_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'user not found', 'user_id');
	END IF;
	IF t.id <> u.id AND NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting or an '
		    || 'administrator can record the attendance of others');
	END IF;

	INSERT INTO attendance AS a (meeting_id, user_id, org_id, present, remote,
	    updated_by)
	VALUES (m.id, t.id, t.org_id, tafel_arg_bool(p_args, 'present'),
	    tafel_arg_bool(p_args, 'remote'), u.id)
	ON CONFLICT (meeting_id, user_id) DO UPDATE SET
	    org_id = EXCLUDED.org_id, present = EXCLUDED.present,
	    remote = EXCLUDED.remote, updated_at = now(), updated_by = u.id;

	v_json := tafel_json_attendance(m.id, t.id);
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}', jsonb_build_object(
	    'attendance', v_json, 'meeting', tafel_json_meeting(m.id)));
	RETURN v_json;
END
$$;

-- The meeting of an agenda operation, locked, checked for chair and state.
CREATE FUNCTION tafel_agenda_meeting(u users, p_meeting_id bigint)
RETURNS meetings LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	m meetings;
BEGIN
	SELECT * INTO m FROM meetings WHERE id = p_meeting_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting or an '
		    || 'administrator can change its agenda');
	END IF;
	IF m.state = 'closed' THEN
		PERFORM tafel_raise('TF018', 'the meeting is closed');
	END IF;
	RETURN m;
END
$$;

-- add_agenda_item: AddAgendaItemRequest -> Agenda
CREATE FUNCTION tafel_op_add_agenda_item(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings := tafel_agenda_meeting(u, tafel_arg_id(p_args, 'meeting_id'));
	c cases;
	v_pos bigint := tafel_arg_id(p_args, 'position');
	v_n int;
	v_items jsonb;
BEGIN
	SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'case_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_id');
	END IF;
	IF EXISTS (SELECT 1 FROM agenda_items
	    WHERE meeting_id = m.id AND case_id = c.id) THEN
		PERFORM tafel_raise('TF011',
		    'the case is already on the agenda of this meeting', 'case_id');
	END IF;
	SELECT count(*) INTO v_n FROM agenda_items WHERE meeting_id = m.id;
	IF v_pos = 0 THEN
		v_pos := v_n + 1;
	ELSIF v_pos < 0 OR v_pos > v_n + 1 THEN
		PERFORM tafel_raise('TF014', format(
		    'position must be between 1 and %s (0: at the end)', v_n + 1),
		    'position');
	END IF;

	UPDATE agenda_items SET position = position + 1, version = version + 1,
	    updated_at = now(), updated_by = u.id
	WHERE meeting_id = m.id AND position >= v_pos;
	INSERT INTO agenda_items (meeting_id, case_id, position, created_by,
	    updated_by)
	VALUES (m.id, c.id, v_pos, u.id, u.id);

	v_items := tafel_json_items(m.id);
	PERFORM tafel_log_change(u.id, m.id, c.id, '{}', jsonb_build_object(
	    'agenda_items', v_items,
	    'case', tafel_json_case(c.id),
	    'actions', tafel_json_case_actions(c.id, true)));
	RETURN jsonb_build_object('meeting_id', m.id, 'items', v_items);
END
$$;

-- remove_agenda_item: RemoveAgendaItemRequest -> Agenda.  A discussed item
-- stays on the record and cannot be removed.
CREATE FUNCTION tafel_op_remove_agenda_item(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	it agenda_items;
	v_removed jsonb;
	v_items jsonb;
	v_payload jsonb;
	v_meeting_changed boolean := false;
BEGIN
	SELECT * INTO it FROM agenda_items WHERE id = tafel_arg_id(p_args, 'item_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'agenda item not found', 'item_id');
	END IF;
	m := tafel_agenda_meeting(u, it.meeting_id);
	SELECT * INTO it FROM agenda_items WHERE id = it.id FOR UPDATE;
	IF tafel_arg_id(p_args, 'version') <> it.version THEN
		PERFORM tafel_conflict('current_agenda_item', tafel_json_item(it.id));
	END IF;
	IF it.state = 'discussed' THEN
		PERFORM tafel_raise('TF018',
		    'a discussed item stays on the agenda and cannot be removed');
	END IF;

	v_removed := tafel_json_item(it.id) || '{"removed": true}'::jsonb;
	IF m.current_item_id = it.id THEN
		UPDATE meetings SET current_item_id = NULL, version = version + 1,
		    updated_at = now(), updated_by = u.id
		WHERE id = m.id;
		v_meeting_changed := true;
	END IF;
	DELETE FROM agenda_items WHERE id = it.id;
	UPDATE agenda_items SET position = position - 1, version = version + 1,
	    updated_at = now(), updated_by = u.id
	WHERE meeting_id = m.id AND position > it.position;

	v_items := tafel_json_items(m.id);
	v_payload := jsonb_build_object('agenda_items',
	    jsonb_build_array(v_removed) || v_items);
	IF v_meeting_changed THEN
		v_payload := v_payload || jsonb_build_object('meeting',
		    tafel_json_meeting(m.id));
	END IF;
	PERFORM tafel_log_change(u.id, m.id, it.case_id, '{}', v_payload);
	RETURN jsonb_build_object('meeting_id', m.id, 'items', v_items);
END
$$;

-- reorder_agenda: ReorderAgendaRequest -> Agenda
CREATE FUNCTION tafel_op_reorder_agenda(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings := tafel_agenda_meeting(u, tafel_arg_id(p_args, 'meeting_id'));
	v_ids bigint[];
	v_items jsonb;
BEGIN
	IF jsonb_typeof(p_args -> 'item_ids') IS DISTINCT FROM 'array' THEN
		v_ids := '{}';
	ELSE
		BEGIN
			SELECT coalesce(array_agg((e #>> '{}')::bigint ORDER BY ord), '{}')
			INTO v_ids
			FROM jsonb_array_elements(p_args -> 'item_ids')
			    WITH ORDINALITY AS t(e, ord);
		EXCEPTION WHEN invalid_text_representation
		    OR numeric_value_out_of_range THEN
			PERFORM tafel_raise('TF011', 'item_ids must be integers',
			    'item_ids');
		END;
	END IF;
	IF cardinality(v_ids) <> (SELECT count(DISTINCT x) FROM unnest(v_ids) x)
	    OR (SELECT array_agg(x ORDER BY x) FROM unnest(v_ids) x)
		IS DISTINCT FROM (SELECT array_agg(id ORDER BY id)
		    FROM agenda_items WHERE meeting_id = m.id) THEN
		PERFORM tafel_raise('TF011', 'item_ids must list every item of '
		    || 'the meeting exactly once', 'item_ids');
	END IF;

	UPDATE agenda_items a SET position = t.ord, version = a.version + 1,
	    updated_at = now(), updated_by = u.id
	FROM unnest(v_ids) WITH ORDINALITY AS t(id, ord)
	WHERE a.id = t.id AND a.position <> t.ord;

	v_items := tafel_json_items(m.id);
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}',
	    jsonb_build_object('agenda_items', v_items));
	RETURN jsonb_build_object('meeting_id', m.id, 'items', v_items);
END
$$;

-- set_current_item: SetCurrentItemRequest -> Meeting
CREATE FUNCTION tafel_op_set_current_item(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	it agenda_items;
	v_new bigint := tafel_arg_id(p_args, 'item_id');
	v_changed jsonb := '[]';
	v_json jsonb;
BEGIN
	SELECT * INTO m FROM meetings
	WHERE id = tafel_arg_id(p_args, 'meeting_id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting or an '
		    || 'administrator can move through the agenda');
	END IF;
	IF m.state <> 'open' THEN
		PERFORM tafel_raise('TF018', 'the meeting is not open');
	END IF;
	IF v_new <> 0 THEN
		SELECT * INTO it FROM agenda_items
		WHERE id = v_new AND meeting_id = m.id FOR UPDATE;
		IF NOT FOUND THEN
			PERFORM tafel_raise('TF016',
			    'agenda item not found in this meeting', 'item_id');
		END IF;
	END IF;

	IF m.current_item_id IS NOT NULL AND m.current_item_id <> v_new THEN
		UPDATE agenda_items SET state = 'discussed',
		    discussed_at = coalesce(discussed_at, now()),
		    version = version + 1, updated_at = now(), updated_by = u.id
		WHERE id = m.current_item_id;
		v_changed := v_changed || jsonb_build_array(
		    tafel_json_item(m.current_item_id));
	END IF;
	IF v_new <> 0 AND m.current_item_id IS DISTINCT FROM v_new THEN
		UPDATE agenda_items SET state = 'current',
		    version = version + 1, updated_at = now(), updated_by = u.id
		WHERE id = v_new;
		v_changed := v_changed || jsonb_build_array(tafel_json_item(v_new));
	END IF;
	UPDATE meetings SET current_item_id = nullif(v_new, 0),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = m.id;

	v_json := tafel_json_meeting(m.id);
	PERFORM tafel_log_change(u.id, m.id, it.case_id, '{}', jsonb_build_object(
	    'meeting', v_json, 'agenda_items', v_changed));
	RETURN v_json;
END
$$;

-- record_decision: RecordDecisionRequest -> AgendaItem.  Allowed after the
-- meeting closed too (the chair finishes the minutes).
CREATE FUNCTION tafel_op_record_decision(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	it agenda_items;
	v_json jsonb;
BEGIN
	SELECT * INTO it FROM agenda_items
	WHERE id = tafel_arg_id(p_args, 'item_id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'agenda item not found', 'item_id');
	END IF;
	SELECT * INTO m FROM meetings WHERE id = it.meeting_id;
	IF NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting or an '
		    || 'administrator can record decisions');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> it.version THEN
		PERFORM tafel_conflict('current_agenda_item', tafel_json_item(it.id));
	END IF;

	UPDATE agenda_items SET decision = tafel_arg_text(p_args, 'decision'),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = it.id;

	v_json := tafel_json_item(it.id);
	PERFORM tafel_log_change(u.id, m.id, it.case_id, '{}',
	    jsonb_build_object('agenda_items', jsonb_build_array(v_json)));
	RETURN v_json;
END
$$;

-- Validates owner_org_id / owner_user_id of an action point request.
CREATE FUNCTION tafel_check_action_owner(p_args jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_org bigint := tafel_arg_id(p_args, 'owner_org_id');
	v_user bigint := tafel_arg_id(p_args, 'owner_user_id');
	v_user_org bigint;
BEGIN
	IF v_org = 0 THEN
		PERFORM tafel_raise('TF011', 'owner_org_id is required',
		    'owner_org_id');
	END IF;
	IF NOT EXISTS (SELECT 1 FROM organisations WHERE id = v_org) THEN
		PERFORM tafel_raise('TF016', 'organisation not found',
		    'owner_org_id');
	END IF;
	IF v_user <> 0 THEN
		SELECT org_id INTO v_user_org FROM users WHERE id = v_user;
		IF NOT FOUND THEN
			PERFORM tafel_raise('TF016', 'user not found',
			    'owner_user_id');
		END IF;
		IF v_user_org <> v_org THEN
			PERFORM tafel_raise('TF011', 'the owner does not belong to '
			    || 'the owner organisation', 'owner_user_id');
		END IF;
	END IF;
END
$$;

-- create_action: CreateActionRequest -> ActionPoint
CREATE FUNCTION tafel_op_create_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases;
	m meetings;
	v_meeting bigint := tafel_arg_id(p_args, 'meeting_id');
	v_due date;
	v_base date := current_date;
	v_id bigint;
	v_json jsonb;
BEGIN
	SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'case_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_id');
	END IF;
	IF v_meeting <> 0 THEN
		SELECT * INTO m FROM meetings WHERE id = v_meeting;
		IF NOT FOUND THEN
			PERFORM tafel_raise('TF016', 'meeting not found',
			    'meeting_id');
		END IF;
		v_base := m.scheduled_start::date;
	END IF;
	IF NOT (tafel_is_admin(u) OR (v_meeting <> 0 AND m.chair_id = u.id)
	    OR u.org_id = c.submitter_org_id
	    OR u.id IS NOT DISTINCT FROM c.case_manager_id) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting, an '
		    || 'administrator, the submitting organisation or the case '
		    || 'manager can agree an action point');
	END IF;
	IF v_meeting <> 0 AND NOT EXISTS (SELECT 1 FROM agenda_items
	    WHERE meeting_id = m.id AND case_id = c.id) THEN
		PERFORM tafel_raise('TF011',
		    'the case is not on the agenda of this meeting', 'meeting_id');
	END IF;
	IF btrim(tafel_arg_text(p_args, 'description')) = '' THEN
		PERFORM tafel_raise('TF011', 'description is required',
		    'description');
	END IF;
	PERFORM tafel_check_action_owner(p_args);
	v_due := tafel_arg_date(p_args, 'due_date');
	IF v_due IS NULL THEN
		PERFORM tafel_raise('TF011', 'due_date is required', 'due_date');
	END IF;
	IF v_due < v_base - interval '1 year' THEN
		PERFORM tafel_raise('TF014',
		    'due_date is more than a year before the meeting', 'due_date');
	END IF;

	INSERT INTO action_points (case_id, meeting_id, description, owner_org_id,
	    owner_user_id, due_date, created_by, updated_by)
	VALUES (c.id, nullif(v_meeting, 0), tafel_arg_text(p_args, 'description'),
	    tafel_arg_id(p_args, 'owner_org_id'),
	    nullif(tafel_arg_id(p_args, 'owner_user_id'), 0), v_due, u.id, u.id)
	RETURNING id INTO v_id;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (c.id, tafel_arg_id(p_args, 'owner_org_id'), u.id)
	ON CONFLICT DO NOTHING;

	v_json := tafel_json_action(v_id);
	PERFORM tafel_log_change(u.id, v_meeting, c.id,
	    ARRAY[tafel_arg_id(p_args, 'owner_org_id')],
	    jsonb_build_object('action_point', v_json));
	RETURN v_json;
END
$$;

-- The action point of update/complete/cancel, locked and checked.
CREATE FUNCTION tafel_action_for_change(u users, p_args jsonb)
RETURNS action_points LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	a action_points;
BEGIN
	SELECT * INTO a FROM action_points
	WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'action point not found', 'id');
	END IF;
	IF NOT tafel_may_manage_action(u, a) THEN
		PERFORM tafel_raise('TF010', 'only the owner organisation, the '
		    || 'case manager, a chair or an administrator can change this '
		    || 'action point');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> a.version THEN
		PERFORM tafel_conflict('current_action_point',
		    tafel_json_action(a.id));
	END IF;
	IF a.state <> 'open' THEN
		PERFORM tafel_raise('TF018', format(
		    'the action point is %s, not open', a.state));
	END IF;
	RETURN a;
END
$$;

-- update_action: UpdateActionRequest -> ActionPoint.  The request carries
-- the whole editable record (owner_user_id 0: the organisation as a whole).
CREATE FUNCTION tafel_op_update_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	a action_points := tafel_action_for_change(u, p_args);
	v_due date;
	v_org bigint := tafel_arg_id(p_args, 'owner_org_id');
	v_json jsonb;
BEGIN
	IF btrim(tafel_arg_text(p_args, 'description')) = '' THEN
		PERFORM tafel_raise('TF011', 'description is required',
		    'description');
	END IF;
	PERFORM tafel_check_action_owner(p_args);
	v_due := tafel_arg_date(p_args, 'due_date');
	IF v_due IS NULL THEN
		PERFORM tafel_raise('TF011', 'due_date is required', 'due_date');
	END IF;
	IF v_due < a.created_at::date - interval '1 year' THEN
		PERFORM tafel_raise('TF014', 'due_date is more than a year before '
		    || 'the action point was agreed', 'due_date');
	END IF;

	UPDATE action_points SET
	    description = tafel_arg_text(p_args, 'description'),
	    owner_org_id = v_org,
	    owner_user_id = nullif(tafel_arg_id(p_args, 'owner_user_id'), 0),
	    due_date = v_due,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = a.id;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (a.case_id, v_org, u.id)
	ON CONFLICT DO NOTHING;

	v_json := tafel_json_action(a.id);
	PERFORM tafel_log_change(u.id, a.meeting_id, a.case_id,
	    ARRAY[a.owner_org_id, v_org],
	    jsonb_build_object('action_point', v_json));
	RETURN v_json;
END
$$;

-- complete_action / cancel_action: FinishActionRequest -> ActionPoint
CREATE FUNCTION tafel_finish_action(p_user_id bigint, p_args jsonb, p_to text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	a action_points := tafel_action_for_change(u, p_args);
	v_note text := btrim(tafel_arg_text(p_args, 'note'));
	v_json jsonb;
BEGIN
	IF p_to = 'done' AND v_note = '' THEN
		PERFORM tafel_raise('TF011', 'a note for the submitter is required '
		    || 'to complete an action point', 'note');
	END IF;

	UPDATE action_points SET state = p_to, completion_note = v_note,
	    finished_at = now(), finished_by = u.id,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = a.id;

	v_json := tafel_json_action(a.id);
	PERFORM tafel_log_change(u.id, a.meeting_id, a.case_id,
	    ARRAY[a.owner_org_id], jsonb_build_object('action_point', v_json));
	RETURN v_json;
END
$$;

CREATE FUNCTION tafel_op_complete_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_finish_action(p_user_id, p_args, 'done')
$$;

CREATE FUNCTION tafel_op_cancel_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_finish_action(p_user_id, p_args, 'cancelled')
$$;

-- Validates the case fields shared by create_case and update_case.
CREATE FUNCTION tafel_check_case_args(p_args jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_cm bigint := tafel_arg_id(p_args, 'case_manager_id');
BEGIN
	IF tafel_arg_text(p_args, 'theme') !~ '^[a-z][a-z0-9_]*$' THEN
		PERFORM tafel_raise('TF011', 'theme must be a lowercase word '
		    || '(e.g. domestic_violence)', 'theme');
	END IF;
	PERFORM tafel_arg_enum(p_args, 'approach', tafel_enum_approach());
	IF v_cm <> 0 AND NOT EXISTS (SELECT 1 FROM users
	    WHERE id = v_cm AND NOT disabled) THEN
		PERFORM tafel_raise('TF016', 'case manager not found',
		    'case_manager_id');
	END IF;
END
$$;

-- Validates the fields of a Person object (p_hint: 'person' or 'persons').
CREATE FUNCTION tafel_check_person(p_person jsonb, p_hint text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_birth date;
BEGIN
	IF jsonb_typeof(p_person) IS DISTINCT FROM 'object' THEN
		PERFORM tafel_raise('TF011', 'a person must be an object', p_hint);
	END IF;
	PERFORM tafel_arg_enum(p_person, 'role', tafel_enum_person_role(),
	    p_hint || '.role');
	IF btrim(tafel_arg_text(p_person, 'name')) = '' THEN
		PERFORM tafel_raise('TF011', 'a person needs a name',
		    p_hint || '.name');
	END IF;
	v_birth := tafel_arg_date(p_person, 'birth_date', p_hint || '.birth_date');
	IF v_birth > current_date OR v_birth < date '1900-01-01' THEN
		PERFORM tafel_raise('TF014', 'birth_date is out of range',
		    p_hint || '.birth_date');
	END IF;
END
$$;

-- create_case: CreateCaseRequest -> Case
CREATE FUNCTION tafel_op_create_case(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_persons jsonb := coalesce(p_args -> 'persons', '[]');
	v_person jsonb;
	v_id bigint;
	v_json jsonb;
BEGIN
	PERFORM tafel_check_case_args(p_args);
	IF jsonb_typeof(v_persons) = 'null' THEN
		v_persons := '[]';
	END IF;
	IF jsonb_typeof(v_persons) <> 'array' THEN
		PERFORM tafel_raise('TF011', 'persons must be a list', 'persons');
	END IF;
	FOR v_person IN SELECT e FROM jsonb_array_elements(v_persons) e LOOP
		PERFORM tafel_check_person(v_person, 'persons');
	END LOOP;

	INSERT INTO cases (number, theme, approach, district, submitter_org_id,
	    submitter_user_id, case_manager_id, summary, created_by, updated_by)
	VALUES (tafel_next_case_number(), tafel_arg_text(p_args, 'theme'),
	    tafel_arg_enum(p_args, 'approach', tafel_enum_approach()),
	    tafel_arg_text(p_args, 'district'), u.org_id, u.id,
	    nullif(tafel_arg_id(p_args, 'case_manager_id'), 0),
	    tafel_arg_text(p_args, 'summary'), u.id, u.id)
	RETURNING id INTO v_id;

	INSERT INTO persons (case_id, role, name, birth_date, updated_by)
	SELECT v_id, tafel_arg_enum(e, 'role', tafel_enum_person_role()),
	    btrim(tafel_arg_text(e, 'name')), tafel_arg_date(e, 'birth_date'), u.id
	FROM jsonb_array_elements(v_persons) WITH ORDINALITY AS t(e, ord)
	ORDER BY ord;

	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (v_id, u.org_id, u.id);

	v_json := tafel_json_case(v_id);
	PERFORM tafel_log_change(u.id, NULL, v_id, '{}',
	    jsonb_build_object('case', v_json));
	RETURN v_json;
END
$$;

-- The case of update_case / move_case, locked, checked for version.
CREATE FUNCTION tafel_case_for_change(u users, p_args jsonb, p_move boolean)
RETURNS cases LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	c cases;
BEGIN
	SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'case not found', 'id');
	END IF;
	IF p_move THEN
		IF NOT (u.roles && ARRAY['admin', 'chair']
		    OR u.id IS NOT DISTINCT FROM c.case_manager_id) THEN
			PERFORM tafel_raise('TF010', 'only a chair (process manager), '
			    || 'the case manager or an administrator can route a case');
		END IF;
	ELSIF NOT tafel_may_edit_case(u, c) THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a chair or an administrator can change a case');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> c.version THEN
		PERFORM tafel_conflict('current_case', tafel_json_case(c.id));
	END IF;
	RETURN c;
END
$$;

-- update_case: UpdateCaseRequest -> Case (the whole editable record)
CREATE FUNCTION tafel_op_update_case(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases := tafel_case_for_change(u, p_args, false);
	v_json jsonb;
BEGIN
	PERFORM tafel_check_case_args(p_args);
	UPDATE cases SET theme = tafel_arg_text(p_args, 'theme'),
	    approach = tafel_arg_enum(p_args, 'approach', tafel_enum_approach()),
	    district = tafel_arg_text(p_args, 'district'),
	    case_manager_id = nullif(tafel_arg_id(p_args, 'case_manager_id'), 0),
	    summary = tafel_arg_text(p_args, 'summary'),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = c.id;

	v_json := tafel_json_case(c.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}',
	    jsonb_build_object('case', v_json));
	RETURN v_json;
END
$$;

-- move_case: MoveCaseRequest -> Case, along case_transitions only.
CREATE FUNCTION tafel_op_move_case(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases := tafel_case_for_change(u, p_args, true);
	v_to text := tafel_arg_enum(p_args, 'to', tafel_enum_case_status());
	v_json jsonb;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM case_transitions
	    WHERE from_status = c.status AND to_status = v_to) THEN
		PERFORM tafel_raise('TF018', format(
		    'a case cannot move from %s to %s', c.status, v_to), 'to');
	END IF;
	UPDATE cases SET status = v_to,
	    closed_at = CASE WHEN v_to = 'closed' THEN now() END,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = c.id;

	v_json := tafel_json_case(c.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}',
	    jsonb_build_object('case', v_json));
	RETURN v_json;
END
$$;

-- add_person: PersonRequest (person.id = 0) -> Person.  The case's version
-- is not bumped (persons carry their own); the event carries the case for
-- its persons list.
CREATE FUNCTION tafel_op_add_person(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_p jsonb := coalesce(p_args -> 'person', '{}');
	c cases;
	v_id bigint;
	v_json jsonb;
BEGIN
	PERFORM tafel_check_person(v_p, 'person');
	IF tafel_arg_id(v_p, 'id', 'person.id') <> 0 THEN
		PERFORM tafel_raise('TF011', 'a new person has no id (use '
		    || 'update_person)', 'person.id');
	END IF;
	SELECT * INTO c FROM cases
	WHERE id = tafel_arg_id(v_p, 'case_id', 'person.case_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'case not found', 'person.case_id');
	END IF;
	IF NOT tafel_may_edit_case(u, c) THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a chair or an administrator can change a case');
	END IF;

	INSERT INTO persons (case_id, role, name, birth_date, updated_by)
	VALUES (c.id, tafel_arg_enum(v_p, 'role', tafel_enum_person_role()),
	    btrim(tafel_arg_text(v_p, 'name')), tafel_arg_date(v_p, 'birth_date'),
	    u.id)
	RETURNING id INTO v_id;

	v_json := tafel_json_person(v_id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}', jsonb_build_object(
	    'person', v_json, 'case', tafel_json_case(c.id)));
	RETURN v_json;
END
$$;

-- update_person: PersonRequest -> Person
CREATE FUNCTION tafel_op_update_person(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_p jsonb := coalesce(p_args -> 'person', '{}');
	p persons;
	c cases;
	v_case bigint;
	v_json jsonb;
BEGIN
	IF jsonb_typeof(v_p) IS DISTINCT FROM 'object' THEN
		PERFORM tafel_raise('TF011', 'person is required', 'person');
	END IF;
	SELECT * INTO p FROM persons
	WHERE id = tafel_arg_id(v_p, 'id', 'person.id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'person not found', 'person.id');
	END IF;
	v_case := tafel_arg_id(v_p, 'case_id', 'person.case_id');
	IF v_case <> 0 AND v_case <> p.case_id THEN
		PERFORM tafel_raise('TF011', 'a person cannot move to another case',
		    'person.case_id');
	END IF;
	SELECT * INTO c FROM cases WHERE id = p.case_id;
	IF NOT tafel_may_edit_case(u, c) THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a chair or an administrator can change a case');
	END IF;
	IF tafel_arg_id(v_p, 'version', 'person.version') <> p.version THEN
		PERFORM tafel_conflict('current_person', tafel_json_person(p.id));
	END IF;
	PERFORM tafel_check_person(v_p, 'person');

	UPDATE persons SET
	    role = tafel_arg_enum(v_p, 'role', tafel_enum_person_role()),
	    name = btrim(tafel_arg_text(v_p, 'name')),
	    birth_date = tafel_arg_date(v_p, 'birth_date'),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = p.id;

	v_json := tafel_json_person(p.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}', jsonb_build_object(
	    'person', v_json, 'case', tafel_json_case(c.id)));
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- The single entry point for writes
-- ---------------------------------------------------------------------------

-- The op names tafel_write accepts (the Envelope body names of the writes).
CREATE FUNCTION tafel_write_ops()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['create_meeting', 'open_meeting', 'close_meeting',
	    'record_attendance', 'add_agenda_item', 'remove_agenda_item',
	    'reorder_agenda', 'set_current_item', 'record_decision',
	    'create_action', 'update_action', 'complete_action', 'cancel_action',
	    'create_case', 'update_case', 'add_person', 'update_person',
	    'move_case']
$$;

CREATE FUNCTION tafel_write(p_user_id bigint, p_key text, p_op text, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_args jsonb := coalesce(p_args, '{}');
	v_hash text;
	v_row idempotency;
	v_n int;
	v_resp jsonb;
BEGIN
	IF NOT u.roles && ARRAY['admin', 'chair', 'member'] THEN
		PERFORM tafel_raise('TF010', 'observers cannot change the register');
	END IF;
	IF p_key IS NULL OR p_key = '' THEN
		PERFORM tafel_raise('TF019', 'an idempotency key is required');
	END IF;
	IF length(p_key) > 64 OR p_key !~ '^[\x21-\x7e]+$' THEN
		PERFORM tafel_raise('TF011', 'the idempotency key must be 1..64 '
		    || 'printable ASCII characters', 'idempotency_key');
	END IF;
	IF p_op IS NULL OR NOT p_op = ANY (tafel_write_ops()) THEN
		PERFORM tafel_raise('TF011', format('unknown operation %L', p_op));
	END IF;
	IF jsonb_typeof(v_args) <> 'object' THEN
		PERFORM tafel_raise('TF011', 'the arguments must be a JSON object');
	END IF;

	v_hash := md5(v_args::text);
	INSERT INTO idempotency (user_id, key, op, args_hash)
	VALUES (u.id, p_key, p_op, v_hash)
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n = 0 THEN
		SELECT * INTO v_row FROM idempotency
		WHERE user_id = u.id AND key = p_key;
		IF v_row.op = p_op AND v_row.args_hash = v_hash
		    AND v_row.response IS NOT NULL THEN
			RETURN v_row.response;
		END IF;
		IF v_row.op = p_op AND v_row.args_hash = v_hash THEN
			PERFORM tafel_raise('TF022', 'write with this idempotency '
			    || 'key is still in progress');
		END IF;
		PERFORM tafel_raise('TF020', 'idempotency key already used for a '
		    || 'different request');
	END IF;

	v_resp := CASE p_op
	    WHEN 'create_meeting' THEN tafel_op_create_meeting(u.id, v_args)
	    WHEN 'open_meeting' THEN tafel_op_open_meeting(u.id, v_args)
	    WHEN 'close_meeting' THEN tafel_op_close_meeting(u.id, v_args)
	    WHEN 'record_attendance' THEN tafel_op_record_attendance(u.id, v_args)
	    WHEN 'add_agenda_item' THEN tafel_op_add_agenda_item(u.id, v_args)
	    WHEN 'remove_agenda_item' THEN tafel_op_remove_agenda_item(u.id, v_args)
	    WHEN 'reorder_agenda' THEN tafel_op_reorder_agenda(u.id, v_args)
	    WHEN 'set_current_item' THEN tafel_op_set_current_item(u.id, v_args)
	    WHEN 'record_decision' THEN tafel_op_record_decision(u.id, v_args)
	    WHEN 'create_action' THEN tafel_op_create_action(u.id, v_args)
	    WHEN 'update_action' THEN tafel_op_update_action(u.id, v_args)
	    WHEN 'complete_action' THEN tafel_op_complete_action(u.id, v_args)
	    WHEN 'cancel_action' THEN tafel_op_cancel_action(u.id, v_args)
	    WHEN 'create_case' THEN tafel_op_create_case(u.id, v_args)
	    WHEN 'update_case' THEN tafel_op_update_case(u.id, v_args)
	    WHEN 'add_person' THEN tafel_op_add_person(u.id, v_args)
	    WHEN 'update_person' THEN tafel_op_update_person(u.id, v_args)
	    WHEN 'move_case' THEN tafel_op_move_case(u.id, v_args)
	END;

	UPDATE idempotency SET response = v_resp
	WHERE user_id = u.id AND key = p_key;
	RETURN v_resp;
END
$$;

-- ---------------------------------------------------------------------------
-- Reads
-- ---------------------------------------------------------------------------

-- LoginResponse for a login name, with what the server needs to check the
-- password.  No row when the login does not exist.
CREATE FUNCTION tafel_login_lookup(p_login text)
RETURNS TABLE (user_id bigint, password_hash text, disabled boolean,
    response jsonb)
LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT u.id, coalesce(u.password_hash, ''), u.disabled,
	    jsonb_build_object('user', tafel_json_user(u.id),
		'organisation', tafel_json_org(u.org_id), 'idle_timeout_s', 0)
	FROM users u WHERE u.login = p_login
$$;

-- SeriesList: the series the user's organisation is a member of (or that
-- the user usually chairs); all for an administrator.
CREATE FUNCTION tafel_list_series(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
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
CREATE FUNCTION tafel_list_meetings(p_user_id bigint, p_series_id bigint,
    p_from_ts bigint, p_to_ts bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
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

-- SubscribeResponse with a meeting snapshot.  seq and the snapshot are read
-- by one statement, so they describe the same committed state (see
-- tafel_log_change).
CREATE FUNCTION tafel_snapshot(p_user_id bigint, p_meeting_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_json jsonb;
BEGIN
	SELECT jsonb_build_object(
	    'seq', (SELECT coalesce(max(cl.seq), 0) FROM changelog cl),
	    'resumed', false,
	    'snapshot', jsonb_build_object(
		'meeting', tafel_json_meeting(m.id),
		'agenda', tafel_json_items(m.id),
		'cases', coalesce((SELECT jsonb_agg(tafel_json_case(a.case_id)
		    ORDER BY a.position, a.id)
		    FROM agenda_items a WHERE a.meeting_id = m.id), '[]'::jsonb),
		'actions', coalesce((SELECT jsonb_agg(tafel_json_action(ap.id)
		    ORDER BY (ap.state = 'open' AND ap.due_date < current_date)
			DESC, ap.due_date, ap.id)
		    FROM action_points ap
		    WHERE ap.case_id IN (SELECT a.case_id FROM agenda_items a
			WHERE a.meeting_id = m.id)), '[]'::jsonb),
		'organisations', coalesce((SELECT jsonb_agg(tafel_json_org(o.id)
		    ORDER BY o.name) FROM organisations o), '[]'::jsonb)),
	    -- the access check, from the same snapshot
	    'may_see', tafel_may_see_meeting(u, m.id))
	INTO v_json
	FROM meetings m WHERE m.id = p_meeting_id;
	IF v_json IS NULL THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF NOT (v_json ->> 'may_see')::boolean THEN
		PERFORM tafel_raise('TF010', 'your organisation takes no part in '
		    || 'this meeting', 'meeting_id');
	END IF;
	RETURN v_json - 'may_see';
END
$$;

-- The action points of an organisation: overdue first, then by due date.
CREATE FUNCTION tafel_json_org_actions(p_org_id bigint, p_user_id bigint,
    p_include_finished boolean)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_action(a.id)
	    ORDER BY (a.state = 'open' AND a.due_date < current_date) DESC,
	    a.due_date, a.id), '[]'::jsonb)
	FROM action_points a
	WHERE (p_include_finished OR a.state = 'open')
	    AND CASE WHEN p_user_id IS NULL THEN a.owner_org_id = p_org_id
		ELSE a.owner_user_id = p_user_id
		    OR (a.owner_org_id = p_org_id AND a.owner_user_id IS NULL) END
$$;

-- SubscribeResponse for the org-actions topic.
CREATE FUNCTION tafel_org_actions(p_user_id bigint, p_include_finished boolean)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object(
	    'seq', (SELECT coalesce(max(cl.seq), 0) FROM changelog cl),
	    'resumed', false,
	    'actions', jsonb_build_object('actions', tafel_json_org_actions(
		u.org_id, NULL, coalesce(p_include_finished, false))));
END
$$;

-- ActionList: the user's own action points plus those of their
-- organisation that have no owner person.
CREATE FUNCTION tafel_my_actions(p_user_id bigint, p_include_finished boolean)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object('actions', tafel_json_org_actions(u.org_id, u.id,
	    coalesce(p_include_finished, false)));
END
$$;

-- CaseDetail: the case, all its action points and its meeting history.
CREATE FUNCTION tafel_get_case(p_user_id bigint, p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_case jsonb := tafel_json_case(p_case_id);
BEGIN
	IF v_case IS NULL THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_id');
	END IF;
	RETURN jsonb_build_object(
	    'case', v_case,
	    'actions', tafel_json_case_actions(p_case_id, false),
	    'history', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'meeting_id', m.id,
		'scheduled_start', tafel_unix(m.scheduled_start),
		'series_name', s.name,
		'decision', a.decision) ORDER BY m.scheduled_start, m.id)
		FROM agenda_items a
		JOIN meetings m ON m.id = a.meeting_id
		JOIN series s ON s.id = m.series_id
		WHERE a.case_id = p_case_id), '[]'::jsonb));
END
$$;

-- OrganisationList: all organisations and all active users.
CREATE FUNCTION tafel_list_orgs(p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object(
	    'organisations', coalesce((SELECT jsonb_agg(tafel_json_org(o.id)
		ORDER BY o.name) FROM organisations o), '[]'::jsonb),
	    'users', coalesce((SELECT jsonb_agg(tafel_json_user(x.id)
		ORDER BY x.display_name, x.id) FROM users x WHERE NOT x.disabled),
		'[]'::jsonb));
END
$$;

-- CaseList: newest first.
CREATE FUNCTION tafel_list_cases(p_user_id bigint, p_include_closed boolean)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object('cases', coalesce((
	    SELECT jsonb_agg(tafel_json_case(c.id) ORDER BY c.id DESC)
	    FROM cases c
	    WHERE coalesce(p_include_closed, false) OR c.status <> 'closed'),
	    '[]'::jsonb));
END
$$;

-- The change log after a sequence number, for the server's event fan-out
-- and for resuming subscriptions.  Absent ids are 0.
CREATE FUNCTION tafel_changes_since(p_after_seq bigint, p_max_rows int)
RETURNS TABLE (seq bigint, at bigint, actor_id bigint, actor_name text,
    meeting_id bigint, case_id bigint, org_ids bigint[], payload jsonb)
LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT c.seq, tafel_unix(c.at), coalesce(c.actor_id, 0),
	    coalesce(u.display_name, ''), coalesce(c.meeting_id, 0),
	    coalesce(c.case_id, 0), c.org_ids, c.payload
	FROM changelog c LEFT JOIN users u ON u.id = c.actor_id
	WHERE c.seq > p_after_seq
	ORDER BY c.seq
	LIMIT p_max_rows
$$;

-- The planned or open meetings whose agenda holds the case (routing of
-- case-level changes).
CREATE FUNCTION tafel_case_meetings(p_case_id bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT m.id FROM meetings m
	WHERE m.state IN ('planned', 'open') AND EXISTS (SELECT 1
	    FROM agenda_items a WHERE a.meeting_id = m.id AND a.case_id = p_case_id)
	ORDER BY m.id
$$;
