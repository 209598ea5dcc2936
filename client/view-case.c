/* The case view: one case in depth, with persons, summary, action points and its history of decisions, wrapped and scrolled like a pager. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "views.h"
#include "xmalloc.h"

static struct {
	Tafel__CaseDetail *detail;	/* get_case answer, owned */
	Tafel__EarlierCaseList *earlier;	/* list_earlier_cases, owned */
	struct ui_scroll sc;		/* its scrolling */
	int missing;			/* get_case said not found: the case is
					 * not for this organisation's eyes */
	int64_t want;			/* the case asked for (shown, or
					 * still loading) */
	int64_t asked_case;		/* opened from an info round we are
					 * asked in (8): that case, its number */
	char asked_number[32];
} st;

/* Lines of the view are collected first, then the visible part is drawn. */
struct lines {
	int n, skip, rows;	/* drawn so far, to skip (scroll), window rows */
	WINDOW *w;
	int cols;
};

/* The last row is kept for "+N more" when the case goes on below. */
static void
line(struct lines *l, attr_t a, const char *text)
{
	if (l->n >= l->skip && l->n - l->skip < l->rows - 1)
		ui_put(l->w, l->n - l->skip, 1, l->cols - 2, a, text);
	l->n++;
}

/* Wraps text at the window width, at word boundaries (layout_wrap); the
 * lines after the first hang two columns in from where the first line's
 * text starts, so that an indented item's continuation stays under it. */
static void
wrapped(struct lines *l, attr_t a, const char *text)
{
	char out[4096];
	int width = l->cols > 8 ? l->cols - 4 : 4;
	int hang = (int)strspn(text, " ") + 2, first = 1;
	size_t len, next;

	if (hang > width / 3)
		hang = 0;
	while (*text != '\0') {
		len = layout_wrap(text, first ? width : width - hang, &next);
		snprintf(out, sizeof out, "%*s%.*s", first ? 0 : hang, "",
		    (int)len, text);
		line(l, a, out);
		if (next == 0)
			break;
		text += next;
		first = 0;
	}
}

/* A formatted paragraph, wrapped.  Formatted into a buffer of its own
 * size: a contribution's facts and judgement are up to TAFEL_MAX_TEXT
 * bytes each, and a fixed buffer cut off the judgement without a mark. */
static void __attribute__((format(printf, 3, 4)))
wrappedf(struct lines *l, attr_t a, const char *fmt, ...)
{
	va_list ap;
	char *text;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	wrapped(l, a, text);
	free(text);
}

/* The case's lines from st.sc.scroll on; returns how many there are. */
/* A meeting of the case's history is over (closed or cancelled): no
 * decision there is "(no decision recorded)", as its minutes say, not
 * "(none yet)".  Held (opened) and not known to be open still: over. */
static int
history_over(const struct ui *u, const Tafel__CaseHistoryEntry *h)
{
	const Tafel__Meeting *mt = u->meeting.meeting;

	if (mt == NULL || mt->id != h->meeting_id)
		mt = view_meetings_find(u, h->meeting_id);
	if (mt != NULL)
		return ui_meeting_over(mt);
	return h->held_at > 0;
}

/* The case's summary and texts like its reason are withheld from me. */
static int
hides_summary(const Tafel__Case *c)
{
	for (size_t i = 0; i < c->n_hidden_categories; i++)
		if (strcmp(c->hidden_categories[i], "case_summary") == 0)
			return 1;
	return 0;
}

static int
draw_lines(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__CaseDetail *d = st.detail;
	const Tafel__Case *c;
	struct lines l = { 0, (int)st.sc.scroll, rows, w, cols };
	char buf[4096], when[40];

	if (d == NULL || d->case_ == NULL) {
		ui_wrap_put(w, 1, 2, cols - 4, rows - 1, 0, st.missing ?
		    view_case_missing_message() : _("Loading the case…"));
		return 0;
	}
	c = d->case_;
	snprintf(buf, sizeof buf, "%s %s · %s · %s", _("Case"), c->number,
	    ui_theme(c->theme), ui_enum(&tafel__case_status__descriptor, (int)c->status));
	line(&l, ui_attr(u, UI_A_TITLE), buf);
	wrappedf(&l, 0, "%s: %s · %s: %s · %s: %s", _("District"),
	    c->district, _("Approach"),
	    ui_enum(&tafel__approach__descriptor, (int)c->approach),
	    _("Case manager"), c->case_manager_name[0] ? c->case_manager_name : "-");
	wrappedf(&l, 0, "%s: %s", _("Submitted by"),
	    c->submitter_org_name);
	/* routing details once there are any (R, E) */
	if (c->lead_org_id != 0 || c->end_date[0] || c->review_date[0])
		wrappedf(&l, 0, "%s: %s · %s: %s · %s: %s",
		    _("Lead organisation"), c->lead_org_name[0] ?
		    c->lead_org_name : "-", _("End date"), c->end_date[0] ?
		    c->end_date : "-", _("Review"), c->review_date[0] ?
		    c->review_date : "-");
	if (c->reason[0] != '\0')
		wrappedf(&l, 0, "%s: %s", _("Reason"), c->reason);
	else if (c->submitter_org_id == u->my_org_id && hides_summary(c))
		/* its own signal's reason: not lost, withheld (the GP
		 * outside the covenant gets it back no more than the rest) */
		wrappedf(&l, ui_attr(u, UI_A_DIM), "%s: %s", _("Reason"),
		    _("(hidden from your organisation too, which submitted "
		    "it: see below)"));
	if (c->closing_reason[0] != '\0' || c->evaluation[0] != '\0')
		wrappedf(&l, 0, "%s: %s · %s: %s", _("Closing reason"),
		    c->closing_reason[0] ? c->closing_reason : "-",
		    _("Evaluation"), c->evaluation[0] ? c->evaluation : "-");
	if (c->redacted)
		wrappedf(&l, ui_attr(u, UI_A_DIM), "%s%s", ui_redaction_case(c),
		    view_inforounds_gives_persons(d->n_info_rounds > 0 ?
		    d->info_rounds[0] : NULL) ? _(" — in the info round, to "
		    "search for") : "");
	line(&l, 0, "");
	line(&l, ui_attr(u, UI_A_TITLE), _("Persons"));
	if (c->n_persons == 0)		/* as the action points say it */
		line(&l, ui_attr(u, UI_A_DIM), _("  (none)"));
	for (size_t i = 0; i < c->n_persons; i++)
		wrappedf(&l, 0, "  %s: %s %s",
		    ui_enum(&tafel__person_role__descriptor,
		    (int)c->persons[i]->role), c->persons[i]->name,
		    c->persons[i]->birth_date);
	/* the legal clocks, soonest end first; red when one ends before the
	 * next meeting the case can be discussed at */
	if (c->n_clocks > 0) {
		line(&l, 0, "");
		line(&l, ui_attr(u, UI_A_TITLE), _("Legal clocks"));
	}
	for (size_t i = 0; i < c->n_clocks; i++) {
		char text[512];

		ui_clock_text(c->clocks[i], 0, text, sizeof text);
		wrappedf(&l, c->clocks[i]->red ? ui_attr(u, UI_A_OVERDUE) : 0,
		    "  %s", text);
	}
	/* the info rounds as this user may see them (I starts one) */
	for (size_t i = 0; i < d->n_info_rounds; i++) {
		struct inforound_line ln[64];
		size_t k = view_inforounds_lines(d->info_rounds[i], 0, ln,
		    sizeof ln / sizeof ln[0]);

		line(&l, 0, "");
		for (size_t j = 0; j < k; j++)
			wrapped(&l, ln[j].red ? ui_attr(u, UI_A_OVERDUE) : j == 0 ?
			    ui_attr(u, UI_A_TITLE) : 0, ln[j].text);
	}
	if (st.earlier != NULL && st.earlier->case_id == c->id &&
	    st.earlier->n_matches > 0) {
		line(&l, 0, "");
		line(&l, ui_attr(u, UI_A_TITLE), _("Earlier discussed"));
		for (size_t i = 0; i < st.earlier->n_matches; i++) {
			const Tafel__EarlierCase *e = st.earlier->matches[i];

			when[0] = '\0';
			if (e->discussed_at != 0)
				ui_date(e->discussed_at, when, sizeof when);
			wrappedf(&l, 0, "  %s (%s): %s %s%s%s%s",
			    e->case_number, ui_enum(
			    &tafel__case_status__descriptor, (int)e->status),
			    e->other_person_name, e->birth_date,
			    when[0] ? " · " : "", when,
			    e->linked ? _(" · linked") : "");
		}
	}
	/* contributions and goals once there are any (b, g) */
	if (d->n_contributions > 0) {
		line(&l, 0, "");
		line(&l, ui_attr(u, UI_A_TITLE), _("Contributions"));
	}
	for (size_t i = 0; i < d->n_contributions; i++) {
		const Tafel__Contribution *k = d->contributions[i];

		/* withheld: neither part comes; a judgement alone may */
		wrappedf(&l, 0, "  %s (%s): %s%s%s", k->org_name,
		    k->author_name, k->facts[0] ? k->facts :
		    k->judgement[0] ? "-" : ui_contribution_hidden_text(c),
		    k->judgement[0] ? _(" · judgement: ") : "", k->judgement);
	}
	if (d->n_goals > 0) {
		line(&l, 0, "");
		line(&l, ui_attr(u, UI_A_TITLE), _("Goals"));
	}
	for (size_t i = 0; i < d->n_goals; i++) {
		const Tafel__Goal *g = d->goals[i];

		wrappedf(&l, g->actions_overdue > 0 ?
		    ui_attr(u, UI_A_OVERDUE) : 0, _("  %d. open %d, done %d, overdue "
		    "%d: %s%s"), (int)i + 1, (int)g->actions_open,
		    (int)g->actions_done, (int)g->actions_overdue,
		    g->description[0] ? g->description : ui_hidden_text(c),
		    g->achieved ? _(" (achieved)") : "");
	}
	if (c->summary[0] != '\0') {
		line(&l, 0, "");
		line(&l, ui_attr(u, UI_A_TITLE), _("Summary"));
		wrapped(&l, 0, c->summary);
	}
	line(&l, 0, "");
	line(&l, ui_attr(u, UI_A_TITLE), _("Action points"));
	if (d->n_actions == 0)
		line(&l, ui_attr(u, UI_A_DIM), _("  (none)"));
	for (size_t i = 0; i < d->n_actions; i++) {
		const Tafel__ActionPoint *a = d->actions[i];
		char text[TAFEL_MAX_TEXT + 1];

		char goal[64] = "";

		for (size_t g = 0; a->goal_id != 0 && g < d->n_goals; g++)
			if (d->goals[g]->id == a->goal_id)
				snprintf(goal, sizeof goal, _(" (goal %zu)"), g + 1);
		ui_action_text(c, a, text, sizeof text);
		wrappedf(&l, a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0,
		    "  %zu. %s %-9s %s%s%s: %s%s%s%s", i + 1,
		    a->due_date,
		    ui_enum(&tafel__action_state__descriptor, (int)a->state),
		    a->owner_org_name, a->owner_user_name[0] ? "/" : "",
		    a->owner_user_name, text,
		    a->completion_note[0] ? " — " : "", a->completion_note, goal);
	}
	line(&l, 0, "");
	line(&l, ui_attr(u, UI_A_TITLE), _("History"));
	if (d->n_history == 0)
		/* this case's own meetings: not "not discussed before",
		 * which read as the opposite of "Earlier discussed" above
		 * (other cases with its persons) */
		line(&l, ui_attr(u, UI_A_DIM),
		    _("  (this case has not been on an agenda yet)"));
	for (size_t i = 0; i < d->n_history; i++) {
		char text[TAFEL_MAX_TEXT + 1];

		/* when it was held; the plan for a meeting not held yet */
		ui_date(d->history[i]->held_at > 0 ? d->history[i]->held_at :
		    d->history[i]->scheduled_start, when, sizeof when);
		ui_decision_text(c, d->history[i]->decision,
		    history_over(u, d->history[i]), text, sizeof text);
		wrappedf(&l, 0, "  %s %s: %s", when,
		    d->history[i]->series_name, text);
		if (d->history[i]->decision_changed_after_close) {
			char mark[200];

			ui_changed_after_close(true,
			    d->history[i]->decision_by_name,
			    d->history[i]->decision_at, mark, sizeof mark);
			wrappedf(&l, ui_attr(u, UI_A_DIM), "    (%s)", mark);
		}
	}
	/* a pager: what is below is counted, j and ↓ bring it up */
	if (l.n - l.skip > rows - 1)
		ui_putf(w, rows - 1, 0, cols, ui_attr(u, UI_A_DIM),
		    _("  +%d more (j, ↓)"), l.n - l.skip - (rows - 1));
	return l.n;
}

/* Scrolled as the pagers are: never past the end, the last row kept for
 * "+N more". */
static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	ui_scroll_draw(&st.sc, u, w, rows, cols, draw_lines);
}

static void
step(struct ui *u, int dir)
{
	ui_scroll_move(&st.sc, dir);
}

static void
on_case(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		if (m->error->code == TAFEL__ERROR_CODE__NOT_FOUND &&
		    (st.detail == NULL || st.detail->case_ == NULL)) {
			st.missing = 1;		/* said in the body */
			ui_dirty(u);
		} else
			ui_show_error(u, m->error);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_CASE_DETAIL)
		return;
	/* the answer for a case left meanwhile (it waited for the register,
	 * or for a reconnect) is not the one on screen */
	if (m->case_detail->case_ != NULL && st.want != 0 &&
	    m->case_detail->case_->id != st.want)
		return;
	st.missing = 0;
	if (st.detail != NULL)
		protobuf_c_message_free_unpacked(&st.detail->base, NULL);
	st.detail = (Tafel__CaseDetail *)model_dup(&m->case_detail->base);
	ui_dirty(u);
}

static void
on_earlier(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_EARLIER_CASES)
		return;
	if (st.earlier != NULL)
		protobuf_c_message_free_unpacked(&st.earlier->base, NULL);
	st.earlier = (Tafel__EarlierCaseList *)model_dup(
	    &m->earlier_cases->base);
	ui_dirty(u);
}

static void
load(struct ui *u, int64_t case_id)
{
	Tafel__GetCaseRequest r = TAFEL__GET_CASE_REQUEST__INIT;
	Tafel__ListEarlierCasesRequest e =
	    TAFEL__LIST_EARLIER_CASES_REQUEST__INIT;

	/* refused for a moment (the register unreachable or hanging): asked
	 * again by net.c, not "Casus laden…" for ever */
	r.case_id = case_id;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_GET_CASE, &r,
	    NET_REQ_READ | NET_REQ_RETRY, NULL, on_case, u);
	e.case_id = case_id;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_EARLIER_CASES, &e,
	    NET_REQ_READ | NET_REQ_RETRY, NULL, on_earlier, u);
}

void
view_case_update(struct ui *u, const Tafel__Case *c)
{
	if (c == NULL || st.detail == NULL || st.detail->case_ == NULL ||
	    st.detail->case_->id != c->id ||
	    st.detail->case_->version > c->version)
		return;
	protobuf_c_message_free_unpacked(&st.detail->case_->base, NULL);
	st.detail->case_ = (Tafel__Case *)model_dup(&c->base);
	ui_dirty(u);
}

/* Said for the case view's keys and in its body when the server does not
 * show the case to this organisation (not found, so as not to confirm it
 * exists); opened from an info round it is asked in, that the round is
 * its to answer (the round shows the persons to look up). */
const char *
view_case_missing_message(void)
{
	static char buf[400];

	if (st.asked_case == 0)
		return _("This case is not available to your organisation. "
		    "Esc: back.");
	snprintf(buf, sizeof buf, _("Case %s: your organisation is asked in "
	    "its info round, but may not see the case itself. 8 shows the "
	    "round, with the persons to look up. Esc: back."),
	    st.asked_number);
	return buf;
}

int
view_case_missing(void)
{
	return st.missing;
}

const Tafel__CaseDetail *
view_case_detail(struct ui *u)
{
	return st.detail != NULL && st.detail->case_ != NULL ? st.detail : NULL;
}

/* A change to the case shown (its record, a contribution, a goal, an
 * action point): read it again, so every section is current. */
static void
event(struct ui *u, const Tafel__Event *ev)
{
	int64_t id;

	if (st.detail == NULL || st.detail->case_ == NULL)
		return;
	id = st.detail->case_->id;
	if ((ev->case_ != NULL && ev->case_->id == id) ||
	    (ev->contribution != NULL && ev->contribution->case_id == id) ||
	    (ev->goal != NULL && ev->goal->case_id == id) ||
	    (ev->action_point != NULL && ev->action_point->case_id == id) ||
	    (ev->info_round != NULL && ev->info_round->case_id == id))
		load(u, id);
}

void
view_case_open(struct ui *u, int64_t case_id)
{
	if (case_id == 0)
		return;
	if (st.detail != NULL && (st.detail->case_ == NULL ||
	    st.detail->case_->id != case_id)) {
		protobuf_c_message_free_unpacked(&st.detail->base, NULL);
		st.detail = NULL;
	}
	st.sc.scroll = 0;
	st.missing = 0;
	st.want = case_id;
	st.asked_case = 0;
	load(u, case_id);
	ui_set_view(u, VIEW_CASE);
}

void
view_case_open_asked(struct ui *u, int64_t case_id, const char *number)
{
	view_case_open(u, case_id);
	st.asked_case = case_id;
	snprintf(st.asked_number, sizeof st.asked_number, "%s", number);
}

/* After a reconnect (or r): the case shown, as it is now. */
static void
reload(struct ui *u)
{
	if (u->view != VIEW_CASE)
		return;
	if (st.detail != NULL && st.detail->case_ != NULL)
		load(u, st.detail->case_->id);
	else if (st.want != 0 && !st.missing)
		load(u, st.want);	/* still "Casus laden…": r asks again */
}

static void
free_state(struct ui *u)
{
	if (st.detail != NULL)
		protobuf_c_message_free_unpacked(&st.detail->base, NULL);
	st.detail = NULL;
	if (st.earlier != NULL)
		protobuf_c_message_free_unpacked(&st.earlier->base, NULL);
	st.earlier = NULL;
}

const struct ui_view_ops view_case_ops = {
	.title = N_("Case"),
	.help_title = N_("In a case"),
	.draw = draw,
	.step = step,
	.reload = reload,
	.event = event,
	.free = free_state,
	.parent = VIEW__COUNT,
};
