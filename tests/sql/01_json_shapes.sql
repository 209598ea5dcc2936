-- Every JSON builder and read function returns objects whose keys are proto
-- field names of the right message, with values of the right JSON type and
-- enum words of the right enum.  The field lists are copied by hand from
-- proto/tafel.proto: update them together.

CREATE FUNCTION test_proto() RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
SELECT '{
  "Organisation": {"id": "int", "name": "string", "kind": "OrgKind",
    "covenant_signed": "bool", "covenant_since": "date"},
  "User": {"id": "int", "login": "string", "display_name": "string",
    "org_id": "int", "org_name": "string", "roles": "Role[]"},
  "Series": {"id": "int", "name": "string", "kind": "string",
    "themes": "string[]", "district": "string", "member_org_ids": "int[]",
    "usual_chair_id": "int"},
  "Attendance": {"meeting_id": "int", "user_id": "int", "user_name": "string",
    "org_id": "int", "org_name": "string", "present": "bool", "remote": "bool",
    "left_at": "int?"},
  "Meeting": {"id": "int", "series_id": "int", "series_name": "string",
    "series_kind": "string",
    "scheduled_start": "int", "state": "MeetingState", "chair_id": "int",
    "chair_name": "string", "current_item_id": "int",
    "attendance": "Attendance[]", "version": "int", "warning": "string?",
    "cancel_reason": "string", "held_at": "int", "published_at": "int",
    "published_by_name": "string", "publish_due": "date",
    "publish_overdue": "bool"},
  "Nomination": {"id": "int", "series_id": "int", "series_name": "string",
    "case_id": "int", "case_number": "string", "reason": "string",
    "state": "NominationState", "org_id": "int", "org_name": "string",
    "nominated_by": "int", "nominated_by_name": "string",
    "created_at": "int", "meeting_id": "int", "agenda_item_id": "int",
    "decline_reason": "string", "decided_by": "int",
    "decided_by_name": "string", "decided_at": "int", "version": "int",
    "redacted": "bool"},
  "NominationList": {"nominations": "Nomination[]?"},
  "ProposalReason": {"code": "string", "text": "string", "red": "bool"},
  "Proposal": {"meeting_id": "int", "case_id": "int",
    "case_number": "string", "theme": "string", "district": "string",
    "status": "CaseStatus", "reasons": "ProposalReason[]", "red": "bool",
    "state": "ProposalState", "decline_reason": "string",
    "declined_by_name": "string", "declined_at": "int"},
  "ProposalList": {"meeting": "Meeting?", "proposals": "Proposal[]?"},
  "AgendaItem": {"id": "int", "meeting_id": "int", "case_id": "int",
    "position": "int", "state": "ItemState", "decision": "string",
    "version": "int", "removed": "bool?", "added_after_publication": "bool",
    "decision_changed_after_close": "bool", "decision_by_name": "string",
    "decision_at": "int"},
  "Person": {"id": "int", "case_id": "int", "role": "PersonRole",
    "name": "string", "birth_date": "date", "version": "int"},
  "Case": {"id": "int", "number": "string", "theme": "string",
    "approach": "Approach", "district": "string", "submitter_org_id": "int",
    "submitter_user_id": "int", "case_manager_id": "int",
    "status": "CaseStatus", "summary": "string", "persons": "Person[]",
    "version": "int", "redacted": "bool", "redaction_reason": "string",
    "submitter_org_name": "string", "case_manager_name": "string",
    "hidden_categories": "string[]", "beamer_redacted": "bool",
    "beamer_reason": "string", "reason": "string", "lead_org_id": "int",
    "lead_org_name": "string", "end_date": "date", "review_date": "date",
    "closing_reason": "string", "evaluation": "string",
    "earlier_discussed": "bool", "process_manager_ids": "int[]",
    "clocks": "CaseClock[]"},
  "CaseClock": {"id": "int", "case_id": "int", "kind": "string",
    "label": "string", "starts_on": "date", "ends_on": "date",
    "hearing_date": "date", "day": "int", "total_days": "int",
    "max_total_days": "int", "extensions": "int", "running": "bool",
    "red": "bool", "notice_org_kind": "string", "notice_due": "date",
    "note": "string", "version": "int"},
  "InfoRound": {"id": "int", "case_id": "int", "case_number": "string",
    "state": "InfoRoundState", "reply_by": "date", "started_by": "int",
    "started_by_name": "string", "started_at": "int", "closed_at": "int",
    "version": "int", "asked": "InfoRoundOrg[]", "persons": "Person[]",
    "identifying": "bool", "overdue_count": "int", "answers_hidden": "bool"},
  "InfoRoundOrg": {"org_id": "int", "org_name": "string",
    "answer": "InfoAnswer", "note": "string", "answered_by_name": "string",
    "answered_at": "int", "overdue": "bool"},
  "ActionPoint": {"id": "int", "case_id": "int", "meeting_id": "int",
    "description": "string", "owner_org_id": "int", "owner_user_id": "int",
    "due_date": "date", "state": "ActionState", "completion_note": "string",
    "version": "int", "updated_by": "int", "updated_at": "int",
    "case_number": "string", "owner_org_name": "string",
    "owner_user_name": "string", "overdue": "bool", "goal_id": "int"},
  "Contribution": {"id": "int", "case_id": "int", "org_id": "int",
    "org_name": "string", "author_id": "int", "author_name": "string",
    "facts": "string", "judgement": "string", "created_at": "int",
    "updated_at": "int", "version": "int"},
  "Goal": {"id": "int", "case_id": "int", "description": "string",
    "position": "int", "achieved": "bool", "version": "int",
    "actions_open": "int", "actions_done": "int", "actions_overdue": "int",
    "actions_cancelled": "int"},
  "PersonLink": {"id": "int", "case_id": "int", "person_id": "int",
    "other_case_id": "int", "other_case_number": "string",
    "other_person_id": "int", "created_by": "int", "created_at": "int"},
  "EarlierCase": {"person_id": "int", "case_id": "int",
    "case_number": "string", "status": "CaseStatus",
    "other_person_id": "int", "other_person_name": "string",
    "birth_date": "date", "discussed_at": "int", "linked": "bool"},
  "EarlierCaseList": {"case_id": "int", "matches": "EarlierCase[]"},
  "CaseHistoryEntry": {"meeting_id": "int", "scheduled_start": "int",
    "held_at": "int", "series_name": "string", "decision": "string",
    "decision_changed_after_close": "bool", "decision_by_name": "string",
    "decision_at": "int"},
  "LoginResponse": {"user": "User?", "organisation": "Organisation?",
    "idle_timeout_s": "int?"},
  "SeriesList": {"series": "Series[]?"},
  "MeetingList": {"meetings": "Meeting[]?"},
  "Agenda": {"meeting_id": "int?", "items": "AgendaItem[]?"},
  "ActionList": {"actions": "ActionPoint[]?"},
  "Snapshot": {"meeting": "Meeting?", "agenda": "AgendaItem[]?",
    "cases": "Case[]?", "actions": "ActionPoint[]?",
    "organisations": "Organisation[]?", "info_rounds": "InfoRound[]?",
    "member_org_ids": "int[]?",
    "open_actions": "ActionPoint[]?", "earlier_meeting_ids": "int[]?"},
  "SubscribeResponse": {"seq": "int?", "resumed": "bool?",
    "snapshot": "Snapshot?", "actions": "ActionList?",
    "meetings": "MeetingList?", "cases": "CaseList?",
    "nominations": "NominationList?"},
  "CaseDetail": {"case": "Case?", "actions": "ActionPoint[]?",
    "history": "CaseHistoryEntry[]?", "contributions": "Contribution[]?",
    "goals": "Goal[]?", "links": "PersonLink[]?",
    "info_rounds": "InfoRound[]?"},
  "OrganisationList": {"organisations": "Organisation[]?", "users": "User[]?", "districts": "string[]?"},
  "CaseList": {"cases": "Case[]?", "omitted": "int?"},
  "EventPayload": {"meeting": "Meeting?", "agenda_items": "AgendaItem[]?",
    "case": "Case?", "action_point": "ActionPoint?",
    "attendance": "Attendance?", "person": "Person?",
    "actions": "ActionPoint[]?", "contribution": "Contribution?",
    "goal": "Goal?", "person_link": "PersonLink?", "nomination": "Nomination?",
    "inbox_entry": "InboxEntry?"},
  "InboxEntry": {"id": "int", "kind": "InboxKind", "case_id": "int",
    "case_number": "string", "recipient_org_id": "int",
    "recipient_org_name": "string", "recipient_user_id": "int",
    "recipient_user_name": "string", "sender_id": "int",
    "sender_name": "string", "sender_org_name": "string",
    "created_at": "int", "from_status": "string", "to_status": "string",
    "read_at": "int", "read_by": "int", "read_by_name": "string",
    "version": "int", "meeting_id": "int", "series_name": "string",
    "scheduled_start": "int", "clock_id": "int", "clock_label": "string",
    "clock_ends_on": "date", "notice_on": "date", "info_round_id": "int",
    "reply_by": "date", "action_point": "ActionPoint?",
    "sent_by_me": "bool?"},
  "ErrorCurrent": {"current_meeting": "Meeting?",
    "current_agenda_item": "AgendaItem?",
    "current_action_point": "ActionPoint?", "current_case": "Case?",
    "current_person": "Person?"}
}'::jsonb
$$;

CREATE FUNCTION test_enums() RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
SELECT '{
  "OrgKind": ["other", "police", "prosecutor", "probation", "municipality",
    "child_protection", "veilig_thuis", "youth_care", "mental_health",
    "addiction_care", "housing", "victim_support"],
  "Role": ["none", "admin", "chair", "member", "observer"],
  "InboxKind": ["action_done", "action_cancelled", "case_moved",
    "case_closed", "action_overdue", "clock_set", "clock_notice",
    "agenda_published", "info_round_asked", "action_assigned",
    "lead_assigned", "case_manager_assigned"],
  "MeetingState": ["planned", "open", "closed", "cancelled"],
  "NominationState": ["pending", "accepted", "declined"],
  "ProposalState": ["proposed", "declined"],
  "InfoRoundState": ["open", "closed"],
  "InfoAnswer": ["pending", "known", "not_known"],
  "ItemState": ["pending", "current", "discussed"],
  "Approach": ["person", "system", "area"],
  "CaseStatus": ["signal", "screening", "info_round", "direction", "plan",
    "in_progress", "monitoring", "closed"],
  "PersonRole": ["other", "victim", "suspect", "child"],
  "ActionState": ["open", "done", "cancelled"]
}'::jsonb
$$;

-- Checks one value against a field type ("int", "Case", "Role[]", ...).
CREATE FUNCTION test_value(p_v jsonb, p_type text, p_path text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_base text := rtrim(rtrim(p_type, '?'), '[]');
	e jsonb;
BEGIN
	IF rtrim(p_type, '?') LIKE '%[]' THEN
		ASSERT jsonb_typeof(p_v) = 'array',
		    format('%s: expected an array, got %s', p_path, p_v);
		FOR e IN SELECT x FROM jsonb_array_elements(p_v) x LOOP
			PERFORM test_value(e, v_base, p_path || '[]');
		END LOOP;
		RETURN;
	END IF;
	IF v_base = 'int' THEN
		ASSERT jsonb_typeof(p_v) = 'number' AND (p_v #>> '{}') ~ '^-?[0-9]+$',
		    format('%s: expected an integer, got %s', p_path, p_v);
	ELSIF v_base = 'string' THEN
		ASSERT jsonb_typeof(p_v) = 'string',
		    format('%s: expected a string, got %s', p_path, p_v);
	ELSIF v_base = 'bool' THEN
		ASSERT jsonb_typeof(p_v) = 'boolean',
		    format('%s: expected a boolean, got %s', p_path, p_v);
	ELSIF v_base = 'date' THEN
		ASSERT jsonb_typeof(p_v) = 'string' AND (p_v #>> '{}')
		    ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$',
		    format('%s: expected YYYY-MM-DD or "", got %s', p_path, p_v);
	ELSIF test_enums() ? v_base THEN
		ASSERT jsonb_typeof(p_v) = 'string'
		    AND test_enums() -> v_base ? (p_v #>> '{}'),
		    format('%s: expected a %s, got %s', p_path, v_base, p_v);
	ELSE
		PERFORM test_shape(p_v, v_base, p_path);
	END IF;
END
$$;

-- Checks an object against a message: every key a field of it, every
-- field without "?" present.
CREATE FUNCTION test_shape(p_obj jsonb, p_msg text, p_path text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_fields jsonb := test_proto() -> p_msg;
	v_path text := coalesce(p_path, p_msg);
	k text;
	t text;
BEGIN
	ASSERT v_fields IS NOT NULL, 'unknown message ' || p_msg;
	ASSERT jsonb_typeof(p_obj) = 'object',
	    format('%s: expected a %s object, got %s', v_path, p_msg, p_obj);
	FOR k IN SELECT jsonb_object_keys(p_obj) LOOP
		ASSERT v_fields ? k, format('%s: %s has no field %I', v_path,
		    p_msg, k);
		PERFORM test_value(p_obj -> k, v_fields ->> k, v_path || '.' || k);
	END LOOP;
	FOR k, t IN SELECT key, value FROM jsonb_each_text(v_fields) LOOP
		ASSERT t LIKE '%?' OR p_obj ? k, format('%s: field %I missing',
		    v_path, k);
	END LOOP;
END
$$;

DO $$
DECLARE
	v_chair bigint := test_uid('voorzitter');
	v_admin bigint := test_uid('admin');
	v_pol bigint := test_uid('politie');
	r record;
	v_n int := 0;
BEGIN
	-- every record builder, over every row of the demo house
	FOR r IN SELECT id FROM organisations LOOP
		PERFORM test_shape(tafel_json_org(r.id), 'Organisation');
	END LOOP;
	FOR r IN SELECT id FROM users LOOP
		PERFORM test_shape(tafel_json_user(r.id), 'User');
	END LOOP;
	FOR r IN SELECT id FROM series LOOP
		PERFORM test_shape(tafel_json_series(r.id), 'Series');
	END LOOP;
	FOR r IN SELECT meeting_id, user_id FROM attendance LOOP
		PERFORM test_shape(tafel_json_attendance(r.meeting_id, r.user_id),
		    'Attendance');
	END LOOP;
	FOR r IN SELECT id FROM meetings LOOP
		PERFORM test_shape(tafel_json_meeting(r.id), 'Meeting');
		PERFORM test_shape(tafel_json_agenda(r.id), 'Agenda');
		PERFORM test_shape(tafel_snapshot(v_admin, r.id), 'SubscribeResponse');
		v_n := v_n + 1;
	END LOOP;
	ASSERT v_n >= 4, 'the demo house has at least four meetings';
	FOR r IN SELECT id FROM agenda_items LOOP
		PERFORM test_shape(tafel_json_item(r.id), 'AgendaItem');
	END LOOP;
	FOR r IN SELECT id FROM persons LOOP
		PERFORM test_shape(tafel_json_person(r.id), 'Person');
	END LOOP;
	FOR r IN SELECT id FROM cases LOOP
		PERFORM test_shape(tafel_json_case(r.id), 'Case');
		PERFORM test_shape(tafel_get_case(v_pol, r.id), 'CaseDetail');
	END LOOP;
	FOR r IN SELECT id FROM action_points LOOP
		PERFORM test_shape(tafel_json_action(r.id), 'ActionPoint');
	END LOOP;
	v_n := 0;
	FOR r IN SELECT id FROM nominations LOOP
		PERFORM test_shape(tafel_json_nomination(r.id), 'Nomination');
		v_n := v_n + 1;
	END LOOP;
	ASSERT v_n >= 2, 'the demo house has pending nominations';
	-- the agenda proposals of every planned meeting, as its chair reads
	-- them (the demo's nominations make some)
	v_n := 0;
	FOR r IN SELECT id FROM meetings WHERE state = 'planned' LOOP
		PERFORM test_shape(tafel_list_proposals(v_chair, 0, r.id),
		    'ProposalList');
		v_n := v_n + jsonb_array_length(tafel_list_proposals(v_chair, 0,
		    r.id) -> 'proposals');
	END LOOP;
	ASSERT v_n >= 2, 'the demo house has agenda proposals';

	-- read functions
	FOR r IN SELECT response FROM tafel_login_lookup('voorzitter') LOOP
		PERFORM test_shape(r.response, 'LoginResponse');
		ASSERT r.response -> 'user' ->> 'login' = 'voorzitter';
		ASSERT r.response -> 'user' -> 'roles' ? 'chair';
	END LOOP;
	PERFORM test_shape(tafel_list_series(v_pol), 'SeriesList');
	PERFORM test_shape(tafel_list_meetings(v_pol, 0, 0, 0), 'MeetingList');
	PERFORM test_shape(tafel_org_actions(v_pol, true), 'SubscribeResponse');
	PERFORM test_shape(tafel_my_actions(v_pol, true), 'ActionList');
	PERFORM test_shape(tafel_list_orgs(v_pol), 'OrganisationList');
	PERFORM test_shape(tafel_list_cases(v_pol, true), 'CaseList');
	PERFORM test_shape(tafel_list_nominations(v_pol, 0, true),
	    'NominationList');
	PERFORM test_shape(tafel_list_nominations(v_chair, 0, false),
	    'NominationList');

	-- empty repeated fields are arrays, never null
	ASSERT tafel_json_meeting((SELECT min(m.id) FROM meetings m
	    WHERE NOT EXISTS (SELECT 1 FROM attendance a
		WHERE a.meeting_id = m.id))) -> 'attendance' = '[]'::jsonb;
	ASSERT tafel_list_cases(test_uid('waarnemer'), false) -> 'cases'
	    IS NOT NULL;
END
$$;

-- Every change-log payload written by the other tests' kind of writes is
-- Event-shaped: run a few writes and check them.
DO $$
DECLARE
	v_case jsonb;
	v_meeting jsonb;
	v_agenda jsonb;
	v_action jsonb;
	r record;
BEGIN
	v_case := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "approach": "system", "district": "Eemland", "summary": "test",
	    "persons": [{"role": "victim", "name": "Test Persoon",
		"birth_date": "1990-01-01"}, {"role": "child", "name": "Kind"}]}');
	PERFORM test_shape(v_case, 'Case');
	-- the case's series (add_agenda_item: the chair has no connection)
	v_meeting := test_write('voorzitter', 'create_meeting', jsonb_build_object(
	    'series_id', test_series('casusoverleg_hg'),
	    'scheduled_start', extract(epoch FROM now() + interval '7 days')::bigint));
	PERFORM test_shape(v_meeting, 'Meeting');
	v_agenda := test_write('voorzitter', 'add_agenda_item', jsonb_build_object(
	    'meeting_id', v_meeting -> 'id', 'case_id', v_case -> 'id'));
	PERFORM test_shape(v_agenda, 'Agenda');
	v_action := test_write('voorzitter', 'create_action', jsonb_build_object(
	    'case_id', v_case -> 'id', 'meeting_id', v_meeting -> 'id',
	    'description', 'Bellen', 'owner_org_id', test_org('Veilig Thuis Eemland-Twente'),
	    'due_date', to_char(current_date + 3, 'YYYY-MM-DD')));
	PERFORM test_shape(v_action, 'ActionPoint');
	-- attendance only in an open meeting (0006)
	PERFORM test_shape(test_write('voorzitter', 'open_meeting',
	    jsonb_build_object('meeting_id', v_meeting -> 'id',
		'version', v_meeting -> 'version')), 'Meeting');
	PERFORM test_shape(test_write('voorzitter', 'record_attendance',
	    jsonb_build_object('meeting_id', v_meeting -> 'id',
		'user_id', test_uid('politie'), 'present', true)), 'Attendance');
	PERFORM test_shape(test_write('politie', 'add_person', jsonb_build_object(
	    'person', jsonb_build_object('case_id', v_case -> 'id',
		'role', 'suspect', 'name', 'Verdachte'))), 'Person');
	PERFORM test_shape(test_write('voorzitter', 'remove_agenda_item',
	    jsonb_build_object('item_id', v_agenda -> 'items' -> 0 -> 'id',
		'version', v_agenda -> 'items' -> 0 -> 'version')), 'Agenda');
	-- intake, routing and the plan of approach (0008)
	PERFORM test_shape(test_write('politie', 'add_contribution',
	    jsonb_build_object('case_id', v_case -> 'id', 'facts', 'bekend',
		'judgement', 'zorgelijk')), 'Contribution');
	v_agenda := test_write('politie', 'add_goal', jsonb_build_object(
	    'goal', jsonb_build_object('case_id', v_case -> 'id',
		'description', 'Veilig thuis')));
	PERFORM test_shape(v_agenda, 'Goal');
	-- the chair routes as the district's process manager: the item is
	-- gone, and without a connection the case is not found (9.2)
	PERFORM tafel_pm_add('voorzitter', 'Eemland', '');
	PERFORM test_shape(test_write('voorzitter', 'update_routing',
	    jsonb_build_object('id', v_case -> 'id', 'version',
		tafel_json_case((v_case ->> 'id')::bigint) -> 'version',
		'lead_org_id', test_org('Veilig Thuis Eemland-Twente'),
		'review_date', to_char(current_date + 30, 'YYYY-MM-DD'))), 'Case');
	PERFORM test_shape(test_write('voorzitter', 'plan_mdo', jsonb_build_object(
	    'case_id', v_case -> 'id', 'scheduled_start',
	    extract(epoch FROM now() + interval '3 days')::bigint)), 'Meeting');
	v_action := test_write('politie', 'create_case', '{"theme": "domestic_violence",
	    "persons": [{"role": "victim", "name": "Test Persoon",
		"birth_date": "1990-01-01"}]}');
	PERFORM test_shape(test_write('politie', 'link_persons', jsonb_build_object(
	    'person_id', v_case -> 'persons' -> 0 -> 'id', 'other_person_id',
	    v_action -> 'persons' -> 0 -> 'id')), 'PersonLink');
	PERFORM test_shape(tafel_list_earlier_cases(test_uid('politie'),
	    (v_case ->> 'id')::bigint), 'EarlierCaseList');
	PERFORM test_shape(tafel_list_snapshot(test_uid('politie'), 3, false),
	    'SubscribeResponse');
	PERFORM test_shape(tafel_get_case(test_uid('politie'),
	    (v_case ->> 'id')::bigint), 'CaseDetail');

	FOR r IN SELECT * FROM tafel_changes_since(0, 100000) LOOP
		PERFORM test_shape(r.payload, 'EventPayload',
		    format('changelog[%s]', r.seq));
	END LOOP;
	-- the removed item is marked
	ASSERT (SELECT payload -> 'agenda_items' -> 0 ->> 'removed' FROM changelog
	    WHERE op = 'remove_agenda_item' ORDER BY seq DESC LIMIT 1) = 'true';
END
$$;
