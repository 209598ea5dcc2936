-- A case holds at most 50 persons (tafel_max_case_persons), and matching
-- "eerder besproken" costs what it finds, not the pairs.  Before, one
-- create_case with 500 persons of one name and birth date, repeated, made
-- every next write of such a case seconds longer (each person paired with
-- each matching person of each other case), so four such requests held the
-- whole database pool and others got DATABASE_UNAVAILABLE.  create_case
-- with more than 50 persons and add_person to a full case are refused
-- (TF014); matched cases are found once each.

DO $$
DECLARE
	v_case jsonb := jsonb_build_object('theme', 'domestic_violence',
	    'approach', 'person', 'district', 'Utrecht-West', 'reason', 'test');
	c1 jsonb;
	c2 jsonb;
	c3 jsonb;
	e jsonb;
	v_persons jsonb := (SELECT jsonb_agg(jsonb_build_object('role', 'victim',
	    'name', 'Gelijk Naamsen', 'birth_date', '1991-04-05'))
	    FROM generate_series(1, 50));
BEGIN
	e := test_expect('TF014', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'create_case', v_case || jsonb_build_object('persons',
	    v_persons || jsonb_build_array(jsonb_build_object('role', 'other',
		'name', 'Een Te Veel')))));
	ASSERT e ->> 'hint' = 'persons', e::text;
	ASSERT e ->> 'message' = 'a case has at most 50 persons', e::text;

	c1 := test_write('politie', 'create_case', v_case
	    || jsonb_build_object('persons', v_persons));
	ASSERT jsonb_array_length(c1 -> 'persons') = 50;
	e := test_expect('TF014', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', (c1 ->> 'id')::bigint, 'role', 'other',
		'name', 'Een Te Veel'))));
	ASSERT e ->> 'hint' = 'person.case_id', e::text;
	ASSERT (SELECT count(*) FROM persons
	    WHERE case_id = (c1 ->> 'id')::bigint) = 50;

	-- two more with the same persons: each finds the others once
	c2 := test_write('politie', 'create_case', v_case
	    || jsonb_build_object('persons', v_persons));
	c3 := test_write('politie', 'create_case', v_case
	    || jsonb_build_object('persons', v_persons));
	ASSERT ARRAY(SELECT x FROM tafel_case_matched_cases((c3 ->> 'id')::bigint) x
	    ORDER BY x) = ARRAY[(c1 ->> 'id')::bigint, (c2 ->> 'id')::bigint];
	ASSERT tafel_case_has_earlier((c1 ->> 'id')::bigint);
	ASSERT ARRAY(SELECT x FROM tafel_cases_with_earlier(ARRAY[
	    (c1 ->> 'id')::bigint, (c3 ->> 'id')::bigint]) x ORDER BY x)
	    = ARRAY[(c1 ->> 'id')::bigint, (c3 ->> 'id')::bigint];
	-- the third case's registration told the first two (their earlier flag
	-- may have changed): one change each
	ASSERT (SELECT count(*) FROM changelog WHERE case_id = (c1 ->> 'id')::bigint
	    AND seq > (SELECT min(seq) FROM changelog
		WHERE case_id = (c3 ->> 'id')::bigint)) = 1;
END
$$;
