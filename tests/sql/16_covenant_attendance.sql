-- Attendance and the access it earns (0006), run as the server's role
-- tafel_app: attendance only for an open meeting, one's own only when the
-- organisation is a member of the series or was invited; access earned by
-- presence only for agenda items opened while present; the chair present
-- from opening; get_case history without meetings the user cannot see.

CREATE TEMP TABLE t_att AS SELECT
	(SELECT m.id FROM meetings m WHERE m.series_id = test_series('wzt')
	    AND m.state = 'closed' ORDER BY m.scheduled_start DESC LIMIT 1)
	    AS past_wzt,
	(SELECT m.id FROM meetings m WHERE m.series_id = test_series('wzt')
	    AND m.state = 'planned' ORDER BY m.scheduled_start LIMIT 1) AS wzt,
	(SELECT m.id FROM meetings m WHERE m.series_id = test_series('sso')
	    AND m.state = 'planned' ORDER BY m.scheduled_start LIMIT 1) AS sso,
	(SELECT case_id FROM persons WHERE name = 'Jeroen Bakker') AS c1,
	(SELECT case_id FROM persons WHERE name = 'Mehmet Özdemir') AS c2,
	(SELECT case_id FROM persons WHERE name = 'Rachid Bouzid') AS c7,
	(SELECT case_id FROM persons WHERE name = 'Dennis Nijhuis') AS c8,
	(SELECT count(*) FROM changelog) AS changes,
	(SELECT count(*) FROM attendance) AS attendance;
GRANT SELECT ON t_att TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

-- The item of a case on a meeting's agenda.
CREATE FUNCTION test_item(p_meeting bigint, p_case bigint) RETURNS bigint
LANGUAGE sql AS $$
	SELECT id FROM agenda_items WHERE meeting_id = p_meeting AND case_id = p_case
$$;
GRANT EXECUTE ON FUNCTION test_item(bigint, bigint) TO tafel_app;

CREATE FUNCTION test_reason(p_login text, p_case bigint) RETURNS text
LANGUAGE sql AS $$
	SELECT tafel_get_case(test_uid(p_login), p_case) -> 'case'
	    ->> 'redaction_reason'
$$;
GRANT EXECUTE ON FUNCTION test_reason(text, bigint) TO tafel_app;

-- an observer of De Wering (forensisch's organisation)
INSERT INTO users (login, display_name, org_id, roles)
SELECT 'forensisch_obs', 'Waarnemer De Wering', org_id, '{observer}'
FROM users WHERE login = 'forensisch';

SET ROLE tafel_app;

-- The leak of issue 8: victim support (no member of the WZT series)
-- records itself present at last month's closed WZT.
DO $$
DECLARE
	i t_att;
	e jsonb;
BEGIN
	SELECT * INTO i FROM t_att;
	PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    test_uid('slachtofferhulp'), i.c1));
	e := test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'record_attendance', jsonb_build_object(
		'meeting_id', i.past_wzt, 'user_id', test_uid('slachtofferhulp'),
		'present', true)));
	ASSERT e ->> 'message' LIKE '%not a member%', e::text;
	PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    test_uid('slachtofferhulp'), i.c1));
	-- the same for today's planned WZT, and for the non-signatory GP in
	-- the SSO (a series its practice is no member of)
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'slachtofferhulp', 'record_attendance', jsonb_build_object(
		'meeting_id', i.wzt, 'user_id', test_uid('slachtofferhulp'),
		'present', true)));
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'huisarts', 'record_attendance', jsonb_build_object(
		'meeting_id', i.sso, 'user_id', test_uid('huisarts'),
		'present', true)));
	-- a member, for itself, but the meeting is closed or not yet open
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'wijkagent', 'record_attendance', jsonb_build_object(
		'meeting_id', i.past_wzt, 'user_id', test_uid('wijkagent'),
		'present', true)));
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'wijkagent', 'record_attendance', jsonb_build_object(
		'meeting_id', i.wzt, 'user_id', test_uid('wijkagent'),
		'present', true)));
	-- the chair too: only while the meeting is open
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'record_attendance', jsonb_build_object(
		'meeting_id', i.past_wzt, 'user_id', test_uid('slachtofferhulp'),
		'present', true)));
	-- someone else's attendance: the chair's (or an admin's) business
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'record_attendance', jsonb_build_object(
		'meeting_id', i.sso, 'user_id', test_uid('om'), 'present', true)));
END
$$;

RESET ROLE;
-- ... and none of it wrote anything
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM changelog) = (SELECT changes FROM t_att);
	ASSERT (SELECT count(*) FROM attendance) = (SELECT attendance FROM t_att);
	ASSERT NOT EXISTS (SELECT 1 FROM attendance a JOIN users u ON u.id = a.user_id
	    WHERE u.login = 'slachtofferhulp');
END
$$;
SET ROLE tafel_app;

-- Opening the SSO with nobody recorded present: the chair is recorded
-- present and warned.  Presence counts only for the items opened while
-- present; the chair's from the opening on.
DO $$
DECLARE
	i t_att;
	m jsonb;
	a jsonb;
BEGIN
	SELECT * INTO i FROM t_att;
	ASSERT test_reason('voorzitter', i.c2) = 'not_involved';
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', i.sso, 'version', 1));
	ASSERT m ->> 'warning' = 'nobody_present', m::text;
	ASSERT m -> 'attendance' @> jsonb_build_array(jsonb_build_object(
	    'user_id', test_uid('voorzitter'), 'present', true)), m::text;

	-- c2 is opened; De Wering (a member, not involved) arrives after it
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', i.sso, 'item_id', test_item(i.sso, i.c2)));
	ASSERT test_reason('voorzitter', i.c2) = '',
	    'the chair was present from the opening';
	a := test_write('forensisch', 'record_attendance', jsonb_build_object(
	    'meeting_id', i.sso, 'user_id', test_uid('forensisch'),
	    'present', true));
	ASSERT a ->> 'present' = 'true';
	ASSERT test_reason('forensisch', i.c2) = 'not_involved',
	    'no access for an item opened before the arrival';
	-- c7 is opened while De Wering is present
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', i.sso, 'item_id', test_item(i.sso, i.c7)));
	ASSERT test_reason('forensisch', i.c7) = '', 'present when opened';
	ASSERT test_reason('forensisch', i.c2) = 'not_involved';
	-- De Wering's member leaves and its observer is recorded present; c8
	-- is opened after that: an observer is shown the pseudonymised view,
	-- so its presence earns its organisation nothing
	PERFORM test_write('forensisch', 'record_attendance', jsonb_build_object(
	    'meeting_id', i.sso, 'user_id', test_uid('forensisch'),
	    'present', false));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', i.sso, 'user_id', test_uid('forensisch_obs'),
	    'present', true));
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', i.sso, 'item_id', test_item(i.sso, i.c8)));
	ASSERT test_reason('forensisch', i.c8) = 'not_involved',
	    'no access for an item opened after the departure, with only an '
	    || 'observer of the organisation present';
	ASSERT (SELECT x ->> 'redaction_reason' FROM jsonb_array_elements(
	    tafel_snapshot(test_uid('forensisch'), i.sso) -> 'snapshot'
		-> 'cases') x WHERE (x ->> 'id')::bigint = i.c8) = 'not_involved',
	    'the snapshot (bulk access) counts the observer''s presence';
	ASSERT test_reason('forensisch', i.c7) = '', 'what was earned stays';
	-- De Wering's member comes back; the chair returns to c2 (opened
	-- before it first arrived): made current again while it is present,
	-- c2 opens for it now (0019), and c8 (not made current again) not
	PERFORM test_write('forensisch', 'record_attendance', jsonb_build_object(
	    'meeting_id', i.sso, 'user_id', test_uid('forensisch'),
	    'present', true));
	ASSERT test_reason('forensisch', i.c2) = 'not_involved';
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', i.sso, 'item_id', test_item(i.sso, i.c2)));
	ASSERT test_reason('forensisch', i.c2) = '',
	    'made current again while present';
	ASSERT (SELECT x ->> 'redaction_reason' FROM jsonb_array_elements(
	    tafel_snapshot(test_uid('forensisch'), i.sso) -> 'snapshot'
		-> 'cases') x WHERE (x ->> 'id')::bigint = i.c2) = '',
	    'the snapshot (bulk access) counts it too';
	ASSERT test_reason('forensisch', i.c8) = 'not_involved';

	-- the chair invites victim support (not a member): recorded absent,
	-- its user may then record itself
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', i.sso, 'user_id', test_uid('slachtofferhulp'),
	    'present', false));
	a := test_write('slachtofferhulp', 'record_attendance', jsonb_build_object(
	    'meeting_id', i.sso, 'user_id', test_uid('slachtofferhulp'),
	    'present', true));
	ASSERT a ->> 'present' = 'true';
	ASSERT test_reason('slachtofferhulp', i.c2) = 'not_involved';
END
$$;

-- Invited, victim support knows the agenda's cases: one change per case
-- after the attendance's own brings each onto its case list (protocol.md
-- 8.4); its second row brings none.
RESET ROLE;
DO $$
DECLARE
	i t_att;
	s1 bigint;
	s2 bigint;
BEGIN
	SELECT * INTO i FROM t_att;
	SELECT min(seq), max(seq) INTO s1, s2 FROM changelog
	WHERE meeting_id = i.sso AND (payload -> 'attendance' ->> 'user_id')
	    ::bigint = test_uid('slachtofferhulp');
	ASSERT s1 < s2, format('%s %s', s1, s2);
	ASSERT ARRAY(SELECT case_id FROM changelog WHERE seq > s1 AND seq < s2
	    AND payload ? 'case' ORDER BY seq) = ARRAY(SELECT case_id
	    FROM agenda_items WHERE meeting_id = i.sso ORDER BY position, id),
	    'no case changes for the invited organisation';
	ASSERT NOT EXISTS (SELECT 1 FROM changelog WHERE seq > s2
	    AND payload ? 'case');
END
$$;
SET ROLE tafel_app;

-- Opening a meeting with someone present: no warning.  Closing ends every
-- presence: an item can no longer be opened, and nobody earns anything.
DO $$
DECLARE
	i t_att;
	m jsonb;
BEGIN
	SELECT * INTO i FROM t_att;
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', i.wzt, 'version', tafel_snapshot(test_uid('voorzitter'),
		i.wzt) -> 'snapshot' -> 'meeting' -> 'version'));
	ASSERT coalesce(m ->> 'warning', '') = '', m::text;
	m := test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', i.sso, 'version', tafel_snapshot(test_uid('voorzitter'),
		i.sso) -> 'snapshot' -> 'meeting' -> 'version'));
	ASSERT m ->> 'state' = 'closed';
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'forensisch', 'record_attendance', jsonb_build_object(
		'meeting_id', i.sso, 'user_id', test_uid('forensisch'),
		'present', true)));
END
$$;

-- get_case history names and dates only meetings the user may see: De
-- Wering (involved in c1 by an action point, no member of the WZT) gets
-- the case, but neither of the WZT meetings it was on.
DO $$
DECLARE
	i t_att;
	v jsonb;
BEGIN
	SELECT * INTO i FROM t_att;
	v := tafel_get_case(test_uid('forensisch'), i.c1);
	ASSERT v -> 'case' ->> 'id' = i.c1::text;
	ASSERT v -> 'history' = '[]', v -> 'history';
	-- the police, a member, see both
	v := tafel_get_case(test_uid('politie'), i.c1);
	ASSERT jsonb_array_length(v -> 'history') = 2, v -> 'history';
END
$$;

RESET ROLE;

-- The periods recorded: arrival and departure (twice: De Wering came
-- back), all ended by the close.
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM attendance_periods p JOIN users u
	    ON u.id = p.user_id WHERE u.login = 'forensisch'
		AND p.meeting_id = (SELECT sso FROM t_att)) = 2;
	ASSERT NOT EXISTS (SELECT 1 FROM attendance_periods
	    WHERE meeting_id = (SELECT sso FROM t_att) AND left_at IS NULL);
	ASSERT (SELECT bool_and(arrived_at <= left_at) FROM attendance_periods
	    WHERE meeting_id = (SELECT sso FROM t_att));
END
$$;
