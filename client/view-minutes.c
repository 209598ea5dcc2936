/* The minutes view: a closed meeting's minutes (besluitenlijst) as my organisation receives them (get_minutes, docs/protocol.md 7.13), as a pager. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

static struct ui_pagerview pv;	/* the minutes, rendered */
/* A line of the rendering. */
#define add(...) ui_pv_add(&pv, __VA_ARGS__)

/* late: agreed after closing; edited: its agreement edited after closing */
#define ACTION_LATE 1
#define ACTION_EDITED 2

/* "- 2026-12-10 Organisation/Person: text", and on the standing item
 * "- Case 2026-0001 · …" (the case is not on this agenda); agreed or
 * edited after closing, done or cancelled since, and overdue said in
 * words, as in the file. */
static void
add_action(struct ui *u, const Tafel__ActionPoint *a, int late, int standing)
{
	char cs[64] = "";

	if (standing)
		snprintf(cs, sizeof cs, "%s %s · ", _("Case"), a->case_number);
	add(a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0,
	    "%s- %s%s %s%s%s: %s%s%s%s%s",
	    standing ? "  " : "    ", cs, a->due_date, a->owner_org_name,
	    a->owner_user_name[0] ? "/" : "", a->owner_user_name,
	    a->description[0] ? a->description : _("(text hidden)"),
	    late & ACTION_LATE ? _(" (agreed after closing)") : "",
	    late & ACTION_EDITED ? _(" (changed after closing)") : "",
	    a->state == TAFEL__ACTION_STATE__ACTION_DONE ? _(" (done)") :
	    a->state == TAFEL__ACTION_STATE__ACTION_CANCELLED ?
	    _(" (cancelled)") : "",
	    a->overdue ? _(" (overdue)") : "");
}

/* "Name (organisation) · remote · until 11:02": one who was present, and
 * left before the meeting closed (left_at). */
static void
add_person(struct ui *u, const Tafel__Attendance *p, attr_t at)
{
	char until[64] = "", d[40];

	if (p->left_at > 0) {
		const char *hm;

		ui_date(p->left_at, d, sizeof d);
		hm = strchr(d, ' ');
		snprintf(until, sizeof until, _(" · until %s"),
		    hm != NULL ? hm + 1 : d);
	}
	add(at, "  %s (%s)%s%s", p->user_name, p->org_name, p->remote ?
	    _(" · remote") : "", until);
}

/* ACTION_LATE and ACTION_EDITED of an action point of the item. */
static int
late_action(const Tafel__MinutesItem *it, int64_t id)
{
	int late = 0;

	for (size_t i = 0; i < it->n_actions_after_close; i++)
		if (it->actions_after_close[i] == id)
			late |= ACTION_LATE;
	for (size_t i = 0; i < it->n_actions_changed_after_close; i++)
		if (it->actions_changed_after_close[i] == id)
			late |= ACTION_EDITED;
	return late;
}

/* The decision line's text: the decision, or why there is none. */
static const char *
decision_text(const Tafel__MinutesItem *it)
{
	if (it->item != NULL && it->item->decision[0] != '\0')
		return it->item->decision;
	if (it->decision_withheld)	/* the case's line says why */
		return _("(hidden, see above)");
	if (it->item == NULL ||
	    it->item->state != TAFEL__ITEM_STATE__ITEM_DISCUSSED)
		return _("(not discussed)");
	return _("(no decision recorded)");
}

/*
 * The minutes as lines: the head, who was there and who was expected but
 * absent (each organisation once: the server names an organisation on its
 * own only when nobody of it was recorded), the items with their action
 * points and the case's earlier ones still open, the standing item.  The
 * same lines, in the same words (in Dutch), as the text and PDF file
 * (common/minutes.c), so that what one checks on screen is what one
 * sends; tests/e2e/minutes-same.sh compares them.  A case is named by its
 * number only: the minutes hold no persons (docs/protocol.md 7.13).
 */
static void
render(struct ui *u, const Tafel__Minutes *mn)
{
	char when[40], closed[40], made[40];
	attr_t t = ui_attr(u, UI_A_TITLE), dim = ui_attr(u, UI_A_DIM);

	ui_pv_clear(&pv);
	/* when it was held (opened .. closed), as in the file: not the
	 * planned start, which an early or late opening leaves behind */
	ui_date(mn->opened_at > 0 ? mn->opened_at : mn->meeting != NULL ?
	    mn->meeting->scheduled_start : 0, when, sizeof when);
	ui_date(mn->closed_at, closed, sizeof closed);
	ui_date(mn->made_at, made, sizeof made);
	add(t, "%s %s", _("Minutes"), mn->meeting != NULL ?
	    mn->meeting->series_name : "");
	/* closed the same day: only the time */
	add(0, _("Date: %s until %s · Chair: %s"), when,
	    strlen(closed) > 11 && strncmp(when, closed, 11) == 0 ?
	    closed + 11 : closed,
	    mn->chair_name[0] ? mn->chair_name : "-");
	add(0, _("Made for: %s (on %s)"), mn->org_name, made);
	add(0, "%s", "");
	add(t, "%s", _("Present"));
	if (mn->n_present == 0)
		add(dim, "  %s", _("(nobody)"));
	for (size_t i = 0; i < mn->n_present; i++)
		add_person(u, mn->present[i], 0);
	/* a part of the attendance: no blank line before it */
	add(t, "%s", _("Expected but absent"));
	if (mn->n_absent_orgs + mn->n_absent == 0)
		add(dim, "  %s", _("(nobody)"));
	for (size_t i = 0; i < mn->n_absent_orgs; i++)
		add(dim, "  %s", mn->absent_orgs[i]);
	for (size_t i = 0; i < mn->n_absent; i++)
		add_person(u, mn->absent[i], dim);
	add(0, "%s", "");
	add(t, "%s", _("Agenda and decisions"));
	if (mn->n_items == 0)
		add(dim, "  %s", _("(none)"));
	for (size_t i = 0; i < mn->n_items; i++) {
		const Tafel__MinutesItem *it = mn->items[i];
		const Tafel__Case *c = it->case_;

		add(0, "%d. %s %s%s", it->item != NULL && it->item->position > 0 ?
		    (int)it->item->position : (int)i + 1, _("Case"),
		    c != NULL ? c->number : "?", it->added_during_meeting ?
		    _(" (added during the meeting)") : "");
		/* "(hidden, see above)" below points at this line */
		if (c != NULL && c->redacted)
			add(dim, "   %s", ui_redaction_case(c));
		add(0, "   %s: %s%s", _("Decision"), decision_text(it),
		    it->changed_after_close ? _(" (changed after closing)") :
		    "");
		if (it->n_actions == 0)
			add(0, "   %s: %s", _("Action points"), _("(none)"));
		else
			add(0, "   %s:", _("Action points"));
		for (size_t k = 0; k < it->n_actions; k++)
			add_action(u, it->actions[k], late_action(it,
			    it->actions[k]->id), 0);
		/* the case's agreements from before that still hold */
		if (it->n_earlier_actions > 0)
			add(0, "   %s:", _("Agreed earlier, still open"));
		for (size_t k = 0; k < it->n_earlier_actions; k++)
			add_action(u, it->earlier_actions[k], 0, 0);
	}
	/* the heading also when there are none, so that "none" is said, not
	 * left to guess */
	add(0, "%s", "");
	add(t, "%s", _("Open action points of earlier meetings"));
	if (mn->n_open_actions == 0)
		add(dim, "  %s", _("(none)"));
	for (size_t k = 0; k < mn->n_open_actions; k++)
		add_action(u, mn->open_actions[k], 0, 1);
}

static void
on_minutes(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	pv.loading = 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		snprintf(pv.error, sizeof pv.error, "%s",
		    ui_error_text(m->error->code));
		ui_show_error(u, m->error);
	} else if (m->body_case == TAFEL__ENVELOPE__BODY_MINUTES)
		render(u, m->minutes);
	ui_dirty(u);
}

/* b: the minutes of the meeting on screen (in a meeting) or of the one
 * selected in the meetings list. */
void
view_minutes_open(struct ui *u)
{
	const Tafel__Meeting *mt = u->view == VIEW_MEETING ?
	    u->meeting.meeting : view_meetings_selected(u);
	Tafel__MinutesRequest r = TAFEL__MINUTES_REQUEST__INIT;

	if (mt == NULL) {
		ui_message(u, 1, "%s", _("No meeting selected."));
		return;
	}
	if (mt->state != TAFEL__MEETING_STATE__MEETING_CLOSED) {
		/* as b says it in the meeting (ui-keys.c): one wording */
		ui_message(u, 1, "%s", _("No minutes yet: they are made when "
		    "the meeting is closed."));
		return;
	}
	ui_pv_clear(&pv);
	pv.error[0] = '\0';
	pv.loading = 1;
	r.meeting_id = mt->id;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_GET_MINUTES, &r,
	    NET_REQ_READ, NULL, on_minutes, u);
	ui_set_view(u, VIEW_MINUTES);
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	ui_pv_draw(u, &pv, w, rows, cols, _("Loading the minutes…"));
}

static void
step(struct ui *u, int dir)
{
	ui_pv_step(&pv, dir);
}

static void
free_state(struct ui *u)
{
	ui_pv_clear(&pv);
}

const struct ui_view_ops view_minutes_ops = {
	.title = N_("Minutes"),
	.help_title = N_("In the minutes"),
	.draw = draw,
	.step = step,
	.free = free_state,
	.parent = VIEW__COUNT,		/* back where b was pressed */
};
