/* The case list view: every case the user may know of (TOPIC_CASE_LIST), newest first, kept live so that a new signal shows at once. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "i18n.h"
#include "views.h"

#define MAX_CASES 1024

static struct {
	Tafel__CaseList *list;		/* the topic's snapshot, owned */
	size_t sel;
	/* the case selected: the selection follows it when lines move (a
	 * new signal on top, a search cleared); 0: none yet */
	int64_t sel_id;
} st;

/* The cases as shown (newest first, filtered); returns the count. */
static size_t
shown(struct ui *u, const Tafel__Case **out, size_t max)
{
	static int64_t ids[MAX_CASES];
	size_t n = 0;

	if (st.list == NULL)
		return 0;
	if (max > MAX_CASES)
		max = MAX_CASES;
	for (size_t i = st.list->n_cases; i > 0 && n < max; i--) {
		const Tafel__Case *c = st.list->cases[i - 1];
		char line[512];

		snprintf(line, sizeof line, "%s %s %s %s", c->number,
		    ui_theme(c->theme), c->district,
		    ui_enum(&tafel__case_status__descriptor, (int)c->status));
		if (!layout_match(line, u->filter[VIEW_CASES]))
			continue;
		out[n++] = c;
	}
	/* newest first: the highest id on top */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j - 1]->id < out[j]->id; j--) {
			const Tafel__Case *t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	/* the selection on st.sel_id's line when shown (see st) */
	for (size_t i = 0; i < n; i++)
		ids[i] = out[i]->id;
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Selects line idx of the lines shown now. */
static void
select_shown(struct ui *u, size_t idx)
{
	static const Tafel__Case *cs[MAX_CASES];

	st.sel = idx;
	st.sel_id = 0;			/* the line, then its case */
	(void)shown(u, cs, MAX_CASES);
}

/* The districts of the cases I may know of, each once, comma-separated
 * (the signal form offers them). */
void
view_cases_districts(struct ui *u, char *buf, size_t len)
{
	size_t o = 0;

	(void)u;
	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; st.list != NULL && i < st.list->n_cases; i++) {
		const char *d = st.list->cases[i]->district;
		int seen = 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(st.list->cases[j]->district, d) == 0;
		if (seen || d[0] == '\0' ||
		    o + strlen(d) + 3 >= len)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
		    d);
	}
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__Case *list[MAX_CASES];
	char theme[64], status[64], district[64], hdr[4][64];
	size_t first, n, vis;

	if (st.list == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading cases…"));
		return;
	}
	n = shown(u, list, MAX_CASES);
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, u->filter[VIEW_CASES][0] ?
		    _("No cases match the search.") :
		    _("No cases yet. S registers a signal."));
		return;
	}
	layout_fit(hdr[0], sizeof hdr[0], _("Case"), 9);
	layout_fit(hdr[1], sizeof hdr[1], _("Theme"), 21);
	layout_fit(hdr[2], sizeof hdr[2], _("District"), 14);
	layout_fit(hdr[3], sizeof hdr[3], _("Status"), 16);
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %s  %s  %s  %s",
	    hdr[0], hdr[1], hdr[2], hdr[3]);
	first = ui_list_scroll(u, &st.sel, n, rows, &vis);
	for (size_t i = first; i < first + vis; i++) {
		const Tafel__Case *c = list[i];
		attr_t a = c->status == TAFEL__CASE_STATUS__CASE_SIGNAL ?
		    ui_attr(u, UI_A_CURRENT) : 0;
		int y = (int)(i - first) + 1;

		if (i == st.sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		layout_cell(theme, sizeof theme, ui_theme(c->theme), 21);
		layout_cell(district, sizeof district, c->district, 14);
		layout_cell(status, sizeof status, ui_enum(
		    &tafel__case_status__descriptor, (int)c->status), 16);
		ui_putf(w, y, 0, cols, a, " %-9s  %s  %s  %s  %s", c->number,
		    theme, district, status,
		    c->earlier_discussed ? _("earlier discussed") : "");
	}
	if (first + vis < n)
		ui_more(u, w, 1 + (int)vis, 0, cols, n - first - vis);
	else if (st.list->omitted > 0 && 1 + (int)vis < rows)
		ui_putf(w, 1 + (int)vis, 2, cols - 4, ui_attr(u, UI_A_DIM),
		    _("+%u older cases not loaded"),
		    (unsigned)st.list->omitted);
}

static size_t
lines(struct ui *u)
{
	static const Tafel__Case *cs[MAX_CASES];

	return shown(u, cs, MAX_CASES);
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

const Tafel__Case *
view_cases_selected(struct ui *u)
{
	static const Tafel__Case *cs[MAX_CASES];
	size_t n = shown(u, cs, MAX_CASES);

	return st.sel < n ? cs[st.sel] : NULL;
}

const Tafel__Case *
view_cases_find(int64_t id)
{
	for (size_t i = 0; st.list != NULL && i < st.list->n_cases; i++)
		if (st.list->cases[i]->id == id)
			return st.list->cases[i];
	return NULL;
}

static void
enter(struct ui *u)
{
	const Tafel__Case *c = view_cases_selected(u);

	if (c != NULL)
		view_case_open(u, c->id);
}

static void
search_reset(struct ui *u)
{
	select_shown(u, 0);		/* a new search: its first match */
}

/* A page of list_cases for p: added to its list (a first page starts it),
 * and the next one asked while cases are left out and there is room. */
static void
on_page(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct case_pages *p = arg;
	int64_t asked = p->asked, next;

	(void)n;
	p->asked = -1;
	ui_dirty(p->u);
	/* the list was dropped or started again meanwhile */
	if (m == NULL || (asked > 0 && *p->list == NULL))
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(p->u, m->error);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_CASE_LIST)
		return;
	if ((next = model_cases_append(p->list, m->case_list, p->max)) > 0)
		view_cases_fetch(p, next);
}

void
view_cases_fetch(struct case_pages *p, int64_t before_id)
{
	Tafel__ListCasesRequest r = TAFEL__LIST_CASES_REQUEST__INIT;

	r.before_id = before_id;
	p->asked = before_id;
	net_send_body(p->u->net, TAFEL__ENVELOPE__BODY_LIST_CASES, &r,
	    NET_REQ_READ, NULL, on_page, p);
}

static struct case_pages pages = { .list = &st.list, .max = MAX_CASES,
	.asked = -1 };

/* The snapshot; when it left older cases out (too large for one answer)
 * they follow page by page, live like the rest once here. */
void
view_cases_take(struct ui *u, const Tafel__CaseList *l)
{
	int64_t next;

	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = NULL;
	next = model_cases_append(&st.list, l, MAX_CASES);
	ui_dirty(u);
	pages.u = u;
	if (next > 0)
		view_cases_fetch(&pages, next);
}

void
view_cases_open(struct ui *u)
{
	st.sel = 0;			/* the newest case on top */
	st.sel_id = 0;
	ui_set_view(u, VIEW_CASES);
}

/* A case event: the record replaces the line or is added; a closed case
 * goes (the list holds open cases).  Not by ev->gone alone: one event can
 * carry a decided nomination (gone from the nomination list) and its case,
 * now on an agenda (docs/protocol.md 8.4). */
static void
event(struct ui *u, const Tafel__Event *ev)
{
	Tafel__Case **v;
	size_t i;
	int closed;

	if (ev->case_ == NULL || st.list == NULL || u->presentation)
		return;
	closed = ev->case_->status == TAFEL__CASE_STATUS__CASE_CLOSED;
	for (i = 0; i < st.list->n_cases; i++)
		if (st.list->cases[i]->id == ev->case_->id)
			break;
	if (i < st.list->n_cases) {
		if (ev->case_->version < st.list->cases[i]->version)
			return;
		protobuf_c_message_free_unpacked(&st.list->cases[i]->base,
		    NULL);
		if (closed) {
			st.list->cases[i] = st.list->cases[--st.list->n_cases];
			return;
		}
		st.list->cases[i] = (Tafel__Case *)model_dup(&ev->case_->base);
		return;
	}
	if (closed || st.list->n_cases >= MAX_CASES)
		return;
	v = realloc(st.list->cases, (st.list->n_cases + 1) * sizeof *v);
	if (v == NULL)
		return;
	st.list->cases = v;
	v[st.list->n_cases++] = (Tafel__Case *)model_dup(&ev->case_->base);
}

static void
free_state(struct ui *u)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = NULL;
}

const struct ui_view_ops view_cases_ops = {
	.title = N_("Cases"),
	.help_title = N_("In the case list"),
	.searchable = 1,
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.enter = enter,
	.search_reset = search_reset,
	.event = event,
	.free = free_state,
	.parent = VIEW__COUNT,
};
