/* The chair's case picker: the cases from list_cases, to add one to the open meeting's agenda. */
#include <stdio.h>

#include "i18n.h"
#include "ui.h"

int
view_case_on_agenda(struct ui *u, int64_t case_id)
{
	for (size_t i = 0; i < u->meeting.agenda.n; i++)
		if (model_item_at(&u->meeting, i)->case_id == case_id)
			return 1;
	return 0;
}

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
 * then those already on it. */
size_t
view_pick_case_list(struct ui *u, const Tafel__Case **out, size_t max)
{
	const char *f = u->filter[VIEW_PICK_CASE];
	size_t k = 0;

	if (u->cases == NULL)
		return 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < u->cases->n_cases && k < max; i++) {
			const Tafel__Case *c = u->cases->cases[i];

			if (view_case_on_agenda(u, c->id) != pass ||
			    !pick_match(c, f))
				continue;
			out[k++] = c;
		}
	return k;
}

void
view_pick_case_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__Case *list[1024];
	char hdr[4][64], theme[64], status[64], org[256];
	const char *mark = _(" (on the agenda)");
	size_t n, first;
	int ow;

	if (u->cases == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, u->cases_loading ?
		    _("Loading cases…") : _("No cases loaded."));
		return;
	}
	n = view_pick_case_list(u, list, sizeof list / sizeof list[0]);
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, u->filter[VIEW_PICK_CASE][0] ?
		    _("No cases match the search.") : _("No cases."));
		return;
	}
	layout_fit(hdr[0], sizeof hdr[0], _("Case"), 9);
	layout_fit(hdr[1], sizeof hdr[1], _("Theme"), 16);
	layout_fit(hdr[2], sizeof hdr[2], _("Status"), 16);
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %s  %s  %s  %s",
	    hdr[0], hdr[1], hdr[2], _("Submitted by"));
	first = ui_list_scroll(u, &u->sel_pick, n, rows);
	for (size_t i = first; i < n && (int)(i - first) < rows - 1; i++) {
		const Tafel__Case *c = list[i];
		int on = view_case_on_agenda(u, c->id), y = (int)(i - first) + 1;
		attr_t a = on ? ui_attr(u, UI_A_DIM) : 0;

		if (i == u->sel_pick) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		layout_fit(theme, sizeof theme, ui_theme(c->theme), 16);
		layout_fit(status, sizeof status,
		    ui_enum(&tafel__case_status__descriptor, (int)c->status), 16);
		/* the organisation gives way to the marker at 80 columns */
		ow = cols - 49 - (on ? layout_width(mark) : 0);
		layout_fit(org, sizeof org, c->submitter_org_name,
		    ow < 8 ? 8 : ow > 60 ? 60 : ow);
		ui_putf(w, y, 0, cols, a, " %-9s  %s  %s  %s%s", c->number, theme,
		    status, on ? org : c->submitter_org_name, on ? mark : "");
	}
}
