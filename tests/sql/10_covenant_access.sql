-- The covenant (0005): who sees what of a case.  Involved vs not involved
-- vs opened in a meeting the organisation attends, non-signatories,
-- observers, the categories of a kind, own action points, NOT_FOUND for
-- unconnected cases, and exactly one audit row per (user, case) per read.

CREATE FUNCTION test_case_of(p_person text) RETURNS bigint LANGUAGE sql AS $$
	SELECT case_id FROM persons WHERE name = p_person
$$;

-- today's WZT of the demo (the GP practice and the housing corporation
-- attend it)
CREATE FUNCTION test_wzt() RETURNS bigint LANGUAGE sql AS $$
	SELECT m.id FROM meetings m WHERE m.series_id = test_series('wzt')
	    AND m.state <> 'closed' ORDER BY m.scheduled_start LIMIT 1
$$;

CREATE FUNCTION test_audit_count() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM audit_log
$$;

DO $$
DECLARE
	c1 bigint := test_case_of('Jeroen Bakker');	-- police; WZT; past WZT
	c3 bigint := test_case_of('Zoë Smits');	-- municipality + housing
	c9 bigint := test_case_of('Luuk Brinkman');	-- police + municipality
	c12 bigint := test_case_of('Björn Hofstede');	-- municipality
	c2 bigint := test_case_of('Mehmet Özdemir');	-- SSO
	c5 bigint := test_case_of('Sevda Yılmaz');	-- Casusoverleg HG
	v_wzt bigint := test_wzt();
	v_woon bigint := test_uid('woningcorporatie');
	v jsonb;
	m jsonb;
	e jsonb;
	v_n bigint;
	v_item bigint;
BEGIN
	ASSERT c1 IS NOT NULL AND c3 IS NOT NULL AND c9 IS NOT NULL
	    AND v_wzt IS NOT NULL;

	-- involved, full categories: the police on its own case
	v := tafel_get_case(test_uid('politie'), c1) -> 'case';
	ASSERT v ->> 'redacted' = 'false' AND v ->> 'redaction_reason' = '';
	ASSERT v -> 'hidden_categories' = '[]';
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'Jeroen Bakker';
	ASSERT v -> 'persons' -> 0 ->> 'birth_date' = '1986-04-12';
	ASSERT v ->> 'summary' LIKE 'Herhaald huiselijk geweld%';

	-- involved, but housing may not see birth dates or the summary
	v_n := test_audit_count();
	e := tafel_get_case(v_woon, c3);
	v := e -> 'case';
	ASSERT v ->> 'redacted' = 'true' AND v ->> 'redaction_reason' = 'category', v::text;
	ASSERT v -> 'hidden_categories' = '["birth_dates", "case_summary"]', v::text;
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'Zoë Smits';
	ASSERT v -> 'persons' -> 0 ->> 'birth_date' = '';
	ASSERT v ->> 'summary' = '';
	-- free text it may see: decisions and every action point of the case
	ASSERT e -> 'history' -> 0 ->> 'decision' LIKE 'Opschalen%';
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e -> 'actions') x
	    WHERE x ->> 'description' = '');
	-- exactly one audit row, with what was sent
	ASSERT test_audit_count() = v_n + 1;
	ASSERT (SELECT row(user_id, org_id, case_id, categories, meeting_id, context)
	    IS NOT DISTINCT FROM row(v_woon, test_org('Woonstichting De Eemhof'), c3,
		'{person_names,free_text}'::text[], NULL::bigint, 'case_view'::text)
	    FROM audit_log ORDER BY id DESC LIMIT 1);

	-- not involved, on the agenda of a meeting it attends: pseudonymised
	v_n := test_audit_count();
	e := tafel_get_case(v_woon, c9);
	v := e -> 'case';
	ASSERT v ->> 'redacted' = 'true' AND v ->> 'redaction_reason' = 'not_involved';
	ASSERT v -> 'hidden_categories'
	    = '["person_names", "birth_dates", "case_summary", "free_text"]';
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'L. B.', v::text;
	ASSERT v -> 'persons' -> 1 ->> 'birth_date' = '';
	ASSERT v ->> 'summary' = '' AND v ->> 'number' <> '' AND v ->> 'theme' = 'at_risk_youth';
	ASSERT v ->> 'status' = 'direction' AND v ->> 'approach' = 'area';
	ASSERT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e -> 'actions') x
	    WHERE x ->> 'description' <> '' OR x ->> 'completion_note' <> '');
	ASSERT test_audit_count() = v_n, 'no personal data, no audit row';
	-- and the RLS helper agrees
	ASSERT tafel_initials('Jeroen van Dijk') = 'J. v. D.';

	-- opened in a meeting it attends: from that moment in full (its kind's
	-- categories); the police, a member but not present, still not
	ASSERT tafel_get_case(test_uid('politie'), c12) -> 'case' ->> 'redaction_reason'
	    = 'not_involved';
	m := test_write('voorzitter', 'open_meeting', jsonb_build_object(
	    'meeting_id', v_wzt, 'version', tafel_json_meeting(v_wzt) -> 'version'));
	ASSERT tafel_get_case(v_woon, c9) -> 'case' ->> 'redaction_reason'
	    = 'not_involved', 'the meeting is open, the item not yet';
	v_item := (SELECT id FROM agenda_items WHERE meeting_id = v_wzt AND case_id = c9);
	m := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_wzt, 'item_id', v_item));
	ASSERT (SELECT opened_at IS NOT NULL FROM agenda_items WHERE id = v_item);
	v := tafel_get_case(v_woon, c9) -> 'case';
	ASSERT v ->> 'redaction_reason' = 'category', v::text;
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'Luuk Brinkman';
	-- moving on does not take it back
	m := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_wzt, 'item_id', (SELECT id FROM agenda_items
		WHERE meeting_id = v_wzt AND case_id = c12)));
	ASSERT tafel_get_case(v_woon, c9) -> 'case' ->> 'redaction_reason' = 'category';
	ASSERT tafel_get_case(test_uid('politie'), c12) -> 'case' ->> 'redaction_reason'
	    = 'not_involved', 'the police are not present';
	PERFORM test_write('wijkagent', 'record_attendance', jsonb_build_object(
	    'meeting_id', v_wzt, 'user_id', test_uid('wijkagent'), 'present', true));
	ASSERT tafel_get_case(test_uid('politie'), c12) -> 'case' ->> 'redaction_reason'
	    = 'not_involved', 'arriving after c12 was opened earns nothing (0006)';
	-- an item opened while a user of the organisation is present counts
	m := test_write('voorzitter', 'set_current_item', jsonb_build_object(
	    'meeting_id', v_wzt, 'item_id', (SELECT id FROM agenda_items
		WHERE meeting_id = v_wzt AND case_id = c3)));
	ASSERT tafel_get_case(test_uid('politie'), c3) -> 'case' ->> 'redacted'
	    = 'false', 'any user of the organisation present is enough';

	-- a non-signatory sees the pseudonymised view, even present and opened
	v := tafel_get_case(test_uid('huisarts'), c12) -> 'case';
	ASSERT v ->> 'redaction_reason' = 'not_signatory', v::text;
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'B. H.';
	-- ... but its own action points in full, others' emptied
	PERFORM test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', c12, 'meeting_id', v_wzt, 'description', 'Huisarts belt de moeder',
	    'owner_org_id', test_org('Huisartsenpraktijk De Linde'),
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	PERFORM test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', c12, 'meeting_id', v_wzt, 'description', 'Leerplicht inschakelen',
	    'owner_org_id', test_org('Gemeente Eemland-Twente'),
	    'due_date', to_char(current_date + 7, 'YYYY-MM-DD')));
	v_n := test_audit_count();
	e := tafel_get_case(test_uid('huisarts'), c12);
	ASSERT e -> 'case' ->> 'redaction_reason' = 'not_signatory';
	ASSERT e -> 'actions' @> '[{"description": "Huisarts belt de moeder"}]';
	ASSERT e -> 'actions' @> '[{"description": ""}]';
	ASSERT NOT e -> 'actions' @> '[{"description": "Leerplicht inschakelen"}]';
	ASSERT test_audit_count() = v_n + 1;
	ASSERT (SELECT categories = '{free_text}' AND context = 'case_view'
	    FROM audit_log ORDER BY id DESC LIMIT 1);
	-- and its action list
	ASSERT tafel_my_actions(test_uid('huisarts'), false) -> 'actions'
	    @> '[{"description": "Huisarts belt de moeder"}]';

	-- an observer-only user: pseudonymised
	v := tafel_get_case(test_uid('waarnemer'), c5) -> 'case';
	ASSERT v ->> 'redaction_reason' = 'observer', v::text;
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'S. Y.';

	-- admins follow the same rules
	v := tafel_get_case(test_uid('admin'), c5) -> 'case';
	ASSERT v ->> 'redaction_reason' = 'not_involved', v::text;

	-- no connection at all: NOT_FOUND (the OM is in no WZT)
	e := test_expect('TF016', format('SELECT tafel_get_case(%s, %s)',
	    test_uid('om'), c1));
	ASSERT e ->> 'hint' = 'case_id';
	ASSERT NOT tafel_list_cases(test_uid('om'), true) -> 'cases'
	    @> jsonb_build_array(jsonb_build_object('id', c1));
	ASSERT tafel_list_cases(test_uid('om'), true) -> 'cases'
	    @> jsonb_build_array(jsonb_build_object('id', c2, 'redacted', true));
	-- a guessed action point id: NOT_FOUND, as for one that does not exist
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)', 'om',
	    'complete_action', jsonb_build_object('id', (SELECT min(id)
		FROM action_points WHERE case_id = c1 AND state = 'open'),
		'version', 1, 'note', 'x')));
	ASSERT e ->> 'hint' = 'id';
	e := test_expect('TF016', format('SELECT test_write(%L, %L, %L)', 'om',
	    'update_case', tafel_json_case(c1)));
	ASSERT e ->> 'hint' = 'id';

	-- org_data_access replaces the kind's defaults
	INSERT INTO org_data_access (org_id, category)
	VALUES (test_org('Woonstichting De Eemhof'), 'birth_dates');
	v := tafel_get_case(v_woon, c3) -> 'case';
	ASSERT v -> 'hidden_categories' = '["person_names", "case_summary", "free_text"]',
	    v::text;
	ASSERT v -> 'persons' -> 0 ->> 'name' = 'Z. S.'
	    AND v -> 'persons' -> 0 ->> 'birth_date' = '2009-06-14';
	-- a kind with nothing (the court, signed): involved shows nothing
	ASSERT tafel_org_categories(test_org('Rechtbank Oost-Nederland (toehoorder)'))
	    = '{}';
	ASSERT tafel_org_categories(test_org('Huisartsenpraktijk De Linde')) = '{}';
	ASSERT tafel_org_categories(test_org('Slachtofferhulp Nederland, team Oost'))
	    = '{person_names,case_summary,free_text}';
END
$$;

-- Writes: the response is redacted for the writer; fields the writer cannot
-- see are kept, not overwritten with the "" they were shown; a CONFLICT's
-- current record is redacted too.
DO $$
DECLARE
	c9 bigint := test_case_of('Luuk Brinkman');
	c5 bigint := test_case_of('Sevda Yılmaz');
	v jsonb;
	e jsonb;
	v_summary text := (SELECT summary FROM cases WHERE id = c5);
	v_n bigint := test_audit_count();
BEGIN
	-- the chair (municipality, not involved in c5) edits the district
	v := tafel_json_case(c5);
	v := test_write('voorzitter', 'update_case', v || jsonb_build_object(
	    'summary', '', 'district', 'Amersfoort'));
	ASSERT v ->> 'redaction_reason' = 'not_involved' AND v ->> 'summary' = '';
	ASSERT (SELECT summary = v_summary AND district = 'Amersfoort'
	    FROM cases WHERE id = c5), 'the hidden summary is kept';
	ASSERT test_audit_count() = v_n, 'nothing personal was sent';
	-- a CONFLICT shows the current record as far as the user may see it
	e := test_expect('TF017', format('SELECT test_write(%L, %L, %L)',
	    'voorzitter', 'update_case', tafel_json_case(c5) || '{"version": 0}'));
	ASSERT (e ->> 'detail')::jsonb -> 'current_case' ->> 'summary' = '';
	ASSERT (e ->> 'detail')::jsonb -> 'current_case' ->> 'redaction_reason'
	    = 'not_involved';
	-- the police (involved) get the response in full, with an audit row
	v := test_write('politie', 'update_case', tafel_json_case(c5)
	    || '{"district": "Eemland"}');
	ASSERT v ->> 'summary' = v_summary AND v ->> 'redacted' = 'false';
	ASSERT test_audit_count() = v_n + 1;
	ASSERT (SELECT context = 'write' AND categories
	    = '{person_names,birth_dates,case_summary}' FROM audit_log
	    ORDER BY id DESC LIMIT 1);
	-- the conflict audit row is written by a separate call
	PERFORM tafel_audit_conflict(test_uid('politie'), jsonb_build_object(
	    'current_case', tafel_json_case(c5))::text);
	ASSERT (SELECT context = 'conflict' AND case_id = c5 FROM audit_log
	    ORDER BY id DESC LIMIT 1);
END
$$;

-- Reads write exactly one audit row per (user, case) with data.
DO $$
DECLARE
	v_wzt bigint := test_wzt();
	v_n bigint;
	v_d bigint;
	v jsonb;
	v_cases int;
BEGIN
	-- the chair's snapshot of today's WZT: the municipality submitted c3
	-- and c12, owns an action on c9, and was present when c1 was
	-- discussed last month: all four with data
	v_n := test_audit_count();
	v := tafel_snapshot(test_uid('voorzitter'), v_wzt);
	v_cases := (SELECT count(*) FROM jsonb_array_elements(v -> 'snapshot' -> 'cases') x
	    WHERE x ->> 'redacted' = 'false');
	ASSERT v_cases = 4, v::text;
	ASSERT test_audit_count() = v_n + 4;
	ASSERT (SELECT count(DISTINCT case_id) = 4 AND bool_and(context = 'snapshot'
	    AND meeting_id = v_wzt AND user_id = test_uid('voorzitter'))
	    FROM audit_log WHERE id > (SELECT max(id) - 4 FROM audit_log));
	-- list_cases: one disclosure per case with data, context case_list
	-- (0026), counted: a second list adds no row, it counts
	v_n := test_audit_count();
	v_d := (SELECT count(*) FROM audit_disclosures);
	v := tafel_list_cases(test_uid('woningcorporatie'), true);
	ASSERT test_audit_count() = v_n, 'a case list writes no audit_log row';
	v_cases := (SELECT count(*) FROM jsonb_array_elements(v -> 'cases') x
	    WHERE x ->> 'redaction_reason' <> 'not_involved');
	ASSERT v_cases > 0, v::text;
	ASSERT (SELECT count(*) FROM audit_disclosures) - v_d = v_cases;
	ASSERT (SELECT count(*) = v_cases AND bool_and(count = 1)
	    FROM audit_disclosures WHERE user_id = test_uid('woningcorporatie')
		AND context = 'case_list');
	v := tafel_list_cases(test_uid('woningcorporatie'), true);
	ASSERT (SELECT count(*) FROM audit_disclosures) - v_d = v_cases;
	ASSERT (SELECT bool_and(count = 2 AND last_at >= first_at)
	    FROM audit_disclosures WHERE user_id = test_uid('woningcorporatie')
		AND context = 'case_list');
	-- and the privacy officer's question finds them
	ASSERT EXISTS (SELECT 1 FROM tafel_audit_entries() a
	    WHERE a.user_id = test_uid('woningcorporatie')
		AND a.context = 'case_list' AND a.count = 2);
	-- action lists: context action_list
	v_n := test_audit_count();
	PERFORM tafel_org_actions(test_uid('politie'), true);
	ASSERT test_audit_count() > v_n;
	ASSERT (SELECT context FROM audit_log ORDER BY id DESC LIMIT 1) = 'action_list';
	-- a non-signatory: only its own action point (free text) is data
	v_n := test_audit_count();
	PERFORM tafel_snapshot(test_uid('huisarts'), v_wzt);
	ASSERT test_audit_count() = v_n + 1;
	ASSERT (SELECT case_id = test_case_of('Björn Hofstede')
	    AND categories = '{free_text}' AND context = 'snapshot'
	    FROM audit_log ORDER BY id DESC LIMIT 1);
	-- an observer: nothing
	v_n := test_audit_count();
	PERFORM tafel_list_cases(test_uid('waarnemer'), true);
	PERFORM tafel_snapshot(test_uid('waarnemer'),
	    (SELECT min(id) FROM meetings WHERE series_id = test_series('casusoverleg_hg')));
	ASSERT test_audit_count() = v_n;
	-- the privacy officer's queries
	PERFORM tafel_get_case(test_uid('politie'), test_case_of('Jeroen Bakker'));
	ASSERT EXISTS (SELECT 1 FROM tafel_audit_case((SELECT number FROM cases
	    WHERE id = test_case_of('Jeroen Bakker'))) a
	    WHERE a.login = 'politie' AND a.context = 'case_view'
		AND a.organisation = 'Politie Eenheid Oost-Nederland'
		AND a.categories @> '{person_names}');
	ASSERT EXISTS (SELECT 1 FROM tafel_audit_user('voorzitter', now() - interval '1 hour',
	    'infinity') a WHERE a.context = 'snapshot' AND a.meeting LIKE 'WZT Enschede-Noord %');
END
$$;

-- A signal that is only its reason (no persons, no summary yet: the
-- screening phase) is personal data of category case_summary: every read
-- of it is audited with that category (the reason, closing_reason and
-- evaluation count as the summary does; docs/protocol.md 9.1).
DO $$
DECLARE
	v jsonb;
	c bigint;
	v_n int;
BEGIN
	v := test_write('politie', 'create_case', '{"theme":
	    "domestic_violence", "district": "Redendorp", "approach": "person",
	    "reason": "Geheime melding, verdachte in verzekering gesteld"}');
	c := (v ->> 'id')::bigint;
	ASSERT v ->> 'summary' = '' AND v ->> 'reason' <> '', v::text;
	v_n := test_audit_count();
	v := tafel_get_case(test_uid('politie'), c);
	ASSERT v -> 'case' ->> 'reason' <> '', v::text;
	ASSERT test_audit_count() = v_n + 1;
	ASSERT (SELECT case_id = c AND categories = '{case_summary}'
	    AND context = 'case_view' FROM audit_log ORDER BY id DESC LIMIT 1);
	PERFORM tafel_list_cases(test_uid('politie'), true);
	ASSERT EXISTS (SELECT 1 FROM audit_disclosures d
	    WHERE d.user_id = test_uid('politie') AND d.case_id = c
		AND d.context = 'case_list'
		AND 'case_summary' = ANY (d.categories)), 'list read not audited';
END
$$;
