-- Optimistic concurrency: a stale version raises CONFLICT (TF017) with the
-- current record in DETAIL under exactly one key.

CREATE FUNCTION test_conflict(p_login text, p_op text, p_args jsonb,
    p_key text, p_current jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	e jsonb;
	d jsonb;
	v_before bigint := test_changes();
BEGIN
	e := test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    p_login, p_op, p_args));
	d := (e ->> 'detail')::jsonb;
	ASSERT (SELECT count(*) FROM jsonb_object_keys(d)) = 1,
	    'DETAIL has exactly one key: ' || d::text;
	ASSERT d ? p_key, format('DETAIL names %s: %s', p_key, d);
	-- the current record as far as this user may see it (0005)
	ASSERT d -> p_key = tafel_render_conflict(test_uid(p_login),
	    jsonb_build_object(p_key, p_current), NULL) -> p_key,
	    format('DETAIL holds the current record: %s', d);
	ASSERT e ->> 'hint' = 'version';
	ASSERT test_changes() = v_before, 'a conflict writes no change';
END
$$;

DO $$
DECLARE
	v_meeting bigint := (SELECT id FROM meetings WHERE state = 'planned'
	    ORDER BY id LIMIT 1);
	v_item bigint := (SELECT min(id) FROM agenda_items
	    WHERE meeting_id = v_meeting);
	v_action bigint := (SELECT min(id) FROM action_points WHERE state = 'open');
	v_case bigint := (SELECT min(id) FROM cases WHERE status = 'signal');
	v_person bigint := (SELECT min(id) FROM persons);
	a jsonb;
	r jsonb;
BEGIN
	-- meeting
	PERFORM test_conflict('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_meeting, 'version', 0), 'current_meeting',
	    tafel_json_meeting(v_meeting));
	r := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_meeting, 'version', tafel_json_meeting(v_meeting) -> 'version'));
	ASSERT r ->> 'state' = 'open';
	PERFORM test_conflict('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_meeting, 'version', (r ->> 'version')::int - 1),
	    'current_meeting', r);

	-- agenda item
	PERFORM test_conflict('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', v_item, 'version', 99, 'decision', 'x'),
	    'current_agenda_item', tafel_json_item(v_item));
	PERFORM test_conflict('voorzitter', 'remove_agenda_item', jsonb_build_object(
	    'item_id', v_item, 'version', 99), 'current_agenda_item',
	    tafel_json_item(v_item));

	-- action point: two clients edit the same version; the second loses
	a := tafel_json_action(v_action);
	r := test_write('admin', 'update_action', a || '{"description": "eerste"}');
	ASSERT (r ->> 'version')::int = (a ->> 'version')::int + 1;
	PERFORM test_conflict('admin', 'update_action', a || '{"description": "tweede"}',
	    'current_action_point', tafel_json_action(v_action));
	PERFORM test_conflict('admin', 'complete_action', jsonb_build_object(
	    'id', v_action, 'version', a -> 'version', 'note', 'klaar'),
	    'current_action_point', tafel_json_action(v_action));

	-- case
	PERFORM test_conflict('voorzitter', 'update_case', tafel_json_case(v_case)
	    || '{"version": 0}', 'current_case', tafel_json_case(v_case));
	PERFORM test_conflict('voorzitter', 'move_case', jsonb_build_object(
	    'id', v_case, 'version', 0, 'to', 'screening'), 'current_case',
	    tafel_json_case(v_case));

	-- person
	PERFORM test_conflict('admin', 'update_person', jsonb_build_object(
	    'person', tafel_json_person(v_person) || '{"version": 7}'),
	    'current_person', tafel_json_person(v_person));
	r := test_write('admin', 'update_person', jsonb_build_object(
	    'person', tafel_json_person(v_person) || '{"name": "Nieuwe Naam"}'));
	ASSERT r ->> 'name' = 'Nieuwe Naam' AND (r ->> 'version')::int = 2;
END
$$;
