/* Key bindings: one table with names and help texts drives dispatch, the footer and the help view; the navigation keys live here. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "i18n.h"
#include "ui-keys.h"
#include "views.h"

#define V(x) VIEW_BIT(VIEW_##x)

/* --- navigation ---------------------------------------------------------- */

static void
quit_confirmed(struct ui *u, const char *text)
{
	if (ui_yes(text))
		u->quit = 1;
}

/* q while a search is on: the search goes (the footer says so). */
static void
k_clear_search(struct ui *u)
{
	u->filter[u->view][0] = '\0';
	ui_dirty(u);
}

/* q at the top (no search on): quit, but ask when changes are still
 * waiting to be sent (or sent but unanswered for a while), or when the
 * user chairs a meeting that is open (it stays open without them; not
 * from the shared screen). */
static void
k_quit(struct ui *u)
{
	static char label[300];
	const Tafel__Meeting *m;

	if (net_pending_writes(u->net) > 0 && net_get_state(u->net) != NET_READY) {
		ui_ask_yesno(u, _("Changes are not sent yet. Quit anyway? (y/n)"),
		    quit_confirmed);
		return;
	}
	if (ui_write_unconfirmed(u)) {
		ui_ask_yesno(u, _("A change sent has no answer yet. Quit "
		    "anyway? (y/n)"), quit_confirmed);
		return;
	}
	if (!u->presentation && (m = view_meetings_open_chaired(u)) != NULL) {
#define CHAIR_QUIT _("You chair %s, which is open: it stays open. " \
	    "Quit anyway? (y/n)")
		char name[200];
		size_t o;
		int room;

		/* a long series name gives way ("Casusoverleg huiselijk
		 * geweld…"), not the middle of the sentence, which the
		 * prompt would cut on one row */
		snprintf(label, sizeof label, CHAIR_QUIT, "");
		room = u->cols - 3 - layout_width(label);
		snprintf(name, sizeof name, "%s", m->series_name);
		if (room >= 8 && layout_width(name) > room) {
			layout_cell(name, sizeof name, m->series_name, room);
			for (o = strlen(name); o > 0 && name[o - 1] == ' '; o--)
				name[o - 1] = '\0';
		}
		snprintf(label, sizeof label, CHAIR_QUIT, name);
#undef CHAIR_QUIT
		ui_ask_yesno(u, label, quit_confirmed);
		return;
	}
	u->quit = 1;
}

/* Esc: from the help over a picker back to it, else to the view this one
 * belongs to, else one step back along the way the user came, else the
 * meetings. */
static void
k_back(struct ui *u)
{
	enum ui_view_id parent = UI_VIEW(u)->parent;

	if (u->view == VIEW_HELP && u->aside != VIEW__COUNT)
		ui_set_view(u, u->aside);	/* the picker it was opened over */
	else if (parent != VIEW__COUNT)
		ui_set_view(u, parent);
	else if (u->n_trail > 0)
		ui_set_view(u, u->trail[u->n_trail - 1]);
	else
		ui_set_view(u, VIEW_MEETINGS);
}

/* q elsewhere (no search on): what the view does with q, or back. */
static void
k_q_back(struct ui *u)
{
	if (UI_VIEW(u)->quit != NULL && UI_VIEW(u)->quit(u))
		return;
	k_back(u);
}

/* A pick list narrows while its search is typed (filter_live); the
 * search it had before comes back when the typing is cancelled. */
static struct {
	int on;
	enum ui_view_id view;
	char before[sizeof ((struct ui *)0)->filter[0]];
} live;

static void
filter_set(struct ui *u, enum ui_view_id view, const char *text)
{
	snprintf(u->filter[view], sizeof u->filter[view], "%s", text);
	if (u->view == view && UI_VIEW(u)->search_reset != NULL)
		UI_VIEW(u)->search_reset(u);
	ui_dirty(u);
}

static void
filter_live(struct ui *u, const char *text)
{
	if (live.on && u->view == live.view)
		filter_set(u, live.view, text);
}

static void
filter_done(struct ui *u, const char *text)
{
	int was_live = live.on;

	live.on = 0;
	if (text == NULL) {
		if (was_live)
			filter_set(u, live.view, live.before);
		return;
	}
	filter_set(u, u->view, text);
}

/* The search prompt: in a pick list the list narrows as it is typed. */
static void
search_prompt(struct ui *u, const char *initial)
{
	live.on = 0;
	ui_prompt(u, _("Search"), initial, filter_done);
	if (UI_VIEW(u)->searchable && UI_VIEW(u)->transient) {
		live.on = 1;
		live.view = u->view;
		snprintf(live.before, sizeof live.before, "%s",
		    u->filter[u->view]);
		u->prompt.changed = filter_live;
	}
}

/* /: the view's own search, offered as a default that typing replaces
 * (an arrow key or Backspace edits it instead). */
static void
k_filter(struct ui *u)
{
	search_prompt(u, u->filter[u->view]);
	u->prompt.replace = 1;
}

static void
k_past(struct ui *u)
{
	view_meetings_toggle_past(u);
}

static void
leave_confirmed(struct ui *u, const char *text)
{
	if (ui_yes(text))
		ui_set_presentation(u, 0);
	else
		ui_message(u, 0, "%s", _("The shared screen stays."));
}

/* The normal view shows the room what only the chair may see: asked. */
void
ui_keys_leave_presentation(struct ui *u)
{
	ui_ask_yesno(u, _("The screen then shows names and birth dates to the "
	    "room. Go on? (y/n)"), leave_confirmed);
}

static void
k_presentation(struct ui *u)
{
	if (u->presentation)
		ui_keys_leave_presentation(u);
	else
		ui_set_presentation(u, 1);
}

static void
k_help(struct ui *u)
{
	view_help_open(u);
}

static void
k_meetings(struct ui *u)
{
	if (net_get_state(u->net) == NET_READY)
		ui_refresh_lists(u);	/* states and times may have changed */
	ui_set_view(u, VIEW_MEETINGS);
}

static void
k_meeting(struct ui *u)
{
	if (u->meeting.meeting_id == 0) {
		ui_message(u, 1, "%s", _("Choose a meeting first."));
		return;
	}
	ui_set_view(u, VIEW_MEETING);
}

static void
k_actions(struct ui *u)
{
	view_actions_open(u);
}

static void
k_cases(struct ui *u)
{
	view_cases_open(u);
}

static void
k_inbox(struct ui *u)
{
	view_inbox_open(u);
}

static void
k_minutes(struct ui *u)
{
	view_minutes_open(u);
}

static void
k_proposals(struct ui *u)
{
	view_proposals_open(u);
}

static void
k_reports(struct ui *u)
{
	view_reports_open(u);
}

static void
k_inforounds(struct ui *u)
{
	view_inforounds_open(u);
}

static void
k_calendar(struct ui *u)
{
	view_calendar_open(u);
}

static void
k_nominations(struct ui *u)
{
	view_nominations_open(u);
}

static void
move_sel(struct ui *u, int dir)
{
	if (UI_VIEW(u)->step != NULL)
		UI_VIEW(u)->step(u, dir);
	ui_dirty(u);
}

static void
k_up(struct ui *u)
{
	move_sel(u, -1);
}

static void
k_down(struct ui *u)
{
	move_sel(u, 1);
}

/* A page: the body's rows but the two "+N more" rows, so that the row
 * below the last one shown comes up first. */
static int
page_rows(struct ui *u)
{
	int rows = UI_VIEW(u)->page != NULL ? UI_VIEW(u)->page(u) :
	    u->body != NULL ? getmaxy(u->body) - 2 : 1;

	return rows > 1 ? rows : 1;
}

static void
k_page_down(struct ui *u)
{
	move_sel(u, page_rows(u));
}

static void
k_page_up(struct ui *u)
{
	move_sel(u, -page_rows(u));
}

/* As far as it goes: the pager stops at its first or last row. */
static void
k_top(struct ui *u)
{
	move_sel(u, -(INT_MAX / 2));
}

static void
k_bottom(struct ui *u)
{
	move_sel(u, INT_MAX / 2);
}

static void
k_enter(struct ui *u)
{
	if (UI_VIEW(u)->enter != NULL)
		UI_VIEW(u)->enter(u);
}

/* A mouse click on a list row selects it; a double click opens it. */
static void
k_mouse(struct ui *u)
{
	const struct ui_view_ops *ops = UI_VIEW(u);
	MEVENT ev;
	int y;
	size_t idx;

	if (getmouse(&ev) != OK)
		return;
	y = ev.y - 1;			/* the body starts below the top line */
	if (u->click_n == 0 || y < u->click_y0 || ops->select == NULL)
		return;
	idx = u->click_first + (size_t)(y - u->click_y0);
	if (idx >= u->click_n || (ops->lines != NULL && idx >= ops->lines(u)))
		return;
	ops->select(u, idx);
	ui_dirty(u);
	if ((ev.bstate & BUTTON1_DOUBLE_CLICKED) && ops->enter != NULL)
		ops->enter(u);
}

/* Enter in the inbox marks the entry read: a write (the sender sees it). */
static void
k_mark_read(struct ui *u)
{
	k_enter(u);
}

static int when_not_over(const struct ui *u);
static int chairs_meeting(const struct ui *u);

/* f: back to the chair's item (the chair: to the current item).  Where
 * that changes nothing, it says why, and the footer leaves f out: a
 * closed or cancelled meeting has no one to follow, a partner following
 * already follows, and the chair has no current item to go back to
 * before the first n (in a planned meeting none at all). */
static void
k_follow(struct ui *u)
{
	if (u->meeting.meeting != NULL && !when_not_over(u)) {
		ui_message(u, 1, _("%s: not possible while the meeting is %s."),
		    "f", ui_enum(&tafel__meeting_state__descriptor,
		    (int)u->meeting.meeting->state));
		return;
	}
	if (chairs_meeting(u) && model_current_item(&u->meeting) == 0) {
		ui_message(u, 1, "%s", u->meeting.meeting->state ==
		    TAFEL__MEETING_STATE__MEETING_PLANNED ?
		    _("f: no current item to go back to: open the meeting (o), "
		    "then n makes the first item current.") :
		    _("f: no current item to go back to yet: n makes the first "
		    "item current."));
		return;
	}
	if (u->meeting.meeting != NULL && u->meeting.following) {
		ui_message(u, 0, "%s", chairs_meeting(u) ?
		    _("f: you are on the current item already.") :
		    _("f: you follow the chair already (↑/↓ go your own "
		    "way)."));
		return;
	}
	model_follow(&u->meeting);
	ui_dirty(u);
}

static void
k_reconnect(struct ui *u)
{
	if (net_get_state(u->net) == NET_DISCONNECTED ||
	    net_get_state(u->net) == NET_BACKOFF)
		net_start(u->net);
	else if (net_get_state(u->net) == NET_READY)
		ui_refresh_lists(u);
	ui_dirty(u);
}

static void
k_next_action(struct ui *u)
{
	view_meeting_action_step(u, 1);
}

static void
k_prev_action(struct ui *u)
{
	view_meeting_action_step(u, -1);
}

/* --- when a key matters (the footer) ------------------------------------ */

static int
meeting_in(const struct ui *u, Tafel__MeetingState st)
{
	return u->meeting.meeting != NULL && u->meeting.meeting->state == st &&
	    !u->presentation;
}

/* The view has an action point chosen (an empty list offers no c, e, x). */
static int
when_action_chosen(const struct ui *u)
{
	struct ui *w = (struct ui *)(uintptr_t)u;	/* the lookup only reads */

	return UI_VIEW(u)->action != NULL && UI_VIEW(u)->action(w) != NULL;
}

static int
when_planned(const struct ui *u)
{
	return meeting_in(u, TAFEL__MEETING_STATE__MEETING_PLANNED);
}

/* A planned meeting whose agenda is not published yet (U offered). */
static int
when_unpublished(const struct ui *u)
{
	return when_planned(u) && u->meeting.meeting->published_at == 0;
}

static int
when_open(const struct ui *u)
{
	return meeting_in(u, TAFEL__MEETING_STATE__MEETING_OPEN);
}

static int
when_closed(const struct ui *u)
{
	return meeting_in(u, TAFEL__MEETING_STATE__MEETING_CLOSED);
}

/* Planned or open: a meeting the chair still leads (f follows him);
 * once closed or cancelled there is no one to follow. */
static int
when_not_over(const struct ui *u)
{
	return when_planned(u) || when_open(u);
}

/* I chair the meeting on screen: f takes me to its current item, I
 * follow no one. */
static int
chairs_meeting(const struct ui *u)
{
	return u->meeting.meeting != NULL &&
	    u->meeting.meeting->chair_id == u->my_user_id;
}

/* f would follow the chair again: a partner gone their own way in a
 * meeting not over (following already, f would change nothing). */
static int
when_may_follow(const struct ui *u)
{
	return when_not_over(u) && !chairs_meeting(u) && !u->meeting.following;
}

/* f would take the chair back to the current item: one is current and
 * the chair looks at another. */
static int
when_may_return(const struct ui *u)
{
	return when_open(u) && chairs_meeting(u) && !u->meeting.following &&
	    model_current_item(&u->meeting) != 0;
}

/* The open meeting has me recorded present (A then records leaving). */
static int
me_present(const struct ui *u)
{
	const struct mrec *r = model_rec(&u->meeting.attendance,
	    u->my_user_id);
	const Tafel__Attendance *a = r != NULL ? (const void *)r->msg : NULL;

	return a != NULL && a->present;
}

static int
when_open_absent(const struct ui *u)
{
	return when_open(u) && !me_present(u);
}

static int
when_open_present(const struct ui *u)
{
	return when_open(u) && me_present(u);
}

/* The meetings list: a closed meeting is selected (b has minutes). */
static int
when_selected_closed(const struct ui *u)
{
	const Tafel__Meeting *m = view_meetings_selected(u);

	return m != NULL && m->state == TAFEL__MEETING_STATE__MEETING_CLOSED;
}

/* The agenda can still change. */
static int
when_not_closed(const struct ui *u)
{
	return when_planned(u) || when_open(u);
}

/* A decision: recorded in the open meeting, corrected after the close
 * (the minutes and the case say it was changed after closing). */
static int
when_decided(const struct ui *u)
{
	return when_open(u) || when_closed(u);
}

/* The case shown (the case view), NULL while it loads. */
static const Tafel__Case *
shown_case(const struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail((struct ui *)u);

	return d != NULL ? d->case_ : NULL;
}

static int
case_pm(const struct ui *u, const Tafel__Case *c)
{
	for (size_t i = 0; i < c->n_process_manager_ids; i++)
		if (c->process_manager_ids[i] == u->my_user_id)
			return 1;
	return 0;
}

/* The case's routing is this user's to move (move_case: a chair, an
 * administrator, a process manager of the case or its case manager);
 * unknown while it loads: offered. */
static int
when_case_steer(const struct ui *u)
{
	const Tafel__Case *c = shown_case(u);

	return c == NULL || u->is_chair || u->is_admin || case_pm(u, c) ||
	    (c->case_manager_id != 0 && c->case_manager_id == u->my_user_id);
}

/* The routing's fields are this user's to set (update_routing: the same
 * rule as move_case, the submitting organisation not included). */
static int
when_case_routing(const struct ui *u)
{
	return when_case_steer(u);
}

/* The plan of approach is this user's to add to (add_goal: those who may
 * update the case, the submitting organisation too). */
static int
when_case_plan(const struct ui *u)
{
	const Tafel__Case *c = shown_case(u);

	return when_case_steer(u) || (c != NULL && c->submitter_org_id ==
	    u->my_org_id);
}

/* An info round is this user's to start (a process manager of the case,
 * an administrator). */
static int
when_case_pm(const struct ui *u)
{
	const Tafel__Case *c = shown_case(u);

	return c == NULL || u->is_admin || case_pm(u, c);
}

/*
 * What a case-view key whose when() says no answers at once, before any
 * question is asked: the rule the server would refuse it with.
 */
static const struct {
	int (*when)(const struct ui *);
	const char *why;
} case_refusals[] = {
	{ when_case_steer, N_("Only a chair, the case's process manager or its "
	    "case manager moves the case on.") },
	{ when_case_plan, N_("Only the submitting organisation, the case "
	    "manager, a process manager or a chair changes the case.") },
	{ when_case_pm, N_("Only the case's process manager starts an info "
	    "round.") },
	{ when_case_routing, N_("Only a chair, the case's process manager or "
	    "its case manager sets the routing.") },
};

/* The refusal of key k in the case view, NULL when it is not refused. */
static const char *
case_refusal(const struct ui *u, const struct ui_key *k)
{
	if (u->view != VIEW_CASE || k->when == NULL || k->when(u))
		return NULL;
	for (size_t i = 0; i < sizeof case_refusals / sizeof case_refusals[0];
	    i++)
		if (case_refusals[i].when == k->when)
			return case_refusals[i].why;
	return NULL;
}

/* The view's "/" search is on (q clears it first). */
static int
when_searching(const struct ui *u)
{
	return u->filter[u->view][0] != '\0';
}

/* A line of the list is selected (an empty list offers no keys for one). */
/* The selected round asks my organisation (b and n answer it). */
static int
when_round(const struct ui *u)
{
	const Tafel__InfoRound *r = view_inforounds_selected((struct ui *)u);

	for (size_t i = 0; r != NULL && i < r->n_asked; i++)
		if (r->asked[i]->org_id == u->my_org_id)
			return 1;
	return 0;
}

/* The selected round is mine to close (I started it; any process manager
 * of the case may, and Z works for them without the hint). */
static int
when_round_mine(const struct ui *u)
{
	const Tafel__InfoRound *r = view_inforounds_selected((struct ui *)u);

	return r != NULL && (r->started_by == u->my_user_id || u->is_admin);
}

static int
when_my_actions(const struct ui *u)
{
	return view_meeting_my_actions((struct ui *)u);
}

static int
when_nomination(const struct ui *u)
{
	return view_nominations_selected((struct ui *)u) != NULL;
}

static int
when_proposal(const struct ui *u)
{
	return view_proposals_selected((struct ui *)u) != NULL;
}

/* A key of the case view alone acts on the case shown: none while it
 * loads, or when the server does not show it to this organisation. */
static int
case_key_waits(const struct ui *u, const struct ui_key *k)
{
	return u->view == VIEW_CASE && k->views == V(CASE) &&
	    shown_case(u) == NULL;
}

/* --- the table ----------------------------------------------------------- */

#define MEETING V(MEETING)

/* The pagers (ui-pager.c), and the views scrolled like them (the help,
 * the case): a page and the ends as well as a row; b and g are the case
 * view's contribution and goal, so there only the others. */
#define PAGERS (V(MINUTES) | V(REPORTS) | V(HELP) | V(CASE))
#define PAGERS_BG (V(MINUTES) | V(REPORTS) | V(HELP))

/* The lists: a page and the ends too; in the meeting's agenda as well,
 * where they move the selection as j and k do (a partner then goes their
 * own way).  Its b is the minutes, so not there. */
#define LISTS (V(MEETINGS) | V(ACTIONS) | V(CASES) | V(NOMINATIONS) | \
	V(INBOX) | V(PROPOSALS) | V(INFOROUNDS) | V(CALENDAR) | \
	V(PICK_CASE) | V(PICK_PERSON) | V(PICK_ORG) | MEETING)

/* The lists with a "/" search. */
#define SEARCHABLE (V(MEETINGS) | V(ACTIONS) | V(PICK_CASE) | V(PICK_PERSON) | \
	V(CASES) | V(PICK_ORG))

/* Adding a key means adding one row: dispatch, footer and help follow. */
const struct ui_key ui_keys[] = {
	/* no help text: the q rows below say that q clears a search first */
	{ 'q', "q", SEARCHABLE, 0, N_("clear search"), k_clear_search, NULL,
	  when_searching },
	{ 'q', "q", V(MEETINGS), 0, N_("quit"), k_quit,
	  N_("Quit tafel (clears a search first)"), NULL },
	{ 'q', "q", V(REPORTS), KEY_STEERING, N_("quit"), k_quit,
	  N_("Quit tafel"), NULL },
	/* q goes back everywhere else; the help says what else it does in
	 * each view: only the lists search, only the chair has the beamer */
	{ 'q', "q", SEARCHABLE & ~V(MEETINGS), 0, N_("back"), k_q_back,
	  N_("Back (clears a search first)"), NULL },
	{ 'q', "q", MEETING, 1, N_("back"), k_q_back,
	  N_("Back to the meetings (with P: the list shared too)"),
	  NULL },
	{ 'q', "q", MEETING, -1, N_("back"), k_q_back,
	  N_("Back to the meetings"), NULL },
	{ 'q', "q", V(CASE) | V(HELP) | V(NOMINATIONS) | V(INBOX) |
	  V(MINUTES) | V(PROPOSALS) | V(REPORTS) | V(INFOROUNDS) |
	  V(CALENDAR), 0, N_("back"), k_q_back, N_("Back"), NULL },
	{ '?', "?", VIEWS_ALL, 0, N_("help"), k_help, N_("Show all keys"), NULL },
	{ 27, "Esc", VIEWS_ALL, 0, NULL, k_back, N_("Back to the previous view"), NULL },
	{ KEY_BACKSPACE, "Backspace", VIEWS_ALL, 0, NULL, k_back,
	  N_("Back to the previous view"), NULL },
	{ '1', "1", VIEWS_ALL, KEY_REGISTER, N_("meetings"), k_meetings,
	  N_("Meetings of my organisation"), NULL },
	{ '2', "2", VIEWS_ALL, KEY_REGISTER, N_("meeting"), k_meeting,
	  N_("The meeting chosen last"), NULL },
	{ '3', "3", VIEWS_ALL, KEY_REGISTER, N_("actions"), k_actions,
	  N_("Open action points of my organisation, overdue first"), NULL },
	{ '4', "4", VIEWS_ALL, KEY_REGISTER, N_("cases"), k_cases,
	  N_("Cases I may know of, new signals on top"), NULL },
	{ '5', "5", VIEWS_ALL, KEY_REGISTER, NULL, k_nominations,
	  N_("Cases nominated for a meeting, waiting for the chair"), NULL },
	{ '6', "6", VIEWS_ALL, KEY_REGISTER, NULL, k_inbox,
	  N_("Inbox: feedback, info rounds and notices for your organisation"), NULL },
	{ '7', "7", VIEWS_ALL, 0, NULL, k_reports,
	  N_("Reports: per organisation and area (chairs, administrators, "
	  "steering group)"), NULL },
	{ 'p', "p", V(REPORTS), KEY_REPORTS, N_("period"), view_reports_period,
	  N_("Another period for the report: two dates, or a quarter "
	  "(2026Q4)"), NULL },
	{ '8', "8", VIEWS_ALL, KEY_REGISTER, NULL, k_inforounds,
	  N_("Info rounds: open rounds my organisation is asked in or runs"),
	  NULL },
	{ '9', "9", VIEWS_ALL, KEY_REGISTER, NULL, k_calendar,
	  N_("Calendar: my organisation's meetings across all series, clashes "
	  "in red"), NULL },
	{ 'b', "b", V(INFOROUNDS), 0, N_("known"), forms_inforound_known,
	  N_("Answer the selected info round: known (bekend), with a short "
	  "note"), when_round },
	{ 'n', "n", V(INFOROUNDS), 0, N_("not known"), forms_inforound_not_known,
	  N_("Answer the selected info round: not known (niet bekend), with a "
	  "short note"), when_round },
	{ 'Z', "Z", V(INFOROUNDS), 0, N_("close"), forms_inforound_close,
	  N_("Close the selected info round (its process manager)"),
	  when_round_mine },
	{ KEY_UP, "↑", VIEWS_ALL, 0, NULL, k_up,
	  N_("Previous line (in a meeting: go your own way)"), NULL },
	{ 'k', "k", VIEWS_ALL, 0, NULL, k_up,
	  N_("Previous line (in a meeting: go your own way)"), NULL },
	{ KEY_DOWN, "↓", VIEWS_ALL, 0, NULL, k_down,
	  N_("Next line (in a meeting: go your own way)"), NULL },
	{ 'j', "j", VIEWS_ALL, 0, NULL, k_down,
	  N_("Next line (in a meeting: go your own way)"), NULL },
	{ ' ', N_("Space"), PAGERS, 0, N_("page"), k_page_down,
	  N_("A page down"), NULL },
	{ KEY_NPAGE, "PgDn", PAGERS | LISTS, 0, NULL, k_page_down,
	  N_("A page down"), NULL },
	{ KEY_PPAGE, "PgUp", PAGERS | LISTS, 0, NULL, k_page_up,
	  N_("A page up"), NULL },
	{ 'b', "b", PAGERS_BG, 0, NULL, k_page_up, N_("A page up"), NULL },
	{ 'g', "g", PAGERS_BG | LISTS, 0, NULL, k_top, N_("To the top"),
	  NULL },
	{ KEY_HOME, "Home", PAGERS | LISTS, 0, NULL, k_top, N_("To the top"),
	  NULL },
	{ 'G', "G", PAGERS | LISTS, 0, NULL, k_bottom, N_("To the end"),
	  NULL },
	{ KEY_END, "End", PAGERS | LISTS, 0, NULL, k_bottom, N_("To the end"),
	  NULL },
	{ KEY_MOUSE, N_("mouse"), VIEWS_ALL, 0, NULL, k_mouse,
	  N_("Click selects a line, double click opens it"), NULL },
	{ '/', "/", SEARCHABLE, 0, N_("search"),
	  k_filter,
	  N_("Search: show only the lines containing the text"), NULL },
	{ 'b', "b", V(MEETINGS), 0, N_("minutes"), k_minutes,
	  N_("Minutes of the selected closed meeting (besluitenlijst)"),
	  when_selected_closed },
	{ 'b', "b", MEETING, 0, N_("minutes"), k_minutes,
	  N_("Minutes of this meeting, once it is closed"), when_closed },
	{ 'v', "v", V(MEETINGS), 0, N_("past"), k_past,
	  N_("Hide or show past meetings"), NULL },
	{ 'N', "N", V(MEETINGS), KEY_PLANNER, N_("plan"), forms_plan_meetings,
	  N_("Plan meetings of a series: one date, or every N weeks until a "
	  "date (chair or administrator)"), NULL },
	{ 'V', "V", V(MEETINGS), KEY_PLANNER, NULL, forms_move_meeting,
	  N_("Move the selected planned meeting to another date and time"),
	  NULL },
	{ 'X', "X", V(MEETINGS), KEY_PLANNER, NULL, forms_cancel_meeting,
	  N_("Cancel the selected planned meeting, with a reason"), NULL },
	{ '\r', "Enter", V(MEETINGS) | MEETING | V(ACTIONS) |
	  V(CASES) | V(INFOROUNDS) | V(CALENDAR), 0, N_("open"),
	  k_enter, N_("Open the meeting or case under the cursor"), NULL },
	{ '\n', "Enter", V(MEETINGS) | MEETING | V(ACTIONS) |
	  V(CASES) | V(INFOROUNDS) | V(CALENDAR), 0, NULL, k_enter,
	  N_("Open the meeting or case under the cursor"), NULL },
	{ KEY_ENTER, "Enter", V(MEETINGS) | MEETING | V(ACTIONS) |
	  V(CASES) | V(INFOROUNDS) | V(CALENDAR), 0, NULL,
	  k_enter, N_("Open the meeting or case under the cursor"), NULL },
	{ '\r', "Enter", V(INBOX), 0, N_("read"), k_mark_read,
	  N_("Mark the selected entry as read (the sender sees who read it)"),
	  NULL },
	{ '\n', "Enter", V(INBOX), 0, NULL, k_mark_read,
	  N_("Mark the selected entry as read (the sender sees who read it)"),
	  NULL },
	{ KEY_ENTER, "Enter", V(INBOX), 0, NULL, k_mark_read,
	  N_("Mark the selected entry as read (the sender sees who read it)"),
	  NULL },
	{ 'v', "v", V(INBOX), 0, N_("received/sent"), view_inbox_cycle,
	  N_("Show only the entries received, only those you sent, or all "
	  "again (in turn; the title says which)"), NULL },
	/* one key, two labels: the footer shows the one that applies, and
	 * only when f would change something (footer_only_when) */
	{ 'f', "f", MEETING, 0, N_("follow"), k_follow,
	  N_("Follow the chair again (after going your own way)"), NULL },
	{ 'f', "f", MEETING, 1, N_("current item"), k_follow,
	  N_("Chair of this meeting: back to the current item"), NULL },
	{ 'P', "P", MEETING, 1, NULL, k_presentation,
	  N_("Beamer layout: the current case large, little else"), NULL },
	{ 'r', "r", VIEWS_ALL, 0, NULL, k_reconnect,
	  N_("Reconnect now, or reload the lists"), NULL },
	{ 'n', "n", MEETING, 1, N_("next"), forms_next_item,
	  N_("Chair: move the meeting to the next agenda item"), when_open },
	{ 'p', "p", MEETING, 1, N_("prev"), forms_prev_item,
	  N_("Chair: move the meeting to the previous agenda item"), when_open },
	{ 'o', "o", MEETING, 1, N_("open meeting"), forms_open_meeting,
	  N_("Chair: open the meeting"), when_planned },
	{ 'c', "c", MEETING, 1, N_("close"), forms_close_meeting,
	  N_("Chair: close the meeting"), when_open },
	{ 'a', "a", MEETING, 1, N_("action"), forms_add_action,
	  N_("Chair: add an action point to the selected case"), when_open },
	{ 'd', "d", MEETING, 1, N_("decision"), forms_decision,
	  N_("Chair: record the decision on the selected item"), when_decided },
	{ 'A', "A", MEETING, 1, NULL, forms_attendance,
	  N_("Chair: record who is present, in the room or remote"),
	  when_open },
	{ 'A', "A", MEETING, -1, N_("present"), forms_attendance,
	  N_("Record yourself present or leaving, in the room or remote "
	  "(partners)"), when_open_absent },
	{ 'A', "A", MEETING, -1, N_("leave"), forms_attendance,
	  N_("Record yourself present or leaving, in the room or remote "
	  "(partners)"), when_open_present },
	{ '+', "+", MEETING, 1, N_("add case"), forms_add_case,
	  N_("Chair: add a case to the agenda (pick it from a list)"),
	  when_not_closed },
	{ 'D', "D", MEETING, 1, NULL, forms_remove_item,
	  N_("Chair: take the selected case off the agenda"), when_not_closed },
	{ 'K', "K", MEETING, 1, NULL, forms_item_up,
	  N_("Chair: move the selected agenda item up"), when_not_closed },
	{ 'J', "J", MEETING, 1, NULL, forms_item_down,
	  N_("Chair: move the selected agenda item down"), when_not_closed },
	/* for partners, the bottom line offers the action point keys when
	 * the case has one they may change (no help text: the next row's) */
	{ '\t', "Tab", MEETING, -1, N_("action point (e x C)"), k_next_action,
	  NULL, when_my_actions },
	{ '\t', "Tab", MEETING, 0, NULL, k_next_action,
	  N_("Choose the next action point of the case"), NULL },
	{ KEY_BTAB, "Shift-Tab", MEETING, 0, NULL, k_prev_action,
	  N_("Choose the previous action point of the case"), NULL },
	{ 'e', "e", MEETING, 0, NULL, forms_edit_action,
	  N_("Edit the chosen action point: text, owner, due date"), NULL },
	{ 'x', "x", MEETING, 0, NULL, forms_cancel_action,
	  N_("Cancel the chosen action point, with a reason"), NULL },
	{ 'C', "C", MEETING, 0, NULL, forms_complete_action,
	  N_("Complete the chosen action point, with feedback"), NULL },
	{ 'S', "S", V(CASES), 0, N_("new signal"), forms_signal,
	  N_("Register a signal: theme, district, approach, reason, persons"),
	  NULL },
	{ 'm', "m", V(CASE), 0, N_("move"), forms_case_move,
	  N_("Move the case along the routing (says what is still missing)"),
	  when_case_steer },
	{ 'R', "R", V(CASE), 0, N_("lead"), forms_case_regie,
	  N_("Choose the lead organisation and the case manager"),
	  when_case_steer },
	{ 'g', "g", V(CASE), 0, N_("goal"), forms_case_goal,
	  N_("Add a goal to the plan of approach"), when_case_plan },
	{ 'b', "b", V(CASE), 0, N_("contribution"), forms_case_contribution,
	  N_("Add or edit your organisation's contribution: facts, judgement"),
	  NULL },
	{ 'N', "N", V(CASE), 0, N_("nominate"), forms_nominate,
	  N_("Nominate the case for the next meeting of a series, with a "
	  "reason"), NULL },
	{ 'I', "I", V(CASE), 0, N_("info round"), forms_inforound_start,
	  N_("Start an info round: choose the organisations to ask, then the "
	  "reply-by date (process manager)"), when_case_pm },
	{ 'Z', "Z", V(CASE), 0, NULL, forms_inforound_close,
	  N_("Close the case's open info round (its process manager)"), NULL },
	{ 'v', "v", MEETING, 1, N_("proposals"), k_proposals,
	  N_("Chair: the cases proposed for this planned meeting, and why"),
	  when_planned },
	{ 'U', "U", MEETING, 1, N_("publish"), forms_publish_agenda,
	  N_("Chair: publish the agenda to the member organisations"),
	  when_unpublished },
	/* published already: U says when and by whom, off the footer */
	{ 'U', "U", MEETING, 1, NULL, forms_publish_agenda, NULL,
	  when_planned },
	{ 'a', "a", V(PROPOSALS), 1, N_("accept"), forms_accept_proposal,
	  N_("Accept: the case goes on the agenda"), when_proposal },
	{ 'x', "x", V(PROPOSALS), 1, N_("decline"), forms_decline_proposal,
	  N_("Decline the proposal, with a reason"), when_proposal },
	{ 'a', "a", V(NOMINATIONS), KEY_DECIDER, N_("accept"),
	  forms_accept_nomination,
	  N_("Accept: the case goes on the agenda of the series' next meeting"),
	  when_nomination },
	{ 'x', "x", V(NOMINATIONS), KEY_DECIDER, N_("decline"),
	  forms_decline_nomination,
	  N_("Decline the nomination, with a reason"), when_nomination },
	{ 'L', "L", V(CASE), 0, NULL, forms_case_link,
	  N_("Link an action point to a goal (by their numbers)"), NULL },
	{ 'E', "E", V(CASE), 0, NULL, forms_case_dates,
	  N_("Set the end date and the review date"), when_case_routing },
	{ 'F', "F", V(CASE), 0, NULL, forms_case_close,
	  N_("Record the closing reason and the evaluation"),
	  when_case_routing },
	{ 'M', "M", V(CASE), 0, NULL, forms_case_mdo,
	  N_("MDO from this case: a meeting inviting only those involved"),
	  NULL },
	{ 'c', "c", V(ACTIONS), 0, N_("complete"), forms_complete_action,
	  N_("Complete the selected action point, with feedback"),
	  when_action_chosen },
	/* C, as in a meeting (where c closes the meeting): whoever learnt it
	 * there completes with it here too */
	{ 'C', "C", V(ACTIONS), 0, NULL, forms_complete_action, NULL,
	  when_action_chosen },
	{ 'e', "e", V(ACTIONS), 0, N_("edit"), forms_edit_action,
	  N_("Edit the selected action point: text, owner, due date"),
	  when_action_chosen },
	{ 'x', "x", V(ACTIONS), 0, N_("cancel"), forms_cancel_action,
	  N_("Cancel the selected action point, with a reason"),
	  when_action_chosen },
	{ '\r', "Enter", V(PICK_CASE), 0, N_("add"), forms_pick_add,
	  N_("Add the selected case to the end of the agenda"), NULL },
	{ '\n', "Enter", V(PICK_CASE), 0, NULL, forms_pick_add,
	  N_("Add the selected case to the end of the agenda"), NULL },
	{ KEY_ENTER, "Enter", V(PICK_CASE), 0, NULL, forms_pick_add,
	  N_("Add the selected case to the end of the agenda"), NULL },
	{ '\r', "Enter", V(PICK_PERSON), 0, N_("choose"), k_enter,
	  N_("Choose the selected person"), NULL },
	{ '\n', "Enter", V(PICK_PERSON), 0, NULL, k_enter,
	  N_("Choose the selected person"), NULL },
	{ KEY_ENTER, "Enter", V(PICK_PERSON), 0, NULL, k_enter,
	  N_("Choose the selected person"), NULL },
	{ '\r', "Enter", V(PICK_ORG), 0, N_("choose"), k_enter,
	  N_("Choose the selected organisation"), NULL },
	{ '\n', "Enter", V(PICK_ORG), 0, NULL, k_enter,
	  N_("Choose the selected organisation"), NULL },
	{ KEY_ENTER, "Enter", V(PICK_ORG), 0, NULL, k_enter,
	  N_("Choose the selected organisation"), NULL },
	{ 0, NULL, 0, 0, NULL, NULL, NULL, NULL }
};

/*
 * The keys that act on the shared screen: the meeting in the beamer
 * layout, the meetings list it goes back to (q; it stays the shared
 * screen, so that the next meeting opens on it too) and the help reached
 * from either.  Leaving the beamer layout (P; asked first), choosing a
 * meeting, help and reconnecting; everything else would put the chair's
 * own screens (cases, inbox, names) in front of the room and is refused.
 * The help's own keys scroll it and go back.
 */
#define BEAMER_LISTS (V(MEETINGS) | V(HELP))
static const struct {
	int key;
	unsigned views;
} beamer_keys[] = {
	{ 'P', V(MEETING) },
	{ 'q', V(MEETING) | V(MEETINGS) | V(HELP) },
	{ '?', V(MEETING) | V(MEETINGS) | V(HELP) },
	{ 'r', V(MEETING) | V(MEETINGS) | V(HELP) },	/* the status line offers it */
	{ KEY_MOUSE, V(MEETING) | V(MEETINGS) | V(HELP) },
	{ '\r', V(MEETINGS) },
	{ '\n', V(MEETINGS) },
	{ KEY_ENTER, V(MEETINGS) },
	{ '/', V(MEETINGS) },
	{ 'v', V(MEETINGS) },
	{ 27, V(HELP) },
	{ KEY_BACKSPACE, V(HELP) },
	{ 'j', BEAMER_LISTS },
	{ 'k', BEAMER_LISTS },
	{ KEY_UP, BEAMER_LISTS },
	{ KEY_DOWN, BEAMER_LISTS },
	{ ' ', V(HELP) },
	{ KEY_NPAGE, BEAMER_LISTS },
	{ KEY_PPAGE, BEAMER_LISTS },
	{ 'b', V(HELP) },
	{ 'g', BEAMER_LISTS },
	{ 'G', BEAMER_LISTS },
	{ KEY_HOME, BEAMER_LISTS },
	{ KEY_END, BEAMER_LISTS },
};

int
ui_key_on_beamer(int key, int view)
{
	for (size_t i = 0; i < sizeof beamer_keys / sizeof beamer_keys[0]; i++)
		if (beamer_keys[i].key == key &&
		    (beamer_keys[i].views & VIEW_BIT(view)))
			return 1;
	return 0;
}

/* Key key is refused here: the shared screen is on and it is not one of
 * its keys. */
static int
beamer_refuses(const struct ui *u, int key)
{
	if (!u->presentation || (u->view != VIEW_MEETING &&
	    u->view != VIEW_MEETINGS && (u->view != VIEW_HELP ||
	    (u->back != VIEW_MEETING && u->back != VIEW_MEETINGS))))
		return 0;
	return !ui_key_on_beamer(key, (int)u->view);
}

/* Who has the keys of a role (struct ui_key.chair > 0), and what a key
 * says to anyone else: the rule the server would refuse it with. */
static int
role_chair(const struct ui *u)
{
	return u->is_chair;
}

static int
role_planner(const struct ui *u)
{
	return u->is_chair || u->is_admin;
}

static int
role_reports(const struct ui *u)
{
	return u->is_chair || u->is_admin || u->is_steering;
}

static int
role_register(const struct ui *u)
{
	return !u->reports_only;
}

static int
role_steering(const struct ui *u)
{
	return u->reports_only;
}

static const struct {
	int chair;
	int (*has)(const struct ui *);
	const char *why;
} key_roles[] = {
	{ 1, role_chair, N_("only the chair can do this.") },
	{ KEY_PLANNER, role_planner, N_("only a chair or an administrator "
	    "plans meetings; ask your chair.") },
	{ KEY_DECIDER, role_planner, N_("only a chair of the series or an "
	    "administrator decides.") },
	{ KEY_REPORTS, role_reports, N_("reports are for chairs, "
	    "administrators and the steering group.") },
	{ KEY_REGISTER, role_register, N_("as a member of the steering group "
	    "you see only the reports (7).") },
	{ KEY_STEERING, role_steering, NULL },	/* another row applies */
};

static size_t
key_role(int chair)
{
	size_t i = 0;

	while (i + 1 < sizeof key_roles / sizeof key_roles[0] &&
	    key_roles[i].chair != chair)
		i++;
	return i;
}

/*
 * The keys that change the register (what they call sends a write): an
 * observer reads only, and the server refuses every write of theirs, so
 * these keys are not theirs.  The chair's keys need the chair role anyway.
 */
static void (*const writes[])(struct ui *) = {
	forms_attendance, forms_edit_action, forms_cancel_action,
	forms_complete_action, forms_signal, forms_case_move, forms_case_regie,
	forms_case_goal, forms_case_contribution, forms_nominate,
	forms_inforound_start, forms_inforound_close, forms_inforound_known,
	forms_inforound_not_known, forms_case_link, forms_case_dates,
	forms_case_close, forms_case_mdo, k_mark_read,
};

static const char observer_why[] = N_("You take part as an observer: you "
    "cannot record anything.");

static int
key_writes(const struct ui_key *k)
{
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
		if (writes[i] == k->fn)
			return 1;
	return 0;
}

int
ui_leads_meeting(const struct ui *u)
{
	if (u->meeting.meeting == NULL)
		return u->is_chair;
	return u->meeting.meeting->chair_id == u->my_user_id || u->is_admin;
}

int
ui_key_for_user(const struct ui *u, const struct ui_key *k)
{
	if (u->observer_only && key_writes(k))
		return 0;
	/* the meeting's keys go with this meeting, as the server decides:
	 * another chair in it is a partner there (but for v: the series'
	 * deciders read the proposals of a meeting they do not chair) */
	if (k->chair != 0 && (k->views & MEETING) && k->views != VIEWS_ALL &&
	    k->fn != k_proposals)
		return k->chair > 0 ? ui_leads_meeting(u) :
		    !ui_leads_meeting(u);
	if (k->chair > 0)
		return key_roles[key_role(k->chair)].has(u);
	return k->chair < 0 ? !u->is_chair : 1;
}

static int
applies(const struct ui *u, const struct ui_key *k, enum ui_view_id v)
{
	if (k->views != VIEWS_ALL && !(k->views & VIEW_BIT(v)))
		return 0;
	return ui_key_for_user(u, k);
}

/* A key of the table that does nothing here says why. */
static void
explain(struct ui *u, int key)
{
	const struct ui_key *other = NULL;

	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++) {
		if (k->key != key)
			continue;
		if (u->observer_only && key_writes(k) &&
		    (k->views == VIEWS_ALL || (k->views & VIEW_BIT(u->view)))) {
			ui_message(u, 1, "%s", _(observer_why));
			return;
		}
		if (k->chair == 1 && !ui_key_for_user(u, k) && u->is_chair &&
		    u->meeting.meeting != NULL &&
		    (k->views & VIEW_BIT(u->view)) && (k->views & MEETING)) {
			ui_message(u, 1, _("%s: only the chair of this meeting, "
			    "%s, can do this."), k->name,
			    u->meeting.meeting->chair_name);
			return;
		}
		if (k->chair > 0 && !ui_key_for_user(u, k) &&
		    key_roles[key_role(k->chair)].why != NULL &&
		    (k->views == VIEWS_ALL || (k->views & VIEW_BIT(u->view)))) {
			ui_message(u, 1, "%s: %s", k->name,
			    _(key_roles[key_role(k->chair)].why));
			return;
		}
		other = k;
	}
	if (other != NULL)
		ui_message(u, 1, _("Key %s does nothing on this screen; ? shows "
		    "its keys."), other->name);
	else if (key > ' ' && key < 127) {	/* no key of Tafel at all */
		char name[2] = { (char)key, '\0' };

		ui_message(u, 1, _("Key %s does nothing on this screen; ? shows "
		    "its keys."), name);
	}
}

/* A later row of the same key applies here and now (a key with two labels,
 * as A "present" / "leave": the row whose when() holds is the one). */
static int
later_row_holds(const struct ui *u, const struct ui_key *k)
{
	for (const struct ui_key *l = k + 1; l->fn != NULL; l++)
		if (l->key == k->key && applies(u, l, u->view) &&
		    (l->when == NULL || l->when(u)))
			return 1;
	return 0;
}

/* Key key has a row of the table for this view (not one of every view). */
static int
view_has_own_key(const struct ui *u, int key)
{
	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++)
		if (k->key == key && k->views != VIEWS_ALL &&
		    applies(u, k, u->view))
			return 1;
	return 0;
}

void
ui_key(struct ui *u, int key)
{
	const char *why;

	if (key == 127 || key == 8)
		key = KEY_BACKSPACE;
	if (u->message[0] != '\0') {	/* any key clears the message */
		u->message[0] = '\0';
		ui_dirty(u);
	}
	if (beamer_refuses(u, key)) {
		if (u->view == VIEW_MEETINGS ||
		    (u->view == VIEW_HELP && u->back == VIEW_MEETINGS))
			ui_message(u, 1, "%s", _("Not on the shared screen: "
			    "Enter opens a meeting on it."));
		else
			ui_message(u, 1, "%s", _("Not in the presentation: "
			    "press P to leave the presentation."));
		return;
	}
	/* a picker: a letter starts its search with it (the name typed);
	 * j, k and the picker's own letters of the table (q, g, G, as in
	 * every list and as its help says) keep moving and leaving */
	if (UI_VIEW(u)->searchable && UI_VIEW(u)->transient &&
	    ((key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z')) &&
	    key != 'j' && key != 'k' && !view_has_own_key(u, key)) {
		char typed[2] = { (char)key, '\0' };

		search_prompt(u, typed);
		u->prompt.edited = 1;	/* typed: Enter searches it */
		filter_live(u, typed);	/* the list narrows at once */
		return;
	}
	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++)
		if (k->key == key && applies(u, k, u->view)) {
			if (k->when != NULL && !k->when(u) &&
			    later_row_holds(u, k))
				continue;
			/* a meeting key for another state of the meeting says
			 * so before the server would answer "not possible" */
			if (k->when != NULL && !k->when(u) &&
			    u->view == VIEW_MEETING &&
			    u->meeting.meeting != NULL && !u->presentation &&
			    k->fn == k_minutes) {
				/* b is the contribution in a case: a partner
				 * preparing presses it here too */
				ui_message(u, 1, "%s", _("No minutes yet: they "
				    "are made when the meeting is closed. Your "
				    "contribution: Enter on the case, then b."));
				return;
			}
			if (k->when != NULL && !k->when(u) &&
			    u->view == VIEW_MEETING &&
			    u->meeting.meeting != NULL && !u->presentation) {
				ui_message(u, 1, _("%s: not possible while the "
				    "meeting is %s."), k->name, ui_enum(
				    &tafel__meeting_state__descriptor,
				    (int)u->meeting.meeting->state));
				return;
			}
			if (case_key_waits(u, k)) {
				ui_message(u, 1, "%s", view_case_missing() ?
				    view_case_missing_message() :
				    _("The case is still loading."));
				return;
			}
			if ((why = case_refusal(u, k)) != NULL) {
				ui_message(u, 1, "%s: %s", k->name, _(why));
				return;
			}
			k->fn(u);
			return;
		}
	explain(u, key);
}

/* Appends "name label" when it fits in cols display columns; 0 if not. */
static int
foot_add(char *buf, size_t len, int cols, const struct ui_key *k)
{
	char item[200];
	size_t o = strlen(buf);

	snprintf(item, sizeof item, "%s%s %s", o ? "  " : "", _(k->name),
	    _(k->label));
	if (layout_width(buf) + layout_width(item) > cols ||
	    o + strlen(item) >= len)
		return 0;
	memcpy(buf + o, item, strlen(item) + 1);
	return 1;
}

/* The view shows a line to act on (a list that is not empty). */
static int
when_has_lines(const struct ui *u)
{
	const struct ui_view_ops *v = u->views[u->view];

	return v->lines == NULL || v->lines((struct ui *)u) > 0;
}

static int
when_overflows(const struct ui *u)
{
	return u->body_overflows;
}

/* Keys of every state of their view (when NULL: not put first in the
 * footer) that the footer still leaves out where there is nothing to do
 * with them, by function and label: f when it would change nothing (a
 * meeting that is over, a partner following already, the chair on the
 * current item or with none yet; k_follow says why); Enter on an empty
 * list (pressed, it says there is nothing to choose); Space in a pager
 * whose text fits on the screen. */
static const struct {
	void (*fn)(struct ui *);
	const char *label;
	int (*shown)(const struct ui *);
} footer_only_when[] = {
	{ k_follow, "follow", when_may_follow },
	{ k_follow, "current item", when_may_return },
	{ k_enter, "open", when_has_lines },
	{ k_mark_read, "read", when_has_lines },
	{ k_page_down, "page", when_overflows },
};

static int
footer_leaves_out(const struct ui *u, const struct ui_key *k)
{
	for (size_t i = 0; i < sizeof footer_only_when /
	    sizeof footer_only_when[0]; i++)
		if (footer_only_when[i].fn == k->fn && k->label != NULL &&
		    strcmp(footer_only_when[i].label, k->label) == 0 &&
		    !footer_only_when[i].shown(u))
			return 1;
	return 0;
}

/* The keys that matter in this view's state first (those with a when()),
 * then the view's other keys, then ? (always shown), then those that work
 * everywhere, as far as the line holds; help has them all. */
void
ui_footer(struct ui *u, char *buf, size_t len)
{
	const struct ui_key *help = NULL;
	const char *seen[32];
	size_t n_seen = 0;
	int reserve, full = 0;

	buf[0] = '\0';
	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++)
		if (k->key == '?')
			help = k;
	reserve = help != NULL ? layout_width(_(help->label)) + 4 : 0;
	for (int pass = 0; pass < 4; pass++)
		for (const struct ui_key *k = ui_keys; k->fn != NULL; k++) {
			int dup = 0, global = k->views == VIEWS_ALL;
			int in_pass = pass == 0 ? !global && k->when != NULL :
			    pass == 1 ? !global && k->when == NULL :
			    pass == 2 ? k == help : global && k != help;

			if (!in_pass || k->label == NULL ||
			    !applies(u, k, u->view) || case_key_waits(u, k) ||
			    beamer_refuses(u, k->key) ||
			    (k->when != NULL && !k->when(u)) ||
			    footer_leaves_out(u, k))
				continue;
			for (size_t i = 0; i < n_seen; i++)
				dup |= strcmp(seen[i], k->name) == 0;
			if (dup || n_seen == 32)
				continue;
			seen[n_seen++] = k->name;
			/* the keys of every view (1, 2, 3 ...) stop at the first
			 * that does not fit: no "2 ... 4" with 3 left out */
			if (pass == 3 && full)
				continue;
			if (!foot_add(buf, len, u->cols - (pass < 2 ? reserve :
			    0), k) && pass == 3)
				full = 1;
		}
}

int
ui_key_applies(const struct ui *u, const struct ui_key *k, enum ui_view_id v)
{
	return applies(u, k, v);
}
