-- Legal clocks (0010) as the case record carries them: the date of today,
-- the next meeting a case can be discussed at, and a case's clocks as JSON
-- for tafel_json_case (20_json.sql).  The writes are in 57_prep.sql.

-- Today in Europe/Amsterdam: the day every clock counts in.  Tests only:
-- the setting tafel.today (YYYY-MM-DD), which tafeld gives its sessions
-- when started with TAFEL_TEST_TODAY (docs/admin.md), replaces it.
-- No SET clause, so that PostgreSQL inlines it (it names no table, so a
-- search_path cannot change what it means): a snapshot calls it once per
-- action point, twice, and a call through the SET clause costs about 2
-- microseconds against 0.4 inlined (docs/benchmarks.md, session 21).
CREATE OR REPLACE FUNCTION tafel_today()
RETURNS date LANGUAGE sql STABLE AS $$
	SELECT coalesce(nullif(current_setting('tafel.today', true), '')::date,
	    (now() AT TIME ZONE 'Europe/Amsterdam')::date)
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

-- The working day (Monday to Friday) p_n working days before p_day; p_n 0
-- is p_day itself.
CREATE OR REPLACE FUNCTION tafel_working_days_before(p_day date, p_n integer)
RETURNS date LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
DECLARE
	d date := p_day;
	n integer := greatest(coalesce(p_n, 0), 0);
BEGIN
	WHILE n > 0 LOOP
		d := d - 1;
		IF extract(isodow FROM d) < 6 THEN
			n := n - 1;
		END IF;
	END LOOP;
	RETURN d;
END
$$;

-- The day by which a meeting's agenda is to be published (the series'
-- publish_days_before working days before the meeting, Europe/Amsterdam).
CREATE OR REPLACE FUNCTION tafel_meeting_publish_due(p_meeting_id bigint)
RETURNS date LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (
	SELECT tafel_working_days_before((m.scheduled_start
	    AT TIME ZONE 'Europe/Amsterdam')::date, s.publish_days_before)
	FROM meetings m JOIN series s ON s.id = m.series_id
	WHERE m.id = p_meeting_id);
END
$$;

-- The day a clock's notice is due: p_n days before its end p_ends, moved
-- back to the working day (Monday to Friday) before when that falls in a
-- weekend ("the working day before" for custody's one day).
CREATE OR REPLACE FUNCTION tafel_clock_notice_day(p_ends date, p_n integer)
RETURNS date LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
DECLARE
	d date := p_ends - greatest(coalesce(p_n, 0), 0);
BEGIN
	WHILE extract(isodow FROM d) > 5 LOOP
		d := d - 1;
	END LOOP;
	RETURN d;
END
$$;

-- One clock as CaseClock (docs/protocol.md 7.9).  day/total_days: "dag 9
-- van 10" (day 0 before the start, day > total after the end).  red: it
-- still runs and ends before the next meeting the case can be discussed at
-- (or no meeting is planned).  The notice: the organisation kind to tell
-- and the day it is sent again (tafel_clock_notices, 57_prep.sql).
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
		ELSE tafel_datestr(tafel_clock_notice_day(k.ends_on,
		    ck.notify_days_before)) END,
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

-- A clock's note is free text about persons (docs/protocol.md 9.1, category
-- free_text: users write who the order is against and where they stay):
-- the clocks p (a JSON array of CaseClock) with every note "" unless
-- p_free_text; the clock itself (kind, dates, day counts) is never hidden.
-- tafel_redact_case (40_render.sql) and the snapshot (62_bulk.sql) call
-- it; NULL for p_free_text blanks.  No SET, so that it is inlined.
CREATE OR REPLACE FUNCTION tafel_redact_clocks(p jsonb, p_free_text boolean)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN coalesce(p_free_text, false)
	    OR jsonb_typeof(p) IS DISTINCT FROM 'array' THEN p
	    ELSE coalesce((SELECT jsonb_agg(e || '{"note": ""}'::jsonb ORDER BY i)
		FROM jsonb_array_elements(p) WITH ORDINALITY AS t(e, i)),
		'[]'::jsonb) END
$$;

-- Whether the clocks p (a JSON array of CaseClock) carry a note: what the
-- read audit counts as free_text (tafel_sent_case_categories).
CREATE OR REPLACE FUNCTION tafel_clocks_have_note(p jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN jsonb_typeof(p) IS DISTINCT FROM 'array' THEN false
	    ELSE EXISTS (SELECT 1 FROM jsonb_array_elements(p) e
		WHERE coalesce(e ->> 'note', '') <> '') END
$$;

-- ---------------------------------------------------------------------------
-- The info round (inforonde): who sees what of it (tafel_render calls this;
-- the record is built by tafel_json_info_round in 57_prep.sql)
-- ---------------------------------------------------------------------------

-- The info round x for viewer u (a: tafel_access of its case), or NULL when
-- u may not see it.  Who sees it: those connected to the case (an
-- administrator too only then: docs/security.md rule 3, a role opens no
-- case; before, an administrator got every round of every case, its case
-- number, answers and notes, in lists and events, for cases get_case
-- called not found), its process managers, and the asked organisations.
-- An answer (bekend / niet bekend) tells what an organisation knows of the
-- persons, as a contribution does: every answer goes to the process
-- managers and connected administrators (who may run the round) and, with
-- the case_summary category, to a signed organisation connected to the
-- case; everyone else (an observer, the GP outside the covenant, housing)
-- gets its own organisation's entry only, when asked.  Notes (free text
-- about the persons) with free_text, to the process managers (not to an
-- administrator as such), or to the answering organisation: its own note to each of its members but
-- observers, also without the covenant (it wrote it, and must be able to
-- read, keep or clear it).  The persons'
-- names and dates of birth go only to an asked organisation while the round
-- is open ("identifying": true); everyone else reads the persons with the
-- case, as the covenant allows.  "Open" is the round's state now, not the
-- state in x: a change-log event of an open round replayed after it closed
-- (a resume, docs/protocol.md 8.3) carries no identifying data.  Every read
-- that carries identifying data, notes or another organisation's answer is
-- audited with context 'inforonde' (when p_context is set), in meeting
-- p_meeting when the read is part of one (a snapshot, a meeting's event).
DROP FUNCTION IF EXISTS tafel_render_info_round(users, jsonb, jsonb, text);
CREATE OR REPLACE FUNCTION tafel_render_info_round(u users, x jsonb, a jsonb,
    p_context text, p_meeting bigint)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_case bigint := (x ->> 'case_id')::bigint;
	v_asked boolean := EXISTS (SELECT 1 FROM jsonb_array_elements(x -> 'asked') e
	    WHERE (e ->> 'org_id')::bigint = u.org_id);
	v_conn boolean := coalesce((a ->> 'connected')::boolean, false);
	v_pm_self boolean := tafel_is_process_manager(u.id, v_case);
	v_pm boolean := v_pm_self OR (tafel_is_admin(u) AND v_conn);
	-- an observer or an organisation without the covenant reads no
	-- personal data here either (the server's filter, docs/protocol.md
	-- 9.4, takes it out anyway: what is not sent is not audited)
	v_signed boolean := u.roles && ARRAY['admin', 'chair', 'member']
	    AND coalesce((SELECT o.covenant_signed FROM organisations o
		WHERE o.id = u.org_id), false);
	-- every organisation's answer, not only its own
	v_all boolean := v_pm OR (v_conn AND v_signed
	    AND coalesce(a -> 'cats' ? 'case_summary', false));
	v_cats text[] := '{}';
	v_out jsonb;
BEGIN
	IF NOT (v_asked OR v_conn OR v_pm) THEN
		RETURN NULL;
	END IF;
	v_out := x || jsonb_build_object('asked', coalesce((SELECT jsonb_agg(
	    CASE WHEN ((e ->> 'org_id')::bigint = u.org_id
		AND u.roles && ARRAY['admin', 'chair', 'member'])
		OR (v_signed AND (v_pm_self
		OR coalesce(a -> 'cats' ? 'free_text', false))) THEN e
		ELSE e || '{"note": ""}'::jsonb END ORDER BY i)
	    FROM jsonb_array_elements(x -> 'asked') WITH ORDINALITY AS t(e, i)
	    WHERE v_all OR (e ->> 'org_id')::bigint = u.org_id),
	    '[]'::jsonb), 'answers_hidden', NOT v_all AND EXISTS (SELECT 1
	    FROM jsonb_array_elements(x -> 'asked') e
	    WHERE (e ->> 'org_id')::bigint <> u.org_id));
	-- the overdue answers among those shown: a count of the others' late
	-- answers would tell what answers_hidden leaves out
	IF NOT v_all THEN
		v_out := v_out || jsonb_build_object('overdue_count', (SELECT
		    count(*) FROM jsonb_array_elements(v_out -> 'asked') e
		    WHERE coalesce((e ->> 'overdue')::boolean, false)));
	END IF;
	IF v_asked AND v_signed AND x ->> 'state' = 'open' AND EXISTS (SELECT 1
	    FROM info_rounds r WHERE r.id = (x ->> 'id')::bigint
		AND r.state = 'open') THEN
		v_out := v_out || '{"identifying": true}'::jsonb;
		IF jsonb_array_length(x -> 'persons') > 0 THEN
			v_cats := v_cats || ARRAY['person_names'];
		END IF;
		IF EXISTS (SELECT 1 FROM jsonb_array_elements(x -> 'persons') p
		    WHERE p ->> 'birth_date' <> '') THEN
			v_cats := v_cats || ARRAY['birth_dates'];
		END IF;
	ELSE
		v_out := v_out || '{"persons": []}'::jsonb;
	END IF;
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(v_out -> 'asked') e
	    WHERE e ->> 'note' <> '') THEN
		v_cats := v_cats || ARRAY['free_text'];
	END IF;
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(v_out -> 'asked') e
	    WHERE (e ->> 'org_id')::bigint <> u.org_id
		AND e ->> 'answer' <> 'pending') THEN
		v_cats := v_cats || ARRAY['case_summary'];
	END IF;
	IF p_context IS NOT NULL AND cardinality(v_cats) > 0 THEN
		PERFORM tafel_audit_add(u.id, u.org_id, v_case,
		    tafel_cats_sorted(v_cats), nullif(p_meeting, 0), 'inforonde');
	END IF;
	RETURN v_out;
END
$$;

-- The info round x on a meeting's shared screen (a: the room's access to
-- its case, tafel_beamer_access), or NULL.  Only when the room is connected
-- to the case, and then each asked organisation's answer (bekend, niet
-- bekend, pending, red when overdue) only when everyone in the room may
-- see case_summary (the answers are what organisations know of the
-- persons); never notes, names of who answered or persons.  The caller
-- audits the answers shown (tafel_info_round_sent) per organisation
-- present, as it does the case.
CREATE OR REPLACE FUNCTION tafel_render_info_round_beamer(x jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE WHEN coalesce((a ->> 'connected')::boolean, false)
	    THEN x || jsonb_build_object('persons', '[]'::jsonb,
		'identifying', false, 'started_by_name', '',
		'asked', CASE WHEN coalesce(a -> 'cats' ? 'case_summary', false)
		    THEN coalesce((SELECT jsonb_agg(e || '{"note": "",
		    "answered_by_name": ""}'::jsonb ORDER BY i)
		    FROM jsonb_array_elements(x -> 'asked')
			WITH ORDINALITY AS t(e, i)), '[]'::jsonb)
		    ELSE '[]'::jsonb END,
		'answers_hidden', NOT coalesce(a -> 'cats' ? 'case_summary', false)
		    AND jsonb_array_length(coalesce(x -> 'asked', '[]')) > 0)
		-- no answers shown, no red: nothing counted overdue
		|| CASE WHEN coalesce(a -> 'cats' ? 'case_summary', false)
		    THEN '{}'::jsonb ELSE '{"overdue_count": 0}'::jsonb END
	    END
$$;

-- What a rendered round r on the shared screen disclosed, for the audit of
-- the rendering ({case id: ["case_summary"]} when it shows an answer, else
-- {}), merged into its "sent" (tafel_sent_merge).
CREATE OR REPLACE FUNCTION tafel_info_round_sent(r jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = public AS $$
	SELECT CASE WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(
	    coalesce(r -> 'asked', '[]')) e WHERE e ->> 'answer' <> 'pending')
	    THEN jsonb_build_object(r ->> 'case_id', '["case_summary"]'::jsonb)
	    ELSE '{}'::jsonb END
$$;
