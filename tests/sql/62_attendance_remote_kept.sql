-- A participant who took part remotely and left is still remote in the
-- record (and so in the minutes): the departure (present false, remote
-- false as the client sends it) used to overwrite how they took part.
-- An arrival says it anew; an absentee recorded as such keeps what is sent.

DO $$
DECLARE
	m bigint := (SELECT id FROM meetings WHERE series_id = test_series('wzt')
	    AND state = 'planned' ORDER BY scheduled_start LIMIT 1);
	v jsonb;
	a jsonb;
BEGIN
	v := tafel_json_meeting(m);
	PERFORM test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', m, 'version', v -> 'version'));
	a := test_write('politie', 'record_attendance', jsonb_build_object(
	    'meeting_id', m, 'user_id', test_uid('politie'), 'present', true,
	    'remote', true));
	ASSERT (a ->> 'remote')::boolean, a::text;
	a := test_write('politie', 'record_attendance', jsonb_build_object(
	    'meeting_id', m, 'user_id', test_uid('politie'), 'present', false,
	    'remote', false));
	ASSERT NOT (a ->> 'present')::boolean, a::text;
	ASSERT (a ->> 'remote')::boolean, 'a departure lost "remote": ' || a::text;
	ASSERT (SELECT remote FROM attendance WHERE meeting_id = m
	    AND user_id = test_uid('politie'));
	-- back in the room: said anew
	a := test_write('politie', 'record_attendance', jsonb_build_object(
	    'meeting_id', m, 'user_id', test_uid('politie'), 'present', true,
	    'remote', false));
	ASSERT NOT (a ->> 'remote')::boolean, a::text;
END
$$;
