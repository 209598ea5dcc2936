-- A goal, a clock or an info round of a case the user has no connection
-- to is NOT_FOUND with the same message as an id that does not exist
-- ("goal not found", not "case not found"): the message told the two
-- apart, so walking ids showed which belong to hidden cases (found by
-- the second protocol-only tester; docs/protocol.md 9.2).  And an MDO
-- series, which takes its one case's district, does not make that
-- district known in list_organisations.

SELECT tafel_pm_add('reclassering', 'Verborgendorp', 'domestic_violence');

DO $$
DECLARE
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	v_case jsonb := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Verborgendorp", "approach":
	    "person", "reason": "melding"}');
	v_c bigint := (v_case ->> 'id')::bigint;
	v_goal jsonb;
	v_clock jsonb;
	v_round jsonb;
	e jsonb;
	m jsonb;
	v_d jsonb;
BEGIN
	v_goal := test_write('politie', 'add_goal', jsonb_build_object('goal',
	    jsonb_build_object('case_id', v_c, 'description', 'Veilig thuis')));
	v_clock := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', v_c, 'kind', 'huisverbod', 'starts_on', v_today));
	v_round := test_write('reclassering', 'start_info_round',
	    jsonb_build_object('case_id', v_c, 'reply_by', v_today + 2,
		'org_ids', jsonb_build_array(test_org(
		    'Bureau Jeugdzorg Eemland-Twente'))));

	-- Slachtofferhulp has no connection to the case
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'update_goal', jsonb_build_object('goal',
	    jsonb_build_object('id', v_goal -> 'id', 'version',
		v_goal -> 'version', 'description', 'x', 'achieved', false))));
	m := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'update_goal', jsonb_build_object('goal',
	    jsonb_build_object('id', 99999999, 'version', 1,
		'description', 'x', 'achieved', false))));
	ASSERT e ->> 'message' = m ->> 'message' AND e ->> 'hint' = m ->> 'hint',
	    format('goal: %s vs %s', e, m);

	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'extend_clock', jsonb_build_object('id',
	    v_clock -> 'clocks' -> 0 -> 'id', 'version',
	    v_clock -> 'clocks' -> 0 -> 'version', 'ends_on', v_today + 20)));
	m := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'extend_clock', jsonb_build_object('id',
	    99999999, 'version', 1, 'ends_on', v_today + 20)));
	ASSERT e ->> 'message' = m ->> 'message' AND e ->> 'hint' = m ->> 'hint',
	    format('clock: %s vs %s', e, m);

	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'close_info_round', jsonb_build_object('id',
	    v_round -> 'id', 'version', v_round -> 'version')));
	m := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'close_info_round', jsonb_build_object('id',
	    99999999, 'version', 1)));
	ASSERT e ->> 'message' = m ->> 'message' AND e ->> 'hint' = m ->> 'hint',
	    format('info round: %s vs %s', e, m);

	-- an MDO series of the case: its district is still not told
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('MDO test', 'mdo', ARRAY['domestic_violence'], 'Mdoalleendorp',
	    test_uid('voorzitter'));
	v_d := tafel_list_orgs(test_uid('slachtofferhulp')) -> 'districts';
	ASSERT NOT v_d ? 'Mdoalleendorp', v_d;
	ASSERT v_d ? 'Verborgendorp', v_d;	-- a process manager's
END
$$;
