-- The demo house loads once: a second call adds nothing and no change-log
-- rows are written.  (helpers.sql has already called it once.)

DO $$
DECLARE
	v_counts bigint[];
	v_after bigint[];
	v_changes bigint := test_changes();
BEGIN
	SELECT ARRAY[(SELECT count(*) FROM organisations), (SELECT count(*) FROM users),
	    (SELECT count(*) FROM series), (SELECT count(*) FROM series_members),
	    (SELECT count(*) FROM meetings), (SELECT count(*) FROM attendance),
	    (SELECT count(*) FROM cases), (SELECT count(*) FROM persons),
	    (SELECT count(*) FROM agenda_items), (SELECT count(*) FROM action_points)]
	INTO v_counts;
	PERFORM tafel_demo_data('another-hash');
	PERFORM tafel_demo_data('another-hash');
	SELECT ARRAY[(SELECT count(*) FROM organisations), (SELECT count(*) FROM users),
	    (SELECT count(*) FROM series), (SELECT count(*) FROM series_members),
	    (SELECT count(*) FROM meetings), (SELECT count(*) FROM attendance),
	    (SELECT count(*) FROM cases), (SELECT count(*) FROM persons),
	    (SELECT count(*) FROM agenda_items), (SELECT count(*) FROM action_points)]
	INTO v_after;
	ASSERT v_after = v_counts, format('%s then %s', v_counts, v_after);
	ASSERT test_changes() = v_changes;
	ASSERT NOT EXISTS (SELECT 1 FROM users WHERE password_hash = 'another-hash');

	-- what the demo promises
	ASSERT (SELECT roles @> '{chair}' AND display_name = 'Anouk de Vries'
	    FROM users WHERE login = 'voorzitter');
	ASSERT (SELECT roles = '{admin}' FROM users WHERE login = 'admin');
	ASSERT (SELECT roles = '{observer}' FROM users WHERE login = 'waarnemer');
	ASSERT (SELECT count(*) FROM users WHERE login IN ('voorzitter', 'politie',
	    'om', 'reclassering', 'jeugdzorg', 'veiligthuis', 'admin', 'waarnemer')) = 8;
	ASSERT EXISTS (SELECT 1 FROM organisations WHERE NOT covenant_signed);
	ASSERT (SELECT count(*) FROM meetings m
	    WHERE m.scheduled_start::date BETWEEN current_date - 1 AND current_date + 1
		AND m.state = 'planned'
		AND m.chair_id = test_uid('voorzitter')) >= 3;
	ASSERT EXISTS (SELECT 1 FROM meetings WHERE state = 'closed');
	ASSERT (SELECT count(DISTINCT status) FROM cases) >= 6;
	ASSERT EXISTS (SELECT 1 FROM persons WHERE name LIKE '%Özdemir%');
	ASSERT EXISTS (SELECT 1 FROM action_points WHERE state = 'open'
	    AND due_date < current_date);
	ASSERT EXISTS (SELECT 1 FROM action_points WHERE state = 'done'
	    AND completion_note <> '');
	ASSERT (SELECT count(DISTINCT owner_org_id) FROM action_points) >= 5;

	-- later case numbers do not collide with the demo's
	PERFORM test_write('politie', 'create_case', '{"theme": "domestic_violence"}');
END
$$;
