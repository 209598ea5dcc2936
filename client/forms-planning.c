/* Planning: planning, moving and cancelling meetings (meetings list), and taking items off or reordering the agenda (meeting view). */
#include "forms.h"
#include "forms-int.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

/* --- planning: plan, move and cancel meetings ----------------------------- */

/* N: series → first date → time → every N weeks (0: once) → until. */
static struct {
	char first[16], time[8], until[16];
	int64_t every;
} plan;

static void
plan_send(struct ui *u, const char *unused)
{
	Tafel__PlanMeetingsRequest r = TAFEL__PLAN_MEETINGS_REQUEST__INIT;

	r.series_id = fs.series_id;
	r.first_date = plan.first;
	r.time = plan.time;
	r.every_weeks = (uint32_t)plan.every;
	r.until = plan.every != 0 ? plan.until : "";
	form_send(u, TAFEL__ENVELOPE__BODY_PLAN_MEETINGS, &r);
}

static void
planned(struct ui *u)
{
	size_t n = fs.reply != NULL && fs.reply->body_case ==
	    TAFEL__ENVELOPE__BODY_MEETING_LIST ?
	    fs.reply->meeting_list->n_meetings : 0;

	ui_message(u, 0, ngettext("%zu meeting of %s planned.",
	    "%zu meetings of %s planned.", n), n, fs.what);
}

/* The series by name; the messages name it. */
static const char *
plan_series_check(struct ui *u, const char *text)
{
	const char *why = series_check(u, text);

	for (size_t i = 0; why == NULL && i < fs.series->n_series; i++)
		if (fs.series->series[i]->id == fs.series_id)
			quote(fs.what, sizeof fs.what,
			    fs.series->series[i]->name);
	return why;
}

static int
once(void)
{
	return plan.every == 0;
}

/* What is offered for a date is a default, replaced by typing. */
static const struct field plan_fields[] = {
	{ .label = N_("Plan meetings of series"), .kind = ASK_TEXT,
	  .text = fs.series_name, .size = sizeof fs.series_name,
	  .check = plan_series_check, .skip = series_not_offered,
	  .replace = 1 },
	{ .label = N_("Plan meetings of series (type its name)"),
	  .kind = ASK_TEXT, .text = fs.series_name,
	  .size = sizeof fs.series_name, .check = plan_series_check,
	  .skip = series_offered },
	{ .label = N_("First date (e.g. 8-12, +7, friday)"), .kind = ASK_DATE,
	  .required = 1,
	  .missing = N_("Type a date, e.g. 8-12-2026, 8/12, tomorrow or +7."),
	  .text = plan.first, .size = sizeof plan.first },
	{ .label = N_("Time (HH:MM)"), .kind = ASK_TIME,
	  .text = plan.time, .size = sizeof plan.time },
	{ .label = N_("Every how many weeks? (0: once)"), .kind = ASK_NUMBER,
	  .num = &plan.every, .min = 0, .max = 52,
	  .wrong = N_("Type a number of weeks, 0 for one meeting.") },
	{ .label = N_("Until (date, e.g. 1-3-2027, +90)"), .kind = ASK_DATE,
	  .required = 1,
	  .missing = N_("Type a date, e.g. 8-12-2026, 8/12, tomorrow or +7."),
	  .text = plan.until, .size = sizeof plan.until, .skip = once },
	{ .label = NULL }
};

static const struct form plan_form = {
	.fields = plan_fields,
	.send = plan_send,
	.accepted = planned,
	.forbidden = N_("Only a chair or an administrator plans, moves or "
	    "cancels meetings."),
};

void
forms_plan_meetings(struct ui *u)
{
	memset(&plan, 0, sizeof plan);
	snprintf(plan.time, sizeof plan.time, "%s", "13:30");
	snprintf(plan.until, sizeof plan.until, "%s", "+90");
	/* the selected meeting's series is the one most likely meant */
	series_ask(u, &plan_form, view_meetings_selected(u) != NULL ?
	    view_meetings_selected(u)->series_id : 0, NULL);
}

static int
meeting_refused(struct ui *u, const Tafel__Error *e)
{
	if (e->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_MEETING)
		fs.version = e->current_meeting->version;
	return 1;
}

/* V: a planned meeting to another day and time. */
static int64_t meeting_start;

static void
move_meeting_send(struct ui *u, const char *unused)
{
	Tafel__MoveMeetingRequest r = TAFEL__MOVE_MEETING_REQUEST__INIT;

	r.meeting_id = fs.id;
	r.version = fs.version;
	r.scheduled_start = meeting_start;
	form_send(u, TAFEL__ENVELOPE__BODY_MOVE_MEETING, &r);
}

static void
meeting_moved(struct ui *u)
{
	char when[40];

	ui_date(meeting_start, when, sizeof when);
	ui_message(u, 0, _("Meeting %s moved to %s."), fs.what, when);
}

static const struct field move_meeting_fields[] = {
	{ .label = N_("Move meeting %s to (date time)"), .kind = ASK_WHEN,
	  .num = &meeting_start },
	{ .label = NULL }
};

static const struct form move_meeting_form = {
	.fields = move_meeting_fields,
	.send = move_meeting_send,
	.refused = meeting_refused,
	.accepted = meeting_moved,
	.forbidden = N_("Only a chair or an administrator plans, moves or "
	    "cancels meetings."),
};

/* X: a reason (every partner sees the meeting "cancelled"; it cannot be
 * undone, so an empty Enter must not do it), then a last y/n. */
static struct {
	char reason[TAFEL_MAX_TEXT + 1];
	int64_t sure;
} cancel;

static void
cancel_meeting_send(struct ui *u, const char *unused)
{
	Tafel__CancelMeetingRequest r = TAFEL__CANCEL_MEETING_REQUEST__INIT;

	if (!cancel.sure) {
		ui_message(u, 0, _("Meeting %s not cancelled."), fs.what);
		return;
	}
	r.meeting_id = fs.id;
	r.version = fs.version;
	r.reason = cancel.reason;
	form_send(u, TAFEL__ENVELOPE__BODY_CANCEL_MEETING, &r);
}

static void
meeting_cancelled(struct ui *u)
{
	ui_message(u, 0, _("Meeting %s cancelled; the cases on its agenda are "
	    "proposed for the next one (v)."), fs.what);
}

/* Refused (a conflict, a reason too long): the reason again, as typed. */
static void
cancel_meeting_reopen(struct ui *u, const Tafel__Error *e)
{
	form_again(u, 0, cancel.reason);
}

static const struct field cancel_meeting_fields[] = {
	{ .label = N_("Cancel meeting %s, reason"), .kind = ASK_TEXT,
	  .required = 1, .missing = N_("A reason is required: every partner "
	  "sees why the meeting is off. Esc keeps the meeting."),
	  .text = cancel.reason, .size = sizeof cancel.reason },
	{ .label = N_("Cancel meeting %s for good? (y/n)"),
	  .kind = ASK_YESNO, .num = &cancel.sure },
	{ .label = NULL }
};

static const struct form cancel_meeting_form = {
	.fields = cancel_meeting_fields,
	.send = cancel_meeting_send,
	.refused = meeting_refused,
	.reopen = cancel_meeting_reopen,
	.accepted = meeting_cancelled,
	.forbidden = N_("Only a chair or an administrator plans, moves or "
	    "cancels meetings."),
};

static int
planned_meeting(struct ui *u)
{
	const Tafel__Meeting *m = view_meetings_selected(u);
	char when[40], series[80];

	if (m == NULL) {
		ui_message(u, 1, "%s", _("No meeting selected."));
		return 0;
	}
	if (m->state != TAFEL__MEETING_STATE__MEETING_PLANNED) {
		ui_message(u, 1, "%s", _("Only a planned meeting can be moved or "
		    "cancelled."));
		return 0;
	}
	fs.id = m->id;
	fs.version = m->version;
	ui_date(m->scheduled_start, when, sizeof when);
	/* short enough for the prompt and the status line at 80 columns,
	 * and long enough for a name like "WZT Enschede-Noord" */
	layout_fit(series, sizeof series, m->series_name, 20);
	for (size_t n = strlen(series); n > 0 && series[n - 1] == ' '; n--)
		series[n - 1] = '\0';
	snprintf(fs.what, sizeof fs.what, "'%s%s' %s", series,
	    layout_width(m->series_name) > 20 ? "…" : "", when);
	return 1;
}

void
forms_move_meeting(struct ui *u)
{
	if (planned_meeting(u))
		form_start(u, &move_meeting_form, "");
}

void
forms_cancel_meeting(struct ui *u)
{
	if (planned_meeting(u)) {
		memset(&cancel, 0, sizeof cancel);
		form_start(u, &cancel_meeting_form, "");
	}
}

/* --- the agenda: remove and reorder --------------------------------------- */

static void
remove_confirmed(struct ui *u, const char *text)
{
	Tafel__RemoveAgendaItemRequest r =
	    TAFEL__REMOVE_AGENDA_ITEM_REQUEST__INIT;

	if (!ui_yes(text))
		return;
	r.item_id = fs.id;
	r.version = fs.version;
	ui_send(u, TAFEL__ENVELOPE__BODY_REMOVE_AGENDA_ITEM, &r, NET_REQ_WRITE,
	    NULL);
	ui_message(u, 0, _("Case %s taken off the agenda."), fs.what);
}

/* The action points agreed on case_id in this meeting: they stay when its
 * item goes, but the chair should know they hang off it. */
static size_t
item_actions(struct ui *u, int64_t case_id)
{
	size_t n = 0;

	for (size_t i = 0; i < u->meeting.actions.n; i++) {
		const Tafel__ActionPoint *a = (const Tafel__ActionPoint *)
		    u->meeting.actions.v[i].msg;

		n += a->case_id == case_id &&
		    a->meeting_id == u->meeting.meeting_id;
	}
	return n;
}

/*
 * D: asked first, naming the case; an item with a decision says that the
 * decision goes with it (there is no undo: put back, the item starts
 * without one), and the action points agreed on it here are mentioned.
 */
void
forms_remove_item(struct ui *u)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);
	char label[400];
	size_t actions;
	int decided;

	if (!need_meeting(u))
		return;
	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	fs.id = it->id;
	fs.version = it->version;
	snprintf(fs.what, sizeof fs.what, "%s", item_case(u, it));
	decided = !form_blank(it->decision);
	actions = item_actions(u, it->case_id);
	if (decided && actions > 0)	/* each within a line of 80 */
		snprintf(label, sizeof label, ngettext("The decision on case %s "
		    "is lost; %zu action point stays. Remove it anyway? (y/n)",
		    "The decision on case %s is lost; %zu action points stay. "
		    "Remove it anyway? (y/n)", actions), fs.what, actions);
	else if (decided)
		snprintf(label, sizeof label, _("The decision on case %s is "
		    "lost. Take it off the agenda anyway? (y/n)"), fs.what);
	else if (actions > 0)
		snprintf(label, sizeof label, ngettext("Case %s has %zu action "
		    "point from this meeting (it stays). Remove it anyway? (y/n)",
		    "Case %s has %zu action points from this meeting (they "
		    "stay). Remove it anyway? (y/n)", actions), fs.what, actions);
	else
		snprintf(label, sizeof label, _("Take case %s off the agenda? "
		    "(y/n)"), fs.what);
	ui_ask_yesno(u, label, remove_confirmed);
}

/*
 * J and K: the selected item one place down or up, each press counted.  A
 * press moves the item from where the presses before it put it, not from
 * the agenda on screen: that follows only when the server's event comes,
 * so a burst (K K K) counted from it moved the item one place.  One
 * reorder is out at a time (two writes may run in either order,
 * docs/protocol.md 5.1); the presses made meanwhile go as one reorder, the
 * whole order they lead to, when it is answered.
 */
#define ORDER_MAX 256
#define ORDER_SEEN 8

static struct {
	int64_t meeting_id;		/* the meeting of the presses; 0: none */
	int64_t want[ORDER_MAX];	/* the order the presses lead to */
	size_t n;
	/* the orders the agenda on screen may still show while their events
	 * come: the one at the first press and those sent since (the last
	 * ORDER_SEEN) */
	int64_t seen[ORDER_SEEN][ORDER_MAX];
	size_t n_seen;
	int out;			/* a reorder is out */
	int again;			/* pressed since: send want when answered */
} order;

static void
order_seen(void)
{
	memcpy(order.seen[order.n_seen++ % ORDER_SEEN], order.want,
	    order.n * sizeof order.want[0]);
}

/* The agenda's order on screen into ids (at most ORDER_MAX); its length. */
static size_t
agenda_order(struct ui *u, int64_t *ids)
{
	size_t n = 0;

	for (size_t i = 0; i < u->meeting.agenda.n && n < ORDER_MAX; i++)
		ids[n++] = model_item_at(&u->meeting, i)->id;
	return n;
}

static void reorder_send(struct ui *u);

static void
reordered(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	order.out = 0;
	if (m == NULL || m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		/* e.g. an item added meanwhile: the agenda on screen is the
		 * one to press on from */
		order.meeting_id = 0;
		order.again = 0;
		if (m != NULL)
			ui_show_error(u, m->error);
		return;
	}
	if (order.again && order.meeting_id == u->meeting.meeting_id)
		reorder_send(u);
	order.again = 0;
}

static void
reorder_send(struct ui *u)
{
	Tafel__ReorderAgendaRequest r = TAFEL__REORDER_AGENDA_REQUEST__INIT;

	r.meeting_id = order.meeting_id;
	r.n_item_ids = order.n;
	r.item_ids = order.want;
	order.out = 1;
	order_seen();
	ui_send(u, TAFEL__ENVELOPE__BODY_REORDER_AGENDA, &r, NET_REQ_WRITE,
	    reordered);
}

/* Where a press starts: the order the presses before it lead to, while
 * one is out or the agenda on screen shows an order of theirs (its event
 * is still to come) with the same items; else the agenda on screen (an
 * item added, someone else's reorder). */
static void
order_from(struct ui *u)
{
	int64_t now[ORDER_MAX];
	size_t n = agenda_order(u, now);
	int same_items = order.meeting_id == u->meeting.meeting_id &&
	    n == order.n, theirs = order.out;

	for (size_t i = 0; same_items && i < n; i++) {
		size_t j = 0;

		while (j < n && order.want[j] != now[i])
			j++;
		same_items = j < n;
	}
	for (size_t k = 0; !theirs && k < order.n_seen && k < ORDER_SEEN; k++)
		theirs = memcmp(now, order.seen[k], n * sizeof now[0]) == 0;
	if (same_items && theirs)
		return;
	order.meeting_id = u->meeting.meeting_id;
	order.n = n;
	memcpy(order.want, now, n * sizeof now[0]);
	order.n_seen = 0;
	order_seen();
	order.again = 0;
}

static void
reorder(struct ui *u, int dir)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);
	size_t at = 0;

	if (!need_meeting(u) || it == NULL)
		return;
	order_from(u);
	while (at < order.n && order.want[at] != it->id)
		at++;
	if (at == order.n)
		return;
	if ((dir < 0 && at == 0) || (dir > 0 && at + 1 >= order.n)) {
		ui_message(u, 1, "%s", dir < 0 ? _("Already the first item.") :
		    _("Already the last item."));
		return;
	}
	order.want[at] = order.want[at + dir];
	order.want[at + dir] = it->id;
	if (order.out)		/* sent when the one out is answered */
		order.again = 1;
	else
		reorder_send(u);
}

void
forms_item_down(struct ui *u)
{
	reorder(u, 1);
}

void
forms_item_up(struct ui *u)
{
	reorder(u, -1);
}
