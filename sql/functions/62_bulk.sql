-- Set-based builders for the big reads (a meeting snapshot: 50 cases, 500
-- action points): the same JSON as tafel_json_case / tafel_json_action /
-- tafel_access one by one (20_json.sql, 30_covenant.sql), but one query
-- for all rows instead of a nested function call per row, each of which
-- PostgreSQL plans again.  PL/pgSQL, not SQL: its plan is cached for the
-- session (a SQL function's query is planned at every call: a millisecond
-- for tafel_access_many, which the push calls once per viewer class).
--
-- The functions of the hot paths (these, tafel_access, tafel_render,
-- tafel_snapshot and the push's in 70_push.sql) run with SET
-- plan_cache_mode = force_generic_plan: PL/pgSQL otherwise plans their
-- parametrised queries anew at most calls (a custom plan: 1.5 ms of the
-- 2 ms tafel_access_many took for one case); the tables are small and
-- the generic plans the same.
--
-- tests/sql/27_bulk_builders.sql asserts that they give exactly what the
-- single-row functions give, for every case, action point and user of the
-- demo data; a change to one must be made to the other.

-- The Cases of p_ids, unredacted, as a JSON array in the order of p_ids
-- (ids that do not exist are left out): tafel_json_case for each.
CREATE OR REPLACE FUNCTION tafel_json_cases(p_ids bigint[])
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	-- tafel_case_has_earlier (15_intake_base.sql) for all of them at once,
	-- driven by the cases' own persons
	RETURN (WITH earlier AS (
			SELECT e AS case_id FROM tafel_cases_with_earlier(p_ids) e)
		SELECT coalesce(jsonb_agg(jsonb_build_object(
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
		    'persons', coalesce((SELECT jsonb_agg(jsonb_build_object(
			'id', p.id,
			'case_id', p.case_id,
			'role', p.role,
			'name', p.name,
			'birth_date', coalesce(to_char(p.birth_date, 'YYYY-MM-DD'), ''),
			'version', p.version) ORDER BY p.id)
			FROM persons p WHERE p.case_id = c.id), '[]'::jsonb),
		    'version', c.version,
		    'redacted', false,
		    'redaction_reason', '',
		    'submitter_org_name', so.name,
		    'case_manager_name', coalesce(cm.display_name, ''),
		    'hidden_categories', '[]'::jsonb,
		    'beamer_redacted', false,
		    'beamer_reason', '')
		    || jsonb_build_object(
		    'reason', c.reason,
		    'lead_org_id', coalesce(c.lead_org_id, 0),
		    'lead_org_name', coalesce(lo.name, ''),
		    'end_date', coalesce(to_char(c.end_date, 'YYYY-MM-DD'), ''),
		    'review_date', coalesce(to_char(c.review_date, 'YYYY-MM-DD'), ''),
		    'closing_reason', c.closing_reason,
		    'evaluation', c.evaluation,
		    'earlier_discussed', c.id IN (SELECT e.case_id FROM earlier e),
		    -- tafel_case_process_managers
		    'process_manager_ids', to_jsonb(coalesce((SELECT array_agg(DISTINCT
			pm.user_id ORDER BY pm.user_id) FROM process_managers pm
			JOIN users pu ON pu.id = pm.user_id AND NOT pu.disabled
			WHERE pm.district = c.district
			    AND (pm.theme = '' OR pm.theme = c.theme)), '{}'::bigint[])))
		    || jsonb_build_object(
		    'clocks', CASE WHEN EXISTS (SELECT 1 FROM case_clocks k
			WHERE k.case_id = c.id) THEN tafel_json_case_clocks(c.id)
			ELSE '[]'::jsonb END)
		    ORDER BY t.i), '[]'::jsonb)
		FROM unnest(p_ids) WITH ORDINALITY AS t(id, i)
		JOIN cases c ON c.id = t.id
		JOIN organisations so ON so.id = c.submitter_org_id
		LEFT JOIN users cm ON cm.id = c.case_manager_id
		LEFT JOIN organisations lo ON lo.id = c.lead_org_id);
END
$$;

-- Every ActionPoint of the cases p_case_ids, unredacted, overdue first,
-- then by due date (the snapshot's order): tafel_json_action for each.
CREATE OR REPLACE FUNCTION tafel_json_actions_of(p_case_ids bigint[])
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'id', a.id,
		    'case_id', a.case_id,
		    'meeting_id', coalesce(a.meeting_id, 0),
		    'description', a.description,
		    'owner_org_id', a.owner_org_id,
		    'owner_user_id', coalesce(a.owner_user_id, 0),
		    'due_date', coalesce(to_char(a.due_date, 'YYYY-MM-DD'), ''),
		    'state', a.state,
		    'completion_note', a.completion_note,
		    'version', a.version,
		    'updated_by', coalesce(a.updated_by, 0),
		    'updated_at', CASE WHEN a.updated_at IS NULL THEN 0
			ELSE floor(extract(epoch FROM a.updated_at))::bigint END,
		    'case_number', c.number,
		    'owner_org_name', o.name,
		    'owner_user_name', coalesce(u.display_name, ''),
		    'overdue', a.state = 'open' AND a.due_date < tafel_today(),
		    'goal_id', coalesce(a.goal_id, 0))
		    ORDER BY (a.state = 'open' AND a.due_date < tafel_today()) DESC,
			a.due_date, a.id), '[]'::jsonb)
		FROM action_points a
		JOIN cases c ON c.id = a.case_id
		JOIN organisations o ON o.id = a.owner_org_id
		LEFT JOIN users u ON u.id = a.owner_user_id
		WHERE a.case_id = ANY (p_case_ids));
END
$$;

-- tafel_access(p_user_id, x) for every case x of p_case_ids, as one JSON
-- object keyed by case id; the user's organisation and categories are
-- read once, the meetings of the cases' agenda items checked once each.
-- For a few cases tafel_access one by one is cheaper (this query's fixed
-- cost is about 0.3 ms): tafel_cases_access uses it from 6 cases on, where
-- the two cost the same (warm session, 2026-12-04: 0.10 ms for one case
-- one by one, 0.29 ms here; 0.40 / 0.36 ms for 6, 0.79 / 0.40 ms for 12;
-- it was 16 while its plans were made anew at every call).
CREATE OR REPLACE FUNCTION tafel_access_many(p_user_id bigint,
    p_case_ids bigint[])
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (WITH uo AS (
			SELECT u, o.id AS org, o.covenant_signed,
			    u.roles && ARRAY['admin', 'chair', 'member'] AS member,
			    CASE WHEN o.covenant_signed THEN tafel_org_categories(o.id)
				ELSE '{}'::text[] END AS cats
			FROM users u JOIN organisations o ON o.id = u.org_id
			WHERE u.id = p_user_id AND NOT u.disabled),
		ids AS (
			SELECT DISTINCT x AS cid FROM unnest(p_case_ids) x
			WHERE x IS NOT NULL),
		-- the meetings of the cases' agenda items the user may see
		seen AS (
			SELECT m.mid FROM (SELECT DISTINCT a.meeting_id AS mid
			    FROM agenda_items a JOIN ids ON ids.cid = a.case_id) m
			CROSS JOIN uo WHERE tafel_may_see_meeting(uo.u, m.mid)),
		acc AS (
			SELECT ids.cid, uo.org, uo.member, uo.covenant_signed, uo.cats,
			    -- tafel_org_involved or tafel_is_process_manager
			    (EXISTS (SELECT 1 FROM cases c
				WHERE c.id = ids.cid AND c.submitter_org_id = uo.org)
			    OR EXISTS (SELECT 1 FROM case_involved_orgs i
				WHERE i.case_id = ids.cid AND i.org_id = uo.org)
			    OR EXISTS (SELECT 1 FROM action_points a
				WHERE a.case_id = ids.cid AND a.owner_org_id = uo.org)
			    OR EXISTS (SELECT 1 FROM cases c
				JOIN process_managers pm ON pm.district = c.district
				    AND (pm.theme = '' OR pm.theme = c.theme)
				WHERE c.id = ids.cid AND pm.user_id = (uo.u).id)) AS involved,
			    -- tafel_org_opened
			    EXISTS (SELECT 1 FROM (SELECT ai.meeting_id,
				    ai.opened_at FROM agenda_items ai
				    WHERE ai.case_id = ids.cid
					AND ai.opened_at IS NOT NULL
				    UNION ALL
				    SELECT o.meeting_id, o.opened_at
				    FROM agenda_item_openings o
				    WHERE o.case_id = ids.cid) op
				JOIN attendance_periods p ON p.meeting_id = op.meeting_id
				JOIN users pu ON pu.id = p.user_id
				WHERE p.org_id = uo.org AND p.arrived_at <= op.opened_at
				    AND (p.left_at IS NULL OR op.opened_at < p.left_at)
				    AND tafel_could_read(pu.id, pu.roles, pu.disabled,
					op.opened_at))
				AS opened,
			    EXISTS (SELECT 1 FROM agenda_items a JOIN seen
				ON seen.mid = a.meeting_id WHERE a.case_id = ids.cid)
				AS on_agenda
			FROM ids CROSS JOIN uo)
		SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM uo) THEN (SELECT
		    coalesce(jsonb_object_agg(ids.cid::text, '{"cats": [], "reason":
			"not_involved", "org": 0, "connected": false}'::jsonb), '{}')
		    FROM ids)
		    ELSE (SELECT coalesce(jsonb_object_agg(acc.cid::text,
			jsonb_build_object('cats', to_jsonb(CASE WHEN acc.member
			    AND acc.covenant_signed AND (acc.involved OR acc.opened)
			    THEN acc.cats ELSE '{}'::text[] END),
			'reason', CASE WHEN NOT acc.member THEN 'observer'
			    WHEN NOT acc.covenant_signed THEN 'not_signatory'
			    WHEN NOT (acc.involved OR acc.opened) THEN 'not_involved'
			    WHEN acc.cats @> tafel_all_categories() THEN ''
			    ELSE 'category' END,
			'org', acc.org,
			'connected', acc.involved OR acc.on_agenda OR acc.opened)),
			'{}')
		    FROM acc) END);
END
$$;

-- tafel_beamer_access(p_meeting_id, p_presenter, x, p_presenter_access ->
-- x) for every case x of p_case_ids, as one JSON object keyed by case id:
-- each viewer of the shared screen (tafel_beamer_viewers) has the access
-- of all the cases computed once (tafel_access_many), not once per case.
-- p_presenter_access: tafel_access_many(p_presenter, p_case_ids) when the
-- caller has it already.
CREATE OR REPLACE FUNCTION tafel_beamer_access_many(p_meeting_id bigint,
    p_presenter bigint, p_case_ids bigint[],
    p_presenter_access jsonb DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_ids bigint[] := ARRAY(SELECT DISTINCT x FROM unnest(p_case_ids) x
	    WHERE x IS NOT NULL ORDER BY x);
	v_pres jsonb := coalesce(p_presenter_access,
	    tafel_access_many(p_presenter, v_ids));
	v_viewers jsonb := '[]';
	v_user bigint;
	v_cid bigint;
	v_cats text[];
	v_worst text;
	v_out jsonb := '{}';
	a jsonb;
	v_a text[];
	v_unknown boolean := tafel_beamer_room_unknown(p_meeting_id);
BEGIN
	FOR v_user IN SELECT * FROM tafel_beamer_viewers(p_meeting_id, p_presenter)
	LOOP
		v_viewers := v_viewers || jsonb_build_array(CASE
		    WHEN v_user = p_presenter THEN v_pres
		    ELSE tafel_access_many(v_user, v_ids) END);
	END LOOP;
	FOREACH v_cid IN ARRAY v_ids LOOP
		v_cats := tafel_all_categories();
		v_worst := '';
		FOR a IN SELECT e -> (v_cid::text)
		    FROM jsonb_array_elements(v_viewers) e LOOP
			v_a := ARRAY(SELECT jsonb_array_elements_text(a -> 'cats'));
			v_cats := ARRAY(SELECT c FROM unnest(v_cats) c WHERE c = ANY (v_a));
			IF NOT v_a @> tafel_all_categories()
			    AND tafel_reason_rank(a ->> 'reason')
				> tafel_reason_rank(v_worst) THEN
				v_worst := a ->> 'reason';
			END IF;
		END LOOP;
		IF v_unknown THEN
			v_cats := '{}';
			v_worst := 'not_open';
		END IF;
		v_cats := tafel_cats_sorted(v_cats);
		v_out := v_out || jsonb_build_object(v_cid::text, jsonb_build_object(
		    'cats', to_jsonb(v_cats),
		    'reason', CASE WHEN v_cats @> tafel_all_categories() THEN ''
			ELSE 'presentation' END,
		    'beamer_reason', CASE WHEN v_cats @> tafel_all_categories()
			THEN '' ELSE v_worst END,
		    'org', 0,
		    'connected', (v_pres -> (v_cid::text) ->> 'connected')::boolean));
	END LOOP;
	RETURN v_out;
END
$$;

-- ---------------------------------------------------------------------------
-- The meeting snapshot, built per viewer as JSON text (tafel_snapshot_json,
-- 60_read.sql).  The same bytes as tafel_render over the unredacted
-- builders (tests/sql/29_snapshot_text.sql asserts it for every user,
-- meeting and shared screen, with the audit rows), but in one pass: each
-- part is redacted while it is built, in one query, and made as `json`
-- text, which is copied as it is when nested (a jsonb value is taken apart
-- and serialised again at every level: 1-3 ms per pass over 500 action
-- points), instead of being built unredacted and then taken apart element
-- by element by tafel_render.
-- ---------------------------------------------------------------------------

-- The access of every case of p_ids for a viewer, as tafel_render and the
-- snapshot use it: tafel_access, or tafel_beamer_access for the
-- shared screen of p_pres_meeting, with beamer_redacted/beamer_reason
-- added for the chair's view of p_beamer_meeting; one JSON object keyed by
-- case id.
CREATE OR REPLACE FUNCTION tafel_cases_access(p_viewer bigint,
    p_pres_meeting bigint, p_beamer_meeting bigint, p_ids bigint[])
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_ids bigint[] := (SELECT array_agg(DISTINCT x) FROM unnest(p_ids) x
	    WHERE x IS NOT NULL);
	v_acc jsonb := '{}';
	v_cid bigint;
	a jsonb;
	b jsonb;
BEGIN
	IF coalesce(p_pres_meeting, 0) > 0 AND cardinality(v_ids) >= 16 THEN
		v_acc := tafel_beamer_access_many(p_pres_meeting, p_viewer, v_ids);
	ELSIF coalesce(p_pres_meeting, 0) > 0 THEN
		FOREACH v_cid IN ARRAY coalesce(v_ids, '{}') LOOP
			v_acc := v_acc || jsonb_build_object(v_cid::text,
			    tafel_beamer_access(p_pres_meeting, p_viewer, v_cid));
		END LOOP;
	ELSIF cardinality(v_ids) >= 6 THEN
		v_acc := tafel_access_many(p_viewer, v_ids);
		IF coalesce(p_beamer_meeting, 0) > 0 THEN
			b := tafel_beamer_access_many(p_beamer_meeting, p_viewer, v_ids,
			    v_acc);
			SELECT coalesce(jsonb_object_agg(t.key, t.value
			    || jsonb_build_object(
				'beamer_redacted', b -> t.key ->> 'reason' <> '',
				'beamer_reason', b -> t.key -> 'beamer_reason')), '{}')
			INTO v_acc FROM jsonb_each(v_acc) t;
		END IF;
	ELSIF cardinality(v_ids) > 0 THEN
		FOREACH v_cid IN ARRAY v_ids LOOP
			v_acc := v_acc || jsonb_build_object(v_cid::text,
			    tafel_access(p_viewer, v_cid));
		END LOOP;
		IF coalesce(p_beamer_meeting, 0) > 0 THEN
			FOREACH v_cid IN ARRAY v_ids LOOP
				a := v_acc -> (v_cid::text);
				b := tafel_beamer_access(p_beamer_meeting, p_viewer, v_cid, a);
				v_acc := v_acc || jsonb_build_object(v_cid::text,
				    a || jsonb_build_object(
					'beamer_redacted', b ->> 'reason' <> '',
					'beamer_reason', b -> 'beamer_reason'));
			END LOOP;
		END IF;
	END IF;
	-- the earlier-cases flag this viewer may see (not on a shared screen)
	IF coalesce(p_pres_meeting, 0) = 0 THEN
		v_acc := tafel_access_earlier(p_viewer, v_acc);
	END IF;
	RETURN v_acc;
END
$$;

-- The ActionPoints p_ids (in that order), redacted as tafel_redact_action
-- does with the access p_acc of their cases (tafel_cases_access), as a
-- table {"columns": [field names], "rows": [[values], ...]} (the server's
-- JSON reader takes it for a repeated message, common/pbjson.h: 500
-- action points without their 17 keys each are half the text to make and
-- to parse; tafel_json_table_objects makes it an array of objects); those
-- whose case has no access entry are left out, and with p_drop those whose
-- case is not connected.  sent: {case id: ["free_text"]} for the cases
-- whose descriptions or notes went out (tafel_sent_categories).
CREATE OR REPLACE FUNCTION tafel_snapshot_actions(p_ids bigint[], p_acc jsonb,
    p_drop boolean, OUT actions json, OUT sent jsonb)
LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	WITH acc AS (
		SELECT t.key::bigint AS cid, t.value -> 'cats' ? 'free_text' AS ft,
		    coalesce((t.value ->> 'org')::bigint, 0) AS org,
		    coalesce((t.value ->> 'connected')::boolean, false) AS conn
		FROM jsonb_each(p_acc) t),
	r AS (
		SELECT x.i, a.*, c.number AS case_number, o.name AS owner_org_name,
		    coalesce(u.display_name, '') AS owner_user_name,
		    -- tafel_action_visible
		    acc.ft OR (acc.org <> 0 AND a.owner_org_id = acc.org) AS vis
		FROM unnest(p_ids) WITH ORDINALITY AS x(id, i)
		JOIN action_points a ON a.id = x.id
		JOIN acc ON acc.cid = a.case_id
		JOIN cases c ON c.id = a.case_id
		JOIN organisations o ON o.id = a.owner_org_id
		LEFT JOIN users u ON u.id = a.owner_user_id
		WHERE NOT coalesce(p_drop, false) OR acc.conn)
	SELECT json_build_object('columns', '["id", "case_id", "meeting_id",
	    "description", "owner_org_id", "owner_user_id", "due_date", "state",
	    "completion_note", "version", "updated_by", "updated_at",
	    "case_number", "owner_org_name", "owner_user_name", "overdue",
	    "goal_id"]'::json,
	    'rows', coalesce(json_agg(json_build_array(r.id, r.case_id,
		coalesce(r.meeting_id, 0),
		CASE WHEN r.vis THEN r.description ELSE '' END,
		r.owner_org_id,
		coalesce(r.owner_user_id, 0),
		coalesce(to_char(r.due_date, 'YYYY-MM-DD'), ''),
		r.state,
		CASE WHEN r.vis THEN r.completion_note ELSE '' END,
		r.version,
		coalesce(r.updated_by, 0),
		CASE WHEN r.updated_at IS NULL THEN 0
		    ELSE floor(extract(epoch FROM r.updated_at))::bigint END,
		r.case_number, r.owner_org_name, r.owner_user_name,
		r.state = 'open' AND r.due_date < tafel_today(),
		coalesce(r.goal_id, 0)) ORDER BY r.i), '[]'::json)),
	    coalesce(jsonb_object_agg(DISTINCT r.case_id::text,
		'["free_text"]'::jsonb) FILTER (WHERE r.vis
		AND (r.description <> '' OR r.completion_note <> '')), '{}')
	INTO actions, sent
	FROM r;
END
$$;

-- The unchanging and the redacted parts of a meeting's snapshot for one
-- viewer (p_pres_meeting / p_beamer_meeting as tafel_render takes them),
-- all read in one snapshot of the data: a STABLE function's queries share
-- the snapshot of the statement that calls it, so the seq (the newest
-- change), the access and every part are of one moment.  acc: the access of the
-- agenda's cases (for the info rounds); sent: the categories of personal
-- data that went out, per case, of the cases, items and action points
-- (tafel_sent_categories); open_actions / open_sent: the same for the
-- carried-over action points (tafel_json_carried_over, rendered as
-- tafel_render with p_drop renders them); info_rounds: unrendered.
CREATE OR REPLACE FUNCTION tafel_snapshot_parts(p_viewer bigint,
    p_meeting_id bigint, p_pres_meeting bigint, p_beamer_meeting bigint,
    OUT seq bigint, OUT meeting json, OUT agenda json, OUT cases json, OUT actions json,
    OUT info_rounds jsonb, OUT organisations json, OUT member_org_ids json,
    OUT open_actions json, OUT earlier_meeting_ids json, OUT acc jsonb,
    OUT sent jsonb, OUT open_sent jsonb)
LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_ids bigint[] := ARRAY(SELECT a.case_id FROM agenda_items a
	    WHERE a.meeting_id = p_meeting_id ORDER BY a.position, a.id);
	v_all text[] := tafel_all_categories();
	v_items_sent jsonb;
	v_cases_sent jsonb;
	v_act_sent jsonb;
	v_open bigint[];
BEGIN
	seq := (SELECT coalesce(max(cl.seq), 0) FROM changelog cl);
	acc := tafel_cases_access(p_viewer, p_pres_meeting, p_beamer_meeting,
	    v_ids);
	meeting := tafel_json_meeting(p_meeting_id)::json;

	-- the agenda (tafel_json_items) with tafel_redact_item
	WITH a AS (
		SELECT t.key::bigint AS cid, t.value -> 'cats' ? 'free_text' AS ft
		FROM jsonb_each(acc) t)
	SELECT coalesce(json_agg(json_build_object(
	    'id', i.id,
	    'meeting_id', i.meeting_id,
	    'case_id', i.case_id,
	    'position', i.position,
	    'state', i.state,
	    'decision', CASE WHEN a.ft THEN i.decision ELSE '' END,
	    'version', i.version,
	    'added_after_publication', i.added_after_publication,
	    'decision_changed_after_close', x.changed,
	    'decision_by_name', CASE WHEN x.changed
		THEN coalesce(u.display_name, '') ELSE '' END,
	    'decision_at', CASE WHEN x.changed
		THEN tafel_unix(i.updated_at) ELSE 0 END)
	    ORDER BY i.position, i.id), '[]'::json),
	    coalesce(jsonb_object_agg(DISTINCT i.case_id::text,
		'["free_text"]'::jsonb) FILTER (WHERE a.ft AND i.decision <> ''),
		'{}')
	INTO agenda, v_items_sent
	FROM agenda_items i
	JOIN a ON a.cid = i.case_id
	JOIN meetings m ON m.id = i.meeting_id
	LEFT JOIN users u ON u.id = i.updated_by
	-- tafel_decision_changed_after_close
	CROSS JOIN LATERAL (SELECT coalesce(m.state = 'closed'
	    AND i.updated_at > m.closed_at, false)) x(changed)
	WHERE i.meeting_id = p_meeting_id;

	-- the cases (tafel_json_cases) with tafel_redact_case; their persons
	-- aggregated in one pass, each case a row made into an object
	WITH a AS (
		SELECT t.key::bigint AS cid,
		    ARRAY(SELECT jsonb_array_elements_text(t.value -> 'cats')) AS cats,
		    coalesce(t.value ->> 'reason', '') AS reason,
		    coalesce((t.value ->> 'beamer_redacted')::boolean, false) AS br,
		    -- the chair's own view only (tafel_redact_case)
		    CASE WHEN (t.value ->> 'beamer_redacted')::boolean
			THEN coalesce(t.value ->> 'beamer_reason', '') ELSE '' END
			AS brr,
		    -- tafel_access_earlier: a match this viewer may see
		    coalesce((t.value ->> 'earlier')::boolean, false) AS earlier
		FROM jsonb_each(acc) t),
	ps AS (
		-- tafel_redact_person of each person
		SELECT p.case_id, json_agg(j ORDER BY p.id) AS persons,
		    bool_or(p.birth_date IS NOT NULL) AS has_dates
		FROM persons p
		JOIN a ON a.cid = p.case_id
		CROSS JOIN LATERAL (SELECT p.id, p.case_id, p.role,
		    CASE WHEN 'person_names' = ANY (a.cats) THEN p.name
			ELSE tafel_initials(p.name) END AS name,
		    CASE WHEN 'birth_dates' = ANY (a.cats)
			THEN coalesce(to_char(p.birth_date, 'YYYY-MM-DD'), '')
			ELSE '' END AS birth_date,
		    p.version) j
		WHERE p.case_id = ANY (v_ids)
		GROUP BY p.case_id),
	r AS (
		SELECT t.i, c.*, so.name AS so_name,
		    coalesce(cm.display_name, '') AS cm_name,
		    coalesce(lo.name, '') AS lo_name,
		    a.reason AS a_reason, a.br, a.brr, a.cats, a.earlier,
		    'person_names' = ANY (a.cats) AS pn,
		    'birth_dates' = ANY (a.cats) AS bd,
		    'case_summary' = ANY (a.cats) AS cs,
		    -- any of the case's case_summary texts
		    c.summary <> '' OR coalesce(c.reason, '') <> ''
			OR coalesce(c.closing_reason, '') <> ''
			OR coalesce(c.evaluation, '') <> '' AS texts,
		    ps.persons AS persons_json,
		    ps.case_id IS NOT NULL AS has_persons,
		    coalesce(ps.has_dates, false) AS has_dates,
		    -- the clocks' notes: free_text (tafel_redact_clocks)
		    'free_text' = ANY (a.cats) AS ft,
		    EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id
			AND k.note <> '') AS notes
		FROM unnest(v_ids) WITH ORDINALITY AS t(id, i)
		JOIN cases c ON c.id = t.id
		JOIN a ON a.cid = c.id
		JOIN organisations so ON so.id = c.submitter_org_id
		LEFT JOIN users cm ON cm.id = c.case_manager_id
		LEFT JOIN organisations lo ON lo.id = c.lead_org_id
		LEFT JOIN ps ON ps.case_id = c.id)
	SELECT coalesce(json_agg(j ORDER BY r.i), '[]'::json),
	    -- tafel_sent_case_categories
	    coalesce(jsonb_object_agg(r.id::text, to_jsonb(array_remove(ARRAY[
		CASE WHEN r.has_persons AND r.pn THEN 'person_names' END,
		CASE WHEN r.has_dates AND r.bd THEN 'birth_dates' END,
		CASE WHEN r.texts AND r.cs THEN 'case_summary' END,
		CASE WHEN r.notes AND r.ft THEN 'free_text' END], NULL)))
		FILTER (WHERE (r.has_persons AND r.pn) OR (r.has_dates AND r.bd)
		    OR (r.texts AND r.cs)
		    OR (r.notes AND r.ft)), '{}')
	INTO cases, v_cases_sent
	FROM r CROSS JOIN LATERAL (SELECT r.id, r.number, r.theme, r.approach,
	    r.district, r.submitter_org_id,
	    coalesce(r.submitter_user_id, 0) AS submitter_user_id,
	    coalesce(r.case_manager_id, 0) AS case_manager_id,
	    r.status,
	    CASE WHEN r.cs THEN r.summary ELSE '' END AS summary,
	    coalesce(r.persons_json, '[]'::json) AS persons,
	    r.version,
	    r.a_reason <> '' AS redacted,
	    r.a_reason AS redaction_reason,
	    r.so_name AS submitter_org_name,
	    r.cm_name AS case_manager_name,
	    ARRAY(SELECT x FROM unnest(v_all) WITH ORDINALITY h(x, k)
		WHERE NOT x = ANY (r.cats) ORDER BY k) AS hidden_categories,
	    r.br AS beamer_redacted,
	    r.brr AS beamer_reason,
	    CASE WHEN r.cs THEN r.reason ELSE '' END AS reason,
	    coalesce(r.lead_org_id, 0) AS lead_org_id,
	    r.lo_name AS lead_org_name,
	    coalesce(to_char(r.end_date, 'YYYY-MM-DD'), '') AS end_date,
	    coalesce(to_char(r.review_date, 'YYYY-MM-DD'), '') AS review_date,
	    CASE WHEN r.cs THEN r.closing_reason ELSE '' END AS closing_reason,
	    CASE WHEN r.cs THEN r.evaluation ELSE '' END AS evaluation,
	    r.pn AND r.earlier AS earlier_discussed,
	    -- tafel_case_process_managers
	    coalesce((SELECT array_agg(DISTINCT pm.user_id ORDER BY pm.user_id)
		FROM process_managers pm
		JOIN users pu ON pu.id = pm.user_id AND NOT pu.disabled
		WHERE pm.district = r.district
		    AND (pm.theme = '' OR pm.theme = r.theme)), '{}'::bigint[])
		AS process_manager_ids,
	    CASE WHEN EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = r.id)
		THEN tafel_redact_clocks(tafel_json_case_clocks(r.id), r.ft)::json
		ELSE '[]'::json END AS clocks) j;

	-- every action point of the agenda's cases, overdue first
	SELECT s.actions, s.sent INTO actions, v_act_sent
	FROM tafel_snapshot_actions(ARRAY(SELECT a.id FROM action_points a
	    WHERE a.case_id = ANY (v_ids)
	    ORDER BY (a.state = 'open' AND a.due_date < tafel_today()) DESC,
		a.due_date, a.id), acc, false) s;

	-- the categories sent per case, merged
	SELECT coalesce(jsonb_object_agg(z.k, z.cats), '{}') INTO sent
	FROM (SELECT y.k, jsonb_agg(DISTINCT y.c) AS cats
	    FROM (SELECT t.key AS k, e AS c
		FROM jsonb_each(v_cases_sent || '{}') t,
		    jsonb_array_elements(t.value) e
		UNION ALL SELECT t.key, e FROM jsonb_each(v_items_sent) t,
		    jsonb_array_elements(t.value) e
		UNION ALL SELECT t.key, e FROM jsonb_each(v_act_sent) t,
		    jsonb_array_elements(t.value) e) y
	    GROUP BY y.k) z;

	-- the info rounds of the agenda's cases (0013), newest first
	info_rounds := coalesce((SELECT jsonb_agg(tafel_json_info_round(ir.id)
	    ORDER BY ir.id DESC) FROM info_rounds ir
	    WHERE ir.case_id = ANY (v_ids)), '[]'::jsonb);

	organisations := coalesce((SELECT json_agg(json_build_object(
	    'id', o.id,
	    'name', o.name,
	    'kind', o.kind,
	    'covenant_signed', o.covenant_signed,
	    'covenant_since', coalesce(to_char(o.covenant_since, 'YYYY-MM-DD'), ''))
	    ORDER BY o.name) FROM organisations o), '[]'::json);
	member_org_ids := coalesce((SELECT json_agg(sm.org_id ORDER BY sm.org_id)
	    FROM series_members sm JOIN meetings m ON m.series_id = sm.series_id
	    WHERE m.id = p_meeting_id), '[]'::json);
	earlier_meeting_ids := to_json(tafel_series_earlier_meetings(p_meeting_id));

	-- the standing item "openstaande afspraken" (tafel_json_carried_over),
	-- rendered as tafel_render renders it with p_drop: what the viewer
	-- has no connection to is left out
	v_open := tafel_carried_over_ids(p_meeting_id);
	IF cardinality(v_open) = 0 THEN
		open_actions := '[]'::json;
		open_sent := '{}';
	ELSE
		SELECT s.actions, s.sent INTO open_actions, open_sent
		FROM tafel_snapshot_actions(v_open, tafel_cases_access(p_viewer,
		    p_pres_meeting, p_beamer_meeting, ARRAY(SELECT a.case_id
			FROM action_points a WHERE a.id = ANY (v_open))), true) s;
	END IF;
END
$$;
