/* The person picker: the people of one or every organisation, by name (for A: the series' members first, as expected, present, remote or absent); Enter chooses one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "views.h"

#define MAX_PEOPLE 1024

static struct {
	size_t sel;
	int64_t org_id;			/* only this organisation, 0: all */
	int attendance;			/* show the attendance column */
	char title[200];		/* what the choice is for */
	enum ui_view_id from;		/* back here after choosing */
	void (*done)(struct ui *, const Tafel__User *);	/* NULL: none */
} st;

/* The meeting model, for the attendance sort (set while sorting). */
static const struct model *sort_meeting;

/* 1: the person is expected at the open meeting (of a member organisation
 * of its series) or has attendance recorded; listed first. */
static int
expected(const struct model *m, const Tafel__User *p)
{
	if (model_rec(&m->attendance, p->id) != NULL)
		return 1;
	for (size_t i = 0; i < m->n_member_orgs; i++)
		if (m->member_orgs[i] == p->org_id)
			return 1;
	return 0;
}

static int
by_org_then_name(const void *a, const void *b)
{
	const Tafel__User *x = *(const Tafel__User *const *)a;
	const Tafel__User *y = *(const Tafel__User *const *)b;
	int c = sort_meeting == NULL ? 0 :
	    expected(sort_meeting, y) - expected(sort_meeting, x);

	if (c == 0)
		c = strcasecmp(x->org_name, y->org_name);
	return c != 0 ? c : strcasecmp(x->display_name, y->display_name);
}

/* The people shown: of st.org_id (or all), matching the search. */
static size_t
people(struct ui *u, const Tafel__User **out, size_t max)
{
	const char *f = u->filter[VIEW_PICK_PERSON];
	size_t k = 0;

	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_users && k < max;
	    i++) {
		const Tafel__User *p = u->orgs->users[i];

		if (st.org_id != 0 && p->org_id != st.org_id)
			continue;
		if (!layout_match(p->display_name, f) &&
		    !layout_match(p->login, f) && !layout_match(p->org_name, f))
			continue;
		out[k++] = p;
	}
	sort_meeting = st.attendance ? &u->meeting : NULL;
	qsort(out, k, sizeof out[0], by_org_then_name);
	sort_meeting = NULL;
	return k;
}

/* The attendance recorded at the open meeting; "expected" for the people
 * of the series' member organisations without a record; else "-". */
static const char *
attendance(struct ui *u, const Tafel__User *p)
{
	const struct mrec *r = model_rec(&u->meeting.attendance, p->id);
	const Tafel__Attendance *a = r != NULL ? (const void *)r->msg : NULL;

	if (a == NULL)
		return expected(&u->meeting, p) ? _("expected") : "-";
	return !a->present ? _("absent") : a->remote ? _("remote") :
	    _("present");
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__User *list[MAX_PEOPLE];
	char hdr[3][64], name[128], org[128];
	size_t n, first, shown;

	ui_put(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), st.title);
	if (u->orgs == NULL) {
		ui_put(w, 2, 2, cols - 4, 0, _("Loading the people…"));
		return;
	}
	n = people(u, list, MAX_PEOPLE);
	if (n == 0) {
		ui_put(w, 2, 2, cols - 4, 0, u->filter[VIEW_PICK_PERSON][0] ?
		    _("No people match the search.") : _("No people."));
		return;
	}
	layout_fit(hdr[0], sizeof hdr[0], _("Name"), 28);
	layout_fit(hdr[1], sizeof hdr[1], _("Organisation"), 32);
	layout_fit(hdr[2], sizeof hdr[2], st.attendance ? _("Attendance") : "",
	    12);
	ui_putf(w, 1, 0, cols, ui_attr(u, UI_A_TITLE), " %s  %s  %s", hdr[0],
	    hdr[1], hdr[2]);
	/* the list starts one row lower than ui_list_scroll() assumes */
	first = ui_list_scroll(u, &st.sel, n, rows - 1, &shown);
	u->click_y0 = 2;
	for (size_t i = first; i < first + shown; i++) {
		int y = (int)(i - first) + 2;
		attr_t a = 0;

		if (i == st.sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		layout_fit(name, sizeof name, list[i]->display_name, 28);
		layout_fit(org, sizeof org, list[i]->org_name, 32);
		ui_putf(w, y, 0, cols, a, " %s  %s  %s", name, org,
		    st.attendance ? attendance(u, list[i]) : "");
	}
	if (first + shown < n)
		ui_more(u, w, 2 + (int)shown, 0, cols, n - first - shown);
}

static size_t
lines(struct ui *u)
{
	const Tafel__User *list[MAX_PEOPLE];

	return people(u, list, MAX_PEOPLE);
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

/* Enter: back where the picker was opened, with the person chosen. */
static void
enter(struct ui *u)
{
	const Tafel__User *list[MAX_PEOPLE];
	size_t n = people(u, list, MAX_PEOPLE);
	void (*done)(struct ui *, const Tafel__User *) = st.done;

	if (st.sel >= n) {
		ui_message(u, 1, "%s", _("No one selected."));
		return;
	}
	st.done = NULL;
	ui_set_view(u, st.from);
	if (done != NULL)
		done(u, list[st.sel]);
}

/* Left without a choice (q, Esc, another view): the form learns of it. */
static void
leave(struct ui *u)
{
	void (*done)(struct ui *, const Tafel__User *) = st.done;

	st.done = NULL;
	if (done != NULL)
		done(u, NULL);
}

void
view_pick_person_open(struct ui *u, const char *title, int64_t org_id,
    const char *search, int attendance,
    void (*done)(struct ui *, const Tafel__User *))
{
	snprintf(st.title, sizeof st.title, "%s", title);
	st.org_id = org_id;
	st.attendance = attendance;
	st.sel = 0;
	st.from = u->view;
	snprintf(u->filter[VIEW_PICK_PERSON], sizeof u->filter[VIEW_PICK_PERSON],
	    "%s", search != NULL ? search : "");
	ui_set_view(u, VIEW_PICK_PERSON);
	st.done = done;			/* after leaving the view before */
}

const struct ui_view_ops view_pick_person_ops = {
	.title = N_("Choose a person"),
	.help_title = N_("In the person picker"),
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
