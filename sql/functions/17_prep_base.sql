-- Legal clocks (0010) as the case record carries them: the date of today,
-- the next meeting a case can be discussed at, and a case's clocks as JSON
-- for tafel_json_case (20_json.sql).  The writes are in 57_prep.sql.

-- Today in Europe/Amsterdam: the day every clock counts in.
CREATE OR REPLACE FUNCTION tafel_today()
RETURNS date LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date
$$;

-- The date (Europe/Amsterdam) of the next planned meeting, today or later,
-- at which the case can be discussed: one whose agenda has it, or one of a
-- series of the case's district that covers its theme (a series without
-- themes covers all).  NULL: none planned.
CREATE OR REPLACE FUNCTION tafel_case_next_meeting_date(p_case_id bigint)
RETURNS date LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT min((m.scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date)
	FROM meetings m
	JOIN series s ON s.id = m.series_id
	JOIN cases c ON c.id = p_case_id
	WHERE m.state = 'planned'
	  AND (m.scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date
	      >= tafel_today()
	  AND (EXISTS (SELECT 1 FROM agenda_items ai
		WHERE ai.meeting_id = m.id AND ai.case_id = c.id)
	    OR (s.district = c.district AND s.case_id IS NULL
		AND (s.themes = '{}' OR c.theme = ANY (s.themes))))
$$;

-- One clock as CaseClock (docs/protocol.md 7.9).  day/total_days: "dag 9
-- van 10" (day 0 before the start, day > total after the end).  red: it
-- still runs and ends before the next meeting the case can be discussed at
-- (or no meeting is planned).  The notice: the organisation kind to tell
-- and the day by which (a derived due action).
CREATE OR REPLACE FUNCTION tafel_json_clock(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', k.id,
	    'case_id', k.case_id,
	    'kind', k.kind,
	    'label', ck.label,
	    'starts_on', tafel_datestr(k.starts_on),
	    'ends_on', tafel_datestr(k.ends_on),
	    'hearing_date', tafel_datestr(k.hearing_date),
	    'day', greatest(tafel_today() - k.starts_on + 1, 0),
	    'total_days', k.ends_on - k.starts_on + 1,
	    'max_total_days', coalesce(ck.max_total_days, 0),
	    'extensions', k.extensions,
	    'running', tafel_today() BETWEEN k.starts_on AND k.ends_on,
	    'red', tafel_today() <= k.ends_on
		AND coalesce(k.ends_on < tafel_case_next_meeting_date(k.case_id),
		    true),
	    'notice_org_kind', ck.notify_org_kind,
	    'notice_due', CASE WHEN ck.notify_org_kind = '' THEN ''
		ELSE tafel_datestr(k.ends_on - ck.notify_days_before) END,
	    'note', k.note,
	    'version', k.version)
	FROM case_clocks k
	JOIN clock_kinds ck ON ck.name = k.kind
	WHERE k.id = p_id
$$;

CREATE OR REPLACE FUNCTION tafel_json_case_clocks(p_case_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_clock(k.id)
	    ORDER BY k.ends_on, k.id), '[]'::jsonb)
	FROM case_clocks k WHERE k.case_id = p_case_id
$$;
