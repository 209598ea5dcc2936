-- Routing with conditions (case_status_requirements), who may route,
-- update_routing, goals with their action points, and MDO from a case (0008).

CREATE TEMP TABLE t AS SELECT
	test_uid('reclassering') AS pm, test_uid('jeugdzorg') AS bjz,
	test_uid('woningcorporatie') AS woon,
	test_org('Veilig Thuis Eemland-Twente') AS o_vt, 0::bigint AS c,
	0::bigint AS g1, 0::bigint AS c2;
SELECT tafel_pm_add('reclassering', 'Testdorp', 'domestic_violence');

CREATE FUNCTION test_move(p_login text, p_case bigint, p_to text,
    p_extra jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql AS $$
	SELECT test_write(p_login, 'move_case', jsonb_build_object('id', p_case,
	    'version', tafel_json_case(p_case) -> 'version', 'to', p_to) || p_extra)
$$;

CREATE FUNCTION test_move_err(p_login text, p_case bigint, p_to text,
    p_extra jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql AS $$
	SELECT test_err(format('SELECT test_move(%L, %s, %L, %L)', p_login,
	    p_case, p_to, p_extra))
$$;

DO $$
DECLARE
	x t;
	v jsonb;
	e jsonb;
	n bigint;
BEGIN
	SELECT * INTO x FROM t;
	v := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "district": "Testdorp", "reason": "melding"}');
	UPDATE t SET c = (v ->> 'id')::bigint;
	x.c := (v ->> 'id')::bigint;

	-- who routes: the process manager yes, the submitter no (FORBIDDEN),
	-- an unconnected partner not at all (NOT_FOUND)
	e := test_move_err('politie', x.c, 'screening');
	ASSERT e ->> 'code' = 'TF010', e::text;
	e := test_move_err('jeugdzorg', x.c, 'screening');
	ASSERT e ->> 'code' = 'TF016', e::text;
	v := test_move('reclassering', x.c, 'screening');
	ASSERT v ->> 'status' = 'screening';
	v := test_move('reclassering', x.c, 'info_round');

	-- regie bepaald: lead organisation and case manager, both reported
	n := (SELECT count(*) FROM changelog);
	e := test_move_err('reclassering', x.c, 'direction');
	ASSERT e ->> 'code' = 'TF018' AND e ->> 'hint' = 'to', e::text;
	ASSERT (e ->> 'detail')::jsonb = '{"missing": ["lead_org", "case_manager"]}',
	    e::text;
	ASSERT e ->> 'message' = 'cannot move to direction: missing lead_org, '
	    || 'case_manager', e::text;
	ASSERT (SELECT count(*) FROM changelog) = n, 'a refused move logs nothing';
	ASSERT (SELECT status FROM cases WHERE id = x.c) = 'info_round';
	-- only the case manager missing
	e := test_move_err('reclassering', x.c, 'direction',
	    jsonb_build_object('lead_org_id', x.o_vt));
	ASSERT (e ->> 'detail')::jsonb = '{"missing": ["case_manager"]}', e::text;
	ASSERT (SELECT lead_org_id FROM cases WHERE id = x.c) IS NULL,
	    'the refused move stored nothing';
	-- given with the move: allowed
	v := test_move('reclassering', x.c, 'direction', jsonb_build_object(
	    'lead_org_id', x.o_vt, 'case_manager_id', test_uid('veiligthuis')));
	ASSERT v ->> 'status' = 'direction' AND (v ->> 'lead_org_id')::bigint = x.o_vt
	    AND v ->> 'lead_org_name' = 'Veilig Thuis Eemland-Twente', v::text;

	-- plan van aanpak: at least one goal
	e := test_move_err('reclassering', x.c, 'plan');
	ASSERT (e ->> 'detail')::jsonb = '{"missing": ["goal"]}', e::text;
	-- goals: who may set them
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'jeugdzorg', 'add_goal', jsonb_build_object('goal', jsonb_build_object(
		'case_id', x.c, 'description', 'x'))));
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'add_goal', jsonb_build_object('goal',
		jsonb_build_object('case_id', x.c, 'description', ' '))));
	ASSERT e ->> 'hint' = 'goal.description';
	v := test_write('reclassering', 'add_goal', jsonb_build_object('goal',
	    jsonb_build_object('case_id', x.c, 'description', 'Geen geweld meer')));
	ASSERT (v ->> 'position')::int = 1 AND NOT (v ->> 'achieved')::boolean;
	UPDATE t SET g1 = (v ->> 'id')::bigint;
	x.g1 := (v ->> 'id')::bigint;
	v := test_write('politie', 'add_goal', jsonb_build_object('goal',
	    jsonb_build_object('case_id', x.c, 'description', 'Stabiel wonen')));
	ASSERT (v ->> 'position')::int = 2;
	v := test_move('reclassering', x.c, 'plan');
	v := test_move('reclassering', x.c, 'in_progress');

	-- a chair routes too, but only a case it is connected to: without a
	-- connection the case is not found, whatever the role (protocol.md 9.2)
	e := test_move_err('voorzitter', x.c, 'monitoring');
	ASSERT e ->> 'code' = 'TF016', e::text;
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT x.c, org_id FROM users WHERE id = test_uid('voorzitter');

	-- monitoring: an end date
	e := test_move_err('voorzitter', x.c, 'monitoring');
	ASSERT (e ->> 'detail')::jsonb = '{"missing": ["end_date"]}', e::text;
	v := test_move('voorzitter', x.c, 'monitoring', jsonb_build_object(
	    'end_date', to_char(current_date + 60, 'YYYY-MM-DD')));
	ASSERT v ->> 'end_date' = to_char(current_date + 60, 'YYYY-MM-DD');

	-- afgesloten: a closing reason and a short evaluation
	e := test_move_err('reclassering', x.c, 'closed');
	ASSERT (e ->> 'detail')::jsonb
	    = '{"missing": ["closing_reason", "evaluation"]}', e::text;
	e := test_move_err('reclassering', x.c, 'closed', '{"closing_reason":
	    "doelen bereikt", "evaluation": "   "}');
	ASSERT (e ->> 'detail')::jsonb = '{"missing": ["evaluation"]}', e::text;
	v := test_move('reclassering', x.c, 'closed', '{"closing_reason":
	    "doelen bereikt", "evaluation": "Samenwerking liep goed"}');
	ASSERT v ->> 'status' = 'closed' AND v ->> 'evaluation'
	    = 'Samenwerking liep goed', v::text;

	-- a move outside the table: the old message, no missing list
	e := test_move_err('reclassering', x.c, 'plan');
	ASSERT e ->> 'message' = 'a case cannot move from closed to plan'
	    AND coalesce(e ->> 'detail', '') = '', e::text;
	-- the requirements are data
	DELETE FROM case_status_requirements WHERE status = 'closed';
	v := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "district": "Testdorp"}');
	PERFORM test_move('reclassering', (v ->> 'id')::bigint, 'screening');
	v := test_move('reclassering', (v ->> 'id')::bigint, 'closed');
	ASSERT v ->> 'status' = 'closed';
END
$$;

-- update_routing: the whole set; hidden texts keep their value
DO $$
DECLARE
	x t;
	v jsonb;
	e jsonb;
BEGIN
	SELECT * INTO x FROM t;
	v := test_write('reclassering', 'update_routing', jsonb_build_object(
	    'id', x.c, 'version', tafel_json_case(x.c) -> 'version',
	    'lead_org_id', x.o_vt, 'case_manager_id', test_uid('veiligthuis'),
	    'end_date', '2027-03-01', 'review_date', '2027-01-15',
	    'closing_reason', 'doelen bereikt', 'evaluation', 'goed'));
	ASSERT v ->> 'review_date' = '2027-01-15' AND v ->> 'end_date' = '2027-03-01';
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'update_routing', jsonb_build_object('id', x.c,
		'version', v -> 'version', 'review_date', '2027-02-30')));
	ASSERT e ->> 'hint' = 'review_date';
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'update_routing', jsonb_build_object('id', x.c,
		'version', v -> 'version')));
	PERFORM test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'update_routing', jsonb_build_object('id', x.c,
		'version', 1)));
	-- the case manager (Veilig Thuis, all categories) clears the review
	-- date; a chair-role user whose view lacks case_summary would keep
	-- the texts: simulated with an org_data_access row
	INSERT INTO org_data_access (org_id, category)
	SELECT org_id, 'person_names' FROM users WHERE id = x.pm;
	v := test_write('reclassering', 'update_routing', jsonb_build_object(
	    'id', x.c, 'version', v -> 'version', 'lead_org_id', x.o_vt,
	    'closing_reason', '', 'evaluation', ''));
	ASSERT v ->> 'review_date' = '' AND v ->> 'closing_reason' = '', v::text;
	ASSERT (SELECT closing_reason = 'doelen bereikt' AND evaluation = 'goed'
	    FROM cases WHERE id = x.c), 'hidden texts kept';
	DELETE FROM org_data_access WHERE org_id = (SELECT org_id FROM users
	    WHERE id = x.pm);
END
$$;

-- goals: the action points per goal, open / done / overdue
DO $$
DECLARE
	x t;
	v jsonb;
	a jsonb;
	e jsonb;
	o bigint := test_org('Politie Eenheid Oost-Nederland');
BEGIN
	SELECT * INTO x FROM t;
	v := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "district": "Testdorp"}');
	UPDATE t SET c2 = (v ->> 'id')::bigint;
	-- a goal of another case is refused
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'create_action', jsonb_build_object('case_id', v -> 'id',
		'description', 'x', 'owner_org_id', o, 'due_date',
		to_char(current_date + 5, 'YYYY-MM-DD'), 'goal_id', x.g1)));
	ASSERT e ->> 'hint' = 'goal_id';
	-- three action points on goal 1 of the first case (reopened)
	UPDATE cases SET status = 'in_progress', closed_at = NULL WHERE id = x.c;
	a := test_write('reclassering', 'create_action', jsonb_build_object(
	    'case_id', x.c, 'description', 'Huisbezoek', 'owner_org_id', o,
	    'due_date', to_char(current_date + 5, 'YYYY-MM-DD'), 'goal_id', x.g1));
	ASSERT (a ->> 'goal_id')::bigint = x.g1;
	PERFORM test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', x.c, 'description', 'Gesprek', 'owner_org_id', o,
	    'due_date', to_char(current_date - 2, 'YYYY-MM-DD'), 'goal_id', x.g1));
	v := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', x.c, 'description', 'Melding', 'owner_org_id', o,
	    'due_date', to_char(current_date + 1, 'YYYY-MM-DD'), 'goal_id', x.g1));
	PERFORM test_write('politie', 'complete_action', jsonb_build_object(
	    'id', v -> 'id', 'version', v -> 'version', 'note', 'gedaan'));
	v := tafel_get_case(test_uid('politie'), x.c) -> 'goals';
	ASSERT jsonb_array_length(v) = 2, v::text;
	ASSERT v -> 0 @> jsonb_build_object('id', x.g1, 'actions_open', 1,
	    'actions_done', 1, 'actions_overdue', 1, 'actions_cancelled', 0), v::text;
	ASSERT v -> 1 @> '{"actions_open": 0, "actions_done": 0}', v::text;
	-- update_action carries the whole record: goal_id 0 unlinks
	v := test_write('politie', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version', 'description', 'Huisbezoek',
	    'owner_org_id', o, 'due_date', a -> 'due_date'));
	ASSERT (v ->> 'goal_id')::bigint = 0;
	ASSERT (tafel_get_case(test_uid('politie'), x.c) -> 'goals' -> 0
	    ->> 'actions_open')::int = 0;
	-- update_goal: version checked, achieved stored
	v := tafel_get_case(test_uid('politie'), x.c) -> 'goals' -> 0;
	PERFORM test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'update_goal', jsonb_build_object('goal', jsonb_build_object(
		'id', x.g1, 'version', 7, 'description', 'y'))));
	v := test_write('politie', 'update_goal', jsonb_build_object('goal',
	    jsonb_build_object('id', x.g1, 'version', v -> 'version',
		'description', 'Geen geweld meer in huis', 'achieved', true)));
	ASSERT (v ->> 'achieved')::boolean AND (v ->> 'version')::int = 2;
	-- a partner that is not involved sees no goals; one that is
	-- connected but without free_text sees them without description
	PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    x.bjz, x.c));
	ASSERT tafel_redact_obj('goal', v, '{"cats": ["person_names"]}')
	    ->> 'description' = '';
	SELECT event INTO e FROM tafel_events_for((SELECT max(seq) FROM changelog),
	    jsonb_build_array(jsonb_build_object('user_id', x.bjz)));
	ASSERT e IS NULL, e::text;
END
$$;

-- MDO from this case: only the organisations involved are invited
DO $$
DECLARE
	x t;
	m jsonb;
	m2 jsonb;
	v_series bigint;
	e jsonb;
BEGIN
	SELECT * INTO x FROM t;
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'plan_mdo', jsonb_build_object('case_id', x.c,
		'scheduled_start', extract(epoch FROM now() + interval '2 days')::bigint)));
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'jeugdzorg', 'plan_mdo', jsonb_build_object('case_id', x.c,
		'scheduled_start', extract(epoch FROM now() + interval '2 days')::bigint)));
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'plan_mdo', jsonb_build_object('case_id', x.c,
		'chair_id', x.bjz,
		'scheduled_start', extract(epoch FROM now() + interval '2 days')::bigint)));
	ASSERT e ->> 'hint' = 'chair_id';
	-- not on an earlier day than today, as create_meeting (it was accepted)
	e := test_expect('TF050', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'plan_mdo', jsonb_build_object('case_id', x.c,
		'scheduled_start', extract(epoch FROM now() - interval '3 days')::bigint)));
	ASSERT e ->> 'hint' = 'scheduled_start', e::text;
	-- the process manager plans it and chairs it
	m := test_write('reclassering', 'plan_mdo', jsonb_build_object(
	    'case_id', x.c,
	    'scheduled_start', extract(epoch FROM now() + interval '2 days')::bigint));
	ASSERT (m ->> 'chair_id')::bigint = x.pm AND m ->> 'state' = 'planned', m::text;
	v_series := (m ->> 'series_id')::bigint;
	ASSERT (SELECT name = 'MDO ' || (SELECT number FROM cases WHERE id = x.c)
	    AND kind = 'mdo' AND case_id = x.c FROM series WHERE id = v_series);
	-- members: exactly the involved organisations (submitter politie,
	-- nothing else: the action owner is politie too)
	ASSERT ARRAY(SELECT org_id FROM series_members WHERE series_id = v_series
	    ORDER BY org_id) = ARRAY(SELECT DISTINCT o FROM (SELECT submitter_org_id o
		FROM cases WHERE id = x.c UNION SELECT org_id FROM case_involved_orgs
		WHERE case_id = x.c UNION SELECT owner_org_id FROM action_points
		WHERE case_id = x.c) s ORDER BY o);
	ASSERT (SELECT array_agg(case_id) FROM agenda_items
	    WHERE meeting_id = (m ->> 'id')::bigint) = ARRAY[x.c];
	ASSERT tafel_may_see_meeting((SELECT u FROM users u
	    WHERE login = 'politie'), (m ->> 'id')::bigint);
	ASSERT NOT tafel_may_see_meeting((SELECT u FROM users u
	    WHERE login = 'jeugdzorg'), (m ->> 'id')::bigint);
	ASSERT NOT tafel_may_see_meeting((SELECT u FROM users u
	    WHERE login = 'woningcorporatie'), (m ->> 'id')::bigint);
	-- a second MDO uses the same series, with the members as they are now
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT x.c, org_id FROM users WHERE id = x.woon;
	m2 := test_write('voorzitter', 'plan_mdo', jsonb_build_object(
	    'case_id', x.c, 'chair_id', x.pm,
	    'scheduled_start', extract(epoch FROM now() + interval '9 days')::bigint));
	ASSERT (m2 ->> 'series_id')::bigint = v_series;
	ASSERT tafel_may_see_meeting((SELECT u FROM users u
	    WHERE login = 'woningcorporatie'), (m2 ->> 'id')::bigint);
	-- the change carries meeting, item and case, routed by both
	ASSERT (SELECT meeting_id = (m2 ->> 'id')::bigint AND case_id = x.c
	    AND payload ? 'agenda_items' AND payload ? 'case' FROM changelog
	    WHERE seq = (SELECT max(seq) - 1 FROM changelog));
	-- housing, a member from now on, sees the first MDO too: a change of
	-- its own after the write's brings it onto housing's meeting list
	ASSERT tafel_may_see_meeting((SELECT u FROM users u
	    WHERE login = 'woningcorporatie'), (m ->> 'id')::bigint);
	ASSERT (SELECT meeting_id = (m ->> 'id')::bigint AND case_id = x.c
	    AND payload - 'meeting' = '{}' AND (payload -> 'meeting' ->> 'id')
	    ::bigint = (m ->> 'id')::bigint FROM changelog
	    WHERE seq = (SELECT max(seq) FROM changelog)), 'no change of the first MDO';
	-- one MDO at a time: the same instant again (another key) is refused,
	-- naming the meeting there (tafel_require_free_slot)
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'plan_mdo', jsonb_build_object('case_id', x.c,
		'chair_id', x.pm, 'scheduled_start',
		(m2 ->> 'scheduled_start')::bigint)));
	ASSERT e ->> 'hint' = 'scheduled_start', e::text;
	ASSERT e ->> 'message' LIKE '%(meeting ' || (m2 ->> 'id') || ')', e::text;
END
$$;
