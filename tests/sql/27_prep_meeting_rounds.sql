-- The info round in the meeting (0013, 60_read.sql, 40_render.sql), run as
-- the server's role tafel_app: the snapshot carries the rounds of the
-- agenda's cases, each as the viewer may see it (the process manager every
-- answer with its note, an asked organisation its own answer and the
-- identifying data); the shared screen only the answers, without notes,
-- names or persons; a change of the round reaches the meeting's shared
-- screen the same way.

CREATE TEMP TABLE t_mr AS SELECT 0::bigint AS c, 0::bigint AS m,
	test_org('Woonstichting De Eemhof') AS o_woon,
	test_org('GGZ Eemland-Twente') AS o_ggz;
SELECT tafel_pm_add('reclassering', 'Rondedorp', 'domestic_violence');
DO $$
DECLARE
	v_series bigint;
	v jsonb;
BEGIN
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Test rondes', 'casusoverleg_hg', '{domestic_violence}',
	    'Rondedorp', test_uid('voorzitter'))
	RETURNING id INTO v_series;
	INSERT INTO series_members (series_id, org_id)
	SELECT v_series, org_id FROM users
	WHERE login IN ('politie', 'reclassering', 'woningcorporatie');
	INSERT INTO meetings (series_id, scheduled_start, chair_id)
	VALUES (v_series, ((current_date + 3) + time '13:30')
	    AT TIME ZONE 'Europe/Amsterdam', test_uid('voorzitter'));
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Rondedorp", "approach": "person",
	    "reason": "melding"}');
	UPDATE t_mr SET c = (v ->> 'id')::bigint,
	    m = (SELECT id FROM meetings WHERE series_id = v_series);
	PERFORM test_write('politie', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', v -> 'id', 'role', 'suspect',
	    'name', 'Jan de Vries', 'birth_date', '1980-01-02')));
END
$$;
GRANT SELECT ON t_mr TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

SET ROLE tafel_app;

DO $$
DECLARE
	x t_mr;
	v jsonb;
	r jsonb;
	s jsonb;
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
BEGIN
	SELECT * INTO x FROM t_mr;
	PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', x.m, 'case_id', x.c));
	-- no round yet: an empty list
	s := tafel_snapshot(test_uid('reclassering'), x.m) -> 'snapshot';
	ASSERT s -> 'info_rounds' = '[]'::jsonb, s::text;

	r := test_write('reclassering', 'start_info_round', jsonb_build_object(
	    'case_id', x.c, 'reply_by', v_today + 2,
	    'org_ids', jsonb_build_array(x.o_woon, x.o_ggz)));
	PERFORM test_write('woningcorporatie', 'answer_info_round',
	    jsonb_build_object('id', r -> 'id', 'answer', 'known',
	    'note', 'huurachterstand sinds maart'));

	-- the process manager: both asked, the note, no identifying data
	s := tafel_snapshot(test_uid('reclassering'), x.m) -> 'snapshot';
	ASSERT jsonb_array_length(s -> 'info_rounds') = 1, s::text;
	v := s -> 'info_rounds' -> 0;
	ASSERT (v ->> 'case_id')::bigint = x.c
	    AND jsonb_array_length(v -> 'asked') = 2, v::text;
	ASSERT (SELECT a ->> 'note' FROM jsonb_array_elements(v -> 'asked') a
	    WHERE (a ->> 'org_id')::bigint = x.o_woon)
	    = 'huurachterstand sinds maart', v::text;
	ASSERT jsonb_array_length(v -> 'persons') = 0, v::text;

	-- the asked housing partner: its own answer and the name to search for
	s := tafel_snapshot(test_uid('woningcorporatie'), x.m) -> 'snapshot';
	v := s -> 'info_rounds' -> 0;
	ASSERT (v ->> 'identifying')::boolean, v::text;
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'Jan de Vries', v::text;
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'asked') a
	    WHERE (a ->> 'org_id')::bigint = x.o_woon
		AND a ->> 'answer' = 'known'), v::text;

	-- the asked housing partner lacks case_summary: not the other
	-- organisation's answer (GGZ's, once given, below)

	-- the shared screen before the case was opened in the meeting: the
	-- room (the chair alone) may not see case_summary, so the round
	-- without its answers (what organisations know of the persons)
	s := tafel_snapshot(test_uid('voorzitter'), x.m, true) -> 'snapshot';
	ASSERT jsonb_array_length(s -> 'info_rounds') = 1, s::text;
	v := s -> 'info_rounds' -> 0;
	ASSERT jsonb_array_length(v -> 'asked') = 0, v::text;

	-- opened with the chair present: the answers only
	PERFORM test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', x.m, 'version', 1));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', x.m, 'user_id', test_uid('voorzitter'),
	    'present', true));
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', x.m, 'item_id', (SELECT min(id) FROM agenda_items
		WHERE meeting_id = x.m)));
	s := tafel_snapshot(test_uid('voorzitter'), x.m, true) -> 'snapshot';
	ASSERT jsonb_array_length(s -> 'info_rounds') = 1, s::text;
	v := s -> 'info_rounds' -> 0;
	ASSERT jsonb_array_length(v -> 'asked') = 2, v::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'asked') a
	    WHERE a ->> 'note' <> '' OR a ->> 'answered_by_name' <> ''), v::text;
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'asked') a
	    WHERE a ->> 'answer' = 'known'), v::text;
	ASSERT jsonb_array_length(v -> 'persons') = 0
	    AND NOT (v ->> 'identifying')::boolean
	    AND v ->> 'started_by_name' = '', v::text;

	-- the second answer, as an event below
	PERFORM test_write('ggz', 'answer_info_round', jsonb_build_object(
	    'id', r -> 'id', 'answer', 'not_known', 'note', 'niet in beeld'));
END
$$;
RESET ROLE;

-- the event of the second answer: the shared screen gets it without the
-- note, the process manager with it
DO $$
DECLARE
	x t_mr;
	ev jsonb[];
	v_seq bigint := (SELECT max(seq) FROM changelog
	    WHERE payload ? 'info_round');
BEGIN
	SELECT * INTO x FROM t_mr;
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_seq,
	    jsonb_build_array(
		jsonb_build_object('user_id', test_uid('voorzitter'),
		    'presentation_meeting', x.m),
		jsonb_build_object('user_id', test_uid('reclassering'))));
	ASSERT ev[1] -> 'info_round' IS NOT NULL, ev[1]::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(ev[1] -> 'info_round'
	    -> 'asked') a WHERE a ->> 'note' <> ''), ev[1]::text;
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(ev[2] -> 'info_round'
	    -> 'asked') a WHERE a ->> 'note' = 'niet in beeld'), ev[2]::text;
END
$$;

-- An answer tells what an organisation knows of the persons: housing
-- (asked, no case_summary) sees its own entry only, not GGZ's "niet
-- bekend"; the shared screen's answers are audited for the room, with
-- case_summary.
SET ROLE tafel_app;
DO $$
DECLARE
	x t_mr;
	v jsonb;
BEGIN
	SELECT * INTO x FROM t_mr;
	v := tafel_snapshot(test_uid('woningcorporatie'), x.m) -> 'snapshot'
	    -> 'info_rounds' -> 0;
	ASSERT jsonb_array_length(v -> 'asked') = 1
	    AND (v -> 'asked' -> 0 ->> 'org_id')::bigint = x.o_woon, v::text;
	v := tafel_list_info_rounds(test_uid('woningcorporatie'), x.c, true)
	    -> 'rounds' -> 0;
	ASSERT jsonb_array_length(v -> 'asked') = 1
	    AND (v -> 'asked' -> 0 ->> 'org_id')::bigint = x.o_woon, v::text;
END
$$;
RESET ROLE;
-- the case's own texts out of the way, so that only the answers can
-- carry case_summary onto the shared screen
UPDATE cases SET reason = '', summary = '' WHERE id = (SELECT c FROM t_mr);
DO $$
DECLARE
	x t_mr;
	n0 bigint;
	v jsonb;
BEGIN
	SELECT * INTO x FROM t_mr;
	n0 := (SELECT count(*) FROM audit_log l WHERE l.case_id = x.c
	    AND l.context = 'beamer' AND 'case_summary' = ANY (l.categories));
	v := tafel_snapshot(test_uid('voorzitter'), x.m, true) -> 'snapshot'
	    -> 'info_rounds' -> 0;
	ASSERT jsonb_array_length(v -> 'asked') = 2, v::text;
	ASSERT (SELECT count(*) FROM audit_log l WHERE l.case_id = x.c
	    AND l.context = 'beamer' AND 'case_summary' = ANY (l.categories))
	    > n0, 'the shared screen''s answers are not audited';
END
$$;

-- An info round read as part of a meeting (the snapshot above) is audited
-- in that meeting, as the snapshot's own rows are: "who saw this case, in
-- which meeting" (it had an empty meeting).
DO $$
DECLARE
	x t_mr;
BEGIN
	SELECT * INTO x FROM t_mr;
	ASSERT EXISTS (SELECT 1 FROM audit_log l
	    WHERE l.user_id = test_uid('reclassering') AND l.case_id = x.c
		AND l.context = 'inforonde' AND l.meeting_id = x.m),
	    'the snapshot''s info-round read has no meeting';
END
$$;

-- A change that widens what an organisation may see of the case carries
-- the case's newest round as that organisation may see it now: jeugdzorg
-- (youth care: every category), made involved by an action point, gets
-- every answer in the action point's event, not the round of before (here
-- none) until it subscribes again.  Adding the case to an agenda and
-- making its item current do the same (tests/e2e/inforound-live.sh).
DO $$
DECLARE
	x t_mr;
	v_seq bigint;
	ev jsonb;
BEGIN
	SELECT * INTO x FROM t_mr;
	PERFORM test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', x.c, 'meeting_id', x.m,
	    'description', 'Contact leggen met school',
	    'owner_org_id', test_org('Bureau Jeugdzorg Eemland-Twente'),
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	v_seq := (SELECT max(seq) FROM changelog WHERE case_id = x.c
	    AND payload ? 'action_point');
	SELECT e.event INTO ev FROM tafel_events_for(v_seq, jsonb_build_array(
	    jsonb_build_object('user_id', test_uid('jeugdzorg')))) e;
	ASSERT ev ? 'case' AND jsonb_array_length(ev -> 'info_round' -> 'asked') = 2
	    AND NOT (ev -> 'info_round' ->> 'answers_hidden')::boolean,
	    coalesce(ev::text, 'no event');
END
$$;

-- Accepting a nomination puts the case on the agenda as add_agenda_item
-- does, and its event carries the case's newest round likewise: the
-- asked housing partner, following the meeting, gets its own entry with
-- the case (the round's events came before the case was on the agenda).
DO $$
DECLARE
	x t_mr;
	v jsonb;
	n jsonb;
	v_seq bigint;
	ev jsonb;
BEGIN
	SELECT * INTO x FROM t_mr;
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Rondedorp", "approach": "person",
	    "reason": "tweede melding"}');
	PERFORM test_write('reclassering', 'start_info_round', jsonb_build_object(
	    'case_id', v -> 'id', 'reply_by',
	    (now() AT TIME ZONE 'Europe/Amsterdam')::date + 2,
	    'org_ids', jsonb_build_array(x.o_woon)));
	n := test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', (SELECT series_id FROM meetings WHERE id = x.m),
	    'case_id', v -> 'id', 'reason', 'Samen bespreken'));
	n := test_write('voorzitter', 'accept_nomination', jsonb_build_object(
	    'id', n -> 'id', 'version', n -> 'version', 'meeting_id', x.m));
	v_seq := (SELECT max(seq) FROM changelog
	    WHERE case_id = (v ->> 'id')::bigint AND payload ? 'nomination');
	SELECT e.event INTO ev FROM tafel_events_for(v_seq, jsonb_build_array(
	    jsonb_build_object('user_id', test_uid('woningcorporatie'),
		'meeting_id', x.m))) e;
	ASSERT ev ? 'agenda_items'
	    AND (ev -> 'info_round' ->> 'case_id')::bigint = (v ->> 'id')::bigint
	    AND (ev -> 'info_round' -> 'asked' -> 0 ->> 'org_id')::bigint
		= x.o_woon, coalesce(ev::text, 'no event');
END
$$;
