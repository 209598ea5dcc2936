-- A case on the agenda of a meeting that was cancelled, or closed without
-- getting to it, is proposed for the series' next meeting (reason
-- not_discussed) until a meeting of the series discusses it: cancelling a
-- meeting with four cases on its agenda dropped two of them silently (a
-- new user's run).

DO $$
DECLARE
	s bigint := test_series('casusoverleg_hg');
	m1 bigint := test_meeting(test_series('casusoverleg_hg'),
	    interval '3 days');
	m2 bigint := test_meeting(test_series('casusoverleg_hg'),
	    interval '10 days');
	c jsonb := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Elders", "approach": "person",
	    "reason": "agenda"}');
	p jsonb;
	r jsonb;
BEGIN
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT (c ->> 'id')::bigint, org_id FROM users
	WHERE id = test_uid('voorzitter');
	PERFORM test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', m1, 'case_id', c -> 'id'));
	-- while m1 is still to come, m2 does not propose it for this reason
	p := tafel_list_proposals(test_uid('voorzitter'), s, m2);
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p -> 'proposals') x,
	    jsonb_array_elements(x -> 'reasons') y
	    WHERE (x ->> 'case_id')::bigint = (c ->> 'id')::bigint
		AND y ->> 'code' = 'not_discussed'), p::text;

	PERFORM test_write('voorzitter', 'cancel_meeting', jsonb_build_object(
	    'meeting_id', m1, 'version', tafel_json_meeting(m1) -> 'version',
	    'reason', 'Voorzitter ziek'));
	p := tafel_list_proposals(test_uid('voorzitter'), s, m2);
	SELECT y INTO r FROM jsonb_array_elements(p -> 'proposals') x,
	    jsonb_array_elements(x -> 'reasons') y
	WHERE (x ->> 'case_id')::bigint = (c ->> 'id')::bigint
	    AND y ->> 'code' = 'not_discussed';
	ASSERT r IS NOT NULL, 'the cancelled meeting''s case is not proposed: '
	    || p::text;
	ASSERT r ->> 'text' LIKE 'on the agenda of the cancelled meeting of '
	    || '____-__-__, not discussed', r::text;
END
$$;
