-- The minutes (besluitenlijst) of a closed meeting, one rendering per
-- recipient organisation, redacted by the covenant exactly as the live view
-- (tafel_render) and audited ('minutes'), 0011.

-- The agreement of action point p_id (description, owner, due date,
-- goal) as it stood at p_at, from the change log's copy of the point at
-- the last change up to then ({} when the log holds none, e.g. pruned):
-- the minutes show an action point edited after the meeting closed as it
-- was agreed.  The search stays within the point's lifetime up to p_at
-- (changelog_at_idx).
CREATE OR REPLACE FUNCTION tafel_action_agreed(p_id bigint, p_at timestamptz)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce((SELECT jsonb_build_object(
	    'description', x -> 'description',
	    'owner_org_id', x -> 'owner_org_id',
	    'owner_org_name', x -> 'owner_org_name',
	    'owner_user_id', x -> 'owner_user_id',
	    'owner_user_name', x -> 'owner_user_name',
	    'due_date', x -> 'due_date',
	    'goal_id', x -> 'goal_id')
	    FROM (SELECT c.payload -> 'action_point' AS x
		FROM changelog c, action_points a
		WHERE a.id = p_id AND c.at >= a.created_at - interval '1 minute'
		    AND c.at <= p_at AND c.payload ? 'action_point'
		    AND (c.payload -> 'action_point' ->> 'id')::bigint = p_id
		ORDER BY c.seq DESC LIMIT 1) last), '{}'::jsonb)
$$;

-- The organisations that receive a meeting's minutes: the series' members
-- and every organisation with an attendance row (invited or present).
CREATE OR REPLACE FUNCTION tafel_minutes_recipients(p_meeting_id bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT sm.org_id FROM meetings m
	JOIN series_members sm ON sm.series_id = m.series_id
	WHERE m.id = p_meeting_id
	UNION
	SELECT a.org_id FROM attendance a WHERE a.meeting_id = p_meeting_id
$$;

-- The member whose view an organisation's minutes are rendered in when no
-- user of it asks (tafelctl): its lowest-id active member, plain members
-- before chairs, never a process manager: a process manager's view of their
-- districts' cases is personal (tafel_access), not the organisation's, and
-- would put in the organisation's copy what only that person may read.
-- NULL when there is no such member (tafel_minutes_for_org refuses).
CREATE OR REPLACE FUNCTION tafel_minutes_reader(p_org_id bigint)
RETURNS bigint LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT u.id FROM users u
	WHERE u.org_id = p_org_id AND NOT u.disabled
	    AND u.roles && ARRAY['member', 'chair']
	    AND NOT EXISTS (SELECT 1 FROM process_managers pm
		WHERE pm.user_id = u.id)
	ORDER BY 'chair' = ANY (u.roles), u.id
	LIMIT 1
$$;

-- Minutes for user p_viewer (of organisation p_org_id, a recipient):
-- Minutes as JSON.  Items: the agenda in order, each with its case (its
-- number and why the viewer sees less, no persons or texts), its decision,
-- the action points agreed in this meeting and the case's action points
-- agreed before it closed elsewhere (an earlier meeting of any series, or
-- outside a meeting) that are still open (earlier_actions: the agreements
-- everyone is held to, which the live view showed with the case), all
-- rendered for the viewer in one rendering (so audited as the copy holds
-- them); marks for items added after the meeting opened (the agenda was
-- published) and decisions changed, action points agreed and action points'
-- agreements edited after it closed.
-- Expected but absent: the attendance rows recorded absent (absent), and
-- the member organisations nobody of which was recorded at all
-- (absent_orgs), so that an organisation is named once: with its members
-- recorded absent, or on its own.
CREATE OR REPLACE FUNCTION tafel_minutes_render(p_viewer bigint,
    p_org_id bigint, p_meeting_id bigint, p_context text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	m meetings;
	v_items jsonb := '[]';
	v_cases jsonb := '[]';
	v_actions jsonb := '[]';
	v_late jsonb := '[]';
	v_edited jsonb := '[]';
	v_marks jsonb := '[]';
	v_open jsonb;
	r jsonb;
	ai agenda_items;
BEGIN
	SELECT * INTO m FROM meetings WHERE id = p_meeting_id;
	IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM tafel_minutes_recipients(m.id) x
	    WHERE x = p_org_id) THEN
		PERFORM tafel_raise('TF016', 'no minutes of this meeting for '
		    || 'this organisation', 'meeting_id');
	END IF;
	IF m.state <> 'closed' THEN
		PERFORM tafel_raise('TF018', 'a meeting has minutes once it is '
		    || 'closed', 'meeting_id');
	END IF;
	FOR ai IN SELECT * FROM agenda_items WHERE meeting_id = m.id
	    ORDER BY position LOOP
		v_items := v_items || jsonb_build_array(tafel_json_item(ai.id));
		v_marks := v_marks || jsonb_build_array(jsonb_build_object(
		    'added_during_meeting', m.opened_at IS NOT NULL
			AND ai.created_at > m.opened_at
			AND ai.created_at <= m.closed_at,
		    'changed_after_close', ai.updated_at > m.closed_at));
		-- the case by its number only: minutes leave the system as
		-- files, and what they are for (decisions and action points)
		-- needs no person, birth date or summary; left out before the
		-- rendering, so that the read audit records only what the
		-- minutes show
		v_cases := v_cases || jsonb_build_array(tafel_json_case(ai.case_id)
		    || '{"persons": [], "summary": "", "reason": "",
			"closing_reason": "", "evaluation": "", "clocks": []}'::jsonb);
		-- as agreed at the table: one whose agreement was edited
		-- after the meeting closed shows its agreement as it was then
		-- (marked, actions_changed_after_close), its state as it is
		v_actions := v_actions || coalesce((SELECT jsonb_agg(
		    CASE WHEN a.created_at <= m.closed_at
			AND a.edited_at > m.closed_at
		    THEN tafel_json_action(a.id) || tafel_action_agreed(a.id,
			m.closed_at)
		    ELSE tafel_json_action(a.id) END ORDER BY a.id)
		    FROM action_points a
		    WHERE a.case_id = ai.case_id AND a.meeting_id = m.id), '[]');
		-- agreed before (not in this meeting), still open
		v_actions := v_actions || coalesce((SELECT jsonb_agg(
		    tafel_json_action(a.id) ORDER BY a.id) FROM action_points a
		    WHERE a.case_id = ai.case_id
			AND a.meeting_id IS DISTINCT FROM m.id
			AND a.state = 'open' AND a.created_at <= m.closed_at),
		    '[]');
		v_late := v_late || jsonb_build_array(coalesce((SELECT
		    jsonb_agg(a.id) FROM action_points a
		    WHERE a.case_id = ai.case_id AND a.meeting_id = m.id
			AND a.created_at > m.closed_at), '[]'));
		-- agreed at the table, their agreement edited since (0025)
		v_edited := v_edited || jsonb_build_array(coalesce((SELECT
		    jsonb_agg(a.id ORDER BY a.id) FROM action_points a
		    WHERE a.case_id = ai.case_id AND a.meeting_id = m.id
			AND a.created_at <= m.closed_at
			AND a.edited_at > m.closed_at), '[]'));
	END LOOP;
	-- the covenant, as everywhere: redacted for the viewer, audited
	r := tafel_render(p_viewer, 0, 0, jsonb_build_object(
	    'agenda_items', v_items, 'cases', v_cases, 'actions', v_actions),
	    p_context, m.id, false);
	-- the standing item: open action points of earlier meetings
	v_open := coalesce(tafel_render(p_viewer, 0, 0, jsonb_build_object(
	    'actions', tafel_json_carried_over(m.id)), p_context, m.id, true)
	    -> 'actions', '[]');
	RETURN jsonb_build_object(
	    'meeting', tafel_json_meeting(m.id),
	    'org_id', p_org_id,
	    'org_name', (SELECT name FROM organisations WHERE id = p_org_id),
	    'chair_name', (SELECT display_name FROM users WHERE id = m.chair_id),
	    -- present: at the end, or for part of the meeting (an
	    -- attendance period); one who left early says until when
	    'present', coalesce((SELECT jsonb_agg(tafel_json_attendance(m.id,
		a.user_id) || CASE WHEN NOT a.present AND x.left_at IS NOT NULL
		    THEN jsonb_build_object('left_at', tafel_unix(x.left_at))
		    ELSE '{}'::jsonb END ORDER BY o.name, u.display_name)
		FROM attendance a JOIN users u ON u.id = a.user_id
		JOIN organisations o ON o.id = a.org_id
		CROSS JOIN LATERAL (SELECT max(p.left_at) AS left_at,
		    count(*) AS periods FROM attendance_periods p
		    WHERE p.meeting_id = a.meeting_id
			AND p.user_id = a.user_id) x
		WHERE a.meeting_id = m.id AND (a.present OR x.periods > 0)),
		'[]'),
	    'absent', coalesce((SELECT jsonb_agg(tafel_json_attendance(m.id,
		a.user_id) ORDER BY o.name, u.display_name)
		FROM attendance a JOIN users u ON u.id = a.user_id
		JOIN organisations o ON o.id = a.org_id
		WHERE a.meeting_id = m.id AND NOT a.present
		    AND NOT EXISTS (SELECT 1 FROM attendance_periods p
			WHERE p.meeting_id = a.meeting_id
			    AND p.user_id = a.user_id)), '[]'),
	    -- named once: an organisation with a row (present, or absent
	    -- and so in absent with its member's name) is not named again
	    'absent_orgs', coalesce((SELECT jsonb_agg(o.name ORDER BY o.name)
		FROM series_members sm JOIN organisations o ON o.id = sm.org_id
		WHERE sm.series_id = m.series_id AND NOT EXISTS (SELECT 1
		    FROM attendance a WHERE a.meeting_id = m.id
			AND a.org_id = sm.org_id)
		    AND NOT EXISTS (SELECT 1 FROM attendance_periods p
			WHERE p.meeting_id = m.id AND p.org_id = sm.org_id)),
		'[]'),
	    'items', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'item', it,
		'case', rc,
		'actions', coalesce((SELECT jsonb_agg(x ORDER BY (x ->> 'id')::bigint)
		    FROM jsonb_array_elements(r -> 'actions') x
		    WHERE (x ->> 'case_id')::bigint = (it ->> 'case_id')::bigint
			AND (x ->> 'meeting_id')::bigint = m.id), '[]'),
		-- by due date, as the standing item
		'earlier_actions', coalesce((SELECT jsonb_agg(x ORDER BY
		    x ->> 'due_date', (x ->> 'id')::bigint)
		    FROM jsonb_array_elements(r -> 'actions') x
		    WHERE (x ->> 'case_id')::bigint = (it ->> 'case_id')::bigint
			AND (x ->> 'meeting_id')::bigint <> m.id), '[]'),
		'added_during_meeting', v_marks -> (i::int - 1)
		    -> 'added_during_meeting',
		'changed_after_close', v_marks -> (i::int - 1)
		    -> 'changed_after_close',
		'actions_after_close', v_late -> (i::int - 1),
		'actions_changed_after_close', v_edited -> (i::int - 1),
		-- the viewer may not read the item's decision at all (free
		-- text hidden, tafel_redact_item): said whether or not one was
		-- recorded, so that the minutes do not tell which hidden case
		-- has one
		'decision_withheld', coalesce(rc -> 'hidden_categories'
		    ? 'free_text', true))
		ORDER BY i)
		FROM jsonb_array_elements(r -> 'agenda_items')
		    WITH ORDINALITY AS t(it, i)
		LEFT JOIN LATERAL (SELECT c AS rc
		    FROM jsonb_array_elements(r -> 'cases') c
		    WHERE (c ->> 'id')::bigint = (it ->> 'case_id')::bigint
		    LIMIT 1) x ON true), '[]'),
	    'open_actions', v_open,
	    -- when the meeting was held (opened .. closed): its date in the
	    -- minutes, not the planned start (a meeting may be opened early)
	    'opened_at', tafel_unix(m.opened_at),
	    'closed_at', tafel_unix(m.closed_at),
	    'made_at', tafel_unix(now()));
END
$$;

-- get_minutes: MinutesRequest -> Minutes, for the user's own organisation
-- and rendered as the user sees it.
CREATE OR REPLACE FUNCTION tafel_get_minutes(p_user_id bigint,
    p_meeting_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN tafel_minutes_render(u.id, u.org_id, p_meeting_id, 'minutes');
END
$$;

-- tafelctl minutes: the rendering for a recipient organisation, in the view
-- of tafel_minutes_reader (audited in that member's name, context
-- 'minutes_copy': made for the organisation, not opened by the member;
-- 0029).  Owner only.
-- An organisation whose only active members are process managers gets no
-- copy (refused, saying why): rendered in a process manager's personal view
-- it would hold what the organisation may not see.
CREATE OR REPLACE FUNCTION tafel_minutes_for_org(p_org_id bigint,
    p_meeting_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
DECLARE
	v_reader bigint := tafel_minutes_reader(p_org_id);
BEGIN
	IF v_reader IS NULL AND EXISTS (SELECT 1 FROM users u
	    JOIN process_managers pm ON pm.user_id = u.id
	    WHERE u.org_id = p_org_id AND NOT u.disabled
		AND u.roles && ARRAY['member', 'chair']) THEN
		PERFORM tafel_raise('TF016', 'the organisation''s only active '
		    || 'members are process managers, whose view of their '
		    || 'districts'' cases is personal, not the organisation''s: '
		    || 'its copy is not made (give the organisation a member '
		    || 'account that is no process manager)', 'org');
	END IF;
	IF v_reader IS NULL THEN
		PERFORM tafel_raise('TF016', 'the organisation has no active '
		    || 'member to render the minutes for', 'org');
	END IF;
	PERFORM tafel_set_user(v_reader);
	RETURN tafel_minutes_render(v_reader, p_org_id, p_meeting_id,
	    'minutes_copy');
END
$$;

-- Open action points carried over: those agreed at earlier meetings of the
-- meeting's series (held before it, tafel_series_earlier_meetings), still
-- open, whose case is not on this meeting's agenda (those on the agenda
-- come with their case, as every action point of an agenda case does).
-- The standing item "openstaande afspraken".
CREATE OR REPLACE FUNCTION tafel_carried_over_ids(p_meeting_id bigint)
RETURNS bigint[] LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (
	SELECT ARRAY(SELECT ap.id
	    FROM meetings m
	    JOIN meetings em ON em.series_id = m.series_id AND em.id <> m.id
		-- earlier: held before (tafel_series_earlier_meetings)
		AND (em.opened_at IS NULL, coalesce(em.opened_at,
		    em.scheduled_start), em.id) < (m.opened_at IS NULL,
		    coalesce(m.opened_at, m.scheduled_start), m.id)
	    JOIN action_points ap ON ap.meeting_id = em.id AND ap.state = 'open'
	    WHERE m.id = p_meeting_id
		AND NOT EXISTS (SELECT 1 FROM agenda_items ai
		    WHERE ai.meeting_id = m.id AND ai.case_id = ap.case_id)
	    ORDER BY ap.due_date, ap.id));
END
$$;

-- The same as ActionPoints, unredacted.
CREATE OR REPLACE FUNCTION tafel_json_carried_over(p_meeting_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_action(x) ORDER BY n), '[]'::jsonb)
	FROM unnest(tafel_carried_over_ids(p_meeting_id)) WITH ORDINALITY
	    AS t(x, n)
$$;

-- The meetings of the meeting's series held before it: their action
-- points make up its standing item, and their action point events reach
-- its subscribers (Snapshot.earlier_meeting_ids; push.c on a resume, after
-- tafel_resume_check).  Ids only.  "Before" goes by when meetings were
-- held, not by their planned start, which an early or late opening leaves
-- behind: a meeting held (opened: open or closed) comes before every one
-- not held yet; held ones by when they opened, the others by their planned
-- start; the id breaks a tie.  The same order as tafel_carried_over_ids.
CREATE OR REPLACE FUNCTION tafel_series_earlier_meetings(p_meeting_id bigint)
RETURNS bigint[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $$
	SELECT coalesce(array_agg(em.id ORDER BY em.id), '{}'::bigint[])
	FROM meetings m
	JOIN meetings em ON em.series_id = m.series_id AND em.id <> m.id
	    AND (em.opened_at IS NULL, coalesce(em.opened_at,
		em.scheduled_start), em.id) < (m.opened_at IS NULL,
		coalesce(m.opened_at, m.scheduled_start), m.id)
	WHERE m.id = p_meeting_id
$$;

-- list_open_actions: OpenActionsRequest -> ActionList, for those who may
-- see the meeting; rendered and audited ('action_list') like any list.
CREATE OR REPLACE FUNCTION tafel_list_open_actions(p_user_id bigint,
    p_meeting_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	IF NOT EXISTS (SELECT 1 FROM meetings WHERE id = p_meeting_id)
	    OR NOT tafel_may_see_meeting(u, p_meeting_id) THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	RETURN jsonb_build_object('actions', coalesce(tafel_render(u.id, 0, 0,
	    jsonb_build_object('actions', tafel_json_carried_over(p_meeting_id)),
	    'action_list', p_meeting_id, true) -> 'actions', '[]'::jsonb));
END
$$;
