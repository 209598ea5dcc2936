/* The terminal UI's loop: the view table, the windows, reading keys, and the one function that redraws. */
#include "ui.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "forms.h"
#include "i18n.h"
#include "ui-keys.h"
#include "views.h"
#include "xmalloc.h"

/* Adding a view means adding its file and one row here. */
static const struct ui_view_ops *const view_table[VIEW__COUNT] = {
	[VIEW_MEETINGS] = &view_meetings_ops,
	[VIEW_MEETING] = &view_meeting_ops,
	[VIEW_ACTIONS] = &view_actions_ops,
	[VIEW_CASE] = &view_case_ops,
	[VIEW_HELP] = &view_help_ops,
	[VIEW_PICK_CASE] = &view_pick_case_ops,
	[VIEW_PICK_PERSON] = &view_pick_person_ops,
	[VIEW_CASES] = &view_cases_ops,
	[VIEW_NOMINATIONS] = &view_nominations_ops,
	[VIEW_PICK_ORG] = &view_pick_org_ops,
	[VIEW_INBOX] = &view_inbox_ops,
	[VIEW_MINUTES] = &view_minutes_ops,
	[VIEW_PROPOSALS] = &view_proposals_ops,
	[VIEW_REPORTS] = &view_reports_ops,
	[VIEW_INFOROUNDS] = &view_inforounds_ops,
	[VIEW_CALENDAR] = &view_calendar_ops,
};

/* --- the windows and the one redraw -------------------------------------- */

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

/* The connection state, as the status line shows it; brief: without the
 * server's name and the question about the CA file, for a line that would
 * otherwise push what the user can act on off the screen. */
static void
conn_text(struct ui *u, char *conn, size_t size, int brief)
{
	switch (net_get_state(u->net)) {
	case NET_READY:
		snprintf(conn, size, "%s", _("connected"));
		break;
	case NET_BACKOFF:	/* why, when the user can do something about it */
		if (net_server_stopping(u->net) && brief)
			snprintf(conn, size,
			    _("server stopped — retrying in %d s"),
			    net_backoff_left(u->net));
		else if (net_server_stopping(u->net))
			snprintf(conn, size,
			    _("server stopped — reconnecting in %d s"),
			    net_backoff_left(u->net));
		else if (net_problem(u->net) == NET_PROBLEM_UNREACHABLE &&
		    brief)
			snprintf(conn, size,
			    _("server not reachable — retrying in %d s"),
			    net_backoff_left(u->net));
		else if (net_problem(u->net) == NET_PROBLEM_UNREACHABLE)
			snprintf(conn, size,
			    _("server %s not reachable — retrying in %d s"),
			    u->o->cfg.server, net_backoff_left(u->net));
		else if (net_problem(u->net) == NET_PROBLEM_TLS && brief)
			snprintf(conn, size, _("connection not trusted (--ca?) "
			    "— retrying in %d s"), net_backoff_left(u->net));
		else if (net_problem(u->net) == NET_PROBLEM_TLS)
			snprintf(conn, size, _("connection not trusted: is the "
			    "CA file (--ca) right? — retrying in %d s"),
			    net_backoff_left(u->net));
		else
			snprintf(conn, size, _("reconnecting in %d s"),
			    net_backoff_left(u->net));
		break;
	case NET_DISCONNECTED:
		snprintf(conn, size, "%s", _("not connected — r to retry"));
		break;
	default:
		snprintf(conn, size, "%s", _("connecting…"));
		break;
	}
}

/* The columns a message has in the status line: the connection state
 * stays visible at its right end.  A longer message goes above it. */
static int
message_room(struct ui *u)
{
	char conn[160];
	int len;

	conn_text(u, conn, sizeof conn, 0);
	len = layout_width(conn) + 2;
	if (len < u->cols / 2)
		return u->cols - len;
	/* no room beside it: connected, the message may take the line; not
	 * connected ("server niet bereikbaar — opnieuw over 4 s"), that
	 * stays in sight and the message goes above it (a confirmation kept
	 * until a key hid the lost connection for as long) */
	return net_get_state(u->net) == NET_READY ? u->cols : 0;
}

int
ui_write_unconfirmed(struct ui *u)
{
	return net_get_state(u->net) == NET_READY &&
	    net_unanswered_write_ms(u->net) >= 2000;
}

static void
draw_status(struct ui *u)
{
	char conn[160], lag[40] = "", follow[120] = "", inbox[60] = "";
	enum net_state st = net_get_state(u->net);
	attr_t a = ui_attr(u, UI_A_STATUS);

	conn_text(u, conn, sizeof conn, 0);
	if (st == NET_READY && net_lag_ms(u->net) >= 0)
		snprintf(lag, sizeof lag, _(" · lag %ld ms"), net_lag_ms(u->net));
	if (UI_VIEW(u)->status != NULL)
		UI_VIEW(u)->status(u, follow, sizeof follow);
	/* the chair's own inbox is not the room's business */
	if (u->inbox_unread > 0 && !u->presentation)
		snprintf(inbox, sizeof inbox, _(" · inbox: %u unread"),
		    u->inbox_unread);
	wbkgdset(u->status, ' ' | a);
	werase(u->status);
	if (u->prompt.active) {
		ui_prompt_draw(u, u->status, a);
		return;
	}
	/* a message too long for the status line stands in full above it */
	if (u->message[0] != '\0' && layout_width(u->message) <= message_room(u))
		ui_putf(u->status, 0, 0, message_room(u), u->message_error ?
		    ui_attr(u, UI_A_ERROR) : a, "%s", u->message);
	else {
		const char *pending = net_pending_writes(u->net) > 0 &&
		    st != NET_READY ? _(" · changes waiting to be sent") :
		    ui_write_unconfirmed(u) ?
		    _(" · change sent, no answer yet") : "";
		char line[600];

		/* too long for the window: the lag goes first, and the
		 * unread count moves to the end (the inbox view has it), so
		 * that what the user can act on ("niet aanwezig (A)",
		 * whether they follow, changes still waiting) stays; then
		 * the connection state gets brief (a long server name) */
		snprintf(line, sizeof line, "%s%s%s%s%s", conn, lag, inbox,
		    follow, pending);
		if (layout_width(line) > u->cols)
			snprintf(line, sizeof line, "%s%s%s%s", conn, follow,
			    pending, inbox);
		if (layout_width(line) > u->cols) {
			char brief[160];

			conn_text(u, brief, sizeof brief, 1);
			snprintf(line, sizeof line, "%s%s%s", brief, follow,
			    pending);
			/* the waiting change would still be cut (the server
			 * stopped, at 80 columns): a brief word on it, right
			 * after the connection state */
			if (layout_width(line) > u->cols &&
			    net_pending_writes(u->net) > 0 && st != NET_READY)
				snprintf(line, sizeof line, "%s%s%s%s", brief,
				    _(" · not sent yet"), follow, inbox);
			else
				snprintf(line, sizeof line, "%s%s%s%s", brief,
				    follow, pending, inbox);
		}
		ui_put(u->status, 0, 0, u->cols, a, line);
	}
	if (u->message[0] != '\0' && layout_width(u->message) <= message_room(u) &&
	    message_room(u) < u->cols)
		/* the connection state stays visible, two columns after the
		 * longest message that fits ("...niet meer.verbonden") */
		ui_put(u->status, 0, message_room(u) + 2,
		    u->cols - message_room(u) - 2, a, conn);
}

static void
draw_top(struct ui *u)
{
	const Tafel__LoginResponse *l = net_login(u->net);
	char right[200], left[200];
	int rw, lw;

	wbkgdset(u->top, ' ' | ui_attr(u, UI_A_TITLE));
	werase(u->top);
	snprintf(left, sizeof left, "Tafel · %s", _(UI_VIEW(u)->title));
	if (UI_VIEW(u)->subtitle != NULL) {
		char sub[100] = "";

		UI_VIEW(u)->subtitle(u, sub, sizeof sub);
		if (sub[0] != '\0')
			snprintf(left + strlen(left), sizeof left -
			    strlen(left), " · %s", sub);
	}
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
		if (lw + rw + 2 >= u->cols) {	/* the name without the org */
			snprintf(right, sizeof right, "%s%s",
			    l->user->display_name,
			    u->is_chair ? _(" · chair") : "");
			rw = layout_width(right);
		}
		if (lw + rw + 2 < u->cols)
			ui_put(u->top, 0, u->cols - rw - 1, rw + 1,
			    ui_attr(u, UI_A_TITLE), right);
	}
}

/* A message the status line cannot hold (the prompt has it, or it is too
 * long, e.g. a CONFLICT with the current record) goes above it, wrapped
 * over up to LONG_MESSAGE_LINES lines; cut beyond that, it ends in "…"
 * (the other's value in a conflict comes last: never cut silently). */
#define LONG_MESSAGE_LINES 5
static void
draw_long_message(struct ui *u)
{
	wchar_t w[1024], *lines[LONG_MESSAGE_LINES];
	size_t n = mbstowcs(w, u->message, sizeof w / sizeof w[0] - 1), start = 0;
	int count = 0, cut_off;
	size_t lens[LONG_MESSAGE_LINES];
	attr_t a = u->message_error ? ui_attr(u, UI_A_ERROR) :
	    ui_attr(u, UI_A_STATUS);

	if (n == (size_t)-1 || u->cols < 10)
		return;
	w[n] = L'\0';
	while (start < n && count < LONG_MESSAGE_LINES) {
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
	/* more than fits: the last line makes room for "…" */
	cut_off = start < n && count > 0;
	if (cut_off) {
		size_t cols = 0, k;

		for (k = 0; k < lens[count - 1]; k++) {
			int cw = wcwidth(lines[count - 1][k]);

			if (cols + (size_t)(cw > 0 ? cw : 0) + 1 > (size_t)u->cols)
				break;
			cols += cw > 0 ? (size_t)cw : 0;
		}
		lens[count - 1] = k;
	}
	for (int i = 0; i < count; i++) {
		int y = u->rows - 3 - count + i;

		if (y < 0)
			continue;
		wmove(u->body, y, 0);
		wattr_on(u->body, a, NULL);
		whline(u->body, ' ', u->cols);
		mvwaddnwstr(u->body, y, 0, lines[i], (int)lens[i]);
		if (cut_off && i == count - 1)
			waddwstr(u->body, L"…");
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

/* Arms a timer for the moment the message (news, not an error) goes; a
 * message above an open question stays while it is asked. */
static void
schedule_message(struct ui *u)
{
	double t;
	struct timeval tv;

	if (u->message_ev == NULL || u->message[0] == '\0' ||
	    u->message_error || u->message_kept || u->prompt.active)
		return;
	t = u->message_until - ui_now();
	if (t < 0)
		t = 0;
	t += 0.02;
	tv.tv_sec = (time_t)t;
	tv.tv_usec = (suseconds_t)((t - (double)tv.tv_sec) * 1e6);
	event_add(u->message_ev, &tv);
}

/* Everything that is drawn goes through here: one doupdate per change. */
static void
redraw(struct ui *u)
{
	char foot[512];

	if (!u->dirty)
		return;
	u->dirty = 0;
	draw_top(u);
	werase(u->body);
	u->click_n = 0;
	u->body_overflows = 0;
	UI_VIEW(u)->draw(u, u->body, u->rows - 3, u->cols);
	forms_draw(u);
	if (u->message[0] != '\0' && (u->prompt.active ||
	    layout_width(u->message) > message_room(u)))
		draw_long_message(u);
	draw_status(u);
	werase(u->foot);
	/* while the input line is open, its keys: the view's do not work */
	if (u->prompt.active)
		snprintf(foot, sizeof foot, "%s", u->prompt.yesno ?
		    _("y yes  n no  Esc cancel") :
		    _("Enter done  Esc cancel  Ctrl-U clear"));
	else if (UI_VIEW(u)->footer == NULL || !UI_VIEW(u)->footer(u, foot,
	    sizeof foot))
		ui_footer(u, foot, sizeof foot);
	ui_put(u->foot, 0, 0, u->cols, ui_attr(u, UI_A_DIM), foot);
	schedule_flash(u);
	schedule_message(u);
	curs_set(u->prompt.active ? 1 : 0);
	wnoutrefresh(u->top);
	wnoutrefresh(u->body);
	wnoutrefresh(u->foot);
	wnoutrefresh(u->status);	/* last: the prompt's cursor stays here */
	doupdate();
}

/* --- event loop ---------------------------------------------------------- */

/*
 * Key sequences the terminal's terminfo entry does not list, as PuTTY and
 * tmux send them with another TERM (End as ESC [ 4 ~): ncurses hands them
 * over byte by byte, and "4" would then open the case list.  After ESC,
 * what follows "[" or "O" at once is read whole and looked up here.
 */
static const struct {
	const char *seq;		/* after ESC */
	int key;
} esc_keys[] = {
	{ "[1~", KEY_HOME }, { "[7~", KEY_HOME }, { "[H", KEY_HOME },
	{ "OH", KEY_HOME }, { "[4~", KEY_END }, { "[8~", KEY_END },
	{ "[F", KEY_END }, { "OF", KEY_END }, { "[5~", KEY_PPAGE },
	{ "[6~", KEY_NPAGE }, { "[A", KEY_UP }, { "OA", KEY_UP },
	{ "[B", KEY_DOWN }, { "OB", KEY_DOWN }, { "[C", KEY_RIGHT },
	{ "OC", KEY_RIGHT }, { "[D", KEY_LEFT }, { "OD", KEY_LEFT },
	{ "[3~", KEY_DC }, { "[2~", KEY_IC },
};

/*
 * After an ESC: the key of an escape sequence that follows at once (0: a
 * sequence this table does not know, ignored whole), or -1 when none
 * follows (a plain Esc; *next, *next_r: the key read after it, if any).
 */
static int
esc_sequence(struct ui *u, wint_t *next, int *next_r)
{
	char seq[16];
	size_t n = 0;
	wint_t ch;
	int r;

	*next_r = ERR;
	if ((r = wget_wch(u->foot, &ch)) == ERR)
		return -1;
	if (r != OK || (ch != '[' && ch != 'O')) {
		*next = ch;
		*next_r = r;
		return -1;
	}
	seq[n++] = (char)ch;
	/* parameters and intermediates, then one final byte (ECMA-48) */
	while ((r = wget_wch(u->foot, &ch)) == OK && ch < 0x80) {
		if (n < sizeof seq - 1)
			seq[n++] = (char)ch;
		if ((seq[0] == 'O' && n == 2) || (ch >= 0x40 && ch <= 0x7e &&
		    n > 1))
			break;
	}
	seq[n] = '\0';
	for (size_t i = 0; i < sizeof esc_keys / sizeof esc_keys[0]; i++)
		if (strcmp(esc_keys[i].seq, seq) == 0)
			return esc_keys[i].key;
	return 0;
}

static void
on_stdin(evutil_socket_t fd, short what, void *arg)
{
	struct ui *u = arg;
	wint_t ch, next;
	int r, next_r = ERR, key;

	while (!u->quit) {
		if (next_r != ERR) {	/* read after an Esc: its own key */
			r = next_r;
			ch = next;
			next_r = ERR;
		} else if ((r = wget_wch(u->foot, &ch)) == ERR)
			break;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if (r == OK && ch == 27 &&
		    (key = esc_sequence(u, &next, &next_r)) >= 0) {
			if (key == 0)
				continue;	/* not a key Tafel knows */
			r = KEY_CODE_YES;
			ch = (wint_t)key;
		}
		if (u->prompt.active)
			ui_prompt_key(u, r, ch);
		else if (forms_step_waiting(u))	/* d or a waits for n */
			forms_step_hold(u, r, ch);
		else
			ui_key(u, r == KEY_CODE_YES ? (int)ch :
			    (ch < 0x80 ? (int)ch : -1));
	}
	if (u->quit)
		event_base_loopexit(u->base, NULL);
	redraw(u);
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
	redraw(u);
}

static void
on_tick(evutil_socket_t s, short what, void *arg)
{
	struct ui *u = arg;
	static int last_flash;
	int flash = model_any_recent(&u->meeting, ui_now()) ||
	    model_any_recent(&u->org, ui_now());

	/* countdown, lag, flash marks and a change left unanswered
	 * change with time alone */
	if (net_get_state(u->net) == NET_BACKOFF || flash || last_flash ||
	    net_pending(u->net) > 0)
		ui_dirty(u);
	last_flash = flash;
	ui_meeting_resubscribe_due(u);
	redraw(u);
}

/* A flash mark ended: redraw without it. */
static void
on_flash(evutil_socket_t s, short what, void *arg)
{
	ui_dirty(arg);
}

/* The message's time is up: it goes (unless an error or a question took
 * its place meanwhile). */
static void
on_message(evutil_socket_t s, short what, void *arg)
{
	struct ui *u = arg;

	if (u->message[0] == '\0' || u->message_error || u->message_kept ||
	    u->prompt.active)
		return;
	if (ui_now() < u->message_until) {	/* early: again at the time */
		schedule_message(u);
		return;
	}
	u->message[0] = '\0';
	ui_dirty(u);
}

/* Activated by ui_dirty(): redraws once after the callbacks that changed things. */
static void
on_redraw(evutil_socket_t s, short what, void *arg)
{
	redraw(arg);
}

int
ui_run(struct client_opts *o)
{
	struct ui u;
	struct net_opts no;
	struct event *ev_stdin, *ev_winch, *ev_tick;
	struct timeval second = { 1, 0 };
	char err[300], *pw = NULL;
	const char *env = getenv("TAFEL_PASSWORD");
	int saved_stderr = -1;

	memset(&u, 0, sizeof u);
	u.aside = VIEW__COUNT;
	u.o = o;
	u.views = view_table;
	if (o->cfg.user == NULL || o->cfg.user[0] == '\0') {
		fprintf(stderr, "%s", _("tafel: no user: use --user NAME\n"));
		return 1;
	}
	if (o->password_file != NULL)
		pw = client_read_password_file(o->password_file, err, sizeof err);
	else if (env != NULL)
		pw = xstrdup(env);
	else
		pw = client_ask_password(o);
	if (pw == NULL) {
		fprintf(stderr, "tafel: %s\n", o->password_file ? err :
		    _("cannot read the password"));
		return 1;
	}
	u.base = event_base_new();
	client_net_opts(o, &no, 1);
	u.net = net_new(u.base, &no, &ui_net_callbacks, &u, err, sizeof err);
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
	ui_colors_init(&u);
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
	u.message_ev = evtimer_new(u.base, on_message, &u);
	event_add(ev_stdin, NULL);
	event_add(ev_winch, NULL);
	event_add(ev_tick, &second);
	net_start(u.net);
	redraw(&u);
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
	event_free(u.message_ev);
	u.message_ev = NULL;
	net_stop(u.net);
	/* one more pass: net_stop() frees the TLS bufferevent from the loop */
	event_base_loop(u.base, EVLOOP_NONBLOCK);
	net_free(u.net);
	model_free(&u.meeting);
	model_free(&u.org);
	if (u.orgs != NULL)
		protobuf_c_message_free_unpacked(&u.orgs->base, NULL);
	for (int v = 0; v < VIEW__COUNT; v++)
		if (view_table[v]->free != NULL)
			view_table[v]->free(&u);
	event_base_free(u.base);
	if (ui_fatal_message()[0] != '\0' && u.quit && u.my_user_id == 0) {
		fprintf(stderr, "tafel: %s\n", ui_fatal_message());
		return 1;
	}
	return 0;
}
