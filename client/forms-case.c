/* The case's forms: routing (move, lead organisation and case manager, dates, closing), goals, contributions, an MDO, linking action points to goals and nominating it for a meeting. */
#include "forms.h"
#include "forms-int.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "view-pick.h"
#include "views.h"

static const Tafel__Case *
shown_case(struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail(u);

	if (d == NULL) {
		ui_message(u, 1, "%s", _("The case is still loading."));
		return NULL;
	}
	return d->case_;
}

/* What update_routing sends: the case's routing fields as they are, with
 * the changes the form made; rt_seen: the record the form started from
 * (or the CONFLICT's), to tell the user's own changes. */
struct routing {
	int64_t lead_org_id, case_manager_id;
	char end_date[16], review_date[16];
	char closing_reason[2000], evaluation[2000];
};
static struct routing rt, rt_seen;

static void
routing_copy(struct routing *r, const Tafel__Case *c)
{
	r->lead_org_id = c->lead_org_id;
	r->case_manager_id = c->case_manager_id;
	snprintf(r->end_date, sizeof r->end_date, "%s", c->end_date);
	snprintf(r->review_date, sizeof r->review_date, "%s", c->review_date);
	snprintf(r->closing_reason, sizeof r->closing_reason, "%s",
	    c->closing_reason);
	snprintf(r->evaluation, sizeof r->evaluation, "%s", c->evaluation);
}

static void
routing_from(const Tafel__Case *c)
{
	routing_copy(&rt, c);
	routing_copy(&rt_seen, c);
}

/* After a CONFLICT: each field the user left as it was takes the current
 * case's value (update_routing is whole: sending the old one would undo
 * the other's change); the user's own changes stay. */
static void
routing_merge(const Tafel__Case *c)
{
	struct routing cur;

	routing_copy(&cur, c);
	if (rt.lead_org_id == rt_seen.lead_org_id &&
	    rt.case_manager_id == rt_seen.case_manager_id) {
		rt.lead_org_id = cur.lead_org_id;
		rt.case_manager_id = cur.case_manager_id;
	}
#define KEEP_OR_TAKE(f) \
	if (strcmp(rt.f, rt_seen.f) == 0) \
		snprintf(rt.f, sizeof rt.f, "%s", cur.f)
	KEEP_OR_TAKE(end_date);
	KEEP_OR_TAKE(review_date);
	KEEP_OR_TAKE(closing_reason);
	KEEP_OR_TAKE(evaluation);
#undef KEEP_OR_TAKE
	rt_seen = cur;
}

static void
routing_send(struct ui *u, const char *unused)
{
	Tafel__UpdateRoutingRequest r = TAFEL__UPDATE_ROUTING_REQUEST__INIT;

	r.id = fs.id;
	r.version = fs.version;
	r.lead_org_id = rt.lead_org_id;
	r.case_manager_id = rt.case_manager_id;
	r.end_date = rt.end_date;
	r.review_date = rt.review_date;
	r.closing_reason = rt.closing_reason;
	r.evaluation = rt.evaluation;
	form_send(u, TAFEL__ENVELOPE__BODY_UPDATE_ROUTING, &r);
}

/* The case in a write's answer, NULL if none. */
static const Tafel__Case *
reply_case(void)
{
	return fs.reply != NULL && fs.reply->body_case ==
	    TAFEL__ENVELOPE__BODY_CASE_RECORD ? fs.reply->case_record : NULL;
}

/* Says what the routing form changed (rt against rt_seen, the record it
 * started from), not every field update_routing sends. */
static void
routing_saved(struct ui *u)
{
	int who = rt.lead_org_id != rt_seen.lead_org_id ||
	    rt.case_manager_id != rt_seen.case_manager_id;
	int end = strcmp(rt.end_date, rt_seen.end_date) != 0;
	int review = strcmp(rt.review_date, rt_seen.review_date) != 0;
	int reason = strcmp(rt.closing_reason, rt_seen.closing_reason) != 0;
	int evaluation = strcmp(rt.evaluation, rt_seen.evaluation) != 0;

	const Tafel__Case *c = reply_case();
	/* recorded is not closed: m takes that step (and says what is
	 * still missing) */
	int open = c != NULL && c->status != TAFEL__CASE_STATUS__CASE_CLOSED;

	view_case_update(u, c);
	ui_message(u, 0, reason && evaluation && open ?
	    _("Case %s: closing reason and evaluation recorded; the case is "
	    "still open: m closes it.") : reason && evaluation ?
	    _("Case %s: closing reason and evaluation recorded.") :
	    reason ? _("Case %s: closing reason recorded.") :
	    evaluation ? _("Case %s: evaluation recorded.") :
	    who && (end || review) ?
	    _("Case %s: lead organisation, case manager and dates recorded.") :
	    who ? _("Case %s: lead organisation and case manager recorded.") :
	    end && review ? _("Case %s: end date and review date recorded.") :
	    end ? _("Case %s: end date recorded.") :
	    review ? _("Case %s: review date recorded.") :
	    _("Case %s saved; nothing was changed."), fs.what);
}

static int
case_refused(struct ui *u, const Tafel__Error *e)
{
	if (e->current_record_case == TAFEL__ERROR__CURRENT_RECORD_CURRENT_CASE) {
		fs.version = e->current_case->version;
		view_case_update(u, e->current_case);	/* a new try starts
							 * from it */
	}
	return 0;
}

/* The dates and the closing form, changed by someone else meanwhile:
 * merged with the current case and asked again from the first field. */
static int
routing_refused(struct ui *u, const Tafel__Error *e)
{
	if (e->code != TAFEL__ERROR_CODE__CONFLICT ||
	    e->current_record_case != TAFEL__ERROR__CURRENT_RECORD_CURRENT_CASE)
		return 0;
	fs.version = e->current_case->version;
	routing_merge(e->current_case);
	view_case_update(u, e->current_case);
	return 1;
}

static void
routing_reopen(struct ui *u, const Tafel__Error *e)
{
	form_again(u, 0, NULL);
}

/* Who may change a case, for every case form's refusal. */
static const char case_forbidden[] = N_("Only the submitting organisation, "
    "the case manager, a process manager or a chair changes the case.");

static const struct form routing_form = {
	.label = NULL,
	.send = routing_send,
	.refused = case_refused,
	.accepted = routing_saved,
	.forbidden = case_forbidden,
};

static int
case_begin(struct ui *u)
{
	const Tafel__Case *c = shown_case(u);

	if (c == NULL)
		return 0;
	fs.id = c->id;
	fs.version = c->version;
	snprintf(fs.what, sizeof fs.what, "%s", c->number);
	routing_from(c);
	return 1;
}

static void
regie_manager(struct ui *u, const Tafel__User *p)
{
	if (p == NULL) {
		ui_message(u, 1, "%s", _("No case manager chosen: nothing "
		    "changed."));
		return;
	}
	rt.case_manager_id = p->id;
	form_ask(u, &routing_form);
}

/* R: the lead organisation from the organisation picker, then the case
 * manager from that organisation's people. */
static void
regie_org(struct ui *u, const Tafel__Organisation *o)
{
	char title[300];

	if (o == NULL) {
		ui_message(u, 1, "%s", _("No lead organisation chosen: nothing "
		    "changed."));
		return;
	}
	rt.lead_org_id = o->id;
	snprintf(title, sizeof title, _("Case manager of case %s at %s "
	    "(Enter chooses; Esc stops)"), fs.what, o->name);
	view_pick_person_open(u, title, o->id, NULL, 0, regie_manager);
	if (o->id == rt_seen.lead_org_id)	/* the current one first */
		pick_start_on(rt_seen.case_manager_id);
}

void
forms_case_regie(struct ui *u)
{
	char title[300];

	if (!case_begin(u))
		return;
	snprintf(title, sizeof title, _("Lead organisation of case %s (type "
	    "a name; Enter chooses; Esc stops)"), fs.what);
	view_pick_org_open(u, title, NULL, regie_org);
	pick_start_on(rt.lead_org_id);	/* the current one, if any */
}

/* A review comes before the end: a review date after the end date is
 * refused here, before the write (the server refuses it too).  The end
 * date is the one just typed, or the case's. */
static const char *
review_check(struct ui *u, const char *text)
{
	static char why[300];

	if (rt.review_date[0] == '\0' || rt.end_date[0] == '\0' ||
	    strcmp(rt.review_date, rt.end_date) <= 0)	/* YYYY-MM-DD */
		return NULL;
	snprintf(why, sizeof why, _("The review (%s) is after the end date "
	    "(%s): a review comes before the end. Type an earlier date."),
	    rt.review_date, rt.end_date);
	return why;
}

static const struct field dates_fields[] = {
	{ .label = N_("End date (e.g. 3-3-2027, +90; empty: none)"), .kind = ASK_DATE,
	  .text = rt.end_date, .size = sizeof rt.end_date },
	{ .label = N_("Review date (e.g. 1-2-2027, +60; empty: none)"), .kind = ASK_DATE,
	  .text = rt.review_date, .size = sizeof rt.review_date,
	  .check = review_check },
	{ .label = NULL }
};

static const struct form dates_form = {
	.fields = dates_fields,
	.send = routing_send,
	.refused = routing_refused,
	.reopen = routing_reopen,
	.accepted = routing_saved,
	.forbidden = case_forbidden,
};

/* E: the end and the review date. */
void
forms_case_dates(struct ui *u)
{
	if (case_begin(u))
		form_ask(u, &dates_form);
}

static const struct field close_fields[] = {
	{ .label = N_("Closing reason"), .kind = ASK_TEXT,
	  .text = rt.closing_reason, .size = sizeof rt.closing_reason },
	{ .label = N_("Evaluation (short)"), .kind = ASK_TEXT,
	  .text = rt.evaluation, .size = sizeof rt.evaluation },
	{ .label = NULL }
};

static const struct form close_form = {
	.fields = close_fields,
	.send = routing_send,
	.refused = routing_refused,
	.reopen = routing_reopen,
	.accepted = routing_saved,
	.forbidden = case_forbidden,
};

/* F: the closing reason and the evaluation. */
void
forms_case_close(struct ui *u)
{
	if (case_begin(u))
		form_ask(u, &close_form);
}

/* m: one step along the routing; the prompt offers the next status (into
 * fs.user_id). */

/* The routing's steps, as the server allows them (case_transitions,
 * docs/protocol.md move_case), the usual next step of each status first:
 * it is the one offered. */
static const struct {
	Tafel__CaseStatus from, to;
} moves[] = {
	{ TAFEL__CASE_STATUS__CASE_SIGNAL, TAFEL__CASE_STATUS__CASE_SCREENING },
	{ TAFEL__CASE_STATUS__CASE_SCREENING,
	  TAFEL__CASE_STATUS__CASE_INFO_ROUND },
	{ TAFEL__CASE_STATUS__CASE_SCREENING, TAFEL__CASE_STATUS__CASE_CLOSED },
	{ TAFEL__CASE_STATUS__CASE_INFO_ROUND,
	  TAFEL__CASE_STATUS__CASE_DIRECTION },
	{ TAFEL__CASE_STATUS__CASE_INFO_ROUND, TAFEL__CASE_STATUS__CASE_CLOSED },
	{ TAFEL__CASE_STATUS__CASE_DIRECTION, TAFEL__CASE_STATUS__CASE_PLAN },
	{ TAFEL__CASE_STATUS__CASE_DIRECTION, TAFEL__CASE_STATUS__CASE_CLOSED },
	{ TAFEL__CASE_STATUS__CASE_PLAN, TAFEL__CASE_STATUS__CASE_IN_PROGRESS },
	{ TAFEL__CASE_STATUS__CASE_IN_PROGRESS,
	  TAFEL__CASE_STATUS__CASE_MONITORING },
	{ TAFEL__CASE_STATUS__CASE_MONITORING, TAFEL__CASE_STATUS__CASE_CLOSED },
	{ TAFEL__CASE_STATUS__CASE_MONITORING,
	  TAFEL__CASE_STATUS__CASE_IN_PROGRESS },
	{ TAFEL__CASE_STATUS__CASE_CLOSED, TAFEL__CASE_STATUS__CASE_SCREENING },
};

static int64_t move_from;		/* the status the form started at */
static char move_to[64];		/* the status typed (offered: the next) */

/* The statuses the routing goes to from status from, "a, b" (first: the
 * usual next one); 0 when none. */
static int
moves_from(int64_t from, char *buf, size_t len)
{
	int n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].from == from)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			    n++ ? ", " : "", ui_enum(
			    &tafel__case_status__descriptor, (int)moves[i].to));
	return n;
}

/*
 * The status typed (its label, either language, or its start): one the
 * routing goes to from where the case is, into fs.user_id.  Else what
 * is possible: the server's refusal ("not possible in the current state")
 * says neither which phases there are nor which step would do.
 */
static const char *
move_check(struct ui *u, const char *text)
{
	static char why[600];
	const char *from = ui_enum(&tafel__case_status__descriptor,
	    (int)move_from);
	char next[300], all[300] = "";
	int to = enum_from_text(&tafel__case_status__descriptor, text);

	moves_from(move_from, next, sizeof next);
	if (to < 0) {
		const ProtobufCEnumDescriptor *d =
		    &tafel__case_status__descriptor;

		for (unsigned i = 0; i < d->n_values; i++)
			snprintf(all + strlen(all), sizeof all - strlen(all),
			    "%s%s", i ? ", " : "",
			    ui_enum(d, d->values[i].value));
		snprintf(why, sizeof why, _("Unknown phase. From %s: %s. "
		    "Phases: %s."), from, next, all);
		return why;
	}
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].from == move_from && (int)moves[i].to == to) {
			fs.user_id = to;
			return NULL;
		}
	snprintf(why, sizeof why, _("From %s the case cannot go to %s, only "
	    "to: %s."), from, ui_enum(&tafel__case_status__descriptor, to),
	    next);
	return why;
}

static void
move_send(struct ui *u, const char *unused)
{
	Tafel__MoveCaseRequest r = TAFEL__MOVE_CASE_REQUEST__INIT;

	r.id = fs.id;
	r.version = fs.version;
	r.to = (Tafel__CaseStatus)fs.user_id;
	form_send(u, TAFEL__ENVELOPE__BODY_MOVE_CASE, &r);
}

static void
moved(struct ui *u)
{
	const Tafel__CaseDetail *d;
	size_t asked = 0, answered = 0;
	int open = 0;

	view_case_update(u, reply_case());
	d = view_case_detail(u);
	/* the step does not wait for an info round still open: said, so
	 * that its answers are not forgotten */
	for (size_t i = 0; d != NULL && i < d->n_info_rounds; i++) {
		const Tafel__InfoRound *r = d->info_rounds[i];

		if (r->state != TAFEL__INFO_ROUND_STATE__INFO_ROUND_OPEN)
			continue;
		open = 1;
		for (size_t k = 0; k < r->n_asked; k++) {
			asked++;
			answered += r->asked[k]->answer !=
			    TAFEL__INFO_ANSWER__INFO_PENDING;
		}
	}
	if (open)
		ui_message(u, 0, _("Case %s: now at %s. Its info round is still "
		    "open (%zu of %zu answered)."), fs.what,
		    ui_enum(&tafel__case_status__descriptor, (int)fs.user_id),
		    answered, asked);
	else
		ui_message(u, 0, _("Case %s: now at %s."), fs.what,
		    ui_enum(&tafel__case_status__descriptor, (int)fs.user_id));
}

/* Someone else changed the case meanwhile: asked again, with its version
 * now (the error shows the case as it is); a step the server refuses
 * without naming missing data (the case moved on meanwhile) is asked again
 * too, from the status it is at if the case came along.  One that lacks
 * data (R, g, F first) closes: the prompt cannot give it. */
static int
move_refused(struct ui *u, const Tafel__Error *e)
{
	const Tafel__Case *cur = e->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_CASE ? e->current_case : NULL;

	if (cur != NULL) {
		fs.version = cur->version;
		move_from = cur->status;
		view_case_update(u, cur);
	}
	if (e->code == TAFEL__ERROR_CODE__CONFLICT)
		return cur != NULL;
	return e->code == TAFEL__ERROR_CODE__INVALID_TRANSITION &&
	    e->n_missing == 0;
}

static const struct field move_fields[] = {
	{ .label = N_("Move case %s to"), .kind = ASK_TEXT, .replace = 1,
	  .required = 1, .missing = N_("Type the phase to move the case to."),
	  .text = move_to, .size = sizeof move_to, .check = move_check },
	{ .label = NULL }
};

static const struct form move_form = {
	.fields = move_fields,
	.send = move_send,
	.refused = move_refused,
	.accepted = moved,
	.forbidden = N_("Only a chair, the case's process manager or its case "
	    "manager moves the case on."),
};

void
forms_case_move(struct ui *u)
{
	const Tafel__Case *c;

	if (!case_begin(u))
		return;
	c = shown_case(u);
	if (c->status == TAFEL__CASE_STATUS__CASE_CLOSED) {
		ui_message(u, 1, "%s", _("The case is closed."));
		return;
	}
	move_from = c->status;
	fs.user_id = move_from;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (moves[i].from == move_from) {
			fs.user_id = moves[i].to;
			break;
		}
	snprintf(move_to, sizeof move_to, "%s",
	    ui_enum(&tafel__case_status__descriptor, (int)fs.user_id));
	form_ask(u, &move_form);
}

/* g: a goal of the case's plan. */
static void
goal_send(struct ui *u, const char *text)
{
	Tafel__GoalRequest r = TAFEL__GOAL_REQUEST__INIT;
	Tafel__Goal g = TAFEL__GOAL__INIT;

	g.case_id = fs.id;
	g.description = (char *)text;
	r.goal = &g;
	form_send(u, TAFEL__ENVELOPE__BODY_ADD_GOAL, &r);
}

static void
goal_added(struct ui *u)
{
	ui_message(u, 0, _("Goal added to case %s."), fs.what);
}

static const struct field goal_fields[] = {
	{ .label = N_("New goal of case %s"), .kind = ASK_TEXT, .required = 1,
	  .missing = N_("Describe the goal.") },
	{ .label = NULL }
};

static const struct form goal_form = {
	.fields = goal_fields,
	.send = goal_send,
	.refused = retry_refused,
	.accepted = goal_added,
	.forbidden = case_forbidden,
};

void
forms_case_goal(struct ui *u)
{
	if (case_begin(u))
		form_start(u, &goal_form, "");
}

/* b: my organisation's contribution: facts, then its judgement; an
 * existing one of my organisation is edited. */
static struct {
	int64_t id, version;
	char facts[4000], judgement[4000];
} contrib;

static void
contrib_send(struct ui *u, const char *unused)
{
	Tafel__AddContributionRequest a = TAFEL__ADD_CONTRIBUTION_REQUEST__INIT;
	Tafel__UpdateContributionRequest up =
	    TAFEL__UPDATE_CONTRIBUTION_REQUEST__INIT;

	if (contrib.id != 0) {
		up.id = contrib.id;
		up.version = contrib.version;
		up.facts = contrib.facts;
		up.judgement = contrib.judgement;
		form_send(u, TAFEL__ENVELOPE__BODY_UPDATE_CONTRIBUTION, &up);
		return;
	}
	a.case_id = fs.id;
	a.facts = contrib.facts;
	a.judgement = contrib.judgement;
	form_send(u, TAFEL__ENVELOPE__BODY_ADD_CONTRIBUTION, &a);
}

static void
contrib_saved(struct ui *u)
{
	ui_message(u, 0, _("Contribution of your organisation to case %s "
	    "recorded."), fs.what);
}

static const struct field contrib_fields[] = {
	{ .label = N_("What your organisation knows of case %s (facts)"),
	  .kind = ASK_TEXT, .text = contrib.facts,
	  .size = sizeof contrib.facts },
	{ .label = N_("Your judgement on case %s"), .kind = ASK_TEXT,
	  .text = contrib.judgement, .size = sizeof contrib.judgement },
	{ .label = NULL }
};

/* The case read again after a CONFLICT on my organisation's contribution:
 * the version to save against now, and what the other wrote, said. */
static void
contrib_current(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	const Tafel__CaseDetail *d;

	(void)n;
	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_CASE_DETAIL ||
	    (d = m->case_detail) == NULL)
		return;
	for (size_t i = 0; i < d->n_contributions; i++) {
		const Tafel__Contribution *k = d->contributions[i];

		if (k->id != contrib.id)
			continue;
		contrib.version = k->version;
		ui_message(u, 1, _("Someone else changed this in the meantime; "
		    "Enter saves your text over it. Now: facts «%s» · "
		    "judgement «%s» (version %lld)"), k->facts, k->judgement,
		    (long long)k->version);
		return;
	}
}

/*
 * A CONFLICT carries no current contribution (docs/protocol.md 5.6): the
 * case is read again for its version and the other's text, the form
 * stays with what the user typed (without the new version every Enter
 * would conflict again).
 */
static int
contrib_refused(struct ui *u, const Tafel__Error *e)
{
	Tafel__GetCaseRequest r = TAFEL__GET_CASE_REQUEST__INIT;

	if (e->code == TAFEL__ERROR_CODE__CONFLICT && contrib.id != 0) {
		r.case_id = fs.id;
		net_send_body(u->net, TAFEL__ENVELOPE__BODY_GET_CASE, &r,
		    NET_REQ_READ, NULL, contrib_current, u);
	}
	return 1;
}

static const struct form contrib_form = {
	.fields = contrib_fields,
	.send = contrib_send,
	.refused = contrib_refused,
	.accepted = contrib_saved,
};

/* The answer to "contributing involves your organisation: go on?". */
static void
contrib_confirmed(struct ui *u, const char *text)
{
	if (!ui_yes(text)) {
		ui_message(u, 0, "%s", _("No contribution made; your "
		    "organisation is still not involved."));
		return;
	}
	form_ask(u, &contrib_form);
}

/*
 * Contributing makes the organisation involved in the case (docs/
 * security.md rule 7): from then on it sees the case's names, birth dates
 * and texts, and that is recorded.  An organisation that is not involved
 * yet (the case came redacted for it as not_involved: it knows the case
 * from an agenda or an info round) is asked first, before it types
 * anything; one already involved is not.
 */
void
forms_case_contribution(struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail(u);

	if (!case_begin(u))
		return;
	memset(&contrib, 0, sizeof contrib);
	for (size_t i = 0; i < d->n_contributions; i++)
		if (d->contributions[i]->org_id == u->my_org_id) {
			contrib.id = d->contributions[i]->id;
			contrib.version = d->contributions[i]->version;
			snprintf(contrib.facts, sizeof contrib.facts, "%s",
			    d->contributions[i]->facts);
			snprintf(contrib.judgement, sizeof contrib.judgement,
			    "%s", d->contributions[i]->judgement);
		}
	if (contrib.id == 0 &&
	    strcmp(d->case_->redaction_reason, "not_involved") == 0) {
		char label[300];

		snprintf(label, sizeof label, _("Contribution to case %s: go "
		    "on? (y/n)"), fs.what);
		ui_ask_yesno(u, label, contrib_confirmed);
		/* above the question, which it would not fit in; it stays
		 * until the answer (as an error does, not as news) */
		ui_message(u, 1, "%s", _("Contributing makes your organisation "
		    "involved in this case, and it then sees the case in full "
		    "(this is recorded)."));
		return;
	}
	form_ask(u, &contrib_form);
}

/* M: an ad-hoc MDO for this case, inviting only those involved. */
static int64_t mdo_start;

static void
mdo_send(struct ui *u, const char *unused)
{
	Tafel__PlanMdoRequest r = TAFEL__PLAN_MDO_REQUEST__INIT;

	r.case_id = fs.id;
	r.scheduled_start = mdo_start;
	form_send(u, TAFEL__ENVELOPE__BODY_PLAN_MDO, &r);
}

static void
mdo_planned(struct ui *u)
{
	ui_message(u, 0, _("MDO for case %s planned; only the organisations "
	    "involved are invited."), fs.what);
}

static const struct field mdo_fields[] = {
	{ .label = N_("MDO for case %s on (date time)"), .kind = ASK_WHEN,
	  .num = &mdo_start },
	{ .label = NULL }
};

static const struct form mdo_form = {
	.fields = mdo_fields,
	.send = mdo_send,
	.refused = retry_refused,
	.accepted = mdo_planned,
};

void
forms_case_mdo(struct ui *u)
{
	if (case_begin(u))
		form_ask(u, &mdo_form);
}

/* L: links an action point of the case to a goal ("2 1": action point 2 of
 * the list to goal 1; goal 0 unlinks). */
static int link_action, link_goal;

static const char *
link_check(struct ui *u, const char *text)
{
	static char why[300];
	const Tafel__CaseDetail *d = view_case_detail(u);
	char end;

	link_action = 0;
	link_goal = -1;
	if (d == NULL || sscanf(text, "%d %d %c", &link_action, &link_goal,
	    &end) != 2 || link_action < 0 || link_goal < 0)
		return _("Type the number of the action point, then of the goal "
		    "(0: none), e.g. 1 2.");
	/* numbers as the case view shows them: say which one is not there */
	if (link_action < 1 || (size_t)link_action > d->n_actions)
		snprintf(why, sizeof why, ngettext("There is no action point "
		    "%d: the case has %zu action point.", "There is no action "
		    "point %d: the case has %zu action points.", d->n_actions),
		    link_action, d->n_actions);
	else if ((size_t)link_goal > d->n_goals)
		snprintf(why, sizeof why, ngettext("There is no goal %d: the "
		    "case has %zu goal (0: none).", "There is no goal %d: the "
		    "case has %zu goals (0: none).", d->n_goals), link_goal,
		    d->n_goals);
	/* a finished one keeps its goal (update_action: open ones only) */
	else if (d->actions[link_action - 1]->state !=
	    TAFEL__ACTION_STATE__ACTION_OPEN)
		snprintf(why, sizeof why, _("Action point %d is no longer open: "
		    "only open ones are linked."), link_action);
	/* said at once: the server answers "not found" for an action point
	 * the user may not change (docs/protocol.md 9.2) */
	else if (!forms_action_may_change_in(u, d->actions[link_action - 1],
	    d->case_))
		return _("Only its owner, the case manager or a chair changes "
		    "this action point.");
	else
		return NULL;
	return why;
}

static void
link_send(struct ui *u, const char *unused)
{
	const Tafel__CaseDetail *d = view_case_detail(u);
	Tafel__UpdateActionRequest r = TAFEL__UPDATE_ACTION_REQUEST__INIT;
	const Tafel__ActionPoint *a;

	if (d == NULL || link_check(u, fs.text) != NULL)
		return;			/* the case view changed meanwhile */
	a = d->actions[link_action - 1];
	fs.user_id = link_goal;
	r.id = a->id;
	r.version = a->version;
	r.description = a->description;
	r.owner_org_id = a->owner_org_id;
	r.owner_user_id = a->owner_user_id;
	r.due_date = a->due_date;
	r.goal_id = link_goal > 0 ? d->goals[link_goal - 1]->id : 0;
	form_send(u, TAFEL__ENVELOPE__BODY_UPDATE_ACTION, &r);
}

static void
linked(struct ui *u)
{
	if (fs.user_id > 0)
		ui_message(u, 0, _("Action point linked to goal %d."),
		    (int)fs.user_id);
	else
		ui_message(u, 0, "%s", _("Action point no longer linked to a "
		    "goal."));
}

static const struct field link_fields[] = {
	{ .label = N_("Link action point to goal (action number, goal number, "
	  "e.g. 1 2)"),
	  .kind = ASK_TEXT, .check = link_check },
	{ .label = NULL }
};

static const struct form link_form = {
	.fields = link_fields,
	.send = link_send,
	.refused = retry_refused,
	.accepted = linked,
};

void
forms_case_link(struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail(u);

	if (!case_begin(u))
		return;
	if (d->n_actions == 0 || d->n_goals == 0) {
		ui_message(u, 1, "%s", d->n_goals == 0 ? _("The case has no goals "
		    "yet (g).") : _("The case has no action points yet."));
		return;
	}
	form_start(u, &link_form, "");
}

/* N in a case: the series (of those my organisation takes part in), then
 * the reason. */
static void
nominate_send(struct ui *u, const char *text)
{
	Tafel__NominateCaseRequest r = TAFEL__NOMINATE_CASE_REQUEST__INIT;

	r.series_id = fs.series_id;
	r.case_id = fs.id;
	r.reason = (char *)text;
	form_send(u, TAFEL__ENVELOPE__BODY_NOMINATE_CASE, &r);
}

static void
nominated(struct ui *u)
{
	ui_message(u, 0, _("Case %s nominated; the chair decides."), fs.what);
}

/* The series, and whether the case is on its next meeting's agenda
 * already (the case's history names it): then the server refuses the
 * nomination, and it says so now, before the reason is typed (it said so
 * after, and the reason was lost). */
static const char *
nominate_series_check(struct ui *u, const char *text)
{
	static char why[300];
	const char *refused = series_check(u, text);
	const Tafel__CaseDetail *d = view_case_detail(u);
	const Tafel__Meeting *next;
	char when[40], at[48];

	if (refused != NULL || d == NULL ||
	    (next = view_meetings_next_of_series(u, fs.series_id)) == NULL)
		return refused;
	for (size_t i = 0; i < d->n_history; i++)
		if (d->history[i]->meeting_id == next->id) {
			ui_date(next->scheduled_start, when, sizeof when);
			snprintf(at, sizeof at, " (%s)", when);
			snprintf(why, sizeof why, _("The case is already on the "
			    "agenda of the series' next meeting%s: no "
			    "nomination needed."), at);
			return why;
		}
	return NULL;
}

static const struct field nominate_fields[] = {
	{ .label = N_("Nominate for series"), .kind = ASK_TEXT,
	  .text = fs.series_name, .size = sizeof fs.series_name,
	  .check = nominate_series_check, .skip = series_not_offered,
	  .replace = 1 },
	{ .label = N_("Nominate for series (type its name)"), .kind = ASK_TEXT,
	  .text = fs.series_name, .size = sizeof fs.series_name,
	  .check = nominate_series_check, .skip = series_offered },
	{ .label = N_("Why discuss case %s? (reason)"), .kind = ASK_TEXT },
	{ .label = NULL }
};

/* Nominated already, or on the next agenda already (the message says
 * which): nothing to ask again. */
static int
nominate_refused(struct ui *u, const Tafel__Error *e)
{
	(void)u;
	return !(e->code == TAFEL__ERROR_CODE__INVALID_ARGUMENT &&
	    strcmp(e->field, "case_id") == 0);
}

static const struct form nominate_form = {
	.fields = nominate_fields,
	.send = nominate_send,
	.refused = nominate_refused,
	.accepted = nominated,
};

void
forms_nominate(struct ui *u)
{
	/* a series of the case's district is the one most likely meant */
	if (case_begin(u))
		series_ask(u, &nominate_form, 0, shown_case(u)->district);
}
