-- "Today" is Amsterdam's day (tafel_today()), not the database session's
-- current_date: an action point is overdue from the day after its due
-- date in Amsterdam.  Before, the overdue flag (and the overdue-first
-- order, a goal's overdue count) used current_date, which follows the
-- session's TimeZone: on a cluster initialised on a UTC machine, an
-- action point due yesterday was not yet overdue between midnight and
-- 01:00 (02:00 in summer) Amsterdam time.  tafel.today stands in for the
-- day here, so the check does not depend on the hour it runs at.

DO $$
DECLARE
	v_c bigint := (test_write('politie', 'create_case',
	    '{"theme": "domestic_violence", "summary": "vandaag"}') ->> 'id')::bigint;
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	v_goal jsonb;
	v_a jsonb;
	l jsonb;
	g jsonb;
BEGIN
	-- a day far from the real one: current_date can never agree with it
	PERFORM set_config('tafel.today', '2031-03-05', true);
	v_goal := test_write('politie', 'add_goal', jsonb_build_object('goal',
	    jsonb_build_object('case_id', v_c, 'description',
		'Veiligheid thuis')));
	v_a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Risicotaxatie aanleveren',
	    'owner_org_id', v_pol, 'owner_user_id', test_uid('politie'),
	    'due_date', '2031-03-04', 'goal_id', v_goal -> 'id'));
	ASSERT (v_a ->> 'overdue')::boolean, v_a::text;

	-- the case record, the organisation's list and the goal say so
	l := tafel_get_case(test_uid('politie'), v_c);
	SELECT x INTO v_a FROM jsonb_array_elements(l -> 'actions') x
	WHERE x ->> 'description' = 'Risicotaxatie aanleveren';
	ASSERT (v_a ->> 'overdue')::boolean, l::text;
	SELECT x INTO g FROM jsonb_array_elements(l -> 'goals') x;
	ASSERT (g ->> 'actions_overdue')::int = 1
	    AND (g ->> 'actions_open')::int = 0, g::text;
	l := tafel_my_actions(test_uid('politie'), false);
	SELECT x INTO v_a FROM jsonb_array_elements(l -> 'actions') x
	WHERE (x ->> 'case_id')::bigint = v_c;
	ASSERT (v_a ->> 'overdue')::boolean, l::text;

	-- on its due day it is not overdue yet
	PERFORM set_config('tafel.today', '2031-03-04', true);
	l := tafel_get_case(test_uid('politie'), v_c);
	SELECT x INTO v_a FROM jsonb_array_elements(l -> 'actions') x
	WHERE x ->> 'description' = 'Risicotaxatie aanleveren';
	ASSERT NOT (v_a ->> 'overdue')::boolean, l::text;
	SELECT x INTO g FROM jsonb_array_elements(l -> 'goals') x;
	ASSERT (g ->> 'actions_overdue')::int = 0
	    AND (g ->> 'actions_open')::int = 1, g::text;
	PERFORM set_config('tafel.today', '', true);
END
$$;
