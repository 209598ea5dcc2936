/* The person picker: the people of one or every organisation, by name (for A: the series' members first, as expected, present, remote or absent); Enter chooses one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "view-pick.h"
#include "views.h"

static struct {
	int64_t org_id;			/* only this organisation, 0: all */
	int attendance;			/* show the attendance column */
	void (*done)(struct ui *, const Tafel__User *);	/* the choice */
} st;

/* The meeting model, for the attendance sort (set while sorting). */
static const struct model *sort_meeting;

/* Whether p takes part in meetings at all: a chair, member or observer
 * (an account that only administers, or the steering group's, does not). */
static int
takes_part(const Tafel__User *p)
{
	for (size_t i = 0; i < p->n_roles; i++)
		if (p->roles[i] == TAFEL__ROLE__ROLE_CHAIR ||
		    p->roles[i] == TAFEL__ROLE__ROLE_MEMBER ||
		    p->roles[i] == TAFEL__ROLE__ROLE_OBSERVER)
			return 1;
	return 0;
}

/* 1: the person is expected at the open meeting (takes part in meetings,
 * of a member organisation of its series) or has attendance recorded;
 * listed first. */
static int
expected(const struct model *m, const Tafel__User *p)
{
	if (model_rec(&m->attendance, p->id) != NULL)
		return 1;
	if (!takes_part(p))
		return 0;
	for (size_t i = 0; i < m->n_member_orgs; i++)
		if (m->member_orgs[i] == p->org_id)
			return 1;
	return 0;
}

static int
by_org_then_name(const void *a, const void *b)
{
	const Tafel__User *x = *(const void *const *)a;
	const Tafel__User *y = *(const void *const *)b;
	int c = sort_meeting == NULL ? 0 :
	    expected(sort_meeting, y) - expected(sort_meeting, x);

	if (c == 0)
		c = strcasecmp(x->org_name, y->org_name);
	return c != 0 ? c : strcasecmp(x->display_name, y->display_name);
}

/* The people shown: of st.org_id (or all), matching the search. */
static size_t
people(struct ui *u, const void **out, size_t max)
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

/* The organisation column takes what a wide terminal has to spare
 * ("De Wering, forensische polikliniek" whole at 120 columns). */
static int
org_width(void)
{
	int w = COLS - 48;	/* 32 on 80 columns */

	return w < 32 ? 32 : w > 56 ? 56 : w;
}

static void
header(struct ui *u, char *buf, size_t len)
{
	const struct ui_column cols[] = { { N_("Name"), 28 },
	    { N_("Organisation"), org_width() },
	    { st.attendance ? N_("Attendance") : "", 12 } };

	ui_list_header(buf, len, " ", cols, 3);
}

static void
line(struct ui *u, const void *item, char *buf, size_t len)
{
	const Tafel__User *p = item;
	char name[128], org[128];

	layout_cell(name, sizeof name, p->display_name, 28);
	layout_cell(org, sizeof org, p->org_name, org_width());
	snprintf(buf, len, " %s  %s  %s", name, org, st.attendance ?
	    attendance(u, p) : "");
}

static void
chosen(struct ui *u, const void *person)
{
	st.done(u, person);
}

static int64_t
item_id(const void *item)
{
	return ((const Tafel__User *)item)->id;
}

static struct picker pk = {
	.view = VIEW_PICK_PERSON,
	.loading = N_("Loading the people…"),
	.none = N_("No people."),
	.none_match = N_("No people match the search."),
	.no_choice = N_("No one selected."),
	.id = item_id,
	.items = people,
	.header = header,
	.line = line,
	.chosen = chosen,
};

void
view_pick_person_open(struct ui *u, const char *title, int64_t org_id,
    const char *search, int attendance,
    void (*done)(struct ui *, const Tafel__User *))
{
	st.org_id = org_id;
	st.attendance = attendance;
	pick_open(u, &pk, title, search, done != NULL);
	st.done = done;			/* after leaving the view before */
}

const struct ui_view_ops view_pick_person_ops = {
	.title = N_("Choose a person"),
	.help_title = N_("In the person picker"),
	PICK_VIEW_OPS,
};
