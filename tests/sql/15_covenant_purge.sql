-- Retention (0005): tafel_purge anonymises closed cases past the period,
-- skips legal holds and younger cases, scrubs the change log, deletes the
-- idempotency rows, keeps the audit log and writes purge_log.

CREATE FUNCTION test_case_of(p_person text) RETURNS bigint LANGUAGE sql AS $$
	SELECT case_id FROM persons WHERE name = p_person
$$;

DO $$
DECLARE
	v_old jsonb;
	v_hold jsonb;
	v_young jsonb;
	v_m jsonb;
	v_item jsonb;
	v_a jsonb;
	v_audit bigint;
	v_cl bigint;
	r record;
	n int;
BEGIN
	-- three cases with persons, a decision, action points, changes
	v_old := test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Enschede-Noord",
	    "summary": "Oude zaak", "reason": "Truus Oudeman belde",
	    "persons": [{"role": "victim",
	    "name": "Truus Oudeman", "birth_date": "1960-02-02"}]}');
	v_hold := test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Enschede-Noord",
	    "summary": "Rechtszaak loopt", "persons": [{"role": "suspect",
	    "name": "Henk Vasthouden"}]}');
	v_young := test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Enschede-Noord",
	    "summary": "Recent", "persons": [{"role": "victim", "name": "Jonge Zaak"}]}');
	v_m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('wzt'),
	    'scheduled_start', extract(epoch FROM now())::bigint));
	v_item := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_m -> 'id', 'case_id', v_old -> 'id')) -> 'items' -> 0;
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', v_item -> 'id', 'version', v_item -> 'version',
	    'decision', 'Truus Oudeman krijgt hulp'));
	v_a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_old -> 'id', 'description', 'Bel Truus Oudeman',
	    'owner_org_id', test_org('Politie Eenheid Oost-Nederland'),
	    'due_date', to_char(current_date + 3, 'YYYY-MM-DD')));
	PERFORM test_write('politie', 'complete_action', jsonb_build_object(
	    'id', v_a -> 'id', 'version', v_a -> 'version',
	    'note', 'Truus Oudeman gesproken'));
	-- intake (0008): a contribution, a goal, a closing evaluation
	PERFORM test_write('politie', 'add_contribution', jsonb_build_object(
	    'case_id', v_old -> 'id', 'facts', 'Truus Oudeman meldde',
	    'judgement', 'Truus Oudeman loopt gevaar'));
	PERFORM test_write('politie', 'add_goal', jsonb_build_object('goal',
	    jsonb_build_object('case_id', v_old -> 'id',
		'description', 'Truus Oudeman veilig')));
	UPDATE cases SET closing_reason = 'Truus Oudeman verhuisd',
	    evaluation = 'Truus Oudeman tevreden'
	WHERE id = (v_old ->> 'id')::bigint;
	PERFORM tafel_get_case(test_uid('politie'), (v_old ->> 'id')::bigint);
	v_audit := (SELECT count(*) FROM audit_log WHERE case_id = (v_old ->> 'id')::bigint);
	ASSERT v_audit > 0;
	-- a pushed change of the case to the police: a disclosure (0012)
	PERFORM tafel_events_for((SELECT max(seq) FROM changelog
	    WHERE case_id = (v_old ->> 'id')::bigint),
	    jsonb_build_array(jsonb_build_object('user_id', test_uid('politie'))));
	PERFORM tafel_audit_fold(NULL, true);
	ASSERT (SELECT count(*) FROM audit_disclosures
	    WHERE case_id = (v_old ->> 'id')::bigint) = 1;

	-- closed six years ago, six years ago under legal hold, one year ago
	UPDATE cases SET status = 'closed', closed_at = now() - interval '6 years'
	WHERE id IN ((v_old ->> 'id')::bigint, (v_hold ->> 'id')::bigint);
	UPDATE cases SET status = 'closed', closed_at = now() - interval '1 year'
	WHERE id = (v_young ->> 'id')::bigint;
	PERFORM tafel_set_legal_hold(v_hold ->> 'number', true);
	ASSERT (SELECT legal_hold FROM cases WHERE id = (v_hold ->> 'id')::bigint);
	PERFORM test_expect('TF016', 'SELECT tafel_set_legal_hold(''1999-0001'', true)');

	-- dry run: lists, changes nothing
	n := (SELECT count(*) FROM purge_log);
	ASSERT (SELECT array_agg(action ORDER BY case_number) FROM tafel_purge(
	    interval '5 years', true) WHERE case_number IN (v_old ->> 'number',
	    v_hold ->> 'number', v_young ->> 'number'))
	    = ARRAY['would_anonymise', 'skipped_legal_hold'];
	ASSERT (SELECT count(*) FROM purge_log) = n;
	ASSERT EXISTS (SELECT 1 FROM persons WHERE name = 'Truus Oudeman');

	-- the real thing
	v_cl := (SELECT count(*) FROM changelog);
	FOR r IN SELECT * FROM tafel_purge(interval '5 years', false) LOOP
		IF r.case_number = v_old ->> 'number' THEN
			ASSERT r.action = 'anonymised';
		ELSIF r.case_number = v_hold ->> 'number' THEN
			ASSERT r.action = 'skipped_legal_hold';
		ELSE
			ASSERT r.case_number <> v_young ->> 'number', 'one year: kept';
		END IF;
	END LOOP;

	-- the old case: anonymised
	ASSERT (SELECT summary = '' AND anonymised_at IS NOT NULL AND reason = ''
	    AND closing_reason = '' AND evaluation = '' FROM cases
	    WHERE id = (v_old ->> 'id')::bigint);
	ASSERT NOT EXISTS (SELECT 1 FROM contributions
	    WHERE facts LIKE '%Truus%' OR judgement LIKE '%Truus%');
	ASSERT NOT EXISTS (SELECT 1 FROM case_goals WHERE description LIKE '%Truus%');
	ASSERT (SELECT bool_and(name = 'geanonimiseerd' AND birth_date IS NULL)
	    FROM persons WHERE case_id = (v_old ->> 'id')::bigint);
	ASSERT (SELECT decision FROM agenda_items WHERE id = (v_item ->> 'id')::bigint) = '';
	ASSERT (SELECT bool_and(description = '' AND completion_note = '')
	    FROM action_points WHERE case_id = (v_old ->> 'id')::bigint);
	ASSERT NOT EXISTS (SELECT 1 FROM changelog WHERE payload::text LIKE '%Truus%'
	    OR payload::text LIKE '%Oude zaak%' OR payload::text LIKE '%1960-02-02%');
	-- the rows are kept, scrubbed; one change more per anonymised case,
	-- for the clients that have it on screen: no actor, routed by the
	-- case, carrying it anonymised (no personal data, line above)
	ASSERT (SELECT count(*) FROM changelog) = v_cl + 1,
	    'rows are kept, scrubbed; one change of the anonymised case';
	ASSERT (SELECT cl.actor_id IS NULL AND cl.meeting_id IS NULL
	    AND cl.case_id = (v_old ->> 'id')::bigint
	    AND cl.payload -> 'case' -> 'persons' -> 0 ->> 'name' = 'geanonimiseerd'
	    AND cl.payload ? 'actions'
	    FROM changelog cl ORDER BY cl.seq DESC LIMIT 1),
	    'the change that tells the clients';
	ASSERT NOT EXISTS (SELECT 1 FROM idempotency WHERE response::text LIKE '%Truus%');
	ASSERT NOT EXISTS (SELECT 1 FROM idempotency i WHERE i.response ->> 'id'
	    = v_old ->> 'id' AND i.op = 'create_case');
	-- the audit log is kept, the push disclosures too
	ASSERT (SELECT count(*) FROM audit_log WHERE case_id = (v_old ->> 'id')::bigint)
	    = v_audit;
	ASSERT (SELECT count(*) FROM audit_disclosures
	    WHERE case_id = (v_old ->> 'id')::bigint) = 1;
	-- purge_log: one row, counts only
	ASSERT (SELECT count(*) FROM purge_log WHERE case_id = (v_old ->> 'id')::bigint) = 1;
	SELECT * INTO r FROM purge_log WHERE case_id = (v_old ->> 'id')::bigint;
	ASSERT r.case_number = v_old ->> 'number' AND r.closed_at IS NOT NULL;
	ASSERT r.reason LIKE 'closed more than %';
	ASSERT (r.removed ->> 'persons')::int = 1 AND (r.removed ->> 'decisions')::int = 1
	    AND (r.removed ->> 'action_points')::int = 1
	    AND (r.removed ->> 'changelog')::int >= 4
	    AND (r.removed ->> 'idempotency')::int >= 4
	    AND (r.removed ->> 'contributions')::int = 1
	    AND (r.removed ->> 'goals')::int = 1, r.removed::text;
	ASSERT r.removed::text NOT LIKE '%Truus%';

	-- the legal hold and the young case: untouched
	ASSERT EXISTS (SELECT 1 FROM persons WHERE name = 'Henk Vasthouden');
	ASSERT (SELECT summary FROM cases WHERE id = (v_hold ->> 'id')::bigint)
	    = 'Rechtszaak loopt';
	ASSERT (SELECT anonymised_at IS NULL FROM cases WHERE id = (v_hold ->> 'id')::bigint);
	ASSERT EXISTS (SELECT 1 FROM persons WHERE name = 'Jonge Zaak');
	ASSERT NOT EXISTS (SELECT 1 FROM purge_log WHERE case_id IN (
	    (v_hold ->> 'id')::bigint, (v_young ->> 'id')::bigint));

	-- a second run does nothing more; lifting the hold lets it go
	ASSERT NOT EXISTS (SELECT 1 FROM tafel_purge(interval '5 years', false)
	    WHERE action = 'anonymised');
	PERFORM tafel_set_legal_hold(v_hold ->> 'number', false);
	ASSERT EXISTS (SELECT 1 FROM tafel_purge(interval '5 years', false)
	    WHERE case_number = v_hold ->> 'number' AND action = 'anonymised');
	ASSERT NOT EXISTS (SELECT 1 FROM persons WHERE name = 'Henk Vasthouden');

	-- the anonymised case still renders (and shapes) for the reader
	ASSERT tafel_get_case(test_uid('politie'), (v_old ->> 'id')::bigint)
	    -> 'case' -> 'persons' -> 0 ->> 'name' = 'geanonimiseerd';
END
$$;
