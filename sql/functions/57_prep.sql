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

-- set_clock: SetClockRequest -> Case (with its clocks).  ends_on is
-- derived from the kind for a kind with initial_days (a given ends_on must
-- then be that day); a kind without (custody, detention) needs it.
CREATE OR REPLACE FUNCTION tafel_op_set_clock(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases;
	k clock_kinds;
	v_start date;
	v_end date;
	v_hearing date;
	v_note text := btrim(tafel_arg_text(p_args, 'note'));
	v_json jsonb;
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
	END IF;
	v_hearing := tafel_arg_date(p_args, 'hearing_date');
	IF v_hearing IS NOT NULL AND NOT k.has_hearing THEN
		PERFORM tafel_raise('TF011', format('a %s has no hearing date',
		    k.label), 'hearing_date');
	END IF;
	IF length(v_note) > 500 THEN
		PERFORM tafel_raise('TF014', 'note is longer than 500 characters',
		    'note');
	END IF;
	PERFORM 1 FROM cases WHERE id = c.id FOR UPDATE;
	INSERT INTO case_clocks (case_id, kind, starts_on, ends_on,
	    hearing_date, note, created_by, updated_by)
	VALUES (c.id, k.name, v_start, v_end, v_hearing, v_note, u.id, u.id);
	UPDATE cases SET version = version + 1, updated_at = now(),
	    updated_by = u.id WHERE id = c.id;
	v_json := tafel_json_case(c.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}',
	    jsonb_build_object('case', v_json));
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
	v_note text := btrim(tafel_arg_text(p_args, 'note'));
	v_json jsonb;
BEGIN
	SELECT * INTO x FROM case_clocks
	WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'clock not found', 'id');
	END IF;
	c := tafel_known_case(u, x.case_id, 'id');
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
		PERFORM tafel_raise('TF014', 'note is longer than 500 characters',
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
	RETURN v_json;
END
$$;
