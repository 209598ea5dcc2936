-- Open action points carry over (58_minutes.sql): at the next meeting of the
-- series they come with their case when it is on the agenda, and in the
-- standing item "openstaande afspraken" (list_open_actions, the minutes)
-- otherwise; rendered for the viewer.

DO $$
DECLARE
	v_wzt bigint := (SELECT m.id FROM meetings m
	    WHERE m.series_id = test_series('wzt') AND m.state = 'planned'
	    ORDER BY m.scheduled_start LIMIT 1);
	v_c1 bigint := (SELECT case_id FROM persons WHERE name = 'Jeroen Bakker');
	v_c9 bigint := (SELECT ai.case_id FROM agenda_items ai
	    WHERE ai.meeting_id = v_wzt AND ai.position = 3);
	v_late bigint := (SELECT id FROM action_points
	    WHERE description LIKE 'Toetsing verlenging huisverbod%');
	m jsonb;
	l jsonb;
BEGIN
	-- today's WZT has the case on its agenda: the action comes with it
	ASSERT tafel_snapshot(test_uid('politie'), v_wzt) -> 'snapshot'
	    -> 'actions' @> jsonb_build_array(jsonb_build_object('id', v_late));
	ASSERT jsonb_array_length(tafel_list_open_actions(test_uid('politie'),
	    v_wzt) -> 'actions') = 0, 'nothing left over today';

	-- next month's WZT without the case: the standing item
	m := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('wzt'),
	    'scheduled_start', extract(epoch FROM now() + interval '28 days')::bigint));
	PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', m -> 'id', 'case_id', v_c9));
	l := tafel_list_open_actions(test_uid('politie'), (m ->> 'id')::bigint);
	ASSERT l -> 'actions' @> jsonb_build_array(jsonb_build_object(
	    'id', v_late, 'description',
	    'Toetsing verlenging huisverbod door de hulpofficier van justitie')),
	    l::text;
	-- only open ones (last month's finished ones are not carried)
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(l -> 'actions') x
	    WHERE x ->> 'state' <> 'open');
	ASSERT jsonb_array_length(l -> 'actions') = (SELECT count(*)
	    FROM action_points ap JOIN meetings em ON em.id = ap.meeting_id
	    WHERE em.series_id = test_series('wzt') AND ap.state = 'open'
		AND ap.case_id <> v_c9), l::text;
	-- once the case is on the agenda it moves there
	PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', m -> 'id', 'case_id', v_c1));
	l := tafel_list_open_actions(test_uid('politie'), (m ->> 'id')::bigint);
	ASSERT NOT l -> 'actions' @> jsonb_build_array(jsonb_build_object(
	    'id', v_late)), l::text;
	-- the covenant applies: an organisation that may not see the meeting
	PERFORM test_expect('TF016', format(
	    'SELECT tafel_list_open_actions(%s, %s)', test_uid('om'), m ->> 'id'));
END
$$;
