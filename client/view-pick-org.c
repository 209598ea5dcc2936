/* The organisation picker: the organisations of the register by name (the lead organisation of a case); Enter chooses one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "view-pick.h"
#include "views.h"

/* Where the choice goes (view_pick_org_open). */
static void (*done)(struct ui *, const Tafel__Organisation *);

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

static void
line(struct ui *u, const void *item, char *buf, size_t len)
{
	const Tafel__Organisation *o = item;

	snprintf(buf, len, " %s", o->name);
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
}

const struct ui_view_ops view_pick_org_ops = {
	.title = N_("Choose an organisation"),
	.help_title = N_("In the organisation picker"),
	PICK_VIEW_OPS,
};
