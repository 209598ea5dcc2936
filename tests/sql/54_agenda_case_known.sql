-- add_agenda_item puts only a case the user knows of on the agenda
-- (docs/security.md rule 3, docs/protocol.md 7.2): one it has a connection
-- to, or one of the meeting's series that the agenda proposes (7.11: of
-- its district and themes, on an agenda of the series before, nominated
-- for it).  Any other case is not found, as one that does not exist: the
-- chair could put any case id on its agenda, which confirmed that the case
-- exists and connected every member organisation of the series to it.

DO $$
DECLARE
	v_start bigint := extract(epoch FROM now() + interval '2 hours')::bigint;
	v_m bigint := (test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'), 'scheduled_start', v_start))
	    ->> 'id')::bigint;
	-- the police's signal of the SSO's district: no connection for the chair
	v_far bigint := (test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Enschede", "summary": "elders"}')
	    ->> 'id')::bigint;
	v_near bigint := (test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Eemland", "summary": "hier"}')
	    ->> 'id')::bigint;
	v_jz users := (SELECT u FROM users u WHERE login = 'jeugdzorg');
	e jsonb;
	e2 jsonb;
BEGIN
	ASSERT NOT (tafel_access(test_uid('voorzitter'), v_far) ->> 'connected')::boolean;
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)', 'voorzitter',
	    'add_agenda_item', jsonb_build_object('meeting_id', v_m, 'case_id', v_far)));
	e2 := test_expect('TF016', format('SELECT test_write(%L, %L, %L)', 'voorzitter',
	    'add_agenda_item', jsonb_build_object('meeting_id', v_m, 'case_id', 987654321)));
	ASSERT e = e2, format('%s vs %s', e, e2);
	ASSERT e ->> 'hint' = 'case_id', e::text;
	-- nothing connected youth care (an Eemland member) to it
	ASSERT NOT (tafel_access(v_jz.id, v_far) ->> 'connected')::boolean;
	-- an admin alike
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)', 'admin',
	    'add_agenda_item', jsonb_build_object('meeting_id', v_m, 'case_id', v_far)));

	-- a new signal of the series' district: proposed, and so tabled
	PERFORM test_table(v_m, v_near);
	-- the far case once nominated for the series by its submitter
	PERFORM test_write('politie', 'nominate_case', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'), 'case_id', v_far,
	    'reason', 'ook hier bekend'));
	PERFORM test_table(v_m, v_far);
	ASSERT (tafel_access(v_jz.id, v_far) ->> 'connected')::boolean;
	ASSERT (SELECT state FROM nominations WHERE case_id = v_far) = 'accepted';
END
$$;
