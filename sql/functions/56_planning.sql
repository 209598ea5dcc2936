-- Planning and nominations: plan (a recurrence in one write), move and
-- cancel meetings; nominate a case for a series, accept or decline it; who
-- sees a nomination and how it is rendered; the list-topic snapshots.
-- docs/protocol.md ("Planning and nominations") states the rules.

-- The wall-clock time zone of every planned time (docs/protocol.md).
CREATE OR REPLACE FUNCTION tafel_plan_zone()
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT 'Europe/Amsterdam'::text
$$;

-- Nomination
CREATE OR REPLACE FUNCTION tafel_json_nomination(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', n.id,
	    'series_id', n.series_id,
	    'series_name', s.name,
	    'case_id', n.case_id,
	    'case_number', c.number,
	    'reason', n.reason,
	    'state', n.state,
	    'org_id', n.org_id,
	    'org_name', o.name,
	    'nominated_by', n.nominated_by,
	    'nominated_by_name', coalesce(nu.display_name, ''),
	    'created_at', tafel_unix(n.created_at),
	    'meeting_id', coalesce(n.meeting_id, 0),
	    'agenda_item_id', coalesce(n.agenda_item_id, 0),
	    'decline_reason', n.decline_reason,
	    'decided_by', coalesce(n.decided_by, 0),
	    'decided_by_name', coalesce(du.display_name, ''),
	    'decided_at', coalesce(tafel_unix(n.decided_at), 0),
	    'version', n.version,
	    'redacted', false)
	FROM nominations n
	JOIN series s ON s.id = n.series_id
	JOIN cases c ON c.id = n.case_id
	JOIN organisations o ON o.id = n.org_id
	LEFT JOIN users nu ON nu.id = n.nominated_by
	LEFT JOIN users du ON du.id = n.decided_by
	WHERE n.id = p_id
$$;

-- May decide nominations for a series: admin, or a chair who is its usual
-- chair or whose organisation is a member of it.
CREATE OR REPLACE FUNCTION tafel_may_decide_nomination(u users, p_series_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT 'admin' = ANY (u.roles) OR ('chair' = ANY (u.roles) AND EXISTS (
	    SELECT 1 FROM series s WHERE s.id = p_series_id
		AND (s.usual_chair_id = u.id OR EXISTS (SELECT 1
		    FROM series_members sm
		    WHERE sm.series_id = s.id AND sm.org_id = u.org_id))))
$$;

-- May see a nomination at all: the deciders and the nominating
-- organisation (docs/security.md, "Nominations").
CREATE OR REPLACE FUNCTION tafel_may_see_nomination(u users, p_series_id bigint,
    p_org_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT NOT u.disabled AND (u.org_id = p_org_id
	    OR tafel_may_decide_nomination(u, p_series_id))
$$;

-- A Nomination object for viewer u (a: u's tafel_access to its case), or
-- NULL when u may not see it.  The texts are free text: shown to the
-- nominating organisation, to the one who decided, to the deciders whose
-- organisation may see free text (the reason is addressed to them), and to
-- viewers whose access to the case includes free_text.
CREATE OR REPLACE FUNCTION tafel_redact_nomination(u users, x jsonb, a jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	IF NOT tafel_may_see_nomination(u, (x ->> 'series_id')::bigint,
	    (x ->> 'org_id')::bigint) THEN
		RETURN NULL;
	END IF;
	IF u.org_id = (x ->> 'org_id')::bigint
	    OR u.id = coalesce((x ->> 'decided_by')::bigint, 0)
	    OR coalesce(a -> 'cats' ? 'free_text', false)
	    OR (tafel_may_decide_nomination(u, (x ->> 'series_id')::bigint)
		AND 'free_text' = ANY (tafel_org_categories(u.org_id))) THEN
		RETURN x;
	END IF;
	RETURN x || jsonb_build_object('reason', '', 'decline_reason', '',
	    'redacted', coalesce(x ->> 'reason', '') <> ''
		OR coalesce(x ->> 'decline_reason', '') <> '');
END
$$;

-- The session's user for the RLS policy of nominations.
CREATE OR REPLACE FUNCTION tafel_rls_nomination_visible(p_series_id bigint,
    p_org_id bigint)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce((SELECT tafel_may_see_nomination(u, p_series_id, p_org_id)
	    FROM users u WHERE u.id = tafel_rls_user()), false)
$$;

-- ---------------------------------------------------------------------------
-- Planning
-- ---------------------------------------------------------------------------

-- plan_meetings: PlanMeetingsRequest -> MeetingList.  Every occurrence in
-- one transaction; one change per created meeting; occurrences at which the
-- series already has a (not cancelled) meeting are skipped.
CREATE OR REPLACE FUNCTION tafel_op_plan_meetings(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	s series;
	ch users;
	v_first date := tafel_arg_date(p_args, 'first_date');
	v_until date := tafel_arg_date(p_args, 'until');
	v_time text := tafel_arg_text(p_args, 'time');
	v_every bigint := tafel_arg_id(p_args, 'every_weeks');
	v_chair bigint := tafel_arg_id(p_args, 'chair_id');
	v_day date;
	v_at timestamptz;
	v_id bigint;
	v_out jsonb := '[]';
BEGIN
	IF NOT u.roles && ARRAY['chair', 'admin'] THEN
		PERFORM tafel_raise('TF010',
		    'only a chair or an administrator can plan meetings');
	END IF;
	SELECT * INTO s FROM series WHERE id = tafel_arg_id(p_args, 'series_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting series not found', 'series_id');
	END IF;
	IF v_first IS NULL THEN
		PERFORM tafel_raise('TF011', 'first_date is required', 'first_date');
	END IF;
	IF v_first NOT BETWEEN date '2000-01-01' AND date '9998-12-31' THEN
		PERFORM tafel_raise('TF014', 'first_date is out of range',
		    'first_date');
	END IF;
	IF v_time !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' THEN
		PERFORM tafel_raise('TF011', 'time must be HH:MM (00:00-23:59)',
		    'time');
	END IF;
	IF v_every > 52 THEN
		PERFORM tafel_raise('TF014', 'every_weeks must be 0..52',
		    'every_weeks');
	END IF;
	IF v_every > 0 AND v_until IS NULL THEN
		PERFORM tafel_raise('TF011', 'a recurrence needs until', 'until');
	END IF;
	IF v_every = 0 THEN
		v_until := v_first;
	ELSIF v_until < v_first THEN
		PERFORM tafel_raise('TF011', format('until (%s) lies before '
		    || 'first_date (%s)', v_until, v_first), 'until');
	ELSIF v_until > v_first + 366 THEN
		PERFORM tafel_raise('TF014', 'a plan covers at most 366 days',
		    'until');
	END IF;
	IF (v_first + v_time::time) AT TIME ZONE tafel_plan_zone() <= now() THEN
		PERFORM tafel_raise('TF050', format('the first meeting (%s %s, %s) '
		    || 'lies in the past', v_first, v_time, tafel_plan_zone()),
		    'first_date');
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

	-- one plan at a time per series: two plans cannot both skip-check
	PERFORM 1 FROM series WHERE id = s.id FOR UPDATE;
	v_day := v_first;
	WHILE v_day <= v_until LOOP
		v_at := (v_day + v_time::time) AT TIME ZONE tafel_plan_zone();
		-- a wall-clock time the spring change skips (02:30 on the last
		-- Sunday of March) would silently become an hour later
		IF (v_at AT TIME ZONE tafel_plan_zone())::time <> v_time::time THEN
			PERFORM tafel_raise('TF011', format('%s %s does not exist in %s '
			    || '(the clocks go forward): choose another time', v_day,
			    to_char(v_time::time, 'HH24:MI'), tafel_plan_zone()), 'time');
		END IF;
		IF NOT EXISTS (SELECT 1 FROM meetings m WHERE m.series_id = s.id
		    AND m.scheduled_start = v_at AND m.state <> 'cancelled') THEN
			INSERT INTO meetings (series_id, scheduled_start, chair_id,
			    created_by, updated_by)
			VALUES (s.id, v_at, ch.id, u.id, u.id)
			RETURNING id INTO v_id;
			PERFORM tafel_log_change(u.id, v_id, NULL, '{}',
			    jsonb_build_object('meeting', tafel_json_meeting(v_id)));
			v_out := v_out || jsonb_build_array(tafel_json_meeting(v_id));
		END IF;
		EXIT WHEN v_every = 0;
		v_day := v_day + (7 * v_every)::int;
	END LOOP;
	RETURN jsonb_build_object('meetings', v_out);
END
$$;

-- The meeting of a move or cancel, locked, checked for who and version.
CREATE OR REPLACE FUNCTION tafel_planned_meeting(u users, p_args jsonb,
    p_what text)
RETURNS meetings LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	m meetings;
BEGIN
	SELECT * INTO m FROM meetings
	WHERE id = tafel_arg_id(p_args, 'meeting_id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF NOT (tafel_may_chair(u, m) OR 'chair' = ANY (u.roles)) THEN
		PERFORM tafel_raise('TF010', format('only a chair or an '
		    || 'administrator can %s a meeting', p_what));
	END IF;
	IF tafel_arg_id(p_args, 'version') <> m.version THEN
		PERFORM tafel_conflict('current_meeting', tafel_json_meeting(m.id));
	END IF;
	IF m.state <> 'planned' THEN
		PERFORM tafel_raise('TF018', format('%s %s meeting cannot be %s%s',
		    CASE m.state WHEN 'open' THEN 'an' ELSE 'a' END,
		    m.state, CASE p_what WHEN 'move' THEN 'moved'
			ELSE 'cancelled' END,
		    CASE WHEN m.state = 'open' THEN '; close it' ELSE '' END),
		    'meeting_id');
	END IF;
	RETURN m;
END
$$;

-- move_meeting: MoveMeetingRequest -> Meeting
CREATE OR REPLACE FUNCTION tafel_op_move_meeting(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings := tafel_planned_meeting(u, p_args, 'move');
	v_start bigint := tafel_arg_id(p_args, 'scheduled_start');
	v_json jsonb;
BEGIN
	IF v_start NOT BETWEEN 946684800 AND 253402300799 THEN
		PERFORM tafel_raise('TF014', 'scheduled_start is out of range',
		    'scheduled_start');
	END IF;
	IF to_timestamp(v_start) <= now() THEN
		PERFORM tafel_raise('TF050', 'the new start lies in the past',
		    'scheduled_start');
	END IF;
	-- one meeting of a series at a time, as planning keeps it
	PERFORM 1 FROM series WHERE id = m.series_id FOR NO KEY UPDATE;
	PERFORM tafel_require_free_slot(m.series_id, to_timestamp(v_start), m.id);
	UPDATE meetings SET scheduled_start = to_timestamp(v_start),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = m.id;
	v_json := tafel_json_meeting(m.id);
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}',
	    jsonb_build_object('meeting', v_json));
	RETURN v_json;
END
$$;

-- cancel_meeting: CancelMeetingRequest -> Meeting
CREATE OR REPLACE FUNCTION tafel_op_cancel_meeting(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings := tafel_planned_meeting(u, p_args, 'cancel');
	v_reason text := tafel_trim(tafel_arg_text(p_args, 'reason'));
	v_json jsonb;
BEGIN
	IF length(v_reason) > 500 THEN
		PERFORM tafel_raise('TF012', 'reason is longer than 500 characters',
		    'reason');
	END IF;
	UPDATE meetings SET state = 'cancelled', cancel_reason = v_reason,
	    cancelled_at = now(), cancelled_by = u.id,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = m.id;
	v_json := tafel_json_meeting(m.id);
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}',
	    jsonb_build_object('meeting', v_json));
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- Nominations
-- ---------------------------------------------------------------------------

-- nominate_case: NominateCaseRequest -> Nomination
CREATE OR REPLACE FUNCTION tafel_op_nominate_case(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	s series;
	c cases;
	v_reason text := tafel_trim(tafel_arg_text(p_args, 'reason'));
	v_id bigint;
	v_json jsonb;
	v_next meetings;
BEGIN
	SELECT * INTO s FROM series WHERE id = tafel_arg_id(p_args, 'series_id');
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting series not found', 'series_id');
	END IF;
	IF NOT (u.roles && ARRAY['admin', 'chair'] OR EXISTS (SELECT 1
	    FROM series_members sm
	    WHERE sm.series_id = s.id AND sm.org_id = u.org_id)) THEN
		PERFORM tafel_raise('TF010', 'your organisation is not a member of '
		    || 'this series', 'series_id');
	END IF;
	SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'case_id');
	-- a case the user may not know of is "not found", like get_case
	IF NOT FOUND OR NOT coalesce((tafel_access(u.id, c.id)
	    ->> 'connected')::boolean, false) THEN
		PERFORM tafel_raise('TF016', 'case not found', 'case_id');
	END IF;
	IF c.status = 'closed' THEN
		PERFORM tafel_raise('TF018', 'a closed case cannot be nominated',
		    'case_id');
	END IF;
	IF v_reason = '' THEN
		PERFORM tafel_raise('TF011', 'a nomination needs a reason', 'reason');
	END IF;
	IF length(v_reason) > 2000 THEN
		PERFORM tafel_raise('TF012', 'reason is longer than 2000 characters',
		    'reason');
	END IF;
	IF EXISTS (SELECT 1 FROM nominations n WHERE n.case_id = c.id
	    AND n.series_id = s.id AND n.state = 'pending') THEN
		PERFORM tafel_raise('TF011', 'the case is already nominated for '
		    || 'this series', 'case_id');
	END IF;
	-- on the next meeting's agenda already: a nomination would change
	-- nothing (accepting it points at that item), so the partner is told
	SELECT m.* INTO v_next FROM meetings m
	WHERE m.id = tafel_series_next_meeting(s.id) AND EXISTS (SELECT 1
	    FROM agenda_items ai WHERE ai.meeting_id = m.id
	    AND ai.case_id = c.id);
	IF FOUND THEN
		PERFORM tafel_raise('TF011', format('the case is already on the '
		    || 'agenda of the series'' next meeting (%s)',
		    to_char(v_next.scheduled_start AT TIME ZONE
			'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')), 'case_id');
	END IF;

	INSERT INTO nominations (series_id, case_id, org_id, nominated_by,
	    reason, updated_by)
	VALUES (s.id, c.id, u.org_id, u.id, v_reason, u.id)
	RETURNING id INTO v_id;
	v_json := tafel_json_nomination(v_id);
	PERFORM tafel_log_change(u.id, NULL, c.id, ARRAY[u.org_id],
	    jsonb_build_object('nomination', v_json));
	RETURN v_json;
END
$$;

-- The nomination of a decision, locked, checked for who, version, state.
CREATE OR REPLACE FUNCTION tafel_pending_nomination(u users, p_args jsonb)
RETURNS nominations LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	n nominations;
BEGIN
	SELECT * INTO n FROM nominations WHERE id = tafel_arg_id(p_args, 'id')
	FOR UPDATE;
	IF NOT FOUND OR NOT tafel_may_see_nomination(u, n.series_id, n.org_id) THEN
		PERFORM tafel_raise('TF016', 'nomination not found', 'id');
	END IF;
	IF NOT tafel_may_decide_nomination(u, n.series_id) THEN
		PERFORM tafel_raise('TF010', 'only a chair of the series or an '
		    || 'administrator can decide a nomination');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> n.version THEN
		-- no current record: its reason may be hidden from the user
		PERFORM tafel_raise('TF017', 'the nomination was changed meanwhile',
		    'version');
	END IF;
	IF n.state <> 'pending' THEN
		PERFORM tafel_raise('TF018', format('the nomination is already %s',
		    n.state), 'id');
	END IF;
	RETURN n;
END
$$;

-- The series' next meeting: its earliest planned one from today on
-- (Europe/Amsterdam), also when that one's start time has passed and the
-- chair has not opened it yet: until it is opened its agenda is still being
-- made (tafel_case_next_meeting_date counts the same way).  An open meeting
-- is under way, not next.  NULL: none.
CREATE OR REPLACE FUNCTION tafel_series_next_meeting(p_series_id bigint)
RETURNS bigint LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT id FROM meetings
	WHERE series_id = p_series_id AND state = 'planned'
	    AND (scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date
		>= tafel_today()
	ORDER BY scheduled_start, id LIMIT 1
$$;

-- accept_nomination: NominationDecisionRequest -> Nomination.  The case
-- goes at the end of the agenda (as add_agenda_item) of the meeting, or
-- (0) of the series' next meeting (tafel_series_next_meeting); the event
-- carries the case, its action points and its newest info round, as
-- add_agenda_item's does.
CREATE OR REPLACE FUNCTION tafel_op_accept_nomination(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	n nominations := tafel_pending_nomination(u, p_args);
	v_mid bigint := tafel_arg_id(p_args, 'meeting_id');
	m meetings;
	v_item bigint;
	v_items jsonb;
	v_json jsonb;
BEGIN
	IF v_mid = 0 THEN
		v_mid := tafel_series_next_meeting(n.series_id);
		IF v_mid IS NULL THEN
			-- one under way: say so, and how to put the case on it
			SELECT * INTO m FROM meetings
			WHERE series_id = n.series_id AND state = 'open'
			ORDER BY scheduled_start DESC, id DESC LIMIT 1;
			IF FOUND THEN
				PERFORM tafel_raise('TF016', format('the meeting of this '
				    || 'series of %s is under way and no later one is '
				    || 'planned: put the case on its agenda '
				    || '(add_agenda_item), or plan the next meeting',
				    to_char(m.scheduled_start AT TIME ZONE
					'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')),
				    'meeting_id');
			END IF;
			PERFORM tafel_raise('TF016', 'the series has no planned meeting',
			    'meeting_id');
		END IF;
	END IF;
	SELECT * INTO m FROM meetings WHERE id = v_mid;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF m.series_id <> n.series_id THEN
		PERFORM tafel_raise('TF011', 'the meeting is not of the nomination''s '
		    || 'series', 'meeting_id');
	END IF;
	m := tafel_agenda_meeting(u, m.id);	-- chair of it, not closed
	SELECT id INTO v_item FROM agenda_items
	WHERE meeting_id = m.id AND case_id = n.case_id;
	IF v_item IS NULL THEN
		INSERT INTO agenda_items (meeting_id, case_id, position, created_by,
		    updated_by)
		VALUES (m.id, n.case_id, (SELECT count(*) + 1 FROM agenda_items
		    WHERE meeting_id = m.id), u.id, u.id)
		RETURNING id INTO v_item;
	END IF;
	UPDATE nominations SET state = 'accepted', meeting_id = m.id,
	    agenda_item_id = v_item, decided_by = u.id, decided_at = now(),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = n.id;

	v_items := tafel_json_items(m.id);
	v_json := tafel_json_nomination(n.id);
	PERFORM tafel_log_change(u.id, m.id, n.case_id, ARRAY[n.org_id],
	    jsonb_build_object('nomination', v_json,
		'agenda_items', v_items,
		'case', tafel_json_case(n.case_id),
		'actions', tafel_json_case_actions(n.case_id, false))
	    || tafel_json_case_round(n.case_id));
	RETURN v_json;
END
$$;

-- decline_nomination: NominationDecisionRequest -> Nomination
CREATE OR REPLACE FUNCTION tafel_op_decline_nomination(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	n nominations := tafel_pending_nomination(u, p_args);
	v_reason text := tafel_trim(tafel_arg_text(p_args, 'reason'));
	v_json jsonb;
BEGIN
	IF v_reason = '' THEN
		PERFORM tafel_raise('TF011', 'declining needs a reason', 'reason');
	END IF;
	IF length(v_reason) > 2000 THEN
		PERFORM tafel_raise('TF012', 'reason is longer than 2000 characters',
		    'reason');
	END IF;
	UPDATE nominations SET state = 'declined', decline_reason = v_reason,
	    decided_by = u.id, decided_at = now(),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = n.id;
	v_json := tafel_json_nomination(n.id);
	PERFORM tafel_log_change(u.id, NULL, n.case_id, ARRAY[n.org_id],
	    jsonb_build_object('nomination', v_json));
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- Reads and the list topics' snapshots
-- ---------------------------------------------------------------------------

-- NominationList, newest first, rendered for the user.
CREATE OR REPLACE FUNCTION tafel_list_nominations(p_user_id bigint,
    p_series_id bigint, p_include_decided boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object('nominations', coalesce(tafel_render(u.id, 0, 0,
	    jsonb_build_object('nominations', coalesce((
		SELECT jsonb_agg(tafel_json_nomination(n.id) ORDER BY n.id DESC)
		FROM nominations n
		WHERE (coalesce(p_series_id, 0) = 0 OR n.series_id = p_series_id)
		    AND (coalesce(p_include_decided, false) OR n.state = 'pending')
		    AND tafel_may_see_nomination(u, n.series_id, n.org_id)),
		'[]'::jsonb)), 'nomination_list', 0, false) -> 'nominations',
	    '[]'::jsonb));
END
$$;

-- SubscribeResponse of a list topic (2 meetings, 3 cases, 4 nominations):
-- the list as its read gives it, and the seq it reflects.
CREATE OR REPLACE FUNCTION tafel_list_snapshot(p_user_id bigint, p_topic int,
    p_include_closed boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	v_seq bigint;
BEGIN
	PERFORM tafel_actor(p_user_id);
	-- read under the same snapshot as the list (READ COMMITTED: take the
	-- seq first; a change committed in between is sent again, harmless)
	v_seq := tafel_last_seq();
	RETURN jsonb_build_object('seq', v_seq, 'resumed', false) || CASE p_topic
	    WHEN 2 THEN jsonb_build_object('meetings',
		tafel_list_meetings(p_user_id, 0, 0, 0))
	    WHEN 3 THEN jsonb_build_object('cases',
		tafel_list_cases(p_user_id, p_include_closed))
	    WHEN 4 THEN jsonb_build_object('nominations',
		tafel_list_nominations(p_user_id, 0, p_include_closed))
	    ELSE '{}'::jsonb END;
END
$$;
