-- Planning (plan_meetings, move_meeting, cancel_meeting) and nominations
-- (0009), run as the server's role tafel_app: a recurrence in one write in
-- Europe/Amsterdam wall-clock time, the refusals (past, open/closed
-- meetings), the agenda of a cancelled meeting, and who sees a nomination
-- and its reason.

CREATE TEMP TABLE t_pl AS SELECT
	test_series('wzt') AS wzt,
	test_series('sso') AS sso,
	(SELECT m.id FROM meetings m WHERE m.series_id = test_series('wzt')
	    AND m.state = 'closed' ORDER BY m.scheduled_start DESC LIMIT 1)
	    AS past_wzt,
	(SELECT m.id FROM meetings m WHERE m.series_id = test_series('wzt')
	    AND m.state = 'planned' ORDER BY m.scheduled_start LIMIT 1) AS wzt_today,
	(SELECT count(*) FROM changelog) AS changes;
CREATE FUNCTION test_meeting(p_id bigint) RETURNS jsonb LANGUAGE sql
SECURITY DEFINER AS $$
	SELECT tafel_json_meeting(p_id)
$$;
GRANT EXECUTE ON FUNCTION test_meeting(bigint) TO tafel_app;
GRANT SELECT ON t_pl TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

-- A local date and time as Unix seconds in Europe/Amsterdam.
CREATE FUNCTION test_local(p_day date, p_time text) RETURNS bigint
LANGUAGE sql AS $$
	SELECT extract(epoch FROM (p_day + p_time::time)
	    AT TIME ZONE 'Europe/Amsterdam')::bigint
$$;
GRANT EXECUTE ON FUNCTION test_local(date, text) TO tafel_app;

SET ROLE tafel_app;

-- Planning: a recurrence in one write, across daylight saving time.
DO $$
DECLARE
	i t_pl;
	v jsonb;
	e jsonb;
	v_first date;
	v_n bigint;
	m jsonb;
BEGIN
	SELECT * INTO i FROM t_pl;
	-- the next Tuesday at least a week from now
	v_first := current_date + 7 + ((2 - extract(isodow FROM current_date)::int
	    + 7) % 7);
	v_n := (SELECT count(*) FROM tafel_changes_since(0, 1000000));
	v := test_write('voorzitter', 'plan_meetings', jsonb_build_object(
	    'series_id', i.wzt, 'first_date', v_first, 'time', '13:30',
	    'every_weeks', 2, 'until', v_first + 91));
	ASSERT jsonb_array_length(v -> 'meetings') = 7, v::text;
	-- each is a Tuesday at 13:30 in Amsterdam, summer or winter time
	FOR m IN SELECT x FROM jsonb_array_elements(v -> 'meetings') x LOOP
		ASSERT to_char(to_timestamp((m ->> 'scheduled_start')::bigint)
		    AT TIME ZONE 'Europe/Amsterdam', 'ID HH24:MI') = '2 13:30',
		    m::text;
		ASSERT m ->> 'state' = 'planned';
		ASSERT (m ->> 'chair_id')::bigint = test_uid('voorzitter');
	END LOOP;
	-- one change per meeting, each routed by its meeting
	ASSERT (SELECT count(*) FROM tafel_changes_since(0, 1000000)) = v_n + 7;
	-- the same plan again creates nothing (the occurrences exist)
	v := test_write('voorzitter', 'plan_meetings', jsonb_build_object(
	    'series_id', i.wzt, 'first_date', v_first, 'time', '13:30',
	    'every_weeks', 2, 'until', v_first + 91));
	ASSERT jsonb_array_length(v -> 'meetings') = 0, v::text;
	ASSERT (SELECT count(*) FROM tafel_changes_since(0, 1000000)) = v_n + 7;
	-- one date
	v := test_write('admin', 'plan_meetings', jsonb_build_object(
	    'series_id', i.sso, 'first_date', v_first, 'time', '09:00'));
	ASSERT jsonb_array_length(v -> 'meetings') = 1;
	ASSERT (v -> 'meetings' -> 0 ->> 'scheduled_start')::bigint
	    = test_local(v_first, '09:00');

	-- refusals
	e := test_expect('TF050', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'plan_meetings', jsonb_build_object('series_id', i.wzt,
		'first_date', current_date - 1, 'time', '13:30')));
	ASSERT e ->> 'hint' = 'first_date', e::text;
	ASSERT e ->> 'message' LIKE '%in the past%', e::text;
	e := test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'plan_meetings', jsonb_build_object('series_id', i.wzt,
		'first_date', v_first, 'time', '13:30')));
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'plan_meetings', jsonb_build_object('series_id', i.wzt,
		'first_date', v_first, 'time', '25:00')));
	ASSERT e ->> 'hint' = 'time';
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'plan_meetings', jsonb_build_object('series_id', i.wzt,
		'first_date', v_first, 'time', '13:30', 'every_weeks', 1)));
	ASSERT e ->> 'hint' = 'until';
	e := test_expect('TF014', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'plan_meetings', jsonb_build_object('series_id', i.wzt,
		'first_date', v_first, 'time', '13:30', 'every_weeks', 1,
		'until', v_first + 400)));
	ASSERT e ->> 'hint' = 'until';
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'plan_meetings', jsonb_build_object('series_id', -1,
		'first_date', v_first, 'time', '13:30')));
	-- create_meeting: an ad-hoc meeting today (even begun), not yesterday
	-- (a minute ago, or at midnight in the first minute of the day)
	v := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', i.sso, 'scheduled_start', greatest(
		extract(epoch FROM now() - interval '1 minute')::bigint,
		test_local((now() AT TIME ZONE 'Europe/Amsterdam')::date,
		    '00:00'))));
	ASSERT v ->> 'state' = 'planned';
	-- one meeting of a series at a time, as plan_meetings and move_meeting
	-- keep it: the same instant again is refused
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'create_meeting', jsonb_build_object('series_id', i.sso,
		'scheduled_start', v -> 'scheduled_start')));
	ASSERT e ->> 'hint' = 'scheduled_start', e::text;
	e := test_expect('TF050', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'create_meeting', jsonb_build_object('series_id', i.sso,
		'scheduled_start', test_local(current_date - 1, '23:00')
		    - 86400)));
	ASSERT e ->> 'hint' = 'scheduled_start';
END
$$;

-- Moving and cancelling: planned only, not into the past, with versions.
DO $$
DECLARE
	i t_pl;
	m jsonb;
	e jsonb;
	v_start bigint;
BEGIN
	SELECT * INTO i FROM t_pl;
	m := test_write('voorzitter', 'plan_meetings', jsonb_build_object(
	    'series_id', i.wzt, 'first_date', current_date + 30, 'time', '10:00'))
	    -> 'meetings' -> 0;
	v_start := test_local(current_date + 31, '11:15');
	e := test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'move_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', m -> 'version', 'scheduled_start', v_start)));
	e := test_expect('TF050', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'move_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', m -> 'version', 'scheduled_start',
		extract(epoch FROM now())::bigint - 60)));
	ASSERT e ->> 'hint' = 'scheduled_start';
	m := test_write('voorzitter', 'move_meeting', jsonb_build_object(
	    'meeting_id', m -> 'id', 'version', m -> 'version',
	    'scheduled_start', v_start));
	ASSERT (m ->> 'scheduled_start')::bigint = v_start;
	ASSERT (m ->> 'version')::int = 2;
	-- a stale version conflicts
	PERFORM test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'cancel_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', 1)));
	m := test_write('voorzitter', 'cancel_meeting', jsonb_build_object(
	    'meeting_id', m -> 'id', 'version', m -> 'version',
	    'reason', 'Voorzitter ziek'));
	ASSERT m ->> 'state' = 'cancelled' AND m ->> 'cancel_reason'
	    = 'Voorzitter ziek', m::text;
	-- a cancelled meeting cannot be opened, moved, cancelled again, or
	-- get agenda items
	e := test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'open_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', m -> 'version')));
	e := test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'move_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', m -> 'version', 'scheduled_start', v_start)));
	ASSERT e ->> 'message' = 'a cancelled meeting cannot be moved', e::text;
	e := test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'add_agenda_item', jsonb_build_object('meeting_id',
		m -> 'id', 'case_id', (SELECT min(id) FROM cases))));
	-- listed with its state
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(tafel_list_meetings(
	    test_uid('politie'), i.wzt, 0, 0) -> 'meetings') x
	    WHERE x ->> 'id' = m ->> 'id' AND x ->> 'state' = 'cancelled');

	-- an open meeting can be neither moved nor cancelled; a closed one
	-- neither
	m := test_meeting(i.wzt_today);
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', m -> 'id', 'version', m -> 'version'));
	e := test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'cancel_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', m -> 'version')));
	ASSERT e ->> 'message' LIKE 'an open meeting cannot be cancelled; close it',
	    e::text;
	e := test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'move_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', m -> 'version', 'scheduled_start', v_start)));
	m := test_meeting(i.past_wzt);
	e := test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'cancel_meeting', jsonb_build_object('meeting_id',
		m -> 'id', 'version', m -> 'version')));
	ASSERT e ->> 'message' = 'a closed meeting cannot be cancelled', e::text;
END
$$;

-- Nominations: nominate, who sees it and its reason, accept onto the next
-- planned meeting, decline with a reason kept.
DO $$
DECLARE
	i t_pl;
	c jsonb;
	c2 jsonb;
	n jsonb;
	n2 jsonb;
	e jsonb;
	m jsonb;
	v jsonb;
BEGIN
	SELECT * INTO i FROM t_pl;
	c := test_write('politie', 'create_case', jsonb_build_object('theme',
	    'domestic_violence', 'district', 'Enschede-Noord', 'summary', 'geheim',
	    'persons', jsonb_build_array(jsonb_build_object('role', 'victim',
		'name', 'Anna Zeeman', 'birth_date', '1990-01-01'))));
	-- a case the user may not know of is not found, as get_case
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'woningcorporatie', 'nominate_case', jsonb_build_object('series_id',
		i.wzt, 'case_id', c -> 'id', 'reason', 'x')));
	ASSERT e ->> 'hint' = 'case_id';
	-- an organisation outside the series cannot nominate for it
	e := test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'huisarts', 'nominate_case', jsonb_build_object('series_id', i.wzt,
		'case_id', c -> 'id', 'reason', 'x')));
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'nominate_case', jsonb_build_object('series_id', i.wzt,
		'case_id', c -> 'id', 'reason', '  ')));
	ASSERT e ->> 'hint' = 'reason';
	n := test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', i.wzt, 'case_id', c -> 'id',
	    'reason', 'Escalatie na nieuwe melding, Anna Zeeman'));
	ASSERT n ->> 'state' = 'pending' AND n ->> 'reason' LIKE 'Escalatie%';
	ASSERT n ->> 'case_number' = c ->> 'number';
	-- one pending nomination per case and series
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'wijkagent', 'nominate_case', jsonb_build_object('series_id', i.wzt,
		'case_id', c -> 'id', 'reason', 'nog eens')));
	-- the change log holds no text
	ASSERT (SELECT payload -> 'nomination' ->> 'reason' FROM tafel_changes_since(
	    0, 100000) x WHERE x.payload ? 'nomination'
	    ORDER BY x.seq DESC LIMIT 1) = '';

	-- who sees it: the nominating organisation, the series' chair (with
	-- the reason: the municipality may see free text), not another member.
	-- The demo has one pending nomination of the police (case 2026-0001
	-- for the SSO) and one of addiction care (2026-0002 for the WZT):
	-- the police sees its own two, the WZT's chair both for the WZT,
	-- newest first
	v := tafel_list_nominations(test_uid('wijkagent'), 0, false);
	ASSERT jsonb_array_length(v -> 'nominations') = 2, v::text;
	ASSERT v -> 'nominations' -> 0 ->> 'id' = n ->> 'id', v::text;
	ASSERT v -> 'nominations' -> 1 ->> 'series_id' = i.sso::text
	    AND v -> 'nominations' -> 1 ->> 'case_number' = '2026-0001', v::text;
	v := tafel_list_nominations(test_uid('voorzitter'), i.wzt, false);
	ASSERT jsonb_array_length(v -> 'nominations') = 2, v::text;
	ASSERT v -> 'nominations' -> 0 ->> 'reason' LIKE 'Escalatie%', v::text;
	ASSERT v -> 'nominations' -> 1 ->> 'org_name' = 'Tavenier Verslavingszorg',
	    v::text;
	v := tafel_list_nominations(test_uid('woningcorporatie'), 0, true);
	ASSERT jsonb_array_length(v -> 'nominations') = 0, v::text;
	-- the RLS backstop: the table shows tafel_app only visible rows
	PERFORM set_config('tafel.user_id', test_uid('woningcorporatie')::text,
	    true);
	ASSERT (SELECT count(*) FROM nominations
	    WHERE id = (n ->> 'id')::bigint) = 0;
	PERFORM set_config('tafel.user_id', test_uid('wijkagent')::text, true);
	ASSERT (SELECT count(*) FROM nominations
	    WHERE id = (n ->> 'id')::bigint) = 1;
	e := test_err('SELECT reason FROM nominations');
	ASSERT e ->> 'code' = '42501', e::text;
	PERFORM set_config('tafel.user_id', '', true);

	-- events: rendered per viewer like the list
	v := (SELECT jsonb_agg(x.event ORDER BY x.idx) FROM tafel_events_for(
	    (SELECT max(seq) FROM tafel_changes_since(0, 100000) y
		WHERE y.payload ? 'nomination'),
	    jsonb_build_array(jsonb_build_object('user_id', test_uid('voorzitter')),
		jsonb_build_object('user_id', test_uid('woningcorporatie')),
		jsonb_build_object('user_id', test_uid('wijkagent')))) x);
	ASSERT v -> 0 -> 'nomination' ->> 'reason' LIKE 'Escalatie%', v::text;
	ASSERT v -> 1 = 'null'::jsonb, v::text;
	ASSERT v -> 2 -> 'nomination' ->> 'id' = n ->> 'id', v::text;

	-- only a chair decides
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'wijkagent', 'decline_nomination', jsonb_build_object('id', n -> 'id',
		'version', n -> 'version', 'reason', 'nee')));
	-- a stale version conflicts (without a current record)
	e := test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'decline_nomination', jsonb_build_object('id', n -> 'id',
		'version', 99, 'reason', 'nee')));
	ASSERT coalesce(e ->> 'detail', '') = '', e::text;
	-- declining needs a reason
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'decline_nomination', jsonb_build_object('id', n -> 'id',
		'version', n -> 'version')));
	ASSERT e ->> 'hint' = 'reason';

	-- accept: onto the series' next planned meeting (created here)
	m := test_write('voorzitter', 'plan_meetings', jsonb_build_object(
	    'series_id', i.wzt, 'first_date', current_date + 2, 'time', '08:00'))
	    -> 'meetings' -> 0;
	ASSERT m IS NOT NULL;
	n2 := test_write('voorzitter', 'accept_nomination', jsonb_build_object(
	    'id', n -> 'id', 'version', n -> 'version'));
	ASSERT n2 ->> 'state' = 'accepted', n2::text;
	ASSERT (n2 ->> 'meeting_id')::bigint = (SELECT id FROM meetings
	    WHERE series_id = i.wzt AND state = 'planned' AND scheduled_start > now()
	    ORDER BY scheduled_start LIMIT 1), n2::text;
	ASSERT EXISTS (SELECT 1 FROM agenda_items a WHERE a.id
	    = (n2 ->> 'agenda_item_id')::bigint AND a.case_id = (c ->> 'id')::bigint
	    AND a.meeting_id = (n2 ->> 'meeting_id')::bigint);
	-- decided once
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'decline_nomination', jsonb_build_object('id', n -> 'id',
		'version', n2 -> 'version', 'reason', 'toch niet')));
	-- pending only by default (the demo's nomination for the SSO); the
	-- nominating organisation sees the outcome
	v := tafel_list_nominations(test_uid('politie'), 0, false);
	ASSERT jsonb_array_length(v -> 'nominations') = 1
	    AND v -> 'nominations' -> 0 ->> 'case_number' = '2026-0001', v::text;
	v := tafel_list_nominations(test_uid('politie'), 0, true);
	ASSERT v -> 'nominations' -> 0 ->> 'state' = 'accepted', v::text;

	-- decline: the reason is kept and shown to the nominating organisation
	c2 := test_write('veiligthuis', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence'));
	n := test_write('veiligthuis', 'nominate_case', jsonb_build_object(
	    'series_id', i.wzt, 'case_id', c2 -> 'id', 'reason', 'Zorgen'));
	n := test_write('voorzitter', 'decline_nomination', jsonb_build_object(
	    'id', n -> 'id', 'version', n -> 'version',
	    'reason', 'Eerst in het casusoverleg'));
	ASSERT n ->> 'state' = 'declined' AND n ->> 'decline_reason'
	    = 'Eerst in het casusoverleg', n::text;
	v := tafel_list_nominations(test_uid('veiligthuis'), 0, true);
	ASSERT v -> 'nominations' -> 0 ->> 'decline_reason'
	    = 'Eerst in het casusoverleg', v::text;
	ASSERT (v -> 'nominations' -> 0 ->> 'decided_by_name') <> '';

	-- the chair puts a nominated case on the agenda directly (from the
	-- proposals): the nomination is settled with it, accepted for that
	-- meeting, and no longer pending (accepting it again cannot add a
	-- second item)
	c2 := test_write('veiligthuis', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence'));
	n := test_write('veiligthuis', 'nominate_case', jsonb_build_object(
	    'series_id', i.wzt, 'case_id', c2 -> 'id', 'reason', 'Nu bespreken'));
	m := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', (SELECT id FROM meetings WHERE series_id = i.wzt
		AND state = 'planned' AND scheduled_start > now()
		ORDER BY scheduled_start LIMIT 1), 'case_id', c2 -> 'id'));
	v := tafel_list_nominations(test_uid('veiligthuis'), 0, true);
	ASSERT EXISTS (SELECT 1 FROM jsonb_array_elements(v -> 'nominations') x
	    WHERE (x ->> 'id')::bigint = (n ->> 'id')::bigint
		AND x ->> 'state' = 'accepted'
		AND (x ->> 'meeting_id')::bigint = (m ->> 'meeting_id')::bigint),
	    v::text;
	e := test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'accept_nomination', jsonb_build_object('id', n -> 'id',
		'version', (n ->> 'version')::int + 1)));
END
$$;

-- The list topics' snapshots.
DO $$
DECLARE
	v jsonb;
BEGIN
	v := tafel_list_snapshot(test_uid('politie'), 2, false);
	ASSERT (v ->> 'seq')::bigint > 0 AND jsonb_array_length(v -> 'meetings'
	    -> 'meetings') > 0, v::text;
	v := tafel_list_snapshot(test_uid('politie'), 3, false);
	ASSERT jsonb_array_length(v -> 'cases' -> 'cases') > 0, v::text;
	v := tafel_list_snapshot(test_uid('politie'), 4, true);
	ASSERT v ? 'nominations', v::text;
END
$$;

RESET ROLE;
