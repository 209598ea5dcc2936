-- The minutes (0011, 58_minutes.sql): only of a closed meeting, for its
-- recipient organisations only; each rendering redacted by the covenant
-- like the live view (the absent, uninvolved OM gets no decision or action
-- texts), audited; attendance and marks (action points edited after
-- closing included).  No copy holds a case's persons,
-- birth dates or summary (the case by its number), and the audit records
-- only the categories the minutes hold.

DO $$
DECLARE
	v_case jsonb := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eemland", "summary": "Geheime samenvatting",
	    "persons": [{"role": "victim", "name": "Fleur Notulen",
	    "birth_date": "1990-04-04"}]}');
	v_c bigint := (v_case ->> 'id')::bigint;
	v_vt bigint := test_org('Veilig Thuis Eemland-Twente');
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	v_om bigint := test_org('Openbaar Ministerie, parket Oost-Nederland');
	m jsonb;
	it jsonb;
	a jsonb;
	v_m bigint;
	n jsonb;
	v_n bigint;
BEGIN
	m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'),
	    'scheduled_start', extract(epoch FROM now() + interval '1 hour')::bigint));
	v_m := (m ->> 'id')::bigint;
	it := test_table(v_m, v_c);
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', m -> 'version'));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('voorzitter'), 'present', true));
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('politie'), 'present', true,
	    'remote', true));
	m := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', it -> 'id'));
	it := test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', it -> 'id', 'version', tafel_json_item((it ->> 'id')::bigint)
		-> 'version', 'decision', 'Fleur Notulen krijgt een veiligheidsplan'));
	a := test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'meeting_id', v_m, 'description', 'Plan met Fleur maken',
	    'owner_org_id', v_vt, 'owner_user_id', test_uid('veiligthuis'),
	    'due_date', to_char(current_date + 14, 'YYYY-MM-DD')));

	-- not before closing
	PERFORM test_expect('TF018', format('SELECT tafel_get_minutes(%s, %s)',
	    test_uid('politie'), v_m));
	m := test_write('voorzitter', 'close_meeting', jsonb_build_object(
	    'meeting_id', v_m, 'version', tafel_json_meeting(v_m) -> 'version'));

	-- the police (present, involved): everything
	v_n := (SELECT count(*) FROM audit_log WHERE context = 'minutes');
	n := tafel_get_minutes(test_uid('politie'), v_m);
	ASSERT n ->> 'org_name' = 'Politie Eenheid Oost-Nederland', n::text;
	ASSERT n ->> 'chair_name' = 'Anouk de Vries';
	ASSERT (n ->> 'closed_at')::bigint > 0;
	ASSERT jsonb_array_length(n -> 'items') = 1;
	ASSERT n -> 'items' -> 0 -> 'item' ->> 'decision'
	    = 'Fleur Notulen krijgt een veiligheidsplan', n::text;
	-- the case by its number: no persons, birth dates or summary, not
	-- even for an organisation that may see them
	ASSERT n -> 'items' -> 0 -> 'case' ->> 'number' = v_case ->> 'number';
	ASSERT n -> 'items' -> 0 -> 'case' ->> 'summary' = '', n::text;
	ASSERT n -> 'items' -> 0 -> 'case' -> 'persons' = '[]', n::text;
	ASSERT n::text NOT LIKE '%1990-04-04%' AND n::text NOT LIKE '%Geheime%';
	ASSERT n -> 'items' -> 0 -> 'actions' -> 0 ->> 'description' = 'Plan met Fleur maken';
	ASSERT n -> 'items' -> 0 -> 'actions' -> 0 ->> 'owner_user_name' = 'Joris Mulder';
	ASSERT n -> 'items' -> 0 ->> 'added_during_meeting' = 'false';
	ASSERT n -> 'items' -> 0 ->> 'changed_after_close' = 'false';
	ASSERT n -> 'items' -> 0 -> 'actions_after_close' = '[]', n::text;
	-- present (in the room or remote), expected but absent
	ASSERT n -> 'present' @> jsonb_build_array(jsonb_build_object(
	    'user_name', 'Sanne Jansen', 'remote', true)), n -> 'present';
	ASSERT n -> 'absent_orgs' ? 'Openbaar Ministerie, parket Oost-Nederland';
	ASSERT NOT n -> 'absent_orgs' ? 'Politie Eenheid Oost-Nederland';
	ASSERT (SELECT count(*) FROM audit_log WHERE context = 'minutes'
	    AND user_id = test_uid('politie') AND case_id = v_c
	    AND meeting_id = v_m) = 1;
	-- the audit says what the minutes hold: texts, no names or birth dates
	ASSERT (SELECT categories FROM audit_log WHERE context = 'minutes'
	    AND user_id = test_uid('politie') AND case_id = v_c
	    AND meeting_id = v_m) = ARRAY['free_text'], (SELECT array_agg(
		categories) FROM audit_log WHERE context = 'minutes'
		AND user_id = test_uid('politie') AND meeting_id = v_m);

	-- the OM (a member, absent, not involved): exactly as its live view
	n := tafel_minutes_for_org(v_om, v_m);
	ASSERT n ->> 'org_name' = 'Openbaar Ministerie, parket Oost-Nederland';
	ASSERT n -> 'items' -> 0 -> 'case' ->> 'number' = v_case ->> 'number';
	ASSERT n -> 'items' -> 0 -> 'case' ->> 'summary' = '', n::text;
	ASSERT n -> 'items' -> 0 -> 'case' ->> 'redaction_reason' = 'not_involved';
	ASSERT n -> 'items' -> 0 -> 'case' -> 'persons' = '[]', n::text;
	ASSERT n -> 'items' -> 0 -> 'item' ->> 'decision' = '', n::text;
	ASSERT n -> 'items' -> 0 -> 'actions' -> 0 ->> 'description' = '';
	ASSERT n::text NOT LIKE '%Fleur%' AND n::text NOT LIKE '%Geheime%';
	-- the same rules as the live case view of an OM member (the minutes
	-- leave out the persons and texts that view would hold)
	ASSERT (SELECT jsonb_object_agg(k, v) FROM jsonb_each(tafel_render(
	    test_uid('om'), 0, 0, jsonb_build_object('case', tafel_json_case(v_c)),
	    NULL, 0, false) -> 'case') t(k, v) WHERE k IN ('redacted',
	    'redaction_reason', 'hidden_categories', 'number'))
	    = (SELECT jsonb_object_agg(k, v) FROM jsonb_each(n -> 'items' -> 0
	    -> 'case') t(k, v) WHERE k IN ('redacted', 'redaction_reason',
	    'hidden_categories', 'number'));
	-- Veilig Thuis (absent, owns the action): its own action in full
	n := tafel_minutes_for_org(v_vt, v_m);
	ASSERT n -> 'items' -> 0 -> 'actions' -> 0 ->> 'description'
	    = 'Plan met Fleur maken', n::text;
	-- the police's own copy is its read ('minutes'); the copies made with
	-- tafelctl minutes are recorded in the name of the member they were
	-- rendered for, as copies made for the organisation (0029)
	ASSERT (SELECT count(*) FROM audit_log WHERE context = 'minutes')
	    = v_n + 1, (SELECT array_agg(user_id) FROM audit_log
		WHERE context = 'minutes');
	ASSERT (SELECT count(*) FROM audit_log WHERE context = 'minutes_copy'
	    AND user_id = tafel_minutes_reader(v_vt) AND case_id = v_c
	    AND meeting_id = v_m) = 1, (SELECT array_agg(user_id)
		FROM audit_log WHERE context = 'minutes_copy');

	-- not a recipient: the GP's practice is no member and was not there
	PERFORM test_expect('TF016', format('SELECT tafel_get_minutes(%s, %s)',
	    test_uid('huisarts'), v_m));

	-- an action point agreed at the table whose agreement is edited
	-- after closing is marked (0025: update_action sets edited_at; the
	-- transaction's now() is the close's, so the edit is moved a minute
	-- on); completing one is not an edit
	PERFORM test_write('voorzitter', 'update_action', jsonb_build_object(
	    'id', a -> 'id', 'version', tafel_json_action((a ->> 'id')::bigint)
		-> 'version', 'description', 'Plan met Fleur maken en bespreken',
	    'owner_org_id', v_vt, 'owner_user_id', test_uid('veiligthuis'),
	    'due_date', to_char(current_date + 21, 'YYYY-MM-DD')));
	ASSERT (SELECT edited_at FROM action_points
	    WHERE id = (a ->> 'id')::bigint) IS NOT NULL;
	n := tafel_get_minutes(test_uid('politie'), v_m);
	ASSERT n -> 'items' -> 0 -> 'actions_changed_after_close' = '[]', n::text;
	UPDATE action_points SET edited_at = now() + interval '1 minute'
	WHERE id = (a ->> 'id')::bigint;
	-- (the log's times are clock times, after this transaction's now():
	-- the point's agreement logged before the close, the edit after it)
	UPDATE changelog SET at = CASE WHEN seq = (SELECT max(seq)
	    FROM changelog WHERE payload -> 'action_point' ->> 'id' = a ->> 'id')
	    THEN now() + interval '1 minute' ELSE now() - interval '1 minute' END
	WHERE payload -> 'action_point' ->> 'id' = a ->> 'id';
	n := tafel_get_minutes(test_uid('politie'), v_m);
	ASSERT n -> 'items' -> 0 -> 'actions_changed_after_close'
	    = jsonb_build_array((a ->> 'id')::bigint), n::text;
	-- and shown as agreed at the table, not as edited since
	ASSERT (SELECT x ->> 'description' FROM jsonb_array_elements(
	    n -> 'items' -> 0 -> 'actions') x WHERE x ->> 'id' = a ->> 'id')
	    = 'Plan met Fleur maken', n::text;
	ASSERT (SELECT x ->> 'due_date' FROM jsonb_array_elements(
	    n -> 'items' -> 0 -> 'actions') x WHERE x ->> 'id' = a ->> 'id')
	    = a ->> 'due_date', n::text;
	ASSERT tafel_json_action((a ->> 'id')::bigint) ->> 'description'
	    = 'Plan met Fleur maken en bespreken';
	UPDATE action_points SET edited_at = NULL WHERE id = (a ->> 'id')::bigint;
	PERFORM test_write('voorzitter', 'complete_action', jsonb_build_object(
	    'id', a -> 'id', 'version', tafel_json_action((a ->> 'id')::bigint)
		-> 'version', 'note', 'Plan gemaakt'));
	ASSERT (SELECT edited_at FROM action_points
	    WHERE id = (a ->> 'id')::bigint) IS NULL;
	n := tafel_get_minutes(test_uid('politie'), v_m);
	ASSERT n -> 'items' -> 0 -> 'actions_changed_after_close' = '[]', n::text;
	ASSERT n -> 'items' -> 0 -> 'actions' -> 0 ->> 'state' = 'done', n::text;

	-- a decision changed and an action agreed after closing are marked
	a := test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_c, 'meeting_id', v_m, 'description', 'Nagekomen afspraak',
	    'owner_org_id', v_pol, 'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	UPDATE action_points SET created_at = now() + interval '1 minute'
	WHERE id = (a ->> 'id')::bigint;
	UPDATE agenda_items SET decision = decision || ' (aangevuld)',
	    updated_at = now() + interval '1 minute', version = version + 1
	WHERE id = (it ->> 'id')::bigint;
	n := tafel_get_minutes(test_uid('politie'), v_m);
	ASSERT n -> 'items' -> 0 ->> 'changed_after_close' = 'true', n::text;
	ASSERT n -> 'items' -> 0 -> 'actions_after_close'
	    = jsonb_build_array((a ->> 'id')::bigint), n::text;
END
$$;
