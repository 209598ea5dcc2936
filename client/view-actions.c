/* The action points view: my organisation's open action points, overdue first. */
#include "i18n.h"
#include "views.h"

#define MAX_ACTIONS 512

static struct {
	size_t sel;
} st;

/* Open action points of my organisation, overdue first, filtered. */
static size_t
list_actions(struct ui *u, const Tafel__ActionPoint **out, size_t max)
{
	const char *f = u->filter[VIEW_ACTIONS];
	size_t n = model_open_actions(&u->org, out, max), k = 0;

	if (f[0] == '\0')
		return n;
	for (size_t i = 0; i < n; i++)
		if (layout_match(out[i]->description, f) ||
		    layout_match(out[i]->case_number, f) ||
		    layout_match(out[i]->owner_user_name, f) ||
		    layout_match(out[i]->due_date, f))
			out[k++] = out[i];
	return k;
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__ActionPoint *list[MAX_ACTIONS];
	size_t n, first, shown;

	if (!u->org_subscribed) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading action points…"));
		return;
	}
	n = list_actions(u, list, MAX_ACTIONS);
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, u->filter[VIEW_ACTIONS][0] ?
		    _("No action points match the search.") :
		    _("No open action points for your organisation."));
		return;
	}
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %-10s  %-9s  %-14s  %s",
	    _("Due"), _("Case"), _("Owner"), _("Action point"));
	first = ui_list_scroll(u, &st.sel, n, rows, &shown);
	for (size_t i = first; i < first + shown; i++) {
		const Tafel__ActionPoint *a = list[i];
		const struct mrec *r = model_rec(&u->org.actions, a->id);
		attr_t at = a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0;
		int y = (int)(i - first) + 1;

		if (r != NULL && model_recent(r->changed, ui_now()))
			at = ui_attr(u, UI_A_FLASH);
		if (i == st.sel) {
			at = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, at, 0, NULL);
		}
		ui_putf(w, y, 0, cols, at, " %-10s  %-9s  %-14.14s  %s%s",
		    a->due_date, a->case_number,
		    a->owner_user_name[0] ? a->owner_user_name : a->owner_org_name,
		    a->overdue ? _("OVERDUE: ") : "", a->description);
	}
	if (first + shown < n)
		ui_more(u, w, 1 + (int)shown, 0, cols, n - first - shown);
}

static size_t
lines(struct ui *u)
{
	const Tafel__ActionPoint *list[MAX_ACTIONS];

	return list_actions(u, list, MAX_ACTIONS);
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

static const Tafel__ActionPoint *
selected(struct ui *u)
{
	const Tafel__ActionPoint *list[MAX_ACTIONS];
	size_t n = list_actions(u, list, MAX_ACTIONS);

	return st.sel < n ? list[st.sel] : NULL;
}

static void
enter(struct ui *u)
{
	const Tafel__ActionPoint *a = selected(u);

	if (a != NULL)
		view_case_open(u, a->case_id);
}

static void
search_reset(struct ui *u)
{
	st.sel = 0;
}

void
view_actions_open(struct ui *u)
{
	st.sel = 0;
	ui_set_view(u, VIEW_ACTIONS);
}

const struct ui_view_ops view_actions_ops = {
	.title = N_("Action points of my organisation"),
	.help_title = N_("In the action points"),
	.searchable = 1,
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.enter = enter,
	.search_reset = search_reset,
	.action = selected,
	.parent = VIEW__COUNT,
};
