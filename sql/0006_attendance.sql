-- 0006 attendance: presence over time, and only where one belongs.
--
--  * attendance_periods: when each user arrived at and left a meeting
--    (kept by a trigger on attendance.present; ended when the meeting
--    closes).  Presence earns access to a case only for the agenda items
--    opened while the organisation was present (tafel_org_opened), never
--    for items opened before the arrival or for earlier meetings.
--  * record_attendance: only for an open meeting; the chair (or an
--    administrator) for anyone; a user for themselves only when their
--    organisation is a member of the series or was invited (the chair
--    recorded someone of it for this meeting).
--  * open_meeting records the chair present from that moment and answers
--    warning = 'nobody_present' when nobody else is recorded present.
--  * get_case history lists only meetings the user may see.
--
-- docs/schema.md and docs/security.md ("Attendance") describe the rules.

-- ---------------------------------------------------------------------------
-- Schema
-- ---------------------------------------------------------------------------

CREATE TABLE attendance_periods (
	meeting_id	bigint NOT NULL,
	user_id		bigint NOT NULL,
	-- the user's organisation during the period
	org_id		bigint NOT NULL REFERENCES organisations (id),
	arrived_at	timestamptz NOT NULL,
	left_at		timestamptz,
	CHECK (left_at IS NULL OR left_at >= arrived_at),
	FOREIGN KEY (meeting_id, user_id)
	    REFERENCES attendance (meeting_id, user_id) ON DELETE CASCADE
);

CREATE INDEX attendance_periods_user_idx
	ON attendance_periods (meeting_id, user_id, arrived_at);
CREATE INDEX attendance_periods_org_idx
	ON attendance_periods (org_id, meeting_id);
-- at most one open period per user and meeting
CREATE UNIQUE INDEX attendance_periods_open_key
	ON attendance_periods (meeting_id, user_id) WHERE left_at IS NULL;

-- Attendance the new rules would have refused: recorded by the user
-- themselves for a meeting of a series their organisation is no member of
-- and that nobody else invited it to, or recorded after the meeting closed
-- by anyone but its chair.  It earned access it should not have; it goes.
DELETE FROM attendance a
USING meetings m
WHERE m.id = a.meeting_id
    AND ((a.updated_by = a.user_id AND a.user_id <> m.chair_id
	    AND NOT EXISTS (SELECT 1 FROM users x
		WHERE x.id = a.user_id AND 'admin' = ANY (x.roles))
	    AND NOT EXISTS (SELECT 1 FROM series_members sm
		WHERE sm.series_id = m.series_id AND sm.org_id = a.org_id)
	    AND NOT EXISTS (SELECT 1 FROM attendance o
		WHERE o.meeting_id = a.meeting_id AND o.org_id = a.org_id
		    AND o.updated_by IS DISTINCT FROM o.user_id))
	OR (m.closed_at IS NOT NULL AND a.created_at > m.closed_at
	    AND a.updated_by IS DISTINCT FROM m.chair_id));

-- The periods of the attendance recorded so far: present rows recorded
-- by the chair, or before the meeting opened, count from the opening;
-- others from when they were recorded; all end when the meeting closed.
INSERT INTO attendance_periods (meeting_id, user_id, org_id, arrived_at,
    left_at)
SELECT a.meeting_id, a.user_id, a.org_id, x.arrived, m.closed_at
FROM attendance a
JOIN meetings m ON m.id = a.meeting_id
CROSS JOIN LATERAL (SELECT CASE
    WHEN m.opened_at IS NULL THEN a.updated_at
    WHEN a.created_at <= m.opened_at
	OR a.updated_by IS NOT DISTINCT FROM m.chair_id THEN m.opened_at
    ELSE a.updated_at END AS arrived) x
WHERE a.present AND (m.closed_at IS NULL OR x.arrived <= m.closed_at);

ALTER TABLE attendance_periods ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON attendance_periods TO tafel_app;
CREATE POLICY tafel_app_attendance_periods ON attendance_periods FOR SELECT
	TO tafel_app USING (tafel_rls_meeting_visible(meeting_id));

-- ---------------------------------------------------------------------------
-- Times: clock_timestamp(), so that an arrival and an item opened in one
-- transaction (tests, the demo) are ordered too
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_agenda_item_opened()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF NEW.state <> 'pending' AND NEW.opened_at IS NULL THEN
		NEW.opened_at := CASE WHEN NEW.state = 'discussed'
		    THEN coalesce(NEW.discussed_at, clock_timestamp())
		    ELSE clock_timestamp() END;
	END IF;
	RETURN NEW;
END
$$;

-- attendance.present -> attendance_periods: an arrival opens a period
-- (not at a closed meeting), a departure ends the open one.
CREATE FUNCTION tafel_attendance_period()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF NEW.present THEN
		IF NOT EXISTS (SELECT 1 FROM attendance_periods p
		    WHERE p.meeting_id = NEW.meeting_id AND p.user_id = NEW.user_id
			AND p.left_at IS NULL)
		    AND EXISTS (SELECT 1 FROM meetings m
			WHERE m.id = NEW.meeting_id AND m.state <> 'closed') THEN
			INSERT INTO attendance_periods (meeting_id, user_id, org_id,
			    arrived_at)
			VALUES (NEW.meeting_id, NEW.user_id, NEW.org_id,
			    clock_timestamp());
		END IF;
	ELSE
		UPDATE attendance_periods
		SET left_at = greatest(clock_timestamp(), arrived_at)
		WHERE meeting_id = NEW.meeting_id AND user_id = NEW.user_id
		    AND left_at IS NULL;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER attendance_periods_track AFTER INSERT OR UPDATE OF present
	ON attendance FOR EACH ROW EXECUTE FUNCTION tafel_attendance_period();

-- ---------------------------------------------------------------------------
-- Access earned by presence: time-ordered
-- ---------------------------------------------------------------------------

-- The case was opened (became current) in a meeting while a user of the
-- organisation was present there.
CREATE OR REPLACE FUNCTION tafel_org_opened(p_org_id bigint, p_case_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT EXISTS (SELECT 1 FROM agenda_items ai
	    JOIN attendance_periods p ON p.meeting_id = ai.meeting_id
	    WHERE ai.case_id = p_case_id AND ai.opened_at IS NOT NULL
		AND p.org_id = p_org_id AND p.arrived_at <= ai.opened_at
		AND (p.left_at IS NULL OR ai.opened_at < p.left_at))
$$;

-- ---------------------------------------------------------------------------
-- Writes
-- ---------------------------------------------------------------------------

-- record_attendance: AttendanceRequest -> Attendance.  The meeting's version
-- is not bumped (attendance is its own record); the event carries the
-- meeting for its attendance list.
CREATE OR REPLACE FUNCTION tafel_op_record_attendance(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	t users;
	v_json jsonb;
BEGIN
	-- FOR SHARE: not while the meeting is being closed
	SELECT * INTO m FROM meetings
	WHERE id = tafel_arg_id(p_args, 'meeting_id') FOR SHARE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	SELECT * INTO t FROM users WHERE id = tafel_arg_id(p_args, 'user_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'user not found', 'user_id');
	END IF;
	IF NOT tafel_may_chair(u, m) THEN
		IF t.id <> u.id THEN
			PERFORM tafel_raise('TF010', 'only the chair of the meeting '
			    || 'or an administrator can record the attendance of '
			    || 'others', 'user_id');
		END IF;
		IF NOT EXISTS (SELECT 1 FROM series_members sm
		    WHERE sm.series_id = m.series_id AND sm.org_id = u.org_id)
		    AND NOT EXISTS (SELECT 1 FROM attendance a
			WHERE a.meeting_id = m.id AND a.org_id = u.org_id) THEN
			PERFORM tafel_raise('TF010', 'your organisation is not a '
			    || 'member of this series and was not invited to this '
			    || 'meeting', 'meeting_id');
		END IF;
	END IF;
	IF m.state <> 'open' THEN
		PERFORM tafel_raise('TF018', format('attendance can only be '
		    || 'recorded while the meeting is open (it is %s)', m.state),
		    'meeting_id');
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

-- open_meeting / close_meeting: MeetingStateRequest -> Meeting.  Opening
-- records the chair present (from now on); the answer (not the event)
-- carries warning 'nobody_present' when nobody else is.  Closing ends every
-- presence.
CREATE OR REPLACE FUNCTION tafel_meeting_state(p_user_id bigint, p_args jsonb,
    p_to text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	v_items jsonb := '[]';
	v_json jsonb;
	v_payload jsonb;
	v_warning text := '';
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

	IF p_to = 'open' THEN
		INSERT INTO attendance AS a (meeting_id, user_id, org_id, present,
		    remote, updated_by)
		SELECT m.id, ch.id, ch.org_id, true, false, u.id
		FROM users ch WHERE ch.id = m.chair_id
		ON CONFLICT (meeting_id, user_id) DO UPDATE SET present = true,
		    org_id = EXCLUDED.org_id, updated_at = now(), updated_by = u.id
		WHERE NOT a.present;
		IF NOT EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = m.id
		    AND a.present AND a.user_id <> m.chair_id) THEN
			v_warning := 'nobody_present';
		END IF;
	ELSE
		UPDATE attendance_periods
		SET left_at = greatest(clock_timestamp(), arrived_at)
		WHERE meeting_id = m.id AND left_at IS NULL;
	END IF;

	v_json := tafel_json_meeting(m.id);
	v_payload := jsonb_build_object('meeting', v_json);
	IF jsonb_array_length(v_items) > 0 THEN
		v_payload := v_payload || jsonb_build_object('agenda_items', v_items);
	END IF;
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}', v_payload);
	IF v_warning <> '' THEN
		v_json := v_json || jsonb_build_object('warning', v_warning);
	END IF;
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- Reads
-- ---------------------------------------------------------------------------

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
		'series_name', s.name,
		'decision', a.decision) ORDER BY m.scheduled_start, m.id)
		FROM agenda_items a
		JOIN meetings m ON m.id = a.meeting_id
		JOIN series s ON s.id = m.series_id
		WHERE a.case_id = p_case_id AND tafel_may_see_meeting(u, m.id)),
		'[]'::jsonb)),
	    'case_view', 0, false);
	RETURN jsonb_build_object(
	    'case', r -> 'case',
	    'actions', r -> 'actions',
	    'history', coalesce((SELECT jsonb_agg(h - 'case_id' ORDER BY i)
		FROM jsonb_array_elements(r -> 'history') WITH ORDINALITY AS t(h, i)),
		'[]'::jsonb));
END
$$;

-- ---------------------------------------------------------------------------
-- Demo: last month's WZT was attended from its opening to its close
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_demo_data(p_password_hash text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	v_wzt bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM organisations
	    WHERE name = 'Politie Eenheid Oost-Nederland') THEN
		RETURN;
	END IF;
	PERFORM tafel_demo_data_0004(p_password_hash);
	SELECT m.id INTO v_wzt FROM meetings m JOIN series s ON s.id = m.series_id
	WHERE s.name = 'WZT Enschede-Noord' AND m.state = 'planned'
	    AND m.scheduled_start = (v_today + time '09:30')
		AT TIME ZONE 'Europe/Amsterdam';
	INSERT INTO attendance (meeting_id, user_id, org_id, present, remote,
	    updated_by)
	SELECT v_wzt, u.id, u.org_id, true, u.login = 'huisarts', m.chair_id
	FROM users u, meetings m
	WHERE m.id = v_wzt
	    AND u.login IN ('voorzitter', 'huisarts', 'woningcorporatie');
	INSERT INTO attendance_periods (meeting_id, user_id, org_id, arrived_at,
	    left_at)
	SELECT a.meeting_id, a.user_id, a.org_id, m.opened_at, m.closed_at
	FROM attendance a JOIN meetings m ON m.id = a.meeting_id
	WHERE m.state = 'closed' AND a.present AND m.opened_at IS NOT NULL;
END
$$;

-- ---------------------------------------------------------------------------
-- Live events equal a fresh snapshot (issue 8.7; tests/test_consistency.c)
-- ---------------------------------------------------------------------------

-- Renders an Event-shaped object for one viewer (0005), with one change: a
-- removed agenda item is never dropped (its case may no longer be
-- connected, but the viewer must learn that it is gone).
CREATE OR REPLACE FUNCTION tafel_render(p_viewer bigint, p_pres_meeting bigint,
    p_beamer_meeting bigint, p_obj jsonb, p_context text,
    p_audit_meeting bigint, p_drop boolean)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users;
	v_acc jsonb := '{}';
	v_sent jsonb := '{}';
	v_out jsonb := '{}';
	v_ids bigint[];
	v_cid bigint;
	v_key text;
	v_val jsonb;
	v_kind text;
	v_arr jsonb;
	v_el jsonb;
	a jsonb;
	b jsonb;
	v_cats text[];
	v_org bigint;
BEGIN
	IF p_obj IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM users WHERE id = p_viewer;
	IF NOT FOUND OR u.disabled THEN
		RETURN NULL;
	END IF;

	-- the access of every case concerned, once
	SELECT array_agg(DISTINCT x) INTO v_ids FROM (
	    SELECT tafel_obj_case(tafel_key_kind(k), e) x
	    FROM jsonb_each(p_obj) AS t(k, v)
	    CROSS JOIN LATERAL jsonb_array_elements(CASE
		WHEN jsonb_typeof(v) = 'array' THEN v
		WHEN jsonb_typeof(v) = 'object' THEN jsonb_build_array(v)
		ELSE '[]' END) e
	    WHERE tafel_key_kind(k) IS NOT NULL) s
	WHERE x IS NOT NULL;
	FOREACH v_cid IN ARRAY coalesce(v_ids, '{}') LOOP
		IF coalesce(p_pres_meeting, 0) > 0 THEN
			a := tafel_beamer_access(p_pres_meeting, u.id, v_cid);
		ELSE
			a := tafel_access(u.id, v_cid);
			IF coalesce(p_beamer_meeting, 0) > 0 THEN
				b := tafel_beamer_access(p_beamer_meeting, u.id, v_cid, a);
				a := a || jsonb_build_object(
				    'beamer_redacted', b ->> 'reason' <> '',
				    'beamer_reason', b -> 'beamer_reason');
			END IF;
		END IF;
		v_acc := v_acc || jsonb_build_object(v_cid::text, a);
	END LOOP;

	FOR v_key, v_val IN SELECT key, value FROM jsonb_each(p_obj) LOOP
		v_kind := tafel_key_kind(v_key);
		IF v_key IN ('meeting', 'attendance') THEN
			IF p_drop AND coalesce(p_pres_meeting, 0) = 0
			    AND NOT tafel_may_see_meeting(u, coalesce(
				(v_val ->> 'meeting_id')::bigint, (v_val ->> 'id')::bigint))
			THEN
				CONTINUE;
			END IF;
			v_out := v_out || jsonb_build_object(v_key, v_val);
		ELSIF v_kind IS NULL THEN
			v_out := v_out || jsonb_build_object(v_key, v_val);
		ELSIF jsonb_typeof(v_val) = 'object' THEN
			a := v_acc -> (tafel_obj_case(v_kind, v_val)::text);
			IF a IS NULL OR (p_drop AND NOT (a ->> 'connected')::boolean) THEN
				CONTINUE;
			END IF;
			v_out := v_out || jsonb_build_object(v_key,
			    tafel_redact_obj(v_kind, v_val, a));
			v_sent := v_sent || jsonb_build_object(
			    tafel_obj_case(v_kind, v_val)::text,
			    coalesce(v_sent -> (tafel_obj_case(v_kind, v_val)::text), '[]')
			    || to_jsonb(tafel_sent_categories(v_kind, v_val, a)));
		ELSIF jsonb_typeof(v_val) = 'array' THEN
			v_arr := '[]';
			FOR v_el IN SELECT e FROM jsonb_array_elements(v_val)
			    WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
				a := v_acc -> (tafel_obj_case(v_kind, v_el)::text);
				-- a removed agenda item is sent even though its case
				-- may no longer be connected: else the viewer would
				-- keep it
				IF a IS NULL OR (p_drop
				    AND NOT (a ->> 'connected')::boolean
				    AND NOT (v_kind = 'item' AND coalesce(
					(v_el ->> 'removed')::boolean, false))) THEN
					CONTINUE;
				END IF;
				v_arr := v_arr || jsonb_build_array(
				    tafel_redact_obj(v_kind, v_el, a));
				v_sent := v_sent || jsonb_build_object(
				    tafel_obj_case(v_kind, v_el)::text,
				    coalesce(v_sent -> (tafel_obj_case(v_kind, v_el)::text),
					'[]')
				    || to_jsonb(tafel_sent_categories(v_kind, v_el, a)));
			END LOOP;
			IF p_drop AND jsonb_array_length(v_arr) = 0
			    AND jsonb_array_length(v_val) > 0 THEN
				CONTINUE;
			END IF;
			v_out := v_out || jsonb_build_object(v_key, v_arr);
		ELSE
			v_out := v_out || jsonb_build_object(v_key, v_val);
		END IF;
	END LOOP;

	IF p_drop AND v_out = '{}'::jsonb AND p_obj <> '{}'::jsonb THEN
		RETURN NULL;
	END IF;

	-- the audit: one row per case that got any personal data
	IF p_context IS NOT NULL THEN
		FOR v_key, v_val IN SELECT key, value FROM jsonb_each(v_sent) LOOP
			v_cats := tafel_cats_sorted(ARRAY(
			    SELECT jsonb_array_elements_text(v_val)));
			CONTINUE WHEN cardinality(v_cats) = 0;
			IF coalesce(p_pres_meeting, 0) > 0 THEN
				FOR v_org IN SELECT DISTINCT x.org_id FROM (
				    SELECT a2.org_id FROM attendance a2
				    WHERE a2.meeting_id = p_pres_meeting AND a2.present
				    UNION SELECT cu.org_id FROM meetings m
					JOIN users cu ON cu.id = m.chair_id
					WHERE m.id = p_pres_meeting
				    UNION SELECT u.org_id) x LOOP
					INSERT INTO audit_log (user_id, org_id, case_id,
					    categories, meeting_id, context)
					VALUES (u.id, v_org, v_key::bigint, v_cats,
					    p_pres_meeting, 'beamer');
				END LOOP;
			ELSE
				INSERT INTO audit_log (user_id, org_id, case_id,
				    categories, meeting_id, context)
				VALUES (u.id, u.org_id, v_key::bigint, v_cats,
				    nullif(p_audit_meeting, 0), p_context);
			END IF;
		END LOOP;
	END IF;
	RETURN v_out;
END
$$;

-- The payload of a change as the sessions get it: when an item became
-- current, the case and ALL its action points as they are now (the
-- organisations present may now see them in full; a snapshot has the
-- finished ones too).
CREATE OR REPLACE FUNCTION tafel_event_payload(c changelog)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v_case bigint;
BEGIN
	IF c.payload ? 'meeting' AND NOT c.payload ? 'case'
	    AND jsonb_typeof(c.payload -> 'agenda_items') = 'array' THEN
		SELECT ai.case_id INTO v_case
		FROM jsonb_array_elements(c.payload -> 'agenda_items') e
		JOIN agenda_items ai ON ai.id = (e ->> 'id')::bigint
		WHERE e ->> 'state' = 'current'
		LIMIT 1;
		IF v_case IS NOT NULL THEN
			RETURN c.payload || jsonb_build_object(
			    'case', tafel_json_case(v_case),
			    'actions', tafel_json_case_actions(v_case, false));
		END IF;
	END IF;
	RETURN c.payload;
END
$$;

-- add_agenda_item: AddAgendaItemRequest -> Agenda.  The event carries the
-- case with all its action points (as a snapshot has them), not only the
-- open ones.
CREATE OR REPLACE FUNCTION tafel_op_add_agenda_item(p_user_id bigint, p_args jsonb)
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
	    'actions', tafel_json_case_actions(c.id, false)));
	RETURN jsonb_build_object('meeting_id', m.id, 'items', v_items);
END
$$;

-- An action point's change payload; when it made an organisation involved
-- in the case (which may now see the case and all its action points in
-- full), also the case and all its action points as they are now.
CREATE FUNCTION tafel_involved_payload(p_case_id bigint, p_new_org boolean,
    p_payload jsonb)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT CASE WHEN p_new_org THEN p_payload || jsonb_build_object(
	    'case', tafel_json_case(p_case_id),
	    'actions', tafel_json_case_actions(p_case_id, false))
	    ELSE p_payload END
$$;

-- create_action: CreateActionRequest -> ActionPoint
CREATE OR REPLACE FUNCTION tafel_op_create_action(p_user_id bigint, p_args jsonb)
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
	v_new_org int;
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
	GET DIAGNOSTICS v_new_org = ROW_COUNT;

	v_json := tafel_json_action(v_id);
	PERFORM tafel_log_change(u.id, v_meeting, c.id,
	    ARRAY[tafel_arg_id(p_args, 'owner_org_id')], tafel_involved_payload(
		c.id, v_new_org > 0, jsonb_build_object('action_point', v_json)));
	RETURN v_json;
END
$$;

-- update_action: UpdateActionRequest -> ActionPoint
CREATE OR REPLACE FUNCTION tafel_op_update_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	a action_points := tafel_action_for_change(u, p_args);
	v_due date;
	v_org bigint := tafel_arg_id(p_args, 'owner_org_id');
	v_json jsonb;
	v_new_org int;
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
	GET DIAGNOSTICS v_new_org = ROW_COUNT;

	v_json := tafel_json_action(a.id);
	PERFORM tafel_log_change(u.id, a.meeting_id, a.case_id,
	    ARRAY[a.owner_org_id, v_org], tafel_involved_payload(a.case_id,
		v_new_org > 0, jsonb_build_object('action_point', v_json)));
	RETURN v_json;
END
$$;
