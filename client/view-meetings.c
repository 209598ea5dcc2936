/* The meetings view: open meetings first, then today's and upcoming ones, past ones last (or hidden). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "views.h"

#define MAX_MEETINGS 512

static struct {
	Tafel__MeetingList *list;	/* list_meetings answer, owned */
	size_t sel;
	/*
	 * The meeting selected: the selection follows it when the lines move
	 * (a meeting opened elsewhere goes to the top, a search is cleared),
	 * so that Enter opens the meeting the user picked.  0: none yet.
	 */
	int64_t sel_id;
	int hide_past;			/* past meetings left out */
	size_t mdo_left_out;		/* MDOs not on the shared screen */
} st;

/* Whether meeting m's line holds the search text: what the line shows
 * (number, date and time, series, state, chair), so that "2027-01-01" or
 * "gepland" finds the lines they are on. */
static int
matches(const Tafel__Meeting *m, const void *filter)
{
	char num[24], when[40];

	snprintf(num, sizeof num, "%lld", (long long)m->id);
	ui_date(layout_meeting_time(m), when, sizeof when);
	return layout_match(num, filter) || layout_match(when, filter) ||
	    layout_match(m->series_name, filter) ||
	    layout_match(ui_enum(&tafel__meeting_state__descriptor,
	    (int)m->state), filter) || layout_match(m->chair_name, filter);
}

/*
 * The meetings as shown (ordered, filtered); returns the count.  st.sel
 * is put on the line of st.sel_id when it is shown (else kept within the
 * lines), and st.sel_id on the meeting of that line.
 */
static size_t
shown(const struct ui *u, const Tafel__Meeting **out, size_t max)
{
	int64_t ids[MAX_MEETINGS];
	size_t n;

	if (st.list == NULL)
		return 0;
	n = layout_meetings(st.list->meetings, st.list->n_meetings,
	    (int64_t)time(NULL), u->filter[VIEW_MEETINGS][0] != '\0' ?
	    matches : NULL, u->filter[VIEW_MEETINGS], st.hide_past, out,
	    max < MAX_MEETINGS ? max : MAX_MEETINGS);
	/* the shared screen leaves out the MDOs: each is named after its
	 * case, which nobody outside the organisations involved may learn
	 * of (docs/security.md rule 7), and the room may be anyone */
	st.mdo_left_out = 0;
	if (u->presentation) {
		size_t k = 0;

		for (size_t i = 0; i < n; i++)
			if (strcmp(out[i]->series_kind, "mdo") == 0)
				st.mdo_left_out++;
			else
				out[k++] = out[i];
		n = k;
	}
	for (size_t i = 0; i < n; i++)
		ids[i] = out[i]->id;
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Selects line idx of the lines shown now. */
static void
select_shown(const struct ui *u, size_t idx)
{
	const Tafel__Meeting *ms[MAX_MEETINGS];

	st.sel = idx;
	st.sel_id = 0;			/* the line, then its meeting */
	(void)shown(u, ms, MAX_MEETINGS);
}

/* Under the shared screen's list: that MDOs are left out, and how one is
 * shown there all the same. */
static void
mdo_note(struct ui *u, WINDOW *w, int y, int rows, int cols)
{
	if (st.mdo_left_out == 0 || y >= rows)
		return;
	ui_wrap_put(w, y, 2, cols - 4, rows - y, ui_attr(u, UI_A_DIM),
	    _("MDOs are not listed on the shared screen (each is named after "
	    "its case): tafel --presentation --meeting NO. shows one."));
}

/* A series name in its column: one too long keeps its last word (the
 * district, which tells series apart: "Casusoverleg huise…Eemland",
 * "…Enschede") after as much of its start as fits. */
static void
series_cell(char *out, size_t len, const char *name, int width)
{
	const char *last = strrchr(name, ' ');
	char head[256];
	int lw, n;

	if (layout_width(name) <= width || last == NULL ||
	    (lw = layout_width(last + 1)) > width / 2) {
		layout_cell(out, len, name, width);
		return;
	}
	layout_fit(head, sizeof head, name, width - lw - 1);
	n = snprintf(out, len, "%s…%s", head, last + 1);
	if (n < 0 || (size_t)n >= len)	/* too narrow a buffer */
		layout_cell(out, len, name, width);
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__Meeting *list[MAX_MEETINGS];
	char when[40], series[256], state[32], hdr[4][128];
	size_t first, n, vis;
	int64_t now = (int64_t)time(NULL), top = 99;
	/* a wider screen gives the series' names room (up to 24 columns) */
	int sw = ui_list_widen(cols, 26, 24), nw = 2;

	if (st.list == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading meetings…"));
		return;
	}
	n = shown(u, list, MAX_MEETINGS);
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, u->filter[VIEW_MEETINGS][0] ?
		    _("No meetings match the search.") :
		    _("No meetings for your organisation."));
		mdo_note(u, w, 2, rows, cols);
		return;
	}
	/* the meeting's number first (what tafel --meeting takes), as wide
	 * as the largest */
	for (size_t i = 0; i < n; i++)
		while (list[i]->id > top && nw < 18) {
			top = top * 10 + 9;
			nw++;
		}
	if (layout_width(_("No.")) > nw)
		nw = layout_width(_("No."));
	layout_fit(hdr[3], sizeof hdr[3], _("No."), nw);
	layout_fit(hdr[0], sizeof hdr[0], _("When"), 16);
	layout_fit(hdr[1], sizeof hdr[1], _("Series"), sw);
	layout_fit(hdr[2], sizeof hdr[2], _("State"), 10);
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %*s  %s  %s  %s  %s",
	    nw, hdr[3], hdr[0], hdr[1], hdr[2], _("Chair"));
	first = ui_list_scroll(u, &st.sel, n, rows, &vis);
	for (size_t i = first; i < first + vis; i++) {
		const Tafel__Meeting *m = list[i];
		attr_t a = 0;
		int y = (int)(i - first) + 1;

		if (m->state == TAFEL__MEETING_STATE__MEETING_OPEN)
			a = ui_attr(u, UI_A_CURRENT);
		else if (layout_meeting_past(m, now))
			a = ui_attr(u, UI_A_DIM);
		if (i == st.sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		ui_date(layout_meeting_time(m), when, sizeof when);
		series_cell(series, sizeof series, m->series_name, sw);
		layout_cell(state, sizeof state,
		    ui_enum(&tafel__meeting_state__descriptor, (int)m->state), 10);
		ui_putf(w, y, 0, cols, a, " %*lld  %-16s  %s  %s  %s", nw,
		    (long long)m->id, when, series, state, m->chair_name);
	}
	if (first + vis < n)
		ui_more(u, w, 1 + (int)vis, 0, cols, n - first - vis);
	else
		mdo_note(u, w, 2 + (int)vis, rows, cols);
}

static size_t
lines(struct ui *u)
{
	const Tafel__Meeting *ms[MAX_MEETINGS];

	return shown(u, ms, MAX_MEETINGS);
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
enter(struct ui *u)
{
	const Tafel__Meeting *ms[MAX_MEETINGS];
	size_t n = shown(u, ms, MAX_MEETINGS);

	if (st.sel < n)
		ui_open_meeting(u, ms[st.sel]->id);
}

static void
search_reset(struct ui *u)
{
	select_shown(u, 0);		/* a new search: its first match */
}

static void
on_meetings(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	if (m->body_case != TAFEL__ENVELOPE__BODY_MEETING_LIST) {
		if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
			ui_show_error(u, m->error);
		return;
	}
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = (Tafel__MeetingList *)model_dup(&m->meeting_list->base);
	ui_dirty(u);		/* the selection follows st.sel_id (shown) */
}

static void
reload(struct ui *u)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;

	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_MEETINGS, &lm,
	    NET_REQ_VOLATILE, NULL, on_meetings, u);
}

void
view_meetings_take(struct ui *u, const Tafel__MeetingList *l)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = (Tafel__MeetingList *)model_dup(&l->base);
	ui_dirty(u);		/* the selection follows st.sel_id (shown) */
}

/*
 * A meeting opened while the user is in another one that has ended (a
 * partner still on the closed meeting, the beamer): back in the list the
 * selection is on the one opened, so that Enter goes where the chair went
 * (it stayed on the closed one).  Someone looking at the list keeps the
 * line they chose.
 */
static void
follow_opened(struct ui *u, const Tafel__Meeting *was,
    const Tafel__Meeting *now)
{
	const Tafel__Meeting *sel = view_meetings_find(u, st.sel_id);

	if (u->view == VIEW_MEETINGS ||
	    now->state != TAFEL__MEETING_STATE__MEETING_OPEN ||
	    (was != NULL && was->state == TAFEL__MEETING_STATE__MEETING_OPEN) ||
	    sel == NULL || sel->id == now->id ||
	    sel->state == TAFEL__MEETING_STATE__MEETING_OPEN ||
	    sel->state == TAFEL__MEETING_STATE__MEETING_PLANNED)
		return;
	st.sel_id = now->id;
}

/* The meeting-list topic (and a meeting's own events) carry the meeting
 * as it is now: it replaces the line, or a newly planned one is added. */
static void
event(struct ui *u, const Tafel__Event *ev)
{
	Tafel__Meeting **v;

	if (ev->meeting == NULL || st.list == NULL)
		return;
	for (size_t i = 0; i < st.list->n_meetings; i++)
		if (st.list->meetings[i]->id == ev->meeting->id) {
			if (ev->meeting->version < st.list->meetings[i]->version)
				return;
			follow_opened(u, st.list->meetings[i], ev->meeting);
			protobuf_c_message_free_unpacked(
			    &st.list->meetings[i]->base, NULL);
			st.list->meetings[i] = (Tafel__Meeting *)model_dup(
			    &ev->meeting->base);
			return;
		}
	if (st.list->n_meetings >= MAX_MEETINGS)
		return;
	v = realloc(st.list->meetings, (st.list->n_meetings + 1) * sizeof *v);
	if (v == NULL)
		return;
	st.list->meetings = v;
	follow_opened(u, NULL, ev->meeting);
	v[st.list->n_meetings++] = (Tafel__Meeting *)model_dup(
	    &ev->meeting->base);
}

const Tafel__Meeting *
view_meetings_selected(const struct ui *u)
{
	const Tafel__Meeting *ms[MAX_MEETINGS];
	size_t n = shown(u, ms, MAX_MEETINGS);

	return st.sel < n ? ms[st.sel] : NULL;
}

const Tafel__Meeting *
view_meetings_find(const struct ui *u, int64_t id)
{
	for (size_t i = 0; st.list != NULL && i < st.list->n_meetings; i++)
		if (st.list->meetings[i]->id == id)
			return st.list->meetings[i];
	return NULL;
}

const Tafel__Meeting *
view_meetings_next_of_series(const struct ui *u, int64_t series_id)
{
	const Tafel__Meeting *next = NULL;
	int64_t today = layout_day_start((int64_t)time(NULL));

	for (size_t i = 0; st.list != NULL && i < st.list->n_meetings; i++) {
		const Tafel__Meeting *m = st.list->meetings[i];

		if (m->series_id != series_id || m->state !=
		    TAFEL__MEETING_STATE__MEETING_PLANNED ||
		    m->scheduled_start < today)
			continue;
		if (next == NULL || m->scheduled_start < next->scheduled_start ||
		    (m->scheduled_start == next->scheduled_start &&
		    m->id < next->id))
			next = m;
	}
	return next;
}

const Tafel__Meeting *
view_meetings_open_chaired(const struct ui *u)
{
	for (size_t i = 0; st.list != NULL && i < st.list->n_meetings; i++)
		if (st.list->meetings[i]->chair_id == u->my_user_id &&
		    st.list->meetings[i]->state ==
		    TAFEL__MEETING_STATE__MEETING_OPEN)
			return st.list->meetings[i];
	return NULL;
}

static void
free_state(struct ui *u)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = NULL;
}

void
view_meetings_select(struct ui *u, int64_t id)
{
	(void)u;
	st.sel_id = id;		/* shown() puts st.sel on its line */
}

void
view_meetings_toggle_past(struct ui *u)
{
	st.hide_past = !st.hide_past;	/* the selection stays if shown */
	ui_message(u, 0, "%s", st.hide_past ? _("Past meetings hidden.") :
	    _("Past meetings shown."));
}

/* On the shared screen only its keys (ui-keys.c beamer_keys). */
static int
footer(struct ui *u, char *buf, size_t len)
{
	if (!u->presentation)
		return 0;
	snprintf(buf, len, "%s", _("Enter open on the shared screen  q quit  "
	    "? help"));
	return 1;
}

const struct ui_view_ops view_meetings_ops = {
	.title = N_("Meetings"),
	.help_title = N_("In the meetings list"),
	.searchable = 1,
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.enter = enter,
	.search_reset = search_reset,
	.reload = reload,
	.event = event,
	.free = free_state,
	.footer = footer,
	.parent = VIEW__COUNT,
};
