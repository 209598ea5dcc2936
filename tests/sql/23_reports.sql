-- Reports (0011, 58_reports.sql): figures checked against hand-counted
-- fixtures in January 2025, and the steering group, which gets totals and
-- nothing else: not through the entry functions, not in events, not under
-- SET ROLE tafel_app with row-level security.

DO $$
DECLARE
	v_org bigint;
	v_user bigint;
	v_series bigint;
	v_m1 bigint;
	k1 bigint;
	k2 bigint;
	r jsonb;
	e jsonb;
	o jsonb;
	a jsonb;
BEGIN
	INSERT INTO organisations (name, kind, covenant_signed, covenant_since)
	VALUES ('Testpartner Rapport', 'other', true, '2020-01-01')
	RETURNING id INTO v_org;
	INSERT INTO users (login, display_name, org_id, roles)
	VALUES ('rapport1', 'Rapport Gebruiker', v_org, '{member}')
	RETURNING id INTO v_user;
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Rapportoverleg', 'wzt', '{domestic_violence}', 'Rapportdorp',
	    test_uid('voorzitter'))
	RETURNING id INTO v_series;
	INSERT INTO series_members VALUES (v_series, v_org);

	-- three closed meetings: two in January (one attended), one after
	INSERT INTO meetings (series_id, scheduled_start, state, chair_id,
	    opened_at, closed_at)
	VALUES (v_series, '2025-01-02 10:00+01', 'closed', test_uid('voorzitter'),
	    '2025-01-02 10:00+01', '2025-01-02 11:00+01')
	RETURNING id INTO v_m1;
	INSERT INTO meetings (series_id, scheduled_start, state, chair_id,
	    opened_at, closed_at)
	VALUES (v_series, '2025-01-08 10:00+01', 'closed', test_uid('voorzitter'),
	    '2025-01-08 10:00+01', '2025-01-08 11:00+01'),
	    (v_series, '2025-02-05 10:00+01', 'closed', test_uid('voorzitter'),
	    '2025-02-05 10:00+01', '2025-02-05 11:00+01');
	INSERT INTO attendance (meeting_id, user_id, org_id, present)
	VALUES (v_m1, v_user, v_org, true);

	-- two cases in theme rapporttheme, district Rapportdorp
	k1 := (test_write('politie', 'create_case', '{"theme": "rapporttheme",
	    "district": "Rapportdorp"}') ->> 'id')::bigint;
	k2 := (test_write('politie', 'create_case', '{"theme": "rapporttheme",
	    "district": "Rapportdorp"}') ->> 'id')::bigint;
	UPDATE cases SET created_at = '2025-01-01 00:00+01', status = 'closed',
	    closed_at = '2025-01-06 00:00+01' WHERE id = k1;
	UPDATE cases SET created_at = '2025-01-02 00:00+01' WHERE id = k2;
	DELETE FROM case_status_history WHERE case_id IN (k1, k2);
	-- k1: 2 days signal, 3 days screening, closed; k2: signal since the 2nd
	INSERT INTO case_status_history VALUES
	    (k1, 'signal', '2025-01-01 00:00+01'),
	    (k1, 'screening', '2025-01-03 00:00+01'),
	    (k1, 'closed', '2025-01-06 00:00+01'),
	    (k2, 'signal', '2025-01-02 00:00+01');

	-- six action points owned by the partner; five agreed in January
	INSERT INTO action_points (case_id, description, owner_org_id, due_date,
	    state, completion_note, created_at, finished_at, finished_by)
	VALUES
	    (k1, 'op tijd', v_org, '2025-01-09', 'done', 'ok',
		'2025-01-03 12:00+01', '2025-01-09 16:00+01', v_user),
	    (k1, 'te laat', v_org, '2025-01-05', 'done', 'ok',
		'2025-01-03 12:00+01', '2025-01-07 09:00+01', v_user),
	    (k1, 'vervallen', v_org, '2025-01-20', 'cancelled', 'reden',
		'2025-01-04 12:00+01', '2025-01-05 09:00+01', v_user),
	    (k2, 'open, verlopen', v_org, '2025-01-05', 'open', '',
		'2025-01-04 12:00+01', NULL, NULL),
	    (k2, 'open', v_org, '2099-01-01', 'open', '',
		'2025-01-10 23:30+01', NULL, NULL),
	    (k2, 'in februari', v_org, '2025-03-01', 'open', '',
		'2025-02-01 12:00+01', NULL, NULL);

	r := tafel_report(test_uid('voorzitter'), '2025-01-01', '2025-01-10');
	SELECT x INTO o FROM jsonb_array_elements(r -> 'orgs') x
	WHERE x ->> 'org_name' = 'Testpartner Rapport';
	ASSERT o = jsonb_build_object('org_id', v_org, 'org_name',
	    'Testpartner Rapport', 'agreed', 5, 'done_on_time', 1,
	    'done_late', 1, 'cancelled', 1, 'open', 2, 'overdue', 1,
	    'meetings', 2, 'attended', 1), o::text;

	SELECT x INTO a FROM jsonb_array_elements(r -> 'areas') x
	WHERE x ->> 'theme' = 'rapporttheme' AND x ->> 'district' = 'Rapportdorp';
	ASSERT a ->> 'opened' = '2' AND a ->> 'closed' = '1', a::text;
	ASSERT a -> 'phases' -> 0 = '{"status": "signal", "cases": 2,
	    "days": 11.0}'::jsonb, a::text;
	ASSERT a -> 'phases' -> 1 = '{"status": "screening", "cases": 1,
	    "days": 3.0}'::jsonb, a::text;
	ASSERT a -> 'phases' -> 2 = '{"status": "info_round", "cases": 0,
	    "days": 0}'::jsonb, a::text;
	ASSERT jsonb_array_length(a -> 'phases') = 7, a::text;

	-- the period is checked
	PERFORM test_expect('TF014', format('SELECT tafel_report(%s, %L, %L)',
	    test_uid('voorzitter'), '2025-02-01', '2025-01-01'));
	e := test_expect('TF011', format('SELECT tafel_report(%s, %L, %L)',
	    test_uid('voorzitter'), 'januari', '2025-01-01'));
	ASSERT e ->> 'hint' = 'from', e::text;
	-- a bad "to" is blamed on "to" (it was blamed on "from")
	e := test_expect('TF011', format('SELECT tafel_report(%s, %L, %L)',
	    test_uid('voorzitter'), '2025-01-01', '2025-02-30'));
	ASSERT e ->> 'hint' = 'to', e::text;
	-- days are YYYY-MM-DD of the years 1900..2200 (protocol.md 5.5), not
	-- whatever PostgreSQL reads as a date
	e := test_expect('TF011', format('SELECT tafel_report(%s, %L, %L)',
	    test_uid('voorzitter'), '1800-01-01', '1800-01-10'));
	ASSERT e ->> 'hint' = 'from', e::text;
	e := test_expect('TF011', format('SELECT tafel_report(%s, %L, %L)',
	    test_uid('voorzitter'), '2025-01-01', 'today'));
	ASSERT e ->> 'hint' = 'to', e::text;
	e := test_expect('TF011', format('SELECT tafel_report(%s, %L, %L)',
	    test_uid('voorzitter'), '20250101', '2025-01-10'));
	ASSERT e ->> 'hint' = 'from', e::text;
	r := tafel_report(test_uid('voorzitter'), '2200-12-01', '2200-12-31');
	ASSERT r ->> 'to' = '2200-12-31', r::text;
	-- a plain member gets no report
	PERFORM test_expect('TF010', format('SELECT tafel_report(%s, %L, %L)',
	    test_uid('politie'), '2025-01-01', '2025-01-10'));
END
$$;

-- The steering group: a member of the municipality, which is involved in
-- many demo cases, with only the steering role.
INSERT INTO users (login, display_name, org_id, roles)
SELECT 'stuurgroep', 'Stuurgroep Lid', org_id, '{steering}'
FROM users WHERE login = 'voorzitter';

DO $$
DECLARE
	s bigint := test_uid('stuurgroep');
	r jsonb;
	v_seq bigint := (SELECT max(seq) FROM changelog
	    WHERE payload ? 'case');
BEGIN
	-- totals, and nothing that names a person or a case
	r := tafel_report(s, '2021-01-01', '2030-12-31');
	ASSERT jsonb_array_length(r -> 'orgs') > 0;
	ASSERT r::text !~ '[0-9]{4}-[0-9]{4}', 'a case number: ' || r::text;
	ASSERT r::text NOT LIKE '%Jeroen%' AND r::text NOT LIKE '%Bakker%'
	    AND r::text NOT LIKE '%Sanne%' AND r::text NOT LIKE '%summary%',
	    r::text;
	-- every other entry function refuses
	PERFORM test_expect('TF010', format('SELECT tafel_list_cases(%s, true)', s));
	PERFORM test_expect('TF010', format('SELECT tafel_list_meetings(%s, 0, 0, 0)', s));
	PERFORM test_expect('TF010', format('SELECT tafel_my_actions(%s, true)', s));
	PERFORM test_expect('TF010', format('SELECT tafel_list_inbox(%s, false, true)', s));
	PERFORM test_expect('TF010', format('SELECT tafel_list_orgs(%s)', s));
	-- no event reaches it
	ASSERT (SELECT event FROM tafel_events_for(v_seq, jsonb_build_array(
	    jsonb_build_object('user_id', s)))) IS NULL;
END
$$;

CREATE TEMP TABLE t_steer AS SELECT test_uid('stuurgroep') AS s,
	test_uid('voorzitter') AS vz;
GRANT SELECT ON t_steer TO tafel_app;
SET ROLE tafel_app;
SELECT set_config('tafel.user_id', (SELECT s FROM t_steer)::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM cases) = 0;
	ASSERT (SELECT count(*) FROM persons) = 0;
	ASSERT (SELECT count(*) FROM action_points) = 0;
	ASSERT (SELECT count(*) FROM meetings) = 0;
	ASSERT (SELECT count(*) FROM agenda_items) = 0;
	ASSERT (SELECT count(*) FROM contributions) = 0;
	ASSERT (SELECT count(*) FROM inbox_entries) = 0;
	ASSERT (SELECT count(*) FROM nominations) = 0;
	ASSERT tafel_rls_user() = 0;
END
$$;
-- the same municipality's chair sees rows: the difference is the role
SELECT set_config('tafel.user_id', (SELECT vz FROM t_steer)::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM cases) > 0;
	ASSERT NOT has_table_privilege('case_status_history', 'SELECT'),
	    'the routing history is not for tafel_app';
END
$$;
RESET ROLE;
