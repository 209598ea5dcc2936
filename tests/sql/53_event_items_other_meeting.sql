-- An event about a case carries its agenda items, and their decisions, in
-- other meetings only for the meetings the viewer may see (docs/protocol.md
-- 8.4; docs/security.md: agenda_items of meetings the user may see, as
-- get_case's history): a partner following its own meeting on whose agenda
-- the case is, and involved in the case, got the decisions of a meeting of
-- a series it takes no part in.

DO $$
DECLARE
	v_c bigint := test_case('politie', 'Twee tafels',
	    '[{"role": "victim", "name": "Roos Tweetafel", "birth_date": "1988-02-02"}]');
	v_start bigint := extract(epoch FROM now() + interval '1 hour')::bigint;
	v_hg bigint;
	v_sso bigint;
	m jsonb;
	it jsonb;
	v_seq bigint;
	v_add bigint;
	ev jsonb[];
	v_viewers jsonb := jsonb_build_array(
	    jsonb_build_object('user_id', test_uid('jeugdzorg'), 'presentation_meeting', 0),
	    jsonb_build_object('user_id', test_uid('politie'), 'presentation_meeting', 0));
BEGIN
	-- youth care: a member of the Eemland series, not of the SSO
	ASSERT EXISTS (SELECT 1 FROM series_members WHERE org_id = test_org(
	    'Bureau Jeugdzorg Eemland-Twente') AND series_id = test_series('casusoverleg_hg'));
	ASSERT NOT EXISTS (SELECT 1 FROM series_members WHERE org_id = test_org(
	    'Bureau Jeugdzorg Eemland-Twente') AND series_id = test_series('sso'));
	v_hg := (test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'), 'scheduled_start', v_start))
	    ->> 'id')::bigint;
	PERFORM test_table(v_hg, v_c);
	-- involved: it sees the case's free text, decisions included
	PERFORM test_write('jeugdzorg', 'add_contribution', jsonb_build_object(
	    'case_id', v_c, 'facts', 'bekend bij jeugdzorg'));

	m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('sso'), 'scheduled_start', v_start + 7200));
	v_sso := (m ->> 'id')::bigint;
	ASSERT NOT tafel_may_see_meeting((SELECT u FROM users u
	    WHERE id = test_uid('jeugdzorg')), v_sso);
	it := test_table(v_sso, v_c);
	v_add := (SELECT max(seq) FROM changelog);
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_sso, 'version', m -> 'version'));
	PERFORM test_write('voorzitter', 'record_decision', jsonb_build_object(
	    'item_id', it -> 'id', 'version', tafel_json_item((it ->> 'id')::bigint)
		-> 'version', 'decision', 'Besluit van het SSO'));
	v_seq := (SELECT max(seq) FROM changelog);

	-- the decision: the police (an SSO member) gets it; youth care nothing
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_seq, v_viewers);
	ASSERT ev[2] -> 'agenda_items' -> 0 ->> 'decision' = 'Besluit van het SSO', ev[2]::text;
	ASSERT ev[1] IS NULL, format('youth care got the SSO''s decision: %s', ev[1]);
	-- the case put on the SSO's agenda: youth care gets the case (its
	-- own agenda has it), without the SSO's items
	SELECT array_agg(event ORDER BY idx) INTO ev FROM tafel_events_for(v_add, v_viewers);
	ASSERT jsonb_array_length(ev[2] -> 'agenda_items') >= 1, ev[2]::text;
	ASSERT ev[1] IS NULL OR NOT ev[1] ? 'agenda_items', ev[1]::text;
	-- nor the Eemland meeting's shared screen (only the meeting shown)
	ASSERT NOT EXISTS (SELECT 1 FROM tafel_events_for(v_seq, jsonb_build_array(
	    jsonb_build_object('user_id', test_uid('voorzitter'),
		'presentation_meeting', v_hg))) e WHERE e.event ? 'agenda_items'),
	    'the Eemland shared screen got the SSO''s item';
	-- so on a replay
	ASSERT NOT EXISTS (SELECT 1 FROM tafel_events_for_viewer(test_uid('jeugdzorg'),
	    0, ARRAY[v_add, v_seq]) e WHERE e.event ? 'agenda_items'),
	    'the replay gave youth care the SSO''s items';
	ASSERT (SELECT count(*) FROM tafel_events_for_viewer(test_uid('politie'),
	    0, ARRAY[v_add, v_seq]) e WHERE e.event ? 'agenda_items') = 2;
END
$$;
