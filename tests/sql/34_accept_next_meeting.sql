-- accept_nomination without a meeting (meeting_id 0) puts the case on the
-- series' next meeting: the earliest planned one from today on, also when
-- today's start time has passed and the chair has not opened it yet (a late
-- start).  Before, such a meeting was skipped: the case went to a meeting
-- weeks later, or the accept failed with "the series has no planned
-- meeting" while one was planned for today.  A meeting under way (open) is
-- not the next one; with none after it the refusal says so.  A planned
-- meeting of an earlier day (never held) is not the next one either.  The
-- agenda's proposals of a series (list_proposals with meeting 0) follow
-- the same rule.

DO $$
DECLARE
	s bigint := test_series('wzt');
	v_today_m bigint;
	v_stale bigint;
	v_later jsonb;
	v_day_start timestamptz := ((now() AT TIME ZONE 'Europe/Amsterdam')::date
	    + time '00:00') AT TIME ZONE 'Europe/Amsterdam';
	m jsonb;
	c jsonb;
	n jsonb;
	e jsonb;
BEGIN
	-- today's meeting (the demo's) began up to an hour ago, still planned
	SELECT id INTO v_today_m FROM meetings WHERE series_id = s
	    AND state = 'planned' ORDER BY scheduled_start LIMIT 1;
	ASSERT v_today_m IS NOT NULL;
	UPDATE meetings SET scheduled_start = greatest(v_day_start,
	    now() - interval '1 hour')
	WHERE id = v_today_m;
	ASSERT (SELECT scheduled_start <= now() FROM meetings
	    WHERE id = v_today_m);
	-- yesterday's, planned and never held
	INSERT INTO meetings (series_id, scheduled_start, chair_id, created_by,
	    updated_by)
	VALUES (s, v_day_start - interval '14 hours', test_uid('voorzitter'),
	    test_uid('voorzitter'), test_uid('voorzitter'))
	RETURNING id INTO v_stale;
	-- and one in two weeks
	v_later := test_write('voorzitter', 'plan_meetings', jsonb_build_object(
	    'series_id', s, 'first_date', current_date + 14, 'time', '09:30'))
	    -> 'meetings' -> 0;
	ASSERT v_later IS NOT NULL;

	-- the late-starting meeting of today is the next one
	c := test_write('politie', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence'));
	n := test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', s, 'case_id', c -> 'id', 'reason', 'Vandaag bespreken'));
	n := test_write('voorzitter', 'accept_nomination', jsonb_build_object(
	    'id', n -> 'id', 'version', n -> 'version'));
	ASSERT (n ->> 'meeting_id')::bigint = v_today_m,
	    format('expected today''s meeting %s, got %s', v_today_m, n);
	ASSERT EXISTS (SELECT 1 FROM agenda_items a WHERE a.meeting_id = v_today_m
	    AND a.case_id = (c ->> 'id')::bigint);
	-- the agenda's proposals of the series (meeting 0) are today's too
	ASSERT (tafel_list_proposals(test_uid('voorzitter'), s, 0) -> 'meeting'
	    ->> 'id')::bigint = v_today_m, 'proposals not for today''s meeting';

	-- once it is open (under way), the next one is the later meeting
	m := tafel_json_meeting(v_today_m);
	PERFORM test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_today_m, 'version', m -> 'version'));
	c := test_write('politie', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence'));
	n := test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', s, 'case_id', c -> 'id', 'reason', 'Volgende keer'));
	n := test_write('voorzitter', 'accept_nomination', jsonb_build_object(
	    'id', n -> 'id', 'version', n -> 'version'));
	ASSERT (n ->> 'meeting_id')::bigint = (v_later ->> 'id')::bigint, n::text;

	-- without a later one: refused, naming the meeting under way and what
	-- to do instead; the stale one of yesterday is never taken
	PERFORM test_write('voorzitter', 'cancel_meeting', jsonb_build_object(
	    'meeting_id', v_later -> 'id', 'version', v_later -> 'version',
	    'reason', 'Vervalt'));
	c := test_write('politie', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence'));
	n := test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', s, 'case_id', c -> 'id', 'reason', 'Nog een'));
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'accept_nomination', jsonb_build_object('id', n -> 'id',
		'version', n -> 'version')));
	ASSERT e ->> 'hint' = 'meeting_id', e::text;
	ASSERT e ->> 'message' = format('the meeting of this series of %s is '
	    || 'under way and no later one is planned: put the case on its '
	    || 'agenda (add_agenda_item), or plan the next meeting',
	    (SELECT to_char(scheduled_start AT TIME ZONE 'Europe/Amsterdam',
		'YYYY-MM-DD HH24:MI') FROM meetings WHERE id = v_today_m)),
	    e::text;
	ASSERT NOT EXISTS (SELECT 1 FROM agenda_items WHERE meeting_id = v_stale);

	-- closed: nothing under way, nothing planned
	m := tafel_json_meeting(v_today_m);
	PERFORM test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_today_m, 'version', m -> 'version'));
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'accept_nomination', jsonb_build_object('id', n -> 'id',
		'version', n -> 'version')));
	ASSERT e ->> 'message' = 'the series has no planned meeting', e::text;
END
$$;
