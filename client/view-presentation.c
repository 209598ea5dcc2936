/* The beamer layout of a meeting: the chair's current case number in big block digits, theme, status, decision, action points. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

#define MAX_ACTS 64

/* Draws text in big block digits centred on row y, as full blocks (█). */
static void
big_text(struct ui *u, WINDOW *w, int y, int cols, const char *text, attr_t a)
{
	char row[256];
	int x0 = (cols - layout_big_width(text)) / 2;

	if (x0 < 0)
		x0 = 0;
	for (int r = 0; r < LAYOUT_BIG_ROWS; r++) {
		layout_big_row(text, r, row, sizeof row);
		for (int k = 0; row[k] != '\0' && x0 + k < cols; k++)
			if (row[k] == '#') {
				cchar_t cc;

				setcchar(&cc, L"█", A_BOLD | a, 0, NULL);
				mvwadd_wch(w, y + r, x0 + k, &cc);
			}
	}
}

void
view_presentation_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const struct model *m = &u->meeting;
	const Tafel__Meeting *mt = m->meeting;
	const Tafel__AgendaItem *it;
	const Tafel__Case *c;
	const Tafel__ActionPoint *acts[MAX_ACTS];
	char when[40], buf[512];
	int y = 0;
	size_t n, idx;
	attr_t title = ui_attr(u, UI_A_TITLE);

	if (!u->meeting_subscribed || mt == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading the meeting…"));
		return;
	}
	u->click_n = 0;
	ui_date(mt->scheduled_start, when, sizeof when);
	snprintf(buf, sizeof buf, "%s · %s · %s", mt->series_name, when,
	    ui_enum(&tafel__meeting_state__descriptor, (int)mt->state));
	ui_put(w, y, (cols - layout_width(buf)) / 2 > 0 ?
	    (cols - layout_width(buf)) / 2 : 0, cols, title, buf);
	y += 2;
	it = model_item(m, model_current_item(m));
	c = it != NULL ? model_case(m, it->case_id) : NULL;
	if (it == NULL || c == NULL) {
		snprintf(buf, sizeof buf, "%s", it == NULL ?
		    _("No agenda item under discussion yet.") :
		    _("Case not visible to your organisation."));
		ui_put(w, y + 2, (cols - layout_width(buf)) / 2 > 0 ?
		    (cols - layout_width(buf)) / 2 : 0, cols, title, buf);
		return;
	}
	big_text(u, w, y, cols, c->number,
	    model_recent(model_rec(&m->agenda, it->id)->changed, ui_now()) ?
	    A_BOLD : 0);
	y += LAYOUT_BIG_ROWS + 1;
	idx = model_item_index(m, it->id);
	snprintf(buf, sizeof buf, "%s %s · %s %zu/%zu · %s · %s", _("Case"),
	    c->number, _("item"), idx + 1, m->agenda.n, ui_theme(c->theme),
	    ui_enum(&tafel__case_status__descriptor, (int)c->status));
	ui_put(w, y++, (cols - layout_width(buf)) / 2 > 0 ?
	    (cols - layout_width(buf)) / 2 : 0, cols, title, buf);
	if (c->redacted && y < rows) {
		/* Say why the room sees less, never hide it silently. */
		snprintf(buf, sizeof buf, "%s", ui_redaction_text(
		    c->redaction_reason));
		ui_put(w, y++, (cols - layout_width(buf)) / 2 > 0 ?
		    (cols - layout_width(buf)) / 2 : 0, cols,
		    ui_attr(u, UI_A_DIM), buf);
	}
	for (size_t i = 0; i < c->n_persons && y < rows - 4; i++)
		ui_putf(w, y++, 4, cols - 6, 0, "%s: %s %s",
		    ui_enum(&tafel__person_role__descriptor,
		    (int)c->persons[i]->role), c->persons[i]->name,
		    c->persons[i]->birth_date);
	y++;
	if (y < rows)
		ui_putf(w, y++, 2, cols - 4, model_recent(model_rec(&m->agenda,
		    it->id)->changed, ui_now()) ? ui_attr(u, UI_A_FLASH) | A_BOLD :
		    A_BOLD, "%s: %s", _("Decision"),
		    it->decision[0] ? it->decision : _("(none yet)"));
	if (y < rows)
		ui_put(w, y++, 2, cols - 4, title, _("Action points"));
	n = model_case_actions(m, c->id, acts, MAX_ACTS);
	if (n == 0 && y < rows)
		ui_put(w, y++, 4, cols - 6, 0, _("(none)"));
	for (size_t i = 0; i < n && y < rows; i++) {
		const Tafel__ActionPoint *a = acts[i];
		attr_t at = a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0;

		if (model_recent(model_rec(&m->actions, a->id)->changed, ui_now()))
			at = ui_attr(u, UI_A_FLASH);
		ui_putf(w, y++, 2, cols - 4, at, "%s %s %-9s %s · %s",
		    a->overdue ? "!" : " ", a->due_date,
		    ui_enum(&tafel__action_state__descriptor, (int)a->state),
		    a->description, a->owner_org_name);
	}
}
