-- JSON builders: one proto message each, unredacted (they feed the change
-- log; every entry function renders them per viewer, see 40_render.sql).
-- NULL when the id does not exist.

-- Organisation
CREATE OR REPLACE FUNCTION tafel_json_org(p_id bigint)
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
CREATE OR REPLACE FUNCTION tafel_json_user(p_id bigint)
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
CREATE OR REPLACE FUNCTION tafel_json_series(p_id bigint)
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
CREATE OR REPLACE FUNCTION tafel_json_attendance(p_meeting_id bigint, p_user_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (
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
	WHERE a.meeting_id = p_meeting_id AND a.user_id = p_user_id);
END
$$;

-- Meeting
CREATE OR REPLACE FUNCTION tafel_json_meeting(p_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (
	SELECT jsonb_build_object(
	    'id', m.id,
	    'series_id', m.series_id,
	    'series_name', s.name,
	    'series_kind', s.kind,
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
	    'version', m.version,
	    'cancel_reason', m.cancel_reason,
	    -- when it was opened (0 never): a held meeting's date
	    'held_at', tafel_unix(m.opened_at))
	    -- publishing the agenda (0010, 17_prep_base.sql)
	    || jsonb_build_object(
	    'published_at', tafel_unix(m.published_at),
	    'published_by_name', coalesce(pu.display_name, ''),
	    'publish_due', tafel_datestr(tafel_meeting_publish_due(m.id)),
	    'publish_overdue', m.published_at IS NULL AND m.state = 'planned'
		AND tafel_meeting_publish_due(m.id) < tafel_today())
	FROM meetings m
	JOIN series s ON s.id = m.series_id
	LEFT JOIN users c ON c.id = m.chair_id
	LEFT JOIN users pu ON pu.id = m.published_by
	WHERE m.id = p_id);
END
$$;

-- AgendaItem
-- An item's decision changed after its meeting closed (the chair finishes
-- the minutes: record_decision is the one write allowed on an item then);
-- the same mark as the minutes' changed_after_close (58_minutes.sql).
CREATE OR REPLACE FUNCTION tafel_decision_changed_after_close(a agenda_items,
    m meetings)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT coalesce(m.state = 'closed' AND a.updated_at > m.closed_at, false)
$$;

CREATE OR REPLACE FUNCTION tafel_json_item(p_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (
	SELECT jsonb_build_object(
	    'id', a.id,
	    'meeting_id', a.meeting_id,
	    'case_id', a.case_id,
	    'position', a.position,
	    'state', a.state,
	    'decision', a.decision,
	    'version', a.version,
	    'added_after_publication', a.added_after_publication,
	    'decision_changed_after_close', x.changed,
	    'decision_by_name', CASE WHEN x.changed
		THEN coalesce(u.display_name, '') ELSE '' END,
	    'decision_at', CASE WHEN x.changed
		THEN tafel_unix(a.updated_at) ELSE 0 END)
	FROM agenda_items a
	JOIN meetings m ON m.id = a.meeting_id
	LEFT JOIN users u ON u.id = a.updated_by
	CROSS JOIN LATERAL tafel_decision_changed_after_close(a, m) x(changed)
	WHERE a.id = p_id);
END
$$;

-- All AgendaItems of a meeting, in order: tafel_json_item of each, built
-- in one query (PL/pgSQL, its plan cached; 50 calls of tafel_json_item
-- were planned one by one).  tests/sql/27_bulk_builders.sql asserts that
-- they are the same; a change to one must be made to the other.
CREATE OR REPLACE FUNCTION tafel_json_items(p_meeting_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object(
	    'id', a.id,
	    'meeting_id', a.meeting_id,
	    'case_id', a.case_id,
	    'position', a.position,
	    'state', a.state,
	    'decision', a.decision,
	    'version', a.version,
	    'added_after_publication', a.added_after_publication,
	    'decision_changed_after_close', x.changed,
	    'decision_by_name', CASE WHEN x.changed
		THEN coalesce(u.display_name, '') ELSE '' END,
	    'decision_at', CASE WHEN x.changed
		THEN tafel_unix(a.updated_at) ELSE 0 END)
	    ORDER BY a.position, a.id), '[]'::jsonb)
	FROM agenda_items a
	JOIN meetings m ON m.id = a.meeting_id
	LEFT JOIN users u ON u.id = a.updated_by
	-- tafel_decision_changed_after_close
	CROSS JOIN LATERAL (SELECT coalesce(m.state = 'closed'
	    AND a.updated_at > m.closed_at, false)) x(changed)
	WHERE a.meeting_id = p_meeting_id);
END
$$;

-- Agenda
CREATE OR REPLACE FUNCTION tafel_json_agenda(p_meeting_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object('meeting_id', p_meeting_id,
	    'items', tafel_json_items(p_meeting_id))
$$;

-- Person
CREATE OR REPLACE FUNCTION tafel_json_person(p_id bigint)
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

-- Case, unredacted; hidden_categories, beamer_redacted and beamer_reason
-- have their unredacted defaults (tafel_render fills them per viewer).
CREATE OR REPLACE FUNCTION tafel_json_case(p_id bigint)
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
	    'case_manager_name', coalesce(cm.display_name, ''),
	    'hidden_categories', '[]'::jsonb,
	    'beamer_redacted', false,
	    'beamer_reason', '')
	    -- intake and routing (0008)
	    || jsonb_build_object(
	    'reason', c.reason,
	    'lead_org_id', coalesce(c.lead_org_id, 0),
	    'lead_org_name', coalesce(lo.name, ''),
	    'end_date', tafel_datestr(c.end_date),
	    'review_date', tafel_datestr(c.review_date),
	    'closing_reason', c.closing_reason,
	    'evaluation', c.evaluation,
	    'earlier_discussed', tafel_case_has_earlier(c.id),
	    'process_manager_ids', to_jsonb(tafel_case_process_managers(c.id)))
	    -- legal clocks (0010, 17_prep_base.sql)
	    || jsonb_build_object(
	    'clocks', tafel_json_case_clocks(c.id))
	FROM cases c
	JOIN organisations so ON so.id = c.submitter_org_id
	LEFT JOIN users cm ON cm.id = c.case_manager_id
	LEFT JOIN organisations lo ON lo.id = c.lead_org_id
	WHERE c.id = p_id
$$;

-- ActionPoint
CREATE OR REPLACE FUNCTION tafel_json_action(p_id bigint)
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
	    'overdue', a.state = 'open' AND a.due_date < tafel_today(),
	    'goal_id', coalesce(a.goal_id, 0))
	FROM action_points a
	JOIN cases c ON c.id = a.case_id
	JOIN organisations o ON o.id = a.owner_org_id
	LEFT JOIN users u ON u.id = a.owner_user_id
	WHERE a.id = p_id
$$;

-- The case's newest info round, unredacted, as a change's payload part
-- ({"info_round": ...}; {} when the case has none): a change that brings
-- a case into a meeting, or widens who may see it (an item made current,
-- an organisation newly involved), carries it, as a snapshot carries the
-- case's rounds; the round's own events did not reach those viewers as
-- they may see it now.  Rendered per viewer (tafel_render_info_round).
-- PL/pgSQL: tafel_json_info_round comes later (57_prep.sql).
CREATE OR REPLACE FUNCTION tafel_json_case_round(p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	RETURN coalesce((SELECT jsonb_build_object('info_round',
	    tafel_json_info_round(r.id)) FROM info_rounds r
	    WHERE r.case_id = p_case_id ORDER BY r.id DESC LIMIT 1), '{}');
END
$$;

-- The open action points of a case (for the add_agenda_item event).
CREATE OR REPLACE FUNCTION tafel_json_case_actions(p_case_id bigint, p_open_only boolean)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_action(a.id)
	    ORDER BY (a.state = 'open' AND a.due_date < tafel_today()) DESC,
	    a.due_date, a.id), '[]'::jsonb)
	FROM action_points a
	WHERE a.case_id = p_case_id AND (NOT p_open_only OR a.state = 'open')
$$;

-- The action points of an organisation: overdue first, then by due date.
CREATE OR REPLACE FUNCTION tafel_json_org_actions(p_org_id bigint, p_user_id bigint,
    p_include_finished boolean)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_action(a.id)
	    ORDER BY (a.state = 'open' AND a.due_date < tafel_today()) DESC,
	    a.due_date, a.id), '[]'::jsonb)
	FROM action_points a
	WHERE (p_include_finished OR a.state = 'open')
	    AND CASE WHEN p_user_id IS NULL THEN a.owner_org_id = p_org_id
		ELSE a.owner_user_id = p_user_id
		    OR (a.owner_org_id = p_org_id AND a.owner_user_id IS NULL) END
$$;

-- A table {"columns": [...], "rows": [[...], ...]} (tafel_snapshot_actions)
-- as the array of objects it stands for; any other value as it is.
CREATE OR REPLACE FUNCTION tafel_json_table_objects(p jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN jsonb_typeof(p) = 'object' AND p ? 'columns'
	    AND p ? 'rows' THEN coalesce((
		SELECT jsonb_agg((SELECT jsonb_object_agg(c.name, row.value -> (c.k - 1)::int)
		    FROM jsonb_array_elements_text(p -> 'columns')
			WITH ORDINALITY AS c(name, k)) ORDER BY row.i)
		FROM jsonb_array_elements(p -> 'rows') WITH ORDINALITY AS row(value, i)),
	    '[]'::jsonb)
	ELSE p END
$$;
