-- Reports for the chair and the steering group (0011): per partner
-- organisation and per theme/district over a period, totals only (no
-- person, case number or text); the case routing history they use; the
-- steering role, which sees nothing else.

-- Keeps case_status_history: a row whenever a case is created or moves.
CREATE OR REPLACE FUNCTION tafel_case_status_history()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	INSERT INTO case_status_history (case_id, status, entered_at)
	VALUES (NEW.id, NEW.status, clock_timestamp())
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS cases_status_history ON cases;
CREATE TRIGGER cases_status_history AFTER INSERT OR UPDATE OF status ON cases
	FOR EACH ROW EXECUTE FUNCTION tafel_case_status_history();

-- Per organisation: the action points it owns agreed in [p_from, p_to]
-- (how they ended up; overdue = open with its due date before today) and
-- the closed meetings of its series in the period (attended = somebody of
-- it was recorded present).  Organisations with nothing in the period are
-- left out.
CREATE OR REPLACE FUNCTION tafel_report_org_rows(p_from date, p_to date)
RETURNS TABLE (org_id bigint, org_name text, agreed int, done_on_time int,
    done_late int, cancelled int, open int, overdue int, meetings int,
    attended int)
LANGUAGE sql STABLE SET search_path = public AS $$
	WITH a AS (
	    SELECT ap.owner_org_id AS org, count(*)::int AS agreed,
		count(*) FILTER (WHERE ap.state = 'done'
		    AND (ap.finished_at AT TIME ZONE 'Europe/Amsterdam')::date
			<= ap.due_date)::int AS on_time,
		count(*) FILTER (WHERE ap.state = 'done'
		    AND (ap.finished_at AT TIME ZONE 'Europe/Amsterdam')::date
			> ap.due_date)::int AS late,
		count(*) FILTER (WHERE ap.state = 'cancelled')::int AS cancelled,
		count(*) FILTER (WHERE ap.state = 'open')::int AS open,
		count(*) FILTER (WHERE ap.state = 'open' AND ap.due_date
		    < (now() AT TIME ZONE 'Europe/Amsterdam')::date)::int AS overdue
	    FROM action_points ap
	    WHERE (ap.created_at AT TIME ZONE 'Europe/Amsterdam')::date
		BETWEEN p_from AND p_to
	    GROUP BY ap.owner_org_id),
	m AS (
	    SELECT sm.org_id AS org, count(*)::int AS meetings,
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM attendance at
		    WHERE at.meeting_id = mt.id AND at.org_id = sm.org_id
			AND at.present))::int AS attended
	    FROM meetings mt
	    JOIN series_members sm ON sm.series_id = mt.series_id
	    WHERE mt.state = 'closed'
		AND (mt.scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date
		    BETWEEN p_from AND p_to
	    GROUP BY sm.org_id)
	SELECT o.id, o.name, coalesce(a.agreed, 0), coalesce(a.on_time, 0),
	    coalesce(a.late, 0), coalesce(a.cancelled, 0), coalesce(a.open, 0),
	    coalesce(a.overdue, 0), coalesce(m.meetings, 0),
	    coalesce(m.attended, 0)
	FROM organisations o
	LEFT JOIN a ON a.org = o.id
	LEFT JOIN m ON m.org = o.id
	WHERE a.org IS NOT NULL OR m.org IS NOT NULL
	ORDER BY o.name
$$;

-- Per theme and district: cases opened and closed in the period, and per
-- routing phase the cases that spent time in it within the period and
-- those days (the stay clipped to the period; a stay still running counts
-- up to now).
CREATE OR REPLACE FUNCTION tafel_report_area_rows(p_from date, p_to date)
RETURNS TABLE (theme text, district text, opened int, closed int,
    phase text, phase_cases int, phase_days numeric)
LANGUAGE sql STABLE SET search_path = public AS $$
	WITH bounds AS (
	    SELECT (p_from::timestamp AT TIME ZONE 'Europe/Amsterdam') AS lo,
		((p_to + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS hi),
	stays AS (
	    SELECT h.case_id, h.status, h.entered_at AS s,
		coalesce(lead(h.entered_at) OVER (PARTITION BY h.case_id
		    ORDER BY h.entered_at), now()) AS e
	    FROM case_status_history h),
	clipped AS (
	    SELECT c.theme, c.district, st.status, st.case_id,
		extract(epoch FROM least(st.e, b.hi) - greatest(st.s, b.lo))
		    / 86400.0 AS days
	    FROM stays st JOIN cases c ON c.id = st.case_id, bounds b
	    WHERE st.status <> 'closed' AND st.s < b.hi AND st.e > b.lo),
	areas AS (
	    SELECT DISTINCT c.theme, c.district FROM cases c, bounds b
	    WHERE (c.created_at >= b.lo AND c.created_at < b.hi)
		OR (c.closed_at >= b.lo AND c.closed_at < b.hi)
	    UNION SELECT cl.theme, cl.district FROM clipped cl),
	counts AS (
	    SELECT ar.theme, ar.district,
		(SELECT count(*) FROM cases c, bounds b WHERE c.theme = ar.theme
		    AND c.district = ar.district AND c.created_at >= b.lo
		    AND c.created_at < b.hi)::int AS opened,
		(SELECT count(*) FROM cases c, bounds b WHERE c.theme = ar.theme
		    AND c.district = ar.district AND c.closed_at >= b.lo
		    AND c.closed_at < b.hi)::int AS closed
	    FROM areas ar)
	SELECT ct.theme, ct.district, ct.opened, ct.closed, cs.status,
	    coalesce((SELECT count(DISTINCT cl.case_id) FROM clipped cl
		WHERE cl.theme = ct.theme AND cl.district = ct.district
		    AND cl.status = cs.status), 0)::int,
	    coalesce((SELECT round(sum(cl.days)::numeric, 1) FROM clipped cl
		WHERE cl.theme = ct.theme AND cl.district = ct.district
		    AND cl.status = cs.status), 0)
	FROM counts ct CROSS JOIN case_statuses cs
	WHERE cs.status <> 'closed'
	ORDER BY ct.theme, ct.district, cs.ordinal
$$;

-- The report (ReportRequest -> Report) for a chair, an admin or the
-- steering group: totals only.
CREATE OR REPLACE FUNCTION tafel_report(p_user_id bigint, p_from text,
    p_to text)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users;
	v_from date;
	v_to date;
BEGIN
	PERFORM tafel_set_user(p_user_id);
	SELECT * INTO u FROM users WHERE id = p_user_id AND NOT disabled;
	IF NOT FOUND OR NOT u.roles && ARRAY['admin', 'chair', 'steering'] THEN
		PERFORM tafel_raise('TF010', 'reports are for chairs, '
		    || 'administrators and the steering group');
	END IF;
	v_from := tafel_report_day(p_from, 'from');
	v_to := tafel_report_day(p_to, 'to');
	RETURN tafel_report_build(v_from, v_to);
END
$$;

-- A day of a report's period as the request gives it: exactly YYYY-MM-DD,
-- a calendar date of the years 1900..2200 (the dates of protocol.md 5.5;
-- PostgreSQL's own reading took "today", "1800-01-01", "20250101").
-- Anything else is INVALID_ARGUMENT with the field.
CREATE OR REPLACE FUNCTION tafel_report_day(p text, p_field text)
RETURNS date LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v date;
BEGIN
	IF p IS NULL OR p !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		PERFORM tafel_raise('TF011', 'from and to are dates '
		    || '(YYYY-MM-DD)', p_field);
	END IF;
	BEGIN
		v := p::date;
	EXCEPTION WHEN others THEN
		PERFORM tafel_raise('TF011', 'from and to are dates '
		    || '(YYYY-MM-DD)', p_field);
	END;
	IF extract(year FROM v) NOT BETWEEN 1900 AND 2200 THEN
		PERFORM tafel_raise('TF011', 'the year must be between 1900 '
		    || 'and 2200', p_field);
	END IF;
	RETURN v;
END
$$;

-- The Report of a period (tafel_report; tafelctl report as the owner).
CREATE OR REPLACE FUNCTION tafel_report_build(v_from date, v_to date)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	IF v_from IS NULL OR v_to IS NULL OR v_to < v_from
	    OR v_to - v_from > 3660 THEN
		PERFORM tafel_raise('TF014', format('the period %s to %s: to '
		    || 'lies before from, or it is longer than ten years',
		    v_from, v_to), 'to');
	END IF;
	RETURN jsonb_build_object('from', tafel_datestr(v_from),
	    'to', tafel_datestr(v_to),
	    'orgs', coalesce((SELECT jsonb_agg(to_jsonb(r)) FROM
		tafel_report_org_rows(v_from, v_to) r), '[]'),
	    'areas', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'theme', x.theme, 'district', x.district, 'opened', x.opened,
		'closed', x.closed, 'phases', x.phases)) FROM (
		SELECT r.theme, r.district, min(r.opened) AS opened,
		    min(r.closed) AS closed, jsonb_agg(jsonb_build_object(
			'status', r.phase, 'cases', r.phase_cases,
			'days', r.phase_days)) AS phases
		FROM tafel_report_area_rows(v_from, v_to) r
		GROUP BY r.theme, r.district ORDER BY r.theme, r.district) x),
		'[]'));
END
$$;
