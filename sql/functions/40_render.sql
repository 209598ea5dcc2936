-- Redaction per viewer: pure functions of an object and an access object
-- (tafel_access / tafel_beamer_access), tafel_render for Event-shaped
-- objects (with the read audit), and the skeleton the change log keeps for
-- routing.
--
-- The small pure helpers that tafel_render calls per element (kind, case
-- id, visibility and redaction of items, actions, contributions) have no
-- SET search_path: a SET clause keeps PostgreSQL from inlining a SQL
-- function, and 500 action points made 3,500 separate calls.  They read no
-- table and call only functions of this file; their callers pin
-- search_path, and tafel_app may execute none of them.

-- "Jeroen van Dijk" -> "J. v. D.": the first character of every word
-- (a run of non-space), joined by one space.  Two regular expressions
-- and no subquery or SET, so that PostgreSQL inlines it into
-- tafel_redact_person (a subquery over regexp_split_to_table cost some
-- 50 microseconds a name); tests/sql/27 asserts it equals that.
CREATE OR REPLACE FUNCTION tafel_initials(p_name text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT btrim(regexp_replace(regexp_replace(coalesce(p_name, ''),
	    '(\S)\S*', '\1.', 'g'), '\s+', ' ', 'g'), ' ')
$$;

CREATE OR REPLACE FUNCTION tafel_redact_person(p jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT p || jsonb_build_object(
	    'name', CASE WHEN a -> 'cats' ? 'person_names' THEN p -> 'name'
		ELSE to_jsonb(tafel_initials(p ->> 'name')) END,
	    'birth_date', CASE WHEN a -> 'cats' ? 'birth_dates'
		THEN coalesce(p -> 'birth_date', '""') ELSE '""' END)
$$;

CREATE OR REPLACE FUNCTION tafel_redact_case(c jsonb, a jsonb)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
BEGIN
	RETURN (SELECT c || jsonb_build_object(
		    'summary', CASE WHEN a -> 'cats' ? 'case_summary'
			THEN coalesce(c -> 'summary', '""') ELSE '""' END,
		    'persons', coalesce((SELECT jsonb_agg(tafel_redact_person(p, a)
			ORDER BY i) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(
			    c -> 'persons') = 'array' THEN c -> 'persons' ELSE '[]' END)
			WITH ORDINALITY AS t(p, i)), '[]'::jsonb),
		    'redacted', coalesce(a ->> 'reason', '') <> '',
		    'redaction_reason', coalesce(a ->> 'reason', ''),
		    'hidden_categories', to_jsonb(ARRAY(SELECT x
			FROM unnest(tafel_all_categories()) WITH ORDINALITY t(x, i)
			WHERE NOT a -> 'cats' ? x ORDER BY i)),
		    -- the chair's own view only (the shared screen's access
		    -- has a beamer_reason but no beamer_redacted: 9.3)
		    'beamer_redacted', coalesce((a ->> 'beamer_redacted')::boolean, false),
		    'beamer_reason', CASE WHEN (a ->> 'beamer_redacted')::boolean
			THEN coalesce(a ->> 'beamer_reason', '') ELSE '' END)
		    -- intake and routing (0008): texts like the summary; the earlier-
		    -- cases flag only where the access says this viewer may see
		    -- a matching case (tafel_access_earlier), never from the match
		    -- alone
		    || CASE WHEN a -> 'cats' ? 'case_summary' THEN '{}'::jsonb
			ELSE '{"reason": "", "closing_reason": "", "evaluation": ""}'::jsonb
			END
		    || CASE WHEN a -> 'cats' ? 'person_names'
			AND coalesce((a ->> 'earlier')::boolean, false)
			THEN '{}'::jsonb
			ELSE '{"earlier_discussed": false}'::jsonb END
		    -- a clock's note is free text (tafel_redact_clocks,
		    -- 17_prep_base.sql); the clock itself is never hidden
		    || CASE WHEN jsonb_typeof(c -> 'clocks') = 'array'
			THEN jsonb_build_object('clocks', tafel_redact_clocks(
			    c -> 'clocks', a -> 'cats' ? 'free_text'))
			ELSE '{}'::jsonb END);
END
$$;

-- A contribution's texts: with case_summary, or for its own organisation.
CREATE OR REPLACE FUNCTION tafel_contribution_visible(x jsonb, a jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT a -> 'cats' ? 'case_summary'
	    OR (coalesce((a ->> 'org')::bigint, 0) <> 0
		AND (x ->> 'org_id')::bigint = (a ->> 'org')::bigint)
$$;

CREATE OR REPLACE FUNCTION tafel_redact_item(it jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN a -> 'cats' ? 'free_text' THEN it
	    ELSE it || '{"decision": ""}'::jsonb END
$$;

-- An action point: in full with free_text, or for its own organisation.
CREATE OR REPLACE FUNCTION tafel_action_visible(x jsonb, a jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT a -> 'cats' ? 'free_text'
	    OR (coalesce((a ->> 'org')::bigint, 0) <> 0
		AND (x ->> 'owner_org_id')::bigint = (a ->> 'org')::bigint)
$$;

CREATE OR REPLACE FUNCTION tafel_redact_action(x jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN tafel_action_visible(x, a) THEN x
	    ELSE x || '{"description": "", "completion_note": ""}'::jsonb END
$$;

-- tafel_redact_obj leaves the object as it is (true only where that is
-- certain; tafel_render keeps an array whose every element is kept and
-- left as it is without aggregating it again).  tests/sql/27 asserts it.
CREATE OR REPLACE FUNCTION tafel_redact_keeps(p_kind text, x jsonb, a jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind WHEN 'action' THEN tafel_action_visible(x, a)
	    WHEN 'item' THEN a -> 'cats' ? 'free_text'
	    ELSE false END
$$;

-- The categories a case object carries (tafel_sent_categories).
CREATE OR REPLACE FUNCTION tafel_sent_case_categories(x jsonb, a jsonb)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
BEGIN
	RETURN (SELECT array_remove(ARRAY[
		    CASE WHEN jsonb_typeof(x -> 'persons') = 'array'
			AND jsonb_array_length(x -> 'persons') > 0
			AND a -> 'cats' ? 'person_names' THEN 'person_names' END,
		    CASE WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN
			jsonb_typeof(x -> 'persons') = 'array' THEN x -> 'persons'
			ELSE '[]' END) p WHERE coalesce(p ->> 'birth_date', '') <> '')
			AND a -> 'cats' ? 'birth_dates' THEN 'birth_dates' END,
		    -- every case_summary text of the case (docs/protocol.md 9.1)
		    CASE WHEN (coalesce(x ->> 'summary', '') <> ''
			OR coalesce(x ->> 'reason', '') <> ''
			OR coalesce(x ->> 'closing_reason', '') <> ''
			OR coalesce(x ->> 'evaluation', '') <> '')
			AND a -> 'cats' ? 'case_summary' THEN 'case_summary' END,
		    -- a clock's note (17_prep_base.sql)
		    CASE WHEN tafel_clocks_have_note(x -> 'clocks')
			AND a -> 'cats' ? 'free_text' THEN 'free_text' END], NULL));
END
$$;

-- The categories of personal data an object carries to the viewer: what
-- it holds that the access lets through (for an action point and a
-- contribution: when tafel_action_visible / tafel_contribution_visible
-- let it through).  Without a subquery (and without SET) so that
-- PostgreSQL inlines it; a case's persons need one (tafel_sent_case_categories).
CREATE OR REPLACE FUNCTION tafel_sent_categories(p_kind text, x jsonb, a jsonb)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind
	    WHEN 'case' THEN tafel_sent_case_categories(x, a)
	    WHEN 'person' THEN array_remove(ARRAY[
		CASE WHEN a -> 'cats' ? 'person_names' THEN 'person_names' END,
		CASE WHEN coalesce(x ->> 'birth_date', '') <> ''
		    AND a -> 'cats' ? 'birth_dates' THEN 'birth_dates' END], NULL)
	    WHEN 'item' THEN array_remove(ARRAY[
		CASE WHEN coalesce(x ->> 'decision', '') <> ''
		    AND a -> 'cats' ? 'free_text' THEN 'free_text' END], NULL)
	    WHEN 'contribution' THEN array_remove(ARRAY[CASE WHEN
		tafel_contribution_visible(x, a)
		AND (coalesce(x ->> 'facts', '') <> ''
		    OR coalesce(x ->> 'judgement', '') <> '')
		THEN 'case_summary' END], NULL)
	    WHEN 'goal' THEN array_remove(ARRAY[
		CASE WHEN coalesce(x ->> 'description', '') <> ''
		    AND a -> 'cats' ? 'free_text' THEN 'free_text' END], NULL)
	    WHEN 'action' THEN array_remove(ARRAY[CASE WHEN
		tafel_action_visible(x, a)
		AND (coalesce(x ->> 'description', '') <> ''
		    OR coalesce(x ->> 'completion_note', '') <> '')
		THEN 'free_text' END], NULL)
	    ELSE '{}'::text[] END
$$;

-- The case id an object belongs to.
CREATE OR REPLACE FUNCTION tafel_obj_case(p_kind text, x jsonb)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_kind = 'case' THEN (x ->> 'id')::bigint
	    ELSE (x ->> 'case_id')::bigint END
$$;

-- The kind of the objects under a key of an Event-shaped object.
CREATE OR REPLACE FUNCTION tafel_key_kind(p_key text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_key WHEN 'case' THEN 'case' WHEN 'cases' THEN 'case'
	    WHEN 'person' THEN 'person'
	    WHEN 'action_point' THEN 'action' WHEN 'actions' THEN 'action'
	    WHEN 'agenda_items' THEN 'item' WHEN 'history' THEN 'item'
	    WHEN 'contribution' THEN 'contribution'
	    WHEN 'contributions' THEN 'contribution'
	    WHEN 'goal' THEN 'goal' WHEN 'goals' THEN 'goal'
	    WHEN 'person_link' THEN 'link' WHEN 'links' THEN 'link' END
$$;

CREATE OR REPLACE FUNCTION tafel_redact_obj(p_kind text, x jsonb, a jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind WHEN 'case' THEN tafel_redact_case(x, a)
	    WHEN 'person' THEN tafel_redact_person(x, a)
	    WHEN 'action' THEN tafel_redact_action(x, a)
	    WHEN 'item' THEN tafel_redact_item(x, a)
	    WHEN 'contribution' THEN CASE WHEN tafel_contribution_visible(x, a)
		THEN x ELSE x || '{"facts": "", "judgement": ""}'::jsonb END
	    WHEN 'goal' THEN CASE WHEN a -> 'cats' ? 'free_text' THEN x
		ELSE x || '{"description": ""}'::jsonb END
	    ELSE x END
$$;

-- A person link is only ever shown to a viewer who knows both cases.
CREATE OR REPLACE FUNCTION tafel_link_visible(p_user_id bigint, x jsonb)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce((tafel_access(p_user_id,
	    (x ->> 'other_case_id')::bigint) ->> 'connected')::boolean, false)
$$;

-- Two {case id: [categories]} objects merged (tafel_render's record of
-- what was sent); cases with no category left out.
CREATE OR REPLACE FUNCTION tafel_sent_merge(a jsonb, b jsonb)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
BEGIN
	RETURN (SELECT coalesce(jsonb_object_agg(k, v), '{}') FROM (
		    SELECT x.k, jsonb_agg(DISTINCT x.c) AS v FROM (
			SELECT t.key AS k, c FROM jsonb_each(coalesce(a, '{}')) t
			CROSS JOIN LATERAL jsonb_array_elements(t.value) c
			UNION ALL
			SELECT t.key, c FROM jsonb_each(coalesce(b, '{}')) t
			CROSS JOIN LATERAL jsonb_array_elements(t.value) c) x
		    GROUP BY x.k) y);
END
$$;

-- One audit entry: a row in audit_log, or, while the push collects
-- (tafel.audit_collect = on, set by tafel_events_for and
-- tafel_events_for_viewer in 70_push.sql), an element of the JSON array
-- in tafel.audit_pending that the push turns into disclosures
-- (audit_disclosures, 0012) for every viewer of the class at once.
CREATE OR REPLACE FUNCTION tafel_audit_add(p_user bigint, p_org bigint,
    p_case bigint, p_cats text[], p_meeting bigint, p_context text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF current_setting('tafel.audit_collect', true) = 'on' THEN
		PERFORM set_config('tafel.audit_pending', (coalesce(nullif(
		    current_setting('tafel.audit_pending', true), ''), '[]')::jsonb
		    || jsonb_build_array(jsonb_build_object('org_id', p_org,
			'case_id', p_case, 'categories', to_jsonb(p_cats),
			'meeting_id', coalesce(p_meeting, 0),
			'context', p_context)))::text, true);
		RETURN;
	END IF;
	INSERT INTO audit_log (user_id, org_id, case_id, categories,
	    meeting_id, context)
	VALUES (p_user, p_org, p_case, p_cats, p_meeting, p_context);
END
$$;

-- Several audit entries of one user at once (tafel_render): p_rows is a
-- JSON array of {org_id, case_id, categories, meeting_id, context}; one
-- INSERT into audit_log (a case list's into audit_disclosures, 0026), or,
-- while the push collects, appended to tafel.audit_pending like
-- tafel_audit_add.
CREATE OR REPLACE FUNCTION tafel_audit_add_many(p_user bigint, p_rows jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	IF p_rows IS NULL OR jsonb_array_length(p_rows) = 0 THEN
		RETURN;
	END IF;
	IF current_setting('tafel.audit_collect', true) = 'on' THEN
		PERFORM set_config('tafel.audit_pending', (coalesce(nullif(
		    current_setting('tafel.audit_pending', true), ''), '[]')::jsonb
		    || (SELECT jsonb_agg(e || jsonb_build_object('meeting_id',
			coalesce((e ->> 'meeting_id')::bigint, 0)) ORDER BY i)
			FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS t(e, i)))
		    ::text, true);
		RETURN;
	END IF;
	INSERT INTO audit_log (user_id, org_id, case_id, categories,
	    meeting_id, context)
	SELECT p_user, (e ->> 'org_id')::bigint, (e ->> 'case_id')::bigint,
	    ARRAY(SELECT jsonb_array_elements_text(e -> 'categories')),
	    (e ->> 'meeting_id')::bigint, e ->> 'context'
	FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS t(e, i)
	WHERE e ->> 'context' <> 'case_list'
	ORDER BY t.i;
	-- a case list's reads as disclosures (0026): one row per case, day
	-- and organisation, counted, in key order (concurrent lists of one
	-- user lock the rows in the same order)
	INSERT INTO audit_disclosures AS d (user_id, case_id, day, meeting_id,
	    org_id, context, categories, first_at, last_at, count)
	SELECT p_user, x.case_id, (now() AT TIME ZONE 'Europe/Amsterdam')::date,
	    0, x.org_id, 'case_list', tafel_cats_sorted(x.cats), now(), now(), 1
	FROM (SELECT (e ->> 'case_id')::bigint AS case_id,
		(e ->> 'org_id')::bigint AS org_id,
		array_agg(DISTINCT c) AS cats
	    FROM jsonb_array_elements(p_rows) e,
		jsonb_array_elements_text(e -> 'categories') c
	    WHERE e ->> 'context' = 'case_list'
	    GROUP BY 1, 2) x
	ORDER BY x.case_id, x.org_id
	ON CONFLICT (user_id, case_id, day, meeting_id, org_id, context)
	DO UPDATE SET last_at = greatest(d.last_at, excluded.last_at),
	    count = d.count + 1,
	    categories = tafel_cats_sorted(d.categories || excluded.categories);
END
$$;

-- Who a rendering's audit names (tafel_audit_sent): per case of p_sent
-- with any category, the viewer's organisation, or on the shared screen
-- of p_pres_meeting every organisation present, the chair's and the
-- presenter's; numbered in order of case and organisation.
CREATE OR REPLACE FUNCTION tafel_audit_rows(u users,
    p_pres_meeting bigint, p_audit_meeting bigint, p_context text,
    p_sent jsonb)
RETURNS TABLE (n bigint, org_id bigint, case_id bigint, categories text[],
    meeting_id bigint, context text)
LANGUAGE plpgsql STABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN QUERY
	SELECT row_number() OVER (ORDER BY e.key::bigint, o.org_id), o.org_id,
	    e.key::bigint, e.cats,
	    CASE WHEN coalesce(p_pres_meeting, 0) > 0 THEN p_pres_meeting
		ELSE nullif(p_audit_meeting, 0) END,
	    CASE WHEN coalesce(p_pres_meeting, 0) > 0 THEN 'beamer'
		ELSE p_context END
	FROM (SELECT t.key, tafel_cats_sorted(ARRAY(
	    SELECT jsonb_array_elements_text(t.value))) AS cats
	    FROM jsonb_each(coalesce(p_sent, '{}')) t) e
	CROSS JOIN LATERAL (SELECT u.org_id
	    WHERE coalesce(p_pres_meeting, 0) = 0
	    UNION SELECT a2.org_id FROM attendance a2
	    WHERE coalesce(p_pres_meeting, 0) > 0
		AND a2.meeting_id = p_pres_meeting AND a2.present
	    UNION SELECT cu.org_id FROM meetings m
	    JOIN users cu ON cu.id = m.chair_id
	    WHERE coalesce(p_pres_meeting, 0) > 0 AND m.id = p_pres_meeting
	    UNION SELECT u.org_id WHERE coalesce(p_pres_meeting, 0) > 0) o
	WHERE cardinality(e.cats) > 0;
END
$$;

-- The audit of a rendering for u that sent p_sent ({case id: [categories]}),
-- written by tafel_render and the snapshot: one row per case with any
-- category, for the user's organisation, or on the shared screen of
-- p_pres_meeting for every organisation present there; in order of case
-- and organisation.  One
-- INSERT, or, while the push collects, tafel_audit_add_many's pending list
-- (a case list's: its disclosures, 0026).
CREATE OR REPLACE FUNCTION tafel_audit_sent(u users, p_pres_meeting bigint,
    p_audit_meeting bigint, p_context text, p_sent jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	IF p_sent IS NULL OR p_sent = '{}'::jsonb THEN
		RETURN;
	END IF;
	-- collected by the push, or a case list's (disclosures, 0026)
	IF current_setting('tafel.audit_collect', true) = 'on'
	    OR p_context = 'case_list' THEN
		PERFORM tafel_audit_add_many(u.id, (SELECT jsonb_agg(
		    jsonb_build_object('org_id', x.org_id, 'case_id', x.case_id,
			'categories', to_jsonb(x.categories),
			'meeting_id', x.meeting_id, 'context', x.context) ORDER BY x.n)
		    FROM tafel_audit_rows(u, p_pres_meeting,
			p_audit_meeting, p_context, p_sent) x));
		RETURN;
	END IF;
	INSERT INTO audit_log (user_id, org_id, case_id, categories,
	    meeting_id, context)
	SELECT u.id, x.org_id, x.case_id, x.categories, x.meeting_id, x.context
	FROM tafel_audit_rows(u, p_pres_meeting, p_audit_meeting,
	    p_context, p_sent) x
	ORDER BY x.n;
END
$$;

-- An agenda proposal (57_prep.sql) as p_user_id may see it: its reason
-- earlier_discussed only when that viewer sees the match as well (the names
-- and birth dates of the case and of the other case, tafel_access_earlier;
-- docs/security.md rule 7); otherwise the reason is left out without a
-- trace, as list_proposals leaves it out.  A decline's answer and event
-- carry the proposal as every decider's list would show it.
CREATE OR REPLACE FUNCTION tafel_proposal_for(p_user_id bigint, p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
	v_case text := p ->> 'case_id';
BEGIN
	IF NOT coalesce(p -> 'reasons', '[]') @> '[{"code": "earlier_discussed"}]'
	    OR coalesce((tafel_access_earlier(p_user_id, jsonb_build_object(
		v_case, tafel_access(p_user_id, v_case::bigint))) -> v_case
		->> 'earlier')::boolean, false) THEN
		RETURN p;
	END IF;
	RETURN p || jsonb_build_object('reasons', coalesce((SELECT
	    jsonb_agg(r ORDER BY i) FROM jsonb_array_elements(p -> 'reasons')
	    WITH ORDINALITY AS t(r, i)
	    WHERE r ->> 'code' <> 'earlier_discussed'), '[]'));
END
$$;

-- The meetings of agenda items (an event's agenda_items) whose items the
-- viewer may not be sent, in id order: those of a meeting the viewer may
-- not see (tafel_may_see_meeting), and on a shared screen (p_pres_meeting
-- > 0) every meeting but the one shown.  tafel_render leaves their items
-- out and records the list in tafel.render_inputs; tafel_render_inputs
-- (70_push.sql) computes it the same way.  p_known: what the caller
-- already had tafel_may_see_meeting answer for this viewer, {meeting id:
-- boolean} (the event's own meeting, whose items most events carry: one
-- query less per rendering).
DROP FUNCTION IF EXISTS tafel_items_hidden(users, jsonb, bigint);
CREATE OR REPLACE FUNCTION tafel_items_hidden(u users, p_items jsonb,
    p_pres_meeting bigint, p_known jsonb)
RETURNS bigint[] LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT ARRAY(SELECT s.mid FROM (SELECT DISTINCT
		(e ->> 'meeting_id')::bigint AS mid
		FROM jsonb_array_elements(p_items) e) s
	    WHERE s.mid IS NOT NULL AND NOT CASE
		WHEN coalesce(p_pres_meeting, 0) > 0 THEN s.mid = p_pres_meeting
		ELSE coalesce((p_known ->> s.mid::text)::boolean,
		    tafel_may_see_meeting(u, s.mid)) END
	    ORDER BY s.mid)
$$;

-- Renders an Event-shaped object (keys among meeting, attendance,
-- agenda_items, case, person, action_point, actions, and for the reads
-- cases and history) for one viewer, and writes the audit rows.
--
--   p_pres_meeting  > 0: the shared screen of that meeting (p_viewer is the
--                   presenter); audit rows per present organisation.
--   p_beamer_meeting > 0: add beamer_redacted/beamer_reason to cases (the
--                   chair's view of that meeting).
--   p_context       audit_log.context, or NULL for no audit.
--   p_drop          leave out what the viewer may not see at all (objects
--                   of cases they have no connection to, a meeting they may
--                   not see); NULL when nothing is left.  A removed agenda
--                   item is never dropped: its case may no longer be
--                   connected, but the viewer must learn that it is gone.
CREATE OR REPLACE FUNCTION tafel_render(p_viewer bigint, p_pres_meeting bigint,
    p_beamer_meeting bigint, p_obj jsonb, p_context text,
    p_audit_meeting bigint, p_drop boolean)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	u users;
	v_acc jsonb := '{}';
	v_sent jsonb := '{}';
	v_out jsonb;
	-- the output's keys and values, made into one object at the end: a
	-- growing object extended with || is copied whole at every key
	v_keys text[] := '{}';
	v_vals jsonb[] := '{}';
	v_ids bigint[];
	v_key text;
	v_val jsonb;
	v_kind text;
	v_arr jsonb;
	v_el jsonb;
	a jsonb;
	v_nom jsonb;
	-- who may see the meetings named (tafel.render_inputs)
	v_see jsonb := '{}';
	v_seen boolean;
	v_hidden bigint[];
	v_known jsonb := '{}';	-- {meeting id: seen}, for tafel_items_hidden
BEGIN
	IF p_obj IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM users WHERE id = p_viewer;
	IF NOT FOUND OR u.disabled THEN
		RETURN NULL;
	END IF;

	-- the access of every case concerned, once
	SELECT array_agg(DISTINCT x) INTO v_ids FROM (
	    SELECT tafel_obj_case(tafel_key_kind(k), e) x
	    FROM jsonb_each(p_obj) AS t(k, v)
	    CROSS JOIN LATERAL jsonb_array_elements(CASE
		WHEN jsonb_typeof(v) = 'array' THEN v
		WHEN jsonb_typeof(v) = 'object' THEN jsonb_build_array(v)
		ELSE '[]' END) e
	    WHERE tafel_key_kind(k) IS NOT NULL) s
	WHERE x IS NOT NULL;
	-- many cases (a snapshot, a list): the access of all of them per
	-- viewer in one query; an event's one or two: one by one
	-- (tafel_cases_access, 62_bulk.sql)
	v_acc := tafel_cases_access(u.id, p_pres_meeting, p_beamer_meeting, v_ids);

	-- The push gives this rendering to other organisations' classes with
	-- the same inputs (tafel.render_inputs below; tafel_push_events): a
	-- key whose rendering depends on the viewer in any other way (the
	-- person, as nominations and info rounds do) must be among the keys
	-- tafel_push_events never shares (v_share), or its dependence be
	-- recorded in the inputs.
	FOR v_key, v_val IN SELECT key, value FROM jsonb_each(p_obj) LOOP
		v_kind := tafel_key_kind(v_key);
		IF v_key IN ('meeting', 'attendance') THEN
			IF p_drop AND coalesce(p_pres_meeting, 0) = 0 THEN
				v_seen := tafel_may_see_meeting(u, coalesce(
				    (v_val ->> 'meeting_id')::bigint,
				    (v_val ->> 'id')::bigint));
				v_see := v_see || jsonb_build_object(v_key, v_seen);
				IF coalesce(v_val ->> 'meeting_id', v_val ->> 'id')
				    IS NOT NULL THEN
					v_known := v_known || jsonb_build_object(coalesce(
					    v_val ->> 'meeting_id', v_val ->> 'id'), v_seen);
				END IF;
				CONTINUE WHEN NOT v_seen;
			END IF;
			v_keys := v_keys || v_key;
			v_vals := v_vals || v_val;
		ELSIF v_key IN ('nomination', 'nominations') THEN
			-- who sees a nomination is its own rule (56_planning.sql);
			-- never on the shared screen
			CONTINUE WHEN coalesce(p_pres_meeting, 0) > 0;
			v_arr := '[]';
			FOR v_el IN SELECT e FROM jsonb_array_elements(CASE
			    WHEN jsonb_typeof(v_val) = 'array' THEN v_val
			    ELSE jsonb_build_array(v_val) END)
			    WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
				a := tafel_access(u.id, (v_el ->> 'case_id')::bigint);
				v_nom := tafel_redact_nomination(u, v_el, a);
				IF v_nom IS NULL AND p_drop THEN
					CONTINUE;
				END IF;
				v_nom := coalesce(v_nom, v_el || jsonb_build_object(
				    'reason', '', 'decline_reason', '', 'redacted', true));
				IF v_nom ->> 'reason' <> '' OR v_nom ->> 'decline_reason' <> ''
				THEN
					v_sent := v_sent || jsonb_build_object(
					    v_el ->> 'case_id', coalesce(v_sent -> (v_el ->> 'case_id'),
						'[]') || '["free_text"]'::jsonb);
				END IF;
				v_arr := v_arr || jsonb_build_array(v_nom);
			END LOOP;
			IF jsonb_typeof(v_val) = 'array' THEN
				v_keys := v_keys || v_key;
				v_vals := v_vals || v_arr;
			ELSIF jsonb_array_length(v_arr) > 0 THEN
				v_keys := v_keys || v_key;
				v_vals := v_vals || (v_arr -> 0);
			END IF;
		ELSIF v_key = 'agenda_published' THEN
			-- publishing's notice (57_prep.sql): who may see the meeting
			v_seen := tafel_may_see_meeting(u,
			    (v_val ->> 'meeting_id')::bigint);
			v_see := v_see || jsonb_build_object(v_key, v_seen);
			CONTINUE WHEN NOT v_seen;
			v_keys := v_keys || v_key;
			v_vals := v_vals || v_val;
		ELSIF v_key = 'proposal' THEN
			-- an agenda proposal (57_prep.sql): the chair's, never on
			-- the shared screen
			CONTINUE WHEN coalesce(p_pres_meeting, 0) > 0;
			CONTINUE WHEN NOT EXISTS (SELECT 1 FROM meetings m
			    WHERE m.id = (v_val ->> 'meeting_id')::bigint
				AND (tafel_may_chair(u, m)
				    OR tafel_may_decide_nomination(u, m.series_id)));
			-- a proposal only by a match this decider may not see
			-- is not one for them
			v_val := tafel_proposal_for(u.id, v_val);
			CONTINUE WHEN jsonb_array_length(v_val -> 'reasons') = 0;
			v_keys := v_keys || v_key;
			v_vals := v_vals || v_val;
		ELSIF v_key IN ('info_round', 'info_rounds') THEN
			-- the info round's own rule, with its own audit
			-- (17_prep_base.sql); on the shared screen only the answers
			-- (bekend / niet bekend), when the room is connected to the
			-- case (tafel_render_info_round_beamer)
			v_arr := '[]';
			FOR v_el IN SELECT e FROM jsonb_array_elements(CASE
			    WHEN jsonb_typeof(v_val) = 'array' THEN v_val
			    ELSE jsonb_build_array(v_val) END)
			    WITH ORDINALITY AS t(e, i) ORDER BY i LOOP
				IF coalesce(p_pres_meeting, 0) > 0 THEN
					v_nom := tafel_render_info_round_beamer(v_el,
					    coalesce(v_acc -> (v_el ->> 'case_id'),
						tafel_beamer_access(p_pres_meeting, u.id,
						    (v_el ->> 'case_id')::bigint)));
					v_sent := tafel_sent_merge(v_sent,
					    tafel_info_round_sent(v_nom));
				ELSE
					v_nom := tafel_render_info_round(u, v_el,
					    tafel_access(u.id, (v_el ->> 'case_id')::bigint),
					    p_context, p_audit_meeting);
				END IF;
				CONTINUE WHEN v_nom IS NULL;
				v_arr := v_arr || jsonb_build_array(v_nom);
			END LOOP;
			IF jsonb_typeof(v_val) = 'array' THEN
				v_keys := v_keys || v_key;
				v_vals := v_vals || v_arr;
			ELSIF jsonb_array_length(v_arr) > 0 THEN
				v_keys := v_keys || v_key;
				v_vals := v_vals || (v_arr -> 0);
			END IF;
		ELSIF v_kind IS NULL THEN
			v_keys := v_keys || v_key;
			v_vals := v_vals || v_val;
		ELSIF jsonb_typeof(v_val) = 'object' THEN
			a := v_acc -> (tafel_obj_case(v_kind, v_val)::text);
			IF a IS NULL OR (p_drop AND NOT (a ->> 'connected')::boolean) THEN
				CONTINUE;
			END IF;
			IF v_kind = 'link' AND (coalesce(p_pres_meeting, 0) > 0
			    OR NOT tafel_link_visible(u.id, v_val)) THEN
				CONTINUE;
			END IF;
			v_keys := v_keys || v_key;
			v_vals := v_vals || tafel_redact_obj(v_kind, v_val, a);
			v_sent := v_sent || jsonb_build_object(
			    tafel_obj_case(v_kind, v_val)::text,
			    coalesce(v_sent -> (tafel_obj_case(v_kind, v_val)::text), '[]')
			    || to_jsonb(tafel_sent_categories(v_kind, v_val, a)));
		ELSIF jsonb_typeof(v_val) = 'array' THEN
			-- agenda items of a meeting the viewer may not see are left
			-- out, as its `meeting` is (an event about a case on the
			-- viewer's agenda also carries its items, and decisions, in
			-- other meetings: only those of meetings the viewer may see,
			-- as get_case's history); on the shared screen only the
			-- shown meeting's.  Removed ones too: the viewer holds none.
			IF v_key = 'agenda_items' AND p_drop THEN
				-- (jsonb_each gives 'meeting' before 'agenda_items':
				-- shorter keys first)
				v_hidden := tafel_items_hidden(u, v_val, p_pres_meeting,
				    v_known);
				v_see := v_see || jsonb_build_object('agenda_items',
				    to_jsonb(v_hidden));
				IF cardinality(v_hidden) > 0 THEN
					v_val := (SELECT coalesce(jsonb_agg(e ORDER BY i),
					    '[]'::jsonb)
					    FROM jsonb_array_elements(v_val)
						WITH ORDINALITY AS t(e, i)
					    WHERE NOT ((e ->> 'meeting_id')::bigint
						= ANY (v_hidden)));
					CONTINUE WHEN jsonb_array_length(v_val) = 0;
				END IF;
			END IF;
			-- set-based: the kept elements redacted in order, and the
			-- categories sent per case (a loop appending to a jsonb
			-- array copies it each time: quadratic for 500 actions)
			WITH s AS (
				SELECT t.i, t.e,
				    v_acc -> (tafel_obj_case(v_kind, t.e)::text) AS a
				FROM jsonb_array_elements(v_val) WITH ORDINALITY AS t(e, i)),
			f AS (
				-- a removed agenda item is sent even though its case
				-- may no longer be connected: else the viewer would
				-- keep it
				SELECT s.i, s.e, s.a FROM s
				WHERE s.a IS NOT NULL
				    AND (NOT coalesce(p_drop, false)
					OR (s.a ->> 'connected')::boolean
					OR (v_kind = 'item'
					    AND coalesce((s.e ->> 'removed')::boolean, false)))
				    AND NOT (v_kind = 'link'
					AND (coalesce(p_pres_meeting, 0) > 0
					    OR NOT tafel_link_visible(u.id, s.e))))
			-- every element kept and left as it is (a viewer who may
			-- see all of it): the array itself, not aggregated again
			SELECT CASE WHEN (SELECT count(*) FILTER (WHERE
				tafel_redact_keeps(v_kind, f.e, f.a)) FROM f)
				= jsonb_array_length(v_val) THEN v_val
			    ELSE (SELECT coalesce(jsonb_agg(tafel_redact_obj(v_kind,
				f.e, f.a) ORDER BY f.i), '[]'::jsonb) FROM f) END,
			    (SELECT coalesce(jsonb_object_agg(z.cid, z.cats), '{}')
				FROM (SELECT tafel_obj_case(v_kind, f.e)::text AS cid,
				    jsonb_agg(DISTINCT c) AS cats
				    FROM f CROSS JOIN LATERAL unnest(
					tafel_sent_categories(v_kind, f.e, f.a)) c
				    GROUP BY 1) z)
			INTO v_arr, v_el;
			v_sent := tafel_sent_merge(v_sent, v_el);
			IF p_drop AND jsonb_array_length(v_arr) = 0
			    AND jsonb_array_length(v_val) > 0 THEN
				CONTINUE;
			END IF;
			v_keys := v_keys || v_key;
			v_vals := v_vals || v_arr;
		ELSE
			v_keys := v_keys || v_key;
			v_vals := v_vals || v_val;
		END IF;
	END LOOP;

	-- what the rendering was decided from, when the push asks
	-- (tafel_events_for shares it between classes with the same inputs)
	IF current_setting('tafel.render_inputs', true) = 'want' THEN
		PERFORM set_config('tafel.render_inputs', jsonb_build_array(
		    u.roles, u.org_id, coalesce(p_pres_meeting, 0),
		    coalesce(p_beamer_meeting, 0), v_see, v_acc)::text, true);
	END IF;
	IF p_drop AND cardinality(v_keys) = 0 AND p_obj <> '{}'::jsonb THEN
		RETURN NULL;
	END IF;

	-- the audit: one row per case that got any personal data (on the
	-- shared screen: per organisation present), all in one statement
	IF p_context IS NOT NULL THEN
		PERFORM tafel_audit_sent(u, p_pres_meeting, p_audit_meeting,
		    p_context, v_sent);
	END IF;
	SELECT coalesce(jsonb_object_agg(k, v), '{}') INTO v_out
	FROM unnest(v_keys, v_vals) AS t(k, v);
	RETURN v_out;
END
$$;

CREATE OR REPLACE FUNCTION tafel_skeleton_obj(p_kind text, x jsonb)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (
	SELECT CASE p_kind
	    WHEN 'case' THEN x || jsonb_build_object('summary', '', 'reason', '',
		'closing_reason', '', 'evaluation', '')
		|| CASE WHEN jsonb_typeof(x -> 'clocks') = 'array'
		    THEN jsonb_build_object('clocks',
			tafel_redact_clocks(x -> 'clocks', false))
		    ELSE '{}'::jsonb END
		|| CASE WHEN jsonb_typeof(x -> 'persons') = 'array'
		    THEN jsonb_build_object('persons', coalesce((SELECT jsonb_agg(
			p || '{"name": "", "birth_date": ""}'::jsonb ORDER BY i)
			FROM jsonb_array_elements(x -> 'persons')
			WITH ORDINALITY AS t(p, i)), '[]'::jsonb))
		    ELSE '{}'::jsonb END
	    WHEN 'person' THEN x || '{"name": "", "birth_date": ""}'::jsonb
	    WHEN 'item' THEN x || '{"decision": ""}'::jsonb
	    WHEN 'action' THEN x || '{"description": "", "completion_note": ""}'::jsonb
	    WHEN 'contribution' THEN x || '{"facts": "", "judgement": ""}'::jsonb
	    WHEN 'goal' THEN x || '{"description": ""}'::jsonb
	    ELSE x END);
END
$$;

CREATE OR REPLACE FUNCTION tafel_skeleton(p_payload jsonb, p_case_id bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = public
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN (
	SELECT coalesce(jsonb_object_agg(k, CASE
	    WHEN k = 'nomination' AND jsonb_typeof(v) = 'object'
		THEN v || '{"reason": "", "decline_reason": ""}'::jsonb
	    -- the info round's identifying data and notes; a declined
	    -- proposal's reason (0010, 57_prep.sql)
	    WHEN k = 'info_round' AND jsonb_typeof(v) = 'object'
		THEN v || jsonb_build_object('persons', '[]'::jsonb, 'asked',
		    coalesce((SELECT jsonb_agg(e || '{"note": ""}'::jsonb ORDER BY i)
		    FROM jsonb_array_elements(v -> 'asked') WITH ORDINALITY
		    AS t(e, i)), '[]'::jsonb))
	    WHEN k = 'proposal' AND jsonb_typeof(v) = 'object'
		THEN v || '{"decline_reason": ""}'::jsonb
	    -- an inbox entry (0011) carries its action point
	    WHEN k = 'inbox_entry' AND jsonb_typeof(v -> 'action_point') = 'object'
		THEN v || jsonb_build_object('action_point',
		    tafel_skeleton_obj('action', v -> 'action_point'))
	    WHEN tafel_key_kind(k) IS NULL THEN v
	    WHEN jsonb_typeof(v) = 'object' THEN CASE
		WHEN p_case_id IS NULL
		    OR tafel_obj_case(tafel_key_kind(k), v) = p_case_id
		THEN tafel_skeleton_obj(tafel_key_kind(k), v) ELSE v END
	    WHEN jsonb_typeof(v) = 'array' THEN coalesce((SELECT jsonb_agg(CASE
		WHEN p_case_id IS NULL
		    OR tafel_obj_case(tafel_key_kind(k), e) = p_case_id
		THEN tafel_skeleton_obj(tafel_key_kind(k), e) ELSE e END
		ORDER BY i) FROM jsonb_array_elements(v) WITH ORDINALITY AS t(e, i)),
		'[]'::jsonb)
	    ELSE v END), '{}'::jsonb)
	FROM jsonb_each(p_payload) AS t(k, v)
	-- a match follow-up's cause is for the rendering only
	WHERE k <> 'match_of');
END
$$;

-- Maps a write's response (or a CONFLICT's current record) onto an
-- Event-shaped object, renders it for the user, and maps it back.
CREATE OR REPLACE FUNCTION tafel_render_record(p_user_id bigint, p_kind text,
    p_obj jsonb, p_context text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	r jsonb;
BEGIN
	IF p_obj IS NULL OR jsonb_typeof(p_obj) <> 'object' THEN
		RETURN p_obj;
	END IF;
	CASE p_kind
	WHEN 'case' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object('case', p_obj),
		    p_context, 0, false) -> 'case';
	WHEN 'person' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object('person',
		    p_obj), p_context, 0, false) -> 'person';
	WHEN 'action' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object(
		    'action_point', p_obj), p_context,
		    coalesce((p_obj ->> 'meeting_id')::bigint, 0), false)
		    -> 'action_point';
	WHEN 'item' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object(
		    'agenda_items', jsonb_build_array(p_obj)), p_context,
		    coalesce((p_obj ->> 'meeting_id')::bigint, 0), false)
		    -> 'agenda_items' -> 0;
	WHEN 'nomination' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object('nomination',
		    p_obj), p_context, 0, false) -> 'nomination';
	WHEN 'agenda' THEN
		r := tafel_render(p_user_id, 0, 0, jsonb_build_object('agenda_items',
		    coalesce(p_obj -> 'items', '[]')), p_context,
		    coalesce((p_obj ->> 'meeting_id')::bigint, 0), false);
		RETURN p_obj || jsonb_build_object('items', r -> 'agenda_items');
	WHEN 'contribution', 'goal' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object(p_kind,
		    p_obj), p_context, 0, false) -> p_kind;
	WHEN 'inbox' THEN
		RETURN tafel_render_inbox(p_user_id, p_obj, p_context);
	WHEN 'link' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object(
		    'person_link', p_obj), p_context, 0, false) -> 'person_link';
	WHEN 'info_round' THEN
		RETURN tafel_render(p_user_id, 0, 0, jsonb_build_object('info_round',
		    p_obj), p_context, 0, false) -> 'info_round';
	WHEN 'proposal' THEN
		RETURN tafel_proposal_for(p_user_id, p_obj);
	ELSE
		RETURN p_obj;
	END CASE;
END
$$;

-- A CONFLICT's DETAIL {"current_<record>": {...}} redacted for the user.
CREATE OR REPLACE FUNCTION tafel_render_conflict(p_user_id bigint, p_detail jsonb,
    p_context text)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	k text;
	v jsonb;
BEGIN
	IF p_detail IS NULL OR jsonb_typeof(p_detail) <> 'object' THEN
		RETURN p_detail;
	END IF;
	SELECT key, value INTO k, v FROM jsonb_each(p_detail) LIMIT 1;
	RETURN jsonb_build_object(k, tafel_render_record(p_user_id, CASE k
	    WHEN 'current_case' THEN 'case' WHEN 'current_person' THEN 'person'
	    WHEN 'current_action_point' THEN 'action'
	    WHEN 'current_agenda_item' THEN 'item' ELSE 'other' END, v,
	    p_context));
END
$$;

-- An update request carries the whole record: fields the user cannot see
-- (they got "" or initials) are kept as they are, not overwritten.
CREATE OR REPLACE FUNCTION tafel_keep_hidden(u users, p_op text, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	a jsonb;
	c cases;
	p persons;
	ap action_points;
	v_p jsonb;
BEGIN
	IF p_op = 'update_case' THEN
		SELECT * INTO c FROM cases WHERE id = tafel_arg_id(p_args, 'id');
		IF FOUND THEN
			a := tafel_access(u.id, c.id);
			IF NOT a -> 'cats' ? 'case_summary' THEN
				RETURN p_args || jsonb_build_object('summary', c.summary);
			END IF;
		END IF;
	ELSIF p_op = 'update_person'
	    AND jsonb_typeof(p_args -> 'person') = 'object' THEN
		v_p := p_args -> 'person';
		SELECT * INTO p FROM persons
		WHERE id = tafel_arg_id(v_p, 'id', 'person.id');
		IF FOUND THEN
			a := tafel_access(u.id, p.case_id);
			IF NOT a -> 'cats' ? 'person_names' THEN
				v_p := v_p || jsonb_build_object('name', p.name);
			END IF;
			IF NOT a -> 'cats' ? 'birth_dates' THEN
				v_p := v_p || jsonb_build_object('birth_date',
				    tafel_datestr(p.birth_date));
			END IF;
			RETURN p_args || jsonb_build_object('person', v_p);
		END IF;
	ELSIF p_op = 'update_action' THEN
		SELECT * INTO ap FROM action_points WHERE id = tafel_arg_id(p_args, 'id');
		IF FOUND THEN
			a := tafel_access(u.id, ap.case_id);
			IF NOT tafel_action_visible(jsonb_build_object('owner_org_id',
			    ap.owner_org_id), a) THEN
				RETURN p_args || jsonb_build_object('description',
				    ap.description);
			END IF;
		END IF;
	END IF;
	RETURN p_args;
END
$$;
