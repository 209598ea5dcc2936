-- The info round (0010), run as the server's role tafel_app: only the
-- process manager starts and closes it; the asked organisations, and only
-- they, get the persons' names and dates of birth while it is open, each
-- such read audited with context 'inforonde'; an organisation outside the
-- round gets nothing of it; answers known / not_known with a note; an
-- unanswered organisation past reply-by is overdue (red).

CREATE TEMP TABLE t_ir AS SELECT 0::bigint AS c, 0::bigint AS r,
	test_org('Bureau Jeugdzorg Eemland-Twente') AS o_bjz,
	test_org('GGZ Eemland-Twente') AS o_ggz,
	test_org('Woonstichting De Eemhof') AS o_woon;
SELECT tafel_pm_add('reclassering', 'Infodorp', 'domestic_violence');
DO $$
DECLARE
	v jsonb;
BEGIN
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Infodorp", "approach": "person",
	    "reason": "melding"}');
	UPDATE t_ir SET c = (v ->> 'id')::bigint;
	PERFORM test_write('politie', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', v -> 'id', 'role', 'suspect',
	    'name', 'Jan de Vries', 'birth_date', '1980-01-02')));
END
$$;
GRANT SELECT ON t_ir TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

SET ROLE tafel_app;

DO $$
DECLARE
	x t_ir;
	v jsonb;
	e jsonb;
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	v_args jsonb;
BEGIN
	SELECT * INTO x FROM t_ir;
	v_args := jsonb_build_object('case_id', x.c, 'reply_by', v_today + 2,
	    'org_ids', jsonb_build_array(x.o_bjz, x.o_ggz, x.o_woon));

	-- the submitter is no process manager
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'start_info_round', v_args));
	-- a reply-by date in the past; no organisation
	PERFORM test_expect('TF050', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'start_info_round',
	    v_args || jsonb_build_object('reply_by', v_today - 1)));
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'start_info_round',
	    v_args || '{"org_ids": []}'::jsonb));

	v := test_write('reclassering', 'start_info_round', v_args);
	ASSERT v ->> 'state' = 'open' AND jsonb_array_length(v -> 'asked') = 3,
	    v::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'asked') a
	    WHERE a ->> 'answer' <> 'pending'), v::text;
	-- the process manager is not asked: no identifying data by the round
	ASSERT NOT (v ->> 'identifying')::boolean
	    AND jsonb_array_length(v -> 'persons') = 0, v::text;
	-- one open round per case
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'start_info_round', v_args));

	-- an asked organisation (housing: no birth dates under the covenant,
	-- no connection to the case) sees name and date of birth, and only its
	-- own entry
	v := tafel_list_info_rounds(test_uid('woningcorporatie'), x.c, false)
	    -> 'rounds' -> 0;
	ASSERT (v ->> 'identifying')::boolean, v::text;
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'Jan de Vries', v::text;
	ASSERT v -> 'persons' -> 0 ->> 'birth_date' = '1980-01-02', v::text;
	ASSERT jsonb_array_length(v -> 'asked') = 1
	    AND (v -> 'asked' -> 0 ->> 'org_id')::bigint = x.o_woon, v::text;
	-- the case itself stays closed to it
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'woningcorporatie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'huisverbod', 'starts_on', v_today)));

	-- an organisation outside the round gets nothing of it
	ASSERT jsonb_array_length(tafel_list_info_rounds(test_uid('verslavingszorg'),
	    x.c, true) -> 'rounds') = 0;
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'verslavingszorg', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'known')));

	-- two answers; an answer must be one of the two
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'jeugdzorg', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'pending')));
	PERFORM test_write('jeugdzorg', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'known', 'note', 'in beeld sinds 2024'));
	v := test_write('ggz', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'not_known'));
	ASSERT (SELECT a ->> 'answer' FROM jsonb_array_elements(v -> 'asked') a
	    WHERE (a ->> 'org_id')::bigint = x.o_ggz) = 'not_known', v::text;
	ASSERT (v ->> 'overdue_count')::int = 0, v::text;
END
$$;

-- time passes: the reply-by date lies behind us
RESET ROLE;
UPDATE info_rounds SET reply_by = (now() AT TIME ZONE 'Europe/Amsterdam')::date - 1
WHERE case_id = (SELECT c FROM t_ir);
SET ROLE tafel_app;

DO $$
DECLARE
	x t_ir;
	v jsonb;
	a jsonb;
BEGIN
	SELECT * INTO x FROM t_ir;
	-- the process manager: two answers with their notes, one red gap
	v := tafel_list_info_rounds(test_uid('reclassering'), x.c, false)
	    -> 'rounds' -> 0;
	ASSERT (v ->> 'overdue_count')::int = 1, v::text;
	FOR a IN SELECT e FROM jsonb_array_elements(v -> 'asked') e LOOP
		ASSERT (a ->> 'overdue')::boolean = ((a ->> 'org_id')::bigint
		    = x.o_woon), a::text;
		IF (a ->> 'org_id')::bigint = x.o_bjz THEN
			ASSERT a ->> 'answer' = 'known'
			    AND a ->> 'note' = 'in beeld sinds 2024', a::text;
		END IF;
	END LOOP;
	-- an administrator without a connection to the case gets no round of
	-- it (docs/security.md rule 3: get_case says not found), neither by
	-- the case nor among all rounds; it got the case number, every answer
	-- and every note
	PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    test_uid('admin'), x.c));
	ASSERT jsonb_array_length(tafel_list_info_rounds(test_uid('admin'),
	    x.c, true) -> 'rounds') = 0;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    tafel_list_info_rounds(test_uid('admin'), 0, true) -> 'rounds') e
	    WHERE (e ->> 'case_id')::bigint = x.c);
	-- the submitter (connected to the case) sees the answers with the case
	v := tafel_list_info_rounds(test_uid('politie'), x.c, false) -> 'rounds' -> 0;
	ASSERT jsonb_array_length(v -> 'asked') = 3, v::text;
	ASSERT jsonb_array_length(v -> 'persons') = 0, v::text;

	-- closing: a stale version is refused; afterwards the asked
	-- organisation no longer gets the identifying data, nor can answer
	PERFORM test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'close_info_round', jsonb_build_object('id', v -> 'id',
	    'version', 1)));
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'close_info_round', jsonb_build_object('id', v -> 'id',
	    'version', v -> 'version')));
	v := test_write('reclassering', 'close_info_round', jsonb_build_object(
	    'id', v -> 'id', 'version', v -> 'version'));
	ASSERT v ->> 'state' = 'closed', v::text;
	v := tafel_list_info_rounds(test_uid('woningcorporatie'), x.c, true)
	    -> 'rounds' -> 0;
	ASSERT NOT (v ->> 'identifying')::boolean
	    AND jsonb_array_length(v -> 'persons') = 0, v::text;
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'woningcorporatie', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'known')));
END
$$;

-- under RLS: the asked organisation sees its own row, an outsider nothing;
-- the persons themselves stay hidden from the asked organisation
SELECT set_config('tafel.user_id', test_uid('woningcorporatie')::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM info_rounds
	    WHERE case_id = (SELECT c FROM t_ir)) = 1;
	ASSERT (SELECT count(*) FROM info_round_orgs) >= 1;
	-- housing lacks case_summary: its own answer, not the others'
	ASSERT NOT EXISTS (SELECT 1 FROM info_round_orgs
	    WHERE org_id <> (SELECT o_woon FROM t_ir));
	ASSERT (SELECT count(*) FROM persons
	    WHERE case_id = (SELECT c FROM t_ir)) = 0;
END
$$;
-- the process manager's organisation (probation: case_summary) sees every
-- organisation's answer
SELECT set_config('tafel.user_id', test_uid('reclassering')::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(DISTINCT org_id) FROM info_round_orgs o
	    JOIN info_rounds r ON r.id = o.round_id
	    WHERE r.case_id = (SELECT c FROM t_ir)) >= 2;
END
$$;
SELECT set_config('tafel.user_id', test_uid('verslavingszorg')::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM info_rounds
	    WHERE case_id = (SELECT c FROM t_ir)) = 0;
END
$$;
RESET ROLE;

-- a replay of the round's changes after it closed (a resume from an old
-- seq, docs/protocol.md 8.3) renders them as the asked organisation may see
-- them now: the events of the open round carry no identifying data any more
-- (they did: the state in the stored change decided)
DO $$
DECLARE
	v_n int := 0;
	r record;
BEGIN
	FOR r IN SELECT e.event FROM tafel_events_for_viewer(
	    test_uid('woningcorporatie'), 0, ARRAY(SELECT cl.seq FROM changelog cl
		WHERE (cl.payload -> 'info_round' ->> 'case_id')::bigint
		    = (SELECT c FROM t_ir) ORDER BY cl.seq)) e LOOP
		v_n := v_n + 1;
		ASSERT NOT coalesce((r.event -> 'info_round' ->> 'identifying')::boolean,
		    false) AND coalesce(jsonb_array_length(
		    r.event -> 'info_round' -> 'persons'), 0) = 0, r.event::text;
	END LOOP;
	ASSERT v_n >= 3, format('%s replayed round events', v_n);
END
$$;

-- the audit: the asked organisation's identifying read, context inforonde
DO $$
BEGIN
	ASSERT EXISTS (SELECT 1 FROM audit_log
	    WHERE user_id = test_uid('woningcorporatie')
		AND case_id = (SELECT c FROM t_ir) AND context = 'inforonde'
		AND categories @> '{person_names,birth_dates}');
	ASSERT NOT EXISTS (SELECT 1 FROM audit_log
	    WHERE user_id = test_uid('verslavingszorg')
		AND case_id = (SELECT c FROM t_ir));
END
$$;

-- an asked organisation without the covenant (the GP practice): the round
-- does not lift the covenant, so no names, no dates of birth, no notes;
-- and what it was not sent is not in the read audit either
DO $$
DECLARE
	v jsonb;
	c bigint;
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
BEGIN
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Infodorp", "approach": "person",
	    "reason": "melding huisarts"}');
	c := (v ->> 'id')::bigint;
	PERFORM test_write('politie', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', c, 'role', 'victim',
	    'name', 'Ayse Yilmaz', 'birth_date', '1990-05-06')));
	PERFORM test_write('reclassering', 'start_info_round',
	    jsonb_build_object('case_id', c, 'reply_by', v_today + 2,
	    'org_ids', jsonb_build_array(test_org('Huisartsenpraktijk De Linde'),
		test_org('GGZ Eemland-Twente'))));
	v := tafel_list_info_rounds(test_uid('huisarts'), c, false)
	    -> 'rounds' -> 0;
	ASSERT v IS NOT NULL, 'the GP does not see the round it is asked in';
	ASSERT NOT (v ->> 'identifying')::boolean
	    AND jsonb_array_length(v -> 'persons') = 0, v::text;
	ASSERT NOT EXISTS (SELECT 1 FROM audit_log WHERE user_id =
	    test_uid('huisarts') AND case_id = c AND context = 'inforonde'), c;
	-- the signatory asked with it does get them, audited
	v := tafel_list_info_rounds(test_uid('ggz'), c, false) -> 'rounds' -> 0;
	ASSERT (v ->> 'identifying')::boolean, v::text;
	ASSERT EXISTS (SELECT 1 FROM audit_log WHERE user_id = test_uid('ggz')
	    AND case_id = c AND context = 'inforonde'
	    AND categories @> '{person_names,birth_dates}');
	-- the GP answers with a note and reads its own note back (not
	-- another organisation's), so that its client offers it to keep;
	-- a new one replaces it, an empty one clears it
	PERFORM test_write('huisarts', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'not_known',
	    'note', 'Kan zonder namen niet zoeken'));
	v := tafel_list_info_rounds(test_uid('huisarts'), c, false)
	    -> 'rounds' -> 0;
	ASSERT (SELECT e ->> 'note' FROM jsonb_array_elements(v -> 'asked') e
	    WHERE (e ->> 'org_id')::bigint = test_org('Huisartsenpraktijk De Linde'))
	    = 'Kan zonder namen niet zoeken', v::text;
	PERFORM test_write('huisarts', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'known', 'note', 'Toch bekend'));
	ASSERT (SELECT note FROM info_round_orgs
	    WHERE round_id = (v ->> 'id')::bigint
	    AND org_id = test_org('Huisartsenpraktijk De Linde')) = 'Toch bekend';
	PERFORM test_write('huisarts', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'known', 'note', ''));
	ASSERT (SELECT answer || '/' || note FROM info_round_orgs
	    WHERE round_id = (v ->> 'id')::bigint
	    AND org_id = test_org('Huisartsenpraktijk De Linde')) = 'known/';
	-- so does a signatory's
	PERFORM test_write('ggz', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'known', 'note', 'Bekend bij ons'));
	PERFORM test_write('ggz', 'answer_info_round', jsonb_build_object(
	    'id', v -> 'id', 'answer', 'known', 'note', ''));
	ASSERT (SELECT note FROM info_round_orgs
	    WHERE round_id = (v ->> 'id')::bigint
	    AND org_id = test_org('GGZ Eemland-Twente')) = '';
END
$$;
