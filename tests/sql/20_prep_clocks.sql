-- Legal clocks (0010), run as the server's role tafel_app: a huisverbod of
-- 10 days shows its day, turns red when it ends before the next meeting,
-- extends by decision to 28 days in total and no further (LEGAL_LIMIT);
-- custody and detention need their end date and imply a notice to
-- probation; who may set a clock; the clocks under row-level security.

CREATE TEMP TABLE t_cl AS SELECT 0::bigint AS c, 0::bigint AS clock_id,
	0::bigint AS series, 0::bigint AS meeting;
DO $$
DECLARE
	v_series bigint;
	v jsonb;
BEGIN
	INSERT INTO series (name, kind, themes, district, usual_chair_id)
	VALUES ('Test klokken', 'casusoverleg_hg', '{domestic_violence}',
	    'Klokdorp', test_uid('voorzitter'))
	RETURNING id INTO v_series;
	INSERT INTO series_members (series_id, org_id)
	SELECT v_series, org_id FROM users WHERE login = 'politie';
	INSERT INTO meetings (series_id, scheduled_start, chair_id)
	VALUES (v_series, ((current_date + 5) + time '13:30')
	    AT TIME ZONE 'Europe/Amsterdam', test_uid('voorzitter'));
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Klokdorp", "approach": "person",
	    "reason": "huiselijk geweld, huisverbod opgelegd"}');
	UPDATE t_cl SET c = (v ->> 'id')::bigint, series = v_series;
END
$$;
GRANT SELECT ON t_cl TO tafel_app;
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text),
	test_write(text, text, jsonb), test_uid(text), test_key() TO tafel_app;
GRANT USAGE ON SEQUENCE test_key_seq TO tafel_app;

SET ROLE tafel_app;

DO $$
DECLARE
	x t_cl;
	v jsonb;
	k jsonb;
	e jsonb;
	v_today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
BEGIN
	SELECT * INTO x FROM t_cl;

	-- a huisverbod ordered 8 days ago: day 9 of 10, ends tomorrow, before
	-- the meeting in 5 days: red
	v := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'huisverbod',
	    'starts_on', v_today - 8, 'hearing_date', v_today + 1));
	k := v -> 'clocks' -> 0;
	ASSERT k ->> 'label' = 'huisverbod', k::text;
	ASSERT (k ->> 'day')::int = 9 AND (k ->> 'total_days')::int = 10, k::text;
	ASSERT (k ->> 'ends_on')::date = v_today + 1, k::text;
	ASSERT (k ->> 'max_total_days')::int = 28, k::text;
	ASSERT (k ->> 'red')::boolean AND (k ->> 'running')::boolean, k::text;
	ASSERT (k ->> 'hearing_date')::date = v_today + 1, k::text;
	x.clock_id := (k ->> 'id')::bigint;

	-- the order's length is the law's: a longer first order is refused
	e := test_expect('TF060', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'huisverbod', 'starts_on', v_today,
	    'ends_on', v_today + 20)));
	ASSERT e ->> 'hint' = 'ends_on' AND e ->> 'message' LIKE '%10 days%',
	    e::text;

	-- extended by decision to 28 days in total: no longer red (ends after
	-- the meeting), one extension
	v := test_write('politie', 'extend_clock', jsonb_build_object(
	    'id', x.clock_id, 'version', k -> 'version', 'ends_on', v_today - 8 + 27,
	    'note', 'verlengd door burgemeester'));
	k := v -> 'clocks' -> 0;
	ASSERT (k ->> 'total_days')::int = 28 AND (k ->> 'extensions')::int = 1,
	    k::text;
	ASSERT NOT (k ->> 'red')::boolean, k::text;
	-- ... and not one day more
	e := test_expect('TF060', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', x.clock_id,
	    'version', k -> 'version', 'ends_on', v_today - 8 + 28)));
	ASSERT e ->> 'hint' = 'ends_on', e::text;
	ASSERT e ->> 'message' LIKE '%at most 28 days in total%29 days%',
	    e ->> 'message';
	-- a stale version is a conflict; shortening is refused
	PERFORM test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', x.clock_id,
	    'version', 1, 'ends_on', v_today + 10)));
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', x.clock_id,
	    'version', k -> 'version', 'ends_on', v_today)));

	-- custody needs its end; it implies telling probation the day before
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'police_custody', 'starts_on', v_today)));
	v := test_write('politie', 'set_clock', jsonb_build_object(
	    'case_id', x.c, 'kind', 'police_custody', 'starts_on', v_today,
	    'ends_on', v_today + 3));
	SELECT el INTO k FROM jsonb_array_elements(v -> 'clocks') el
	WHERE el ->> 'kind' = 'police_custody';
	ASSERT k ->> 'notice_org_kind' = 'probation', k::text;
	-- the day before its end, or the working day before that when it is
	-- a weekend day (a run on a Thursday ends on a Sunday)
	ASSERT (k ->> 'notice_due')::date = v_today + 2 - CASE extract(isodow
	    FROM v_today + 2) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END, k::text;
	ASSERT (k ->> 'red')::boolean, 'ends before the meeting in 5 days';
	-- it cannot be extended (a new decision is a new clock)
	e := test_expect('TF060', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'extend_clock', jsonb_build_object('id', k -> 'id',
	    'version', k -> 'version', 'ends_on', v_today + 4)));
	ASSERT e ->> 'message' LIKE '%cannot be extended%', e::text;
	-- soonest end first
	ASSERT v -> 'clocks' -> 0 ->> 'kind' = 'police_custody', v::text;

	-- an unknown kind; a hearing for a kind without
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'parking_ticket', 'starts_on', v_today)));
	PERFORM test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'politie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'pretrial_detention', 'starts_on', v_today,
	    'ends_on', v_today + 90, 'hearing_date', v_today + 3)));

	-- who: a partner without a connection does not know the case; the
	-- public prosecutor, once connected, may set one
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'woningcorporatie', 'set_clock', jsonb_build_object('case_id', x.c,
	    'kind', 'huisverbod', 'starts_on', v_today)));
END
$$;

-- the clocks under row-level security: the submitter sees them, an
-- unconnected partner not
SELECT set_config('tafel.user_id', test_uid('politie')::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM case_clocks
	    WHERE case_id = (SELECT c FROM t_cl)) = 2;
	ASSERT (SELECT count(*) FROM clock_kinds) >= 3;
END
$$;
SELECT set_config('tafel.user_id', test_uid('woningcorporatie')::text, true);
DO $$
BEGIN
	ASSERT (SELECT count(*) FROM case_clocks
	    WHERE case_id = (SELECT c FROM t_cl)) = 0;
END
$$;
RESET ROLE;
