-- The organisation given the lead of a case (regie) and a new case manager
-- are told in their inbox (0021), but only where the organisation may
-- know the case exists; a new case manager involves their organisation,
-- the lead alone does not; nobody is told of what they did themselves.  A
-- review date after the end date is refused.

SELECT tafel_pm_add('reclassering', 'Notitiedorp', 'domestic_violence');

CREATE FUNCTION test_routing(p_login text, p_case bigint, p_args jsonb)
RETURNS jsonb LANGUAGE sql AS $$
	SELECT test_write(p_login, 'update_routing', jsonb_build_object('id',
	    p_case, 'version', tafel_json_case(p_case) -> 'version') || p_args)
$$;

CREATE FUNCTION test_notices(p_case bigint)
RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(format('%s:%s:%s:%s', e.kind, o.name,
	    coalesce(r.login, '-'), s.login), ' ' ORDER BY e.id), '')
	FROM inbox_entries e JOIN organisations o ON o.id = e.recipient_org_id
	LEFT JOIN users r ON r.id = e.recipient_user_id
	JOIN users s ON s.id = e.sender_id
	WHERE e.case_id = p_case
	    AND e.kind IN ('lead_assigned', 'case_manager_assigned')
$$;

DO $$
DECLARE
	v_vt bigint := test_org('Veilig Thuis Eemland-Twente');
	v_pol bigint := test_org('Politie Eenheid Oost-Nederland');
	v_c bigint;
	v jsonb;
	e jsonb;
	v_inbox jsonb;
	v_entry jsonb;
	v_other bigint;
BEGIN
	v := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "district": "Notitiedorp", "reason": "melding"}');
	v_c := (v ->> 'id')::bigint;

	-- Veilig Thuis has no connection to the case: made lead without a
	-- case manager, it is not involved and not told (the notice would
	-- name a case it may not know of)
	ASSERT NOT tafel_org_connected(v_vt, v_c);
	PERFORM test_routing('reclassering', v_c, jsonb_build_object(
	    'lead_org_id', v_vt));
	ASSERT test_notices(v_c) = '', test_notices(v_c);
	ASSERT NOT tafel_org_connected(v_vt, v_c);
	ASSERT (tafel_access(test_uid('veiligthuis'), v_c) ->> 'connected')
	    = 'false';
	PERFORM test_routing('reclassering', v_c, '{}');	-- clears it

	-- with a case manager of its own: the case manager's organisation is
	-- involved (the person who coordinates the case sees it), and told
	-- once, naming its case manager, from the process manager; no second
	-- notice for him.  The change carries the case's action points for
	-- the newly involved (tafel_involved_payload).
	PERFORM test_routing('reclassering', v_c, jsonb_build_object(
	    'lead_org_id', v_vt, 'case_manager_id', test_uid('veiligthuis')));
	ASSERT tafel_org_involved(v_vt, v_c);
	ASSERT (tafel_access(test_uid('veiligthuis'), v_c) ->> 'connected')
	    = 'true';
	ASSERT (SELECT payload ? 'actions' FROM changelog
	    WHERE case_id = v_c AND payload ? 'case'
	    ORDER BY seq DESC LIMIT 1), 'the change involves Veilig Thuis';
	ASSERT test_notices(v_c) = 'lead_assigned:Veilig Thuis Eemland-Twente:'
	    || 'veiligthuis:reclassering', test_notices(v_c);
	v_inbox := tafel_list_inbox(test_uid('veiligthuis'), true, false);
	SELECT x INTO v_entry FROM jsonb_array_elements(v_inbox -> 'entries') x
	WHERE (x ->> 'case_id')::bigint = v_c;
	ASSERT v_entry ->> 'kind' = 'lead_assigned', v_inbox;
	ASSERT v_entry ->> 'case_number' = (SELECT number FROM cases
	    WHERE id = v_c), v_entry;
	ASSERT v_entry ->> 'recipient_user_name' <> '', v_entry;
	ASSERT (SELECT count(*) FROM changelog WHERE payload -> 'inbox_entry'
	    ->> 'kind' = 'lead_assigned'
	    AND (payload -> 'inbox_entry' ->> 'case_id')::bigint = v_c) = 1,
	    'the notice is pushed on the inbox topic';

	-- the same lead and case manager again (another field changed):
	-- nothing new
	PERFORM test_routing('reclassering', v_c, jsonb_build_object(
	    'lead_org_id', v_vt, 'case_manager_id', test_uid('veiligthuis'),
	    'end_date', to_char(current_date + 90, 'YYYY-MM-DD')));
	ASSERT test_notices(v_c) = 'lead_assigned:Veilig Thuis Eemland-Twente:'
	    || 'veiligthuis:reclassering', test_notices(v_c);

	-- a new case manager of another connected organisation (the
	-- submitter): told as case manager; the lead, unchanged, is not
	PERFORM test_routing('reclassering', v_c, jsonb_build_object(
	    'lead_org_id', v_vt, 'case_manager_id', test_uid('politie')));
	ASSERT test_notices(v_c) = 'lead_assigned:Veilig Thuis Eemland-Twente:'
	    || 'veiligthuis:reclassering case_manager_assigned:Politie Eenheid '
	    || 'Oost-Nederland:politie:reclassering', test_notices(v_c);

	-- who makes themselves case manager, or their own organisation the
	-- lead, is not told
	PERFORM test_routing('reclassering', v_c, jsonb_build_object(
	    'lead_org_id', (SELECT org_id FROM users WHERE login = 'reclassering'),
	    'case_manager_id', test_uid('reclassering')));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind IN ('lead_assigned', 'case_manager_assigned')) = 2,
	    test_notices(v_c);

	-- move_case stores the lead it is given the same way: the police,
	-- submitter, made lead by the process manager, is told
	PERFORM test_write('reclassering', 'move_case', jsonb_build_object(
	    'id', v_c, 'version', tafel_json_case(v_c) -> 'version',
	    'to', 'screening', 'lead_org_id', v_pol));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'lead_assigned' AND recipient_org_id = v_pol
	    AND recipient_user_id IS NULL) = 1, test_notices(v_c);

	-- a connection through a series: a case on the agenda of a meeting
	-- of a series the organisation belongs to
	SELECT a.case_id INTO v_other FROM agenda_items a
	JOIN meetings m ON m.id = a.meeting_id
	JOIN series_members sm ON sm.series_id = m.series_id AND sm.org_id = v_vt
	WHERE a.case_id IS NOT NULL AND NOT tafel_org_involved(v_vt, a.case_id)
	LIMIT 1;
	ASSERT v_other IS NOT NULL, 'the demo has such a case';
	ASSERT tafel_org_connected(v_vt, v_other);
	ASSERT NOT tafel_org_connected(test_org('Huisartsenpraktijk De Linde'),
	    v_c);

	-- the review comes before the end: a later one is refused
	e := test_expect('TF014', format('SELECT test_routing(%L, %s, %L)',
	    'reclassering', v_c, jsonb_build_object('end_date', '2027-03-03',
		'review_date', '2027-04-01')));
	ASSERT e ->> 'hint' = 'review_date', e;
	v := test_routing('reclassering', v_c, jsonb_build_object(
	    'end_date', '2027-03-03', 'review_date', '2027-03-03'));
	ASSERT v ->> 'review_date' = '2027-03-03', v;
END
$$;
