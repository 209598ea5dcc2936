-- The case list fits the frame limit however many and however long the
-- cases: list_cases (and the case list's snapshot) stops before its JSON
-- passes tafel_list_budget() and says how many older cases it left out;
-- before_id asks for the next page.  Before, a list over 1 MiB was refused
-- ("ask for less") with no way to ask for less: forty long cases locked
-- every user who may see them out of the case list.

DO $$
DECLARE
	v_uid bigint := test_uid('politie');
	v_long text := repeat('Lange toelichting over de situatie thuis. ', 185);
	v_persons jsonb := (SELECT jsonb_agg(jsonb_build_object('role', 'other',
	    'name', repeat('Naamsdeel ', 19) || chr(65 + i % 26)))
	    FROM generate_series(1, 50) i);
	v_all jsonb := tafel_list_cases(v_uid, false, 0, 1000000000);
	p1 jsonb;
	p2 jsonb;
	v_seen bigint[] := '{}';
	v_page jsonb;
	v_before bigint := 0;
	v_pages int := 0;
	v_total int;
BEGIN
	ASSERT (v_all ->> 'omitted')::int = 0, v_all ->> 'omitted';
	FOR i IN 1 .. 40 LOOP
		PERFORM test_write('politie', 'create_case', jsonb_build_object(
		    'theme', 'domestic_violence', 'approach', 'person',
		    'district', 'Utrecht-West', 'reason', v_long,
		    'summary', v_long, 'persons', v_persons));
	END LOOP;
	v_all := tafel_list_cases(v_uid, false, 0, 1000000000);
	v_total := jsonb_array_length(v_all -> 'cases');
	ASSERT octet_length(v_all::text) > 1048576, octet_length(v_all::text);

	-- the first page fits, and says what it left out
	p1 := tafel_list_cases(v_uid, false);
	ASSERT octet_length(p1::text) <= tafel_list_budget(),
	    octet_length(p1::text);
	ASSERT (p1 ->> 'omitted')::int > 0, p1 ->> 'omitted';
	ASSERT jsonb_array_length(p1 -> 'cases') + (p1 ->> 'omitted')::int
	    = v_total;
	-- newest first
	ASSERT (p1 -> 'cases' -> 0 ->> 'id')::bigint = (v_all -> 'cases' -> 0
	    ->> 'id')::bigint;
	-- the snapshot of the case list is that first page
	p2 := tafel_list_snapshot(v_uid, 3, false) -> 'cases';
	ASSERT p2 ->> 'omitted' = p1 ->> 'omitted', p2 ->> 'omitted';

	-- before_id pages through all of them, each once, in order
	LOOP
		v_page := tafel_list_cases(v_uid, false, v_before);
		v_pages := v_pages + 1;
		ASSERT octet_length(v_page::text) <= tafel_list_budget();
		v_seen := v_seen || ARRAY(SELECT (x ->> 'id')::bigint
		    FROM jsonb_array_elements(v_page -> 'cases') x);
		EXIT WHEN (v_page ->> 'omitted')::int = 0;
		v_before := v_seen[cardinality(v_seen)];
		ASSERT v_pages < 10;
	END LOOP;
	ASSERT v_pages >= 2, v_pages;
	ASSERT v_seen = ARRAY(SELECT (x ->> 'id')::bigint
	    FROM jsonb_array_elements(v_all -> 'cases') x), 'pages differ';
END
$$;
