-- Intake, routing and the plan of approach (0008): the write ops
-- add/update_contribution, add/update_goal, link_persons, update_routing,
-- plan_mdo; the routing conditions of move_case; the reads
-- list_earlier_cases and the cases subscription's snapshot; the persons'
-- name key trigger; tafelctl's process-manager functions.
-- docs/protocol.md section 7.6 is the contract.

-- ---------------------------------------------------------------------------
-- The persons' name key (tafel_name_key, 15_intake_base.sql)
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_person_name_key()
RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	NEW.name_key := tafel_name_key(NEW.name);
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER persons_name_key BEFORE INSERT OR UPDATE OF name
	ON persons FOR EACH ROW EXECUTE FUNCTION tafel_person_name_key();

-- Keys computed by an earlier version of tafel_name_key (or before 0008)
-- follow the current one.
UPDATE persons SET name_key = tafel_name_key(name)
WHERE name_key IS DISTINCT FROM tafel_name_key(name);

-- ---------------------------------------------------------------------------
-- JSON builders
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_json_contribution(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', x.id,
	    'case_id', x.case_id,
	    'org_id', x.org_id,
	    'org_name', o.name,
	    'author_id', x.author_id,
	    'author_name', coalesce(a.display_name, ''),
	    'facts', x.facts,
	    'judgement', x.judgement,
	    'created_at', tafel_unix(x.created_at),
	    'updated_at', tafel_unix(x.updated_at),
	    'version', x.version)
	FROM contributions x
	JOIN organisations o ON o.id = x.org_id
	LEFT JOIN users a ON a.id = x.author_id
	WHERE x.id = p_id
$$;

CREATE OR REPLACE FUNCTION tafel_json_goal(p_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', g.id,
	    'case_id', g.case_id,
	    'description', g.description,
	    'position', g.position,
	    'achieved', g.achieved,
	    'version', g.version,
	    'actions_open', (SELECT count(*) FROM action_points a
		WHERE a.goal_id = g.id AND a.state = 'open'
		    AND a.due_date >= tafel_today()),
	    'actions_done', (SELECT count(*) FROM action_points a
		WHERE a.goal_id = g.id AND a.state = 'done'),
	    'actions_overdue', (SELECT count(*) FROM action_points a
		WHERE a.goal_id = g.id AND a.state = 'open'
		    AND a.due_date < tafel_today()),
	    'actions_cancelled', (SELECT count(*) FROM action_points a
		WHERE a.goal_id = g.id AND a.state = 'cancelled'))
	FROM case_goals g WHERE g.id = p_id
$$;

-- A person link seen from case p_case_id (its person first).
CREATE OR REPLACE FUNCTION tafel_json_link(p_id bigint, p_case_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT jsonb_build_object(
	    'id', l.id,
	    'case_id', CASE WHEN mine_a THEN pa.case_id ELSE pb.case_id END,
	    'person_id', CASE WHEN mine_a THEN pa.id ELSE pb.id END,
	    'other_case_id', oc.id,
	    'other_case_number', oc.number,
	    'other_person_id', CASE WHEN mine_a THEN pb.id ELSE pa.id END,
	    'created_by', l.created_by,
	    'created_at', tafel_unix(l.created_at))
	FROM person_links l
	JOIN persons pa ON pa.id = l.person_a
	JOIN persons pb ON pb.id = l.person_b
	CROSS JOIN LATERAL (SELECT pa.case_id = p_case_id AS mine_a) s
	JOIN cases oc ON oc.id = CASE WHEN mine_a THEN pb.case_id
	    ELSE pa.case_id END
	WHERE l.id = p_id
$$;

CREATE OR REPLACE FUNCTION tafel_json_case_contributions(p_case_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_contribution(x.id) ORDER BY x.id),
	    '[]'::jsonb)
	FROM contributions x WHERE x.case_id = p_case_id
$$;

CREATE OR REPLACE FUNCTION tafel_json_case_goals(p_case_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_goal(g.id) ORDER BY g.position),
	    '[]'::jsonb)
	FROM case_goals g WHERE g.case_id = p_case_id
$$;

CREATE OR REPLACE FUNCTION tafel_json_case_links(p_case_id bigint)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(jsonb_agg(tafel_json_link(l.id, p_case_id) ORDER BY l.id),
	    '[]'::jsonb)
	FROM person_links l
	WHERE EXISTS (SELECT 1 FROM persons p WHERE p.case_id = p_case_id
	    AND p.id IN (l.person_a, l.person_b))
$$;

-- ---------------------------------------------------------------------------
-- Routing: the fields and the conditions of a move
-- ---------------------------------------------------------------------------

-- What case p_case_id still lacks for a move into p_to
-- (case_status_requirements), in the table's order.
CREATE OR REPLACE FUNCTION tafel_case_missing(p_case_id bigint, p_to text)
RETURNS text[] LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT coalesce(array_agg(r.requirement ORDER BY r.ordinal), '{}')
	FROM case_status_requirements r
	JOIN cases c ON c.id = p_case_id
	WHERE r.status = p_to AND NOT CASE r.requirement
	    WHEN 'lead_org' THEN c.lead_org_id IS NOT NULL
	    WHEN 'case_manager' THEN c.case_manager_id IS NOT NULL
	    WHEN 'goal' THEN EXISTS (SELECT 1 FROM case_goals g
		WHERE g.case_id = c.id)
	    WHEN 'end_date' THEN c.end_date IS NOT NULL
	    WHEN 'closing_reason' THEN tafel_trim(c.closing_reason) <> ''
	    WHEN 'evaluation' THEN tafel_trim(c.evaluation) <> ''
	    ELSE false END
$$;

-- Refuses (TF018, DETAIL {"missing": [...]}) a move the case is not ready for.
CREATE OR REPLACE FUNCTION tafel_case_require(p_case_id bigint, p_to text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_missing text[] := tafel_case_missing(p_case_id, p_to);
BEGIN
	IF cardinality(v_missing) > 0 THEN
		PERFORM tafel_raise('TF018', format('cannot move to %s: missing %s',
		    p_to, array_to_string(v_missing, ', ')), 'to',
		    jsonb_build_object('missing', to_jsonb(v_missing))::text);
	END IF;
END
$$;

-- Stores the routing fields of p_args on case c: all of them (p_whole,
-- update_routing; a closing reason or evaluation the user may not see
-- keeps its value) or only those given (move_case).  No version bump.
-- A new case manager involves their organisation in the case
-- (docs/security.md rule 2), as giving it an action point does: the
-- person who coordinates the case must see it.  Returns whether that made
-- an organisation newly involved (the caller's change then carries the
-- case's action points, tafel_involved_payload).
DROP FUNCTION IF EXISTS tafel_routing_apply(users, cases, jsonb, boolean);
CREATE OR REPLACE FUNCTION tafel_routing_apply(u users, c cases, p_args jsonb,
    p_whole boolean)
RETURNS boolean LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_new_org int := 0;
	v_lead bigint := tafel_arg_id(p_args, 'lead_org_id');
	v_cm bigint := tafel_arg_id(p_args, 'case_manager_id');
	v_end date := tafel_arg_date(p_args, 'end_date');
	v_review date := tafel_arg_date(p_args, 'review_date');
	v_reason text := tafel_trim(tafel_arg_text(p_args, 'closing_reason'));
	v_eval text := tafel_trim(tafel_arg_text(p_args, 'evaluation'));
BEGIN
	IF v_lead <> 0 AND NOT EXISTS (SELECT 1 FROM organisations
	    WHERE id = v_lead) THEN
		PERFORM tafel_raise('TF016', 'organisation not found',
		    'lead_org_id');
	END IF;
	IF v_cm <> 0 AND NOT EXISTS (SELECT 1 FROM users
	    WHERE id = v_cm AND NOT disabled) THEN
		PERFORM tafel_raise('TF016', 'case manager not found',
		    'case_manager_id');
	END IF;
	IF p_whole AND v_end IS NOT NULL AND v_review > v_end THEN
		PERFORM tafel_raise('TF014', 'review_date is after end_date',
		    'review_date');
	END IF;
	IF p_whole THEN
		IF NOT tafel_access(u.id, c.id) -> 'cats' ? 'case_summary' THEN
			v_reason := c.closing_reason;
			v_eval := c.evaluation;
		END IF;
		UPDATE cases SET lead_org_id = nullif(v_lead, 0),
		    case_manager_id = nullif(v_cm, 0), end_date = v_end,
		    review_date = v_review, closing_reason = v_reason,
		    evaluation = v_eval
		WHERE id = c.id;
	ELSE
		UPDATE cases SET
		    lead_org_id = coalesce(nullif(v_lead, 0), lead_org_id),
		    case_manager_id = coalesce(nullif(v_cm, 0), case_manager_id),
		    end_date = coalesce(v_end, end_date),
		    closing_reason = coalesce(nullif(v_reason, ''), closing_reason),
		    evaluation = coalesce(nullif(v_eval, ''), evaluation)
		WHERE id = c.id;
	END IF;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	SELECT c.id, cm.org_id, u.id FROM cases n
	JOIN users cm ON cm.id = n.case_manager_id
	WHERE n.id = c.id AND n.case_manager_id IS DISTINCT FROM c.case_manager_id
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_new_org = ROW_COUNT;
	PERFORM tafel_routing_notices(u, c);
	RETURN v_new_org > 0;
END
$$;

-- The inbox notices of a routing change (0021) to case c (its row before
-- the change): the organisation newly given the lead (lead_assigned,
-- naming the case manager when that person belongs to it) and a new case
-- manager (case_manager_assigned, to that person and organisation), each
-- only where the organisation may know the case exists
-- (tafel_org_connected): a notice names the case.  Nobody is told of
-- what they did to themselves.
CREATE OR REPLACE FUNCTION tafel_routing_notices(u users, c cases)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	n cases;
	v_cm users;
	v_cm_told boolean := false;
BEGIN
	SELECT * INTO n FROM cases WHERE id = c.id;
	SELECT * INTO v_cm FROM users WHERE id = n.case_manager_id;
	IF n.lead_org_id IS DISTINCT FROM c.lead_org_id
	    AND n.lead_org_id IS NOT NULL AND n.lead_org_id <> u.org_id
	    AND tafel_org_connected(n.lead_org_id, c.id) THEN
		-- the case manager is named (and so told) when new to the case
		-- and of the lead organisation
		v_cm_told := v_cm.org_id = n.lead_org_id
		    AND v_cm.id IS DISTINCT FROM c.case_manager_id;
		PERFORM tafel_inbox_notice('lead_assigned', c.id, NULL,
		    n.lead_org_id, CASE WHEN v_cm.org_id = n.lead_org_id
			THEN v_cm.id END, u.id);
	END IF;
	IF v_cm.id IS NOT NULL AND v_cm.id IS DISTINCT FROM c.case_manager_id
	    AND v_cm.id <> u.id AND NOT v_cm_told
	    AND tafel_org_connected(v_cm.org_id, c.id) THEN
		PERFORM tafel_inbox_notice('case_manager_assigned', c.id, NULL,
		    v_cm.org_id, v_cm.id, u.id);
	END IF;
END
$$;

-- update_routing: UpdateRoutingRequest -> Case
CREATE OR REPLACE FUNCTION tafel_op_update_routing(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases := tafel_case_for_change(u, p_args, true);
	v_new_org boolean;
	v_json jsonb;
BEGIN
	v_new_org := tafel_routing_apply(u, c, p_args, true);
	UPDATE cases SET version = version + 1, updated_at = now(),
	    updated_by = u.id
	WHERE id = c.id;
	v_json := tafel_json_case(c.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}', tafel_involved_payload(
	    c.id, v_new_org, jsonb_build_object('case', v_json), 0));
	IF v_new_org THEN	-- "eerder besproken" of matched cases
		PERFORM tafel_log_match_changes(u.id, c.id, '{}');
	END IF;
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- Contributions
-- ---------------------------------------------------------------------------

-- The case of p_field, which the user must know of (a connection,
-- tafel_case_connected; else NOT_FOUND, whatever the user's roles).
-- p_message: the NOT_FOUND's message, which a record of the case reached
-- by its own id (a goal, a clock, an info round) gives as for an id that
-- does not exist ("goal not found"), so that the two cannot be told apart.
DROP FUNCTION IF EXISTS tafel_known_case(users, bigint, text);
CREATE OR REPLACE FUNCTION tafel_known_case(u users, p_case_id bigint,
    p_field text, p_message text DEFAULT 'case not found')
RETURNS cases LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	c cases;
BEGIN
	SELECT * INTO c FROM cases WHERE id = p_case_id;
	IF NOT FOUND OR NOT tafel_case_connected(u.id, c.id) THEN
		PERFORM tafel_raise('TF016', p_message, p_field);
	END IF;
	RETURN c;
END
$$;

-- add_contribution: AddContributionRequest -> Contribution.  The
-- contributing organisation becomes involved in the case.
CREATE OR REPLACE FUNCTION tafel_op_add_contribution(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases := tafel_known_case(u, tafel_arg_id(p_args, 'case_id'), 'case_id');
	v_id bigint;
	v_new_org int;
	v_json jsonb;
BEGIN
	IF tafel_trim(tafel_arg_text(p_args, 'facts')) = ''
	    AND tafel_trim(tafel_arg_text(p_args, 'judgement')) = '' THEN
		PERFORM tafel_raise('TF011', 'a contribution needs facts or a '
		    || 'judgement', 'facts');
	END IF;
	INSERT INTO contributions (case_id, org_id, author_id, facts, judgement,
	    updated_by)
	VALUES (c.id, u.org_id, u.id, tafel_arg_text(p_args, 'facts'),
	    tafel_arg_text(p_args, 'judgement'), u.id)
	RETURNING id INTO v_id;
	INSERT INTO case_involved_orgs (case_id, org_id, added_by)
	VALUES (c.id, u.org_id, u.id) ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_new_org = ROW_COUNT;

	v_json := tafel_json_contribution(v_id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}', tafel_involved_payload(
	    c.id, v_new_org > 0, jsonb_build_object('contribution', v_json), 0));
	IF v_new_org > 0 THEN	-- "eerder besproken" of matched cases
		PERFORM tafel_log_match_changes(u.id, c.id, '{}');
	END IF;
	RETURN v_json;
END
$$;

-- update_contribution: UpdateContributionRequest -> Contribution; only the
-- contributing organisation (or an admin).  No current record on CONFLICT.
CREATE OR REPLACE FUNCTION tafel_op_update_contribution(p_user_id bigint,
    p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	x contributions;
	v_facts text := tafel_arg_text(p_args, 'facts');
	v_judgement text := tafel_arg_text(p_args, 'judgement');
	v_json jsonb;
BEGIN
	SELECT * INTO x FROM contributions
	WHERE id = tafel_arg_id(p_args, 'id') FOR UPDATE;
	-- an admin too only on a case it is connected to (protocol.md 9.2)
	IF NOT FOUND OR NOT (x.org_id = u.org_id OR (tafel_is_admin(u)
	    AND tafel_case_connected(u.id, x.case_id))) THEN
		PERFORM tafel_raise('TF016', 'contribution not found', 'id');
	END IF;
	IF tafel_arg_id(p_args, 'version') <> x.version THEN
		PERFORM tafel_raise('TF017', 'the record was changed by someone '
		    || 'else (version mismatch)', 'version');
	END IF;
	IF NOT tafel_contribution_visible(jsonb_build_object('org_id', x.org_id),
	    tafel_access(u.id, x.case_id)) THEN
		v_facts := x.facts;
		v_judgement := x.judgement;
	END IF;
	IF tafel_trim(v_facts) = '' AND tafel_trim(v_judgement) = '' THEN
		PERFORM tafel_raise('TF011', 'a contribution needs facts or a '
		    || 'judgement', 'facts');
	END IF;
	UPDATE contributions SET facts = v_facts, judgement = v_judgement,
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = x.id;
	v_json := tafel_json_contribution(x.id);
	PERFORM tafel_log_change(u.id, NULL, x.case_id, '{}',
	    jsonb_build_object('contribution', v_json));
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- The plan of approach: goals
-- ---------------------------------------------------------------------------

-- May change case c (its fields, persons and plan of approach): who may
-- edit it (tafel_may_edit_case), and its process managers.  update_case,
-- add_person and update_person (50_write.sql) ask this too.
CREATE OR REPLACE FUNCTION tafel_may_plan(u users, c cases)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT tafel_may_edit_case(u, c) OR tafel_is_process_manager(u.id, c.id)
$$;

-- goal_id of an action point request: 0, or a goal of case p_case_id.
CREATE OR REPLACE FUNCTION tafel_check_action_goal(p_args jsonb, p_case_id bigint)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_goal bigint := tafel_arg_id(p_args, 'goal_id');
BEGIN
	IF v_goal <> 0 AND NOT EXISTS (SELECT 1 FROM case_goals
	    WHERE id = v_goal AND case_id = p_case_id) THEN
		PERFORM tafel_raise('TF011', 'goal_id is not a goal of this case',
		    'goal_id');
	END IF;
END
$$;

-- add_goal: GoalRequest (goal.id = 0) -> Goal, at the end of the plan.
CREATE OR REPLACE FUNCTION tafel_op_add_goal(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_g jsonb := coalesce(p_args -> 'goal', '{}');
	c cases;
	v_id bigint;
	v_json jsonb;
BEGIN
	IF jsonb_typeof(v_g) IS DISTINCT FROM 'object' THEN
		PERFORM tafel_raise('TF011', 'goal is required', 'goal');
	END IF;
	IF tafel_arg_id(v_g, 'id', 'goal.id') <> 0 THEN
		PERFORM tafel_raise('TF011', 'a new goal has no id (use '
		    || 'update_goal)', 'goal.id');
	END IF;
	c := tafel_known_case(u, tafel_arg_id(v_g, 'case_id', 'goal.case_id'),
	    'goal.case_id');
	IF NOT tafel_may_plan(u, c) THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a process manager, a chair or an '
		    || 'administrator can set the plan of approach');
	END IF;
	IF tafel_trim(tafel_arg_text(v_g, 'description')) = '' THEN
		PERFORM tafel_raise('TF011', 'a goal needs a description',
		    'goal.description');
	END IF;
	PERFORM 1 FROM cases WHERE id = c.id FOR UPDATE;
	INSERT INTO case_goals (case_id, description, position, created_by,
	    updated_by)
	VALUES (c.id, tafel_trim(tafel_arg_text(v_g, 'description')),
	    coalesce((SELECT max(position) FROM case_goals
		WHERE case_id = c.id), 0) + 1, u.id, u.id)
	RETURNING id INTO v_id;
	v_json := tafel_json_goal(v_id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}',
	    jsonb_build_object('goal', v_json));
	RETURN v_json;
END
$$;

-- update_goal: GoalRequest -> Goal (description, achieved).  No current
-- record on CONFLICT.
CREATE OR REPLACE FUNCTION tafel_op_update_goal(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	v_g jsonb := coalesce(p_args -> 'goal', '{}');
	g case_goals;
	c cases;
	v_desc text;
	v_json jsonb;
BEGIN
	IF jsonb_typeof(v_g) IS DISTINCT FROM 'object' THEN
		PERFORM tafel_raise('TF011', 'goal is required', 'goal');
	END IF;
	SELECT * INTO g FROM case_goals
	WHERE id = tafel_arg_id(v_g, 'id', 'goal.id') FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'goal not found', 'goal.id');
	END IF;
	c := tafel_known_case(u, g.case_id, 'goal.id', 'goal not found');
	IF NOT tafel_may_plan(u, c) THEN
		PERFORM tafel_raise('TF010', 'only the submitting organisation, the '
		    || 'case manager, a process manager, a chair or an '
		    || 'administrator can set the plan of approach');
	END IF;
	IF tafel_arg_id(v_g, 'version', 'goal.version') <> g.version THEN
		PERFORM tafel_raise('TF017', 'the record was changed by someone '
		    || 'else (version mismatch)', 'goal.version');
	END IF;
	v_desc := tafel_trim(tafel_arg_text(v_g, 'description'));
	IF NOT tafel_access(u.id, c.id) -> 'cats' ? 'free_text' THEN
		v_desc := g.description;
	END IF;
	IF v_desc = '' THEN
		PERFORM tafel_raise('TF011', 'a goal needs a description',
		    'goal.description');
	END IF;
	UPDATE case_goals SET description = v_desc,
	    achieved = tafel_arg_bool(v_g, 'achieved'),
	    version = version + 1, updated_at = now(), updated_by = u.id
	WHERE id = g.id;
	v_json := tafel_json_goal(g.id);
	PERFORM tafel_log_change(u.id, NULL, c.id, '{}',
	    jsonb_build_object('goal', v_json));
	RETURN v_json;
END
$$;

-- ---------------------------------------------------------------------------
-- Earlier cases and person links
-- ---------------------------------------------------------------------------

-- A person whose name and birth date the user may see, else NOT_FOUND.
CREATE OR REPLACE FUNCTION tafel_visible_person(u users, p_id bigint,
    p_field text)
RETURNS persons LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	p persons;
	a jsonb;
BEGIN
	SELECT * INTO p FROM persons WHERE id = p_id;
	IF FOUND THEN
		a := tafel_access(u.id, p.case_id);
	END IF;
	IF NOT FOUND OR NOT (a ->> 'connected')::boolean
	    OR NOT a -> 'cats' ? 'person_names' THEN
		PERFORM tafel_raise('TF016', 'person not found', p_field);
	END IF;
	RETURN p;
END
$$;

-- link_persons: LinkPersonsRequest -> PersonLink (from person_id's case).
CREATE OR REPLACE FUNCTION tafel_op_link_persons(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	p persons := tafel_visible_person(u, tafel_arg_id(p_args, 'person_id'),
	    'person_id');
	q persons := tafel_visible_person(u,
	    tafel_arg_id(p_args, 'other_person_id'), 'other_person_id');
	c1 cases;
	c2 cases;
	v_id bigint;
	v_json jsonb;
BEGIN
	IF p.case_id = q.case_id THEN
		PERFORM tafel_raise('TF011', 'the two persons are in the same case',
		    'other_person_id');
	END IF;
	SELECT * INTO c1 FROM cases WHERE id = p.case_id;
	SELECT * INTO c2 FROM cases WHERE id = q.case_id;
	IF NOT (tafel_may_plan(u, c1) OR tafel_may_plan(u, c2)) THEN
		PERFORM tafel_raise('TF010', 'only those who may change one of the '
		    || 'two cases, a process manager, a chair or an administrator '
		    || 'can link persons');
	END IF;
	SELECT id INTO v_id FROM person_links
	WHERE person_a = least(p.id, q.id) AND person_b = greatest(p.id, q.id);
	IF FOUND THEN
		RETURN tafel_json_link(v_id, p.case_id);
	END IF;
	INSERT INTO person_links (person_a, person_b, created_by)
	VALUES (least(p.id, q.id), greatest(p.id, q.id), u.id)
	RETURNING id INTO v_id;
	v_json := tafel_json_link(v_id, p.case_id);
	PERFORM tafel_log_change(u.id, NULL, p.case_id, '{}',
	    jsonb_build_object('person_link', v_json));
	RETURN v_json;
END
$$;

-- EarlierCaseList for case p_case_id: only matches whose persons (of both
-- cases) the user may see with names and birth dates.  Audited
-- ('case_view') for both cases.
CREATE OR REPLACE FUNCTION tafel_list_earlier_cases(p_user_id bigint,
    p_case_id bigint)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases := tafel_known_case(u, p_case_id, 'case_id');
	a jsonb := tafel_access(u.id, c.id);
	v_full text[] := ARRAY['person_names', 'birth_dates'];
	v_out jsonb := '[]';
	v_cases bigint[] := '{}';
	v_ok bigint[];
	r record;
BEGIN
	IF NOT (ARRAY(SELECT jsonb_array_elements_text(a -> 'cats')) @> v_full)
	THEN
		RETURN jsonb_build_object('case_id', c.id, 'matches', v_out);
	END IF;
	-- the other cases the user may see in full, each checked once
	v_ok := ARRAY(SELECT x FROM tafel_case_matched_cases(c.id) x
	    WHERE tafel_access(u.id, x) -> 'cats' ?& v_full);
	-- at most 500 matches (the newest cases first): a list, not a dump
	FOR r IN SELECT m.person_id, m.other_person_id, m.other_case_id,
	    oc.number, oc.status, o.name, o.birth_date,
	    (SELECT max(ai.opened_at) FROM agenda_items ai
		WHERE ai.case_id = oc.id) AS discussed,
	    EXISTS (SELECT 1 FROM person_links l
		WHERE l.person_a = least(m.person_id, m.other_person_id)
		    AND l.person_b = greatest(m.person_id, m.other_person_id))
		AS linked
	    FROM (SELECT * FROM tafel_case_matches(c.id) x
		WHERE x.other_case_id = ANY (v_ok)
		ORDER BY x.other_case_id DESC, x.person_id, x.other_person_id
		LIMIT 500) m
	    JOIN cases oc ON oc.id = m.other_case_id
	    JOIN persons o ON o.id = m.other_person_id
	    ORDER BY m.other_case_id DESC, m.person_id, m.other_person_id LOOP
		v_out := v_out || jsonb_build_array(jsonb_build_object(
		    'person_id', r.person_id,
		    'case_id', r.other_case_id,
		    'case_number', r.number,
		    'status', r.status,
		    'other_person_id', r.other_person_id,
		    'other_person_name', r.name,
		    'birth_date', tafel_datestr(r.birth_date),
		    'discussed_at', coalesce(tafel_unix(r.discussed), 0),
		    'linked', r.linked));
		IF NOT r.other_case_id = ANY (v_cases) THEN
			v_cases := v_cases || r.other_case_id;
		END IF;
	END LOOP;
	IF jsonb_array_length(v_out) > 0 THEN
		INSERT INTO audit_log (user_id, org_id, case_id, categories,
		    context)
		SELECT u.id, u.org_id, x, v_full, 'case_view'
		FROM unnest(v_cases || c.id) x;
	END IF;
	RETURN jsonb_build_object('case_id', c.id, 'matches', v_out);
END
$$;

-- ---------------------------------------------------------------------------
-- MDO from a case
-- ---------------------------------------------------------------------------

-- plan_mdo: PlanMdoRequest -> Meeting.  The case's own series "MDO
-- <number>" (created on first use) gets exactly the organisations involved
-- in the case as members; the meeting gets the case as its only item.
CREATE OR REPLACE FUNCTION tafel_op_plan_mdo(p_user_id bigint, p_args jsonb)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	u users := tafel_actor(p_user_id);
	c cases;
	ch users;
	v_start bigint := tafel_arg_id(p_args, 'scheduled_start');
	v_chair bigint := tafel_arg_id(p_args, 'chair_id');
	v_series bigint;
	v_meeting bigint;
	v_orgs bigint[];
	v_added bigint[];
	v_earlier bigint;
	v_json jsonb;
BEGIN
	-- without a connection not found, also for a chair or an admin
	c := tafel_known_case(u, tafel_arg_id(p_args, 'case_id'), 'case_id');
	IF NOT (u.roles && ARRAY['chair', 'admin']
	    OR tafel_is_process_manager(u.id, c.id)) THEN
		PERFORM tafel_raise('TF010', 'only a chair, a process manager of '
		    || 'the case or an administrator can plan an MDO');
	END IF;
	IF v_start = 0 THEN
		PERFORM tafel_raise('TF011', 'scheduled_start is required',
		    'scheduled_start');
	END IF;
	IF v_start NOT BETWEEN 946684800 AND 253402300799 THEN
		PERFORM tafel_raise('TF014', 'scheduled_start is out of range',
		    'scheduled_start');
	END IF;
	-- as create_meeting (50_write.sql): today at the earliest, in Amsterdam
	IF to_timestamp(v_start) < (now() AT TIME ZONE 'Europe/Amsterdam')::date
	    ::timestamp AT TIME ZONE 'Europe/Amsterdam' THEN
		PERFORM tafel_raise('TF050', 'scheduled_start lies before today '
		    || '(Europe/Amsterdam)', 'scheduled_start');
	END IF;
	SELECT * INTO ch FROM users WHERE id = CASE WHEN v_chair = 0 THEN u.id
	    ELSE v_chair END;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', 'chair not found', 'chair_id');
	END IF;
	IF ch.disabled OR NOT (ch.roles && ARRAY['chair', 'admin']
	    OR tafel_is_process_manager(ch.id, c.id)) THEN
		PERFORM tafel_raise('TF011', 'the chair must be an active user with '
		    || 'the chair role or a process manager of the case',
		    'chair_id');
	END IF;

	v_orgs := ARRAY(SELECT o FROM (
	    SELECT c.submitter_org_id AS o
	    UNION SELECT i.org_id FROM case_involved_orgs i WHERE i.case_id = c.id
	    UNION SELECT a.owner_org_id FROM action_points a
		WHERE a.case_id = c.id) s ORDER BY o);
	SELECT id INTO v_series FROM series WHERE case_id = c.id FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO series (name, kind, themes, district, usual_chair_id,
		    updated_by, case_id)
		VALUES ('MDO ' || c.number, 'mdo', ARRAY[c.theme], c.district,
		    ch.id, u.id, c.id)
		RETURNING id INTO v_series;
	END IF;
	PERFORM tafel_require_free_slot(v_series, to_timestamp(v_start), 0);
	v_added := ARRAY(SELECT o FROM unnest(v_orgs) o
	    WHERE NOT EXISTS (SELECT 1 FROM series_members m
		WHERE m.series_id = v_series AND m.org_id = o));
	DELETE FROM series_members
	WHERE series_id = v_series AND NOT org_id = ANY (v_orgs);
	INSERT INTO series_members (series_id, org_id)
	SELECT v_series, o FROM unnest(v_orgs) o ON CONFLICT DO NOTHING;

	INSERT INTO meetings (series_id, scheduled_start, chair_id, created_by,
	    updated_by)
	VALUES (v_series, to_timestamp(v_start), ch.id, u.id, u.id)
	RETURNING id INTO v_meeting;
	INSERT INTO agenda_items (meeting_id, case_id, position, created_by,
	    updated_by)
	VALUES (v_meeting, c.id, 1, u.id, u.id);

	v_json := tafel_json_meeting(v_meeting);
	PERFORM tafel_log_change(u.id, v_meeting, c.id, '{}', jsonb_build_object(
	    'meeting', v_json, 'agenda_items', tafel_json_items(v_meeting),
	    'case', tafel_json_case(c.id),
	    'actions', tafel_json_case_actions(c.id, false)));
	-- An organisation that is a member from now on sees the series' earlier
	-- meetings too (list_meetings): one change per earlier meeting, after
	-- the write's own, brings each onto its meeting list, as a fresh
	-- snapshot would (docs/protocol.md 8.4).  Those who saw them already
	-- get the meeting as it was.
	IF cardinality(v_added) > 0 THEN
		FOR v_earlier IN SELECT id FROM meetings
		    WHERE series_id = v_series AND id <> v_meeting
		    ORDER BY scheduled_start, id LOOP
			PERFORM tafel_log_change(u.id, v_earlier, c.id, '{}',
			    jsonb_build_object('meeting',
			    tafel_json_meeting(v_earlier)));
		END LOOP;
	END IF;
	RETURN v_json;
END
$$;

-- The cases subscription (TOPIC_CASES) was merged into the case list
-- (TOPIC_CASE_LIST, tafel_list_snapshot); its snapshot function goes.
DROP FUNCTION IF EXISTS tafel_cases_snapshot(bigint);

-- ---------------------------------------------------------------------------
-- Process managers (owner-only; tafelctl pm)
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION tafel_pm_add(p_login text, p_district text,
    p_theme text)
RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_user bigint;
BEGIN
	SELECT id INTO v_user FROM users WHERE login = p_login;
	IF NOT FOUND THEN
		PERFORM tafel_raise('TF016', format('unknown login %L', p_login));
	END IF;
	-- a steering group member sees reports only; a disabled user nothing
	IF EXISTS (SELECT 1 FROM users WHERE id = v_user
	    AND (disabled OR roles = ARRAY['steering'])) THEN
		PERFORM tafel_raise('TF011', format('%s cannot be a process '
		    || 'manager: %s', p_login, (SELECT CASE WHEN disabled
		    THEN 'the account is disabled' ELSE 'a steering group member '
		    || 'sees the reports only' END FROM users WHERE id = v_user)));
	END IF;
	IF btrim(coalesce(p_district, '')) = '' THEN
		PERFORM tafel_raise('TF011', 'a district is required');
	END IF;
	INSERT INTO process_managers (user_id, district, theme)
	VALUES (v_user, p_district, coalesce(p_theme, ''))
	ON CONFLICT DO NOTHING;
END
$$;

CREATE OR REPLACE FUNCTION tafel_pm_remove(p_login text, p_district text,
    p_theme text)
RETURNS boolean LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_n int;
BEGIN
	DELETE FROM process_managers pm USING users u
	WHERE u.id = pm.user_id AND u.login = p_login
	    AND pm.district = p_district AND pm.theme = coalesce(p_theme, '');
	GET DIAGNOSTICS v_n = ROW_COUNT;
	-- the district's cases it saw as their process manager: not on its
	-- screen any longer either
	IF v_n > 0 THEN
		PERFORM tafel_end_sessions(u.id, 'access') FROM users u
		WHERE u.login = p_login;
	END IF;
	RETURN v_n > 0;
END
$$;

CREATE OR REPLACE FUNCTION tafel_pm_list()
RETURNS TABLE (district text, theme text, login text, display_name text)
LANGUAGE sql STABLE SET search_path = public AS $$
	SELECT pm.district, pm.theme, u.login, u.display_name
	FROM process_managers pm JOIN users u ON u.id = pm.user_id
	ORDER BY pm.district, pm.theme, u.login
$$;
