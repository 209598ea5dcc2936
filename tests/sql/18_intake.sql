-- Intake (0008): the Dutch name key, process managers, earlier cases,
-- person links, contributions, and what a partner that is not involved
-- sees of them (nothing).  Routing conditions, goals and MDOs are in
-- 19_intake_routing.sql.

-- the name key: spelling variants of one Dutch name agree, others do not
DO $$
DECLARE
	g text[];
	v_same text[][] := ARRAY[
	    ARRAY['Jansen', 'Janssen', 'JANSEN'],
	    ARRAY['de Vries', 'De Vries', 'Devries'],
	    ARRAY['Meijer', 'Meyer', 'Meier'],
	    ARRAY['van der Berg', 'Van den Berg', 'Vandenberg'],
	    ARRAY['Brand', 'Brandt', 'Brant'],
	    ARRAY['Schmidt', 'Smit', 'Smid'],
	    ARRAY['Mohammed el Amrani', 'Mohamed El Amrani', 'Mohammed el-Amrani'],
	    ARRAY['Zoë Smits', 'Zoe Smitz', 'Soë Smits'],
	    ARRAY['Christiaan Philips', 'Kristiaan Filips', 'Christiaan Phillips']];
	v_diff text[][] := ARRAY[
	    ARRAY['Jansen', 'Janssens'], ARRAY['de Vries', 'de Groot'],
	    ARRAY['Meijer', 'Mayer'], ARRAY['Pieter Jansen', 'Peter Jansen'],
	    ARRAY['Bakker', 'Dekker']];
	i int;
BEGIN
	FOR i IN 1 .. array_length(v_same, 1) LOOP
		g := v_same[i:i][1:3];
		ASSERT tafel_name_key(g[1][1]) = tafel_name_key(g[1][2])
		    AND tafel_name_key(g[1][2]) = tafel_name_key(g[1][3]),
		    format('%s / %s / %s: %s %s %s', g[1][1], g[1][2], g[1][3],
		    tafel_name_key(g[1][1]), tafel_name_key(g[1][2]),
		    tafel_name_key(g[1][3]));
	END LOOP;
	FOR i IN 1 .. array_length(v_diff, 1) LOOP
		ASSERT tafel_name_key(v_diff[i][1]) <> tafel_name_key(v_diff[i][2]),
		    format('%s = %s', v_diff[i][1], v_diff[i][2]);
	END LOOP;
	ASSERT tafel_name_key('van der') = '' AND tafel_name_key('') = ''
	    AND tafel_name_key(NULL) = '';
	-- declared IMMUTABLE, and the persons' key is indexed with the date
	ASSERT (SELECT provolatile FROM pg_proc
	    WHERE proname = 'tafel_name_key') = 'i';
	ASSERT EXISTS (SELECT 1 FROM pg_indexes WHERE tablename = 'persons'
	    AND indexdef LIKE '%(name_key, birth_date)%');
	-- kept by the trigger
	ASSERT NOT EXISTS (SELECT 1 FROM persons
	    WHERE name_key <> tafel_name_key(name));
END
$$;

-- The fixture: reclassering manages district Testdorp (all themes),
-- ggz manages Testdorp/at_risk_youth only.  An old signal about
-- "Mohammed de Vries" by the police; a new one by Veilig Thuis.
CREATE TEMP TABLE t AS SELECT
	test_uid('politie') AS pol, test_uid('veiligthuis') AS vt,
	test_uid('reclassering') AS pm, test_uid('jeugdzorg') AS bjz,
	test_uid('ggz') AS ggz, test_uid('woningcorporatie') AS woon,
	0::bigint AS c_old, 0::bigint AS c_new, 0::bigint AS c_stale,
	0::bigint AS p_old, 0::bigint AS p_new, 0::bigint AS seq_new;
GRANT SELECT ON t TO tafel_app;
SELECT tafel_pm_add('reclassering', 'Testdorp', '');
SELECT tafel_pm_add('ggz', 'Testdorp', 'at_risk_youth');

DO $$
DECLARE
	x t;
	c jsonb;
BEGIN
	SELECT * INTO x FROM t;
	c := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "district": "Testdorp", "reason": "melding buren",
	    "persons": [{"role": "suspect", "name": "Mohammed de Vries",
		"birth_date": "1985-03-04"}]}');
	UPDATE t SET c_old = (c ->> 'id')::bigint,
	    p_old = (c -> 'persons' -> 0 ->> 'id')::bigint;
	ASSERT NOT (c ->> 'earlier_discussed')::boolean;
	-- a case closed 13 months ago does not count
	c := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "district": "Elders", "persons": [{"role": "suspect",
		"name": "M. de Vries", "birth_date": "1985-03-04"},
		{"role": "victim", "name": "Mohamed Devries",
		"birth_date": "1985-03-04"}]}');
	UPDATE cases SET status = 'closed',
	    created_at = now() - interval '14 months',
	    closed_at = now() - interval '13 months'
	WHERE id = (c ->> 'id')::bigint;
	UPDATE t SET c_stale = (c ->> 'id')::bigint;

	c := test_write('veiligthuis', 'create_case', '{"theme":
	    "domestic_violence", "district": "Testdorp", "approach": "system",
	    "reason": "zorgen om kinderen", "persons": [{"role": "suspect",
		"name": "Mohamed Devries", "birth_date": "1985-03-04"},
		{"role": "child", "name": "Sara de Vries", "birth_date": "2015-06-01"}]}');
	UPDATE t SET c_new = (c ->> 'id')::bigint,
	    p_new = (c -> 'persons' -> 0 ->> 'id')::bigint,
	    -- its own change (the matched older case gets one after it)
	    seq_new = (SELECT max(seq) FROM changelog
		WHERE case_id = (c ->> 'id')::bigint);
	-- the matched police case got a change of its own ("eerder besproken")
	ASSERT EXISTS (SELECT 1 FROM changelog WHERE seq > (SELECT seq_new FROM t)
	    AND case_id = (SELECT c_old FROM t)
	    AND (payload -> 'case' ->> 'earlier_discussed')::boolean);
	-- the submitter and person are the session's; status signal
	ASSERT c ->> 'status' = 'signal' AND c ->> 'reason' = 'zorgen om kinderen';
	ASSERT (c ->> 'submitter_user_id')::bigint = x.vt;
	-- "eerder besproken": the person of the police's case matches, but
	-- Veilig Thuis may not see the police's case: its answer says false,
	-- or it would learn of the match (docs/security.md, rule 7)
	ASSERT NOT (c ->> 'earlier_discussed')::boolean, c::text;
	ASSERT c -> 'process_manager_ids' = jsonb_build_array(x.pm), c::text;
END
$$;

-- who knows the new signal
DO $$
DECLARE
	x t;
	v jsonb;
	e jsonb;
BEGIN
	SELECT * INTO x FROM t;
	-- the process manager: on their list and their cases snapshot at once,
	-- with names (they count as involved)
	ASSERT (tafel_access(x.pm, x.c_new) ->> 'reason') = '';
	ASSERT tafel_list_cases(x.pm, false) -> 'cases' @>
	    jsonb_build_array(jsonb_build_object('id', x.c_new));
	v := tafel_list_snapshot(x.pm, 3, false);
	ASSERT (v ->> 'seq')::bigint >= x.seq_new;
	ASSERT v -> 'cases' -> 'cases' @> jsonb_build_array(jsonb_build_object(
	    'id', x.c_new, 'reason', 'zorgen om kinderen'));
	-- the create_case event reaches them with the persons' names, and with
	-- the earlier-cases flag: they see the police's case in full too
	SELECT event INTO v FROM tafel_events_for(x.seq_new,
	    jsonb_build_array(jsonb_build_object('user_id', x.pm)));
	ASSERT v -> 'case' -> 'persons' -> 0 ->> 'name' = 'Mohamed Devries', v::text;
	ASSERT (v -> 'case' ->> 'earlier_discussed')::boolean, v::text;
	ASSERT (tafel_get_case(x.pm, x.c_new) -> 'case' ->> 'earlier_discussed')
	    ::boolean;
	-- Veilig Thuis sees its own case in full but not the police's: false in
	-- its case view, its list and its event alike
	ASSERT NOT (tafel_get_case(x.vt, x.c_new) -> 'case'
	    ->> 'earlier_discussed')::boolean;
	ASSERT NOT tafel_list_cases(x.vt, false) -> 'cases' @> jsonb_build_array(
	    jsonb_build_object('id', x.c_new, 'earlier_discussed', true));
	ASSERT tafel_list_cases(x.vt, false) -> 'cases' @> jsonb_build_array(
	    jsonb_build_object('id', x.c_new));
	SELECT event INTO v FROM tafel_events_for(x.seq_new,
	    jsonb_build_array(jsonb_build_object('user_id', x.vt)));
	ASSERT NOT (v -> 'case' ->> 'earlier_discussed')::boolean, v::text;
	-- the police's case got a change because Veilig Thuis's signal matched
	-- it: the process manager (who sees both in full) gets it, flag set;
	-- the police, who may not see the new signal, get nothing: an event
	-- about their case that changed nothing, by a Veilig Thuis user, would
	-- itself tell them a hidden case holds one of their persons
	SELECT event INTO v FROM tafel_events_for((SELECT min(seq) FROM changelog
	    WHERE seq > x.seq_new AND case_id = x.c_old),
	    jsonb_build_array(jsonb_build_object('user_id', x.pm),
		jsonb_build_object('user_id', x.pol))) WHERE idx = 0;
	ASSERT (v -> 'case' ->> 'earlier_discussed')::boolean
	    AND NOT v ? 'match_of', v::text;
	SELECT event INTO v FROM tafel_events_for((SELECT min(seq) FROM changelog
	    WHERE seq > x.seq_new AND case_id = x.c_old),
	    jsonb_build_array(jsonb_build_object('user_id', x.pm),
		jsonb_build_object('user_id', x.pol))) WHERE idx = 1;
	ASSERT v IS NULL, v::text;
	-- nor on a resume
	ASSERT (SELECT e.event FROM tafel_events_for_viewer(x.pol, 0,
	    ARRAY(SELECT seq FROM changelog WHERE seq > x.seq_new
		AND case_id = x.c_old)) e LIMIT 1) IS NULL;
	-- ggz manages only at_risk_youth: not this case
	ASSERT NOT (tafel_access(x.ggz, x.c_new) ->> 'connected')::boolean;
	-- a partner that is not involved: no list entry, no event, NOT_FOUND
	ASSERT NOT tafel_list_cases(x.bjz, true) -> 'cases' @>
	    jsonb_build_array(jsonb_build_object('id', x.c_new));
	ASSERT NOT tafel_list_snapshot(x.bjz, 3, false) -> 'cases' -> 'cases' @>
	    jsonb_build_array(jsonb_build_object('id', x.c_new));
	SELECT event INTO v FROM tafel_events_for(x.seq_new,
	    jsonb_build_array(jsonb_build_object('user_id', x.bjz)));
	ASSERT v IS NULL, v::text;
	PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    x.bjz, x.c_new));
	PERFORM test_expect('TF016', format('SELECT tafel_list_earlier_cases(%s, %s)',
	    x.bjz, x.c_new));
	-- the earlier-cases flag needs person names: a pseudonymised view of
	-- the case says false (jeugdzorg via a meeting agenda, not opened)
	ASSERT tafel_redact_case(tafel_json_case(x.c_new),
	    '{"cats": [], "reason": "not_involved"}') ->> 'earlier_discussed'
	    = 'false';
	ASSERT tafel_redact_case(tafel_json_case(x.c_new),
	    '{"cats": [], "reason": "not_involved"}') ->> 'reason' = '';
END
$$;

-- earlier cases: shown only to those who may see both persons in full
DO $$
DECLARE
	x t;
	v jsonb;
	n bigint;
BEGIN
	SELECT * INTO x FROM t;
	-- the process manager knows both cases: one match (not the stale one)
	n := (SELECT count(*) FROM audit_log WHERE user_id = x.pm);
	v := tafel_list_earlier_cases(x.pm, x.c_new);
	ASSERT jsonb_array_length(v -> 'matches') = 1, v::text;
	ASSERT v -> 'matches' -> 0 @> jsonb_build_object('person_id', x.p_new,
	    'case_id', x.c_old, 'other_person_id', x.p_old,
	    'other_person_name', 'Mohammed de Vries', 'birth_date', '1985-03-04',
	    'status', 'signal', 'linked', false, 'discussed_at', 0), v::text;
	-- audited for both cases
	ASSERT (SELECT count(*) FROM audit_log WHERE user_id = x.pm) = n + 2;
	-- Veilig Thuis does not know the police's case: nothing, no trace
	v := tafel_list_earlier_cases(x.vt, x.c_new);
	ASSERT v -> 'matches' = '[]'::jsonb, v::text;
	-- the police do not know Veilig Thuis's case at all
	PERFORM test_expect('TF016', format('SELECT tafel_list_earlier_cases(%s, %s)',
	    x.pol, x.c_new));
	-- from the old case's side the PM sees the new one too
	v := tafel_list_earlier_cases(x.pm, x.c_old);
	ASSERT v -> 'matches' @> jsonb_build_array(jsonb_build_object(
	    'case_id', x.c_new, 'other_person_id', x.p_new)), v::text;
END
$$;

-- person links: audited, and never reveal a case the viewer does not know
DO $$
DECLARE
	x t;
	v jsonb;
	e jsonb;
	s bigint;
BEGIN
	SELECT * INTO x FROM t;
	-- Veilig Thuis may not see the police's person: NOT_FOUND on it
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'veiligthuis', 'link_persons', jsonb_build_object('person_id', x.p_new,
		'other_person_id', x.p_old)));
	ASSERT e ->> 'hint' = 'other_person_id';
	-- jeugdzorg sees neither
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'jeugdzorg', 'link_persons', jsonb_build_object('person_id', x.p_new,
		'other_person_id', x.p_old)));
	-- same case: refused
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'link_persons', jsonb_build_object('person_id', x.p_new,
		'other_person_id', (SELECT max(id) FROM persons
		    WHERE case_id = x.c_new))));
	v := test_write('reclassering', 'link_persons', jsonb_build_object(
	    'person_id', x.p_new, 'other_person_id', x.p_old));
	ASSERT v @> jsonb_build_object('case_id', x.c_new, 'person_id', x.p_new,
	    'other_case_id', x.c_old, 'other_person_id', x.p_old,
	    'created_by', x.pm), v::text;
	s := (SELECT max(seq) FROM changelog);
	ASSERT (SELECT op = 'link_persons' AND actor_id = x.pm FROM changelog
	    WHERE seq = s);
	-- linking again answers the same link, no second change
	ASSERT (test_write('reclassering', 'link_persons', jsonb_build_object(
	    'person_id', x.p_old, 'other_person_id', x.p_new)) ->> 'id') = v ->> 'id';
	ASSERT (SELECT max(seq) FROM changelog) = s;
	-- the PM sees it on both cases; Veilig Thuis (knows only its case)
	-- neither in get_case nor in the event
	ASSERT jsonb_array_length(tafel_get_case(x.pm, x.c_new) -> 'links') = 1;
	ASSERT tafel_get_case(x.pm, x.c_old) -> 'links' -> 0 ->> 'other_case_id'
	    = x.c_new::text;
	ASSERT tafel_get_case(x.vt, x.c_new) -> 'links' = '[]'::jsonb;
	SELECT event INTO v FROM tafel_events_for(s, jsonb_build_array(
	    jsonb_build_object('user_id', x.vt)));
	ASSERT v IS NULL OR NOT v ? 'person_link', v::text;
	SELECT event INTO v FROM tafel_events_for(s, jsonb_build_array(
	    jsonb_build_object('user_id', x.pm)));
	ASSERT v ? 'person_link', v::text;
	ASSERT (tafel_list_earlier_cases(x.pm, x.c_new) -> 'matches' -> 0
	    ->> 'linked')::boolean;
END
$$;

-- contributions: each partner's own entry, filtered like the summary
DO $$
DECLARE
	x t;
	v jsonb;
	w jsonb;
	e jsonb;
BEGIN
	SELECT * INTO x FROM t;
	-- the process manager screens the signal: may add a person
	v := test_write('reclassering', 'add_person', jsonb_build_object('person',
	    jsonb_build_object('case_id', x.c_new, 'role', 'victim',
		'name', 'Aisha Devries')));
	DELETE FROM persons WHERE id = (v ->> 'id')::bigint;
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'jeugdzorg', 'add_person', jsonb_build_object('person',
		jsonb_build_object('case_id', x.c_new, 'name', 'X'))));
	-- not connected: NOT_FOUND
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'jeugdzorg', 'add_contribution', jsonb_build_object('case_id', x.c_new,
		'facts', 'x')));
	-- blank: refused
	e := test_expect('TF011', format('SELECT test_write(%L, %L, %L)',
	    'veiligthuis', 'add_contribution', jsonb_build_object('case_id',
		x.c_new, 'facts', ' ', 'judgement', '')));
	ASSERT e ->> 'hint' = 'facts';
	v := test_write('veiligthuis', 'add_contribution', jsonb_build_object(
	    'case_id', x.c_new, 'facts', 'Drie meldingen in 2026',
	    'judgement', 'Onveilig'));
	ASSERT v @> jsonb_build_object('org_id', (SELECT org_id FROM users
	    WHERE id = x.vt), 'author_id', x.vt, 'facts', 'Drie meldingen in 2026');
	ASSERT v ->> 'org_name' <> '';
	-- the housing corporation takes part (involved) and adds its own
	INSERT INTO case_involved_orgs (case_id, org_id)
	SELECT x.c_new, org_id FROM users WHERE id = x.woon;
	w := test_write('woningcorporatie', 'add_contribution', jsonb_build_object(
	    'case_id', x.c_new, 'facts', 'Huurachterstand'));
	-- housing has no case_summary: others' texts hidden, its own in full
	v := tafel_get_case(x.woon, x.c_new) -> 'contributions';
	ASSERT jsonb_array_length(v) = 2, v::text;
	ASSERT v -> 0 ->> 'facts' = '' AND v -> 0 ->> 'judgement' = '', v::text;
	ASSERT v -> 0 ->> 'org_name' <> '';
	ASSERT v -> 1 ->> 'facts' = 'Huurachterstand', v::text;
	-- the PM sees both
	v := tafel_get_case(x.pm, x.c_new) -> 'contributions';
	ASSERT v -> 0 ->> 'facts' = 'Drie meldingen in 2026', v::text;
	-- only the contributing organisation may change it
	PERFORM test_expect('TF016', format('SELECT test_write(%L, %L, %L)',
	    'reclassering', 'update_contribution', jsonb_build_object('id',
		w -> 'id', 'version', w -> 'version', 'facts', 'x')));
	e := test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'woningcorporatie', 'update_contribution', jsonb_build_object('id',
		w -> 'id', 'version', 9, 'facts', 'x')));
	v := test_write('woningcorporatie', 'update_contribution',
	    jsonb_build_object('id', w -> 'id', 'version', w -> 'version',
		'facts', 'Huurachterstand, ontruiming dreigt'));
	ASSERT (v ->> 'version')::int = 2;
	-- its event: not for jeugdzorg (its own change: the cases matched
	-- with it may get changes after it, "eerder besproken")
	SELECT event INTO v FROM tafel_events_for((SELECT max(seq) FROM changelog
	    WHERE payload ? 'contribution'),
	    jsonb_build_array(jsonb_build_object('user_id', x.bjz)));
	ASSERT v IS NULL, v::text;
END
$$;

-- The same under the server's role: tafel_app with row-level security.
GRANT EXECUTE ON FUNCTION test_expect(text, text), test_err(text) TO tafel_app;
SET ROLE tafel_app;
SELECT set_config('tafel.user_id', (SELECT bjz FROM t)::text, true);
DO $$
DECLARE
	x t;
BEGIN
	SELECT * INTO x FROM t;
	-- the uninvolved partner reads nothing of the signal directly
	ASSERT (SELECT count(*) FROM cases WHERE id = x.c_new) = 0;
	ASSERT (SELECT count(*) FROM persons WHERE case_id = x.c_new) = 0;
	ASSERT (SELECT count(*) FROM contributions WHERE case_id = x.c_new) = 0;
	ASSERT (SELECT count(*) FROM person_links) = 0;
	PERFORM test_expect('42501', 'SELECT reason FROM cases');
	PERFORM test_expect('42501', 'SELECT evaluation FROM cases');
	-- nor through the functions the server calls
	PERFORM test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    x.bjz, x.c_new));
	ASSERT NOT tafel_list_cases(x.bjz, true) -> 'cases' @>
	    jsonb_build_array(jsonb_build_object('id', x.c_new));
	ASSERT NOT tafel_list_snapshot(x.bjz, 3, false) -> 'cases' -> 'cases' @>
	    jsonb_build_array(jsonb_build_object('id', x.c_new));
	ASSERT (SELECT event FROM tafel_events_for(x.seq_new, jsonb_build_array(
	    jsonb_build_object('user_id', x.bjz)))) IS NULL;
	PERFORM test_expect('TF016', format(
	    'SELECT tafel_write(%s, %L, %L, %L)', x.bjz, 'k-intake-1',
	    'add_contribution', jsonb_build_object('case_id', x.c_new,
		'facts', 'x')));
END
$$;
SELECT set_config('tafel.user_id', (SELECT woon FROM t)::text, true);
DO $$
DECLARE
	x t;
BEGIN
	SELECT * INTO x FROM t;
	-- housing: its own contribution's row, not Veilig Thuis's
	ASSERT (SELECT count(*) FROM contributions WHERE case_id = x.c_new) = 1;
	ASSERT (SELECT count(*) FROM persons WHERE case_id = x.c_new) = 2;
END
$$;
SELECT set_config('tafel.user_id', (SELECT pm FROM t)::text, true);
DO $$
DECLARE
	x t;
BEGIN
	SELECT * INTO x FROM t;
	ASSERT (SELECT count(*) FROM contributions WHERE case_id = x.c_new) = 2;
	ASSERT (SELECT count(*) FROM person_links) = 1;
	ASSERT (SELECT count(*) FROM cases WHERE id = x.c_new) = 1;
	ASSERT jsonb_array_length(tafel_list_earlier_cases(x.pm, x.c_new)
	    -> 'matches') = 1;
END
$$;
RESET ROLE;
