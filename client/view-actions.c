/* The action points view: my organisation's open action points, overdue first. */
#include "i18n.h"
#include "ui.h"

size_t
view_actions_list(struct ui *u, const Tafel__ActionPoint **out, size_t max)
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

void
view_actions_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__ActionPoint *list[512];
	size_t n, first;

	if (!u->org_subscribed) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading action points…"));
		return;
	}
	n = view_actions_list(u, list, 512);
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, u->filter[VIEW_ACTIONS][0] ?
		    _("No action points match the search.") :
		    _("No open action points for your organisation."));
		return;
	}
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %-10s  %-9s  %-14s  %s",
	    _("Due"), _("Case"), _("Owner"), _("Action point"));
	first = ui_list_scroll(u, &u->sel_action, n, rows);
	for (size_t i = first; i < n && (int)(i - first) < rows - 1; i++) {
		const Tafel__ActionPoint *a = list[i];
		const struct mrec *r = model_rec(&u->org.actions, a->id);
		attr_t at = a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0;
		int y = (int)(i - first) + 1;

		if (r != NULL && model_recent(r->changed, ui_now()))
			at = ui_attr(u, UI_A_FLASH);
		if (i == u->sel_action) {
			at = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, at, 0, NULL);
		}
		ui_putf(w, y, 0, cols, at, " %-10s  %-9s  %-14.14s  %s%s",
		    a->due_date, a->case_number,
		    a->owner_user_name[0] ? a->owner_user_name : a->owner_org_name,
		    a->overdue ? _("OVERDUE: ") : "", a->description);
	}
}
