-- A case already on the agenda of its series' next meeting cannot be
-- nominated for that series: accepting it would only point at the item
-- there, and the partner who nominated was told nothing (a partner's run).
-- The refusal names the meeting; a case on the agenda of a meeting under
-- way, or of a later one, can still be nominated (for the next).

DO $$
DECLARE
	s bigint := test_series('wzt');
	v_next bigint := tafel_series_next_meeting(test_series('wzt'));
	v_later bigint;
	c jsonb := test_write('politie', 'create_case',
	    '{"theme": "domestic_violence", "district": "Enschede-Noord"}');
	n jsonb;
	e jsonb;
BEGIN
	ASSERT v_next IS NOT NULL, 'the demo plans a WZT meeting';
	PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_next, 'case_id', c -> 'id'));
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'nominate_case', jsonb_build_object('series_id', s,
		'case_id', c -> 'id', 'reason', 'Graag bespreken')));
	ASSERT e ->> 'hint' = 'case_id', e::text;
	ASSERT e ->> 'message' LIKE 'the case is already on the agenda of the '
	    || 'series'' next meeting (____-__-__ __:__)', e::text;
	ASSERT NOT EXISTS (SELECT 1 FROM nominations
	    WHERE case_id = (c ->> 'id')::bigint);

	-- on a later meeting's agenda only: it may be nominated for the next
	c := test_write('politie', 'create_case',
	    '{"theme": "domestic_violence", "district": "Enschede-Noord"}');
	v_later := test_meeting(s, interval '40 days');
	ASSERT v_later <> v_next;
	PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_later, 'case_id', c -> 'id'));
	n := test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', s, 'case_id', c -> 'id', 'reason', 'Eerder bespreken'));
	ASSERT n ->> 'state' = 'pending', n::text;
END
$$;
