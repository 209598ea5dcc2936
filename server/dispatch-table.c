/* The request table: one row per request, naming its handler, flags, SQL and answer. */
#include "dispatch.h"

#include <stdarg.h>
#include <stdio.h>

#include "handlers.h"
#include "proto.h"
#include "push.h"
#include "request.h"
#include "validate.h"

#define SHORT TAFEL_MAX_SHORT_STRING
#define TEXT TAFEL_MAX_TEXT

/*
 * Field checks beyond validate_message(): ids, dates, enums, short texts.
 * Fields are named by their path from the request body's root, with the
 * index of a repeated field's element: "persons[2].name" (validate.h).
 */

static int
check_list_meetings(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ListMeetingsRequest *q = (const void *)m;

	if (validate_id("series_id", q->series_id, 0, e) ||
	    validate_time("from", q->from, 0, e) ||
	    validate_time("to", q->to, 0, e))
		return -1;
	return 0;
}

static int
check_create_meeting(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__CreateMeetingRequest *q = (const void *)m;

	if (validate_id("series_id", q->series_id, 1, e) ||
	    validate_time("scheduled_start", q->scheduled_start, 1, e) ||
	    validate_id("chair_id", q->chair_id, 0, e))
		return -1;
	return 0;
}

static int
check_meeting_state(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__MeetingStateRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_version("version", q->version, e) ? -1 : 0;
}

static int
check_attendance(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__AttendanceRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_id("user_id", q->user_id, 1, e) ? -1 : 0;
}

/* OUT_OF_RANGE on field, with a message "field: ..." (fmt); returns -1. */
static int __attribute__((format(printf, 3, 4)))
out_of_range(struct validate_error *e, const char *field, const char *fmt,
    ...)
{
	va_list ap;
	int n;

	snprintf(e->field, sizeof e->field, "%s", field);
	n = snprintf(e->message, sizeof e->message, "%s: ", field);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof e->message)
		vsnprintf(e->message + n, sizeof e->message - (size_t)n, fmt,
		    ap);
	va_end(ap);
	e->code = TAFEL__ERROR_CODE__OUT_OF_RANGE;
	return -1;
}

static int
check_add_item(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__AddAgendaItemRequest *q = (const void *)m;

	if (validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_id("case_id", q->case_id, 1, e))
		return -1;
	if (q->position < 0 || q->position > TAFEL_MAX_LIST)
		return out_of_range(e, "position", "must be between 0 (at the "
		    "end) and %d", TAFEL_MAX_LIST);
	return 0;
}

static int
check_remove_item(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__RemoveAgendaItemRequest *q = (const void *)m;

	return validate_id("item_id", q->item_id, 1, e) ||
	    validate_version("version", q->version, e) ? -1 : 0;
}

static int
check_reorder(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ReorderAgendaRequest *q = (const void *)m;
	char path[sizeof e->field];
	size_t i;

	if (validate_id("meeting_id", q->meeting_id, 1, e))
		return -1;
	for (i = 0; i < q->n_item_ids; i++) {
		validate_path(path, sizeof path, "", "item_ids", (long)i);
		if (validate_id(path, q->item_ids[i], 1, e))
			return -1;
	}
	return 0;
}

static int
check_set_current(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__SetCurrentItemRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_id("item_id", q->item_id, 0, e) ? -1 : 0;
}

static int
check_decision(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__RecordDecisionRequest *q = (const void *)m;

	return validate_id("item_id", q->item_id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_text("decision", q->decision, TEXT, 0, 1, e) ? -1 : 0;
}

static int
check_create_action(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__CreateActionRequest *q = (const void *)m;

	return validate_id("case_id", q->case_id, 1, e) ||
	    validate_id("meeting_id", q->meeting_id, 0, e) ||
	    validate_text("description", q->description, TEXT, 1, 1, e) ||
	    validate_id("owner_org_id", q->owner_org_id, 1, e) ||
	    validate_id("owner_user_id", q->owner_user_id, 0, e) ||
	    validate_date("due_date", q->due_date, 1, e) ||
	    validate_id("goal_id", q->goal_id, 0, e) ? -1 : 0;
}

static int
check_update_action(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__UpdateActionRequest *q = (const void *)m;

	/* An empty description keeps one the writer may not see (covenant). */
	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_text("description", q->description, TEXT, 0, 1, e) ||
	    validate_id("owner_org_id", q->owner_org_id, 1, e) ||
	    validate_id("owner_user_id", q->owner_user_id, 0, e) ||
	    validate_date("due_date", q->due_date, 1, e) ||
	    validate_id("goal_id", q->goal_id, 0, e) ? -1 : 0;
}

static int
check_finish_action(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__FinishActionRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_text("note", q->note, TEXT, 0, 1, e) ? -1 : 0;
}

/* A Person at path `at` ("person", "persons[2]"). */
static int
check_person(const char *at, const Tafel__Person *p, int is_new,
    struct validate_error *e)
{
	char f[5][sizeof e->field];
	static const char *const names[5] = { "id", "case_id", "role", "name",
	    "birth_date" };
	int i;

	if (p == NULL)
		return validate_text(at, "", 1, 1, 0, e);
	for (i = 0; i < 5; i++)
		validate_path(f[i], sizeof f[i], at, names[i], -1);
	return (!is_new && validate_id(f[0], p->id, 1, e)) ||
	    validate_id(f[1], p->case_id, 0, e) ||
	    validate_enum(f[2], &tafel__person_role__descriptor,
	    (int)p->role, e) ||
	    validate_text(f[3], p->name, SHORT, 1, 0, e) ||
	    validate_date(f[4], p->birth_date, 0, e) ? -1 : 0;
}

static int
check_create_case(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__CreateCaseRequest *q = (const void *)m;
	char at[sizeof e->field];
	size_t i;

	if (validate_text("theme", q->theme, SHORT, 1, 0, e) ||
	    validate_enum("approach", &tafel__approach__descriptor,
	    (int)q->approach, e) ||
	    validate_text("district", q->district, SHORT, 0, 0, e) ||
	    validate_id("case_manager_id", q->case_manager_id, 0, e) ||
	    validate_text("summary", q->summary, TEXT, 0, 1, e) ||
	    validate_text("reason", q->reason, TEXT, 0, 1, e))
		return -1;
	for (i = 0; i < q->n_persons; i++) {
		validate_path(at, sizeof at, "", "persons", (long)i);
		if (check_person(at, q->persons[i], 1, e))
			return -1;
	}
	return 0;
}

static int
check_update_case(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__UpdateCaseRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_text("theme", q->theme, SHORT, 1, 0, e) ||
	    validate_enum("approach", &tafel__approach__descriptor,
	    (int)q->approach, e) ||
	    validate_text("district", q->district, SHORT, 0, 0, e) ||
	    validate_id("case_manager_id", q->case_manager_id, 0, e) ||
	    validate_text("summary", q->summary, TEXT, 0, 1, e) ? -1 : 0;
}

static int
check_add_person(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__PersonRequest *q = (const void *)m;

	if (check_person("person", q->person, 1, e))
		return -1;
	return validate_id("person.case_id", q->person->case_id, 1, e);
}

static int
check_update_person(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__PersonRequest *q = (const void *)m;

	if (check_person("person", q->person, 0, e))
		return -1;
	return validate_version("person.version", q->person->version, e);
}

static int
check_move_case(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__MoveCaseRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_enum("to", &tafel__case_status__descriptor, (int)q->to,
	    e) ||
	    validate_id("lead_org_id", q->lead_org_id, 0, e) ||
	    validate_id("case_manager_id", q->case_manager_id, 0, e) ||
	    validate_date("end_date", q->end_date, 0, e) ||
	    validate_text("closing_reason", q->closing_reason, TEXT, 0, 1, e) ||
	    validate_text("evaluation", q->evaluation, TEXT, 0, 1, e) ? -1 : 0;
}

static int
check_update_routing(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__UpdateRoutingRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_id("lead_org_id", q->lead_org_id, 0, e) ||
	    validate_id("case_manager_id", q->case_manager_id, 0, e) ||
	    validate_date("end_date", q->end_date, 0, e) ||
	    validate_date("review_date", q->review_date, 0, e) ||
	    validate_text("closing_reason", q->closing_reason, TEXT, 0, 1, e) ||
	    validate_text("evaluation", q->evaluation, TEXT, 0, 1, e) ? -1 : 0;
}

static int
check_add_contribution(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__AddContributionRequest *q = (const void *)m;

	return validate_id("case_id", q->case_id, 1, e) ||
	    validate_text("facts", q->facts, TEXT, 0, 1, e) ||
	    validate_text("judgement", q->judgement, TEXT, 0, 1, e) ? -1 : 0;
}

static int
check_update_contribution(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__UpdateContributionRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_text("facts", q->facts, TEXT, 0, 1, e) ||
	    validate_text("judgement", q->judgement, TEXT, 0, 1, e) ? -1 : 0;
}

/* add_goal (is_new: goal.id 0, goal.case_id) / update_goal (id, version). */
static int
check_goal(const Tafel__GoalRequest *q, int is_new, struct validate_error *e)
{
	const Tafel__Goal *g = q->goal;

	if (g == NULL)
		return validate_text("goal", "", 1, 1, 0, e);
	if (is_new)
		return validate_id("goal.case_id", g->case_id, 1, e) ||
		    validate_text("goal.description", g->description, TEXT, 1,
		    1, e) ? -1 : 0;
	return validate_id("goal.id", g->id, 1, e) ||
	    validate_version("goal.version", g->version, e) ||
	    validate_text("goal.description", g->description, TEXT, 0, 1,
	    e) ? -1 : 0;
}

static int
check_add_goal(const ProtobufCMessage *m, struct validate_error *e)
{
	return check_goal((const void *)m, 1, e);
}

static int
check_update_goal(const ProtobufCMessage *m, struct validate_error *e)
{
	return check_goal((const void *)m, 0, e);
}

static int
check_link_persons(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__LinkPersonsRequest *q = (const void *)m;

	return validate_id("person_id", q->person_id, 1, e) ||
	    validate_id("other_person_id", q->other_person_id, 1, e) ? -1 : 0;
}

static int
check_plan_mdo(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__PlanMdoRequest *q = (const void *)m;

	return validate_id("case_id", q->case_id, 1, e) ||
	    validate_time("scheduled_start", q->scheduled_start, 1, e) ||
	    validate_id("chair_id", q->chair_id, 0, e) ? -1 : 0;
}

static int
check_earlier_cases(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ListEarlierCasesRequest *q = (const void *)m;

	return validate_id("case_id", q->case_id, 1, e);
}

static int
check_mark_inbox_read(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__MarkInboxReadRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e);
}

static int
check_get_minutes(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__MinutesRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e);
}

static int
check_open_actions(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__OpenActionsRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e);
}

static int
check_get_case(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__GetCaseRequest *q = (const void *)m;

	return validate_id("case_id", q->case_id, 1, e);
}

static int
check_plan_meetings(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__PlanMeetingsRequest *q = (const void *)m;

	if (validate_id("series_id", q->series_id, 1, e) ||
	    validate_date("first_date", q->first_date, 1, e) ||
	    validate_text("time", q->time, SHORT, 1, 0, e) ||
	    validate_date("until", q->until, 0, e) ||
	    validate_id("chair_id", q->chair_id, 0, e))
		return -1;
	if (q->every_weeks > 52)
		return out_of_range(e, "every_weeks", "at most 52 (0: one "
		    "meeting)");
	return 0;
}

static int
check_move_meeting(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__MoveMeetingRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_time("scheduled_start", q->scheduled_start, 1, e) ? -1 : 0;
}

static int
check_cancel_meeting(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__CancelMeetingRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_text("reason", q->reason, TEXT, 0, 1, e) ? -1 : 0;
}

static int
check_nominate(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__NominateCaseRequest *q = (const void *)m;

	return validate_id("series_id", q->series_id, 1, e) ||
	    validate_id("case_id", q->case_id, 1, e) ||
	    validate_text("reason", q->reason, TEXT, 1, 1, e) ? -1 : 0;
}

static int
check_nomination_decision(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__NominationDecisionRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_id("meeting_id", q->meeting_id, 0, e) ||
	    validate_text("reason", q->reason, TEXT, 0, 1, e) ? -1 : 0;
}

static int
check_list_nominations(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ListNominationsRequest *q = (const void *)m;

	return validate_id("series_id", q->series_id, 0, e);
}

/* Legal clocks (docs/protocol.md 7.9); the kind's rules are the database's. */
static int
check_set_clock(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__SetClockRequest *q = (const void *)m;

	return validate_id("case_id", q->case_id, 1, e) ||
	    validate_text("kind", q->kind, 64, 1, 0, e) ||
	    validate_date("starts_on", q->starts_on, 1, e) ||
	    validate_date("ends_on", q->ends_on, 0, e) ||
	    validate_date("hearing_date", q->hearing_date, 0, e) ||
	    validate_text_chars("note", q->note, 500, 0, 0, e) ? -1 : 0;
}

static int
check_extend_clock(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ExtendClockRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ||
	    validate_date("ends_on", q->ends_on, 0, e) ||
	    validate_date("hearing_date", q->hearing_date, 0, e) ||
	    validate_text_chars("note", q->note, 500, 0, 0, e) ? -1 : 0;
}

/* The info round (docs/protocol.md 7.10). */
static int
check_start_info_round(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__StartInfoRoundRequest *q = (const void *)m;
	char path[sizeof e->field];
	size_t i;

	if (validate_id("case_id", q->case_id, 1, e) ||
	    validate_date("reply_by", q->reply_by, 1, e))
		return -1;
	if (q->n_org_ids == 0 || q->n_org_ids > 100) {
		snprintf(e->field, sizeof e->field, "org_ids");
		snprintf(e->message, sizeof e->message,
		    "an info round asks 1 to 100 organisations");
		e->code = TAFEL__ERROR_CODE__INVALID_ARGUMENT;
		return -1;
	}
	for (i = 0; i < q->n_org_ids; i++) {
		validate_path(path, sizeof path, "", "org_ids", (long)i);
		if (validate_id(path, q->org_ids[i], 1, e))
			return -1;
	}
	return 0;
}

static int
check_answer_info_round(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__AnswerInfoRoundRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_enum("answer", &tafel__info_answer__descriptor,
	    (int)q->answer, e) ||
	    validate_text_chars("note", q->note, 500, 0, 1, e) ? -1 : 0;
}

static int
check_close_info_round(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__CloseInfoRoundRequest *q = (const void *)m;

	return validate_id("id", q->id, 1, e) ||
	    validate_version("version", q->version, e) ? -1 : 0;
}

static int
check_list_info_rounds(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ListInfoRoundsRequest *q = (const void *)m;

	return validate_id("case_id", q->case_id, 0, e);
}

/* Proposals, publishing, the calendar (docs/protocol.md 7.11). */
static int
check_list_proposals(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ListProposalsRequest *q = (const void *)m;

	if (validate_id("series_id", q->series_id, 0, e) ||
	    validate_id("meeting_id", q->meeting_id, 0, e))
		return -1;
	if (q->series_id == 0 && q->meeting_id == 0) {
		snprintf(e->field, sizeof e->field, "series_id");
		snprintf(e->message, sizeof e->message,
		    "series_id: set series_id or meeting_id");
		e->code = TAFEL__ERROR_CODE__INVALID_ARGUMENT;
		return -1;
	}
	return 0;
}

static int
check_decline_proposal(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__DeclineProposalRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_id("case_id", q->case_id, 1, e) ||
	    validate_text_chars("reason", q->reason, 500, 1, 1, e) ? -1 : 0;
}

static int
check_publish_agenda(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__PublishAgendaRequest *q = (const void *)m;

	return validate_id("meeting_id", q->meeting_id, 1, e) ||
	    validate_version("version", q->version, e) ? -1 : 0;
}

static int
check_list_calendar(const ProtobufCMessage *m, struct validate_error *e)
{
	const Tafel__ListCalendarRequest *q = (const void *)m;

	return validate_date("from", q->from, 0, e) ||
	    validate_date("to", q->to, 0, e) ? -1 : 0;
}

#define B(x) TAFEL__ENVELOPE__BODY_##x
#define READ(body, sql, reply, check) \
	{ B(body), request_read, 0, sql, B(reply), check }
#define WRITE(body, op, reply, check) \
	{ B(body), request_write, REQ_WRITE, op, B(reply), check }

/* Reads get $1 = user id, $2 = the request as JSON. */
const struct request_handler request_handlers[] = {
	{ B(LOGIN), h_login, REQ_PRELOGIN, NULL, B(LOGIN_OK), NULL },
	{ B(LOGOUT), h_logout, REQ_PRELOGIN, NULL, B(OK), NULL },
	{ B(PING), h_ping, REQ_PRELOGIN, NULL, B(PONG), NULL },
	{ B(SUBSCRIBE), push_subscribe, 0, NULL, B(SUBSCRIBED), NULL },
	{ B(UNSUBSCRIBE), push_unsubscribe, 0, NULL, B(OK), NULL },

	READ(LIST_SERIES, "SELECT tafel_list_series($1::bigint)",
	    SERIES_LIST, NULL),
	READ(LIST_MEETINGS, "SELECT tafel_list_meetings($1::bigint, "
	    "coalesce(($2::jsonb->>'series_id')::bigint, 0), "
	    "coalesce(($2::jsonb->>'from')::bigint, 0), "
	    "coalesce(($2::jsonb->>'to')::bigint, 0))", MEETING_LIST,
	    check_list_meetings),
	READ(LIST_MY_ACTIONS, "SELECT tafel_my_actions($1::bigint, "
	    "coalesce(($2::jsonb->>'include_finished')::boolean, false))",
	    ACTION_LIST, NULL),
	READ(GET_CASE, "SELECT tafel_get_case($1::bigint, "
	    "($2::jsonb->>'case_id')::bigint)", CASE_DETAIL, check_get_case),
	READ(LIST_ORGANISATIONS, "SELECT tafel_list_orgs($1::bigint)",
	    ORGANISATION_LIST, NULL),
	READ(LIST_CASES, "SELECT tafel_list_cases($1::bigint, "
	    "coalesce(($2::jsonb->>'include_closed')::boolean, false), "
	    "coalesce(($2::jsonb->>'before_id')::bigint, 0))",
	    CASE_LIST, NULL),
	READ(LIST_EARLIER_CASES, "SELECT tafel_list_earlier_cases($1::bigint, "
	    "($2::jsonb->>'case_id')::bigint)", EARLIER_CASES,
	    check_earlier_cases),
	READ(LIST_NOMINATIONS, "SELECT tafel_list_nominations($1::bigint, "
	    "coalesce(($2::jsonb->>'series_id')::bigint, 0), "
	    "coalesce(($2::jsonb->>'include_decided')::boolean, false))",
	    NOMINATION_LIST, check_list_nominations),
	READ(LIST_INFO_ROUNDS, "SELECT tafel_list_info_rounds($1::bigint, "
	    "coalesce(($2::jsonb->>'case_id')::bigint, 0), "
	    "coalesce(($2::jsonb->>'include_closed')::boolean, false))",
	    INFO_ROUND_LIST, check_list_info_rounds),
	READ(LIST_PROPOSALS, "SELECT tafel_list_proposals($1::bigint, "
	    "coalesce(($2::jsonb->>'series_id')::bigint, 0), "
	    "coalesce(($2::jsonb->>'meeting_id')::bigint, 0))",
	    PROPOSAL_LIST, check_list_proposals),
	READ(LIST_CALENDAR, "SELECT tafel_list_calendar($1::bigint, "
	    "$2::jsonb->>'from', $2::jsonb->>'to')", CALENDAR,
	    check_list_calendar),

	READ(LIST_INBOX, "SELECT tafel_list_inbox($1::bigint, "
	    "coalesce(($2::jsonb->>'unread_only')::boolean, false), "
	    "coalesce(($2::jsonb->>'include_sent')::boolean, false))",
	    INBOX_LIST, NULL),
	READ(GET_MINUTES, "SELECT tafel_get_minutes($1::bigint, "
	    "($2::jsonb->>'meeting_id')::bigint)", MINUTES, check_get_minutes),
	READ(GET_REPORT, "SELECT tafel_report($1::bigint, $2::jsonb->>'from', "
	    "$2::jsonb->>'to')", REPORT, NULL),
	READ(LIST_OPEN_ACTIONS, "SELECT tafel_list_open_actions($1::bigint, "
	    "($2::jsonb->>'meeting_id')::bigint)", ACTION_LIST,
	    check_open_actions),

	WRITE(CREATE_MEETING, "create_meeting", MEETING, check_create_meeting),
	WRITE(OPEN_MEETING, "open_meeting", MEETING, check_meeting_state),
	WRITE(CLOSE_MEETING, "close_meeting", MEETING, check_meeting_state),
	WRITE(RECORD_ATTENDANCE, "record_attendance", ATTENDANCE,
	    check_attendance),
	WRITE(ADD_AGENDA_ITEM, "add_agenda_item", AGENDA, check_add_item),
	WRITE(REMOVE_AGENDA_ITEM, "remove_agenda_item", AGENDA,
	    check_remove_item),
	WRITE(REORDER_AGENDA, "reorder_agenda", AGENDA, check_reorder),
	WRITE(SET_CURRENT_ITEM, "set_current_item", MEETING,
	    check_set_current),
	WRITE(RECORD_DECISION, "record_decision", AGENDA_ITEM, check_decision),
	WRITE(CREATE_ACTION, "create_action", ACTION_POINT,
	    check_create_action),
	WRITE(UPDATE_ACTION, "update_action", ACTION_POINT,
	    check_update_action),
	WRITE(COMPLETE_ACTION, "complete_action", ACTION_POINT,
	    check_finish_action),
	WRITE(CANCEL_ACTION, "cancel_action", ACTION_POINT,
	    check_finish_action),
	WRITE(CREATE_CASE, "create_case", CASE_RECORD, check_create_case),
	WRITE(UPDATE_CASE, "update_case", CASE_RECORD, check_update_case),
	WRITE(ADD_PERSON, "add_person", PERSON, check_add_person),
	WRITE(UPDATE_PERSON, "update_person", PERSON, check_update_person),
	WRITE(MOVE_CASE, "move_case", CASE_RECORD, check_move_case),
	WRITE(ADD_CONTRIBUTION, "add_contribution", CONTRIBUTION,
	    check_add_contribution),
	WRITE(UPDATE_CONTRIBUTION, "update_contribution", CONTRIBUTION,
	    check_update_contribution),
	WRITE(ADD_GOAL, "add_goal", GOAL, check_add_goal),
	WRITE(UPDATE_GOAL, "update_goal", GOAL, check_update_goal),
	WRITE(LINK_PERSONS, "link_persons", PERSON_LINK, check_link_persons),
	WRITE(UPDATE_ROUTING, "update_routing", CASE_RECORD,
	    check_update_routing),
	WRITE(PLAN_MDO, "plan_mdo", MEETING, check_plan_mdo),
	WRITE(PLAN_MEETINGS, "plan_meetings", MEETING_LIST,
	    check_plan_meetings),
	WRITE(MOVE_MEETING, "move_meeting", MEETING, check_move_meeting),
	WRITE(CANCEL_MEETING, "cancel_meeting", MEETING, check_cancel_meeting),
	WRITE(NOMINATE_CASE, "nominate_case", NOMINATION, check_nominate),
	WRITE(ACCEPT_NOMINATION, "accept_nomination", NOMINATION,
	    check_nomination_decision),
	WRITE(DECLINE_NOMINATION, "decline_nomination", NOMINATION,
	    check_nomination_decision),
	WRITE(SET_CLOCK, "set_clock", CASE_RECORD, check_set_clock),
	WRITE(EXTEND_CLOCK, "extend_clock", CASE_RECORD, check_extend_clock),
	WRITE(START_INFO_ROUND, "start_info_round", INFO_ROUND,
	    check_start_info_round),
	WRITE(ANSWER_INFO_ROUND, "answer_info_round", INFO_ROUND,
	    check_answer_info_round),
	WRITE(CLOSE_INFO_ROUND, "close_info_round", INFO_ROUND,
	    check_close_info_round),
	WRITE(DECLINE_PROPOSAL, "decline_proposal", PROPOSAL,
	    check_decline_proposal),
	WRITE(PUBLISH_AGENDA, "publish_agenda", MEETING, check_publish_agenda),

	WRITE(MARK_INBOX_READ, "mark_inbox_read", INBOX_ENTRY,
	    check_mark_inbox_read),

	{ 0, NULL, 0, NULL, 0, NULL }
};
