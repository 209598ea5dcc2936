/* The chair's case picker: the cases from list_cases, to add one to the open meeting's agenda. */
#include <stdio.h>

#include "forms.h"
#include "i18n.h"
#include "views.h"

#define MAX_CASES 1024

static struct {
	Tafel__CaseList *cases;		/* list_cases answer, owned */
	size_t sel;
	/* the case selected: the selection follows it when the lines move
	 * (one added to the agenda goes down); 0: none yet */
	int64_t sel_id;
} st;

/* list_cases, page by page; asked >= 0 while a page is out */
static struct case_pages pages = { .list = &st.cases, .max = MAX_CASES,
	.asked = -1 };

static int
pick_match(const Tafel__Case *c, const char *f)
{
	return layout_match(c->number, f) || layout_match(c->theme, f) ||
	    layout_match(ui_theme(c->theme), f) ||
	    layout_match(ui_enum(&tafel__case_status__descriptor,
	    (int)c->status), f) ||
	    layout_match(c->submitter_org_name, f) ||
	    layout_match(c->district, f);
}

/* Cases not on the agenda yet first (in the server's order: newest first),
 * then those already on it; st.sel is put on st.sel_id's line. */
static size_t
list_cases(struct ui *u, const Tafel__Case **out, size_t max)
{
	const char *f = u->filter[VIEW_PICK_CASE];
	int64_t ids[MAX_CASES];
	size_t k = 0;

	if (st.cases == NULL)
		return 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < st.cases->n_cases && k < max; i++) {
			const Tafel__Case *c = st.cases->cases[i];

			if (view_meeting_has_case(u, c->id) != pass ||
			    !pick_match(c, f))
				continue;
			out[k++] = c;
		}
	for (size_t i = 0; i < k && max <= MAX_CASES; i++)
		ids[i] = out[i]->id;
	if (max <= MAX_CASES)
		ui_list_keep(&st.sel, &st.sel_id, ids, k);
	return k;
}

/* Selects line idx of the lines shown now. */
static void
select_shown(struct ui *u, size_t idx)
{
	const Tafel__Case *list[MAX_CASES];

	st.sel = idx;
	st.sel_id = 0;			/* the line, then its case */
	(void)list_cases(u, list, MAX_CASES);
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__Case *list[MAX_CASES];
	char hdr[4][64], theme[64], status[64], org[256];
	const char *mark = _(" (on the agenda)");
	size_t n, first, shown;
	int ow;

	if (st.cases == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, pages.asked >= 0 ?
		    _("Loading cases…") : _("No cases loaded."));
		return;
	}
	n = list_cases(u, list, MAX_CASES);
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, u->filter[VIEW_PICK_CASE][0] ?
		    _("No cases match the search.") : _("No cases."));
		return;
	}
	layout_fit(hdr[0], sizeof hdr[0], _("Case"), 9);
	layout_fit(hdr[1], sizeof hdr[1], _("Theme"), 17);
	layout_fit(hdr[2], sizeof hdr[2], _("Status"), 16);
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %s  %s  %s  %s",
	    hdr[0], hdr[1], hdr[2], _("Submitted by"));
	first = ui_list_scroll(u, &st.sel, n, rows, &shown);
	for (size_t i = first; i < first + shown; i++) {
		const Tafel__Case *c = list[i];
		int on = view_meeting_has_case(u, c->id), y = (int)(i - first) + 1;
		attr_t a = on ? ui_attr(u, UI_A_DIM) : 0;

		if (i == st.sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		layout_cell(theme, sizeof theme, ui_theme_cell(c->theme), 17);
		layout_cell(status, sizeof status,
		    ui_enum(&tafel__case_status__descriptor, (int)c->status), 16);
		/* the organisation gives way to the marker at 80 columns */
		ow = cols - 50 - (on ? layout_width(mark) : 0);
		layout_cell(org, sizeof org, c->submitter_org_name,
		    ow < 8 ? 8 : ow > 60 ? 60 : ow);
		ui_putf(w, y, 0, cols, a, " %-9s  %s  %s  %s%s", c->number, theme,
		    status, on ? org : c->submitter_org_name, on ? mark : "");
	}
	if (first + shown < n)
		ui_more(u, w, 1 + (int)shown, 0, cols, n - first - shown);
}

static size_t
lines(struct ui *u)
{
	const Tafel__Case *list[MAX_CASES];

	return list_cases(u, list, MAX_CASES);
}

static void
step(struct ui *u, int dir)
{
	size_t sel = st.sel;

	ui_list_step(&sel, lines(u), dir);
	select_shown(u, sel);
}

/* A click selects; adding takes Enter (a double click does not add). */
static void
select_line(struct ui *u, size_t idx)
{
	select_shown(u, idx);
}

static void
search_reset(struct ui *u)
{
	select_shown(u, 0);		/* a new search: its first match */
}

static void
load(struct ui *u)
{
	if (st.cases != NULL)
		protobuf_c_message_free_unpacked(&st.cases->base, NULL);
	st.cases = NULL;
	pages.u = u;
	view_cases_fetch(&pages, 0);
}

/* r in the picker reloads the cases. */
static void
reload(struct ui *u)
{
	if (u->view == VIEW_PICK_CASE)
		load(u);
}

void
view_pick_case_open(struct ui *u)
{
	st.sel = 0;
	st.sel_id = 0;
	u->filter[VIEW_PICK_CASE][0] = '\0';
	load(u);
	ui_set_view(u, VIEW_PICK_CASE);
}

const Tafel__Case *
view_pick_case_selected(struct ui *u)
{
	const Tafel__Case *list[MAX_CASES];
	size_t n = list_cases(u, list, MAX_CASES);

	return st.sel < n ? list[st.sel] : NULL;
}

static void
free_state(struct ui *u)
{
	if (st.cases != NULL)
		protobuf_c_message_free_unpacked(&st.cases->base, NULL);
	st.cases = NULL;
}

const struct ui_view_ops view_pick_case_ops = {
	.title = N_("Add a case to the agenda"),
	.help_title = N_("In the case picker (chair)"),
	.chair_only = 1,
	.searchable = 1,
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.search_reset = search_reset,
	.reload = reload,
	.leave = forms_pick_left,	/* says when nothing was added */
	.free = free_state,
	.transient = 1,
	.parent = VIEW_MEETING,
};
