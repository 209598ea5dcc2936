/* The minutes view: a closed meeting's minutes (besluitenlijst) as my organisation receives them (get_minutes, docs/protocol.md 7.13), as a pager. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

#define MAX_LINES 2000

static struct {
	char *lines[MAX_LINES];		/* the rendering, owned */
	attr_t attrs[MAX_LINES];
	size_t n;
	size_t scroll;			/* the first screen row shown */
	size_t rows;			/* screen rows of the lines, wrapped */
	int loading;			/* 1: asked, no answer yet */
	char error[160];		/* why there are none, "" */
} st;

static void
drop_lines(void)
{
	for (size_t i = 0; i < st.n; i++)
		free(st.lines[i]);
	st.n = 0;
	st.scroll = 0;
}

static void
add(attr_t a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(attr_t a, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (st.n >= MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	st.lines[st.n] = strdup(buf);
	if (st.lines[st.n] == NULL)
		return;
	st.attrs[st.n++] = a;
}

static void
add_action(struct ui *u, const Tafel__ActionPoint *a)
{
	add(a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0, "    - %s %s%s%s: %s",
	    a->due_date, a->owner_org_name, a->owner_user_name[0] ? "/" : "",
	    a->owner_user_name, a->description[0] ? a->description :
	    _("(text hidden)"));
}

/* The minutes as lines: head, who was there, the items, the standing item. */
static void
render(struct ui *u, const Tafel__Minutes *mn)
{
	char when[40], text[1100];
	attr_t t = ui_attr(u, UI_A_TITLE);

	drop_lines();
	ui_date(mn->meeting != NULL ? mn->meeting->scheduled_start : 0, when,
	    sizeof when);
	add(t, "%s %s · %s", _("Minutes"), mn->meeting != NULL ?
	    mn->meeting->series_name : "", when);
	add(0, "%s: %s · %s: %s", _("For"), mn->org_name, _("Chair"),
	    mn->chair_name[0] ? mn->chair_name : "-");
	add(0, "%s", "");
	add(t, "%s", _("Present"));
	for (size_t i = 0; i < mn->n_present; i++)
		add(0, "  %s (%s)%s", mn->present[i]->user_name,
		    mn->present[i]->org_name, mn->present[i]->remote ?
		    _(" · remote") : "");
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
		ui_decision_text(c, it->item != NULL ? it->item->decision : "",
		    text, sizeof text);
		add(0, "   %s: %s%s", _("Decision"), text,
		    it->changed_after_close ? _(" (changed after closing)") :
		    "");
		for (size_t k = 0; k < it->n_actions; k++)
			add_action(u, it->actions[k]);
	}
	if (mn->n_open_actions > 0) {
		add(0, "%s", "");
		add(t, "%s", _("Open action points"));
		for (size_t k = 0; k < mn->n_open_actions; k++)
			add_action(u, mn->open_actions[k]);
	}
}

static void
on_minutes(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	st.loading = 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		snprintf(st.error, sizeof st.error, "%s",
		    ui_error_text(m->error->code));
		ui_show_error(u, m->error);
	} else if (m->body_case == TAFEL__ENVELOPE__BODY_MINUTES)
		render(u, m->minutes);
	ui_dirty(u);
}

void
view_minutes_open(struct ui *u)
{
	const Tafel__Meeting *mt = view_meetings_selected(u);
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
	drop_lines();
	st.error[0] = '\0';
	st.loading = 1;
	r.meeting_id = mt->id;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_GET_MINUTES, &r,
	    NET_REQ_READ, NULL, on_minutes, u);
	ui_set_view(u, VIEW_MINUTES);
}

/* A pager: long lines wrap at word boundaries (ui_pager). */
static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	if (st.loading || st.n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, st.error[0] ? st.error :
		    _("Loading the minutes…"));
		return;
	}
	st.rows = ui_pager(u, w, rows, cols, st.lines, st.attrs, st.n,
	    &st.scroll);
}

/* j/k: a screen row down or up (st.rows: the rows of the last drawing). */
static void
step(struct ui *u, int dir)
{
	if (dir < 0 && st.scroll > 0)
		st.scroll--;
	else if (dir > 0 && st.scroll + 1 < st.rows)
		st.scroll++;
}

static void
free_state(struct ui *u)
{
	drop_lines();
}

const struct ui_view_ops view_minutes_ops = {
	.title = N_("Minutes"),
	.help_title = N_("In the minutes"),
	.draw = draw,
	.step = step,
	.free = free_state,
	.parent = VIEW_MEETINGS,
};
