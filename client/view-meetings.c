/* The meetings view: open meetings first, then today's and upcoming ones, past ones last (or hidden). */
#include <stdio.h>
#include <time.h>

#include "i18n.h"
#include "ui.h"

#define MAX_MEETINGS 512

void
view_meetings_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__Meeting *list[MAX_MEETINGS];
	char when[40], series[64], state[32], hdr[3][64];
	size_t first, n;
	int64_t now = (int64_t)time(NULL);

	if (u->meetings == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading meetings…"));
		return;
	}
	n = ui_meetings_shown(u, list, MAX_MEETINGS);
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, u->filter[VIEW_MEETINGS][0] ?
		    _("No meetings match the search.") :
		    _("No meetings for your organisation."));
		return;
	}
	layout_fit(hdr[0], sizeof hdr[0], _("When"), 16);
	layout_fit(hdr[1], sizeof hdr[1], _("Series"), 28);
	layout_fit(hdr[2], sizeof hdr[2], _("State"), 10);
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %s  %s  %s  %s",
	    hdr[0], hdr[1], hdr[2], _("Chair"));
	first = ui_list_scroll(u, &u->sel_meeting, n, rows);
	for (size_t i = first; i < n && (int)(i - first) < rows - 1; i++) {
		const Tafel__Meeting *m = list[i];
		attr_t a = 0;
		int y = (int)(i - first) + 1;

		if (m->state == TAFEL__MEETING_STATE__MEETING_OPEN)
			a = ui_attr(u, UI_A_CURRENT);
		else if (layout_meeting_past(m, now))
			a = ui_attr(u, UI_A_DIM);
		if (i == u->sel_meeting) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		ui_date(m->scheduled_start, when, sizeof when);
		layout_fit(series, sizeof series, m->series_name, 28);
		layout_fit(state, sizeof state,
		    ui_enum(&tafel__meeting_state__descriptor, (int)m->state), 10);
		ui_putf(w, y, 0, cols, a, " %-16s  %s  %s  %s", when, series,
		    state, m->chair_name);
	}
}
