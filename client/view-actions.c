/* The action points view: my organisation's open action points, overdue first, the selected one in full below. */
#include <stdio.h>

#include "i18n.h"
#include "views.h"

#define MAX_ACTIONS 512

static struct {
	size_t sel;
	/* The action point selected: the selection follows it when the
	 * lines move (a new date re-sorts, one arrives live), so c, e and x
	 * act on the one the user chose.  0: none yet. */
	int64_t sel_id;
} st;

/* Open action points of my organisation, overdue first, filtered; st.sel
 * is put on st.sel_id's line (ui_list_keep). */
static size_t
list_actions(struct ui *u, const Tafel__ActionPoint **out, size_t max)
{
	const char *f = u->filter[VIEW_ACTIONS];
	size_t n = model_open_actions(&u->org, out, max), k = 0;
	int64_t ids[MAX_ACTIONS];

	for (size_t i = 0; i < n; i++)
		if (f[0] == '\0' || layout_match(out[i]->description, f) ||
		    layout_match(out[i]->case_number, f) ||
		    layout_match(out[i]->owner_user_name, f) ||
		    layout_match(out[i]->due_date, f))
			out[k++] = out[i];
	for (size_t i = 0; i < k && i < MAX_ACTIONS; i++)
		ids[i] = out[i]->id;
	ui_list_keep(&st.sel, &st.sel_id, ids, k < MAX_ACTIONS ? k :
	    MAX_ACTIONS);
	return k;
}

/* Selects line idx of the lines shown now. */
static void
select_shown(struct ui *u, size_t idx)
{
	const Tafel__ActionPoint *list[MAX_ACTIONS];

	st.sel = idx;
	st.sel_id = 0;			/* the line, then its action point */
	(void)list_actions(u, list, MAX_ACTIONS);
}

/* The owner column: 14 columns at 80, up to 30 on a wider screen (the
 * description keeps the rest). */
static int
owner_width(const struct ui *u)
{
	return ui_list_widen(u->cols, 14, (u->cols - 80) / 3 < 16 ?
	    (u->cols - 80) / 3 : 16);
}

/* Action point i as a line; overdue red, just changed flashing. */
static void
line(struct ui *u, size_t i, char *buf, size_t len, attr_t *a)
{
	const Tafel__ActionPoint *list[MAX_ACTIONS], *ap;
	const struct mrec *r;
	char owner[160];

	if (i >= list_actions(u, list, MAX_ACTIONS))
		return;
	ap = list[i];
	r = model_rec(&u->org.actions, ap->id);
	*a = ap->overdue ? ui_attr(u, UI_A_OVERDUE) : 0;
	if (r != NULL)
		*a = ui_flash(u, r->changed, *a);
	/* a column cut by display width, never inside a character */
	layout_cell(owner, sizeof owner, ap->owner_user_name[0] ?
	    ap->owner_user_name : ap->owner_org_name, owner_width(u));
	snprintf(buf, len, " %-10s  %-9s  %s  %s%s", ap->due_date,
	    ap->case_number, owner, ap->overdue ? _("OVERDUE: ") : "",
	    ap->description);
}

/* The selected action point in full: case, due date, who, the whole text. */
static size_t
detail(struct ui *u, size_t sel, struct ui_detail_line *out, size_t max)
{
	const Tafel__ActionPoint *list[MAX_ACTIONS], *ap;
	size_t n = 0;

	if (max < 3 || sel >= list_actions(u, list, MAX_ACTIONS))
		return 0;
	ap = list[sel];
	out[n].attr = A_BOLD;
	snprintf(out[n++].text, sizeof out[0].text, "%s %s · %s %s%s",
	    _("Case"), ap->case_number, _("due"), ap->due_date,
	    ap->overdue ? _(" (overdue)") : "");
	out[n].attr = 0;
	snprintf(out[n++].text, sizeof out[0].text, "%s: %s%s%s",
	    _("Owner"), ap->owner_org_name, ap->owner_user_name[0] ? " / " :
	    "", ap->owner_user_name);
	out[n].attr = 0;
	snprintf(out[n++].text, sizeof out[0].text, "%s: %s", _("Action point"),
	    ap->description[0] ? ap->description :
	    _("(text hidden from your organisation)"));
	return n;
}

/* The list, and under it the selected action point in full. */
static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__ActionPoint *list[MAX_ACTIONS];
	char head[300], due[64], cas[64], own[64];
	struct ui_listing l = { .sel = &st.sel, .line = line,
	    .detail = detail, .header = head, .loading = !u->org_subscribed ?
	    _("Loading action points…") : NULL,
	    .empty = u->filter[VIEW_ACTIONS][0] ?
	    _("No action points match the search.") :
	    _("No open action points for your organisation.") };

	l.n = u->org_subscribed ? list_actions(u, list, MAX_ACTIONS) : 0;
	layout_fit(due, sizeof due, _("Due"), 10);
	layout_fit(cas, sizeof cas, _("Case"), 9);
	layout_fit(own, sizeof own, _("Owner"), owner_width(u));
	snprintf(head, sizeof head, " %s  %s  %s  %s", due, cas, own,
	    _("Action point"));
	ui_list_detail(u, w, rows, cols, &l);
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
	size_t sel = st.sel;

	ui_list_step(&sel, lines(u), dir);
	select_shown(u, sel);
}

static void
select_line(struct ui *u, size_t idx)
{
	select_shown(u, idx);
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
	select_shown(u, 0);		/* a new search: its first match */
}

void
view_actions_open(struct ui *u)
{
	st.sel = 0;
	st.sel_id = 0;
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
