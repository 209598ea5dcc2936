-- The database benchmark's fixture (tests/bench/bench_db.sh): on top of the
-- demo data, a WZT meeting next week with 50 agenda items (50 new cases of
-- the police, two persons each) and 500 action points on them (10 per case,
-- owners rotating over five partner organisations, some overdue, some
-- done), all made through tafel_write like a client would; every
-- organisation is made a member of the series (as the owner).  Prints the
-- meeting's id.  Idempotent keys: run it once per database.
DO $$
DECLARE
	v_pol bigint := (SELECT id FROM users WHERE login = 'politie');
	v_chair bigint := (SELECT id FROM users WHERE login = 'voorzitter');
	v_orgs bigint[] := ARRAY(SELECT o.id FROM organisations o
	    JOIN series_members sm ON sm.org_id = o.id
	    WHERE sm.series_id = (SELECT id FROM series WHERE kind = 'wzt'
		ORDER BY id LIMIT 1) ORDER BY o.id LIMIT 5);
	v_m jsonb;
	v_c jsonb;
	v_a jsonb;
	i int;
	k int;
BEGIN
	-- every organisation a member of the series: ten viewer classes for
	-- the render benchmark
	INSERT INTO series_members (series_id, org_id)
	SELECT (SELECT id FROM series WHERE kind = 'wzt' ORDER BY id LIMIT 1), o.id
	FROM organisations o ON CONFLICT DO NOTHING;
	v_m := tafel_write(v_chair, 'fixture-meeting', 'create_meeting',
	    jsonb_build_object('series_id', (SELECT id FROM series
		WHERE kind = 'wzt' ORDER BY id LIMIT 1),
		'scheduled_start', extract(epoch FROM date_trunc('hour', now())
		    + interval '7 days')::bigint));
	FOR i IN 1..50 LOOP
		v_c := tafel_write(v_pol, 'fixture-case-' || i, 'create_case',
		    jsonb_build_object('theme', 'domestic_violence',
			'approach', 'system', 'district', 'Enschede-Noord',
			'summary', 'Casus ' || i || ': zorgen over het gezin Bench',
			'persons', jsonb_build_array(
			    jsonb_build_object('role', 'victim', 'name',
				'Anna Bench ' || i, 'birth_date',
				to_char(date '1990-01-01' + i, 'YYYY-MM-DD')),
			    jsonb_build_object('role', 'suspect', 'name',
				'Bas Bench ' || i, 'birth_date',
				to_char(date '1988-05-05' + i, 'YYYY-MM-DD')))));
		PERFORM tafel_write(v_chair, 'fixture-item-' || i, 'add_agenda_item',
		    jsonb_build_object('meeting_id', v_m -> 'id',
			'case_id', v_c -> 'id'));
		FOR k IN 1..10 LOOP
			v_a := tafel_write(v_chair, format('fixture-action-%s-%s', i, k),
			    'create_action', jsonb_build_object(
				'case_id', v_c -> 'id', 'meeting_id', v_m -> 'id',
				'description', format('Actie %s bij Anna Bench %s', k, i),
				'owner_org_id', v_orgs[1 + (i + k) % cardinality(v_orgs)],
				'due_date', to_char(current_date + (k - 4) * 3,
				    'YYYY-MM-DD')));
		END LOOP;
	END LOOP;
	RAISE NOTICE 'fixture meeting %', v_m ->> 'id';
END
$$;
SELECT max(id) AS meeting FROM meetings;
