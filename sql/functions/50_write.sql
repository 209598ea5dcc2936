-- The write path: tafel_write(user, key, op, args), the only way the
-- server changes the register; the table of write ops; the change log.

-- Appends one change and notifies the server.  The advisory lock is taken
-- FIRST and held until the transaction ends, so transactions get their seq
-- in the order they commit: a reader that sees seq N committed has already
-- seen every seq below N that will ever commit.  (Rolled-back writes leave
-- gaps; seq is strictly increasing, not dense.)  The write op being carried
-- out (tafel.op, set by tafel_write) is recorded, and the ids its routing
-- (write_ops) names must be there.
CREATE OR REPLACE FUNCTION tafel_log_change(p_actor bigint, p_meeting_id bigint,
    p_case_id bigint, p_org_ids bigint[], p_payload jsonb)
RETURNS bigint LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_seq bigint;
	v_op text := nullif(current_setting('tafel.op', true), '');
	v_routing text[];
	v_orgs bigint[] := ARRAY(SELECT DISTINCT x
	    FROM unnest(coalesce(p_org_ids, '{}')) x
	    WHERE x IS NOT NULL AND x <> 0 ORDER BY x);
BEGIN
	IF v_op IS NOT NULL THEN
		SELECT w.routing INTO v_routing FROM write_ops w WHERE w.name = v_op;
		IF ('meeting' = ANY (v_routing) AND coalesce(p_meeting_id, 0) = 0)
		    OR ('case' = ANY (v_routing) AND coalesce(p_case_id, 0) = 0)
		    OR ('orgs' = ANY (v_routing) AND cardinality(v_orgs) = 0) THEN
			PERFORM tafel_raise('TF022', format('the change of %s lacks '
			    || 'the ids it is routed by (%s)', v_op,
			    array_to_string(v_routing, ', ')));
		END IF;
	END IF;
	PERFORM pg_advisory_xact_lock(7410);
	v_seq := nextval('changelog_seq');
	INSERT INTO changelog (seq, at, actor_id, meeting_id, case_id, org_ids,
	    payload, op)
	VALUES (v_seq, clock_timestamp(), p_actor, nullif(p_meeting_id, 0),
	    nullif(p_case_id, 0), v_orgs, p_payload, v_op);
	PERFORM pg_notify('tafel_changes', v_seq::text);
	-- for tafel_write_routed: the seqs this transaction logged
	PERFORM set_config('tafel.seqs', coalesce(current_setting('tafel.seqs',
	    true), '') || v_seq || ',', true);
	RETURN v_seq;
END
$$;

-- ---------------------------------------------------------------------------
-- Write operations: tafel_op_<op>(user_id, args) -> response jsonb, called
-- only through tafel_write.
-- ---------------------------------------------------------------------------

-- create_meeting: CreateMeetingRequest -> Meeting
CREATE OR REPLACE FUNCTION tafel_op_create_meeting(p_user_id bigint, p_args jsonb)
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
	-- locked: one meeting of the series at a time (tafel_require_free_slot)
	SELECT * INTO s FROM series WHERE id = tafel_arg_id(p_args, 'series_id')
	FOR NO KEY UPDATE;
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
	-- an ad-hoc meeting may have begun already today, not on an earlier day
	-- (midnight as a timestamp, then placed in Amsterdam: a bare date would
	-- be read in the session's time zone, an hour off on a UTC server)
	IF to_timestamp(v_start) < (now() AT TIME ZONE 'Europe/Amsterdam')::date
	    ::timestamp AT TIME ZONE 'Europe/Amsterdam' THEN
		PERFORM tafel_raise('TF050', 'scheduled_start lies before today '
		    || '(Europe/Amsterdam)', 'scheduled_start');
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
	PERFORM tafel_require_free_slot(s.id, to_timestamp(v_start), 0);

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

-- Does a first attendance row of organisation p_org invite it to meeting m:
-- no member of its series and no row of it yet?  From then on it may see
-- the meeting and knows the cases on its agenda (docs/security.md rule 3).
CREATE OR REPLACE FUNCTION tafel_attendance_invites(m meetings, p_org bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT NOT EXISTS (SELECT 1 FROM series_members sm
		WHERE sm.series_id = m.series_id AND sm.org_id = p_org)
	    AND NOT EXISTS (SELECT 1 FROM attendance a
		WHERE a.meeting_id = m.id AND a.org_id = p_org)
$$;

-- After a write that invited an organisation (record_attendance, or
-- open_meeting recording the chair): one change per case on the agenda,
-- after the write's own, carrying the case as it is, so that the invited
-- organisation's case list gets what list_cases now gives it
-- (docs/protocol.md 8.4).
CREATE OR REPLACE FUNCTION tafel_log_invited_cases(p_actor bigint,
    p_meeting bigint)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_case bigint;
BEGIN
	FOR v_case IN SELECT ai.case_id FROM agenda_items ai
	    WHERE ai.meeting_id = p_meeting ORDER BY ai.position, ai.id LOOP
		PERFORM tafel_log_change(p_actor, p_meeting, v_case, '{}',
		    jsonb_build_object('case', tafel_json_case(v_case)));
	END LOOP;
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
	v_invited boolean := false;
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
		v_invited := tafel_attendance_invites(m, (SELECT org_id FROM users
		    WHERE id = m.chair_id));
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
	IF p_to = 'open' THEN
		-- the chair recorded present: with it the room in front of the
		-- shared screen is known (tafel_beamer_room_unknown), so the
		-- event carries the attendance, as record_attendance's does, and
		-- each client takes a fresh snapshot after it (resync,
		-- docs/protocol.md 8.4): the cases it holds were rendered for
		-- an unknown room
		v_payload := v_payload || jsonb_build_object('attendance',
		    tafel_json_attendance(m.id, m.chair_id));
	END IF;
	IF jsonb_array_length(v_items) > 0 THEN
		v_payload := v_payload || jsonb_build_object('agenda_items', v_items);
	END IF;
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}', v_payload);
	IF v_invited THEN
		PERFORM tafel_log_invited_cases(u.id, m.id);
	END IF;
	IF v_warning <> '' THEN
		v_json := v_json || jsonb_build_object('warning', v_warning);
	END IF;
	RETURN v_json;
END
$$;

CREATE OR REPLACE FUNCTION tafel_op_open_meeting(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_meeting_state(p_user_id, p_args, 'open')
$$;

CREATE OR REPLACE FUNCTION tafel_op_close_meeting(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_meeting_state(p_user_id, p_args, 'closed')
$$;

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
	v_invited boolean;
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

	v_invited := tafel_attendance_invites(m, t.org_id);
	INSERT INTO attendance AS a (meeting_id, user_id, org_id, present, remote,
	    updated_by)
	VALUES (m.id, t.id, t.org_id, tafel_arg_bool(p_args, 'present'),
	    tafel_arg_bool(p_args, 'remote'), u.id)
	ON CONFLICT (meeting_id, user_id) DO UPDATE SET
	    org_id = EXCLUDED.org_id, present = EXCLUDED.present,
	    -- a departure keeps how the user took part (the minutes say "op
	    -- afstand" of someone who left); an arrival says it anew
	    remote = CASE WHEN EXCLUDED.present OR NOT a.present
		THEN EXCLUDED.remote ELSE a.remote END,
	    updated_at = now(), updated_by = u.id;

	v_json := tafel_json_attendance(m.id, t.id);
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}', jsonb_build_object(
	    'attendance', v_json, 'meeting', tafel_json_meeting(m.id)));
	IF v_invited THEN
		PERFORM tafel_log_invited_cases(u.id, m.id);
	END IF;
	RETURN v_json;
END
$$;

-- The meeting of an agenda operation, locked, checked for chair and state.
CREATE OR REPLACE FUNCTION tafel_agenda_meeting(u users, p_meeting_id bigint)
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
	IF m.state IN ('closed', 'cancelled') THEN
		PERFORM tafel_raise('TF018', format('the meeting is %s', m.state));
	END IF;
	RETURN m;
END
$$;

-- Is case c one of series p_series's cases, which its agenda proposes to
-- the series' deciders without a connection (tafel_meeting_proposals,
-- 57_prep.sql): of the series' district with a theme it covers (not for an
-- MDO series), on the agenda of one of its meetings other than p_meeting,
-- or nominated for the series and pending.  The meeting's chair may put
-- such a case on the agenda (add_agenda_item), which connects it.
CREATE OR REPLACE FUNCTION tafel_case_of_series(c cases, p_series bigint,
    p_meeting bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT EXISTS (SELECT 1 FROM series s WHERE s.id = p_series
		AND s.case_id IS NULL AND c.district = s.district
		AND (s.themes = '{}' OR c.theme = ANY (s.themes)))
	    OR EXISTS (SELECT 1 FROM agenda_items ai JOIN meetings pm
		ON pm.id = ai.meeting_id
		WHERE ai.case_id = c.id AND pm.series_id = p_series
		    AND pm.id <> p_meeting)
	    OR EXISTS (SELECT 1 FROM nominations n WHERE n.case_id = c.id
		AND n.series_id = p_series AND n.state = 'pending')
$$;

-- add_agenda_item: AddAgendaItemRequest -> Agenda.  The event carries the
-- case with all its action points (as a snapshot has them), not only the
-- open ones, and the case's newest info round (a snapshot has its rounds;
-- the round's own events reached the meeting's followers before the case
-- was on the agenda, and were not theirs then).
CREATE OR REPLACE FUNCTION tafel_op_add_agenda_item(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings := tafel_agenda_meeting(u, tafel_arg_id(p_args, 'meeting_id'));
	c cases;
	v_pos bigint := tafel_arg_id(p_args, 'position');
	v_n int;
	v_items jsonb;
	v_item bigint;
	n nominations;
BEGIN
	SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'case_id');
	-- a case the user knows of (docs/security.md rule 3): one it has a
	-- connection to, or one of the meeting's series, which the agenda
	-- proposes to its deciders (tafel_case_of_series); any other is not
	-- found, as one that does not exist
	IF NOT FOUND OR NOT (coalesce((tafel_access(u.id, c.id)
	    ->> 'connected')::boolean, false)
	    OR tafel_case_of_series(c, m.series_id, m.id)) THEN
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
	VALUES (m.id, c.id, v_pos, u.id, u.id)
	RETURNING id INTO v_item;

	v_items := tafel_json_items(m.id);
	PERFORM tafel_log_change(u.id, m.id, c.id, '{}', jsonb_build_object(
	    'agenda_items', v_items,
	    'case', tafel_json_case(c.id),
	    'actions', tafel_json_case_actions(c.id, false))
	    || tafel_json_case_round(c.id));
	-- a partner's pending nomination of the case for this series is
	-- settled by it, as accept_nomination would: the nominating
	-- organisation sees the outcome, and no second item follows
	FOR n IN UPDATE nominations SET state = 'accepted', meeting_id = m.id,
	    agenda_item_id = v_item, decided_by = u.id, decided_at = now(),
	    version = version + 1, updated_at = now(), updated_by = u.id
	    WHERE case_id = c.id AND series_id = m.series_id AND state = 'pending'
	    RETURNING * LOOP
		PERFORM tafel_log_change(u.id, m.id, c.id, ARRAY[n.org_id],
		    jsonb_build_object('nomination', tafel_json_nomination(n.id)));
	END LOOP;
	RETURN jsonb_build_object('meeting_id', m.id, 'items', v_items);
END
$$;

-- remove_agenda_item: RemoveAgendaItemRequest -> Agenda.  A discussed item
-- stays on the record and cannot be removed.
CREATE OR REPLACE FUNCTION tafel_op_remove_agenda_item(p_user_id bigint, p_args jsonb)
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
	-- what the opening showed the partners present stays shown (0022):
	-- its rows in agenda_item_openings outlive the item, and a first
	-- opening known only from opened_at (before 0019) is copied there
	INSERT INTO agenda_item_openings (item_id, case_id, meeting_id, opened_at)
	SELECT it.id, it.case_id, it.meeting_id, it.opened_at
	WHERE it.opened_at IS NOT NULL AND NOT EXISTS (SELECT 1
	    FROM agenda_item_openings o WHERE o.item_id = it.id);
	DELETE FROM agenda_items WHERE id = it.id;
	UPDATE agenda_items SET position = position - 1, version = version + 1,
	    updated_at = now(), updated_by = u.id
	WHERE meeting_id = m.id AND position > it.position;

	v_items := tafel_json_items(m.id);
	v_payload := jsonb_build_object('agenda_items',
	    jsonb_build_array(v_removed) || v_items);
	-- the case's open action points of earlier meetings of the series
	-- return to the standing item "openstaande afspraken" (58_minutes.sql)
	v_payload := v_payload || coalesce((SELECT jsonb_build_object('actions',
	    jsonb_agg(x)) FROM jsonb_array_elements(
		tafel_json_carried_over(m.id)) x
	    WHERE (x ->> 'case_id')::bigint = it.case_id
	    HAVING count(*) > 0), '{}'::jsonb);
	IF v_meeting_changed THEN
		v_payload := v_payload || jsonb_build_object('meeting',
		    tafel_json_meeting(m.id));
	END IF;
	PERFORM tafel_log_change(u.id, m.id, it.case_id, '{}', v_payload);
	RETURN jsonb_build_object('meeting_id', m.id, 'items', v_items);
END
$$;

-- reorder_agenda: ReorderAgendaRequest -> Agenda
CREATE OR REPLACE FUNCTION tafel_op_reorder_agenda(p_user_id bigint, p_args jsonb)
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
CREATE OR REPLACE FUNCTION tafel_op_set_current_item(p_user_id bigint, p_args jsonb)
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
CREATE OR REPLACE FUNCTION tafel_op_record_decision(p_user_id bigint, p_args jsonb)
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
CREATE OR REPLACE FUNCTION tafel_check_action_owner(p_args jsonb)
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

-- An action point's (or contribution's) change payload; when it made an
-- organisation involved in the case (which may now see the case and all
-- its action points in full), also the case and all its action points as
-- they are now, the case's newest info round (the other organisations'
-- answers go with case_summary), and the case's agenda items of the
-- change's meeting p_meeting_id (0: none), whose decisions were hidden
-- from it until now.
DROP FUNCTION IF EXISTS tafel_involved_payload(bigint, boolean, jsonb);
CREATE OR REPLACE FUNCTION tafel_involved_payload(p_case_id bigint, p_new_org boolean,
    p_payload jsonb, p_meeting_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT CASE WHEN p_new_org THEN p_payload || jsonb_build_object(
	    'case', tafel_json_case(p_case_id),
	    'actions', tafel_json_case_actions(p_case_id, false))
	    || tafel_json_case_round(p_case_id)
	    || coalesce((SELECT jsonb_build_object('agenda_items',
		jsonb_agg(tafel_json_item(a.id) ORDER BY a.position, a.id))
		FROM agenda_items a WHERE a.meeting_id = p_meeting_id
		    AND a.case_id = p_case_id
		HAVING count(*) > 0), '{}')
	    ELSE p_payload END
$$;

-- create_action: CreateActionRequest -> ActionPoint
-- May agree an action point on case c (p_meeting: the meeting it is agreed
-- in, 0 outside one), and so make an organisation its owner, which
-- involves that organisation in the case (docs/security.md rule 2): an
-- admin, the chair of that meeting, the submitting organisation, the case
-- manager or a process manager of the case.
CREATE OR REPLACE FUNCTION tafel_may_agree_action(u users, c cases,
    p_meeting bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT tafel_is_admin(u)
	    OR EXISTS (SELECT 1 FROM meetings m
		WHERE m.id = p_meeting AND m.chair_id = u.id)
	    OR u.org_id = c.submitter_org_id
	    OR u.id IS NOT DISTINCT FROM c.case_manager_id
	    OR tafel_is_process_manager(u.id, c.id)
$$;

CREATE OR REPLACE FUNCTION tafel_op_create_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases;
	m meetings;
	v_meeting bigint := tafel_arg_id(p_args, 'meeting_id');
	v_due date;
	v_base date := tafel_today();
	v_id bigint;
	v_json jsonb;
	v_new_org int;
BEGIN
	-- a case without a connection is not found, as get_case has it, for
	-- every role: refusing it would confirm that it exists (security.md
	-- rule 3); the refusal below is for who may know the case
	c := tafel_known_case(u, tafel_arg_id(p_args, 'case_id'), 'case_id');
	IF v_meeting <> 0 THEN
		SELECT * INTO m FROM meetings WHERE id = v_meeting;
		IF NOT FOUND THEN
			PERFORM tafel_raise('TF016', 'meeting not found',
			    'meeting_id');
		END IF;
		v_base := (m.scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date;
	END IF;
	IF NOT tafel_may_agree_action(u, c, v_meeting) THEN
		PERFORM tafel_raise('TF010', 'only the chair of the meeting, an '
		    || 'administrator, the submitting organisation, the case '
		    || 'manager or a process manager can agree an action point');
	END IF;
	IF (SELECT count(*) FROM action_points a WHERE a.case_id = c.id)
	    >= tafel_max_case_actions() THEN
		PERFORM tafel_raise('TF014', format('a case has at most %s action '
		    || 'points', tafel_max_case_actions()), 'case_id');
	END IF;
	PERFORM tafel_check_action_goal(p_args, c.id);
	IF v_meeting <> 0 AND NOT EXISTS (SELECT 1 FROM agenda_items
	    WHERE meeting_id = m.id AND case_id = c.id) THEN
		PERFORM tafel_raise('TF011',
		    'the case is not on the agenda of this meeting', 'meeting_id');
	END IF;
	IF tafel_trim(tafel_arg_text(p_args, 'description')) = '' THEN
		PERFORM tafel_raise('TF011', 'description is required',
		    'description');
	END IF;
	PERFORM tafel_check_action_owner(p_args);
	v_due := tafel_arg_date(p_args, 'due_date');
	IF v_due IS NULL THEN
		PERFORM tafel_raise('TF011', 'due_date is required', 'due_date');
	END IF;
	IF v_due < v_base - interval '1 year' THEN
		PERFORM tafel_raise('TF014', 'due_date is more than a year before '
		    || CASE WHEN v_meeting <> 0 THEN 'the meeting' ELSE 'today' END,
		    'due_date');
	END IF;

	INSERT INTO action_points (case_id, meeting_id, description, owner_org_id,
	    owner_user_id, due_date, created_by, updated_by, goal_id)
	VALUES (c.id, nullif(v_meeting, 0), tafel_arg_text(p_args, 'description'),
	    tafel_arg_id(p_args, 'owner_org_id'),
	    nullif(tafel_arg_id(p_args, 'owner_user_id'), 0), v_due, u.id, u.id,
	    nullif(tafel_arg_id(p_args, 'goal_id'), 0))
	RETURNING id INTO v_id;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (c.id, tafel_arg_id(p_args, 'owner_org_id'), u.id)
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_new_org = ROW_COUNT;
	-- the owner organisation is told, as of a point handed to it (0018),
	-- also when it was not at the table: agreements are not to be
	-- forgotten; the writer's own organisation only when the point names
	-- a colleague
	IF tafel_arg_id(p_args, 'owner_org_id') <> u.org_id
	    OR coalesce(nullif(tafel_arg_id(p_args, 'owner_user_id'), 0), u.id)
		<> u.id THEN
		PERFORM tafel_inbox_notice('action_assigned', c.id, v_id,
		    tafel_arg_id(p_args, 'owner_org_id'),
		    nullif(tafel_arg_id(p_args, 'owner_user_id'), 0), u.id);
	END IF;

	v_json := tafel_json_action(v_id);
	PERFORM tafel_log_change(u.id, v_meeting, c.id,
	    ARRAY[tafel_arg_id(p_args, 'owner_org_id')], tafel_involved_payload(
		c.id, v_new_org > 0, jsonb_build_object('action_point', v_json),
		v_meeting));
	IF v_new_org > 0 THEN	-- "eerder besproken" of matched cases
		PERFORM tafel_log_match_changes(u.id, c.id, '{}');
	END IF;
	RETURN v_json;
END
$$;

-- A guessed action point id the user may not manage is NOT_FOUND, not
-- FORBIDDEN: do not confirm that it exists.
CREATE OR REPLACE FUNCTION tafel_action_for_change(u users, p_args jsonb)
RETURNS action_points LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	a action_points;
BEGIN
	SELECT * INTO a FROM action_points
	WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	IF NOT FOUND OR NOT tafel_may_manage_action(u, a)
	    OR NOT tafel_case_connected(u.id, a.case_id) THEN
		PERFORM tafel_raise('TF016', 'action point not found', 'id');
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

-- update_action: UpdateActionRequest -> ActionPoint
CREATE OR REPLACE FUNCTION tafel_op_update_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	a action_points := tafel_action_for_change(u, p_args);
	c cases;
	v_due date;
	v_org bigint := tafel_arg_id(p_args, 'owner_org_id');
	v_json jsonb;
	v_new_org int;
BEGIN
	IF tafel_trim(tafel_arg_text(p_args, 'description')) = '' THEN
		PERFORM tafel_raise('TF011', 'description is required',
		    'description');
	END IF;
	PERFORM tafel_check_action_owner(p_args);
	-- handing it to another organisation involves that organisation in
	-- the case: only a chair or who may agree an action point there may
	-- (of those, who may also change it: tafel_action_for_change)
	SELECT * INTO c FROM cases WHERE id = a.case_id;
	IF v_org <> a.owner_org_id AND NOT (u.roles && ARRAY['chair']
	    OR tafel_may_agree_action(u, c, coalesce(a.meeting_id, 0))) THEN
		PERFORM tafel_raise('TF010', 'only a chair, an administrator, '
		    || 'the submitting organisation, the case manager or a '
		    || 'process manager can hand an action point to another '
		    || 'organisation', 'owner_org_id');
	END IF;
	PERFORM tafel_check_action_goal(p_args, a.case_id);
	v_due := tafel_arg_date(p_args, 'due_date');
	IF v_due IS NULL THEN
		PERFORM tafel_raise('TF011', 'due_date is required', 'due_date');
	END IF;
	IF v_due < (a.created_at AT TIME ZONE 'Europe/Amsterdam')::date
	    - interval '1 year' THEN
		PERFORM tafel_raise('TF014', 'due_date is more than a year before '
		    || 'the action point was agreed', 'due_date');
	END IF;

	UPDATE action_points SET
	    description = tafel_arg_text(p_args, 'description'),
	    owner_org_id = v_org,
	    owner_user_id = nullif(tafel_arg_id(p_args, 'owner_user_id'), 0),
	    due_date = v_due,
	    goal_id = nullif(tafel_arg_id(p_args, 'goal_id'), 0),
	    version = version + 1, updated_at = now(), updated_by = u.id,
	    edited_at = now()	-- the minutes mark edits after closing (0025)
	WHERE id = a.id;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (a.case_id, v_org, u.id)
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_new_org = ROW_COUNT;
	-- the new owner organisation is told (0018); the writer's own only
	-- when the point goes to a named colleague (a personal assignment),
	-- also within the same owner organisation (a colleague taking it
	-- over must know)
	IF (v_org <> a.owner_org_id AND (v_org <> u.org_id
	    OR coalesce(nullif(tafel_arg_id(p_args, 'owner_user_id'), 0), u.id)
		<> u.id))
	    OR (v_org = a.owner_org_id
		AND nullif(tafel_arg_id(p_args, 'owner_user_id'), 0) IS NOT NULL
		AND tafel_arg_id(p_args, 'owner_user_id')
		    IS DISTINCT FROM a.owner_user_id
		AND tafel_arg_id(p_args, 'owner_user_id') <> u.id) THEN
		PERFORM tafel_inbox_notice('action_assigned', a.case_id, a.id,
		    v_org, nullif(tafel_arg_id(p_args, 'owner_user_id'), 0), u.id);
	END IF;

	v_json := tafel_json_action(a.id);
	PERFORM tafel_log_change(u.id, a.meeting_id, a.case_id,
	    ARRAY[a.owner_org_id, v_org], tafel_involved_payload(a.case_id,
		v_new_org > 0, jsonb_build_object('action_point', v_json),
		coalesce(a.meeting_id, 0)));
	IF v_new_org > 0 THEN	-- "eerder besproken" of matched cases
		PERFORM tafel_log_match_changes(u.id, a.case_id, '{}');
	END IF;
	RETURN v_json;
END
$$;

-- complete_action / cancel_action: FinishActionRequest -> ActionPoint
CREATE OR REPLACE FUNCTION tafel_finish_action(p_user_id bigint, p_args jsonb, p_to text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	a action_points := tafel_action_for_change(u, p_args);
	v_note text := tafel_trim(tafel_arg_text(p_args, 'note'));
	v_json jsonb;
BEGIN
	IF p_to = 'done' AND v_note = '' THEN
		PERFORM tafel_raise('TF011', 'a note for the submitter is required '
		    || 'to complete an action point', 'note');
	END IF;
	-- the reason reaches the submitter's inbox too (58_inbox.sql)
	IF p_to = 'cancelled' AND v_note = '' THEN
		PERFORM tafel_raise('TF011', 'a reason is required to cancel an '
		    || 'action point', 'note');
	END IF;

	UPDATE action_points SET state = p_to, completion_note = v_note,
	    finished_at = now(), finished_by = u.id,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = a.id;
	-- feedback to the submitter (58_inbox.sql)
	PERFORM tafel_inbox_add(CASE p_to WHEN 'done' THEN 'action_done'
	    ELSE 'action_cancelled' END, a.case_id, a.id, u.id, '', '');

	v_json := tafel_json_action(a.id);
	PERFORM tafel_log_change(u.id, a.meeting_id, a.case_id,
	    ARRAY[a.owner_org_id], jsonb_build_object('action_point', v_json));
	RETURN v_json;
END
$$;

CREATE OR REPLACE FUNCTION tafel_op_complete_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_finish_action(p_user_id, p_args, 'done')
$$;

CREATE OR REPLACE FUNCTION tafel_op_cancel_action(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql SET search_path = public AS $$
	SELECT tafel_finish_action(p_user_id, p_args, 'cancelled')
$$;

-- Validates the case fields shared by create_case and update_case.
CREATE OR REPLACE FUNCTION tafel_check_case_args(p_args jsonb)
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
CREATE OR REPLACE FUNCTION tafel_check_person(p_person jsonb, p_hint text)
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
	-- a date typed into the name would reach every screen the name does,
	-- also those the covenant keeps birth dates from
	IF tafel_arg_text(p_person, 'name') ~ '[0-9]' THEN
		PERFORM tafel_raise('TF011', 'a name has no digits: a date of '
		    || 'birth goes in birth_date', p_hint || '.name');
	END IF;
	v_birth := tafel_arg_date(p_person, 'birth_date', p_hint || '.birth_date');
	IF v_birth > tafel_today() OR v_birth < date '1900-01-01' THEN
		PERFORM tafel_raise('TF014', 'birth_date is out of range',
		    p_hint || '.birth_date');
	END IF;
END
$$;

-- The persons one case may hold: a household with its children fits many
-- times over; the limit keeps one write's matching work bounded.
CREATE OR REPLACE FUNCTION tafel_max_case_persons()
RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 50 $$;

-- The action points one case may hold (open, done and cancelled): years of
-- agreements fit many times over, and 500 of the longest (8000 bytes)
-- keep a case, and so get_case and the meeting snapshot's part for it,
-- within the answer in parts (docs/protocol.md 3.2): without a limit one
-- partner could make a case, and the meetings holding it, unreadable.
CREATE OR REPLACE FUNCTION tafel_max_case_actions()
RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 500 $$;

-- create_case: CreateCaseRequest -> Case
CREATE OR REPLACE FUNCTION tafel_op_create_case(p_user_id bigint, p_args jsonb)
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
	IF jsonb_array_length(v_persons) > tafel_max_case_persons() THEN
		PERFORM tafel_raise('TF014', format('a case has at most %s persons',
		    tafel_max_case_persons()), 'persons');
	END IF;
	FOR v_person IN SELECT e FROM jsonb_array_elements(v_persons) e LOOP
		PERFORM tafel_check_person(v_person, 'persons');
	END LOOP;

	INSERT INTO cases (number, theme, approach, district, submitter_org_id,
	    submitter_user_id, case_manager_id, summary, created_by, updated_by,
	    reason)
	VALUES (tafel_next_case_number(), tafel_arg_text(p_args, 'theme'),
	    tafel_arg_enum(p_args, 'approach', tafel_enum_approach()),
	    tafel_arg_text(p_args, 'district'), u.org_id, u.id,
	    nullif(tafel_arg_id(p_args, 'case_manager_id'), 0),
	    tafel_arg_text(p_args, 'summary'), u.id, u.id,
	    tafel_arg_text(p_args, 'reason'))
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
	PERFORM tafel_log_match_changes(u.id, v_id, '{}');
	RETURN v_json;
END
$$;

-- Likewise for a case the user may neither change nor know of.
CREATE OR REPLACE FUNCTION tafel_case_for_change(u users, p_args jsonb,
    p_move boolean)
RETURNS cases LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	c cases;
	v_allowed boolean;
BEGIN
	SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	-- without a connection not found, whatever the role: an admin or a
	-- chair may change a case only once it may know of it (as get_case)
	IF NOT FOUND OR NOT tafel_case_connected(u.id, c.id) THEN
		PERFORM tafel_raise('TF016', 'case not found', 'id');
	END IF;
	v_allowed := CASE WHEN p_move THEN u.roles && ARRAY['admin', 'chair']
	    OR u.id IS NOT DISTINCT FROM c.case_manager_id
	    OR tafel_is_process_manager(u.id, c.id)
	    ELSE tafel_may_plan(u, c) END;
	IF NOT v_allowed AND p_move THEN
		PERFORM tafel_raise('TF010', 'only a chair, a process manager '
		    || 'of the case, the case manager or an administrator can '
		    || 'route a case');
	ELSIF NOT v_allowed THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a process manager, a chair or an administrator '
		    || 'can change a case');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> c.version THEN
		PERFORM tafel_conflict('current_case', tafel_json_case(c.id));
	END IF;
	RETURN c;
END
$$;

-- update_case: UpdateCaseRequest -> Case (the whole editable record)
CREATE OR REPLACE FUNCTION tafel_op_update_case(p_user_id bigint, p_args jsonb)
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
	-- another district or theme: other process managers see it in full,
	-- which moves "eerder besproken" of the cases matched with it
	IF (v_json ->> 'district', v_json ->> 'theme') IS DISTINCT FROM
	    (c.district, c.theme) THEN
		PERFORM tafel_log_match_changes(u.id, c.id, '{}');
	END IF;
	RETURN v_json;
END
$$;

-- move_case: MoveCaseRequest -> Case, along case_transitions only.
CREATE OR REPLACE FUNCTION tafel_op_move_case(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases := tafel_case_for_change(u, p_args, true);
	v_to text := tafel_arg_enum(p_args, 'to', tafel_enum_case_status());
	v_new_org boolean;
	v_json jsonb;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM case_transitions
	    WHERE from_status = c.status AND to_status = v_to) THEN
		PERFORM tafel_raise('TF018', format(
		    'a case cannot move from %s to %s', c.status, v_to), 'to');
	END IF;
	-- what the target status needs (0008): set with the move, then checked
	v_new_org := tafel_routing_apply(u, c, p_args, false);
	PERFORM tafel_case_require(c.id, v_to);
	UPDATE cases SET status = v_to,
	    closed_at = CASE WHEN v_to = 'closed' THEN now() END,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = c.id;
	-- feedback to the submitter (58_inbox.sql)
	PERFORM tafel_inbox_add(CASE WHEN v_to = 'closed' THEN 'case_closed'
	    ELSE 'case_moved' END, c.id, NULL, u.id, c.status, v_to);

	v_json := tafel_json_case(c.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}', tafel_involved_payload(
	    c.id, v_new_org, jsonb_build_object('case', v_json), 0));
	IF v_new_org THEN	-- "eerder besproken" of matched cases
		PERFORM tafel_log_match_changes(u.id, c.id, '{}');
	END IF;
	RETURN v_json;
END
$$;

-- add_person: PersonRequest (person.id = 0) -> Person.  The case's version
-- is not bumped (persons carry their own); the event carries the case for
-- its persons list.
CREATE OR REPLACE FUNCTION tafel_op_add_person(p_user_id bigint, p_args jsonb)
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
	-- locked: two additions at once count each other
	SELECT * INTO c FROM cases
	WHERE id = tafel_arg_id(v_p, 'case_id', 'person.case_id') FOR UPDATE;
	-- a case the user does not know of: not found (0008), for every role
	IF NOT FOUND OR NOT tafel_case_connected(u.id, c.id) THEN
		PERFORM tafel_raise('TF016', 'case not found', 'person.case_id');
	END IF;
	IF NOT tafel_may_plan(u, c) THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a process manager, a chair or an administrator '
		    || 'can change a case');
	END IF;
	IF (SELECT count(*) FROM persons WHERE case_id = c.id)
	    >= tafel_max_case_persons() THEN
		PERFORM tafel_raise('TF014', format('a case has at most %s persons',
		    tafel_max_case_persons()), 'person.case_id');
	END IF;

	INSERT INTO persons (case_id, role, name, birth_date, updated_by)
	VALUES (c.id, tafel_arg_enum(v_p, 'role', tafel_enum_person_role()),
	    btrim(tafel_arg_text(v_p, 'name')), tafel_arg_date(v_p, 'birth_date'),
	    u.id)
	RETURNING id INTO v_id;

	v_json := tafel_json_person(v_id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}', jsonb_build_object(
	    'person', v_json, 'case', tafel_json_case(c.id)));
	PERFORM tafel_log_match_changes(u.id, c.id, '{}');
	RETURN v_json;
END
$$;

-- After a case p_case_id changed its persons or whom it involves: every
-- other case whose "eerder besproken" may have changed with it gets a
-- change of its own, so that a live view stays equal to a fresh snapshot.
-- The flag of a case X depends on its matches and on who may see the
-- matching case in full (tafel_access_earlier), so a new organisation
-- involved in a matched case (tafel_involve_org), or another district or
-- theme (other process managers), moves it too.  p_before: the matched
-- cases before the change (update_person).
-- Set-based: one INSERT for all of them, seqs in case-id order (what
-- tafel_log_change would give one by one), then one notification each.
CREATE OR REPLACE FUNCTION tafel_log_match_changes(p_actor bigint,
    p_case_id bigint, p_before bigint[])
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_op text := nullif(current_setting('tafel.op', true), '');
	v_cases bigint[];
	v_seqs bigint[];
BEGIN
	v_cases := ARRAY(SELECT DISTINCT x FROM unnest(coalesce(p_before, '{}')
	    || ARRAY(SELECT tafel_case_matched_cases(p_case_id))) x
	    WHERE x IS NOT NULL AND x <> p_case_id AND x <> 0 ORDER BY x);
	IF cardinality(v_cases) = 0 THEN
		RETURN;
	END IF;
	-- these changes carry a case only and are routed by it, whatever the
	-- write's own routing (write_ops.routing is about its own change)
	PERFORM pg_advisory_xact_lock(7410);
	WITH ins AS (
		INSERT INTO changelog (seq, at, actor_id, meeting_id, case_id,
		    org_ids, payload, op)
		SELECT nextval('changelog_seq'), clock_timestamp(), p_actor, NULL,
		    s.x, '{}', jsonb_build_object('case', tafel_json_case(s.x),
			-- the case whose change caused it: only a viewer who may
			-- see its persons in full gets this change
			-- (tafel_event_render), which is then no trace of it
			'match_of', p_case_id), v_op
		FROM (SELECT x FROM unnest(v_cases) WITH ORDINALITY AS t(x, i)
		    ORDER BY i) s
		RETURNING seq)
	SELECT array_agg(seq ORDER BY seq) INTO v_seqs FROM ins;
	PERFORM pg_notify('tafel_changes', q::text) FROM unnest(v_seqs) q;
END
$$;

-- update_person: PersonRequest -> Person
CREATE OR REPLACE FUNCTION tafel_op_update_person(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_p jsonb := coalesce(p_args -> 'person', '{}');
	p persons;
	c cases;
	v_case bigint;
	v_json jsonb;
	v_before bigint[];
BEGIN
	IF jsonb_typeof(v_p) IS DISTINCT FROM 'object' THEN
		PERFORM tafel_raise('TF011', 'person is required', 'person');
	END IF;
	SELECT * INTO p FROM persons
	WHERE id = tafel_arg_id(v_p, 'id', 'person.id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'person not found', 'person.id');
	END IF;
	SELECT * INTO c FROM cases WHERE id = p.case_id;
	IF NOT tafel_case_connected(u.id, c.id) THEN
		PERFORM tafel_raise('TF016', 'person not found', 'person.id');
	END IF;
	-- only after the connection: for a person of a hidden case this
	-- refusal told that the id exists, and in another case
	v_case := tafel_arg_id(v_p, 'case_id', 'person.case_id');
	IF v_case <> 0 AND v_case <> p.case_id THEN
		PERFORM tafel_raise('TF011', 'a person cannot move to another case',
		    'person.case_id');
	END IF;
	IF NOT tafel_may_plan(u, c) THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a process manager, a chair or an administrator '
		    || 'can change a case');
	END IF;
	IF tafel_arg_id(v_p, 'version', 'person.version') <> p.version THEN
		PERFORM tafel_conflict('current_person', tafel_json_person(p.id));
	END IF;
	PERFORM tafel_check_person(v_p, 'person');
	v_before := ARRAY(SELECT tafel_case_matched_cases(c.id));

	UPDATE persons SET
	    role = tafel_arg_enum(v_p, 'role', tafel_enum_person_role()),
	    name = btrim(tafel_arg_text(v_p, 'name')),
	    birth_date = tafel_arg_date(v_p, 'birth_date'),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = p.id;

	v_json := tafel_json_person(p.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}', jsonb_build_object(
	    'person', v_json, 'case', tafel_json_case(c.id)));
	PERFORM tafel_log_match_changes(u.id, c.id, v_before);
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- The single entry point for writes
-- ---------------------------------------------------------------------------

-- The write op p_op (a row of write_ops) for user p_user_id, idempotent by
-- (user, p_key): a repeat with the same op and arguments returns the stored
-- answer, rendered for the user as now.  The answer is the op's record,
-- rendered for the user; a CONFLICT's current record likewise.
CREATE OR REPLACE FUNCTION tafel_write(p_user_id bigint, p_key text, p_op text,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users;
	v_args jsonb := coalesce(p_args, '{}');
	v_hash text;
	v_row idempotency;
	v_n int;
	v_resp jsonb;
	v_msg text;
	v_hint text;
	v_detail text;
	w write_ops;
BEGIN
	u := tafel_actor(p_user_id);
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
	SELECT * INTO w FROM write_ops WHERE name = p_op;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF011', format('unknown operation %L', p_op));
	END IF;
	IF jsonb_typeof(v_args) <> 'object' THEN
		PERFORM tafel_raise('TF011', 'the arguments must be a JSON object');
	END IF;

	v_hash := md5(v_args::text);
	-- kept as long as the writing node promises (0027): tafel_write_routed
	-- sets its idempotency_ttl; the default (7 days) for any other caller
	INSERT INTO idempotency (user_id, key, op, args_hash, keep_until)
	VALUES (u.id, p_key, p_op, v_hash, now() + make_interval(secs =>
	    greatest(60, coalesce(nullif(current_setting(
		'tafel.idempotency_ttl', true), ''), '604800')::bigint)))
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n = 0 THEN
		SELECT * INTO v_row FROM idempotency
		WHERE user_id = u.id AND key = p_key;
		IF v_row.op = p_op AND v_row.args_hash = v_hash
		    AND v_row.response IS NOT NULL THEN
			-- stored unredacted; rendered for the user as now
			RETURN tafel_render_record(u.id, w.kind,
			    v_row.response, 'write');
		END IF;
		IF v_row.op = p_op AND v_row.args_hash = v_hash THEN
			PERFORM tafel_raise('TF022', 'write with this idempotency '
			    || 'key is still in progress');
		END IF;
		PERFORM tafel_raise('TF020', 'idempotency key already used for a '
		    || 'different request', 'idempotency_key');
	END IF;

	v_args := tafel_keep_hidden(u, p_op, v_args);
	BEGIN
		-- tafel_op_<name>(user, args); the name comes from write_ops
		PERFORM set_config('tafel.op', w.name, true);
		EXECUTE format('SELECT %I($1, $2)', 'tafel_op_' || w.name)
		INTO v_resp USING u.id, v_args;
		PERFORM set_config('tafel.op', '', true);
	EXCEPTION WHEN SQLSTATE 'TF017' THEN
		-- the current record, as far as this user may see it
		GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT,
		    v_hint = PG_EXCEPTION_HINT, v_detail = PG_EXCEPTION_DETAIL;
		RAISE EXCEPTION USING ERRCODE = 'TF017', MESSAGE = v_msg,
		    HINT = v_hint, DETAIL = coalesce(tafel_render_conflict(u.id,
			nullif(v_detail, '')::jsonb, NULL)::text, '');
	END;

	UPDATE idempotency SET response = v_resp
	WHERE user_id = u.id AND key = p_key;
	RETURN tafel_render_record(u.id, w.kind, v_resp, 'write');
END
$$;

-- tafeld's maintenance timer (server/maint.c): forgets the answers of
-- writes past their keep_until (0027: the window of the node that stored
-- them), or, stored before 0027, older than p_seconds (this node's
-- idempotency_ttl), so that a retry after that long is a new write;
-- returns how many.  A node with a shorter window no longer forgets the
-- keys of the others.  The server's role may only read its own keys,
-- hence SECURITY DEFINER.
CREATE OR REPLACE FUNCTION tafel_forget_keys(p_seconds bigint)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_n bigint;
BEGIN
	IF p_seconds IS NULL OR p_seconds < 60 THEN
		PERFORM tafel_raise('TF011', 'keys are kept at least 60 seconds');
	END IF;
	DELETE FROM idempotency
	WHERE keep_until < now() OR (keep_until IS NULL
	    AND created_at < now() - make_interval(secs => p_seconds));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END
$$;

-- The server calls this after sending a CONFLICT error whose DETAIL held a
-- record (the error rolled back the write's transaction, and with it any
-- audit row written there).  Writes the 'conflict' audit row.
CREATE OR REPLACE FUNCTION tafel_audit_conflict(p_user_id bigint, p_detail text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	IF coalesce(p_detail, '') = '' THEN
		RETURN;
	END IF;
	PERFORM tafel_render_conflict(u.id, p_detail::jsonb, 'conflict');
END
$$;

-- ---------------------------------------------------------------------------
-- The write operations: one row each.  tafel_write accepts exactly these
-- names and calls tafel_op_<name>(user, args); kind is the record the answer
-- holds (rendered per user by tafel_render_record); routing lists the ids
-- the change-log row must carry so that the server can route the change
-- (tafel_log_change checks it).  server/dispatch-table.c holds the same ops
-- with the answer's body (tests/test_sql_layout.py checks that they agree).
-- ---------------------------------------------------------------------------

DELETE FROM write_ops;
INSERT INTO write_ops (name, kind, routing) VALUES
	('create_meeting', 'meeting', '{meeting}'),
	('open_meeting', 'meeting', '{meeting}'),
	('close_meeting', 'meeting', '{meeting}'),
	('record_attendance', 'attendance', '{meeting}'),
	('add_agenda_item', 'agenda', '{meeting,case}'),
	('remove_agenda_item', 'agenda', '{meeting,case}'),
	('reorder_agenda', 'agenda', '{meeting}'),
	('set_current_item', 'meeting', '{meeting}'),
	('record_decision', 'item', '{meeting,case}'),
	('create_action', 'action', '{case,orgs}'),
	('update_action', 'action', '{case,orgs}'),
	('complete_action', 'action', '{case,orgs}'),
	('cancel_action', 'action', '{case,orgs}'),
	('create_case', 'case', '{case}'),
	('update_case', 'case', '{case}'),
	('add_person', 'person', '{case}'),
	('update_person', 'person', '{case}'),
	('move_case', 'case', '{case}'),
	-- intake, routing and the plan of approach (0008, 55_intake.sql)
	('add_contribution', 'contribution', '{case}'),
	('update_contribution', 'contribution', '{case}'),
	('add_goal', 'goal', '{case}'),
	('update_goal', 'goal', '{case}'),
	('link_persons', 'link', '{case}'),
	('update_routing', 'case', '{case}'),
	('plan_mdo', 'meeting', '{meeting,case}'),
	-- planning and nominations (56_planning.sql)
	('plan_meetings', 'meetings', '{meeting}'),
	('move_meeting', 'meeting', '{meeting}'),
	('cancel_meeting', 'meeting', '{meeting}'),
	('nominate_case', 'nomination', '{case,orgs}'),
	('accept_nomination', 'nomination', '{meeting,case,orgs}'),
	('decline_nomination', 'nomination', '{case,orgs}'),
	-- legal clocks (0010, 57_prep.sql)
	('set_clock', 'case', '{case}'),
	('extend_clock', 'case', '{case}'),
	-- the info round (0010, 57_prep.sql)
	('start_info_round', 'info_round', '{case,orgs}'),
	('answer_info_round', 'info_round', '{case,orgs}'),
	('close_info_round', 'info_round', '{case,orgs}'),
	-- the agenda's proposals and its publication (0010, 57_prep.sql)
	('decline_proposal', 'proposal', '{meeting}'),
	('publish_agenda', 'meeting', '{meeting,orgs}'),
	-- after the meeting: the inbox (0011, 58_inbox.sql)
	('mark_inbox_read', 'inbox', '{orgs}');

-- The lists the table replaced.
DROP FUNCTION IF EXISTS tafel_write_ops();
DROP FUNCTION IF EXISTS tafel_op_kind(text);

