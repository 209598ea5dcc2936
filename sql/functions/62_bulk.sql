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
			SELECT DISTINCT p.case_id FROM persons p
			JOIN persons o ON o.name_key = p.name_key
			    AND o.birth_date = p.birth_date AND o.case_id <> p.case_id
			JOIN cases oc ON oc.id = o.case_id
			WHERE p.case_id = ANY (p_ids) AND p.birth_date IS NOT NULL
			    AND p.name_key <> '' AND oc.anonymised_at IS NULL
			    AND (oc.closed_at IS NULL
				OR oc.created_at >= now() - interval '12 months'
				OR oc.closed_at >= now() - interval '12 months'))
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
		    'overdue', a.state = 'open' AND a.due_date < current_date,
		    'goal_id', coalesce(a.goal_id, 0))
		    ORDER BY (a.state = 'open' AND a.due_date < current_date) DESC,
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
-- For a few cases tafel_access one by one is cheaper (planning this query
-- costs more than it saves): tafel_render uses it from 16 cases on.
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
			    EXISTS (SELECT 1 FROM agenda_items ai
				JOIN attendance_periods p ON p.meeting_id = ai.meeting_id
				WHERE ai.case_id = ids.cid AND ai.opened_at IS NOT NULL
				    AND p.org_id = uo.org AND p.arrived_at <= ai.opened_at
				    AND (p.left_at IS NULL OR ai.opened_at < p.left_at))
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
			'connected', acc.involved OR acc.on_agenda)), '{}')
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
