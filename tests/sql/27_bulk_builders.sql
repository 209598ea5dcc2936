-- The set-based builders (62_bulk.sql) give exactly what the single-row
-- functions give: every case (tafel_json_cases = tafel_json_case each),
-- every case's action points (tafel_json_actions_of = tafel_json_action
-- each, in the snapshot's order), and every user's access to every case
-- (tafel_access_many = tafel_access each), on the demo data plus a case
-- with an "eerder besproken" match, a process manager, a clock and an
-- overdue action point, and after a meeting was opened with attendance;
-- and that tafel_redact_keeps (tafel_render's shortcut for an array left
-- as it is) holds only where tafel_redact_obj changes nothing; a
-- meeting's agenda at once (tafel_json_items) and tafel_initials as the
-- split into words gave them.

DO $$
DECLARE
	v_ids bigint[];
	v_case jsonb;
	v_bad text;
BEGIN
	-- a second case about the same person (a match), with an action point
	v_case := test_write('politie', 'create_case', jsonb_build_object(
	    'theme', 'domestic_violence', 'approach', 'system',
	    'district', 'Enschede-Noord', 'summary', 'opnieuw',
	    'persons', (SELECT jsonb_agg(jsonb_build_object('role', 'victim',
		'name', p.name, 'birth_date', to_char(p.birth_date, 'YYYY-MM-DD')))
		FROM persons p WHERE p.birth_date IS NOT NULL
		AND p.id = (SELECT min(id) FROM persons WHERE birth_date IS NOT NULL))));
	PERFORM test_write('politie', 'create_action', jsonb_build_object(
	    'case_id', v_case -> 'id', 'description', 'te laat',
	    'owner_org_id', test_org('Veilig Thuis Eemland-Twente'),
	    'due_date', to_char(current_date - 3, 'YYYY-MM-DD')));
	ASSERT (SELECT bool_or((tafel_json_case(id) ->> 'earlier_discussed')::boolean)
	    FROM cases), 'the fixture has a match';

	v_ids := ARRAY(SELECT id FROM cases ORDER BY id DESC);
	ASSERT tafel_json_cases(v_ids) = (SELECT jsonb_agg(tafel_json_case(x)
	    ORDER BY i) FROM unnest(v_ids) WITH ORDINALITY AS t(x, i)),
	    'tafel_json_cases differs from tafel_json_case';
	ASSERT tafel_json_cases(ARRAY[0::bigint]) = '[]';
	-- one case, as the push's payload of a current item uses them
	ASSERT (SELECT bool_and(tafel_json_cases(ARRAY[id]) -> 0 = tafel_json_case(id)
	    AND tafel_json_actions_of(ARRAY[id]) = tafel_json_case_actions(id, false))
	    FROM cases);

	-- per meeting (the snapshot's question) and for all cases at once
	FOR v_ids IN SELECT array_agg(a.case_id) FROM agenda_items a
	    GROUP BY a.meeting_id UNION ALL SELECT ARRAY(SELECT id FROM cases) LOOP
		ASSERT tafel_json_actions_of(v_ids) = coalesce((SELECT jsonb_agg(
		    tafel_json_action(ap.id) ORDER BY (ap.state = 'open'
			AND ap.due_date < current_date) DESC, ap.due_date, ap.id)
		    FROM action_points ap WHERE ap.case_id = ANY (v_ids)), '[]'),
		    format('tafel_json_actions_of differs for %s', v_ids);
	END LOOP;

	-- the agenda of every meeting (and of none)
	SELECT string_agg(m.id::text, ' ') INTO v_bad FROM meetings m
	WHERE tafel_json_items(m.id) <> coalesce((SELECT jsonb_agg(
	    tafel_json_item(a.id) ORDER BY a.position, a.id) FROM agenda_items a
	    WHERE a.meeting_id = m.id), '[]');
	ASSERT v_bad IS NULL, 'tafel_json_items differs for meetings ' || v_bad;
	ASSERT tafel_json_items(-1) = '[]';

	-- tafel_initials (two regular expressions) gives what the split into
	-- words gave, for every name and some awkward ones
	SELECT string_agg(quote_nullable(n), ' ') INTO v_bad
	FROM (SELECT name AS n FROM persons UNION ALL SELECT display_name
	    FROM users UNION ALL SELECT unnest(ARRAY[NULL, '', ' ', 'a',
		E'\tJan  de\t\tVries ', E' \u00d6laf  \u00c7ij', E'x\n y',
		'  .  ..', E'\u00a0Anna', 'Jeroen van Dijk'])) x
	WHERE tafel_initials(n) IS DISTINCT FROM (SELECT coalesce(string_agg(
	    left(w, 1) || '.', ' ' ORDER BY i), '')
	    FROM regexp_split_to_table(btrim(coalesce(n, '')), '\s+')
		WITH ORDINALITY AS t(w, i) WHERE w <> '');
	ASSERT v_bad IS NULL, 'tafel_initials differs for ' || v_bad;
	ASSERT tafel_initials('Jeroen van Dijk') = 'J. v. D.';

	-- access: every user (disabled and steering ones included) x every case
	SELECT string_agg(format('%s/%s', u.login, c.id), ' ') INTO v_bad
	FROM users u CROSS JOIN cases c
	WHERE tafel_access_many(u.id, ARRAY(SELECT id FROM cases)) -> c.id::text
	    IS DISTINCT FROM tafel_access(u.id, c.id);
	ASSERT v_bad IS NULL, 'tafel_access_many differs: ' || v_bad;
	ASSERT tafel_access_many(-1, ARRAY[(SELECT min(id) FROM cases)])
	    = jsonb_build_object((SELECT min(id) FROM cases)::text,
		tafel_access(-1, (SELECT min(id) FROM cases)));
END
$$;

-- after a meeting was opened, a case made current and attendance recorded
-- (tafel_org_opened), and with a process manager's view: still the same
DO $$
DECLARE
	v_m bigint := (SELECT m.id FROM meetings m WHERE m.state = 'planned'
	    AND m.series_id = test_series('wzt') ORDER BY m.scheduled_start LIMIT 1);
	v_bad text;
BEGIN
	PERFORM test_open(v_m);
	PERFORM test_write('voorzitter', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_m, 'user_id', test_uid('woningcorporatie'),
	    'present', true));
	PERFORM test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_m, 'item_id', (SELECT id FROM agenda_items
		WHERE meeting_id = v_m ORDER BY position LIMIT 1)));
	SELECT string_agg(format('%s/%s', u.login, c.id), ' ') INTO v_bad
	FROM users u CROSS JOIN cases c
	WHERE tafel_access_many(u.id, ARRAY(SELECT id FROM cases)) -> c.id::text
	    IS DISTINCT FROM tafel_access(u.id, c.id);
	ASSERT v_bad IS NULL, 'tafel_access_many differs: ' || v_bad;
	-- the shared screen of that meeting (housing present), for the chair
	-- and an admin presenting, with and without the presenter's access
	SELECT string_agg(format('%s/%s', u.login, c.id), ' ') INTO v_bad
	FROM users u CROSS JOIN cases c
	WHERE u.login IN ('voorzitter', 'admin', 'politie')
	    AND (tafel_beamer_access_many(v_m, u.id, ARRAY(SELECT id FROM cases))
		-> c.id::text IS DISTINCT FROM tafel_beamer_access(v_m, u.id, c.id)
	    OR tafel_beamer_access_many(v_m, u.id, ARRAY(SELECT id FROM cases),
		tafel_access_many(u.id, ARRAY(SELECT id FROM cases))) -> c.id::text
		IS DISTINCT FROM tafel_beamer_access(v_m, u.id, c.id,
		    tafel_access(u.id, c.id)));
	ASSERT v_bad IS NULL, 'tafel_beamer_access_many differs: ' || v_bad;
	ASSERT EXISTS (SELECT 1 FROM cases c WHERE tafel_beamer_access(v_m,
	    test_uid('voorzitter'), c.id) ->> 'beamer_reason' <> ''),
	    'the shared screen hides something of some case';

	-- tafel_render keeps an array as it is when tafel_redact_keeps holds
	-- for every element: it must hold only where tafel_redact_obj leaves
	-- the element as it is (every user x action point and agenda item,
	-- and the shared screen's view without an organisation)
	SELECT string_agg(format('%s/%s/%s', u.login, x.kind, x.obj ->> 'id'), ' ')
	INTO v_bad
	FROM users u CROSS JOIN (
	    SELECT 'action' AS kind, tafel_json_action(ap.id) AS obj,
		ap.case_id FROM action_points ap
	    UNION ALL SELECT 'item', tafel_json_item(ai.id), ai.case_id
		FROM agenda_items ai) x
	CROSS JOIN LATERAL (VALUES (tafel_access(u.id, x.case_id)),
	    (tafel_access(u.id, x.case_id) || '{"org": 0}')) a(acc)
	WHERE tafel_redact_keeps(x.kind, x.obj, a.acc)
	    AND tafel_redact_obj(x.kind, x.obj, a.acc) IS DISTINCT FROM x.obj;
	ASSERT v_bad IS NULL, 'tafel_redact_keeps is wrong: ' || v_bad;
	-- both answers occur, for action points and for items
	ASSERT (SELECT count(DISTINCT (x.kind, k)) = 4 FROM users u
	    CROSS JOIN (SELECT 'action' AS kind, tafel_json_action(ap.id) AS obj,
		ap.case_id FROM action_points ap
		UNION ALL SELECT 'item', tafel_json_item(ai.id) || '{"decision":
		    "x"}', ai.case_id FROM agenda_items ai) x
	    CROSS JOIN LATERAL tafel_redact_keeps(x.kind, x.obj,
		tafel_access(u.id, x.case_id)) k), 'tafel_redact_keeps varies';
END
$$;
