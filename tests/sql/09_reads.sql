-- Read functions: access to meetings, ordering, login, not-found.

DO $$
DECLARE
	v_sso bigint := (SELECT min(id) FROM meetings WHERE series_id = test_series('sso'));
	v_ha bigint := test_uid('huisarts');
	e jsonb;
	s jsonb;
	r record;
	v_list jsonb;
BEGIN
	-- snapshot: NOT_FOUND, FORBIDDEN for a non-member, allowed for members
	-- and admins, and for an organisation that attends
	e := test_expect('TF016', 'SELECT tafel_snapshot(test_uid(''admin''), -1)');
	ASSERT e ->> 'hint' = 'meeting_id';
	PERFORM test_expect('TF010', format('SELECT tafel_snapshot(%s, %s)',
	    v_ha, v_sso));
	s := tafel_snapshot(test_uid('om'), v_sso);
	ASSERT s ->> 'resumed' = 'false';
	ASSERT (s ->> 'seq')::bigint = coalesce((SELECT max(seq) FROM changelog), 0);
	ASSERT jsonb_array_length(s -> 'snapshot' -> 'cases')
	    = jsonb_array_length(s -> 'snapshot' -> 'agenda');
	ASSERT jsonb_array_length(s -> 'snapshot' -> 'organisations')
	    = (SELECT count(*) FROM organisations);
	ASSERT jsonb_array_length(s -> 'snapshot' -> 'actions')
	    = (SELECT count(*) FROM action_points WHERE case_id IN
		(SELECT case_id FROM agenda_items WHERE meeting_id = v_sso));
	PERFORM tafel_snapshot(test_uid('admin'), v_sso);
	-- attendance only in an open meeting (0006)
	PERFORM test_open(v_sso);
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_sso, 'user_id', v_ha, 'present', true, 'remote', true));
	s := tafel_snapshot(v_ha, v_sso);
	ASSERT (s ->> 'seq')::bigint = (SELECT max(seq) FROM changelog);

	-- list_meetings: open first, then by start; series filter; visibility
	UPDATE meetings SET state = 'open' WHERE id = (SELECT max(id) FROM meetings
	    WHERE state = 'planned');
	v_list := tafel_list_meetings(test_uid('admin'), 0, 0, 0) -> 'meetings';
	ASSERT v_list -> 0 ->> 'state' = 'open';
	ASSERT jsonb_array_length(v_list) = (SELECT count(*) FROM meetings);
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_list) WITH ORDINALITY x(e, i)
	    JOIN jsonb_array_elements(v_list) WITH ORDINALITY y(e, i) ON y.i = x.i + 1
	    WHERE (x.e ->> 'state' <> 'open' AND y.e ->> 'state' = 'open')
		OR ((x.e ->> 'state' = 'open') = (y.e ->> 'state' = 'open')
		    AND (x.e ->> 'scheduled_start')::bigint
			> (y.e ->> 'scheduled_start')::bigint));
	ASSERT (SELECT bool_and((x ->> 'series_id')::bigint = test_series('sso'))
	    FROM jsonb_array_elements(tafel_list_meetings(test_uid('admin'),
		test_series('sso'), 0, 0) -> 'meetings') x);
	ASSERT jsonb_array_length(tafel_list_meetings(test_uid('admin'), 0,
	    extract(epoch FROM now() + interval '100 years')::bigint, 0)
	    -> 'meetings') = 0;
	-- the GP's practice is in no series: it sees only the meetings it
	-- attends (the demo's WZT of today since 0005, and now the SSO)
	ASSERT (SELECT array_agg((x ->> 'id')::bigint ORDER BY (x ->> 'id')::bigint)
	    FROM jsonb_array_elements(tafel_list_meetings(v_ha, 0, 0, 0)
		-> 'meetings') x) = (SELECT array_agg(a.meeting_id ORDER BY
		a.meeting_id) FROM attendance a WHERE a.user_id = v_ha);
	ASSERT jsonb_array_length(tafel_list_series(v_ha) -> 'series') = 0;

	-- login
	SELECT * INTO r FROM tafel_login_lookup('politie');
	ASSERT r.user_id = test_uid('politie') AND NOT r.disabled;
	ASSERT r.password_hash <> '';
	ASSERT r.response -> 'organisation' ->> 'kind' = 'police';
	ASSERT NOT EXISTS (SELECT 1 FROM tafel_login_lookup('niemand'));

	-- cases
	PERFORM test_expect('TF016', 'SELECT tafel_get_case(test_uid(''om''), -1)');
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    tafel_list_cases(test_uid('om'), false) -> 'cases') x
	    WHERE x ->> 'status' = 'closed');
	-- only the cases the OM has a connection to (0005): not the WZT's
	ASSERT jsonb_array_length(tafel_list_cases(test_uid('om'), true) -> 'cases')
	    = (SELECT count(*) FROM cases c
		WHERE (tafel_access(test_uid('om'), c.id) ->> 'connected')::boolean);
	ASSERT jsonb_array_length(tafel_list_cases(test_uid('om'), true) -> 'cases')
	    < (SELECT count(*) FROM cases);
	ASSERT jsonb_array_length(tafel_list_cases(test_uid('admin'), true) -> 'cases')
	    = (SELECT count(*) FROM cases);
	ASSERT jsonb_array_length(tafel_list_orgs(test_uid('om')) -> 'users')
	    = (SELECT count(*) FROM users WHERE NOT disabled);
	-- disabled users cannot read
	UPDATE users SET disabled = true WHERE login = 'om';
	PERFORM test_expect('TF010', 'SELECT tafel_list_cases(test_uid(''om''), true)');
END
$$;
