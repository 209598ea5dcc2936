-- The covenant's access rules: which categories of personal data a user
-- may see of a case and why not (tafel_access), the shared screen's
-- intersection (tafel_beamer_access), and the helpers of the row-level
-- security policies (90_grants.sql).

-- A constant without SET: PostgreSQL inlines it (the redaction asked for
-- it some ten times per rendering, each a call of its own).
CREATE OR REPLACE FUNCTION tafel_all_categories()
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['person_names', 'birth_dates', 'case_summary', 'free_text']
$$;

-- p_cats in the canonical order (tafel_all_categories), without unknown
-- words.  PL/pgSQL, one expression: a SQL function called in a statement
-- is planned again at every execution of that statement (some 35
-- microseconds; the push's audit calls it per disclosure row), and
-- PostgreSQL inlines a SQL function only where its argument is cheap.
CREATE OR REPLACE FUNCTION tafel_cats_sorted(p_cats text[])
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN array_remove(ARRAY[
	    CASE WHEN 'person_names' = ANY (p_cats) THEN 'person_names' END,
	    CASE WHEN 'birth_dates' = ANY (p_cats) THEN 'birth_dates' END,
	    CASE WHEN 'case_summary' = ANY (p_cats) THEN 'case_summary' END,
	    CASE WHEN 'free_text' = ANY (p_cats) THEN 'free_text' END]::text[],
	    NULL);
END
$$;

-- The categories an organisation may see when it sees a case at all: none
-- without the covenant; its own org_data_access rows if it has any; else
-- its kind's defaults.
CREATE OR REPLACE FUNCTION tafel_org_categories(p_org_id bigint)
RETURNS text[] LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (SELECT tafel_cats_sorted(CASE
	    WHEN NOT o.covenant_signed THEN '{}'::text[]
	    WHEN EXISTS (SELECT 1 FROM org_data_access x WHERE x.org_id = o.id)
		THEN ARRAY(SELECT x.category FROM org_data_access x
		    WHERE x.org_id = o.id)
	    ELSE ARRAY(SELECT k.category FROM kind_data_access k
		WHERE k.kind = o.kind) END)
	FROM organisations o WHERE o.id = p_org_id);
END
$$;

-- Involved: the submitter, the owner of an action point on the case, or
-- listed in case_involved_orgs.
CREATE OR REPLACE FUNCTION tafel_org_involved(p_org_id bigint, p_case_id bigint)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (SELECT EXISTS (SELECT 1 FROM cases c
		WHERE c.id = p_case_id AND c.submitter_org_id = p_org_id)
	    OR EXISTS (SELECT 1 FROM case_involved_orgs i
		WHERE i.case_id = p_case_id AND i.org_id = p_org_id)
	    OR EXISTS (SELECT 1 FROM action_points a
		WHERE a.case_id = p_case_id AND a.owner_org_id = p_org_id));
END
$$;

-- May organisation p_org_id know that case p_case_id exists, as an
-- organisation (an inbox notice to it names the case: a clock's notice,
-- 57_prep.sql; the lead and case manager notices, 0021): it is
-- involved (tafel_org_involved), or the case is on the agenda of a meeting
-- of a series it is a member of or that it attended, or was opened there
-- while it was present (tafel_org_opened: also after leaving the agenda).  The users' own
-- connections (a chair's own meeting, an admin) do not count here.
CREATE OR REPLACE FUNCTION tafel_org_connected(p_org_id bigint, p_case_id bigint)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	RETURN tafel_org_involved(p_org_id, p_case_id) OR EXISTS (
	    SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
	    WHERE a.case_id = p_case_id AND (EXISTS (SELECT 1
		    FROM series_members sm
		    WHERE sm.series_id = m.series_id AND sm.org_id = p_org_id)
		OR EXISTS (SELECT 1 FROM attendance at
		    WHERE at.meeting_id = m.id AND at.org_id = p_org_id)))
	    OR tafel_org_opened(p_org_id, p_case_id);
END
$$;

-- Could the user (its id, and its roles and disabling now) read cases at
-- p_at: a role admin, chair or member, and not disabled?  As the first
-- change of those after p_at recorded it (user_read_changes, 0028), else
-- as now.  Presence counts by what the user could when the item was
-- opened: an observer promoted, or an account disabled and enabled again,
-- later does not open what was opened meanwhile.  PL/pgSQL so that its
-- plan is kept for the session: called for every attendance of every
-- opening on the push path, the SQL function with its SET clause was
-- planned anew each time (about a tenth of a push to 101 viewers,
-- docs/benchmarks.md).
CREATE OR REPLACE FUNCTION tafel_could_read(p_user_id bigint, p_roles text[],
    p_disabled boolean, p_at timestamptz)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v boolean;
BEGIN
	SELECT ch.could_read INTO v FROM user_read_changes ch
	WHERE ch.user_id = p_user_id AND ch.at > p_at
	ORDER BY ch.at, ch.id LIMIT 1;
	IF FOUND THEN
		RETURN v;
	END IF;
	RETURN NOT p_disabled AND p_roles && ARRAY['admin', 'chair', 'member'];
END
$$;

-- The case was opened (became current) in a meeting while a member of the
-- organisation was present there: a user who may read cases (admin, chair,
-- member, not disabled) at that moment (tafel_could_read), not an
-- observer, who is shown the pseudonymised view and so earns its
-- organisation nothing (docs/security.md rules 2 and 6).  Every
-- opening counts (agenda_item_openings, 0019: made current again for a
-- partner who arrived late), and the first (agenda_items.opened_at, which
-- also holds those from before 0019).
CREATE OR REPLACE FUNCTION tafel_org_opened(p_org_id bigint, p_case_id bigint)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (SELECT EXISTS (SELECT 1 FROM (SELECT ai.meeting_id, ai.opened_at
		FROM agenda_items ai
		WHERE ai.case_id = p_case_id AND ai.opened_at IS NOT NULL
		UNION ALL
		SELECT o.meeting_id, o.opened_at FROM agenda_item_openings o
		WHERE o.case_id = p_case_id) op
	    JOIN attendance_periods p ON p.meeting_id = op.meeting_id
	    JOIN users pu ON pu.id = p.user_id
	    WHERE p.org_id = p_org_id AND p.arrived_at <= op.opened_at
		AND (p.left_at IS NULL OR op.opened_at < p.left_at)
		AND tafel_could_read(pu.id, pu.roles, pu.disabled,
		    op.opened_at)));
END
$$;

-- What user p_user_id may see of a case:
--   {"cats": [...], "reason": "" | not_involved | not_signatory | observer
--    | category, "org": <the user's organisation: its own action points
--    are shown in full>, "connected": <may know the case exists>}
CREATE OR REPLACE FUNCTION tafel_access(p_user_id bigint, p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	u users;
	o organisations;
	v_involved boolean;
	v_opened boolean;
	v_cats text[] := '{}';
	v_reason text;
	v_connected boolean;
BEGIN
	SELECT * INTO u FROM users WHERE id = p_user_id;
	IF NOT FOUND OR u.disabled THEN
		RETURN jsonb_build_object('cats', '[]'::jsonb, 'reason',
		    'not_involved', 'org', 0, 'connected', false);
	END IF;
	SELECT * INTO o FROM organisations WHERE id = u.org_id;
	-- a process manager of the case's district/theme (0008) is involved
	-- as a person, not their whole organisation
	v_involved := tafel_org_involved(o.id, p_case_id)
	    OR tafel_is_process_manager(u.id, p_case_id);
	-- a case opened at the table while its organisation was present
	-- stays known to it when it leaves the agenda again (0022); asked
	-- once, and only when the involvement does not already decide
	v_opened := NOT v_involved AND tafel_org_opened(o.id, p_case_id);
	v_connected := v_involved OR v_opened OR EXISTS (SELECT 1
	    FROM agenda_items a
	    WHERE a.case_id = p_case_id AND tafel_may_see_meeting(u, a.meeting_id));
	IF NOT u.roles && ARRAY['admin', 'chair', 'member'] THEN
		v_reason := 'observer';
	ELSIF NOT o.covenant_signed THEN
		v_reason := 'not_signatory';
	ELSIF NOT (v_involved OR v_opened) THEN
		v_reason := 'not_involved';
	ELSE
		v_cats := tafel_org_categories(o.id);
		v_reason := CASE WHEN v_cats @> tafel_all_categories() THEN ''
		    ELSE 'category' END;
	END IF;
	RETURN jsonb_build_object('cats', to_jsonb(v_cats), 'reason', v_reason,
	    'org', o.id, 'connected', v_connected);
END
$$;

-- May user p_user_id know that case p_case_id exists (a connection,
-- docs/protocol.md 9.2)?  Roles do not count: an admin or a chair without
-- a connection gets NOT_FOUND for the case from reads and writes alike, as
-- for an id that does not exist (docs/security.md rule 3).
CREATE OR REPLACE FUNCTION tafel_case_connected(p_user_id bigint, p_case_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce((tafel_access(p_user_id, p_case_id) ->> 'connected')
	    ::boolean, false)
$$;

-- The earlier-cases flag as a viewer may see it (docs/security.md, rule 7):
-- p_acc is an access map keyed by case id (tafel_cases_access); an entry
-- whose viewer sees the case's names and birth dates gets "earlier": true
-- when a person of it matches one of another recent case that the viewer
-- also sees with names and birth dates (the cases tafel_list_earlier_cases
-- lists).  A match in a case the viewer may not see leaves no trace: no
-- key, and tafel_redact_case then says false.
CREATE OR REPLACE FUNCTION tafel_access_earlier(p_user_id bigint, p_acc jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_full text[] := ARRAY['person_names', 'birth_dates'];
	v_ids bigint[];
	v_yes bigint[];
BEGIN
	v_ids := ARRAY(SELECT t.key::bigint FROM jsonb_each(p_acc) t
	    WHERE t.value -> 'cats' ?& v_full);
	IF cardinality(v_ids) = 0 THEN
		RETURN p_acc;
	END IF;
	-- EXISTS stops at the first match the viewer may see in full
	v_yes := ARRAY(SELECT DISTINCT p.case_id FROM persons p
	    WHERE p.case_id = ANY (v_ids) AND p.birth_date IS NOT NULL
		AND p.name_key <> ''
		AND EXISTS (SELECT 1 FROM persons o
		    JOIN cases oc ON oc.id = o.case_id
		    WHERE o.name_key = p.name_key
			AND o.birth_date = p.birth_date
			AND o.case_id <> p.case_id AND oc.anonymised_at IS NULL
			AND tafel_case_recent(oc)
			AND tafel_access(p_user_id, oc.id) -> 'cats' ?& v_full));
	IF cardinality(v_yes) = 0 THEN
		RETURN p_acc;
	END IF;
	RETURN (SELECT jsonb_object_agg(t.key, CASE WHEN t.key::bigint = ANY (v_yes)
	    THEN t.value || '{"earlier": true}'::jsonb ELSE t.value END)
	    FROM jsonb_each(p_acc) t);
END
$$;

CREATE OR REPLACE FUNCTION tafel_reason_rank(p_reason text)
RETURNS int LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_reason WHEN 'not_open' THEN 5 WHEN 'observer' THEN 4
	    WHEN 'not_signatory' THEN 3 WHEN 'not_involved' THEN 2
	    WHEN 'category' THEN 1 ELSE 0 END
$$;

-- The users whose view a meeting's shared screen must respect: everyone
-- recorded present, the chair, and the presenter.
CREATE OR REPLACE FUNCTION tafel_beamer_viewers(p_meeting_id bigint, p_presenter bigint)
RETURNS SETOF bigint LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
	RETURN QUERY
	SELECT a.user_id FROM attendance a
	WHERE a.meeting_id = p_meeting_id AND a.present
	UNION SELECT m.chair_id FROM meetings m WHERE m.id = p_meeting_id
	UNION SELECT p_presenter WHERE coalesce(p_presenter, 0) <> 0;
END
$$;

-- Is the room in front of a meeting's shared screen unknown?  Before the
-- meeting opens nobody can be recorded present (attendance is recorded
-- only for an open meeting, docs/security.md rules 4 and 6), nor in a
-- cancelled one, yet people gather before the beamer: the screen then
-- shows what anyone may see (beamer_reason 'not_open'), not the chair's
-- own view.  Before, a planned or cancelled meeting's shared screen showed
-- the standing item's action-point texts in full to whoever came in.
CREATE OR REPLACE FUNCTION tafel_beamer_room_unknown(p_meeting_id bigint)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT EXISTS (SELECT 1 FROM meetings m
	    WHERE m.id = p_meeting_id AND m.state IN ('planned', 'cancelled'))
$$;

-- The shared screen's view of a case: the intersection of the views of
-- tafel_beamer_viewers (nothing while the room is unknown:
-- tafel_beamer_room_unknown).  reason 'presentation' when anything is hidden;
-- beamer_reason is the strongest reason of a viewer who lacks something.
-- "org" is 0: no organisation's own action points are shown in full.
-- p_presenter_access: tafel_access(p_presenter, p_case_id) when the caller
-- has it already (each viewer's access is computed once).
CREATE OR REPLACE FUNCTION tafel_beamer_access(p_meeting_id bigint, p_presenter bigint,
    p_case_id bigint, p_presenter_access jsonb DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v_cats text[] := tafel_all_categories();
	v_worst text := '';
	v_user bigint;
	v_pres jsonb := p_presenter_access;
	a jsonb;
	v_a text[];
BEGIN
	FOR v_user IN SELECT * FROM tafel_beamer_viewers(p_meeting_id, p_presenter)
	LOOP
		IF v_user = p_presenter THEN
			v_pres := coalesce(v_pres, tafel_access(v_user, p_case_id));
			a := v_pres;
		ELSE
			a := tafel_access(v_user, p_case_id);
		END IF;
		v_a := ARRAY(SELECT jsonb_array_elements_text(a -> 'cats'));
		v_cats := ARRAY(SELECT c FROM unnest(v_cats) c WHERE c = ANY (v_a));
		IF NOT v_a @> tafel_all_categories()
		    AND tafel_reason_rank(a ->> 'reason') > tafel_reason_rank(v_worst)
		THEN
			v_worst := a ->> 'reason';
		END IF;
	END LOOP;
	IF tafel_beamer_room_unknown(p_meeting_id) THEN
		v_cats := '{}';
		v_worst := 'not_open';
	END IF;
	v_cats := tafel_cats_sorted(v_cats);
	v_pres := coalesce(v_pres, tafel_access(p_presenter, p_case_id));
	RETURN jsonb_build_object('cats', to_jsonb(v_cats),
	    'reason', CASE WHEN v_cats @> tafel_all_categories() THEN ''
		ELSE 'presentation' END,
	    'beamer_reason', CASE WHEN v_cats @> tafel_all_categories() THEN ''
		ELSE v_worst END,
	    'org', 0, 'connected', (v_pres ->> 'connected')::boolean);
END
$$;

-- Row-level security: helpers of the policies (SECURITY DEFINER, for the
-- user in tafel.user_id; nothing without it).
CREATE OR REPLACE FUNCTION tafel_rls_org()
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce((SELECT u.org_id FROM users u
	    WHERE u.id = tafel_rls_user() AND NOT u.disabled), 0)
$$;

CREATE OR REPLACE FUNCTION tafel_rls_case_cats(p_case_id bigint)
RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT CASE WHEN tafel_rls_user() = 0 THEN '{}'::text[]
	    ELSE ARRAY(SELECT jsonb_array_elements_text(
		tafel_access(tafel_rls_user(), p_case_id) -> 'cats')) END
$$;

CREATE OR REPLACE FUNCTION tafel_rls_case_connected(p_case_id bigint)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT tafel_rls_user() <> 0 AND coalesce((tafel_access(tafel_rls_user(),
	    p_case_id) ->> 'connected')::boolean, false)
$$;

CREATE OR REPLACE FUNCTION tafel_rls_meeting_visible(p_meeting_id bigint)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce((SELECT tafel_may_see_meeting(u, p_meeting_id)
	    FROM users u WHERE u.id = tafel_rls_user() AND NOT u.disabled), false)
$$;
