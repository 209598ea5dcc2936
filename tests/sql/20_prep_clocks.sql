-- Legal clocks (0010), run as the server's role tafel_app: a huisverbod of
-- 10 days shows its day, turns red when it ends before the next meeting,
-- extends by decision to 28 days in total and no further (LEGAL_LIMIT);
-- custody and detention need their end date and imply a notice to
-- probation; who may set a clock; the clocks under row-level security.

CREATE TEMP TABLE t_cl AS SELECT 0::bigint AS c, 0::bigint AS clock_id,
	0::bigint AS series, 0::bigint AS meeting;
DO $$
DECLARE
	v_series bigint;
	v jsonb;
BEGIN
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Test klokken', 'casusoverleg_hg', '{domestic_violence}',
	    'Klokdorp', test_uid('voorzitter'))
	RETURNING id INTO v_series;
	INSERT INTO series_members (series_id, org_id)
	SELECT v_series, org_id FROM users WHERE login = 'politie';
	INSERT INTO meetings (series_id, scheduled_start, chair_id)
	VALUES (v_series, ((current_date + 5) + time '13:30')
	    AT TIME ZONE 'Europe/Amsterdam', test_uid('voorzitter'));
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Klokdorp", "approach": "person",
	    "reason": "huiselijk geweld, huisverbod opgelegd"}');
	UPDATE t_cl SET c = (v ->> 'id')::bigint, series = v_series;
END
$$;
GRANT SELECT ON t_cl TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

SET ROLE tafel_app;

DO $$
DECLARE
	x t_cl;
	v jsonb;
	k jsonb;
	e jsonb;
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
BEGIN
	SELECT * INTO x FROM t_cl;

	-- a huisverbod ordered 8 days ago: day 9 of 10, ends tomorrow, before
	-- the meeting in 5 days: red
	v := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'huisverbod',
	    'starts_on', v_today - 8, 'hearing_date', v_today + 1));
	k := v -> 'clocks' -> 0;
	ASSERT k ->> 'label' = 'huisverbod', k::text;
	ASSERT (k ->> 'day')::int = 9 AND (k ->> 'total_days')::int = 10, k::text;
	ASSERT (k ->> 'ends_on')::date = v_today + 1, k::text;
	ASSERT (k ->> 'max_total_days')::int = 28, k::text;
	ASSERT (k ->> 'red')::boolean AND (k ->> 'running')::boolean, k::text;
	ASSERT (k ->> 'hearing_date')::date = v_today + 1, k::text;
	x.clock_id := (k ->> 'id')::bigint;

	-- the order's length is the law's: a longer first order is refused
	e := test_expect('TF060', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'huisverbod', 'starts_on', v_today,
	    'ends_on', v_today + 20)));
	ASSERT e ->> 'hint' = 'ends_on' AND e ->> 'message' LIKE '%10 days%',
	    e::text;

	-- extended by decision to 28 days in total: no longer red (ends after
	-- the meeting), one extension
	v := test_write('politie', 'extend_clock', jsonb_build_object(
	    'id', x.clock_id, 'version', k -> 'version', 'ends_on', v_today - 8 + 27,
	    'note', 'verlengd door burgemeester'));
	k := v -> 'clocks' -> 0;
	ASSERT (k ->> 'total_days')::int = 28 AND (k ->> 'extensions')::int = 1,
	    k::text;
	ASSERT NOT (k ->> 'red')::boolean, k::text;
	-- ... and not one day more
	e := test_expect('TF060', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', x.clock_id,
	    'version', k -> 'version', 'ends_on', v_today - 8 + 28)));
	ASSERT e ->> 'hint' = 'ends_on', e::text;
	ASSERT e ->> 'message' LIKE '%at most 28 days in total%29 days%',
	    e ->> 'message';
	-- a stale version is a conflict; shortening is refused
	PERFORM test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', x.clock_id,
	    'version', 1, 'ends_on', v_today + 10)));
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', x.clock_id,
	    'version', k -> 'version', 'ends_on', v_today)));

	-- custody needs its end; it implies telling probation the day before
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'police_custody', 'starts_on', v_today)));
	v := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'police_custody', 'starts_on', v_today,
	    'ends_on', v_today + 3));
	SELECT el INTO k FROM jsonb_array_elements(v -> 'clocks') el
	WHERE el ->> 'kind' = 'police_custody';
	ASSERT k ->> 'notice_org_kind' = 'probation', k::text;
	-- the day before its end, or the working day before that when it is
	-- a weekend day (a run on a Thursday ends on a Sunday)
	ASSERT (k ->> 'notice_due')::date = v_today + 2 - CASE extract(isodow
	    FROM v_today + 2) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END, k::text;
	ASSERT (k ->> 'red')::boolean, 'ends before the meeting in 5 days';
	-- the same order entered again (another key): refused, nothing written
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'police_custody', 'starts_on', v_today,
	    'ends_on', v_today + 3)));
	ASSERT e ->> 'hint' = 'starts_on' AND e ->> 'message' LIKE format(
	    'the case has this inverzekeringstelling already (clock %s, %s to %s)%%',
	    k ->> 'id', v_today, v_today + 3), e::text;
	ASSERT (SELECT count(*) FROM case_clocks WHERE case_id = x.c) = 2;
	-- it cannot be extended (a new decision is a new clock)
	e := test_expect('TF060', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', k -> 'id',
	    'version', k -> 'version', 'ends_on', v_today + 4)));
	ASSERT e ->> 'message' LIKE '%cannot be extended%', e::text;
	-- soonest end first
	ASSERT v -> 'clocks' -> 0 ->> 'kind' = 'police_custody', v::text;

	-- an unknown kind; a hearing for a kind without
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'parking_ticket', 'starts_on', v_today)));
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'pretrial_detention', 'starts_on', v_today,
	    'ends_on', v_today + 90, 'hearing_date', v_today + 3)));

	-- who: a partner without a connection does not know the case; the
	-- public prosecutor, once connected, may set one
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'woningcorporatie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'huisverbod', 'starts_on', v_today)));
END
$$;

-- the clocks under row-level security: the submitter sees them, an
-- unconnected partner not
SELECT set_config('tafel.user_id', test_uid('politie')::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM case_clocks
	    WHERE case_id = (SELECT c FROM t_cl)) = 2;
	ASSERT (SELECT count(*) FROM clock_kinds) >= 3;
END
$$;
SELECT set_config('tafel.user_id', test_uid('woningcorporatie')::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM case_clocks
	    WHERE case_id = (SELECT c FROM t_cl)) = 0;
END
$$;
RESET ROLE;

-- A clock's note is free text about persons (docs/protocol.md 9.1,
-- free_text): "" for a viewer whose access lacks free_text (the GP outside
-- the covenant, on the agenda of a meeting it attends), also on the shared
-- screen when such a viewer is present, and in the snapshot; the clock
-- itself stays visible.  A note sent counts as free_text in the read
-- audit; the skeleton of the change log has none; tafel_app reads no note.
DO $$
DECLARE
	x t_cl;
	v_m bigint;
	v jsonb;
	k jsonb;
	v_n bigint;
	v_ha bigint := test_uid('huisarts');
	v_po bigint := test_uid('politie');
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
BEGIN
	SELECT * INTO x FROM t_cl;
	SELECT id INTO v_m FROM meetings WHERE series_id = x.series;
	INSERT INTO series_members (series_id, org_id)
	SELECT x.series, org_id FROM users WHERE login = 'huisarts';
	INSERT INTO agenda_items (meeting_id, case_id, position)
	VALUES (v_m, x.c, 1);
	v := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'huisverbod', 'starts_on', v_today - 1,
	    'note', 'Huisverbod aan Jeroen Bakker, verblijft bij zijn moeder'));
	ASSERT (SELECT count(*) FROM case_clocks WHERE case_id = x.c
	    AND note LIKE 'Huisverbod aan Jeroen%') = 1;

	-- the police (free_text): the note, audited as free_text
	v_n := (SELECT coalesce(max(id), 0) FROM audit_log);
	v := tafel_get_case(v_po, x.c) -> 'case';
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'clocks') e
	    WHERE e ->> 'note' LIKE 'Huisverbod aan Jeroen%'), v::text;
	ASSERT EXISTS (SELECT 1 FROM audit_log WHERE id > v_n
	    AND user_id = v_po AND case_id = x.c
	    AND 'free_text' = ANY (categories)), 'note read, audited';

	-- the GP: connected (the agenda), pseudonymised: every note "", the
	-- clocks themselves as they are, nothing audited
	v_n := (SELECT coalesce(max(id), 0) FROM audit_log);
	v := tafel_get_case(v_ha, x.c) -> 'case';
	ASSERT v ->> 'redaction_reason' = 'not_signatory', v::text;
	ASSERT jsonb_array_length(v -> 'clocks') = 3, v::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'clocks') e
	    WHERE e ->> 'note' <> ''), v::text;
	SELECT e INTO k FROM jsonb_array_elements(v -> 'clocks') e
	WHERE e ->> 'kind' = 'huisverbod' ORDER BY (e ->> 'id')::bigint DESC
	LIMIT 1;
	ASSERT (k ->> 'day')::int = 2 AND (k ->> 'total_days')::int = 10
	    AND (k ->> 'ends_on')::date = v_today + 8, k::text;
	v := tafel_list_cases(v_ha, false) -> 'cases';
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(v) c
	    WHERE (c ->> 'id')::bigint = x.c), v::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v) c,
	    jsonb_array_elements(c -> 'clocks') e WHERE e ->> 'note' <> ''),
	    v::text;
	v := tafel_snapshot(v_ha, v_m);
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    v -> 'snapshot' -> 'cases') c, jsonb_array_elements(c -> 'clocks') e
	    WHERE e ->> 'note' <> ''), v::text;
	ASSERT NOT EXISTS (SELECT 1 FROM audit_log WHERE id > v_n
	    AND user_id = v_ha), 'the GP read no free text';
	-- the change's event for the GP: the same
	v := (SELECT e.event FROM tafel_events_for((SELECT max(cl.seq)
	    FROM changelog cl WHERE (cl.payload -> 'case' ->> 'id')::bigint = x.c),
	    jsonb_build_array(jsonb_build_object('user_id', v_ha,
		'presentation_meeting', 0))) e);
	ASSERT v -> 'case' ->> 'redaction_reason' = 'not_signatory', v::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    v -> 'case' -> 'clocks') e WHERE e ->> 'note' <> ''), v::text;
	-- the police's snapshot: the note, as in its case
	v := tafel_snapshot(v_po, v_m);
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    v -> 'snapshot' -> 'cases') c, jsonb_array_elements(c -> 'clocks') e
	    WHERE e ->> 'note' LIKE 'Huisverbod aan Jeroen%'), v::text;

	-- the shared screen with the GP present: no note; without it, the
	-- note, audited per organisation present
	PERFORM test_open(v_m);
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', v_ha, 'present', true));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', v_po, 'present', true));
	v := tafel_snapshot(test_uid('voorzitter'), v_m, true);
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    v -> 'snapshot' -> 'cases') c, jsonb_array_elements(c -> 'clocks') e
	    WHERE e ->> 'note' <> ''), v::text;
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', v_ha, 'present', false));
	-- (the chair's municipality involved: the room may see it all)
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT x.c, org_id FROM users WHERE login = 'voorzitter';
	v_n := (SELECT coalesce(max(id), 0) FROM audit_log);
	v := tafel_snapshot(test_uid('voorzitter'), v_m, true);
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    v -> 'snapshot' -> 'cases') c, jsonb_array_elements(c -> 'clocks') e
	    WHERE e ->> 'note' LIKE 'Huisverbod aan Jeroen%'), v::text;
	ASSERT EXISTS (SELECT 1 FROM audit_log WHERE id > v_n
	    AND context = 'beamer' AND case_id = x.c AND org_id = (SELECT org_id
		FROM users WHERE id = v_po) AND 'free_text' = ANY (categories)),
	    (SELECT string_agg(format('%s/%s/%s', case_id, org_id, categories),
		' ') FROM audit_log WHERE id > v_n);

	-- the change log's skeleton keeps no note
	ASSERT NOT EXISTS (SELECT 1 FROM changelog cl,
	    jsonb_array_elements(tafel_skeleton(cl.payload) -> 'case' -> 'clocks') e
	    WHERE (cl.payload -> 'case' ->> 'id')::bigint = x.c
		AND e ->> 'note' <> '');
END
$$;
SET ROLE tafel_app;
SELECT set_config('tafel.user_id', test_uid('politie')::text, true);
DO $$
BEGIN
	-- the clocks under RLS, without their notes (free text, rule 8)
	ASSERT (SELECT count(*) FROM case_clocks
	    WHERE case_id = (SELECT c FROM t_cl)) = 3;
	PERFORM test_expect('42501', 'SELECT note FROM case_clocks');
END
$$;
RESET ROLE;
