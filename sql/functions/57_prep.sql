-- Before the meeting (issue 11): the legal clocks' writes, set_clock and
-- extend_clock, and who may make them.  The clocks as the case shows them
-- are in 17_prep_base.sql; the tables in 0010_prep.sql.

-- May set or extend a clock on case c: those who may change the case or
-- its plan (tafel_may_plan), and the police and the public prosecutor (who
-- give the orders), always with a connection to the case.
CREATE OR REPLACE FUNCTION tafel_may_clock(u users, c cases)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT NOT ('observer' = ANY (u.roles)) AND (tafel_may_plan(u, c)
	    OR EXISTS (SELECT 1 FROM organisations o WHERE o.id = u.org_id
		AND o.kind IN ('police', 'prosecutor')))
$$;

-- The longest span set_clock accepts for a kind without a legal maximum
-- (max_total_days NULL): a year.  A kind whose clocks may rightly run
-- longer gets its maximum from the administrator (tafelctl clock-kind).
CREATE OR REPLACE FUNCTION tafel_clock_max_days()
RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 366 $$;

-- set_clock: SetClockRequest -> Case (with its clocks).  ends_on is
-- derived from the kind for a kind with initial_days (a given ends_on must
-- then be that day); a kind without (custody, detention) needs it, within
-- the kind's maximum in total, or a year when it has none.
CREATE OR REPLACE FUNCTION tafel_op_set_clock(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases;
	k clock_kinds;
	v_start date;
	v_end date;
	v_hearing date;
	v_note text := tafel_trim(tafel_arg_text(p_args, 'note'));
	v_json jsonb;
	v_clock bigint;
BEGIN
	c := tafel_known_case(u, tafel_arg_id(p_args, 'case_id'), 'case_id');
	IF NOT tafel_may_clock(u, c) THEN
		PERFORM tafel_raise('TF010', 'only those who may change the '
		    || 'case, the police and the public prosecutor can set a '
		    || 'legal clock');
	END IF;
	SELECT * INTO k FROM clock_kinds
	WHERE name = tafel_arg_text(p_args, 'kind') AND active;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'unknown clock kind', 'kind');
	END IF;
	v_start := tafel_arg_date(p_args, 'starts_on');
	IF v_start IS NULL THEN
		PERFORM tafel_raise('TF011', 'a clock needs its start date',
		    'starts_on');
	END IF;
	v_end := tafel_arg_date(p_args, 'ends_on');
	IF k.initial_days > 0 THEN
		IF v_end IS NOT NULL AND v_end <> v_start + k.initial_days - 1
		THEN
			PERFORM tafel_raise('TF060', format('a %s runs %s days '
			    || 'from the order (until %s); a longer one is an '
			    || 'extension (extend_clock)', k.label,
			    k.initial_days, v_start + k.initial_days - 1),
			    'ends_on');
		END IF;
		v_end := v_start + k.initial_days - 1;
	ELSIF v_end IS NULL THEN
		PERFORM tafel_raise('TF011', format('a %s needs its end date',
		    k.label), 'ends_on');
	ELSIF v_end < v_start THEN
		PERFORM tafel_raise('TF011', 'the end date lies before the start',
		    'ends_on');
	ELSIF v_end - v_start + 1 > k.max_total_days THEN
		-- the kind's legal maximum counts the first period too
		PERFORM tafel_raise('TF060', format('a %s runs at most %s days '
		    || 'in total (until %s); %s would make %s days', k.label,
		    k.max_total_days, v_start + k.max_total_days - 1, v_end,
		    v_end - v_start + 1), 'ends_on');
	ELSIF k.max_total_days IS NULL
	    AND v_end - v_start + 1 > tafel_clock_max_days() THEN
		-- no legal maximum: a sanity bound (a typo in the year)
		PERFORM tafel_raise('TF011', format('a clock runs at most %s '
		    || 'days (a year) from its start (until %s); %s would make '
		    || '%s days', tafel_clock_max_days(),
		    v_start + tafel_clock_max_days() - 1, v_end,
		    v_end - v_start + 1), 'ends_on');
	END IF;
	v_hearing := tafel_arg_date(p_args, 'hearing_date');
	IF v_hearing IS NOT NULL AND NOT k.has_hearing THEN
		PERFORM tafel_raise('TF011', format('a %s has no hearing date',
		    k.label), 'hearing_date');
	END IF;
	IF length(v_note) > 500 THEN
		PERFORM tafel_raise('TF012', 'note is longer than 500 characters',
		    'note');
	END IF;
	PERFORM 1 FROM cases WHERE id = c.id FOR UPDATE;
	-- the same order recorded twice (two partners entering it, each with
	-- a key of its own): one clock, as the law knows one (under the case's
	-- lock, so that two such writes cannot both pass)
	SELECT id INTO v_clock FROM case_clocks
	WHERE case_id = c.id AND kind = k.name AND starts_on = v_start
	    AND ends_on = v_end
	ORDER BY id LIMIT 1;
	IF FOUND THEN
		PERFORM tafel_raise('TF011', format('the case has this %s already '
		    || '(clock %s, %s to %s); extend it (extend_clock) or set '
		    || 'another start', k.label, v_clock, tafel_datestr(v_start),
		    tafel_datestr(v_end)), 'starts_on');
	END IF;
	INSERT INTO case_clocks (case_id, kind, starts_on, ends_on,
	    hearing_date, note, created_by, updated_by)
	VALUES (c.id, k.name, v_start, v_end, v_hearing, v_note, u.id, u.id)
	RETURNING id INTO v_clock;
	UPDATE cases SET version = version + 1, updated_at = now(),
	    updated_by = u.id WHERE id = c.id;
	v_json := tafel_json_case(c.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}',
	    jsonb_build_object('case', v_json));
	-- the notice the kind implies (to probation): now, and on its day
	PERFORM tafel_clock_notify(v_clock, 'clock_set', u.id);
	IF tafel_today() >= tafel_clock_notice_day(v_end, k.notify_days_before)
	THEN
		PERFORM tafel_clock_notify(v_clock, 'clock_notice', u.id);
	END IF;
	RETURN v_json;
END
$$;

-- extend_clock: ExtendClockRequest -> Case.  A decision moves the end
-- later, within the kind's legal maximum in total (LEGAL_LIMIT otherwise);
-- it may set the hearing date.
CREATE OR REPLACE FUNCTION tafel_op_extend_clock(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	x case_clocks;
	c cases;
	k clock_kinds;
	v_end date;
	v_hearing date;
	v_note text := tafel_trim(tafel_arg_text(p_args, 'note'));
	v_json jsonb;
BEGIN
	SELECT * INTO x FROM case_clocks
	WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'clock not found', 'id');
	END IF;
	c := tafel_known_case(u, x.case_id, 'id', 'clock not found');
	IF NOT tafel_may_clock(u, c) THEN
		PERFORM tafel_raise('TF010', 'only those who may change the '
		    || 'case, the police and the public prosecutor can extend '
		    || 'a legal clock');
	END IF;
	IF x.version <> tafel_arg_id(p_args, 'version') THEN
		PERFORM tafel_conflict('current_case', tafel_json_case(c.id));
	END IF;
	SELECT * INTO k FROM clock_kinds WHERE name = x.kind;
	v_end := tafel_arg_date(p_args, 'ends_on');
	v_hearing := coalesce(tafel_arg_date(p_args, 'hearing_date'),
	    x.hearing_date);
	IF v_end IS NULL THEN
		v_end := x.ends_on;
	END IF;
	IF v_end < x.ends_on THEN
		PERFORM tafel_raise('TF011', 'an extension cannot end earlier '
		    || 'than the clock does now', 'ends_on');
	END IF;
	IF v_end > x.ends_on AND k.max_total_days IS NULL THEN
		PERFORM tafel_raise('TF060', format('a %s cannot be extended; '
		    || 'set a new clock for a new decision', k.label), 'ends_on');
	END IF;
	IF v_end - x.starts_on + 1 > k.max_total_days THEN
		PERFORM tafel_raise('TF060', format('a %s can be extended to at '
		    || 'most %s days in total (until %s); %s would make %s days',
		    k.label, k.max_total_days, x.starts_on + k.max_total_days - 1,
		    v_end, v_end - x.starts_on + 1), 'ends_on');
	END IF;
	IF v_hearing IS NOT NULL AND NOT k.has_hearing THEN
		PERFORM tafel_raise('TF011', format('a %s has no hearing date',
		    k.label), 'hearing_date');
	END IF;
	IF length(v_note) > 500 THEN
		PERFORM tafel_raise('TF012', 'note is longer than 500 characters',
		    'note');
	END IF;
	PERFORM 1 FROM cases WHERE id = c.id FOR UPDATE;
	UPDATE case_clocks SET ends_on = v_end, hearing_date = v_hearing,
	    extensions = extensions + CASE WHEN v_end > x.ends_on THEN 1
		ELSE 0 END,
	    note = CASE WHEN v_note = '' THEN note ELSE v_note END,
	    version = version + 1, updated_by = u.id, updated_at = now()
	WHERE id = x.id;
	UPDATE cases SET version = version + 1, updated_at = now(),
	    updated_by = u.id WHERE id = c.id;
	v_json := tafel_json_case(c.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}',
	    jsonb_build_object('case', v_json));
	IF v_end > x.ends_on AND tafel_today() >= tafel_clock_notice_day(v_end,
	    k.notify_days_before) THEN
		PERFORM tafel_clock_notify(x.id, 'clock_notice', u.id);
	END IF;
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- Clock notices (0013): a clock whose kind names an organisation kind
-- (police custody, pre-trial detention: probation) reaches the inbox of
-- the organisations of that kind with a connection to the case
-- (tafel_org_connected; docs/protocol.md 9.2; security.md rule 7: an
-- organisation for which the case is NOT_FOUND never learns of it, a bare
-- signal included): involved in it (submitted it, added as involved, owns
-- one of its action points), or the case is on the agenda of a meeting
-- the organisation may see (a member organisation of its series, its own
-- MDO series included, or attending it).  Once when the clock is set (clock_set), once on its
-- notice day (clock_notice: notify_days_before days before the end, moved
-- back to a working day); a unique index keeps each once per clock,
-- organisation, kind and day.  The entry names the case number, the clock
-- and its end only: no personal data.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_clock_notice_orgs(p_clock_id bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT DISTINCT o.id
	FROM case_clocks k
	JOIN clock_kinds ck ON ck.name = k.kind AND ck.notify_org_kind <> ''
	JOIN organisations o ON o.kind = ck.notify_org_kind
	WHERE k.id = p_clock_id AND tafel_org_connected(o.id, k.case_id)
$$;

-- Sends clock p_clock_id's notice of p_kind (clock_set: dated its start;
-- clock_notice: dated its notice day) to every organisation that has not
-- had it; returns how many entries were made.
CREATE OR REPLACE FUNCTION tafel_clock_notify(p_clock_id bigint, p_kind text,
    p_sender bigint)
RETURNS int LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	k case_clocks;
	ck clock_kinds;
	v_on date;
	v_org bigint;
	v_id bigint;
	v_n int := 0;
BEGIN
	SELECT * INTO k FROM case_clocks WHERE id = p_clock_id;
	SELECT * INTO ck FROM clock_kinds WHERE name = k.kind;
	IF NOT FOUND OR ck.notify_org_kind = '' THEN
		RETURN 0;
	END IF;
	v_on := CASE WHEN p_kind = 'clock_set' THEN k.starts_on
	    ELSE tafel_clock_notice_day(k.ends_on, ck.notify_days_before) END;
	FOR v_org IN SELECT tafel_clock_notice_orgs(k.id) ORDER BY 1 LOOP
		-- the writer's own organisation set it: no clock_set for it
		-- (its clock_notice on the day does come, a reminder)
		CONTINUE WHEN p_kind = 'clock_set'
		    AND tafel_inbox_own_org(p_sender, v_org);
		v_id := NULL;
		INSERT INTO inbox_entries (kind, case_id, clock_id, notice_on,
		    recipient_org_id, sender_id)
		VALUES (p_kind, k.case_id, k.id, v_on, v_org, p_sender)
		ON CONFLICT DO NOTHING
		RETURNING id INTO v_id;
		IF v_id IS NOT NULL THEN
			PERFORM tafel_inbox_log(p_sender, v_id);
			v_n := v_n + 1;
		END IF;
	END LOOP;
	RETURN v_n;
END
$$;

-- tafeld's timer (server/maint.c, with the escalation): every clock still
-- running whose notice day has come sends its clock_notice (once).
-- Returns how many entries were made.
CREATE OR REPLACE FUNCTION tafel_clock_notices()
RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	v_clock bigint;
	v_n int := 0;
BEGIN
	FOR v_clock IN SELECT k.id FROM case_clocks k
	    JOIN clock_kinds ck ON ck.name = k.kind
	    JOIN cases c ON c.id = k.case_id
	    WHERE ck.notify_org_kind <> '' AND c.anonymised_at IS NULL
		AND k.ends_on >= tafel_today()
		AND tafel_clock_notice_day(k.ends_on, ck.notify_days_before)
		    <= tafel_today()
	    ORDER BY k.ends_on, k.id LIMIT 1000 LOOP
		v_n := v_n + tafel_clock_notify(v_clock, 'clock_notice', NULL);
	END LOOP;
	RETURN v_n;
END
$$;

-- ---------------------------------------------------------------------------
-- Clock kinds (owner-only; tafelctl clock-kind)
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_clock_kind_list()
RETURNS TABLE (name text, label text, days text, max_total text,
    hearing text, notice text, active boolean)
LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT k.name, k.label,
	    CASE WHEN k.initial_days = 0 THEN 'given' ELSE k.initial_days::text
		END,
	    coalesce(k.max_total_days::text, 'no extension'),
	    CASE WHEN k.has_hearing THEN 'yes' ELSE 'no' END,
	    CASE WHEN k.notify_org_kind = '' THEN '' ELSE k.notify_org_kind
		|| ' ' || k.notify_days_before || ' day(s) before' END,
	    k.active
	FROM clock_kinds k ORDER BY k.name
$$;

-- Adds or changes a kind.  p_days '0': the end is given per clock;
-- p_max NULL or '-': no extension; p_notify_kind '' or NULL: no notice.
-- Existing clocks keep their dates; the new rules apply to what follows.
CREATE OR REPLACE FUNCTION tafel_clock_kind_set(p_name text, p_label text,
    p_days text, p_max text, p_hearing text, p_notify_kind text,
    p_notify_days text)
RETURNS SETOF clock_kinds LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_max integer := CASE WHEN coalesce(p_max, '-') IN ('-', '')
	    THEN NULL ELSE p_max::integer END;
	v_kind text := coalesce(nullif(p_notify_kind, '-'), '');
BEGIN
	IF coalesce(p_hearing, 'no') NOT IN ('yes', 'no', 'true', 'false', 'on',
	    'off') THEN
		PERFORM tafel_raise('TF011', format('%L: say yes or no (has the '
		    || 'clock a hearing date?)', p_hearing), 'has_hearing');
	END IF;
	IF v_kind <> '' AND NOT EXISTS (SELECT 1 FROM pg_constraint
	    WHERE conname = 'organisations_kind_check'
		AND pg_get_constraintdef(oid) LIKE '%''' || v_kind || '''%') THEN
		PERFORM tafel_raise('TF011', format('unknown organisation kind %L',
		    v_kind));
	END IF;
	RETURN QUERY
	INSERT INTO clock_kinds AS k (name, label, initial_days, max_total_days,
	    has_hearing, notify_org_kind, notify_days_before, active)
	VALUES (p_name, p_label, p_days::integer, v_max,
	    coalesce(p_hearing, 'no') IN ('yes', 'true', 'on'), v_kind,
	    coalesce(nullif(p_notify_days, ''), '0')::integer, true)
	ON CONFLICT (name) DO UPDATE SET label = EXCLUDED.label,
	    initial_days = EXCLUDED.initial_days,
	    max_total_days = EXCLUDED.max_total_days,
	    has_hearing = EXCLUDED.has_hearing,
	    notify_org_kind = EXCLUDED.notify_org_kind,
	    notify_days_before = EXCLUDED.notify_days_before, active = true
	RETURNING k.*;
END
$$;

-- A kind no longer offered for new clocks (existing ones keep running).
CREATE OR REPLACE FUNCTION tafel_clock_kind_disable(p_name text)
RETURNS SETOF clock_kinds LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	RETURN QUERY UPDATE clock_kinds k SET active = false
	WHERE k.name = p_name RETURNING k.*;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('unknown clock kind %L',
		    p_name));
	END IF;
END
$$;

-- ---------------------------------------------------------------------------
-- The info round (inforonde)
-- ---------------------------------------------------------------------------

-- InfoRound, unredacted: every asked organisation with its answer, and the
-- identifying data of the case's persons (name, date of birth; Tafel
-- records no address).  tafel_render_info_round cuts it per viewer.
CREATE OR REPLACE FUNCTION tafel_json_info_round(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', r.id,
	    'case_id', r.case_id,
	    'case_number', c.number,
	    'state', r.state,
	    'reply_by', tafel_datestr(r.reply_by),
	    'started_by', r.started_by,
	    'started_by_name', su.display_name,
	    'started_at', tafel_unix(r.started_at),
	    'closed_at', tafel_unix(r.closed_at),
	    'version', r.version,
	    'asked', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'org_id', o.id,
		'org_name', o.name,
		'answer', coalesce(a.answer, 'pending'),
		'note', a.note,
		'answered_by_name', coalesce(au.display_name, ''),
		'answered_at', tafel_unix(a.answered_at),
		'overdue', a.answer IS NULL AND r.state = 'open'
		    AND r.reply_by < tafel_today()) ORDER BY o.name)
		FROM info_round_orgs a
		JOIN organisations o ON o.id = a.org_id
		LEFT JOIN users au ON au.id = a.answered_by
		WHERE a.round_id = r.id), '[]'::jsonb),
	    'persons', coalesce((SELECT jsonb_agg(tafel_json_person(p.id)
		ORDER BY p.id) FROM persons p WHERE p.case_id = r.case_id),
		'[]'::jsonb),
	    'identifying', false,
	    'overdue_count', (SELECT count(*) FROM info_round_orgs a
		WHERE a.round_id = r.id AND a.answer IS NULL
		    AND r.state = 'open' AND r.reply_by < tafel_today()))
	FROM info_rounds r
	JOIN cases c ON c.id = r.case_id
	JOIN users su ON su.id = r.started_by
	WHERE r.id = p_id
$$;

-- May run the info round of case c: its process managers and
-- administrators.
CREATE OR REPLACE FUNCTION tafel_may_run_info_round(u users, c cases)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT tafel_is_admin(u) OR tafel_is_process_manager(u.id, c.id)
$$;

-- Round p_id, locked for a write (answer, close); TF016 when there is none.
CREATE OR REPLACE FUNCTION tafel_info_round_for_update(p_id bigint)
RETURNS info_rounds LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	r info_rounds;
BEGIN
	SELECT * INTO r FROM info_rounds WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'info round not found', 'id');
	END IF;
	RETURN r;
END
$$;

-- The tail of every info round write: round p_id as it is now, logged as
-- a change to its case for the asked organisations; returns it.
CREATE OR REPLACE FUNCTION tafel_info_round_changed(p_user_id bigint,
    p_id bigint)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_json jsonb := tafel_json_info_round(p_id);
BEGIN
	PERFORM tafel_log_change(p_user_id, NULL, (SELECT case_id
	    FROM info_rounds WHERE id = p_id), ARRAY(SELECT org_id
	    FROM info_round_orgs WHERE round_id = p_id),
	    jsonb_build_object('info_round', v_json));
	RETURN v_json;
END
$$;

-- start_info_round: StartInfoRoundRequest -> InfoRound.  One open round
-- per case; the asked organisations get it (routing orgs) and an inbox
-- entry of kind info_round_asked each (0017; the case number and the
-- reply-by date, no personal data: the persons are read with the round,
-- as the covenant allows), logged before the round's own change.
CREATE OR REPLACE FUNCTION tafel_op_start_info_round(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases;
	v_orgs bigint[];
	v_reply date;
	v_id bigint;
	v_org bigint;
	v_entry bigint;
BEGIN
	c := tafel_known_case(u, tafel_arg_id(p_args, 'case_id'), 'case_id');
	IF NOT tafel_may_run_info_round(u, c) THEN
		PERFORM tafel_raise('TF010', 'only a process manager of the case '
		    || 'or an administrator can start an info round');
	END IF;
	IF jsonb_typeof(p_args -> 'org_ids') IS DISTINCT FROM 'array'
	    OR jsonb_array_length(p_args -> 'org_ids') = 0 THEN
		PERFORM tafel_raise('TF011', 'an info round asks at least one '
		    || 'organisation', 'org_ids');
	END IF;
	BEGIN
		v_orgs := ARRAY(SELECT DISTINCT (e #>> '{}')::bigint
		    FROM jsonb_array_elements(p_args -> 'org_ids') e);
	EXCEPTION WHEN invalid_text_representation
	    OR numeric_value_out_of_range THEN
		PERFORM tafel_raise('TF011', 'org_ids must be integers',
		    'org_ids');
	END;
	IF EXISTS (SELECT 1 FROM unnest(v_orgs) x WHERE NOT EXISTS (
	    SELECT 1 FROM organisations o WHERE o.id = x)) THEN
		PERFORM tafel_raise('TF016', 'unknown organisation', 'org_ids');
	END IF;
	v_reply := tafel_arg_date(p_args, 'reply_by');
	IF v_reply IS NULL THEN
		PERFORM tafel_raise('TF011', 'an info round needs a reply-by date',
		    'reply_by');
	END IF;
	IF v_reply < tafel_today() THEN
		PERFORM tafel_raise('TF050', 'the reply-by date lies in the past',
		    'reply_by');
	END IF;
	PERFORM 1 FROM cases WHERE id = c.id FOR UPDATE;
	IF EXISTS (SELECT 1 FROM info_rounds WHERE case_id = c.id
	    AND state = 'open') THEN
		PERFORM tafel_raise('TF018', 'the case already has an open info '
		    || 'round; close it first', 'case_id');
	END IF;
	INSERT INTO info_rounds (case_id, reply_by, started_by)
	VALUES (c.id, v_reply, u.id) RETURNING id INTO v_id;
	INSERT INTO info_round_orgs (round_id, org_id)
	SELECT v_id, x FROM unnest(v_orgs) x;
	FOR v_org IN SELECT x FROM unnest(v_orgs) x ORDER BY 1 LOOP
		INSERT INTO inbox_entries (kind, case_id, info_round_id,
		    recipient_org_id, sender_id)
		VALUES ('info_round_asked', c.id, v_id, v_org, u.id)
		RETURNING id INTO v_entry;
		PERFORM tafel_inbox_log(u.id, v_entry);
	END LOOP;
	RETURN tafel_info_round_changed(u.id, v_id);
END
$$;

-- answer_info_round: AnswerInfoRoundRequest -> InfoRound.  A member (not
-- an observer) of an asked organisation; while the round is open; a new
-- answer replaces the organisation's earlier one.
CREATE OR REPLACE FUNCTION tafel_op_answer_info_round(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	r info_rounds;
	v_answer text;
	v_note text := tafel_trim(tafel_arg_text(p_args, 'note'));
	v_entry bigint;
BEGIN
	r := tafel_info_round_for_update(tafel_arg_id(p_args, 'id'));
	IF NOT EXISTS (SELECT 1 FROM info_round_orgs
	    WHERE round_id = r.id AND org_id = u.org_id) THEN
		-- not asked: as if it did not exist
		PERFORM tafel_raise('TF016', 'info round not found', 'id');
	END IF;
	IF 'observer' = ANY (u.roles) THEN
		PERFORM tafel_raise('TF010', 'an observer cannot answer');
	END IF;
	IF r.state <> 'open' THEN
		PERFORM tafel_raise('TF018', 'the info round is closed', 'id');
	END IF;
	v_answer := tafel_arg_enum(p_args, 'answer',
	    ARRAY['pending', 'known', 'not_known']);
	IF v_answer IS NULL OR v_answer = 'pending' THEN
		PERFORM tafel_raise('TF011', 'the answer is known or not_known',
		    'answer');
	END IF;
	IF length(v_note) > 500 THEN
		PERFORM tafel_raise('TF012', 'note is longer than 500 characters',
		    'note');
	END IF;
	-- (every organisation reads its own note back, tafel_render_info_round,
	-- so an empty one clears it)
	UPDATE info_round_orgs o SET answer = v_answer, note = v_note,
	    answered_by = u.id, answered_at = now()
	WHERE o.round_id = r.id AND o.org_id = u.org_id;
	UPDATE info_rounds SET version = version + 1 WHERE id = r.id;
	-- the question in the organisation's inbox is answered: read by the
	-- one who answered it, unless someone read it first (as
	-- mark_inbox_read, logged so the sender sees the receipt)
	FOR v_entry IN UPDATE inbox_entries SET read_at = now(),
	    read_by = u.id, version = version + 1
	    WHERE kind = 'info_round_asked' AND info_round_id = r.id
		AND recipient_org_id = u.org_id AND read_at IS NULL
	    RETURNING id LOOP
		PERFORM tafel_inbox_log(u.id, v_entry);
	END LOOP;
	RETURN tafel_info_round_changed(u.id, r.id);
END
$$;

-- close_info_round: CloseInfoRoundRequest -> InfoRound.  From now on the
-- asked organisations no longer get the identifying data.
CREATE OR REPLACE FUNCTION tafel_op_close_info_round(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	r info_rounds;
	c cases;
BEGIN
	r := tafel_info_round_for_update(tafel_arg_id(p_args, 'id'));
	c := tafel_known_case(u, r.case_id, 'id', 'info round not found');
	IF NOT tafel_may_run_info_round(u, c) THEN
		PERFORM tafel_raise('TF010', 'only a process manager of the case '
		    || 'or an administrator can close an info round');
	END IF;
	IF r.version <> tafel_arg_id(p_args, 'version') THEN
		-- no current record: read it again with list_info_rounds
		PERFORM tafel_raise('TF017', 'the info round was changed by '
		    || 'someone else (version mismatch)', 'version');
	END IF;
	IF r.state <> 'open' THEN
		PERFORM tafel_raise('TF018', 'the info round is closed', 'id');
	END IF;
	UPDATE info_rounds SET state = 'closed', closed_by = u.id,
	    closed_at = now(), version = version + 1 WHERE id = r.id;
	RETURN tafel_info_round_changed(u.id, r.id);
END
$$;

-- list_info_rounds -> InfoRoundList: the rounds of a case (0: every case)
-- the user may see, open ones only unless p_include_closed, newest first.
-- The asked organisations' identifying reads are audited ('inforonde').
CREATE OR REPLACE FUNCTION tafel_list_info_rounds(p_user_id bigint,
    p_case_id bigint, p_include_closed boolean)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
BEGIN
	RETURN jsonb_build_object('rounds', coalesce(tafel_render(u.id, 0, 0,
	    jsonb_build_object('info_rounds', coalesce((
		SELECT jsonb_agg(tafel_json_info_round(r.id) ORDER BY r.id DESC)
		FROM info_rounds r
		WHERE (coalesce(p_case_id, 0) = 0 OR r.case_id = p_case_id)
		    AND (coalesce(p_include_closed, false) OR r.state = 'open')),
		'[]'::jsonb)), 'case_view', 0, false) -> 'info_rounds',
	    '[]'::jsonb));
END
$$;

-- For the row-level policies of info_rounds and info_round_orgs (which
-- would otherwise read each other): is the session's organisation asked in
-- round p_id; the case of round p_id.
CREATE OR REPLACE FUNCTION tafel_rls_info_round_asked(p_id bigint)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT tafel_rls_org() <> 0 AND EXISTS (SELECT 1 FROM info_round_orgs a
	    WHERE a.round_id = p_id AND a.org_id = tafel_rls_org())
$$;

CREATE OR REPLACE FUNCTION tafel_rls_info_round_case(p_id bigint)
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT r.case_id FROM info_rounds r WHERE r.id = p_id
$$;

-- Under RLS (92_prep_grants.sql): the current user decides meeting
-- p_meeting_id's agenda, as tafel_render shows a proposal to them: its
-- chair, an admin, or a decider of its series (docs/security.md rule 9).
CREATE OR REPLACE FUNCTION tafel_rls_agenda_decider(p_meeting_id bigint)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce((SELECT tafel_may_chair(u, m)
	    OR tafel_may_decide_nomination(u, m.series_id)
	    FROM users u JOIN meetings m ON m.id = p_meeting_id
	    WHERE u.id = tafel_rls_user() AND NOT u.disabled), false)
$$;

-- ---------------------------------------------------------------------------
-- The agenda proposes itself
-- ---------------------------------------------------------------------------

-- The proposals for meeting p_meeting_id (unrendered; they carry no
-- personal data): every case not closed and not on its agenda with at least
-- one reason, each reason {code, text, red}:
--   new_signal        a case of the series' district and theme never on
--                     any agenda
--   review_due        its review date falls on or before the meeting
--   action_overdue    an open action point is due before the meeting
--   clock_ending      a legal clock still running ends before the
--                     following meeting of the series (14 days after this
--                     one when none is planned); red
--   earlier_discussed a person of it matches a person of another case of
--                     the last 12 months
--   nomination        a partner's pending nomination for the series
-- "Of the series" (all but nomination): of its district with a theme it
-- covers, or on an agenda of the series before.  A proposal the chair
-- declined stays in the list with state "declined" and the reason.
-- p_viewer (not 0): earlier_discussed only for a match in a case that
-- viewer may see (tafel_access_earlier), as everywhere else.
DROP FUNCTION IF EXISTS tafel_meeting_proposals(bigint);
CREATE OR REPLACE FUNCTION tafel_meeting_proposals(p_meeting_id bigint,
    p_viewer bigint DEFAULT 0)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	WITH m AS (
		SELECT m.*, (m.scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date
		    AS day, s.district, s.themes, s.case_id AS mdo_case
		FROM meetings m JOIN series s ON s.id = m.series_id
		WHERE m.id = p_meeting_id),
	nxt AS (
		SELECT min((m2.scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date)
		    AS day
		FROM meetings m2, m
		WHERE m2.series_id = m.series_id AND m2.state = 'planned'
		    AND m2.scheduled_start > m.scheduled_start),
	cand AS (
		SELECT c.*, (m.mdo_case IS NULL AND c.district = m.district
		    AND (m.themes = '{}' OR c.theme = ANY (m.themes))) OR EXISTS (
			SELECT 1 FROM agenda_items ai JOIN meetings pm
			    ON pm.id = ai.meeting_id
			WHERE ai.case_id = c.id AND pm.series_id = m.series_id
			    AND pm.id <> m.id) AS of_series,
		    (SELECT format('on the agenda of the %s meeting of %s, not '
			|| 'discussed', CASE pm.state WHEN 'cancelled'
			THEN 'cancelled' ELSE 'closed' END,
			to_char(pm.scheduled_start AT TIME ZONE
			    'Europe/Amsterdam', 'YYYY-MM-DD'))
			FROM agenda_items ai JOIN meetings pm
			    ON pm.id = ai.meeting_id
			WHERE ai.case_id = c.id AND pm.series_id = m.series_id
			    AND pm.id <> m.id
			    AND pm.scheduled_start < m.scheduled_start
			    AND (pm.state = 'cancelled' OR (pm.state = 'closed'
				AND ai.state = 'pending'))
			    AND NOT EXISTS (SELECT 1 FROM agenda_items a2
				JOIN meetings p2 ON p2.id = a2.meeting_id
				WHERE a2.case_id = c.id
				    AND p2.series_id = m.series_id
				    AND a2.state = 'discussed'
				    AND p2.scheduled_start > pm.scheduled_start)
			ORDER BY pm.scheduled_start DESC LIMIT 1) AS not_discussed
		FROM cases c, m
		WHERE c.status <> 'closed' AND c.anonymised_at IS NULL
		    AND NOT EXISTS (SELECT 1 FROM agenda_items ai
			WHERE ai.meeting_id = m.id AND ai.case_id = c.id)),
	r AS (
		SELECT c.id AS case_id, x.code, x.txt, x.red
		FROM cand c, m, nxt,
		LATERAL (VALUES
		    ('new_signal', 'new signal in the series'' district and theme, '
			|| 'not yet discussed', false,
			c.of_series AND NOT EXISTS (SELECT 1 FROM agenda_items ai
			    WHERE ai.case_id = c.id)),
		    ('review_due', 'review date ' || tafel_datestr(c.review_date)
			|| ' is due', false,
			c.of_series AND c.review_date IS NOT NULL
			AND c.review_date <= m.day),
		    ('action_overdue', 'action point overdue', false,
			c.of_series AND EXISTS (SELECT 1 FROM action_points a
			    WHERE a.case_id = c.id AND a.state = 'open'
				AND a.due_date < m.day)),
		    ('clock_ending', coalesce((SELECT string_agg(ck.label || ' ends '
			|| tafel_datestr(k.ends_on), ', ' ORDER BY k.ends_on)
			FROM case_clocks k JOIN clock_kinds ck ON ck.name = k.kind
			WHERE k.case_id = c.id AND k.ends_on >= tafel_today()
			    AND k.ends_on < coalesce(nxt.day, m.day + 14)), '')
			|| ', before the following meeting', true,
			c.of_series AND EXISTS (SELECT 1 FROM case_clocks k
			    WHERE k.case_id = c.id AND k.ends_on >= tafel_today()
				AND k.ends_on < coalesce(nxt.day, m.day + 14))),
		    ('earlier_discussed', 'a person was discussed in another case in '
			|| 'the last 12 months', false,
			c.of_series AND CASE WHEN p_viewer = 0
			    THEN tafel_case_has_earlier(c.id)
			    ELSE coalesce((tafel_access_earlier(p_viewer,
				jsonb_build_object(c.id::text, tafel_access(p_viewer,
				    c.id))) -> c.id::text ->> 'earlier')::boolean,
				false) END),
		    -- on the agenda of an earlier meeting of the series that was
		    -- cancelled, or closed without getting to it, and not
		    -- discussed in the series since: it stays on the table
		    ('not_discussed', coalesce(c.not_discussed, ''), false,
			c.of_series AND c.not_discussed IS NOT NULL),
		    ('nomination', 'nominated by ' || coalesce((SELECT string_agg(
			DISTINCT o.name, ', ') FROM nominations n
			JOIN organisations o ON o.id = n.org_id
			WHERE n.case_id = c.id AND n.series_id = m.series_id
			    AND n.state = 'pending'), ''), false,
			EXISTS (SELECT 1 FROM nominations n
			    WHERE n.case_id = c.id AND n.series_id = m.series_id
				AND n.state = 'pending'))
		) AS x(code, txt, red, hit)
		WHERE x.hit)
	SELECT coalesce(jsonb_agg(jsonb_build_object(
	    'meeting_id', p_meeting_id,
	    'case_id', c.id,
	    'case_number', c.number,
	    'theme', c.theme,
	    'district', c.district,
	    'status', c.status,
	    'reasons', (SELECT jsonb_agg(jsonb_build_object('code', r.code,
		'text', r.txt, 'red', r.red) ORDER BY r.red DESC, r.code)
		FROM r WHERE r.case_id = c.id),
	    'red', (SELECT bool_or(r.red) FROM r WHERE r.case_id = c.id),
	    'state', CASE WHEN d.case_id IS NULL THEN 'proposed' ELSE 'declined'
		END,
	    'decline_reason', coalesce(d.decline_reason, ''),
	    'declined_by_name', coalesce(du.display_name, ''),
	    'declined_at', tafel_unix(d.declined_at))
	    ORDER BY (d.case_id IS NOT NULL), (SELECT bool_or(r.red) FROM r
		WHERE r.case_id = c.id) DESC, c.number), '[]'::jsonb)
	FROM cases c
	LEFT JOIN proposal_declines d ON d.meeting_id = p_meeting_id
	    AND d.case_id = c.id
	LEFT JOIN users du ON du.id = d.declined_by
	WHERE c.id IN (SELECT case_id FROM r)
$$;

-- The meeting proposals are made for: p_meeting_id, or (0) the series'
-- next planned meeting.  NOT_FOUND when there is none.
CREATE OR REPLACE FUNCTION tafel_proposal_meeting(u users, p_series_id bigint,
    p_meeting_id bigint)
RETURNS meetings LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	m meetings;
BEGIN
	IF coalesce(p_meeting_id, 0) <> 0 THEN
		SELECT * INTO m FROM meetings WHERE id = p_meeting_id;
	ELSE
		-- today's meeting too when its start time has passed (a late
		-- start), as accept_nomination
		SELECT * INTO m FROM meetings
		WHERE id = tafel_series_next_meeting(p_series_id);
	END IF;
	IF NOT FOUND OR NOT tafel_may_see_meeting(u, m.id) THEN
		IF coalesce(p_meeting_id, 0) <> 0 THEN
			PERFORM tafel_raise('TF016', 'no such meeting', 'meeting_id');
		END IF;
		PERFORM tafel_raise('TF016', 'the series has no planned meeting '
		    || 'ahead (or no such series)', 'series_id');
	END IF;
	IF NOT tafel_may_decide_nomination(u, m.series_id)
	    AND NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair decides on the '
		    || 'agenda''s proposals');
	END IF;
	RETURN m;
END
$$;

-- list_proposals -> ProposalList.  The chair (or whoever decides the
-- series' nominations, or an administrator) only.
CREATE OR REPLACE FUNCTION tafel_list_proposals(p_user_id bigint,
    p_series_id bigint, p_meeting_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings := tafel_proposal_meeting(u, p_series_id, p_meeting_id);
BEGIN
	-- proposals are for a planned meeting only (an open, closed or
	-- cancelled one: the meeting, no proposals; decline_proposal refuses)
	RETURN jsonb_build_object('meeting', tafel_json_meeting(m.id),
	    'proposals', CASE WHEN m.state = 'planned'
		THEN tafel_meeting_proposals(m.id, u.id) ELSE '[]' END);
END
$$;

-- decline_proposal: DeclineProposalRequest -> Proposal (state declined).
-- A reason is required and kept.  Accepting is add_agenda_item.  The
-- proposal is logged with every reason; its answer and event are rendered
-- per decider (tafel_proposal_for, 40_render.sql).
CREATE OR REPLACE FUNCTION tafel_op_decline_proposal(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings := tafel_proposal_meeting(u, 0,
	    tafel_arg_id(p_args, 'meeting_id'));
	v_case bigint := tafel_arg_id(p_args, 'case_id');
	v_reason text := tafel_trim(tafel_arg_text(p_args, 'reason'));
	v_p jsonb;
BEGIN
	IF m.state <> 'planned' THEN
		PERFORM tafel_raise('TF018', 'proposals are decided before the '
		    || 'meeting', 'meeting_id');
	END IF;
	IF v_reason = '' THEN
		PERFORM tafel_raise('TF011', 'a decline needs a reason', 'reason');
	END IF;
	IF length(v_reason) > 500 THEN
		PERFORM tafel_raise('TF012', 'reason is longer than 500 characters',
		    'reason');
	END IF;
	-- proposed as this chair's list shows it: a case proposed only by a
	-- match the chair may not see is not proposed for them (rule 7;
	-- tafel_proposal_for leaves it no reason)
	SELECT p INTO v_p FROM jsonb_array_elements(tafel_meeting_proposals(m.id))
	    p WHERE (p ->> 'case_id')::bigint = v_case;
	IF v_p IS NULL OR jsonb_array_length(tafel_proposal_for(u.id, v_p)
	    -> 'reasons') = 0 THEN
		PERFORM tafel_raise('TF016', 'the case is not proposed for this '
		    || 'meeting', 'case_id');
	END IF;
	INSERT INTO proposal_declines (meeting_id, case_id, reasons,
	    decline_reason, declined_by)
	VALUES (m.id, v_case, ARRAY(SELECT r ->> 'code'
	    FROM jsonb_array_elements(v_p -> 'reasons') r), v_reason, u.id)
	ON CONFLICT (meeting_id, case_id) DO UPDATE SET
	    decline_reason = EXCLUDED.decline_reason,
	    declined_by = EXCLUDED.declined_by, declined_at = now();
	SELECT p INTO v_p FROM jsonb_array_elements(tafel_meeting_proposals(m.id))
	    p WHERE (p ->> 'case_id')::bigint = v_case;
	PERFORM tafel_log_change(u.id, m.id, NULL, '{}',
	    jsonb_build_object('proposal', v_p));
	RETURN v_p;
END
$$;

-- ---------------------------------------------------------------------------
-- Publishing the agenda, and the partner's calendar
-- ---------------------------------------------------------------------------

-- Items put on an agenda after its publication are marked.
CREATE OR REPLACE FUNCTION tafel_item_after_publication()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	NEW.added_after_publication := EXISTS (SELECT 1 FROM meetings m
	    WHERE m.id = NEW.meeting_id AND m.published_at IS NOT NULL);
	RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER agenda_items_after_publication BEFORE INSERT
	ON agenda_items FOR EACH ROW EXECUTE FUNCTION tafel_item_after_publication();

-- publish_agenda: PublishAgendaRequest -> Meeting.  The chair (or an
-- administrator) of a planned meeting, once.  Every member organisation of
-- the series gets Event.agenda_published (routing orgs) and an inbox entry
-- of kind agenda_published (once per organisation and meeting).
CREATE OR REPLACE FUNCTION tafel_op_publish_agenda(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	m meetings;
	v_json jsonb;
	v_org bigint;
	v_id bigint;
BEGIN
	SELECT * INTO m FROM meetings WHERE id = tafel_arg_id(p_args, 'meeting_id')
	FOR UPDATE;
	IF NOT FOUND OR NOT tafel_may_see_meeting(u, m.id) THEN
		PERFORM tafel_raise('TF016', 'meeting not found', 'meeting_id');
	END IF;
	IF NOT tafel_may_chair(u, m) THEN
		PERFORM tafel_raise('TF010', 'only the chair publishes the agenda');
	END IF;
	IF m.version <> tafel_arg_id(p_args, 'version') THEN
		PERFORM tafel_conflict('current_meeting', tafel_json_meeting(m.id));
	END IF;
	IF m.state <> 'planned' THEN
		PERFORM tafel_raise('TF018', 'only the agenda of a planned meeting '
		    || 'is published', 'meeting_id');
	END IF;
	IF m.published_at IS NOT NULL THEN
		PERFORM tafel_raise('TF018', 'the agenda is already published',
		    'meeting_id');
	END IF;
	UPDATE meetings SET published_at = now(), published_by = u.id,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = m.id;
	v_json := tafel_json_meeting(m.id);
	-- an inbox entry for every member organisation, once (0013), but the
	-- publisher's own (it published)
	FOR v_org IN SELECT sm.org_id FROM series_members sm
	    WHERE sm.series_id = m.series_id AND sm.org_id <> u.org_id
	    ORDER BY sm.org_id LOOP
		v_id := NULL;
		INSERT INTO inbox_entries (kind, meeting_id, recipient_org_id,
		    sender_id)
		VALUES ('agenda_published', m.id, v_org, u.id)
		ON CONFLICT DO NOTHING RETURNING id INTO v_id;
		IF v_id IS NOT NULL THEN
			PERFORM tafel_inbox_log(u.id, v_id);
		END IF;
	END LOOP;
	PERFORM tafel_log_change(u.id, m.id, NULL, ARRAY(SELECT sm.org_id
	    FROM series_members sm WHERE sm.series_id = m.series_id),
	    jsonb_build_object('meeting', v_json, 'agenda_published',
		jsonb_build_object('meeting_id', m.id,
		    'series_id', m.series_id,
		    'series_name', v_json ->> 'series_name',
		    'scheduled_start', v_json -> 'scheduled_start',
		    'published_at', v_json -> 'published_at',
		    'published_by_name', u.display_name,
		    'item_count', (SELECT count(*) FROM agenda_items ai
			WHERE ai.meeting_id = m.id))));
	RETURN v_json;
END
$$;

-- list_calendar -> Calendar: the meetings (planned or open) from p_from to
-- p_to (default today and 90 days on) of every series the user's
-- organisation is a member of, or that the user chairs.  A meeting is
-- dated by the time the list shows: when it was opened, else its planned
-- start (as the client's meetings list sorts them); the range, the order
-- and the clashes all go by that time, so the list reads in time order and
-- a "!" names meetings whose shown times are close.  Two meetings clash
-- when they start less than two hours apart (meetings have no end time).
CREATE OR REPLACE FUNCTION tafel_list_calendar(p_user_id bigint, p_from text,
    p_to text)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_from date := coalesce(tafel_arg_date(jsonb_build_object('from', p_from),
	    'from'), tafel_today());
	v_to date := coalesce(tafel_arg_date(jsonb_build_object('to', p_to),
	    'to'), v_from + 90);
BEGIN
	-- as a report's period (tafel_report_build): not an empty answer
	IF v_to < v_from THEN
		PERFORM tafel_raise('TF014', '"to" is before "from"', 'to');
	END IF;
	RETURN jsonb_build_object('entries', coalesce((
	    WITH mine AS (
		SELECT m.id, coalesce(m.opened_at, m.scheduled_start) AS shown
		FROM meetings m
		WHERE m.state IN ('planned', 'open')
		    AND (coalesce(m.opened_at, m.scheduled_start)
			AT TIME ZONE 'Europe/Amsterdam')::date
			BETWEEN v_from AND v_to
		    AND (m.chair_id = u.id OR EXISTS (SELECT 1
			FROM series_members sm WHERE sm.series_id = m.series_id
			    AND sm.org_id = u.org_id)))
	    SELECT jsonb_agg(jsonb_build_object(
		'meeting', tafel_json_meeting(a.id),
		'clash_ids', to_jsonb(ARRAY(SELECT b.id FROM mine b
		    WHERE b.id <> a.id AND b.shown > a.shown - interval '2 hours'
			AND b.shown < a.shown + interval '2 hours'
		    ORDER BY b.shown, b.id)))
		ORDER BY a.shown, a.id)
	    FROM mine a), '[]'::jsonb));
END
$$;
