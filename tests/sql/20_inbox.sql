-- The inbox (0011, 58_inbox.sql): completing or cancelling an action point
-- on a case, or moving the case, gives the submitting organisation and
-- person an entry; only they and the sender see it (also under tafel_app
-- with row-level security); reading it is the sender's read receipt.

DO $$
DECLARE
	v_case jsonb := test_write('politie', 'create_case',
	    '{"theme": "domestic_violence", "summary": "terugkoppeling"}');
	v_c bigint := (v_case ->> 'id')::bigint;
	v_vt bigint := test_org('Veilig Thuis Eemland-Twente');
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	a jsonb;
	e jsonb;
	l jsonb;
	ev jsonb[];
	v_seq bigint;
	v_n bigint;
	v_entry bigint;
BEGIN
	a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Huisbezoek afleggen',
	    'owner_org_id', v_vt, 'owner_user_id', test_uid('veiligthuis'),
	    'due_date', to_char(current_date + 5, 'YYYY-MM-DD')));
	ASSERT tafel_list_inbox(test_uid('politie'), true, false) -> 'unread' = '0';
	-- Veilig Thuis, the owner, is told of it (and its named person)
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'action_assigned' AND recipient_org_id = v_vt
	    AND recipient_user_id = test_uid('veiligthuis')) = 1;

	-- completed by Veilig Thuis: the police (submitter) gets it
	a := test_write('veiligthuis', 'complete_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'note', 'Huisbezoek gedaan, kinderen veilig'));
	SELECT id INTO v_entry FROM inbox_entries WHERE case_id = v_c
	    AND kind <> 'action_assigned';
	ASSERT (SELECT kind = 'action_done' AND recipient_org_id = v_pol
	    AND recipient_user_id = test_uid('politie')
	    AND sender_id = test_uid('veiligthuis') AND read_at IS NULL
	    FROM inbox_entries WHERE id = v_entry);

	-- the change is routed to both organisations, the action's after it
	v_seq := (SELECT max(seq) FROM changelog WHERE payload ? 'inbox_entry');
	ASSERT (SELECT org_ids = ARRAY[least(v_pol, v_vt), greatest(v_pol, v_vt)]
	    AND case_id = v_c FROM changelog WHERE seq = v_seq);
	ASSERT (SELECT max(seq) FROM changelog) > v_seq;

	-- rendered per viewer: the submitter and the sender, not the OM; a
	-- colleague of the sender with the same roles (one visibility class
	-- for other changes) gets nothing: the entry is the sender's and the
	-- recipient organisation's, and never shared by class
	INSERT INTO users (login, display_name, org_id, password_hash, roles)
	VALUES ('vt-collega', 'Collega Veilig Thuis', v_vt, 'x', '{member}');
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_seq,
	    jsonb_build_array(jsonb_build_object('user_id', test_uid('politie')),
		jsonb_build_object('user_id', test_uid('om')),
		jsonb_build_object('user_id', test_uid('veiligthuis')),
		jsonb_build_object('user_id', test_uid('vt-collega'))));
	ASSERT ev[1] -> 'inbox_entry' -> 'action_point' ->> 'completion_note'
	    = 'Huisbezoek gedaan, kinderen veilig', ev[1]::text;
	ASSERT ev[1] -> 'inbox_entry' ->> 'sent_by_me' = 'false';
	ASSERT ev[2] IS NULL, ev[2]::text;
	ASSERT ev[3] -> 'inbox_entry' ->> 'sent_by_me' = 'true';
	ASSERT ev[4] IS NULL, ev[4]::text;

	-- the list: unread count, audited as an inbox read
	v_n := (SELECT count(*) FROM audit_log WHERE context = 'inbox');
	l := tafel_list_inbox(test_uid('politie'), true, false);
	ASSERT l ->> 'unread' = '1', l::text;
	ASSERT l -> 'entries' -> 0 ->> 'kind' = 'action_done';
	ASSERT l -> 'entries' -> 0 ->> 'case_number' = v_case ->> 'number';
	ASSERT (SELECT count(*) FROM audit_log WHERE context = 'inbox'
	    AND user_id = test_uid('politie') AND case_id = v_c) = v_n + 1;
	ASSERT jsonb_array_length(tafel_list_inbox(test_uid('om'), false, true)
	    -> 'entries') = 0;
	-- the sender sees it with include_sent only (received: the new
	-- action point alone)
	ASSERT (SELECT count(*) FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('veiligthuis'), false, false) -> 'entries') x
	    WHERE x ->> 'kind' <> 'action_assigned') = 0;
	l := tafel_list_inbox(test_uid('veiligthuis'), false, true);
	ASSERT l -> 'entries' -> 0 ->> 'read_at' = '0', l::text;

	-- only the recipient organisation marks it read; the first read counts
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'om', 'mark_inbox_read', jsonb_build_object('id', v_entry)));
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'veiligthuis', 'mark_inbox_read', jsonb_build_object('id', v_entry)));
	e := test_write('politie', 'mark_inbox_read', jsonb_build_object(
	    'id', v_entry));
	ASSERT e ->> 'read_by' = test_uid('politie')::text, e::text;
	ASSERT (e ->> 'read_at')::bigint > 0;
	v_seq := (SELECT max(seq) FROM changelog);
	ASSERT (SELECT payload -> 'inbox_entry' ->> 'read_by_name' = 'Sanne Jansen'
	    FROM changelog WHERE seq = v_seq);
	l := tafel_list_inbox(test_uid('veiligthuis'), false, true);
	ASSERT l -> 'entries' -> 0 ->> 'read_by_name' = 'Sanne Jansen', l::text;
	ASSERT tafel_list_inbox(test_uid('politie'), true, false) ->> 'unread' = '0';
	-- reading again: no change logged, the first read kept
	PERFORM test_write('politie', 'mark_inbox_read', jsonb_build_object(
	    'id', v_entry));
	ASSERT (SELECT max(seq) FROM changelog) = v_seq;

	-- cancelling needs a reason, which reaches the submitter
	a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'School bellen',
	    'owner_org_id', v_vt, 'due_date', to_char(current_date + 5, 'YYYY-MM-DD')));
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'veiligthuis', 'cancel_action', jsonb_build_object('id', a -> 'id',
		'version', a -> 'version')));
	PERFORM test_write('veiligthuis', 'cancel_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'note', 'Kind zit niet meer op school'));
	l := tafel_list_inbox(test_uid('politie'), true, false);
	ASSERT l -> 'entries' -> 0 ->> 'kind' = 'action_cancelled';
	ASSERT l -> 'entries' -> 0 -> 'action_point' ->> 'completion_note'
	    = 'Kind zit niet meer op school';

	-- a move along the routing: from and to (by the chair, connected to
	-- the case: without a connection it is not found, protocol.md 9.2)
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT v_c, org_id FROM users WHERE id = test_uid('voorzitter');
	PERFORM test_write('voorzitter', 'move_case', jsonb_build_object(
	    'id', v_c, 'version', tafel_json_case(v_c) -> 'version',
	    'to', 'screening'));
	l := tafel_list_inbox(test_uid('politie'), true, false);
	ASSERT l ->> 'unread' = '2', l::text;
	ASSERT l -> 'entries' -> 0 ->> 'kind' = 'case_moved'
	    AND l -> 'entries' -> 0 ->> 'from_status' = 'signal'
	    AND l -> 'entries' -> 0 ->> 'to_status' = 'screening', l::text;
	ASSERT NOT l -> 'entries' -> 0 ? 'action_point';
END
$$;

-- Under tafel_app, row-level security: the rows of the user's organisation
-- and the ones the user sent, nothing else.
CREATE TEMP TABLE t_inbox_ids AS
	SELECT test_uid('om') AS om, test_uid('politie') AS pol;
GRANT SELECT ON t_inbox_ids TO tafel_app;
SET ROLE tafel_app;
SELECT set_config('tafel.user_id', (SELECT om FROM t_inbox_ids)::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM inbox_entries) = 0;
END
$$;
SELECT set_config('tafel.user_id', (SELECT pol FROM t_inbox_ids)::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM inbox_entries) >= 3;
	ASSERT (SELECT bool_and(recipient_org_id = tafel_rls_org()
	    OR sender_id = (SELECT pol FROM t_inbox_ids)) FROM inbox_entries);
	ASSERT EXISTS (SELECT 1 FROM inbox_entries
	    WHERE recipient_org_id = tafel_rls_org());
END
$$;
RESET ROLE;
