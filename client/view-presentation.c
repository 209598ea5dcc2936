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
	char when[40], buf[512], text[1100];
	int y = 0, end, act_y, counted;
	size_t n, idx;
	attr_t title = ui_attr(u, UI_A_TITLE);

	if (!u->meeting_subscribed || mt == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading the meeting…"));
		return;
	}
	u->click_n = 0;
	ui_date(layout_meeting_time(mt), when, sizeof when);
	snprintf(buf, sizeof buf, "%s · %s · %s", mt->series_name, when,
	    ui_enum(&tafel__meeting_state__descriptor, (int)mt->state));
	ui_put_centred(w, y, cols, title, buf);
	y++;
	if (mt->state == TAFEL__MEETING_STATE__MEETING_CLOSED)
		/* the room must not take the last case for the current one */
		ui_put_centred(w, y, cols, ui_attr(u, UI_A_CURRENT),
		    _("The meeting is closed."));
	y++;
	it = model_item(m, model_current_item(m));
	c = it != NULL ? model_case(m, it->case_id) : NULL;
	if (it == NULL && mt->state == TAFEL__MEETING_STATE__MEETING_CLOSED)
		return;			/* said above */
	if (it == NULL || c == NULL) {
		snprintf(buf, sizeof buf, "%s", it == NULL ?
		    _("No agenda item under discussion yet.") :
		    _("Case not visible to your organisation."));
		ui_put_centred(w, y + 2, cols, title, buf);
		/* the standing item "openstaande afspraken" below */
		ui_standing_draw(u, w, y + 4, 2, rows, cols - 4);
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
	ui_put_centred(w, y++, cols, title, buf);
	if (c->redacted && y < rows)
		/* Say why the room sees less, never hide it silently. */
		ui_put_centred(w, y++, cols, ui_attr(u, UI_A_DIM),
		    ui_redaction_case(c));
	/* the persons leave two rows to the info round below (when there is
	 * one), the rest counted */
	{
		size_t rl = view_inforounds_line_count(model_case_round(m,
		    c->id), 1);
		int room = rows - y - 4 - (rl < 2 ? (int)rl : 2);
		size_t np = c->n_persons, fit = room <= 0 ? 0 :
		    (size_t)room >= np ? np : (size_t)room - 1;

		for (size_t i = 0; i < fit; i++)
			ui_putf(w, y++, 4, cols - 6, 0, "%s: %s %s",
			    ui_enum(&tafel__person_role__descriptor,
			    (int)c->persons[i]->role), c->persons[i]->name,
			    c->persons[i]->birth_date);
		if (fit > 0 && fit < np && y < rows)
			ui_more(u, w, y++, 2, cols - 4, np - fit);
		else if (fit < np && y < rows)	/* none shown: not "+N more" */
			ui_putf(w, y++, 2, cols - 4, ui_attr(u, UI_A_DIM),
			    _("Persons: %zu (no room on the screen)"), np);
	}
	/* the info round's answers (the server sends only those here); what
	 * does not fit above the last four rows is counted on its last row */
	{
		struct inforound_line ln[32];
		const Tafel__InfoRound *r = model_case_round(m, c->id);
		size_t total = view_inforounds_line_count(r, 1);
		size_t k = view_inforounds_lines(r, 1, ln, sizeof ln / sizeof ln[0]);
		int room = rows - 4 - y;

		/* one row: the round's first line, which counts the answers */
		if (room > 0 && total > (size_t)room && k > (size_t)room - 1)
			k = room > 1 ? (size_t)room - 1 : 1;
		for (size_t i = 0; i < k && y < rows - 4; i++)
			ui_put(w, y++, 2, cols - 4, ln[i].red ?
			    ui_attr(u, UI_A_OVERDUE) : i == 0 ? title : 0,
			    ln[i].text);
		if (k < total && y < rows - 4)
			ui_more(u, w, y++, 2, cols - 4, total - k);
	}
	y++;
	if (ui_meeting_over(m->meeting))	/* as its minutes say */
		ui_item_decision_text(c, it, text, sizeof text);
	else
		ui_decision_text(c, it->decision, 0, text, sizeof text);
	/* the decision the room just agreed, wrapped (up to four rows, two
	 * left for the action points): the room must be able to read it */
	if (y < rows) {
		char line[1200];
		int max = rows - y - 2 < 4 ? rows - y - 2 : 4;

		snprintf(line, sizeof line, "%s: %s", _("Decision"), text);
		y += ui_wrap_put(w, y, 2, cols - 4, max < 1 ? 1 : max,
		    ui_flash(u, model_rec(&m->agenda, it->id)->changed, 0) |
		    A_BOLD, line);
	}
	act_y = y < rows ? y++ : -1;	/* the title, said below */
	/* the last rows for the standing item "openstaande afspraken" when
	 * there is one: its title and at least one line (what does not fit is
	 * counted), at most half of what is left */
	end = rows;
	if (m->standing.n > 0 && rows - y >= 4) {
		int keep = (rows - y) / 2, want = (int)(m->standing.n < 4 ?
		    m->standing.n : 4) + 1;

		if (keep > want)
			keep = want;
		if (keep < 2)
			keep = 2;
		end = rows - keep;
	}
	/* the action points fit, or some of them and a row counting the
	 * rest; else none shows and the title counts them (never "+N more"
	 * under nothing) */
	n = model_case_actions(m, c->id, acts, MAX_ACTS);
	counted = n > 0 && (int)n > end - y && end - y < 2;
	if (act_y >= 0 && counted)
		ui_putf(w, act_y, 2, cols - 4, title,
		    _("Action points: %zu (no room on the screen)"), n);
	else if (act_y >= 0)
		ui_put(w, act_y, 2, cols - 4, title, _("Action points"));
	if (n == 0 && y < end)
		ui_put(w, y++, 4, cols - 6, 0, _("(none)"));
	for (size_t i = 0; i < n && !counted && y < end; i++) {
		const Tafel__ActionPoint *a = acts[i];
		attr_t at = a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0;

		if (y == end - 1 && i + 1 < n) {	/* the last row counts */
			ui_more(u, w, y++, 2, cols - 4, n - i);
			break;
		}
		at = ui_flash(u, model_rec(&m->actions, a->id)->changed, at);
		ui_action_text(c, a, text, sizeof text);
		ui_putf(w, y++, 2, cols - 4, at, "%s %s %-9s %s · %s",
		    a->overdue ? "!" : " ", a->due_date,
		    ui_enum(&tafel__action_state__descriptor, (int)a->state),
		    text, a->owner_org_name);
	}
	/* the standing item "openstaande afspraken" in what is left (a blank
	 * row above it when there is room) */
	if (y < end)
		y++;
	if (y + 1 < rows)
		ui_standing_draw(u, w, y, 2, rows, cols - 4);
}
