-- The agenda proposes itself, publishing, the calendar (0010), run as the
-- server's role tafel_app: proposals with their reasons for the next
-- meeting (new signal, review date, action point overdue, legal clock
-- before the following meeting in red, nomination), only for the chair; a decline needs a reason
-- and is kept; accepting is add_agenda_item; publishing once, by the chair,
-- told to the member organisations; later items marked; the calendar across
-- series with clashes.

CREATE TEMP TABLE t_ag AS SELECT 0::bigint AS s1, 0::bigint AS m1,
	0::bigint AS m2, 0::bigint AS m3, 0::bigint AS c1, 0::bigint AS c2,
	0::bigint AS c3, 0::bigint AS c4;
DO $$
DECLARE
	x t_ag;
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	v_s2 bigint;
	v jsonb;
BEGIN
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Test agenda', 'casusoverleg_hg', '{domestic_violence}',
	    'Agendadorp', test_uid('voorzitter')) RETURNING id INTO x.s1;
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Test andere tafel', 'wzt', '{}', 'Elders',
	    test_uid('voorzitter')) RETURNING id INTO v_s2;
	INSERT INTO series_members (series_id, org_id)
	SELECT s, o FROM unnest(ARRAY[x.s1, v_s2]) s,
	    unnest(ARRAY[test_org('Woonstichting De Eemhof')]) o
	UNION SELECT x.s1, org_id FROM users WHERE login IN ('politie',
	    'voorzitter');
	INSERT INTO meetings (series_id, scheduled_start, chair_id)
	VALUES (x.s1, ((v_today + 3) + time '13:30')
	    AT TIME ZONE 'Europe/Amsterdam', test_uid('voorzitter'))
	RETURNING id INTO x.m1;
	INSERT INTO meetings (series_id, scheduled_start, chair_id)
	VALUES (x.s1, ((v_today + 10) + time '13:30')
	    AT TIME ZONE 'Europe/Amsterdam', test_uid('voorzitter'))
	RETURNING id INTO x.m2;
	-- the other series meets at 14:30 the same day: a clash
	INSERT INTO meetings (series_id, scheduled_start, chair_id)
	VALUES (v_s2, ((v_today + 3) + time '14:30')
	    AT TIME ZONE 'Europe/Amsterdam', test_uid('voorzitter'))
	RETURNING id INTO x.m3;

	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Agendadorp", "reason": "een"}');
	x.c1 := (v ->> 'id')::bigint;
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Agendadorp", "reason": "twee"}');
	x.c2 := (v ->> 'id')::bigint;
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Elders", "reason": "drie"}');
	x.c3 := (v ->> 'id')::bigint;
	-- another district and no reason: never proposed
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Elders", "reason": "vier"}');
	x.c4 := (v ->> 'id')::bigint;
	UPDATE cases SET review_date = v_today + 1 WHERE id = x.c1;
	-- an action point due before the meeting and still open
	INSERT INTO action_points (case_id, description, owner_org_id, due_date)
	VALUES (x.c1, 'Huisbezoek', test_org('Woonstichting De Eemhof'),
	    v_today + 1);
	PERFORM test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c2, 'kind', 'huisverbod', 'starts_on', v_today - 2));
	PERFORM test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', x.s1, 'case_id', x.c3, 'reason', 'graag bespreken'));
	DELETE FROM t_ag;
	INSERT INTO t_ag VALUES (x.s1, x.m1, x.m2, x.m3, x.c1, x.c2, x.c3, x.c4);
END
$$;
GRANT SELECT ON t_ag TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

SET ROLE tafel_app;

DO $$
DECLARE
	x t_ag;
	v jsonb;
	p jsonb;
	e jsonb;
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
BEGIN
	SELECT * INTO x FROM t_ag;
	-- only the chair
	PERFORM test_expect('TF010', format('SELECT tafel_list_proposals(%s, %s, 0)',
	    test_uid('politie'), x.s1));

	v := tafel_list_proposals(test_uid('voorzitter'), x.s1, 0);
	ASSERT (v -> 'meeting' ->> 'id')::bigint = x.m1, v::text;
	ASSERT jsonb_array_length(v -> 'proposals') = 3, v::text;
	-- the red clock first, with its reason
	p := v -> 'proposals' -> 0;
	ASSERT (p ->> 'case_id')::bigint = x.c2 AND (p ->> 'red')::boolean, p::text;
	ASSERT p -> 'reasons' -> 0 ->> 'code' = 'clock_ending'
	    AND p -> 'reasons' -> 0 ->> 'text' LIKE 'huisverbod ends %', p::text;
	SELECT q INTO p FROM jsonb_array_elements(v -> 'proposals') q
	WHERE (q ->> 'case_id')::bigint = x.c1;
	ASSERT (SELECT array_agg(r ->> 'code' ORDER BY r ->> 'code')
	    FROM jsonb_array_elements(p -> 'reasons') r)
	    = ARRAY['action_overdue', 'new_signal', 'review_due'], p::text;
	SELECT q INTO p FROM jsonb_array_elements(v -> 'proposals') q
	WHERE (q ->> 'case_id')::bigint = x.c3;
	ASSERT p -> 'reasons' -> 0 ->> 'code' = 'nomination', p::text;
	ASSERT p -> 'reasons' -> 0 ->> 'text' LIKE 'nominated by Politie%', p::text;

	-- a decline needs a reason and is kept
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'decline_proposal', jsonb_build_object('meeting_id',
	    x.m1, 'case_id', x.c3, 'reason', ' ')));
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'decline_proposal', jsonb_build_object('meeting_id',
	    x.m1, 'case_id', x.c4, 'reason', 'niet van deze tafel')));
	p := test_write('voorzitter', 'decline_proposal', jsonb_build_object(
	    'meeting_id', x.m1, 'case_id', x.c3, 'reason', 'hoort bij Elders'));
	ASSERT p ->> 'state' = 'declined'
	    AND p ->> 'decline_reason' = 'hoort bij Elders', p::text;
	v := tafel_list_proposals(test_uid('voorzitter'), 0, x.m1);
	ASSERT v -> 'proposals' -> 2 ->> 'state' = 'declined', v::text;

	-- accepting: on the agenda, no longer proposed
	PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', x.m1, 'case_id', x.c1));
	v := tafel_list_proposals(test_uid('voorzitter'), 0, x.m1);
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'proposals') q
	    WHERE (q ->> 'case_id')::bigint = x.c1), v::text;
	ASSERT (v -> 'meeting' ->> 'publish_due')::date < v_today + 3
	    AND NOT (v -> 'meeting' ->> 'publish_overdue')::boolean, v::text;

	-- publishing: the chair only, once
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'publish_agenda', jsonb_build_object('meeting_id', x.m1,
	    'version', v -> 'meeting' -> 'version')));
	p := test_write('voorzitter', 'publish_agenda', jsonb_build_object(
	    'meeting_id', x.m1, 'version', v -> 'meeting' -> 'version'));
	ASSERT (p ->> 'published_at')::bigint > 0
	    AND p ->> 'published_by_name' = 'Anouk de Vries', p::text;
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'publish_agenda', jsonb_build_object('meeting_id',
	    x.m1, 'version', p -> 'version')));
	-- an item added afterwards is marked, the earlier one not
	v := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', x.m1, 'case_id', x.c2));
	ASSERT NOT (v -> 'items' -> 0 ->> 'added_after_publication')::boolean
	    AND (v -> 'items' -> 1 ->> 'added_after_publication')::boolean,
	    v::text;

	-- the calendar of the housing partner: three meetings, two clashing
	v := tafel_list_calendar(test_uid('woningcorporatie'), NULL, NULL);
	SELECT count(*) INTO STRICT e FROM jsonb_array_elements(v -> 'entries') q
	WHERE (q -> 'meeting' ->> 'id')::bigint IN (x.m1, x.m2, x.m3);
	ASSERT e::text = '3', v::text;
	SELECT q INTO p FROM jsonb_array_elements(v -> 'entries') q
	WHERE (q -> 'meeting' ->> 'id')::bigint = x.m1;
	ASSERT p -> 'clash_ids' = jsonb_build_array(x.m3), p::text;
	SELECT q INTO p FROM jsonb_array_elements(v -> 'entries') q
	WHERE (q -> 'meeting' ->> 'id')::bigint = x.m2;
	ASSERT p -> 'clash_ids' = '[]'::jsonb, p::text;
	-- the police are no member of the other series
	v := tafel_list_calendar(test_uid('politie'), NULL, NULL);
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'entries') q
	    WHERE (q -> 'meeting' ->> 'id')::bigint = x.m3), v::text;

	-- proposals are for a planned meeting only: once cancelled, the
	-- meeting with an empty list (the declined one was still listed)
	v := tafel_list_proposals(test_uid('voorzitter'), 0, x.m1);
	ASSERT jsonb_array_length(v -> 'proposals') > 0, v::text;
	p := test_write('voorzitter', 'cancel_meeting', jsonb_build_object(
	    'meeting_id', x.m1, 'version', (v -> 'meeting' ->> 'version')::int,
	    'reason', 'zaal bezet'));
	ASSERT p ->> 'state' = 'cancelled', p::text;
	v := tafel_list_proposals(test_uid('voorzitter'), 0, x.m1);
	ASSERT v -> 'meeting' ->> 'state' = 'cancelled'
	    AND v -> 'proposals' = '[]'::jsonb, v::text;
END
$$;

-- a declined proposal under row-level security (rule 9): only for those
-- who decide the agenda and only of a case connected for them; never the
-- chair's decline_reason (free text).  A member of the series that may
-- see the meeting (housing) or is the case's submitter (the police, no
-- chair) reads no row; the chair reads it once the case is connected for
-- it, without the reason.
SELECT set_config('tafel.user_id', test_uid('woningcorporatie')::text, true);
DO $$
BEGIN
	ASSERT tafel_rls_meeting_visible((SELECT m1 FROM t_ag));
	ASSERT (SELECT count(*) FROM proposal_declines) = 0,
	    'housing reads a declined proposal';
END
$$;
SELECT set_config('tafel.user_id', test_uid('politie')::text, true);
DO $$
BEGIN
	ASSERT tafel_rls_case_connected((SELECT c3 FROM t_ag));
	ASSERT (SELECT count(*) FROM proposal_declines) = 0,
	    'the submitter, no decider, reads a declined proposal';
END
$$;
SELECT set_config('tafel.user_id', test_uid('voorzitter')::text, true);
DO $$
BEGIN
	ASSERT NOT tafel_rls_case_connected((SELECT c3 FROM t_ag));
	ASSERT (SELECT count(*) FROM proposal_declines) = 0,
	    'the chair reads the decline of a case it has no connection to';
END
$$;
RESET ROLE;
INSERT INTO case_involved_orgs (case_id, org_id)
SELECT (SELECT c3 FROM t_ag), org_id FROM users WHERE login = 'voorzitter';
SET ROLE tafel_app;
SELECT set_config('tafel.user_id', test_uid('voorzitter')::text, true);
DO $$
BEGIN
	ASSERT (SELECT reasons FROM proposal_declines
	    WHERE case_id = (SELECT c3 FROM t_ag)) = '{nomination}';
	PERFORM test_expect('42501', 'SELECT decline_reason FROM proposal_declines');
END
$$;
RESET ROLE;

-- the publication was told to the member organisations
DO $$
BEGIN
	ASSERT EXISTS (SELECT 1 FROM changelog
	    WHERE payload ? 'agenda_published'
		AND (payload -> 'agenda_published' ->> 'meeting_id')::bigint
		    = (SELECT m1 FROM t_ag)
		AND org_ids @> ARRAY[test_org('Woonstichting De Eemhof')]);
	-- rendered for a member: the notice; for an outsider: nothing
	ASSERT tafel_render(test_uid('woningcorporatie'), 0, 0, (SELECT payload
	    FROM changelog WHERE payload ? 'agenda_published' ORDER BY seq DESC
	    LIMIT 1), NULL, 0, true) ? 'agenda_published';
	ASSERT tafel_render(test_uid('verslavingszorg'), 0, 0, (SELECT payload
	    FROM changelog WHERE payload ? 'agenda_published' ORDER BY seq DESC
	    LIMIT 1), NULL, 0, true) IS NULL;
END
$$;
