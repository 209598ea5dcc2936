/* The calendar view (9): across all series, the planned and open meetings my organisation takes part in for the next 90 days (list_calendar), clashes flagged red. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

static struct {
	Tafel__Calendar *cal;		/* the list_calendar answer, owned */
	size_t sel;
	/* the meeting selected: the selection follows it when the lines
	 * move (ui_list_keep); 0: none yet */
	int64_t sel_id;
} st;

/* The lines; st.sel is put on st.sel_id's line when it is there. */
static size_t
lines(struct ui *u)
{
	size_t n = st.cal != NULL ? st.cal->n_entries : 0;
	int64_t ids[512];

	(void)u;
	if (n > sizeof ids / sizeof ids[0])
		return n;
	for (size_t i = 0; i < n; i++)
		ids[i] = st.cal->entries[i]->meeting != NULL ?
		    st.cal->entries[i]->meeting->id : 0;
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Selects line idx. */
static void
select_shown(struct ui *u, size_t idx)
{
	st.sel = idx;
	st.sel_id = 0;			/* the line, then its meeting */
	(void)lines(u);
}

/* Meeting id of the list, NULL if not there. */
static const Tafel__Meeting *
meeting_of(int64_t id)
{
	for (size_t i = 0; i < st.cal->n_entries; i++)
		if (st.cal->entries[i]->meeting != NULL &&
		    st.cal->entries[i]->meeting->id == id)
			return st.cal->entries[i]->meeting;
	return NULL;
}

/* The series column: 42 columns at 80, more on a wider screen, less on a
 * narrower one (the state stays: at 60 it was "…"). */
static int
series_width(const struct ui *u)
{
	if (u->cols < 80)
		return u->cols - 38 > 12 ? u->cols - 38 : 12;
	return ui_list_widen(u->cols, 42, 24);
}

/* Entry i as a line: the series' name (in full on a wide screen); "!"
 * marks a clash (another meeting within two hours), red; the pane names
 * it. */
static void
line(struct ui *u, size_t i, char *buf, size_t len, attr_t *a)
{
	const Tafel__CalendarEntry *e = st.cal->entries[i];
	const Tafel__Meeting *m = e->meeting;
	char when[40], f[2][200];

	if (m == NULL)
		return;
	if (e->n_clash_ids > 0)
		*a = ui_attr(u, UI_A_OVERDUE);
	/* a meeting opened stands under the time it was opened, as in
	 * the meetings list and its header */
	ui_date(layout_meeting_time(m), when, sizeof when);
	layout_cell(f[0], sizeof f[0], m->series_name, series_width(u));
	layout_cell(f[1], sizeof f[1], ui_enum(&tafel__meeting_state__descriptor,
	    (int)m->state), 8);
	snprintf(buf, len, "%s %-16s  %s  %s", e->n_clash_ids > 0 ? "!" : " ",
	    when, f[0], f[1]);
}

/* The selected meeting in full: series, state, when, chair; in red what
 * it clashes with, each with its time. */
static size_t
detail(struct ui *u, size_t sel, struct ui_detail_line *out, size_t max)
{
	const Tafel__CalendarEntry *e = st.cal->entries[sel];
	const Tafel__Meeting *m = e->meeting;
	char when[40];
	size_t n = 0, o;

	if (m == NULL || max < 2)
		return 0;
	ui_date(layout_meeting_time(m), when, sizeof when);
	out[n].attr = ui_attr(u, UI_A_TITLE);
	snprintf(out[n++].text, sizeof out[0].text, "%s · %s · %s · %s: %s",
	    m->series_name, ui_enum(&tafel__meeting_state__descriptor,
	    (int)m->state), when, _("Chair"), m->chair_name[0] ?
	    m->chair_name : "-");
	if (e->n_clash_ids == 0)
		return n;
	out[n].attr = ui_attr(u, UI_A_OVERDUE);
	o = (size_t)snprintf(out[n].text, sizeof out[0].text, "! %s",
	    _("clashes with "));
	for (size_t k = 0; k < e->n_clash_ids && o + 1 < sizeof out[0].text;
	    k++) {
		const Tafel__Meeting *c = meeting_of(e->clash_ids[k]);
		int r;

		if (c != NULL)
			ui_date(layout_meeting_time(c), when, sizeof when);
		r = snprintf(out[n].text + o, sizeof out[0].text - o, "%s%s %s",
		    k > 0 ? ", " : "", c != NULL ? c->series_name : "?",
		    c != NULL ? when : "");
		if (r < 0)
			break;
		o += (size_t)r;
	}
	return n + 1;
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const struct ui_column columns[] = { { N_("When"), 16 },
	    { N_("Series"), series_width(u) }, { N_("State"), 8 } };
	char head[300];
	struct ui_listing l = { .n = lines(u), .sel = &st.sel, .line = line,
	    .detail = detail, .header = head, .loading = st.cal == NULL ?
	    _("Loading the calendar…") : NULL, .empty = _("No meetings of "
	    "your organisation planned in the next 90 days.") };

	ui_list_header(head, sizeof head, "  ", columns, 3);
	ui_list_detail(u, w, rows, cols, &l);
}

static void
step(struct ui *u, int dir)
{
	size_t n = lines(u), sel = st.sel;

	if (n > 0) {
		ui_list_step(&sel, n, dir);
		select_shown(u, sel);
	}
}

static void
select_line(struct ui *u, size_t idx)
{
	select_shown(u, idx);
}

static void
on_calendar(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	(void)n;
	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(u, m->error);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_CALENDAR)
		return;
	if (st.cal != NULL)
		protobuf_c_message_free_unpacked(&st.cal->base, NULL);
	st.cal = (Tafel__Calendar *)model_dup(&m->calendar->base);
	ui_dirty(u);
}

static void
reload(struct ui *u)
{
	Tafel__ListCalendarRequest r = TAFEL__LIST_CALENDAR_REQUEST__INIT;

	/* every view reloads after a reconnect: only once it was opened */
	if (u->view != VIEW_CALENDAR && st.cal == NULL)
		return;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_CALENDAR, &r,
	    NET_REQ_READ, NULL, on_calendar, u);
}

void
view_calendar_open(struct ui *u)
{
	st.sel = 0;
	st.sel_id = 0;
	ui_set_view(u, VIEW_CALENDAR);
	reload(u);
}

/* A meeting planned, moved, cancelled or published: read it again. */
static void
event(struct ui *u, const Tafel__Event *ev)
{
	if (st.cal != NULL && (ev->meeting != NULL ||
	    ev->agenda_published != NULL))
		reload(u);
}

/* Enter: the meeting. */
static void
enter(struct ui *u)
{
	size_t n = lines(u);	/* puts st.sel on its line first */

	if (st.sel < n && st.cal->entries[st.sel]->meeting != NULL)
		ui_open_meeting(u, st.cal->entries[st.sel]->meeting->id);
}

static void
free_state(struct ui *u)
{
	(void)u;
	if (st.cal != NULL)
		protobuf_c_message_free_unpacked(&st.cal->base, NULL);
	st.cal = NULL;
}

const struct ui_view_ops view_calendar_ops = {
	.title = N_("Calendar"),
	.help_title = N_("In the calendar"),
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.enter = enter,
	.reload = reload,
	.event = event,
	.free = free_state,
	.parent = VIEW__COUNT,
};
