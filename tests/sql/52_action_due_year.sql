-- A due date more than a year back is refused with a message that names
-- what it is counted from: the meeting's day for an action point agreed in
-- a meeting, today without one (docs/protocol.md 7.3).  Before, both said
-- "before the meeting", also for an action point outside any meeting.

DO $$
DECLARE
	-- of the district of the meeting below (add_agenda_item: the chair
	-- has no connection to the case)
	v_c bigint := (test_write('politie', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence', 'summary', 'termijn', 'district',
	    (SELECT s.district FROM meetings m JOIN series s ON s.id = m.series_id
		WHERE m.id = (SELECT min(id) FROM meetings WHERE state = 'planned'
		    AND chair_id = test_uid('voorzitter'))))) ->> 'id')::bigint;
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	v_m bigint := (SELECT min(id) FROM meetings
	    WHERE state = 'planned' AND chair_id = test_uid('voorzitter'));
	v_args jsonb;
	e jsonb;
BEGIN
	PERFORM set_config('tafel.today', '2031-03-05', true);
	v_args := jsonb_build_object('case_id', v_c, 'description', 'Oud',
	    'owner_org_id', v_pol, 'due_date', '2030-01-01');
	e := test_expect('TF014', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'create_action', v_args));
	ASSERT e ->> 'hint' = 'due_date', e::text;
	ASSERT e ->> 'message' = 'due_date is more than a year before today',
	    e::text;

	-- in a meeting: counted from the meeting's day, and said so
	ASSERT v_m IS NOT NULL, 'the demo has a planned meeting of the chair';
	PERFORM test_write('voorzitter', 'add_agenda_item',
	    jsonb_build_object('meeting_id', v_m, 'case_id', v_c));
	e := test_expect('TF014', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'create_action', v_args || jsonb_build_object(
		'meeting_id', v_m, 'due_date', '1990-01-01')));
	ASSERT e ->> 'hint' = 'due_date', e::text;
	ASSERT e ->> 'message' = 'due_date is more than a year before the meeting',
	    e::text;
END
$$;
