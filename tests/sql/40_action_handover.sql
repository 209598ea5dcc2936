-- Handing an action point to another organisation involves that
-- organisation in the case (docs/security.md rule 2), so only a chair or
-- who may agree an action point on the case may do it (the owner's
-- members may still edit it, and name a colleague, who is told); the new
-- owner gets an inbox entry (0018).  Before, any member of the owning organisation
-- could give a case to any organisation, silently.

DO $$
DECLARE
	v_case jsonb := test_write('veiligthuis', 'create_case',
	    '{"theme": "domestic_violence", "summary": "overdracht"}');
	v_c bigint := (v_case ->> 'id')::bigint;
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	v_om bigint := test_org('Openbaar Ministerie, parket Oost-Nederland');
	a jsonb;
	e jsonb;
	v_inbox jsonb;
	v_entry jsonb;
BEGIN
	-- the submitter (Veilig Thuis) agrees one for the police
	a := test_write('veiligthuis', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'description', 'Huisbezoek samen plannen',
	    'owner_org_id', v_pol, 'due_date',
	    to_char(current_date + 7, 'YYYY-MM-DD')));
	-- the police are told of the new one (also when not at the table)
	ASSERT (SELECT count(*) FROM inbox_entries WHERE kind = 'action_assigned'
	    AND action_id = (a ->> 'id')::bigint AND recipient_org_id = v_pol
	    AND recipient_user_id IS NULL
	    AND sender_id = test_uid('veiligthuis')) = 1, 'new one not told';
	ASSERT NOT EXISTS (SELECT 1 FROM case_involved_orgs
	    WHERE case_id = v_c AND org_id = v_om);

	-- the police (owner, not submitter) may edit it ...
	a := test_write('politie', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', 'Huisbezoek samen plannen (deze week)',
	    'owner_org_id', v_pol, 'due_date', a -> 'due_date'));
	ASSERT a ->> 'description' = 'Huisbezoek samen plannen (deze week)';
	-- ... and give it to a named colleague, who is told (the guide
	-- promises it: that person must know); giving it to oneself is not
	a := test_write('politie', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', a -> 'description', 'owner_org_id', v_pol,
	    'owner_user_id', test_uid('wijkagent'), 'due_date', a -> 'due_date'));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE kind = 'action_assigned'
	    AND action_id = (a ->> 'id')::bigint AND recipient_org_id = v_pol
	    AND recipient_user_id = test_uid('wijkagent')
	    AND sender_id = test_uid('politie')) = 1;
	a := test_write('politie', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', a -> 'description', 'owner_org_id', v_pol,
	    'owner_user_id', test_uid('politie'), 'due_date', a -> 'due_date'));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE kind = 'action_assigned'
	    AND action_id = (a ->> 'id')::bigint
	    AND recipient_user_id IS NOT NULL) = 1, 'told of taking it oneself';
	a := test_write('politie', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', a -> 'description', 'owner_org_id', v_pol,
	    'owner_user_id', 0, 'due_date', a -> 'due_date'));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE kind = 'action_assigned'
	    AND action_id = (a ->> 'id')::bigint) = 2, 'told of the organisation';
	-- ... but not hand it to the prosecutor
	e := test_expect('TF010', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'update_action', jsonb_build_object(
		'id', a -> 'id', 'version', a -> 'version',
		'description', a -> 'description', 'owner_org_id', v_om,
		'due_date', a -> 'due_date')));
	ASSERT e ->> 'hint' = 'owner_org_id', e;
	ASSERT NOT EXISTS (SELECT 1 FROM case_involved_orgs
	    WHERE case_id = v_c AND org_id = v_om);
	ASSERT NOT EXISTS (SELECT 1 FROM inbox_entries
	    WHERE recipient_org_id = v_om AND case_id = v_c);

	-- the chair may (connected to the case: without a connection the
	-- action point is not found, protocol.md 9.2), and the prosecutor is
	-- told in its inbox
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT v_c, org_id FROM users WHERE id = test_uid('voorzitter');
	a := test_write('voorzitter', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', a -> 'description', 'owner_org_id', v_om,
	    'due_date', a -> 'due_date'));
	ASSERT (a ->> 'owner_org_id')::bigint = v_om;
	v_inbox := tafel_list_inbox(test_uid('om'), true, false);
	SELECT x INTO v_entry FROM jsonb_array_elements(v_inbox -> 'entries') x
	WHERE (x ->> 'case_id')::bigint = v_c;
	ASSERT v_entry ->> 'kind' = 'action_assigned', v_inbox;
	ASSERT v_entry -> 'action_point' ->> 'description' =
	    'Huisbezoek samen plannen (deze week)', v_entry;
	ASSERT (v_entry ->> 'sender_id')::bigint = test_uid('voorzitter'), v_entry;
	ASSERT (v_inbox ->> 'unread')::int >= 1;
	-- an edit that keeps the owner makes no entry
	PERFORM test_write('om', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', a -> 'version',
	    'description', 'Dagvaarding voorbereiden', 'owner_org_id', v_om,
	    'due_date', a -> 'due_date'));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'action_assigned' AND recipient_org_id = v_om) = 1;
END
$$;
