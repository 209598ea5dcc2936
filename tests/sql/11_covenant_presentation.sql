-- The shared screen (0005): the intersection of what every present user
-- and the chair may see; the chair's own view says per case what the
-- screen would hide and why; audit rows per present organisation.  Before
-- the meeting opens (nobody can be recorded present) anyone may be in the
-- room: the screen shows nothing personal.

CREATE FUNCTION test_case_of(p_person text) RETURNS bigint LANGUAGE sql AS $$
	SELECT case_id FROM persons WHERE name = p_person
$$;

CREATE FUNCTION test_wzt() RETURNS bigint LANGUAGE sql AS $$
	SELECT m.id FROM meetings m WHERE m.series_id = test_series('wzt')
	    AND m.state <> 'closed' ORDER BY m.scheduled_start LIMIT 1
$$;

-- the case of a snapshot by a person's name
CREATE FUNCTION test_snap_case(p_snap jsonb, p_person text) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT x FROM jsonb_array_elements(p_snap -> 'snapshot' -> 'cases') x
	WHERE (x ->> 'id')::bigint = test_case_of(p_person)
$$;

DO $$
DECLARE
	v_wzt bigint := test_wzt();
	v_chair bigint := test_uid('voorzitter');
	s jsonb;
	b jsonb;
	v_n bigint;
BEGIN
	-- only the chair or an admin may ask for the shared screen
	PERFORM test_expect('TF010', format('SELECT tafel_snapshot(%s, %s, true)',
	    test_uid('woningcorporatie'), v_wzt));
	PERFORM tafel_snapshot(test_uid('admin'), v_wzt, true);

	-- the demo: chair, housing and the GP practice (non-signatory) present.
	-- The chair sees c3 in full; the screen shows nothing personal.  The
	-- meeting is still planned: nobody can be recorded present before it
	-- opens, so the room is not known and the screen shows nothing
	-- personal whoever is recorded ('not_open' outranks the GP's reason)
	s := tafel_snapshot(v_chair, v_wzt);
	ASSERT test_snap_case(s, 'Zoë Smits') ->> 'redacted' = 'false';
	ASSERT test_snap_case(s, 'Zoë Smits') ->> 'beamer_redacted' = 'true';
	ASSERT test_snap_case(s, 'Zoë Smits') ->> 'beamer_reason' = 'not_open';
	-- also with nobody but the chair recorded (before: the chair's own
	-- view, action-point texts and all, to whoever came in)
	UPDATE attendance SET present = false WHERE meeting_id = v_wzt
	    AND user_id <> v_chair;
	b := tafel_snapshot(v_chair, v_wzt, true);
	ASSERT (SELECT bool_and(x ->> 'redacted' = 'true'
	    AND x ->> 'redaction_reason' = 'presentation'
	    AND x -> 'hidden_categories' = '["person_names", "birth_dates",
		"case_summary", "free_text"]')
	    FROM jsonb_array_elements(b -> 'snapshot' -> 'cases') x), b::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    b -> 'snapshot' -> 'actions') x WHERE x ->> 'description' <> '');
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    b -> 'snapshot' -> 'open_actions') x WHERE x ->> 'description' <> ''),
	    b -> 'snapshot' -> 'open_actions';
	ASSERT (SELECT bool_and(x ->> 'beamer_reason' = 'not_open')
	    FROM jsonb_array_elements(tafel_snapshot(v_chair, v_wzt)
		-> 'snapshot' -> 'cases') x);
	-- nor can anyone be recorded in a cancelled meeting
	UPDATE meetings SET state = 'cancelled', cancelled_at = now()
	WHERE id = v_wzt;
	b := tafel_snapshot(v_chair, v_wzt, true);
	ASSERT (SELECT bool_and(x ->> 'redaction_reason' = 'presentation'
	    AND x ->> 'summary' = '')
	    FROM jsonb_array_elements(b -> 'snapshot' -> 'cases') x), b::text;
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    b -> 'snapshot' -> 'open_actions') x WHERE x ->> 'description' <> ''),
	    b -> 'snapshot' -> 'open_actions';
	UPDATE meetings SET state = 'planned', cancelled_at = NULL
	WHERE id = v_wzt;
	UPDATE attendance SET present = true WHERE meeting_id = v_wzt;
	v_n := (SELECT count(*) FROM audit_log);
	b := tafel_snapshot(v_chair, v_wzt, true);
	ASSERT (SELECT bool_and(x ->> 'redacted' = 'true'
	    AND x ->> 'redaction_reason' = 'presentation'
	    AND x -> 'hidden_categories' = '["person_names", "birth_dates",
		"case_summary", "free_text"]'
	    AND x ->> 'summary' = '')
	    FROM jsonb_array_elements(b -> 'snapshot' -> 'cases') x), b::text;
	ASSERT test_snap_case(b, 'Zoë Smits') -> 'persons' -> 0 ->> 'name' = 'Z. S.';
	-- the beamer marks are the chair's own view's: the screen itself
	-- says "presentation", not who in the room lacks what (9.3)
	ASSERT (SELECT bool_and(x ->> 'beamer_redacted' = 'false'
	    AND x ->> 'beamer_reason' = '')
	    FROM jsonb_array_elements(b -> 'snapshot' -> 'cases') x), b::text;
	-- no organisation's own action points in full on the screen
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
	    b -> 'snapshot' -> 'actions') x WHERE x ->> 'description' <> '');
	ASSERT (SELECT count(*) FROM audit_log) = v_n, 'nothing personal shown';

	-- the GP leaves: the screen shows what both the municipality and the
	-- housing corporation may see (attendance in an open meeting only)
	PERFORM test_open(v_wzt);
	ASSERT test_snap_case(tafel_snapshot(v_chair, v_wzt), 'Zoë Smits')
	    ->> 'beamer_reason' = 'not_signatory';
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_wzt, 'user_id', test_uid('huisarts'), 'present', false));
	s := tafel_snapshot(v_chair, v_wzt);
	ASSERT test_snap_case(s, 'Zoë Smits') ->> 'beamer_reason' = 'category';
	ASSERT test_snap_case(s, 'Luuk Brinkman') ->> 'beamer_reason' = 'not_involved';
	v_n := (SELECT max(id) FROM audit_log);
	b := tafel_snapshot(v_chair, v_wzt, true);
	ASSERT test_snap_case(b, 'Zoë Smits') -> 'hidden_categories'
	    = '["birth_dates", "case_summary"]';
	ASSERT test_snap_case(b, 'Zoë Smits') -> 'persons' -> 0 ->> 'name' = 'Zoë Smits';
	ASSERT test_snap_case(b, 'Zoë Smits') -> 'persons' -> 0 ->> 'birth_date' = '';
	ASSERT test_snap_case(b, 'Luuk Brinkman') -> 'persons' -> 0 ->> 'name' = 'L. B.';
	ASSERT test_snap_case(b, 'Luuk Brinkman') ->> 'beamer_reason' = '', b::text;
	-- audit: user = the chair, one row per organisation present, per case
	-- with data (c1 and c3: both organisations were present last month /
	-- are involved)
	ASSERT (SELECT count(*) FROM audit_log WHERE id > v_n) = 4,
	    (SELECT string_agg(format('%s/%s/%s', case_id, org_id, categories), ' ')
		FROM audit_log WHERE id > v_n);
	ASSERT (SELECT bool_and(user_id = v_chair AND context = 'beamer'
	    AND meeting_id = v_wzt AND categories = '{person_names,free_text}')
	    FROM audit_log WHERE id > v_n);
	ASSERT (SELECT array_agg(DISTINCT org_id ORDER BY org_id) FROM audit_log
	    WHERE id > v_n) = (SELECT array_agg(id ORDER BY id) FROM organisations
		WHERE name IN ('Gemeente Eemland-Twente', 'Woonstichting De Eemhof'));
	ASSERT (SELECT array_agg(DISTINCT case_id ORDER BY case_id) FROM audit_log
	    WHERE id > v_n) = ARRAY[test_case_of('Jeroen Bakker'),
		test_case_of('Zoë Smits')];

	-- nobody present but the chair: the chair's own view
	UPDATE attendance SET present = false WHERE meeting_id = v_wzt
	    AND user_id <> v_chair;
	s := tafel_snapshot(v_chair, v_wzt);
	b := tafel_snapshot(v_chair, v_wzt, true);
	ASSERT (SELECT bool_and(x ->> 'beamer_redacted' = 'false')
	    FROM jsonb_array_elements(s -> 'snapshot' -> 'cases') x);
	ASSERT (SELECT bool_and(x ->> 'redacted' = 'false')
	    FROM jsonb_array_elements(b -> 'snapshot' -> 'cases') x);
	ASSERT (SELECT jsonb_agg(x - 'beamer_redacted' - 'beamer_reason')
	    FROM jsonb_array_elements(s -> 'snapshot' -> 'cases') x)
	    = (SELECT jsonb_agg(x - 'beamer_redacted' - 'beamer_reason')
	    FROM jsonb_array_elements(b -> 'snapshot' -> 'cases') x);
	-- beamer fields only in the chair's view
	ASSERT (SELECT bool_and(NOT (x ->> 'beamer_redacted')::boolean)
	    FROM jsonb_array_elements(tafel_snapshot(test_uid('woningcorporatie'),
		v_wzt) -> 'snapshot' -> 'cases') x);
END
$$;
