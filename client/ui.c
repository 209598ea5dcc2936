/* The terminal UI: event loop wiring, connection callbacks, prompts, and the one redraw function. */
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "envelope.h"
#include "i18n.h"
#include "log.h"
#include "xmalloc.h"

/* Adding a view means adding a row here and a draw function. */
static const struct ui_view view_table[VIEW__COUNT] = {
	[VIEW_MEETINGS] = { N_("Meetings"), view_meetings_draw },
	[VIEW_MEETING] = { N_("Meeting"), view_meeting_draw },
	[VIEW_ACTIONS] = { N_("Action points of my organisation"),
	    view_actions_draw },
	[VIEW_CASE] = { N_("Case"), view_case_draw },
	[VIEW_HELP] = { N_("Keys"), view_help_draw },
	[VIEW_PICK_CASE] = { N_("Add a case to the agenda"),
	    view_pick_case_draw },
};

double
ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Marks the screen stale; the redraw runs once, after the current callback. */
void
ui_dirty(struct ui *u)
{
	u->dirty = 1;
	if (u->redraw_ev != NULL)
		event_active(u->redraw_ev, EV_TIMEOUT, 0);
}

void
ui_message(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->message, sizeof u->message, fmt, ap);
	va_end(ap);
	u->message_error = error;
	ui_dirty(u);
}

/* What a CONFLICT error says the record is now, in one line. */
void
ui_conflict_text(struct ui *u, const Tafel__Error *e, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (e->current_record_case) {
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_MEETING:
		snprintf(buf, len, "%s: %s (%s %lld)", _("Now"),
		    ui_enum(&tafel__meeting_state__descriptor,
		    (int)e->current_meeting->state), _("version"),
		    (long long)e->current_meeting->version);
		break;
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_AGENDA_ITEM:
		snprintf(buf, len, "%s: %s «%s» (%s %lld)", _("Now"),
		    _("Decision"), e->current_agenda_item->decision[0] ?
		    e->current_agenda_item->decision : _("(none yet)"),
		    _("version"), (long long)e->current_agenda_item->version);
		break;
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_ACTION_POINT:
		snprintf(buf, len, "%s: %s · %s · %s%s%s (%s %lld)", _("Now"),
		    e->current_action_point->description,
		    ui_enum(&tafel__action_state__descriptor,
		    (int)e->current_action_point->state),
		    e->current_action_point->due_date,
		    e->current_action_point->completion_note[0] ? " — " : "",
		    e->current_action_point->completion_note, _("version"),
		    (long long)e->current_action_point->version);
		break;
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_CASE:
		snprintf(buf, len, "%s: %s %s · %s (%s %lld)", _("Now"),
		    _("Case"), e->current_case->number,
		    ui_enum(&tafel__case_status__descriptor,
		    (int)e->current_case->status), _("version"),
		    (long long)e->current_case->version);
		break;
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_PERSON:
		snprintf(buf, len, "%s: %s %s (%s %lld)", _("Now"),
		    e->current_person->name, e->current_person->birth_date,
		    _("version"), (long long)e->current_person->version);
		break;
	default:
		break;
	}
	(void)u;
}

void
ui_show_error(struct ui *u, const Tafel__Error *e)
{
	char cur[600];

	ui_conflict_text(u, e, cur, sizeof cur);
	if (cur[0] != '\0')
		ui_message(u, 1, "%s %s", ui_error_text(e->code), cur);
	else
		ui_message(u, 1, "%s", ui_error_text(e->code));
}

/* Theme keys of the register, shown in the user's language. */
const char *
ui_theme(const char *theme)
{
	static const struct { const char *key, *text; } themes[] = {
		{ "domestic_violence", N_("domestic violence") },
		{ "repeat_offenders", N_("repeat offenders") },
		{ "at_risk_youth", N_("at-risk youth") },
		{ "multi_problem", N_("multi-problem persons") },
	};

	for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
		if (strcmp(themes[i].key, theme) == 0)
			return _(themes[i].text);
	return theme;
}

size_t
ui_meetings_shown(struct ui *u, const Tafel__Meeting **out, size_t max)
{
	if (u->meetings == NULL)
		return 0;
	return layout_meetings(u->meetings->meetings, u->meetings->n_meetings,
	    (int64_t)time(NULL), u->filter[VIEW_MEETINGS], u->hide_past, out,
	    max);
}

size_t
ui_list_scroll(struct ui *u, size_t *sel, size_t n, int rows)
{
	size_t first = 0;

	if (*sel >= n)
		*sel = n - 1;
	if (*sel >= (size_t)(rows - 2))
		first = *sel - (size_t)(rows - 2) + 1;
	u->click_y0 = 1;
	u->click_first = first;
	u->click_n = n;
	return first;
}

void
ui_list_step(size_t *sel, size_t n, int dir)
{
	if (dir < 0 && *sel > 0)
		(*sel)--;
	else if (dir > 0 && *sel + 1 < n)
		(*sel)++;
}

int
ui_yes(const char *t)
{
	return t != NULL && (t[0] == 'j' || t[0] == 'J' || t[0] == 'y' ||
	    t[0] == 'Y');
}

const Tafel__Organisation *
ui_org(struct ui *u, int64_t id)
{
	const Tafel__Organisation *o = model_org(&u->meeting, id);

	for (size_t i = 0; o == NULL && u->orgs != NULL &&
	    i < u->orgs->n_organisations; i++)
		if (u->orgs->organisations[i]->id == id)
			o = u->orgs->organisations[i];
	return o;
}

/* --- drawing helpers ----------------------------------------------------- */

void
ui_put(WINDOW *w, int y, int x, int width, attr_t attr, const char *text)
{
	wchar_t wbuf[1024];
	size_t n;
	int cols = 0, k = 0;

	if (width <= 0)
		return;
	n = mbstowcs(wbuf, text, sizeof wbuf / sizeof wbuf[0] - 1);
	if (n == (size_t)-1) {	/* not valid in this locale: show bytes as ? */
		n = 0;
		for (const char *p = text; *p != '\0' && n < 1000; p++)
			wbuf[n++] = (unsigned char)*p < 128 ? (wchar_t)*p : L'?';
	}
	wbuf[n] = L'\0';
	for (; wbuf[k] != L'\0'; k++) {
		int cw = wcwidth(wbuf[k]);

		if (wbuf[k] == L'\n' || wbuf[k] == L'\t')
			wbuf[k] = L' ', cw = 1;
		if (cw < 0)
			wbuf[k] = L'?', cw = 1;
		if (cols + cw > width)
			break;
		cols += cw;
	}
	wbuf[k] = L'\0';
	wattr_on(w, attr, NULL);
	mvwaddnwstr(w, y, x, wbuf, k);
	wattr_off(w, attr, NULL);
}

void
ui_putf(WINDOW *w, int y, int x, int width, attr_t attr, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ui_put(w, y, x, width, attr, buf);
}

/* Colour pair or, without colours, a plain attribute per kind. */
attr_t
ui_attr(struct ui *u, int kind)
{
	static const struct { attr_t mono; short fg, bg; attr_t extra; } tab[] = {
		[UI_A_TITLE] = { A_BOLD, -1, -1, A_BOLD },
		[UI_A_SELECTED] = { A_REVERSE, COLOR_BLACK, COLOR_CYAN, 0 },
		[UI_A_CURRENT] = { A_BOLD | A_UNDERLINE, COLOR_GREEN, -1, A_BOLD },
		[UI_A_FLASH] = { A_STANDOUT, COLOR_BLACK, COLOR_YELLOW, 0 },
		[UI_A_OVERDUE] = { A_BOLD, COLOR_RED, -1, A_BOLD },
		[UI_A_STATUS] = { A_REVERSE, COLOR_WHITE, COLOR_BLUE, 0 },
		[UI_A_ERROR] = { A_BOLD | A_REVERSE, COLOR_WHITE, COLOR_RED, A_BOLD },
		[UI_A_DIM] = { A_DIM, -1, -1, A_DIM },
	};

	if (!u->colors)
		return tab[kind].mono;
	return COLOR_PAIR(kind + 1) | tab[kind].extra;
}

static void
colors_init(struct ui *u)
{
	static const short pairs[][2] = {
		{ -1, -1 }, { COLOR_BLACK, COLOR_CYAN }, { COLOR_GREEN, -1 },
		{ COLOR_BLACK, COLOR_YELLOW }, { COLOR_RED, -1 },
		{ COLOR_WHITE, COLOR_BLUE }, { COLOR_WHITE, COLOR_RED },
		{ -1, -1 },
	};
	const char *nc = getenv("NO_COLOR");

	u->colors = 0;
	if ((nc != NULL && nc[0] != '\0') || !u->o->cfg.color || !has_colors())
		return;
	start_color();
	use_default_colors();
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		init_pair((short)(i + 1), pairs[i][0], pairs[i][1]);
	u->colors = 1;
}

/* "in_progress" → translated label via the enum's short name. */
const char *
ui_enum(const ProtobufCEnumDescriptor *d, int value)
{
	static const struct { const char *name; const char *text; } labels[] = {
		{ "MEETING_PLANNED", N_("planned") },
		{ "MEETING_OPEN", N_("open") },
		{ "MEETING_CLOSED", N_("closed") },
		{ "ITEM_PENDING", N_("pending") },
		{ "ITEM_CURRENT", N_("under discussion") },
		{ "ITEM_DISCUSSED", N_("discussed") },
		{ "CASE_SIGNAL", N_("signal") },
		{ "CASE_SCREENING", N_("screening") },
		{ "CASE_INFO_ROUND", N_("info round") },
		{ "CASE_DIRECTION", N_("direction") },
		{ "CASE_PLAN", N_("plan of approach") },
		{ "CASE_IN_PROGRESS", N_("in progress") },
		{ "CASE_MONITORING", N_("monitoring") },
		{ "CASE_CLOSED", N_("closed") },
		{ "ACTION_OPEN", N_("open") },
		{ "ACTION_DONE", N_("done") },
		{ "ACTION_CANCELLED", N_("cancelled") },
		{ "PERSON_OTHER", N_("other") },
		{ "PERSON_VICTIM", N_("victim") },
		{ "PERSON_SUSPECT", N_("suspect") },
		{ "PERSON_CHILD", N_("child") },
		{ "APPROACH_PERSON", N_("person") },
		{ "APPROACH_SYSTEM", N_("system") },
		{ "APPROACH_AREA", N_("area") },
	};
	const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(d,
	    value);

	if (v == NULL)
		return "?";
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].name, v->name) == 0)
			return _(labels[i].text);
	return v->name;
}

void
ui_date(int64_t unix_s, char *buf, size_t len)
{
	time_t t = (time_t)unix_s;
	struct tm tm;

	if (unix_s == 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* --- the one redraw ------------------------------------------------------ */

static void
layout(struct ui *u)
{
	if (u->top != NULL) {
		delwin(u->top);
		delwin(u->body);
		delwin(u->status);
		delwin(u->foot);
	}
	getmaxyx(stdscr, u->rows, u->cols);
	if (u->rows < 5)
		u->rows = 5;
	u->top = newwin(1, u->cols, 0, 0);
	u->body = newwin(u->rows - 3, u->cols, 1, 0);
	u->status = newwin(1, u->cols, u->rows - 2, 0);
	u->foot = newwin(1, u->cols, u->rows - 1, 0);
	keypad(u->foot, TRUE);
	nodelay(u->foot, TRUE);
	u->dirty = 1;
}

static void
draw_status(struct ui *u)
{
	char conn[160], lag[40] = "", follow[120] = "";
	enum net_state st = net_get_state(u->net);
	attr_t a = ui_attr(u, UI_A_STATUS);

	switch (st) {
	case NET_READY:
		snprintf(conn, sizeof conn, "%s", _("connected"));
		if (net_lag_ms(u->net) >= 0)
			snprintf(lag, sizeof lag, _(" · lag %ld ms"),
			    net_lag_ms(u->net));
		break;
	case NET_BACKOFF:
		snprintf(conn, sizeof conn, _("reconnecting in %d s"),
		    net_backoff_left(u->net));
		break;
	case NET_DISCONNECTED:
		snprintf(conn, sizeof conn, "%s", _("not connected — r to retry"));
		break;
	default:
		snprintf(conn, sizeof conn, "%s", _("connecting…"));
		break;
	}
	if (u->view == VIEW_MEETING && u->meeting_subscribed && !u->presentation)
		snprintf(follow, sizeof follow, " · %s", u->meeting.following ?
		    _("following the chair") : _("own way — f to follow"));
	wbkgdset(u->status, ' ' | a);
	werase(u->status);
	if (u->prompt.active) {
		char lbl[200];
		int x;

		snprintf(lbl, sizeof lbl, "%s: ", u->prompt.label);
		ui_put(u->status, 0, 0, u->cols, a, lbl);
		x = getcurx(u->status);
		wattr_on(u->status, a, NULL);
		mvwaddnwstr(u->status, 0, x, u->prompt.buf,
		    (int)u->prompt.len < u->cols - x ? (int)u->prompt.len :
		    u->cols - x);
		wattr_off(u->status, a, NULL);
		return;
	}
	if (u->message[0] != '\0')
		ui_putf(u->status, 0, 0, u->cols, u->message_error ?
		    ui_attr(u, UI_A_ERROR) : a, "%s", u->message);
	else
		ui_putf(u->status, 0, 0, u->cols, a, "%s%s%s%s",
		    conn, lag, follow,
		    net_pending(u->net) > 0 && st != NET_READY ?
		    _(" · changes waiting to be sent") : "");
	if (u->message[0] != '\0') {	/* connection state stays visible */
		int len = (int)strlen(conn) + 2;

		if (len < u->cols / 2)
			ui_put(u->status, 0, u->cols - len, len, a, conn);
	}
}

static void
draw_top(struct ui *u)
{
	const Tafel__LoginResponse *l = net_login(u->net);
	char right[200], left[200];
	int rw, lw;

	wbkgdset(u->top, ' ' | ui_attr(u, UI_A_TITLE));
	werase(u->top);
	snprintf(left, sizeof left, "Tafel · %s", _(view_table[u->view].title));
	if (u->filter[u->view][0] != '\0')
		snprintf(left + strlen(left), sizeof left - strlen(left),
		    " · /%s", u->filter[u->view]);
	ui_put(u->top, 0, 0, u->cols, ui_attr(u, UI_A_TITLE), left);
	if (l != NULL && l->user != NULL) {
		snprintf(right, sizeof right, "%s%s", l->user->display_name,
		    u->is_chair ? _(" · chair") : "");
		if (layout_width(right) + 40 < u->cols)
			snprintf(right, sizeof right, "%s (%s)%s",
			    l->user->display_name, l->user->org_name,
			    u->is_chair ? _(" · chair") : "");
		rw = layout_width(right);
		lw = layout_width(left);
		if (lw + rw + 2 < u->cols)
			ui_put(u->top, 0, u->cols - rw - 1, rw + 1,
			    ui_attr(u, UI_A_TITLE), right);
	}
}

static void discard_confirmed(struct ui *u, const char *text);

/* The action point form over the body: its fields, the one being typed live.
 * A new action point has no person field (the organisation owns it). */
static void
draw_form(struct ui *u)
{
	static const char *labels[FORM_SENDING] = {
	    [FORM_DESCRIPTION] = N_("Description"),
	    [FORM_OWNER] = N_("Owner organisation"),
	    [FORM_PERSON] = N_("Owner person"),
	    [FORM_DUE] = N_("Due date") };
	int edit = u->form.action_id != 0;
	int nf = edit ? 4 : 3;
	int w = u->cols - 4 < 72 ? u->cols - 4 : 72, h = 3 + 2 * nf;
	int x = (u->cols - w) / 2, y = (u->rows - 3 - h) / 2;
	char val[1100], lbl[64], org[200];
	const Tafel__Organisation *o;

	if (w < 20 || y < 0)
		return;
	for (int r = 0; r < h; r++)
		mvwhline(u->body, y + r, x, ' ', w);
	wattr_on(u->body, ui_attr(u, UI_A_TITLE), NULL);
	mvwhline(u->body, y, x, ACS_HLINE, w);
	mvwhline(u->body, y + h - 1, x, ACS_HLINE, w);
	mvwvline(u->body, y, x, ACS_VLINE, h);
	mvwvline(u->body, y, x + w - 1, ACS_VLINE, h);
	mvwaddch(u->body, y, x, ACS_ULCORNER);
	mvwaddch(u->body, y, x + w - 1, ACS_URCORNER);
	mvwaddch(u->body, y + h - 1, x, ACS_LLCORNER);
	mvwaddch(u->body, y + h - 1, x + w - 1, ACS_LRCORNER);
	wattr_off(u->body, ui_attr(u, UI_A_TITLE), NULL);
	ui_putf(u->body, y, x + 2, w - 4, ui_attr(u, UI_A_TITLE),
	    " %s · %s %s ", edit ? _("Edit action point") :
	    _("New action point"), _("Case"),
	    u->form.case_number[0] ? u->form.case_number : "?");
	o = ui_org(u, u->form.owner_org_id);
	snprintf(org, sizeof org, "%s", o != NULL ? o->name : "");
	for (int f = 0, row = 0; f < FORM_SENDING; f++) {
		const char *v = f == FORM_DESCRIPTION ? u->form.description :
		    f == FORM_OWNER ? org : f == FORM_PERSON ?
		    (u->form.owner_user_id != 0 ? u->form.owner_user_name :
		    _("(the whole organisation)")) : u->form.due_date;
		attr_t a = 0;

		if (f == FORM_PERSON && !edit)
			continue;
		if (f == FORM_DESCRIPTION && u->form.description_hidden &&
		    u->form.description[0] == '\0' && f != u->form_field) {
			v = _("(hidden from your organisation; kept as it is)");
			a = ui_attr(u, UI_A_DIM);
		}
		if (f == u->form_field && u->prompt.active) {
			/* while "discard?" is asked, the field keeps its text */
			struct ui_prompt *p = u->prompt.done == discard_confirmed ?
			    &u->saved_prompt : &u->prompt;
			size_t m;

			p->buf[p->len] = L'\0';
			m = wcstombs(val, p->buf, sizeof val - 1);
			val[m == (size_t)-1 ? 0 : m] = '\0';
			v = val;
			a = ui_attr(u, UI_A_SELECTED);
		}
		layout_fit(lbl, sizeof lbl, _(labels[f]), 22);
		ui_putf(u->body, y + 2 + row * 2, x + 2, w - 4, 0, "%s", lbl);
		mvwchgat(u->body, y + 2 + row * 2, x + 25, w - 27, a, 0, NULL);
		ui_put(u->body, y + 2 + row * 2, x + 25, w - 27, a, v);
		row++;
	}
	if (u->form_field == FORM_SENDING)
		ui_put(u->body, y + h - 1, x + 2, w - 4, ui_attr(u, UI_A_TITLE),
		    net_get_state(u->net) == NET_READY ? _(" Sending… ") :
		    _(" Waiting for the connection… "));
	else
		ui_put(u->body, y + h - 1, x + 2, w - 4, ui_attr(u, UI_A_DIM),
		    _(" Enter next field · Esc cancel · Ctrl-U clear "));
}

/* A message the status line cannot hold (the prompt has it, or it is too
 * long, e.g. a CONFLICT with the current record) goes above it, wrapped
 * over up to three lines. */
static void
draw_long_message(struct ui *u)
{
	wchar_t w[400], *lines[3];
	size_t n = mbstowcs(w, u->message, sizeof w / sizeof w[0] - 1), start = 0;
	int count = 0;
	size_t lens[3];
	attr_t a = u->message_error ? ui_attr(u, UI_A_ERROR) :
	    ui_attr(u, UI_A_STATUS);

	if (n == (size_t)-1 || u->cols < 10)
		return;
	w[n] = L'\0';
	while (start < n && count < 3) {
		size_t len = n - start, cols = 0, k, cut;

		for (k = start; k < n; k++) {
			int cw = wcwidth(w[k]);

			cols += cw > 0 ? (size_t)cw : 0;
			if (cols > (size_t)u->cols)
				break;
		}
		len = k - start;
		cut = len;
		if (k < n)
			for (size_t j = len; j > 0; j--)
				if (w[start + j] == L' ') {
					cut = j;
					break;
				}
		lines[count] = w + start;
		lens[count++] = cut;
		start += cut;
		while (start < n && w[start] == L' ')
			start++;
	}
	for (int i = 0; i < count; i++) {
		int y = u->rows - 3 - count + i;

		if (y < 0)
			continue;
		wmove(u->body, y, 0);
		wattr_on(u->body, a, NULL);
		whline(u->body, ' ', u->cols);
		mvwaddnwstr(u->body, y, 0, lines[i], (int)lens[i]);
		wattr_off(u->body, a, NULL);
	}
}

/* Arms a timer for the moment the next flash mark ends, so that the
 * highlight goes away on time even when nothing else happens. */
static void
schedule_flash(struct ui *u)
{
	double now = ui_now(), a = model_next_flash(&u->meeting, now),
	    b = model_next_flash(&u->org, now), t;
	struct timeval tv;

	if (u->flash_ev == NULL)
		return;
	t = a < 0 ? b : b < 0 ? a : a < b ? a : b;
	if (t < 0)
		return;
	t += 0.02;
	tv.tv_sec = (time_t)t;
	tv.tv_usec = (suseconds_t)((t - (double)tv.tv_sec) * 1e6);
	event_add(u->flash_ev, &tv);
}

/* Everything that is drawn goes through here: one doupdate per change. */
static void
ui_redraw(struct ui *u)
{
	char foot[512];

	if (!u->dirty)
		return;
	u->dirty = 0;
	draw_top(u);
	werase(u->body);
	u->click_n = 0;
	view_table[u->view].draw(u, u->body, u->rows - 3, u->cols);
	if (u->form_active && u->view == u->form.view)
		draw_form(u);
	if (u->message[0] != '\0' && (u->prompt.active ||
	    layout_width(u->message) > u->cols))
		draw_long_message(u);
	draw_status(u);
	werase(u->foot);
	if (u->presentation && u->view == VIEW_MEETING)
		snprintf(foot, sizeof foot, "%s", _("P normal view  q back"));
	else
		ui_footer(u, foot, sizeof foot);
	ui_put(u->foot, 0, 0, u->cols, ui_attr(u, UI_A_DIM), foot);
	schedule_flash(u);
	curs_set(u->prompt.active ? 1 : 0);
	wnoutrefresh(u->top);
	wnoutrefresh(u->body);
	wnoutrefresh(u->foot);
	wnoutrefresh(u->status);	/* last: the prompt's cursor stays here */
	doupdate();
}

/* --- prompts ------------------------------------------------------------- */

void
ui_prompt(struct ui *u, const char *label, const char *initial,
    void (*done)(struct ui *, const char *))
{
	size_t n;

	snprintf(u->prompt.label, sizeof u->prompt.label, "%s", label);
	n = mbstowcs(u->prompt.buf, initial != NULL ? initial : "",
	    sizeof u->prompt.buf / sizeof u->prompt.buf[0] - 1);
	if (n == (size_t)-1)
		n = 0;
	u->prompt.buf[n] = L'\0';
	u->prompt.len = u->prompt.cur = n;
	u->prompt.done = done;
	u->prompt.active = 1;
	u->message[0] = '\0';
	ui_dirty(u);
}

static void
prompt_finish(struct ui *u, int ok)
{
	char text[4096];
	void (*done)(struct ui *, const char *) = u->prompt.done;
	size_t n;

	u->prompt.active = 0;
	u->prompt.buf[u->prompt.len] = L'\0';
	n = wcstombs(text, u->prompt.buf, sizeof text - 1);
	if (n == (size_t)-1)
		n = 0;
	text[n] = '\0';
	ui_dirty(u);
	if (done != NULL)
		done(u, ok ? text : NULL);
}

/* The answer to "discard what you typed?": yes cancels, else back to the text. */
static void
discard_confirmed(struct ui *u, const char *text)
{
	void (*done)(struct ui *, const char *) = u->saved_prompt.done;

	if (ui_yes(text)) {
		if (done != NULL)
			done(u, NULL);
		return;
	}
	u->prompt = u->saved_prompt;
	u->prompt.active = 1;
	ui_dirty(u);
}

static void
prompt_key(struct ui *u, int r, wint_t ch)
{
	struct ui_prompt *p = &u->prompt;

	if (r == KEY_CODE_YES) {
		switch (ch) {
		case KEY_BACKSPACE:
			if (p->len > 0)
				p->len--;
			break;
		case KEY_ENTER:
			prompt_finish(u, 1);
			return;
		default:
			break;
		}
	} else if (ch == L'\n' || ch == L'\r') {
		prompt_finish(u, 1);
		return;
	} else if (ch == 27 || ch == 7) {	/* Esc, ^G */
		if (p->len > 0 && p->done != discard_confirmed) {
			u->saved_prompt = *p;	/* typed text: ask first */
			ui_prompt(u, _("Discard what you typed? (y/n)"), "",
			    discard_confirmed);
			return;
		}
		prompt_finish(u, 0);
		return;
	} else if (ch == 127 || ch == 8) {
		if (p->len > 0)
			p->len--;
	} else if (ch == 21) {			/* ^U */
		p->len = 0;
	} else if (ch >= 32 && !(ch >= 0x7f && ch < 0xa0) &&	/* no C1 */
	    p->len + 1 < sizeof p->buf / sizeof p->buf[0]) {
		p->buf[p->len++] = (wchar_t)ch;
	}
	ui_dirty(u);
}

/* --- requests ------------------------------------------------------------ */

uint64_t
ui_send(struct ui *u, Tafel__Envelope__BodyCase body_case, void *req,
    int flags, net_reply_fn fn)
{
	if (net_get_state(u->net) != NET_READY && (flags & NET_REQ_WRITE))
		ui_message(u, 0, "%s", _("Not connected: the change is sent "
		    "when the connection is back."));
	return net_send_body(u->net, body_case, req, flags, NULL, fn != NULL ?
	    fn : ui_reply_generic, u);
}

/* Writes whose result arrives as an event anyway: only errors matter. */
void
ui_reply_generic(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
		ui_show_error(u, m->error);
	else
		ui_message(u, 0, "%s", _("Saved."));
}

static void
on_meetings(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	if (m->body_case != TAFEL__ENVELOPE__BODY_MEETING_LIST) {
		if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
			ui_show_error(u, m->error);
		return;
	}
	if (u->meetings != NULL)
		protobuf_c_message_free_unpacked(&u->meetings->base, NULL);
	u->meetings = (Tafel__MeetingList *)model_dup(&m->meeting_list->base);
	if (u->sel_meeting >= u->meetings->n_meetings)
		u->sel_meeting = 0;
	ui_dirty(u);
}

static void
on_orgs(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_ORGANISATION_LIST)
		return;
	if (u->orgs != NULL)
		protobuf_c_message_free_unpacked(&u->orgs->base, NULL);
	u->orgs = (Tafel__OrganisationList *)model_dup(
	    &m->organisation_list->base);
	ui_dirty(u);
}

static void
on_case(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(u, m->error);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_CASE_DETAIL)
		return;
	if (u->case_detail != NULL)
		protobuf_c_message_free_unpacked(&u->case_detail->base, NULL);
	u->case_detail = (Tafel__CaseDetail *)model_dup(&m->case_detail->base);
	ui_dirty(u);
}

void
ui_refresh_lists(struct ui *u)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__ListOrganisationsRequest lo =
	    TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;

	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_MEETINGS, &lm,
	    NET_REQ_VOLATILE, NULL, on_meetings, u);
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_ORGANISATIONS, &lo,
	    NET_REQ_VOLATILE, NULL, on_orgs, u);
}

/* --- subscriptions ------------------------------------------------------- */

static int
subscribed_ok(struct ui *u, const Tafel__Envelope *m)
{
	if (m == NULL)
		return 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(u, m->error);
		return 0;
	}
	return m->body_case == TAFEL__ENVELOPE__BODY_SUBSCRIBED;
}

static void
on_sub_meeting(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (u->presentation && m != NULL &&
	    m->body_case == TAFEL__ENVELOPE__BODY_ERROR &&
	    m->error->code == TAFEL__ERROR_CODE__FORBIDDEN) {
		/* Only the meeting's chair may put it on the shared screen. */
		ui_show_error(u, m->error);
		ui_set_presentation(u, 0);
		return;
	}
	if (!subscribed_ok(u, m))
		return;
	if (!m->subscribed->resumed)
		model_apply_snapshot(&u->meeting, m->subscribed->seq,
		    m->subscribed->snapshot, ui_now());
	u->meeting_subscribed = 1;
	ui_dirty(u);
}

static void
on_sub_org(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (!subscribed_ok(u, m))
		return;
	if (!m->subscribed->resumed)
		model_apply_actions(&u->org, m->subscribed->seq,
		    m->subscribed->actions, ui_now());
	u->org_subscribed = 1;
	ui_dirty(u);
}

static void
subscribe(struct ui *u, int topic, int64_t meeting_id, uint64_t from)
{
	Tafel__SubscribeRequest r = TAFEL__SUBSCRIBE_REQUEST__INIT;

	r.topic = (Tafel__SubscribeTopic)topic;
	r.meeting_id = meeting_id;
	r.resume_from = from;
	/* The beamer layout is a disclosure to the whole room: the server
	 * shows it only as far as everyone present may see it. */
	r.presentation = u->presentation &&
	    topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_SUBSCRIBE, &r,
	    NET_REQ_VOLATILE, NULL, topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING ?
	    on_sub_meeting : on_sub_org, u);
}

void
ui_set_presentation(struct ui *u, int on)
{
	int64_t id = u->meeting.meeting_id;

	if (u->presentation == on)
		return;
	u->presentation = on;
	if (on)
		model_follow(&u->meeting);
	if (id != 0) {
		/* A fresh snapshot rendered for the room (or for me again). */
		model_free(&u->meeting);
		model_init(&u->meeting, MODEL_MEETING, id);
		u->meeting_subscribed = 0;
		if (net_get_state(u->net) == NET_READY)
			subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING, id,
			    0);
	}
	ui_dirty(u);
}

void
ui_open_meeting(struct ui *u, int64_t meeting_id)
{
	Tafel__UnsubscribeRequest un = TAFEL__UNSUBSCRIBE_REQUEST__INIT;

	if (u->meeting.meeting_id != 0 && u->meeting.meeting_id != meeting_id) {
		un.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
		un.meeting_id = u->meeting.meeting_id;
		net_send_body(u->net, TAFEL__ENVELOPE__BODY_UNSUBSCRIBE, &un,
		    NET_REQ_VOLATILE, NULL, NULL, NULL);
	}
	if (u->meeting.meeting_id != meeting_id) {
		model_free(&u->meeting);
		model_init(&u->meeting, MODEL_MEETING, meeting_id);
		u->meeting_subscribed = 0;
		if (net_get_state(u->net) == NET_READY)
			subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING,
			    meeting_id, 0);
	}
	ui_set_view(u, VIEW_MEETING);
}

void
ui_open_case(struct ui *u, int64_t case_id)
{
	Tafel__GetCaseRequest r = TAFEL__GET_CASE_REQUEST__INIT;

	if (case_id == 0)
		return;
	if (u->case_detail != NULL && (u->case_detail->case_ == NULL ||
	    u->case_detail->case_->id != case_id)) {
		protobuf_c_message_free_unpacked(&u->case_detail->base, NULL);
		u->case_detail = NULL;
	}
	r.case_id = case_id;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_GET_CASE, &r, NET_REQ_READ,
	    NULL, on_case, u);
	ui_set_view(u, VIEW_CASE);
}

void
ui_set_view(struct ui *u, enum ui_view_id v)
{
	if (v != u->view && u->view != VIEW_HELP)
		u->back = u->view;
	u->view = v;
	u->message[0] = '\0';
	ui_dirty(u);
}

/* --- connection callbacks ------------------------------------------------ */

static void
on_state(struct net *n, enum net_state st, void *arg)
{
	ui_dirty(arg);
}

static void
on_ready(struct net *n, const Tafel__LoginResponse *l, int first, void *arg)
{
	struct ui *u = arg;

	u->is_chair = 0;
	if (l->user != NULL) {
		for (size_t i = 0; i < l->user->n_roles; i++)
			if (l->user->roles[i] == TAFEL__ROLE__ROLE_CHAIR)
				u->is_chair = 1;
		u->my_org_id = l->user->org_id;
		u->my_user_id = l->user->id;
	}
	if (first) {
		char err[300];

		/* not client_remember(): a log line would tear the screen */
		if (client_config_save(&u->o->cfg, u->o->config_path, err,
		    sizeof err) != 0)
			ui_message(u, 1, "%s: %s", _("Settings not saved"), err);
		model_init(&u->org, MODEL_ORG_ACTIONS, u->my_org_id);
	}
	/* (re)subscribe, resuming from the last event seen */
	subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS, 0,
	    u->org_subscribed ? u->org.seq : 0);
	if (u->meeting.meeting_id != 0)
		subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING,
		    u->meeting.meeting_id,
		    u->meeting_subscribed ? u->meeting.seq : 0);
	ui_refresh_lists(u);
	if (u->view == VIEW_CASE && u->case_detail != NULL &&
	    u->case_detail->case_ != NULL)
		ui_open_case(u, u->case_detail->case_->id);
	ui_dirty(u);
}

static void
on_event(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	double t = ui_now();

	if (u->meeting_subscribed &&
	    model_apply_event(&u->meeting, m->event, t) == MODEL_RESYNC) {
		u->meeting_subscribed = 0;
		subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING,
		    u->meeting.meeting_id, 0);
	}
	if (u->org_subscribed &&
	    model_apply_event(&u->org, m->event, t) == MODEL_RESYNC) {
		u->org_subscribed = 0;
		subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS, 0, 0);
	}
	if (m->event->meeting != NULL && u->meetings != NULL)
		for (size_t i = 0; i < u->meetings->n_meetings; i++)
			if (u->meetings->meetings[i]->id == m->event->meeting->id) {
				/* keep the list's state column current */
				u->meetings->meetings[i]->state =
				    m->event->meeting->state;
				u->meetings->meetings[i]->version =
				    m->event->meeting->version;
			}
	ui_dirty(u);
}

static char fatal_msg[512];

static void
on_fatal(struct net *n, const char *msg, const Tafel__Error *err, void *arg)
{
	struct ui *u = arg;

	if (err != NULL)
		snprintf(fatal_msg, sizeof fatal_msg, "%s", ui_error_text(err->code));
	else
		snprintf(fatal_msg, sizeof fatal_msg, "%s", msg);
	if (net_login(n) == NULL) {	/* never logged in: leave */
		u->quit = 1;
		event_base_loopexit(u->base, NULL);
		return;
	}
	ui_message(u, 1, "%s", fatal_msg);
}

/* --- event loop ---------------------------------------------------------- */

static void
on_stdin(evutil_socket_t fd, short what, void *arg)
{
	struct ui *u = arg;
	wint_t ch;
	int r;

	while (!u->quit && (r = wget_wch(u->foot, &ch)) != ERR) {
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if (u->prompt.active)
			prompt_key(u, r, ch);
		else
			ui_key(u, r == KEY_CODE_YES ? (int)ch :
			    (ch < 0x80 ? (int)ch : -1));
	}
	if (u->quit)
		event_base_loopexit(u->base, NULL);
	ui_redraw(u);
}

static void
on_winch(evutil_socket_t s, short what, void *arg)
{
	struct ui *u = arg;
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		resizeterm(ws.ws_row, ws.ws_col);
	/* the terminal may have moved or kept old lines (a shrinking
	 * tmux pane keeps the bottom ones): repaint every cell */
	clearok(curscr, TRUE);
	layout(u);
	ui_redraw(u);
}

static void
on_tick(evutil_socket_t s, short what, void *arg)
{
	struct ui *u = arg;
	static int last_flash;
	int flash = model_any_recent(&u->meeting, ui_now()) ||
	    model_any_recent(&u->org, ui_now());

	/* countdown, lag and flash marks change with time alone */
	if (net_get_state(u->net) == NET_BACKOFF || flash || last_flash)
		ui_dirty(u);
	last_flash = flash;
	ui_redraw(u);
}

/* A flash mark ended: redraw without it. */
static void
on_flash(evutil_socket_t s, short what, void *arg)
{
	ui_dirty(arg);
}

/* Activated by ui_dirty(): redraws once after the callbacks that changed things. */
static void
on_redraw(evutil_socket_t s, short what, void *arg)
{
	ui_redraw(arg);
}

/* Reads the password from the terminal with echo off. */
static char *
ask_password(const struct client_opts *o)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	struct termios old, noecho;
	char buf[1100], prompt[400];
	ssize_t n;
	size_t len = 0;
	char c;

	if (fd < 0)
		return NULL;
	snprintf(prompt, sizeof prompt, _("Password for %s at %s: "),
	    o->cfg.user, o->cfg.server);
	if (write(fd, prompt, strlen(prompt)) < 0)
		return NULL;
	tcgetattr(fd, &old);
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &noecho);
	while ((n = read(fd, &c, 1)) == 1 && c != '\n')
		if (len + 1 < sizeof buf)
			buf[len++] = c;
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* nothing to do */
	}
	close(fd);
	buf[len] = '\0';
	return xstrdup(buf);
}

int
ui_run(struct client_opts *o)
{
	struct ui u;
	struct net_opts no;
	struct net_callbacks cb = { on_state, on_ready, on_event, on_fatal };
	struct event *ev_stdin, *ev_winch, *ev_tick;
	struct timeval second = { 1, 0 };
	char err[300], *pw = NULL;
	const char *env = getenv("TAFEL_PASSWORD");
	int saved_stderr = -1;

	memset(&u, 0, sizeof u);
	u.o = o;
	if (o->cfg.user == NULL || o->cfg.user[0] == '\0') {
		fprintf(stderr, "%s", _("tafel: no user: use --user NAME\n"));
		return 1;
	}
	if (o->password_file != NULL)
		pw = client_read_password_file(o->password_file, err, sizeof err);
	else if (env != NULL)
		pw = xstrdup(env);
	else
		pw = ask_password(o);
	if (pw == NULL) {
		fprintf(stderr, "tafel: %s\n", o->password_file ? err :
		    _("cannot read the password"));
		return 1;
	}
	u.base = event_base_new();
	client_net_opts(o, &no, 1);
	u.net = net_new(u.base, &no, &cb, &u, err, sizeof err);
	if (u.net == NULL) {
		fprintf(stderr, "tafel: %s\n", err);
		free(pw);
		return 1;
	}
	net_set_password(u.net, pw);
	memset(pw, 0, strlen(pw));
	free(pw);
	model_init(&u.meeting, MODEL_MEETING, 0);
	model_init(&u.org, MODEL_ORG_ACTIONS, 0);
	u.view = VIEW_MEETINGS;
	u.back = VIEW_MEETINGS;

	/* log lines on a terminal would tear the screen: to /dev/null while
	 * curses runs, unless stderr goes elsewhere (a file, --verbose 2>log) */
	if (isatty(STDERR_FILENO)) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		saved_stderr = dup(STDERR_FILENO);
		if (null >= 0) {
			dup2(null, STDERR_FILENO);
			close(null);
		}
	}
	initscr();
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	set_escdelay(25);
	colors_init(&u);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED, NULL);
	mouseinterval(0);
	layout(&u);
	u.presentation = o->presentation;
	if (o->meeting_id != 0)
		ui_open_meeting(&u, o->meeting_id);

	ev_stdin = event_new(u.base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    on_stdin, &u);
	ev_winch = evsignal_new(u.base, SIGWINCH, on_winch, &u);
	ev_tick = event_new(u.base, -1, EV_PERSIST, on_tick, &u);
	u.redraw_ev = event_new(u.base, -1, 0, on_redraw, &u);
	u.flash_ev = evtimer_new(u.base, on_flash, &u);
	event_add(ev_stdin, NULL);
	event_add(ev_winch, NULL);
	event_add(ev_tick, &second);
	net_start(u.net);
	ui_redraw(&u);
	event_base_dispatch(u.base);

	endwin();
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
	}
	event_free(ev_stdin);
	event_free(ev_winch);
	event_free(ev_tick);
	event_free(u.redraw_ev);
	u.redraw_ev = NULL;		/* no redraw after endwin() */
	event_free(u.flash_ev);
	u.flash_ev = NULL;
	net_stop(u.net);
	/* one more pass: net_stop() frees the TLS bufferevent from the loop */
	event_base_loop(u.base, EVLOOP_NONBLOCK);
	net_free(u.net);
	model_free(&u.meeting);
	model_free(&u.org);
	if (u.meetings != NULL)
		protobuf_c_message_free_unpacked(&u.meetings->base, NULL);
	if (u.case_detail != NULL)
		protobuf_c_message_free_unpacked(&u.case_detail->base, NULL);
	if (u.orgs != NULL)
		protobuf_c_message_free_unpacked(&u.orgs->base, NULL);
	if (u.cases != NULL)
		protobuf_c_message_free_unpacked(&u.cases->base, NULL);
	event_base_free(u.base);
	if (fatal_msg[0] != '\0' && u.quit && u.my_user_id == 0) {
		fprintf(stderr, "tafel: %s\n", fatal_msg);
		return 1;
	}
	return 0;
}
