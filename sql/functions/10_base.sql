-- Helpers every function uses: errors, argument parsing, the acting user,
-- and the permission predicates of the write path.
--
-- sql/functions/*.sql hold every function, trigger, policy and grant, each
-- defined exactly once; tafeld re-applies them all, in file-name order, in
-- the migration transaction whenever their content hash changes (see
-- docs/schema.md, "Numbered migrations and function files").  Every file
-- must be idempotent: CREATE OR REPLACE, and DROP ... IF EXISTS first where a
-- signature changes or a function goes away.
--
-- Every function returns jsonb whose keys are the proto field names of a
-- tafel.proto message (enums as their lowercase value names without the enum
-- prefix, dates as 'YYYY-MM-DD', timestamps as Unix seconds, absent ids as 0,
-- absent text as "", repeated fields as arrays).
--
-- Errors: RAISE EXCEPTION with SQLSTATE 'TF0NN' where NN is the proto
-- ErrorCode, HINT = the offending request field (or ''), DETAIL = a JSON
-- object {"current_<record>": {...}} for CONFLICT (or '').

CREATE OR REPLACE FUNCTION tafel_raise(p_code text, p_message text, p_field text DEFAULT '',
    p_detail text DEFAULT '')
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message,
	    HINT = coalesce(p_field, ''), DETAIL = coalesce(p_detail, '');
END
$$;

-- CONFLICT: p_key is one of current_meeting, current_agenda_item,
-- current_action_point, current_case, current_person.
CREATE OR REPLACE FUNCTION tafel_conflict(p_key text, p_current jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'TF017',
	    MESSAGE = 'the record was changed by someone else (version mismatch)',
	    HINT = 'version',
	    DETAIL = jsonb_build_object(p_key, p_current)::text;
END
$$;

-- STABLE like extract() and to_char() in them: an IMMUTABLE SQL function
-- over a STABLE one is not inlined, and these are called thousands of
-- times a second on the push path.
CREATE OR REPLACE FUNCTION tafel_unix(p_ts timestamptz)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_ts IS NULL THEN 0
	    ELSE floor(extract(epoch FROM p_ts))::bigint END
$$;

CREATE OR REPLACE FUNCTION tafel_datestr(p_date date)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT coalesce(to_char(p_date, 'YYYY-MM-DD'), '')
$$;

-- An id (or other int64) argument; absent or null is 0.  Accepts a JSON
-- number or a decimal string (proto3 JSON spells int64 as a string).
CREATE OR REPLACE FUNCTION tafel_arg_id(p_args jsonb, p_field text, p_hint text DEFAULT NULL)
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

CREATE OR REPLACE FUNCTION tafel_arg_text(p_args jsonb, p_field text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT coalesce(p_args ->> p_field, '')
$$;

-- A long text without its leading and trailing blanks: spaces, tabs, line
-- feeds and carriage returns (btrim alone drops spaces only, so a text of
-- line feeds passed for "not blank"; protocol.md 5.5).
CREATE OR REPLACE FUNCTION tafel_trim(p text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT btrim(p, E' \t\n\r')
$$;

CREATE OR REPLACE FUNCTION tafel_arg_bool(p_args jsonb, p_field text)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT coalesce((p_args ->> p_field) IN ('true', '1'), false)
$$;

-- A 'YYYY-MM-DD' argument; '' or absent is NULL.
CREATE OR REPLACE FUNCTION tafel_arg_date(p_args jsonb, p_field text, p_hint text DEFAULT NULL)
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
CREATE OR REPLACE FUNCTION tafel_arg_enum(p_args jsonb, p_field text, p_names text[],
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

CREATE OR REPLACE FUNCTION tafel_enum_approach()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['person', 'system', 'area']
$$;

CREATE OR REPLACE FUNCTION tafel_enum_case_status()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['signal', 'screening', 'info_round', 'direction', 'plan',
	    'in_progress', 'monitoring', 'closed']
$$;

CREATE OR REPLACE FUNCTION tafel_enum_person_role()
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT ARRAY['other', 'victim', 'suspect', 'child']
$$;

-- Establishes an entry function's user (tafel.user_id), and makes its
-- reads recorded in audit_log whatever the session set before: the push's
-- own functions collect audit entries instead (tafel.audit_collect, set
-- after this call), and a session that set tafel.audit_collect itself
-- must not read unrecorded through an entry function (SQL test 31).
CREATE OR REPLACE FUNCTION tafel_set_user(p_user_id bigint)
RETURNS void LANGUAGE sql SET search_path = public AS $$
	SELECT set_config('tafel.user_id', coalesce(p_user_id, 0)::text, true),
	    set_config('tafel.audit_collect', '', true);
$$;

-- 0 also for a user whose only role is steering (0011): the steering
-- group sees the reports' totals and no row of the register.
-- PL/pgSQL, so that the setting is cast only after it was checked: on a
-- pooled connection it is '' once a request's transaction-local value
-- ended, and a SQL function's query had the planner estimate
-- `su.id = ''::bigint` and fail ("invalid input syntax for type bigint")
-- before the CASE could guard it.
CREATE OR REPLACE FUNCTION tafel_rls_user()
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	s text := coalesce(current_setting('tafel.user_id', true), '');
	v bigint;
BEGIN
	IF s !~ '^[0-9]{1,18}$' THEN
		RETURN 0;
	END IF;
	v := s::bigint;
	IF EXISTS (SELECT 1 FROM users su WHERE su.id = v
	    AND su.roles = ARRAY['steering']::text[]) THEN
		RETURN 0;
	END IF;
	RETURN v;
END
$$;

-- The acting user of an entry function: exists and is not disabled (else
-- FORBIDDEN).  It is also where an entry function establishes its user:
-- tafel.user_id is set to it (VOLATILE for that).
CREATE OR REPLACE FUNCTION tafel_actor(p_user_id bigint)
RETURNS users LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
DECLARE
	u users;
BEGIN
	PERFORM tafel_set_user(p_user_id);
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled THEN
		PERFORM tafel_raise('TF010', 'unknown or disabled user');
	END IF;
	-- the steering group (0011) reads the reports (tafel_report) only
	IF u.roles = ARRAY['steering']::text[] THEN
		PERFORM tafel_raise('TF010', 'the steering group sees the '
		    || 'reports only');
	END IF;
	RETURN u;
END
$$;

CREATE OR REPLACE FUNCTION tafel_is_admin(u users)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT 'admin' = ANY (u.roles)
$$;

-- Chair of this meeting, or an administrator.
CREATE OR REPLACE FUNCTION tafel_may_chair(u users, m meetings)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT 'admin' = ANY (u.roles) OR m.chair_id = u.id
$$;

-- May see (subscribe to, list) a meeting: admin, its chair, a member
-- organisation of its series, or an organisation attending it.
CREATE OR REPLACE FUNCTION tafel_may_see_meeting(u users, p_meeting_id bigint)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (SELECT 'admin' = ANY (u.roles) OR EXISTS (
		SELECT 1 FROM meetings m
		WHERE m.id = p_meeting_id AND (m.chair_id = u.id
		    OR EXISTS (SELECT 1 FROM series_members sm
			WHERE sm.series_id = m.series_id AND sm.org_id = u.org_id)
		    OR EXISTS (SELECT 1 FROM attendance a
			WHERE a.meeting_id = m.id
			AND (a.org_id = u.org_id OR a.user_id = u.id)))));
END
$$;

-- One meeting of a series at a time: refuses (TF011, field
-- scheduled_start) a start at which series p_series already has a meeting
-- that is not cancelled, other than p_except (move_meeting's own; 0: none).
-- create_meeting, plan_mdo and move_meeting check so; plan_meetings skips
-- such a slot instead.  The caller holds the series row locked, so that
-- two writes cannot both take the slot.
CREATE OR REPLACE FUNCTION tafel_require_free_slot(p_series bigint,
    p_start timestamptz, p_except bigint)
RETURNS void LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v_other bigint;
BEGIN
	SELECT x.id INTO v_other FROM meetings x
	WHERE x.series_id = p_series AND x.id <> p_except
	    AND x.state <> 'cancelled' AND x.scheduled_start = p_start
	ORDER BY x.id LIMIT 1;
	IF FOUND THEN
		PERFORM tafel_raise('TF011', format('the series has a meeting at '
		    || 'that time already (meeting %s)', v_other),
		    'scheduled_start');
	END IF;
END
$$;

-- May edit a case (its fields and persons): admin, a chair (process
-- manager), the submitter's organisation or the case manager.
CREATE OR REPLACE FUNCTION tafel_may_edit_case(u users, c cases)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT u.roles && ARRAY['admin', 'chair'] OR u.org_id = c.submitter_org_id
	    OR u.id IS NOT DISTINCT FROM c.case_manager_id
$$;

-- May change an action point: admin, a chair, the owner organisation's
-- members, or the case manager of its case.
CREATE OR REPLACE FUNCTION tafel_may_manage_action(u users, a action_points)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT u.roles && ARRAY['admin', 'chair'] OR u.org_id = a.owner_org_id
	    OR EXISTS (SELECT 1 FROM cases c
		WHERE c.id = a.case_id AND c.case_manager_id = u.id)
$$;

-- The next case number of this year: '2026-0042'.
CREATE OR REPLACE FUNCTION tafel_next_case_number()
RETURNS text LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_year int := extract(year FROM now() AT TIME ZONE 'Europe/Amsterdam')::int;
	v_n int;
BEGIN
	INSERT INTO case_counters AS cc (year, last) VALUES (v_year, 1)
	ON CONFLICT (year) DO UPDATE SET last = cc.last + 1
	RETURNING cc.last INTO v_n;
	RETURN v_year::text || '-' ||
	    CASE WHEN v_n < 10000 THEN lpad(v_n::text, 4, '0') ELSE v_n::text END;
END
$$;
