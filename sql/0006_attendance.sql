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
