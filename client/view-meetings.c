/* The meetings view: the meetings of my organisation's series, newest plans first as the server sends them. */
#include "i18n.h"
#include "ui.h"

void
view_meetings_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	char when[40];
	size_t first = 0;

	if (u->meetings == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading meetings…"));
		return;
	}
	if (u->meetings->n_meetings == 0) {
		ui_put(w, 1, 2, cols - 4, 0, _("No meetings for your organisation."));
		return;
	}
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), " %-16s  %-28s  %-10s  %s",
	    _("When"), _("Series"), _("State"), _("Chair"));
	if (u->sel_meeting >= (size_t)(rows - 2))
		first = u->sel_meeting - (size_t)(rows - 2) + 1;
	for (size_t i = first; i < u->meetings->n_meetings &&
	    (int)(i - first) < rows - 1; i++) {
		const Tafel__Meeting *m = u->meetings->meetings[i];
		attr_t a = i == u->sel_meeting ? ui_attr(u, UI_A_SELECTED) : 0;

		if (m->state == TAFEL__MEETING_STATE__MEETING_OPEN && a == 0)
			a = ui_attr(u, UI_A_CURRENT);
		ui_date(m->scheduled_start, when, sizeof when);
		if (i == u->sel_meeting)
			mvwchgat(w, (int)(i - first) + 1, 0, cols, a, 0, NULL);
		ui_putf(w, (int)(i - first) + 1, 0, cols, a,
		    " %-16s  %-28.28s  %-10s  %s", when, m->series_name,
		    ui_enum(&tafel__meeting_state__descriptor, (int)m->state),
		    m->chair_name);
	}
}
