-- A person's name has no digits.  A date of birth typed into the name (the
-- intake's "kind Elif Yilmaz 3 september 2015", or a day that does not
-- exist, "31-2-2012") was stored as part of the name, so it reached every
-- screen the name does: the housing partner's, whom the covenant keeps
-- birth dates from, the beamer and the minutes.  create_case, add_person and
-- update_person refuse it (TF011 on the name); the name without digits is
-- stored, with its birth date in birth_date.

DO $$
DECLARE
	c jsonb;
	e jsonb;
	v_cases bigint := (SELECT count(*) FROM cases);
	v_case jsonb := jsonb_build_object('theme', 'at_risk_youth',
	    'approach', 'person', 'district', 'Utrecht-West',
	    'reason', 'zorgen over thuissituatie');
BEGIN
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'create_case', v_case || jsonb_build_object('persons',
	    jsonb_build_array(jsonb_build_object('role', 'child',
		'name', 'Elif Yilmaz 3 september 2015')))));
	ASSERT e ->> 'hint' = 'persons.name', e::text;
	ASSERT e ->> 'message' LIKE 'a name has no digits%', e::text;
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'create_case', v_case || jsonb_build_object('persons',
	    jsonb_build_array(jsonb_build_object('role', 'child',
		'name', 'Elif Yilmaz 31-2-2012')))));
	ASSERT (SELECT count(*) FROM cases) = v_cases, 'refused case stored';
	ASSERT NOT EXISTS (SELECT 1 FROM persons WHERE name ~ '[0-9]');

	c := test_write('politie', 'create_case', v_case || jsonb_build_object(
	    'persons', jsonb_build_array(jsonb_build_object('role', 'child',
		'name', 'Elif Yilmaz', 'birth_date', '2015-09-03'))));
	ASSERT c -> 'persons' -> 0 ->> 'name' = 'Elif Yilmaz', c::text;
	ASSERT c -> 'persons' -> 0 ->> 'birth_date' = '2015-09-03', c::text;

	-- the same for a person added to the case, and for a changed name
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', (c ->> 'id')::bigint, 'role', 'other',
		'name', 'Moeder 1988'))));
	ASSERT e ->> 'hint' = 'person.name', e::text;
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'update_person', jsonb_build_object('person',
	    (c -> 'persons' -> 0) || jsonb_build_object('name',
		'Elif Yilmaz 3-9-2015'))));
	ASSERT e ->> 'hint' = 'person.name', e::text;
	ASSERT NOT EXISTS (SELECT 1 FROM persons WHERE name ~ '[0-9]');
END
$$;
