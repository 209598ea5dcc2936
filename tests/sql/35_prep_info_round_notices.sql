-- The info round's notice (0017, 57_prep.sql, 58_inbox.sql): starting a
-- round gives every asked organisation one inbox entry of kind
-- info_round_asked from the process manager (the case number, the round
-- and its reply-by date; no personal data, so none reaches an organisation
-- outside the covenant and nothing is audited); nobody else sees it; it is
-- logged for the inbox topic before the round's own change; a new round
-- makes new entries; answering the round reads the organisation's entry.

SELECT tafel_pm_add('reclassering', 'Meldorp', 'domestic_violence');
DO $$
DECLARE
	v_case jsonb := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Meldorp", "approach": "person",
	    "reason": "melding"}');
	v_c bigint := (v_case ->> 'id')::bigint;
	v_bjz bigint := test_org('Bureau Jeugdzorg Eemland-Twente');
	v_ha bigint := test_org('Huisartsenpraktijk De Linde');
	v_recl bigint := test_org('Reclassering Nederland, regio Oost');
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
	r jsonb;
	l jsonb;
	e jsonb;
	ev jsonb[];
	v_seq bigint;
BEGIN
	PERFORM test_write('politie', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', v_c, 'role', 'suspect',
	    'name', 'Jan de Vries', 'birth_date', '1980-01-02')));
	ASSERT NOT EXISTS (SELECT 1 FROM inbox_entries WHERE case_id = v_c
	    AND kind = 'info_round_asked');

	r := test_write('reclassering', 'start_info_round', jsonb_build_object(
	    'case_id', v_c, 'reply_by', v_today + 2,
	    'org_ids', jsonb_build_array(v_bjz, v_ha)));

	-- one entry per asked organisation, from the process manager
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c) = 2;
	ASSERT (SELECT bool_and(kind = 'info_round_asked'
	    AND info_round_id = (r ->> 'id')::bigint
	    AND sender_id = test_uid('reclassering')
	    AND recipient_user_id IS NULL AND read_at IS NULL)
	    FROM inbox_entries WHERE case_id = v_c);
	ASSERT (SELECT array_agg(recipient_org_id ORDER BY recipient_org_id)
	    FROM inbox_entries WHERE case_id = v_c)
	    = ARRAY[least(v_bjz, v_ha), greatest(v_bjz, v_ha)];

	-- the asked organisation's inbox: the case, the round, the date
	l := tafel_list_inbox(test_uid('jeugdzorg'), false, true);
	ASSERT l ->> 'unread' = '1', l::text;
	e := l -> 'entries' -> 0;
	ASSERT e ->> 'kind' = 'info_round_asked'
	    AND e ->> 'case_number' = v_case ->> 'number'
	    AND (e ->> 'info_round_id')::bigint = (r ->> 'id')::bigint
	    AND e ->> 'reply_by' = to_char(v_today + 2, 'YYYY-MM-DD')
	    AND e ->> 'sender_name' = 'Fatima El Amrani'
	    AND e ->> 'recipient_org_name' = 'Bureau Jeugdzorg Eemland-Twente'
	    AND NOT (e ->> 'sent_by_me')::boolean, e::text;
	-- no personal data in it, for a covenant partner or the GP (who has
	-- not signed the covenant), and no audit row for reading it
	ASSERT l::text NOT LIKE '%Jan de Vries%' AND l::text NOT LIKE '%1980%',
	    l::text;
	-- (the demo asked the GP in a round of its own)
	l := tafel_list_inbox(test_uid('huisarts'), false, true);
	ASSERT (SELECT count(*) = 1 AND bool_and(x ->> 'kind' = 'info_round_asked')
	    FROM jsonb_array_elements(l -> 'entries') x
	    WHERE (x ->> 'case_id')::bigint = v_c), l::text;
	ASSERT l::text NOT LIKE '%Jan de Vries%' AND l::text NOT LIKE '%1980%',
	    l::text;
	ASSERT NOT EXISTS (SELECT 1 FROM audit_log WHERE context = 'inbox'
	    AND case_id = v_c);

	-- nobody else: an organisation not asked, not even the submitter
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('om'), false, true) -> 'entries') x
	    WHERE x ->> 'kind' = 'info_round_asked');
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(tafel_list_inbox(
	    test_uid('politie'), false, true) -> 'entries') x
	    WHERE x ->> 'kind' = 'info_round_asked'
		AND (x ->> 'case_id')::bigint = v_c);
	-- the process manager sees what it sent (include_sent)
	l := tafel_list_inbox(test_uid('reclassering'), false, true);
	ASSERT (SELECT count(*) FROM jsonb_array_elements(l -> 'entries') x
	    WHERE x ->> 'kind' = 'info_round_asked'
		AND (x ->> 'sent_by_me')::boolean) = 2, l::text;

	-- logged for the inbox topic (recipient and sender organisations)
	-- before the round's own change, which is the write's last
	v_seq := (SELECT max(seq) FROM changelog WHERE payload ? 'inbox_entry'
	    AND payload -> 'inbox_entry' ->> 'recipient_org_id' = v_bjz::text);
	ASSERT (SELECT org_ids = ARRAY[least(v_bjz, v_recl),
	    greatest(v_bjz, v_recl)] AND case_id = v_c
	    FROM changelog WHERE seq = v_seq);
	ASSERT (SELECT payload ? 'info_round' FROM changelog
	    WHERE seq = (SELECT max(seq) FROM changelog));
	ASSERT (SELECT max(seq) FROM changelog) > v_seq;
	-- pushed to the asked organisation's members and the sender only
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_seq,
	    jsonb_build_array(jsonb_build_object('user_id', test_uid('jeugdzorg')),
		jsonb_build_object('user_id', test_uid('om')),
		jsonb_build_object('user_id', test_uid('reclassering'))));
	ASSERT ev[1] -> 'inbox_entry' ->> 'kind' = 'info_round_asked', ev[1]::text;
	ASSERT ev[2] IS NULL, ev[2]::text;
	ASSERT (ev[3] -> 'inbox_entry' ->> 'sent_by_me')::boolean, ev[3]::text;

	-- the asked organisation marks it read; the sender sees who did
	e := test_write('jeugdzorg', 'mark_inbox_read', jsonb_build_object(
	    'id', (SELECT id FROM inbox_entries WHERE case_id = v_c
		AND recipient_org_id = v_bjz)));
	ASSERT e ->> 'read_by_name' = 'Lotte Hendriks', e::text;
	ASSERT tafel_list_inbox(test_uid('jeugdzorg'), true, false) ->> 'unread'
	    = '0';

	-- a new round after this one closes: a new entry for each asked
	r := test_write('reclassering', 'close_info_round', jsonb_build_object(
	    'id', r -> 'id', 'version', r -> 'version'));
	r := test_write('reclassering', 'start_info_round', jsonb_build_object(
	    'case_id', v_c, 'reply_by', v_today + 3,
	    'org_ids', jsonb_build_array(v_bjz)));
	ASSERT (SELECT count(*) FROM inbox_entries WHERE case_id = v_c
	    AND recipient_org_id = v_bjz) = 2;
	l := tafel_list_inbox(test_uid('jeugdzorg'), true, false);
	ASSERT l ->> 'unread' = '1'
	    AND l -> 'entries' -> 0 ->> 'reply_by'
		= to_char(v_today + 3, 'YYYY-MM-DD'), l::text;

	-- answering the round reads its question: the entry is read by the
	-- one who answered, logged (the sender sees the receipt) before the
	-- round's change; a second answer changes the entry no more
	v_seq := (SELECT max(seq) FROM changelog);
	PERFORM test_write('jeugdzorg', 'answer_info_round', jsonb_build_object(
	    'id', r -> 'id', 'answer', 'not_known'));
	l := tafel_list_inbox(test_uid('jeugdzorg'), false, false);
	ASSERT l ->> 'unread' = '0', l::text;
	ASSERT l -> 'entries' -> 0 ->> 'read_by_name' = 'Lotte Hendriks'
	    AND (l -> 'entries' -> 0 ->> 'info_round_id')::bigint
		= (r ->> 'id')::bigint, l::text;
	ASSERT (SELECT array_agg(CASE WHEN payload ? 'inbox_entry'
		THEN 'inbox' ELSE 'round' END ORDER BY seq)
	    FROM changelog WHERE seq > v_seq) = ARRAY['inbox', 'round'];
	ASSERT (SELECT (payload -> 'inbox_entry' ->> 'read_at')::bigint > 0
	    FROM changelog WHERE seq = v_seq + 1);
	v_seq := (SELECT max(seq) FROM changelog);
	PERFORM test_write('jeugdzorg', 'answer_info_round', jsonb_build_object(
	    'id', r -> 'id', 'answer', 'known'));
	ASSERT NOT EXISTS (SELECT 1 FROM changelog WHERE seq > v_seq
	    AND payload ? 'inbox_entry');
END
$$;
