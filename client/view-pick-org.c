/* The organisation picker: the organisations of the register by name (the lead organisation of a case); Enter chooses one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "views.h"

#define MAX_ORGS 512

static struct {
	size_t sel;
	char title[200];		/* what the choice is for */
	enum ui_view_id from;		/* back here after choosing */
	void (*done)(struct ui *, const Tafel__Organisation *);
} st;

static int
by_name(const void *a, const void *b)
{
	const Tafel__Organisation *x = *(const Tafel__Organisation *const *)a;
	const Tafel__Organisation *y = *(const Tafel__Organisation *const *)b;

	return strcasecmp(x->name, y->name);
}

/* The organisations shown: matching the search, by name. */
static size_t
orgs(struct ui *u, const Tafel__Organisation **out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; u->orgs != NULL &&
	    i < u->orgs->n_organisations && k < max; i++)
		if (layout_match(u->orgs->organisations[i]->name,
		    u->filter[VIEW_PICK_ORG]))
			out[k++] = u->orgs->organisations[i];
	qsort(out, k, sizeof out[0], by_name);
	return k;
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__Organisation *list[MAX_ORGS];
	size_t n, first, shown;

	ui_put(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), st.title);
	if (u->orgs == NULL) {
		ui_put(w, 2, 2, cols - 4, 0, _("Loading the organisations…"));
		return;
	}
	n = orgs(u, list, MAX_ORGS);
	if (n == 0) {
		ui_put(w, 2, 2, cols - 4, 0, _("No organisations match the "
		    "search."));
		return;
	}
	ui_putf(w, 1, 0, cols, ui_attr(u, UI_A_TITLE), " %s",
	    _("Organisation"));
	first = ui_list_scroll(u, &st.sel, n, rows - 1, &shown);
	u->click_y0 = 2;
	for (size_t i = first; i < first + shown; i++) {
		int y = (int)(i - first) + 2;
		attr_t a = 0;

		if (i == st.sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		ui_putf(w, y, 0, cols, a, " %s", list[i]->name);
	}
	if (first + shown < n)
		ui_more(u, w, 2 + (int)shown, 0, cols, n - first - shown);
}

static size_t
lines(struct ui *u)
{
	const Tafel__Organisation *list[MAX_ORGS];

	return orgs(u, list, MAX_ORGS);
}

static void
step(struct ui *u, int dir)
{
	ui_list_step(&st.sel, lines(u), dir);
}

static void
select_line(struct ui *u, size_t idx)
{
	st.sel = idx;
}

static void
search_reset(struct ui *u)
{
	st.sel = 0;
}

/* Enter: back where the picker was opened, with the organisation. */
static void
enter(struct ui *u)
{
	const Tafel__Organisation *list[MAX_ORGS];
	size_t n = orgs(u, list, MAX_ORGS);
	void (*done)(struct ui *, const Tafel__Organisation *) = st.done;

	if (st.sel >= n) {
		ui_message(u, 1, "%s", _("No organisation selected."));
		return;
	}
	st.done = NULL;
	ui_set_view(u, st.from);
	if (done != NULL)
		done(u, list[st.sel]);
}

/* Left without a choice: the form learns of it. */
static void
leave(struct ui *u)
{
	void (*done)(struct ui *, const Tafel__Organisation *) = st.done;

	st.done = NULL;
	if (done != NULL)
		done(u, NULL);
}

void
view_pick_org_open(struct ui *u, const char *title, const char *search,
    void (*done)(struct ui *, const Tafel__Organisation *))
{
	snprintf(st.title, sizeof st.title, "%s", title);
	st.sel = 0;
	st.from = u->view;
	snprintf(u->filter[VIEW_PICK_ORG], sizeof u->filter[VIEW_PICK_ORG],
	    "%s", search != NULL ? search : "");
	ui_set_view(u, VIEW_PICK_ORG);
	st.done = done;			/* after leaving the view before */
}

const struct ui_view_ops view_pick_org_ops = {
	.title = N_("Choose an organisation"),
	.help_title = N_("In the organisation picker"),
	.searchable = 1,
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.enter = enter,
	.leave = leave,
	.transient = 1,
	.search_reset = search_reset,
	.parent = VIEW__COUNT,
};
