-- list_organisations names the districts the register knows, for checking
-- a new signal's district: those of the series and the process managers,
-- sorted, each once; a district only a case has is not told (the case may
-- be hidden from the user).

DO $$
DECLARE
	v_case jsonb := test_write('veiligthuis', 'create_case',
	    '{"theme": "domestic_violence", "district": "Alleencasusdorp", "summary": "district"}');
	v_list jsonb;
	v_d text[];
BEGIN
	INSERT INTO process_managers (user_id, district)
	VALUES (test_uid('reclassering'), 'Beheerdorp'),
	    (test_uid('politie'), 'Beheerdorp');
	v_list := tafel_list_orgs(test_uid('politie'));
	SELECT array_agg(x ORDER BY n) INTO v_d
	FROM jsonb_array_elements_text(v_list -> 'districts')
	    WITH ORDINALITY AS t(x, n);
	-- every series' district (but an MDO's, its case's) and the process
	-- managers', once each
	ASSERT v_d @> ARRAY(SELECT DISTINCT district FROM series
	    WHERE district <> '' AND kind <> 'mdo'), v_d;
	ASSERT 'Beheerdorp' = ANY (v_d), v_d;
	ASSERT cardinality(v_d) = (SELECT count(DISTINCT x) FROM unnest(v_d) x),
	    v_d;
	-- sorted
	ASSERT v_d = ARRAY(SELECT x FROM unnest(v_d) x ORDER BY x), v_d;
	-- not a case's own district
	ASSERT NOT 'Alleencasusdorp' = ANY (v_d), v_d;
	ASSERT v_case ->> 'district' = 'Alleencasusdorp', v_case;
END
$$;
