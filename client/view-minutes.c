/* The minutes view: a closed meeting's minutes (besluitenlijst) as my organisation receives them (get_minutes, docs/protocol.md 7.13), as a pager. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

static struct ui_pagerview pv;	/* the minutes, rendered */
/* A line of the rendering. */
#define add(...) ui_pv_add(&pv, __VA_ARGS__)

static void
add_action(struct ui *u, const Tafel__ActionPoint *a)
{
	add(a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0, "    - %s %s%s%s: %s",
	    a->due_date, a->owner_org_name, a->owner_user_name[0] ? "/" : "",
	    a->owner_user_name, a->description[0] ? a->description :
	    _("(text hidden)"));
}

/* "Name (organisation) · remote · until 11:02": one who was present, and
 * left before the meeting closed (left_at). */
static void
add_present(const Tafel__Attendance *p)
{
	char until[64] = "", d[40];

	if (p->left_at > 0) {
		const char *hm;

		ui_date(p->left_at, d, sizeof d);
		hm = strchr(d, ' ');
		snprintf(until, sizeof until, _(" · until %s"),
		    hm != NULL ? hm + 1 : d);
	}
	add(0, "  %s (%s)%s%s", p->user_name, p->org_name, p->remote ?
	    _(" · remote") : "", until);
}

/* The minutes as lines: head, who was there, the items, the standing item. */
static void
render(struct ui *u, const Tafel__Minutes *mn)
{
	char when[40], text[1100];
	attr_t t = ui_attr(u, UI_A_TITLE);

	ui_pv_clear(&pv);
	ui_date(mn->meeting != NULL ? mn->meeting->scheduled_start : 0, when,
	    sizeof when);
	add(t, "%s %s · %s", _("Minutes"), mn->meeting != NULL ?
	    mn->meeting->series_name : "", when);
	add(0, "%s: %s · %s: %s", _("For"), mn->org_name, _("Chair"),
	    mn->chair_name[0] ? mn->chair_name : "-");
	add(0, "%s", "");
	add(t, "%s", _("Present"));
	for (size_t i = 0; i < mn->n_present; i++)
		add_present(mn->present[i]);
	for (size_t i = 0; i < mn->n_absent; i++)
		add(ui_attr(u, UI_A_DIM), "  %s (%s) %s",
		    mn->absent[i]->user_name, mn->absent[i]->org_name,
		    _("absent"));
	for (size_t i = 0; i < mn->n_absent_orgs; i++)
		add(ui_attr(u, UI_A_DIM), "  %s: %s", mn->absent_orgs[i],
		    _("nobody present"));
	add(0, "%s", "");
	add(t, "%s", _("Decisions"));
	if (mn->n_items == 0)
		add(ui_attr(u, UI_A_DIM), "  %s", _("(none)"));
	for (size_t i = 0; i < mn->n_items; i++) {
		const Tafel__MinutesItem *it = mn->items[i];
		const Tafel__Case *c = it->case_;

		add(0, "%d. %s %s%s", it->item != NULL ? (int)it->item->position :
		    (int)i + 1, _("Case"), c != NULL ? c->number : "?",
		    it->added_during_meeting ? _(" (added during the meeting)") :
		    "");
		/* "(hidden, see above)" below points at this line */
		if (c != NULL && c->redacted)
			add(ui_attr(u, UI_A_DIM), "   %s",
			    ui_redaction_case(c));
		ui_item_decision_text(c, it->item, text, sizeof text);
		add(0, "   %s: %s%s", _("Decision"), text,
		    it->changed_after_close ? _(" (changed after closing)") :
		    "");
		for (size_t k = 0; k < it->n_actions; k++)
			add_action(u, it->actions[k]);
	}
	/* as in the text and PDF minutes: the heading also when there are
	 * none, so that "none" is said, not left to guess */
	add(0, "%s", "");
	add(t, "%s", _("Open action points of earlier meetings"));
	if (mn->n_open_actions == 0)
		add(ui_attr(u, UI_A_DIM), "  %s", _("(none)"));
	for (size_t k = 0; k < mn->n_open_actions; k++)
		add_action(u, mn->open_actions[k]);
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
		ui_message(u, 1, "%s", _("Minutes exist once the meeting is "
		    "closed."));
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
