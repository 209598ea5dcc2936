/* The organisation picker: the organisations of the register by name (the lead organisation of a case, those asked in an info round), those outside the covenant marked; Enter chooses one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "view-pick.h"
#include "views.h"

/* Where the choice goes (view_pick_org_open). */
static void (*done)(struct ui *, const Tafel__Organisation *);

/* Which organisations this opening marks "✓ chosen" already
 * (view_pick_org_marks); NULL: no marks column. */
static int (*marked)(int64_t id);

static int
by_name(const void *a, const void *b)
{
	const Tafel__Organisation *x = *(const void *const *)a;
	const Tafel__Organisation *y = *(const void *const *)b;

	return strcasecmp(x->name, y->name);
}

/* The organisations shown: matching the search, by name. */
static size_t
orgs(struct ui *u, const void **out, size_t max)
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
header(struct ui *u, char *buf, size_t len)
{
	snprintf(buf, len, " %s", _("Organisation"));
}

/*
 * Whether an organisation works under the covenant (docs/protocol.md 9):
 * one that has not signed it, or whose active users are all observers
 * (listeners such as a court), sees no personal data of a case — in an
 * info round only the case number — and observers cannot answer.
 */
enum pick_org_covenant
view_pick_org_covenant(struct ui *u, const Tafel__Organisation *o)
{
	size_t users = 0, observers = 0;

	if (!o->covenant_signed)
		return PICK_ORG_NOT_SIGNED;
	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_users; i++) {
		const Tafel__User *p = u->orgs->users[i];
		int other = 0;

		if (p->org_id != o->id)
			continue;
		users++;
		for (size_t r = 0; r < p->n_roles; r++)
			other |= p->roles[r] != TAFEL__ROLE__ROLE_OBSERVER;
		observers += !other && p->n_roles > 0;
	}
	return users > 0 && observers == users ? PICK_ORG_OBSERVERS :
	    PICK_ORG_SIGNED;
}

/* The mark after an organisation outside the covenant, by its standing. */
static const char *const covenant_marks[] = {
	[PICK_ORG_SIGNED] = NULL,
	[PICK_ORG_NOT_SIGNED] = N_("no covenant"),
	[PICK_ORG_OBSERVERS] = N_("listeners only"),
};

/* An organisation's line: its name, then its standing outside the
 * covenant and "✓ chosen" when these apply (after the name, so the names
 * stay in one column). */
static void
line(struct ui *u, const void *item, char *buf, size_t len)
{
	const Tafel__Organisation *o = item;
	const char *m = covenant_marks[view_pick_org_covenant(u, o)];
	const char *chosen = marked != NULL && marked(o->id) ?
	    _("✓ chosen") : NULL;
	char name[300];

	if (m == NULL && chosen == NULL) {
		snprintf(buf, len, " %s", o->name);
		return;
	}
	layout_cell(name, sizeof name, o->name, 46);
	snprintf(buf, len, " %s  %s%s%s", name, m != NULL ? _(m) : "",
	    m != NULL && chosen != NULL ? "  " : "",
	    chosen != NULL ? chosen : "");
}

static void
chosen(struct ui *u, const void *org)
{
	done(u, org);
}

static int64_t
item_id(const void *item)
{
	return ((const Tafel__Organisation *)item)->id;
}

static struct picker pk = {
	.view = VIEW_PICK_ORG,
	.loading = N_("Loading the organisations…"),
	.none = N_("No organisations match the search."),
	.none_match = N_("No organisations match the search."),
	.no_choice = N_("No organisation selected."),
	.id = item_id,
	.items = orgs,
	.header = header,
	.line = line,
	.chosen = chosen,
};

void
view_pick_org_open(struct ui *u, const char *title, const char *search,
    void (*fn)(struct ui *, const Tafel__Organisation *))
{
	pick_open(u, &pk, title, search, fn != NULL);
	done = fn;			/* after leaving the view before */
	marked = NULL;
}

void
view_pick_org_marks(int (*fn)(int64_t id))
{
	marked = fn;
}

const struct ui_view_ops view_pick_org_ops = {
	.title = N_("Choose an organisation"),
	.help_title = N_("In the organisation picker"),
	PICK_VIEW_OPS,
};
