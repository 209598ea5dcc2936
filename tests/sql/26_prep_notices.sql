-- Notices that reach the inbox (0013, 57_prep.sql), run as the server's
-- role tafel_app: a police custody clock tells the probation organisation
-- connected to the case (a member of the series of a meeting whose agenda
-- has it) when it is set and again on its notice day (the working day
-- before the end), each once however often the timer runs; nobody else
-- gets it, and a bare signal, NOT_FOUND for probation, tells it nothing.
-- Publishing an agenda gives every member organisation of the series one
-- inbox entry.

CREATE TEMP TABLE t_nt AS SELECT 0::bigint AS c, 0::bigint AS m,
	0::bigint AS series, 0::bigint AS c2;
DO $$
DECLARE
	v_series bigint;
	v jsonb;
BEGIN
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Test meldingen', 'casusoverleg_hg', '{domestic_violence}',
	    'Meldingdorp', test_uid('voorzitter'))
	RETURNING id INTO v_series;
	INSERT INTO series_members (series_id, org_id)
	SELECT v_series, org_id FROM users
	WHERE login IN ('politie', 'reclassering', 'veiligthuis');
	INSERT INTO meetings (series_id, scheduled_start, chair_id)
	VALUES (v_series, (date '2026-12-10' + time '13:30')
	    AT TIME ZONE 'Europe/Amsterdam', test_uid('voorzitter'));
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Meldingdorp", "approach": "person",
	    "reason": "mishandeling, verdachte in verzekering gesteld"}');
	UPDATE t_nt SET c = (v ->> 'id')::bigint, series = v_series,
	    m = (SELECT id FROM meetings WHERE series_id = v_series);
	-- on the meeting's agenda: connected for the series' members
	INSERT INTO agenda_items (meeting_id, case_id, position)
	SELECT m, c, 1 FROM t_nt;
	-- a second signal of the same district and theme, on no agenda
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Meldingdorp", "approach": "person",
	    "reason": "geheime melding, verdachte in verzekering gesteld"}');
	UPDATE t_nt SET c2 = (v ->> 'id')::bigint;
END
$$;
GRANT SELECT ON t_nt TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

SET ROLE tafel_app;

DO $$
DECLARE
	x t_nt;
	v jsonb;
	k jsonb;
	l jsonb;
	v_recl bigint := (SELECT org_id FROM users WHERE login = 'reclassering');
	v_n int;
BEGIN
	SELECT * INTO x FROM t_nt;
	PERFORM set_config('tafel.today', '2026-12-07', true);
	-- custody on the bare signal: probation, a member of the series of
	-- its district and theme but not connected to it, learns nothing
	PERFORM test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c2, 'kind', 'police_custody',
	    'starts_on', '2026-12-07', 'ends_on', '2026-12-08'));
	PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    test_uid('reclassering'), x.c2));
	l := tafel_list_inbox(test_uid('reclassering'), false, false);
	ASSERT jsonb_array_length(l -> 'entries') = 0, l::text;
	-- Monday: custody from today until Wednesday; probation is told now
	v := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'police_custody',
	    'starts_on', '2026-12-07', 'ends_on', '2026-12-09'));
	k := v -> 'clocks' -> 0;
	ASSERT k ->> 'notice_org_kind' = 'probation'
	    AND k ->> 'notice_due' = '2026-12-08', k::text;
	l := tafel_list_inbox(test_uid('reclassering'), false, false);
	ASSERT jsonb_array_length(l -> 'entries') = 1, l::text;
	ASSERT l -> 'entries' -> 0 ->> 'kind' = 'clock_set'
	    AND l -> 'entries' -> 0 ->> 'clock_label' = 'inverzekeringstelling'
	    AND l -> 'entries' -> 0 ->> 'clock_ends_on' = '2026-12-09'
	    AND l -> 'entries' -> 0 ->> 'case_number' <> ''
	    AND (l -> 'entries' -> 0 ->> 'recipient_org_id')::bigint = v_recl,
	    l::text;
	-- the police and Veilig Thuis (not probation) get nothing of it (the
	-- demo's own entries aside)
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('politie'), false, false) -> 'entries') e
	    WHERE (e ->> 'case_id')::bigint IN (x.c, x.c2));
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('veiligthuis'), false, false) -> 'entries') e
	    WHERE (e ->> 'case_id')::bigint IN (x.c, x.c2));
	-- the timer on Monday: not yet
	ASSERT tafel_clock_notices() = 0;

	-- Tuesday, the working day before the end: once, however often
	PERFORM set_config('tafel.today', '2026-12-08', true);
	ASSERT tafel_clock_notices() = 1;
	ASSERT tafel_clock_notices() = 0;
	l := tafel_list_inbox(test_uid('reclassering'), true, false);
	ASSERT jsonb_array_length(l -> 'entries') = 2 AND l ->> 'unread' = '2',
	    l::text;
	ASSERT l -> 'entries' -> 0 ->> 'kind' = 'clock_notice'
	    AND l -> 'entries' -> 0 ->> 'notice_on' = '2026-12-08'
	    AND l -> 'entries' -> 0 ->> 'sender_id' = '0', l::text;

	-- a clock set on its notice day already: both notices at once, and
	-- the timer adds nothing
	v := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'police_custody',
	    'starts_on', '2026-12-08', 'ends_on', '2026-12-09'));
	v_n := (SELECT count(*) FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('reclassering'), false, false) -> 'entries'));
	ASSERT v_n = 4, v_n::text;
	ASSERT tafel_clock_notices() = 0;
	-- Thursday: ended clocks send nothing
	PERFORM set_config('tafel.today', '2026-12-10', true);
	ASSERT tafel_clock_notices() = 0;
	-- a huisverbod implies no notice
	PERFORM set_config('tafel.today', '2026-12-07', true);
	PERFORM test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'huisverbod', 'starts_on', '2026-12-07'));
	v_n := (SELECT count(*) FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('reclassering'), false, false) -> 'entries'));
	ASSERT v_n = 4, v_n::text;

	-- publishing: one entry for every member organisation, once
	v := test_write('voorzitter', 'publish_agenda', jsonb_build_object(
	    'meeting_id', x.m, 'version', (SELECT version FROM meetings
		WHERE id = x.m)));
	l := tafel_list_inbox(test_uid('veiligthuis'), false, false);
	ASSERT jsonb_array_length(l -> 'entries') = 1, l::text;
	ASSERT l -> 'entries' -> 0 ->> 'kind' = 'agenda_published'
	    AND (l -> 'entries' -> 0 ->> 'meeting_id')::bigint = x.m
	    AND l -> 'entries' -> 0 ->> 'series_name' = 'Test meldingen'
	    AND l -> 'entries' -> 0 ->> 'case_id' = '0'
	    AND (l -> 'entries' -> 0 ->> 'scheduled_start')::bigint > 0, l::text;
	l := tafel_list_inbox(test_uid('politie'), false, false);
	ASSERT (SELECT count(*) FROM jsonb_array_elements(l -> 'entries') e
	    WHERE e ->> 'kind' <> 'info_round_asked') = 1, l::text;
	-- the chair's organisation is no member: nothing addressed to it
	ASSERT jsonb_array_length(tafel_list_inbox(test_uid('voorzitter'), false,
	    false) -> 'entries') = 0;
	-- publishing again is refused and makes no second entry
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'publish_agenda', jsonb_build_object('meeting_id',
	    x.m, 'version', v -> 'version')));
	ASSERT (SELECT count(*) FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('politie'), false, false) -> 'entries') e
	    WHERE e ->> 'kind' <> 'info_round_asked') = 1;
END
$$;
RESET ROLE;

-- the sent entries reach their readers as events (routed to the recipient)
DO $$
DECLARE
	x t_nt;
BEGIN
	SELECT * INTO x FROM t_nt;
	-- the notice day: custody's one day before, in a weekend the Friday
	ASSERT tafel_clock_notice_day('2026-12-09', 1) = '2026-12-08';
	ASSERT tafel_clock_notice_day('2026-12-14', 1) = '2026-12-11';
	ASSERT (SELECT count(*) FROM inbox_entries WHERE kind = 'agenda_published'
	    AND meeting_id = x.m) = 3;
	ASSERT (SELECT count(*) FROM changelog WHERE payload ? 'inbox_entry'
	    AND meeting_id = x.m) = 3;
END
$$;
