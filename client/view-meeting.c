/* The meeting view: agenda on the left, the selected case on the right, changes flashing. */
#include <stdio.h>
#include <string.h>

#include "forms.h"
#include "i18n.h"
#include "ui-keys.h"
#include "views.h"

#define MAX_ROWS 256

static struct {
	int64_t action_id;		/* the chosen action point of the case */
	int agenda_room;		/* rows for agenda items, last drawn */
} st;

/* Where an agenda row's clock starts: after the overdue count. */
#define CLOCK_COL 64

/* The agenda as a table: marker, position, case number, theme, routing
 * status, open / overdue action points; returns the rows used. */
static int
draw_agenda(struct ui *u, WINDOW *w, int top, int rows, int width)
{
	const struct model *m = &u->meeting;
	int64_t cur = model_current_item(m);
	size_t sel = model_item_index(m, m->selected_item_id), first = 0;
	char theme[64], status[64], hdr[5][64];
	size_t above, below;
	int shown, y0;

	layout_fit(hdr[0], sizeof hdr[0], _("Case"), 9);
	/* the theme 17 wide: "domestic violence" whole; the counts stay
	 * where they were, one blank after the status */
	layout_fit(hdr[1], sizeof hdr[1], _("Theme"), 17);
	layout_fit(hdr[2], sizeof hdr[2], _("Status"), 16);
	layout_fit(hdr[3], sizeof hdr[3], _("Open"), 4);
	ui_putf(w, top, 0, width, ui_attr(u, UI_A_TITLE), "  #   %s  %s  %s %s  %s",
	    hdr[0], hdr[1], hdr[2], hdr[3], _("Overdue"));
	u->click_y0 = top + 1;
	u->click_first = 0;
	u->click_n = m->agenda.n;
	if (m->agenda.n == 0) {
		ui_put(w, top + 1, 1, width - 1, ui_attr(u, UI_A_DIM),
		    _("(empty)"));
		return 2;
	}
	/* the selected item always on screen, the others counted */
	st.agenda_room = rows - 1;
	first = ui_window(m->agenda.n, sel < m->agenda.n ? sel : 0, rows - 1,
	    &above, &below);
	shown = (int)(m->agenda.n - first - below);
	if (above > 0)
		ui_more(u, w, top + 1, 0, width, above);
	y0 = top + 1 + (above > 0);
	u->click_y0 = y0;
	u->click_first = first;
	for (size_t i = first; i < first + (size_t)shown; i++) {
		const Tafel__AgendaItem *it = model_item_at(m, i);
		const Tafel__Case *c = model_case(m, it->case_id);
		attr_t a = 0;
		int y = y0 + (int)(i - first), open = 0, overdue = 0;
		char late[32] = "";

		if (c != NULL)
			layout_case_counts(m, c->id, &open, &overdue);
		if (overdue > 0)
			snprintf(late, sizeof late, "%d !", overdue);
		layout_cell(theme, sizeof theme, c != NULL ?
		    ui_theme_cell(c->theme) : "", 17);
		layout_cell(status, sizeof status, c != NULL ?
		    ui_enum(&tafel__case_status__descriptor, (int)c->status) : "",
		    16);
		if (overdue > 0)
			a = ui_attr(u, UI_A_OVERDUE);
		if (it->id == cur)
			a = ui_attr(u, UI_A_CURRENT);
		if (i == sel)
			a = ui_attr(u, UI_A_SELECTED);
		a = ui_flash(u, m->agenda.v[i].changed, a);
		if (c != NULL)
			a = ui_flash(u, model_rec(&m->cases, c->id)->changed, a);
		if (i == sel)
			mvwchgat(w, y, 0, width, a, 0, NULL);
		ui_putf(w, y, 0, width, a, "%s %2d  %-9s  %s  %s %4d  %s",
		    it->id == cur ? "▶" : it->state ==
		    TAFEL__ITEM_STATE__ITEM_DISCUSSED ? "✓" : " ", it->position,
		    c != NULL ? c->number : "?", theme, status, open, late);
		/* the soonest-ending legal clock after the counts, red when
		 * it ends before the next meeting */
		if (c != NULL && c->n_clocks > 0 && width > CLOCK_COL + 4) {
			char clk[128];

			ui_clock_text(c->clocks[0], 1, clk, sizeof clk);
			ui_put(w, y, CLOCK_COL, width - CLOCK_COL,
			    c->clocks[0]->red && i != sel ?
			    ui_attr(u, UI_A_OVERDUE) : a, clk);
		}
	}
	if (below > 0)
		ui_more(u, w, y0 + shown, 0, width, below);
	return 1 + (above > 0) + shown + (below > 0);
}

/* The action points of the selected case and the index of the chosen
 * one (0 when the chosen one is not among them); returns the count. */
static size_t
case_actions(struct ui *u, const Tafel__ActionPoint **acts, size_t *sel)
{
	const struct model *m = &u->meeting;
	const Tafel__AgendaItem *it = model_item(m, m->selected_item_id);
	size_t n;

	*sel = 0;
	if (it == NULL || model_case(m, it->case_id) == NULL)
		return 0;
	n = model_case_actions(m, it->case_id, acts, MAX_ROWS);
	for (size_t i = 0; i < n; i++)
		if (acts[i]->id == st.action_id)
			*sel = i;
	return n;
}

static const Tafel__ActionPoint *
chosen_action(struct ui *u)
{
	const Tafel__ActionPoint *acts[MAX_ROWS];
	size_t sel, n = case_actions(u, acts, &sel);

	return n > 0 ? acts[sel] : NULL;
}

int
view_meeting_my_actions(struct ui *u)
{
	const Tafel__ActionPoint *acts[MAX_ROWS];
	size_t sel, n = case_actions(u, acts, &sel);

	if (u->observer_only)	/* changes none (e x C are not theirs) */
		return 0;
	for (size_t i = 0; i < n; i++)
		if (acts[i]->state == TAFEL__ACTION_STATE__ACTION_OPEN &&
		    forms_action_may_change(u, acts[i]))
			return 1;
	return 0;
}

void
view_meeting_action_step(struct ui *u, int dir)
{
	const Tafel__ActionPoint *acts[MAX_ROWS];
	size_t sel, n = case_actions(u, acts, &sel);

	if (n == 0) {
		ui_message(u, 1, "%s", _("This case has no action points."));
		return;
	}
	/* round and round: Tab from the last one goes back to the first */
	sel = dir > 0 ? (sel + 1) % n : (sel + n - 1) % n;
	st.action_id = acts[sel]->id;
	ui_dirty(u);
}

/* Whether the shared screen can still show this meeting's cases to a
 * room: not once it is closed or cancelled (the shared screen then says
 * so, and nobody is present any more).  The server still marks the cases
 * by the attendance recorded, so the chair's note on what the shared
 * screen would hide is left out here. */
static int
room_may_gather(const struct model *m)
{
	return m->meeting != NULL &&
	    m->meeting->state != TAFEL__MEETING_STATE__MEETING_CLOSED &&
	    m->meeting->state != TAFEL__MEETING_STATE__MEETING_CANCELLED;
}

/* Rows for a wrapped note above limit: two at most, one when short of room. */
static int
wrap_rows(int y, int limit)
{
	return limit - y >= 2 ? 2 : 1;
}

/* Rows text takes wrapped at width, at most max. */
static int
wrapped_rows(const char *text, int width, int max)
{
	int n = 0;
	size_t next;

	while (*text != '\0' && n < max && width > 0) {
		(void)layout_wrap(text, width, &next);
		if (next == 0)
			break;
		text += next;
		n++;
	}
	return n > 0 ? n : 1;
}

static void
draw_case(struct ui *u, WINDOW *w, int x, int y, int rows, int width)
{
	const struct model *m = &u->meeting;
	const Tafel__AgendaItem *it = model_item(m, m->selected_item_id);
	const Tafel__Case *c;
	const struct mrec *cr;
	const Tafel__ActionPoint *acts[MAX_ROWS], *sel;
	size_t n, selidx, first, above, below, shown;
	char text[1100], decision[1200];
	int limit, room;

	if (it == NULL)
		return;
	c = model_case(m, it->case_id);
	cr = model_rec(&m->cases, it->case_id);
	if (c == NULL) {
		ui_put(w, y, x, width, 0, _("Case not visible to your organisation."));
		return;
	}
	ui_putf(w, y++, x, width, ui_flash(u, cr->changed, ui_attr(u, UI_A_TITLE)),
	    "%s %s · %s · %s", _("Case"), c->number, ui_theme(c->theme),
	    ui_enum(&tafel__case_status__descriptor, (int)c->status));
	ui_putf(w, y++, x, width, 0, "%s: %s   %s: %s", _("Submitted by"),
	    c->submitter_org_name, _("Case manager"),
	    c->case_manager_name[0] ? c->case_manager_name : "-");
	/* the action points keep their rows: all of them, or three (two
	 * and "+N more", or the chosen one between two counts); the lines
	 * above give up rows for them, down to limit */
	n = model_case_actions(m, c->id, acts, MAX_ROWS);
	/* and the decision its rows, up to three (the guide promises it on
	 * a narrow screen too): the persons and the info round give way */
	if (ui_meeting_over(m->meeting))	/* as its minutes say */
		ui_item_decision_text(c, it, text, sizeof text);
	else
		ui_decision_text(c, it->decision, 0, text, sizeof text);
	snprintf(decision, sizeof decision, "%s: %s", _("Decision"), text);
	limit = rows - 1 - wrapped_rows(decision, width, 3) -
	    (it->decision_changed_after_close ? 1 : 0) -
	    (n == 0 ? 1 : n < 3 ? (int)n : 3);
	/* what is hidden, and why: wrapped (two rows at most), not cut */
	if (c->redacted) {
		snprintf(text, sizeof text, "%s%s", ui_redaction_case(c),
		    view_inforounds_gives_persons(model_case_round(m, c->id)) ?
		    _(" — in the info round, to search for") : "");
		y += ui_wrap_put(w, y, x, width, wrap_rows(y, limit),
		    ui_attr(u, UI_A_DIM), text);
	}
	if (c->beamer_redacted && !u->presentation && ui_leads_meeting(u) &&
	    room_may_gather(m)) {
		/* a category hidden (housing: no birth dates) is not the
		 * pseudonymised view of a non-signatory or an observer; only
		 * for who leads the meeting (a chair who handed it over kept
		 * it until the case was rendered again) */
		snprintf(text, sizeof text, "%s (%s)",
		    strcmp(c->beamer_reason, "category") == 0 ?
		    _("On the shared screen part of this case is hidden") :
		    _("On the shared screen this case is pseudonymised"),
		    ui_beamer_reason_text(c->beamer_reason));
		y += ui_wrap_put(w, y, x, width, wrap_rows(y, limit),
		    ui_attr(u, UI_A_DIM), text);
	}
	/* persons: as many as leave room for the legal clocks and two rows of
	 * the info round above limit (one row at least), the rest counted */
	{
		size_t rl = view_inforounds_line_count(model_case_round(m,
		    c->id), 0);
		int prow = limit - y - (int)c->n_clocks - (rl < 2 ? (int)rl : 2);
		size_t np = c->n_persons, fit;

		if (prow < 1)
			prow = 1;
		fit = (size_t)prow >= np ? np : (size_t)prow - 1;

		for (size_t i = 0; i < fit; i++)
			ui_putf(w, y++, x, width, 0, "  %s: %s %s",
			    ui_enum(&tafel__person_role__descriptor,
			    (int)c->persons[i]->role), c->persons[i]->name,
			    c->persons[i]->birth_date);
		/* the count even below limit: prow keeps one row for the
		 * persons, and with none of them shown it is that row (a
		 * small terminal left them out without a mark) */
		if (fit < np)
			ui_more(u, w, y++, x, width, np - fit);
	}
	for (size_t i = 0; i < c->n_clocks && y < limit; i++) {
		ui_clock_text(c->clocks[i], 0, text, sizeof text);
		ui_putf(w, y++, x, width, c->clocks[i]->red ?
		    ui_attr(u, UI_A_OVERDUE) : 0, "%s", text);
	}
	/* the case's newest info round, as this user may see it: the lines
	 * that do not fit above limit counted on its last row */
	{
		struct inforound_line ln[32];
		const Tafel__InfoRound *r = model_case_round(m, c->id);
		size_t total = view_inforounds_line_count(r, 0);
		size_t k = view_inforounds_lines(r, 0, ln, sizeof ln / sizeof ln[0]);
		const struct mrec *rr = r != NULL ? model_rec(&m->rounds, r->id) :
		    NULL;
		int fits = limit - y;

		if (fits > 0 && total > (size_t)fits && k > (size_t)fits - 1)
			k = (size_t)fits - 1;
		for (size_t i = 0; i < k && y < limit; i++)
			ui_put(w, y++, x, width, ln[i].red ?
			    ui_attr(u, UI_A_OVERDUE) : ui_flash(u, rr->changed, 0),
			    ln[i].text);
		if (k < total && y < limit)
			ui_more(u, w, y++, x, width, total - k);
	}
	/* the decision over up to three rows (a narrow terminal cut it on
	 * one), from the rows below it that the action points can spare */
	{
		int drows = rows - y - 1 - (n == 0 ? 1 : n < 3 ? (int)n : 3) -
		    (it->decision_changed_after_close ? 1 : 0);

		y += ui_wrap_put(w, y, x, width, drows < 1 ? 1 : drows > 3 ? 3 :
		    drows, ui_flash(u, model_rec(&m->agenda, it->id)->changed,
		    0), decision);
	}
	if (it->decision_changed_after_close && y < rows) {
		ui_changed_after_close(true, it->decision_by_name,
		    it->decision_at, text, sizeof text);
		ui_putf(w, y++, x + 2, width - 2, ui_attr(u, UI_A_DIM), "(%s)",
		    text);
	}
	ui_put(w, y++, x, width, ui_attr(u, UI_A_TITLE), _("Action points"));
	sel = chosen_action(u);
	if (n == 0)
		ui_put(w, y++, x + 2, width - 2, ui_attr(u, UI_A_DIM), _("(none)"));
	for (selidx = 0; selidx < n && acts[selidx] != sel; selidx++)
		;
	if (selidx >= n)
		selidx = 0;
	/* the chosen one (Tab) is always on screen, the others shown or
	 * counted */
	room = rows - y;
	if (room >= 3 || n <= (size_t)(room > 0 ? room : 0)) {
		first = ui_window(n, selidx, room, &above, &below);
		shown = n - first - below;
	} else {	/* a tiny terminal: the chosen one and one count */
		first = selidx;
		shown = room >= 2 ? 1 : 0;
		above = 0;
		below = n - shown;
	}
	if (above > 0)
		ui_more(u, w, y++, x, width, above);
	for (size_t i = first; i < first + shown && y < rows; i++) {
		const Tafel__ActionPoint *a = acts[i];
		attr_t at = a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0;

		at = ui_flash(u, model_rec(&m->actions, a->id)->changed, at);
		if (a == sel) {		/* e, x and C work on this one */
			at = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, x, width, at, 0, NULL);
		}
		ui_action_text(c, a, text, sizeof text);
		/* the description first: at 80 columns the owner may be cut */
		ui_putf(w, y++, x, width, at, "%s %s %-9s %s · %s%s%s",
		    a->overdue ? "!" : " ",
		    a->due_date, ui_enum(&tafel__action_state__descriptor,
		    (int)a->state), text,
		    a->owner_user_name[0] ? a->owner_user_name : "",
		    a->owner_user_name[0] ? ", " : "", a->owner_org_name);
	}
	if (below > 0 && y < rows)
		ui_more(u, w, y++, x, width, below);
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const struct model *m = &u->meeting;
	const Tafel__Meeting *mt = m->meeting;
	char when[40], head[600], att[120];
	size_t present = 0, remote = 0;
	int agenda_rows, used, top = 1;

	if (u->presentation) {
		view_presentation_draw(u, w, rows, cols);
		return;
	}
	if (!u->meeting_subscribed || mt == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading the meeting…"));
		return;
	}
	for (size_t i = 0; i < m->attendance.n; i++) {
		const Tafel__Attendance *a = (void *)m->attendance.v[i].msg;

		present += a->present;
		remote += a->present && a->remote;
	}
	ui_date(layout_meeting_time(mt), when, sizeof when);
	/* who is present, while that means something: a closed meeting has
	 * nobody present any more, and its minutes (b) say who attended,
	 * those who left early too; a count of those there at the close
	 * would contradict them */
	att[0] = '\0';
	if (mt->state == TAFEL__MEETING_STATE__MEETING_OPEN ||
	    mt->state == TAFEL__MEETING_STATE__MEETING_PLANNED) {
		size_t o = (size_t)snprintf(att, sizeof att, " · %zu %s",
		    present, _("present"));

		if (remote > 0 && o < sizeof att)
			snprintf(att + o, sizeof att - o, " (%zu %s)", remote,
			    _("remote"));
	}
	snprintf(head, sizeof head, "%s · %s · %s · %s %s%s", mt->series_name,
	    when, ui_enum(&tafel__meeting_state__descriptor, (int)mt->state),
	    _("chair"), mt->chair_name, att);
	if (layout_width(head) > cols) {  /* the attendance matters more */
		char tail[200], series[400];

		snprintf(tail, sizeof tail, " · %s · %s%s", when, ui_enum(
		    &tafel__meeting_state__descriptor, (int)mt->state), att);
		/* and more than the end of a long series name */
		snprintf(series, sizeof series, "%s", mt->series_name);
		if (layout_width(series) + layout_width(tail) > cols)
			layout_cell(series, sizeof series, mt->series_name,
			    cols - layout_width(tail) > 8 ?
			    cols - layout_width(tail) : 8);
		snprintf(head, sizeof head, "%s%s", series, tail);
	}
	ui_put(w, 0, 0, cols, ui_flash(u, m->meeting_changed,
	    ui_attr(u, UI_A_TITLE)), head);
	/* a cancelled meeting says why, under its header (two rows at most):
	 * the reason is what the chair typed for every partner to read */
	if (mt->state == TAFEL__MEETING_STATE__MEETING_CANCELLED) {
		if (mt->cancel_reason[0] != '\0')
			snprintf(head, sizeof head, _("Cancelled: %s"),
			    mt->cancel_reason);
		else
			snprintf(head, sizeof head, "%s",
			    _("Cancelled (no reason given)."));
		top += ui_wrap_put(w, top, 0, cols, 2,
		    ui_attr(u, UI_A_OVERDUE), head);
	}
	/* the agenda on top (at most half), the selected case below */
	agenda_rows = (rows - 1 - top) / 2;
	if (agenda_rows < 3)
		agenda_rows = 3;
	used = draw_agenda(u, w, top, agenda_rows, cols);
	mvwhline(w, top + used, 0, ACS_HLINE, cols);
	/* the standing item "openstaande afspraken" at the bottom: up to a
	 * third of what is left below the agenda, the case above it */
	{
		size_t n = m->standing.n;
		int left = rows - 1 - top - used, keep = 0;

		if (n > 0 && left >= 6) {
			keep = left / 3 < 3 ? 3 : left / 3;
			if ((size_t)keep > n + 1)
				keep = (int)n + 1;
		}
		draw_case(u, w, 0, 1 + top + used, rows - keep, cols);
		if (keep > 0)
			ui_standing_draw(u, w, rows - keep, 0, rows, cols);
	}
}

const Tafel__AgendaItem *
view_meeting_item(struct ui *u)
{
	return model_item(&u->meeting, u->meeting.selected_item_id);
}

int
view_meeting_has_case(struct ui *u, int64_t case_id)
{
	return model_on_agenda(&u->meeting, case_id);
}

static size_t
lines(struct ui *u)
{
	return u->meeting.agenda.n;
}

/* Own navigation: the viewer stops following the chair.  A page or the
 * ends (PgDn, G ...) as far as the agenda goes. */
static void
step(struct ui *u, int dir)
{
	const struct model *m = &u->meeting;
	size_t i = model_item_index(m, m->selected_item_id);

	if (dir == 1 || dir == -1 || m->agenda.n == 0) {
		model_select_step(&u->meeting, dir);
		return;
	}
	if (i >= m->agenda.n)	/* none selected: from the first */
		i = 0;
	ui_list_step(&i, m->agenda.n, dir);
	model_select(&u->meeting, m->agenda.v[i].id);
}

/* A page of the agenda (half the body): its rows but the two "+N more"
 * rows, the same both ways, so that PgUp undoes PgDn. */
static int
page(struct ui *u)
{
	return st.agenda_room - 2 > 1 ? st.agenda_room - 2 : 1;
}

static void
select_line(struct ui *u, size_t idx)
{
	if (idx < u->meeting.agenda.n)
		model_select(&u->meeting, u->meeting.agenda.v[idx].id);
}

static void
enter(struct ui *u)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);

	if (it != NULL)
		view_case_open(u, it->case_id);
}

/* q goes to the meetings list; the shared screen stays one (the list
 * shows nothing of a case, and the next meeting opens on it in the beamer
 * layout): only P, asked, puts the chair's own view in front of the room. */
static int
quit(struct ui *u)
{
	ui_set_view(u, VIEW_MEETINGS);
	return 1;
}

/*
 * Someone following the open meeting who is not recorded present, and
 * could record themselves with A: the minutes count only who was, and "A
 * present" on the bottom line is easily missed, so the status line says
 * so for as long as it holds.  Not for observers or the steering group
 * (A records nothing for them).
 */
static int
absent_partner(const struct ui *u)
{
	const Tafel__Meeting *mt = u->meeting.meeting;
	const struct mrec *r;

	if (mt == NULL || mt->state != TAFEL__MEETING_STATE__MEETING_OPEN ||
	    u->observer_only || u->reports_only)
		return 0;
	r = model_rec(&u->meeting.attendance, u->my_user_id);
	return r == NULL || !((const Tafel__Attendance *)r->msg)->present;
}

static void
status(struct ui *u, char *buf, size_t len)
{
	const Tafel__Meeting *mt = u->meeting.meeting;

	buf[0] = '\0';
	/* a closed or cancelled meeting has no one leading or following */
	if (!u->meeting_subscribed || u->presentation || mt == NULL ||
	    mt->state == TAFEL__MEETING_STATE__MEETING_CLOSED ||
	    mt->state == TAFEL__MEETING_STATE__MEETING_CANCELLED)
		return;
	/* the chair of this meeting follows no one: when its selection
	 * left the current item, f takes it back there (the partners keep
	 * following the current item, not the chair's selection); before
	 * the first n there is no current item to go back to */
	if (mt->chair_id == u->my_user_id)
		snprintf(buf, len, " · %s", u->meeting.following ||
		    model_current_item(&u->meeting) == 0 ?	/* none yet */
		    _("you chair this meeting") :
		    _("you chair this meeting — f: current item"));
	else {
		int absent = absent_partner(u);

		snprintf(buf, len, " · %s%s%s", u->meeting.following ?
		    _("following the chair") : _("own way — f to follow"),
		    absent ? " · " : "", absent ? _("not present (A)") : "");
	}
}

static int
footer(struct ui *u, char *buf, size_t len)
{
	if (!u->presentation)
		return 0;
	snprintf(buf, len, "%s", _("P normal view  q back  ? help"));
	return 1;
}

const struct ui_view_ops view_meeting_ops = {
	.title = N_("Meeting"),
	.help_title = N_("In a meeting"),
	.draw = draw,
	.lines = lines,
	.step = step,
	.page = page,
	.select = select_line,
	.enter = enter,
	.quit = quit,
	.action = chosen_action,
	.status = status,
	.footer = footer,
	.parent = VIEW__COUNT,
};
