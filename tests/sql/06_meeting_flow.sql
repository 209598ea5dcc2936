-- A meeting from planning to closing: permissions, agenda positions,
-- the current item, decisions, attendance.

DO $$
DECLARE
	m jsonb;
	a jsonb;
	r jsonb;
	e jsonb;
	v_m bigint;
	c1 bigint; c2 bigint; c3 bigint;
	i1 bigint; i2 bigint; i3 bigint;
	v_start bigint := extract(epoch FROM now() + interval '1 day')::bigint;
BEGIN
	c1 := (test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Enschede"}') ->> 'id')::bigint;
	c2 := (test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Enschede"}') ->> 'id')::bigint;
	c3 := (test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Enschede"}') ->> 'id')::bigint;

	-- planning: chair or admin only; chair_id 0 is the usual chair
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'create_meeting', jsonb_build_object('series_id',
		test_series('sso'), 'scheduled_start', v_start)));
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'admin', 'create_meeting', jsonb_build_object('series_id', -5,
		'scheduled_start', v_start)));
	ASSERT e ->> 'hint' = 'series_id';
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'admin', 'create_meeting', jsonb_build_object('series_id',
		test_series('sso'), 'scheduled_start', v_start,
		'chair_id', test_uid('politie'))));
	ASSERT e ->> 'hint' = 'chair_id';
	m := test_write('admin', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('sso'), 'scheduled_start', v_start));
	ASSERT (m ->> 'chair_id')::bigint = test_uid('voorzitter');
	ASSERT (m ->> 'scheduled_start')::bigint = v_start;
	ASSERT m ->> 'state' = 'planned' AND (m ->> 'version')::int = 1;
	v_m := (m ->> 'id')::bigint;

	-- the agenda: 0 = at the end, n = insert and shift
	a := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_m, 'case_id', c1));
	a := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_m, 'case_id', c2, 'position', 0));
	a := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_m, 'case_id', c3, 'position', 1));
	ASSERT (SELECT array_agg((x ->> 'case_id')::bigint ORDER BY (x ->> 'position')::int)
	    FROM jsonb_array_elements(a -> 'items') x) = ARRAY[c3, c1, c2], a::text;
	ASSERT (SELECT array_agg((x ->> 'position')::int)
	    FROM jsonb_array_elements(a -> 'items') x) = ARRAY[1, 2, 3];
	i3 := (a -> 'items' -> 0 ->> 'id')::bigint;
	i1 := (a -> 'items' -> 1 ->> 'id')::bigint;
	i2 := (a -> 'items' -> 2 ->> 'id')::bigint;
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'add_agenda_item', jsonb_build_object('meeting_id', v_m,
		'case_id', c1)));
	ASSERT e ->> 'hint' = 'case_id';
	e := test_expect('TF014', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'add_agenda_item', jsonb_build_object('meeting_id', v_m,
		'case_id', (SELECT min(id) FROM cases), 'position', 9)));
	ASSERT e ->> 'hint' = 'position';
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'add_agenda_item', jsonb_build_object('meeting_id', v_m,
		'case_id', (SELECT min(id) FROM cases))));

	-- reorder: exactly the meeting's items
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'reorder_agenda', jsonb_build_object('meeting_id', v_m,
		'item_ids', jsonb_build_array(i1, i2))));
	ASSERT e ->> 'hint' = 'item_ids';
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'reorder_agenda', jsonb_build_object('meeting_id', v_m,
		'item_ids', jsonb_build_array(i1, i2, i2))));
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'reorder_agenda', jsonb_build_object('meeting_id', v_m,
		'item_ids', jsonb_build_array(i1, i2, (SELECT min(id) FROM agenda_items)))));
	a := test_write('voorzitter', 'reorder_agenda', jsonb_build_object(
	    'meeting_id', v_m, 'item_ids', jsonb_build_array(i1, i2, i3)));
	ASSERT (SELECT array_agg((x ->> 'id')::bigint ORDER BY (x ->> 'position')::int)
	    FROM jsonb_array_elements(a -> 'items') x) = ARRAY[i1, i2, i3];

	-- the current item only in an open meeting
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'set_current_item', jsonb_build_object('meeting_id', v_m,
		'item_id', i1)));
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'open_meeting', jsonb_build_object('meeting_id', v_m,
		'version', 1)));
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', 1));
	ASSERT m ->> 'state' = 'open' AND (m ->> 'version')::int = 2;
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'open_meeting', jsonb_build_object('meeting_id', v_m,
		'version', 2)));
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_current_item', jsonb_build_object('meeting_id', v_m,
		'item_id', i1)));
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'set_current_item', jsonb_build_object('meeting_id', v_m,
		'item_id', (SELECT min(id) FROM agenda_items))));
	ASSERT e ->> 'hint' = 'item_id';

	m := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', i1));
	ASSERT (m ->> 'current_item_id')::bigint = i1;
	ASSERT tafel_json_item(i1) ->> 'state' = 'current';
	m := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', i2));
	ASSERT tafel_json_item(i1) ->> 'state' = 'discussed';
	ASSERT tafel_json_item(i2) ->> 'state' = 'current';
	ASSERT (SELECT jsonb_array_length(payload -> 'agenda_items') FROM changelog
	    ORDER BY seq DESC LIMIT 1) = 2, 'both changed items in the event';

	-- decisions
	r := test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', i1, 'version', tafel_json_item(i1) -> 'version',
	    'decision', 'Huisverbod verlengen; Veilig Thuis stelt veiligheidsplan op.'));
	ASSERT tafel_json_item(i1) ->> 'decision' LIKE 'Huisverbod%';
	-- the chair is present from the opening (0006), before i1 was opened:
	-- the chair's organisation sees the decision
	ASSERT r ->> 'decision' LIKE 'Huisverbod%', r::text;
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'record_decision', jsonb_build_object('item_id', i1,
		'version', r -> 'version', 'decision', 'x')));

	-- remove: not a discussed item; the current one clears the pointer
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'remove_agenda_item', jsonb_build_object('item_id', i1,
		'version', tafel_json_item(i1) -> 'version')));
	a := test_write('voorzitter', 'remove_agenda_item', jsonb_build_object(
	    'item_id', i2, 'version', tafel_json_item(i2) -> 'version'));
	ASSERT jsonb_array_length(a -> 'items') = 2;
	ASSERT (SELECT array_agg((x ->> 'position')::int)
	    FROM jsonb_array_elements(a -> 'items') x) = ARRAY[1, 2];
	ASSERT tafel_json_meeting(v_m) ->> 'current_item_id' = '0';
	ASSERT (SELECT payload -> 'agenda_items' -> 0 FROM changelog
	    ORDER BY seq DESC LIMIT 1) @> jsonb_build_object('id', i2, 'removed', true);

	-- attendance: one's own, or the chair for anyone
	r := test_write('politie', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('politie'), 'present', true,
	    'remote', true));
	ASSERT r ->> 'present' = 'true' AND r ->> 'remote' = 'true';
	ASSERT (r ->> 'org_id')::bigint = test_org('Politie Eenheid Oost-Nederland');
	PERFORM test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'record_attendance', jsonb_build_object('meeting_id', v_m,
		'user_id', test_uid('om'), 'present', true)));
	r := test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('om'), 'present', true));
	-- the chair was recorded present when the meeting opened (0006)
	ASSERT jsonb_array_length(tafel_json_meeting(v_m) -> 'attendance') = 3;
	r := test_write('politie', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('politie'), 'present', false));
	ASSERT jsonb_array_length(tafel_json_meeting(v_m) -> 'attendance') = 3;

	-- closing: the current item becomes discussed; nothing moves after
	m := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', i3));
	m := test_write('admin', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', m -> 'version'));
	ASSERT m ->> 'state' = 'closed' AND m ->> 'current_item_id' = '0';
	ASSERT tafel_json_item(i3) ->> 'state' = 'discussed';
	ASSERT (SELECT closed_at IS NOT NULL AND opened_at IS NOT NULL
	    FROM meetings WHERE id = v_m);
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'close_meeting', jsonb_build_object('meeting_id', v_m,
		'version', m -> 'version')));
	PERFORM test_expect('TF018', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'add_agenda_item', jsonb_build_object('meeting_id', v_m,
		'case_id', (SELECT min(id) FROM cases))));
	-- the minutes may still be finished
	r := test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', i3, 'version', tafel_json_item(i3) -> 'version',
	    'decision', 'Terug op de agenda over vier weken.'));
	-- and the case history shows the decision
	ASSERT tafel_get_case(test_uid('politie'), c3) -> 'history' @>
	    jsonb_build_array(jsonb_build_object('meeting_id', v_m,
		'decision', 'Terug op de agenda over vier weken.'));
END
$$;
