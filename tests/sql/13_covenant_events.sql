-- Events per viewer (0005): tafel_events_for / tafel_events_for_viewer
-- render a change for each viewer, NULL for those who may not see it, and
-- audit what they got (as disclosures, 0012); tafel_changes_since carries
-- only a skeleton.

CREATE FUNCTION test_case_of(p_person text) RETURNS bigint LANGUAGE sql AS $$
	SELECT case_id FROM persons WHERE name = p_person
$$;

CREATE FUNCTION test_last_seq() RETURNS bigint LANGUAGE sql AS $$
	SELECT max(seq) FROM changelog
$$;

DO $$
DECLARE
	c1 bigint := test_case_of('Jeroen Bakker');
	c2 bigint := test_case_of('Mehmet Özdemir');
	v_wzt bigint := (SELECT m.id FROM meetings m WHERE m.series_id = test_series('wzt')
	    AND m.state <> 'closed' ORDER BY m.scheduled_start LIMIT 1);
	v_viewers jsonb;
	v_seq bigint;
	v_seqs bigint[] := '{}';
	v_n bigint;
	v_d bigint;
	ev jsonb[];
	v jsonb;
BEGIN
	-- an update of c1's case record, for: police (involved), housing
	-- (present when c1 was discussed last month: its categories), the OM
	-- (no connection), the GP (non-signatory, attends the WZT), the chair's
	-- shared screen of today's WZT
	v := test_write('politie', 'update_case', tafel_json_case(c1)
	    || '{"district": "Enschede-Noord (Deppenbroek)"}');
	v_seq := test_last_seq();
	v_seqs := v_seqs || v_seq;
	v_viewers := jsonb_build_array(
	    jsonb_build_object('user_id', test_uid('politie'), 'presentation_meeting', 0),
	    jsonb_build_object('user_id', test_uid('woningcorporatie'), 'presentation_meeting', 0),
	    jsonb_build_object('user_id', test_uid('om'), 'presentation_meeting', 0),
	    jsonb_build_object('user_id', test_uid('huisarts'), 'presentation_meeting', 0),
	    jsonb_build_object('user_id', test_uid('voorzitter'), 'presentation_meeting', v_wzt),
	    jsonb_build_object('user_id', test_uid('woningcorporatie'),
		'presentation_meeting', v_wzt));
	v_n := (SELECT max(id) FROM audit_log);
	PERFORM tafel_audit_fold(NULL, true);
	v_d := (SELECT coalesce(max(id), 0) FROM audit_disclosures);
	SELECT array_agg(event ORDER BY idx) INTO ev
	FROM tafel_events_for(v_seq, v_viewers);
	-- recorded in one pending row, folded into disclosures (0014)
	ASSERT (SELECT cardinality(uids) FROM audit_pending
	    ORDER BY id DESC LIMIT 1) = 2;
	ASSERT tafel_audit_fold(NULL, true) = 1;
	ASSERT cardinality(ev) = 6;
	ASSERT ev[1] -> 'case' ->> 'summary' LIKE 'Herhaald%';
	ASSERT ev[1] -> 'case' -> 'persons' -> 0 ->> 'name' = 'Jeroen Bakker';
	ASSERT ev[2] -> 'case' ->> 'redaction_reason' = 'category', ev[2]::text;
	ASSERT ev[2] -> 'case' -> 'persons' -> 0 ->> 'name' = 'Jeroen Bakker';
	ASSERT ev[2] -> 'case' -> 'persons' -> 0 ->> 'birth_date' = '';
	ASSERT ev[3] IS NULL, 'no connection, no event';
	ASSERT ev[4] -> 'case' ->> 'redaction_reason' = 'not_signatory';
	ASSERT ev[4] -> 'case' -> 'persons' -> 0 ->> 'name' = 'J. B.';
	ASSERT ev[5] -> 'case' ->> 'redaction_reason' = 'presentation';
	ASSERT ev[5] -> 'case' -> 'persons' -> 0 ->> 'name' = 'J. B.',
	    'the GP is present: nothing personal on the screen';
	ASSERT ev[6] IS NULL, 'only the chair or an admin presents';
	-- audit: police and housing (event disclosures, 0012); nothing for
	-- the others, and no per-event rows in audit_log
	ASSERT NOT EXISTS (SELECT 1 FROM audit_log WHERE id > v_n);
	ASSERT (SELECT array_agg(user_id ORDER BY user_id) FROM audit_disclosures
	    WHERE id > v_d) = (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY[
		test_uid('politie'), test_uid('woningcorporatie')]) x);
	ASSERT (SELECT bool_and(context = 'event' AND case_id = c1 AND count = 1)
	    FROM audit_disclosures WHERE id > v_d);
	ASSERT (SELECT categories FROM audit_disclosures WHERE id > v_d
	    AND user_id = test_uid('politie'))
	    = '{person_names,birth_dates,case_summary}';

	-- an action point on the SSO's c2 owned by probation: the OM (SSO
	-- member, not involved) gets it with the description emptied
	v := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', c2, 'description', 'Reclassering bezoekt Mehmet Özdemir',
	    'owner_org_id', test_org('Reclassering Nederland, regio Oost'),
	    'due_date', to_char(current_date + 3, 'YYYY-MM-DD')));
	v_seq := test_last_seq();
	v_seqs := v_seqs || v_seq;
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_seq,
	    jsonb_build_array(jsonb_build_object('user_id', test_uid('om')),
		jsonb_build_object('user_id', test_uid('reclassering')),
		jsonb_build_object('user_id', test_uid('woningcorporatie'))));
	ASSERT ev[1] -> 'action_point' ->> 'description' = '';
	ASSERT ev[2] -> 'action_point' ->> 'description' LIKE 'Reclassering bezoekt%';
	ASSERT ev[3] IS NULL, 'housing has no connection to c2';

	-- the item of c9 becomes current in the WZT: the event carries the case,
	-- now in full for housing (present), still pseudonymised for the GP
	PERFORM test_open(v_wzt);
	v_seqs := v_seqs || test_last_seq();
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_wzt, 'item_id', (SELECT id FROM agenda_items
		WHERE meeting_id = v_wzt AND case_id = test_case_of('Luuk Brinkman'))));
	v_seq := test_last_seq();
	v_seqs := v_seqs || v_seq;
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_seq,
	    jsonb_build_array(jsonb_build_object('user_id', test_uid('woningcorporatie')),
		jsonb_build_object('user_id', test_uid('huisarts')),
		jsonb_build_object('user_id', test_uid('voorzitter'))));
	ASSERT ev[1] ? 'meeting' AND ev[1] ? 'agenda_items';
	ASSERT ev[1] -> 'case' -> 'persons' -> 0 ->> 'name' = 'Luuk Brinkman', ev[1]::text;
	ASSERT ev[2] -> 'case' -> 'persons' -> 0 ->> 'name' = 'L. B.';
	-- the chair's view says the screen hides it (the GP is present)
	ASSERT ev[3] -> 'case' ->> 'beamer_redacted' = 'true'
	    AND ev[3] -> 'case' ->> 'beamer_reason' = 'not_signatory', ev[3]::text;
	-- the shared screen's event: hidden for the room, without the marks
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_seq,
	    jsonb_build_array(jsonb_build_object('user_id', test_uid('voorzitter'),
		'presentation_meeting', v_wzt)));
	ASSERT ev[1] -> 'case' ->> 'redaction_reason' = 'presentation'
	    AND ev[1] -> 'case' ->> 'beamer_redacted' = 'false'
	    AND ev[1] -> 'case' ->> 'beamer_reason' = '', ev[1]::text;

	-- replay for one viewer, in seq order, same rendering
	ASSERT (SELECT array_agg(seq ORDER BY seq) FROM tafel_events_for_viewer(
	    test_uid('om'), 0, v_seqs)) = (SELECT array_agg(x ORDER BY x) FROM unnest(v_seqs) x);
	ASSERT (SELECT event FROM tafel_events_for_viewer(test_uid('om'), 0,
	    ARRAY[v_seqs[1]])) IS NULL;
	ASSERT (SELECT event -> 'action_point' ->> 'description' FROM
	    tafel_events_for_viewer(test_uid('om'), 0, ARRAY[v_seqs[2]])) = '';
	ASSERT (SELECT event -> 'action_point' ->> 'description' FROM
	    tafel_events_for_viewer(test_uid('reclassering'), 0, ARRAY[v_seqs[2]]))
	    LIKE 'Reclassering bezoekt%';
	-- every rendered event is Event-shaped (keys)
	ASSERT NOT EXISTS (SELECT 1 FROM tafel_events_for_viewer(test_uid('voorzitter'),
	    0, v_seqs) e, jsonb_object_keys(e.event) k WHERE k NOT IN ('meeting',
		'agenda_items', 'case', 'action_point', 'attendance', 'person', 'actions'));
END
$$;

-- The skeleton: no personal data in tafel_changes_since at all.  Make
-- changes of every kind with personal data, then scan for the names.
DO $$
DECLARE
	v_case jsonb;
	v_m jsonb;
	v_a jsonb;
	v_item jsonb;
	v_start bigint := coalesce((SELECT max(seq) FROM changelog), 0);
	v_text text;
	v_name text;
BEGIN
	v_case := test_write('politie', 'create_case', '{"theme": "domestic_violence", "district": "Enschede-Noord",
	    "summary": "Geheime samenvatting", "persons": [{"role": "victim",
	    "name": "Fleur van Dijk", "birth_date": "1989-09-03"}]}');
	PERFORM test_write('politie', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', v_case -> 'id', 'name', 'Jeroen Bakker',
		'birth_date', '1986-04-12')));
	v_m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('wzt'),
	    'scheduled_start', extract(epoch FROM now() + interval '2 days')::bigint));
	v_item := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_m -> 'id', 'case_id', v_case -> 'id')) -> 'items' -> 0;
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', v_item -> 'id', 'version', v_item -> 'version',
	    'decision', 'Fleur van Dijk krijgt een veiligheidsplan'));
	v_a := test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_case -> 'id', 'description', 'Bel Jeroen Bakker',
	    'owner_org_id', test_org('Politie Eenheid Oost-Nederland'),
	    'due_date', to_char(current_date + 3, 'YYYY-MM-DD')));
	PERFORM test_write('politie', 'complete_action', jsonb_build_object(
	    'id', v_a -> 'id', 'version', v_a -> 'version',
	    'note', 'Jeroen Bakker gesproken'));
	PERFORM test_write('voorzitter', 'reorder_agenda', jsonb_build_object(
	    'meeting_id', v_m -> 'id', 'item_ids', jsonb_build_array(v_item -> 'id')));

	SELECT string_agg(payload::text, ' ') INTO v_text
	FROM tafel_changes_since(v_start, 1000);
	ASSERT v_text LIKE '%"theme": "domestic_violence"%', 'the skeleton keeps the routing data';
	ASSERT v_text NOT LIKE '%Geheime%' AND v_text NOT LIKE '%1989-09-03%'
	    AND v_text NOT LIKE '%veiligheidsplan%' AND v_text NOT LIKE '%gesproken%';
	-- every person name of the register
	FOR v_name IN SELECT DISTINCT name FROM persons LOOP
		ASSERT position(v_name IN v_text) = 0, 'name in skeleton: ' || v_name;
	END LOOP;
	-- the stored change log still has them (for rendering per viewer)
	ASSERT (SELECT count(*) FROM changelog WHERE seq > v_start
	    AND payload::text LIKE '%Fleur van Dijk%') > 0;
	-- and the skeleton is Event-shaped like the payload (less a match
	-- follow-up's cause, match_of, which is for the rendering only)
	ASSERT NOT EXISTS (SELECT 1 FROM tafel_changes_since(v_start, 1000) c
	    WHERE (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(c.payload) k)
		IS DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM changelog cl,
		    jsonb_object_keys(cl.payload) k WHERE cl.seq = c.seq
		    AND k <> 'match_of'));
END
$$;

-- An organisation made involved by an action point it is given in a meeting
-- gets, with the case and its action points, the case's agenda item of that
-- meeting: the decision hidden from it until then (a client keeping the
-- item it had would show no decision).  Another member organisation of the
-- series, still not involved, does not get the decision.
DO $$
DECLARE
	v_case jsonb;
	v_m jsonb;
	v_item jsonb;
	v_seq bigint;
	ev jsonb;
BEGIN
	v_case := test_write('politie', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence', 'district', 'Enschede-Noord',
	    'summary', 'Test 13: later betrokken'));
	v_m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('wzt'),
	    'scheduled_start', extract(epoch FROM now() + interval '3 days')::bigint));
	v_item := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_m -> 'id', 'case_id', v_case -> 'id')) -> 'items' -> 0;
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', v_item -> 'id', 'version', v_item -> 'version',
	    'decision', 'Besluit 13: GGZ zoekt contact'));
	PERFORM test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_case -> 'id', 'meeting_id', v_m -> 'id',
	    'description', 'GGZ belt', 'owner_org_id',
	    test_org('GGZ Eemland-Twente'),
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	v_seq := (SELECT max(seq) FROM changelog);
	SELECT e.event INTO ev FROM tafel_events_for(v_seq, jsonb_build_array(
	    jsonb_build_object('user_id', test_uid('ggz'),
		'meeting_id', v_m -> 'id'))) e;
	ASSERT ev -> 'agenda_items' -> 0 ->> 'id' = v_item ->> 'id', ev::text;
	ASSERT ev -> 'agenda_items' -> 0 ->> 'decision'
	    = 'Besluit 13: GGZ zoekt contact', ev::text;
	ASSERT ev -> 'case' ->> 'summary' = 'Test 13: later betrokken';
	SELECT e.event INTO ev FROM tafel_events_for(v_seq, jsonb_build_array(
	    jsonb_build_object('user_id', test_uid('jeugdzorg'),
		'meeting_id', v_m -> 'id'))) e;
	ASSERT coalesce(ev -> 'agenda_items' -> 0 ->> 'decision', '') = '',
	    ev::text;
	-- a second action point for the now involved GGZ: nothing newly seen
	PERFORM test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_case -> 'id', 'meeting_id', v_m -> 'id',
	    'description', 'GGZ belt weer', 'owner_org_id',
	    test_org('GGZ Eemland-Twente'),
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	ASSERT NOT (SELECT payload ? 'agenda_items' FROM changelog
	    ORDER BY seq DESC LIMIT 1);
END
$$;
