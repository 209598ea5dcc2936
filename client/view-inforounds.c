/* The info rounds view (8): the open rounds my organisation is asked in, I run, or whose answers I may read (list_info_rounds, less the others), and the round's lines every other view draws (case, meeting, shared screen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "i18n.h"
#include "views.h"

static struct {
	Tafel__InfoRoundList *list;	/* the list_info_rounds answer, owned */
	size_t sel;
	/* the round selected: the selection follows it when the lines
	 * move (ui_list_keep); 0: none yet */
	int64_t sel_id;
} st;

/* An answer in words (a table, not a switch). */
static const struct {
	Tafel__InfoAnswer answer;
	const char *text;
} answer_texts[] = {
	{ TAFEL__INFO_ANSWER__INFO_PENDING, N_("no answer yet") },
	{ TAFEL__INFO_ANSWER__INFO_KNOWN, N_("known") },
	{ TAFEL__INFO_ANSWER__INFO_NOT_KNOWN, N_("not known") },
};

const char *
view_inforounds_answer_text(Tafel__InfoAnswer a)
{
	for (size_t i = 0; i < sizeof answer_texts / sizeof answer_texts[0]; i++)
		if (answer_texts[i].answer == a)
			return _(answer_texts[i].text);
	return "?";
}

/*
 * The lines of round r as the viewer got it: a heading (state, reply-by
 * date, answers), one line per asked organisation (red when its answer is
 * overdue, the note when sent), and, for an asked organisation while the
 * round is open, the identifying data to search its own systems with.
 * brief: the shared screen (no notes, no persons; the server sends none).
 */
size_t
view_inforounds_lines(const Tafel__InfoRound *r, int brief,
    struct inforound_line *out, size_t max)
{
	size_t n = 0, answered = 0;

	if (r == NULL || max == 0)
		return 0;
	for (size_t i = 0; i < r->n_asked; i++)
		answered += r->asked[i]->answer != TAFEL__INFO_ANSWER__INFO_PENDING;
	out[n].red = r->overdue_count > 0;
	if (r->answers_hidden && r->n_asked == 0)	/* none shown at all */
		snprintf(out[n].text, sizeof out[n].text, _("Info round %s · "
		    "reply by %s · answers hidden"), r->state ==
		    TAFEL__INFO_ROUND_STATE__INFO_ROUND_OPEN ? _("open") :
		    _("closed"), r->reply_by);
	else if (r->answers_hidden)	/* a count of what is shown would lie */
		snprintf(out[n].text, sizeof out[n].text, _("Info round %s · "
		    "reply by %s · other answers hidden"), r->state == TAFEL__INFO_ROUND_STATE__INFO_ROUND_OPEN ?
		    _("open") : _("closed"), r->reply_by);
	else
		snprintf(out[n].text, sizeof out[n].text, _("Info round %s · "
		    "reply by %s · %zu of %zu answered"), r->state ==
		    TAFEL__INFO_ROUND_STATE__INFO_ROUND_OPEN ? _("open") :
		    _("closed"), r->reply_by, answered, r->n_asked);
	n++;
	for (size_t i = 0; i < r->n_asked && n < max; i++) {
		const Tafel__InfoRoundOrg *a = r->asked[i];

		out[n].red = a->overdue;
		snprintf(out[n].text, sizeof out[n].text, "  %s: %s%s%s%s",
		    a->org_name, view_inforounds_answer_text(a->answer),
		    a->overdue ? _(" (overdue)") : "",
		    !brief && a->note[0] ? " — " : "", brief ? "" : a->note);
		n++;
	}
	if (brief || !r->identifying)
		return n;
	for (size_t i = 0; i < r->n_persons && n < max; i++) {
		out[n].red = 0;
		snprintf(out[n].text, sizeof out[n].text, "  %s: %s %s",
		    _("To search for (info round)"), r->persons[i]->name,
		    r->persons[i]->birth_date);
		n++;
	}
	return n;
}

size_t
view_inforounds_line_count(const Tafel__InfoRound *r, int brief)
{
	if (r == NULL)
		return 0;
	return 1 + r->n_asked + (brief || !r->identifying ? 0 : r->n_persons);
}

/* The lines; st.sel is put on st.sel_id's line when it is there. */
static size_t
lines(struct ui *u)
{
	size_t n = st.list != NULL ? st.list->n_rounds : 0;
	int64_t ids[512];

	(void)u;
	if (n > sizeof ids / sizeof ids[0])
		return n;
	for (size_t i = 0; i < n; i++)
		ids[i] = st.list->rounds[i]->id;
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Selects line idx. */
static void
select_shown(struct ui *u, size_t idx)
{
	st.sel = idx;
	st.sel_id = 0;			/* the line, then its round */
	(void)lines(u);
}

/* What my organisation answered in r, or NULL when it is not asked. */
static const Tafel__InfoRoundOrg *
my_answer(struct ui *u, const Tafel__InfoRound *r)
{
	for (size_t i = 0; i < r->n_asked; i++)
		if (r->asked[i]->org_id == u->my_org_id)
			return r->asked[i];
	return NULL;
}

/* Round i as a line: "●" my organisation still has to answer; "!" an
 * answer is overdue (red). */
static void
line(struct ui *u, size_t i, char *buf, size_t len, attr_t *a)
{
	const Tafel__InfoRound *r = st.list->rounds[i];
	const Tafel__InfoRoundOrg *mine = my_answer(u, r);
	size_t answered = 0;
	char count[48] = "-";		/* the others' answers hidden: no count */

	if (r->overdue_count > 0)
		*a = ui_attr(u, UI_A_OVERDUE);
	for (size_t k = 0; k < r->n_asked; k++)
		answered += r->asked[k]->answer != TAFEL__INFO_ANSWER__INFO_PENDING;
	if (!r->answers_hidden)
		snprintf(count, sizeof count, "%zu/%zu", answered, r->n_asked);
	snprintf(buf, len, "%s %-10s %-11s %-8s %s", mine != NULL &&
	    mine->answer == TAFEL__INFO_ANSWER__INFO_PENDING ? "●" :
	    r->overdue_count > 0 ? "!" : " ", r->case_number, r->reply_by,
	    count, mine == NULL ? "-" :
	    view_inforounds_answer_text(mine->answer));
}

/* Whether the user takes part as an observer only (every role observer). */
static int
observer_only(const Tafel__User *p)
{
	for (size_t i = 0; i < p->n_roles; i++)
		if (p->roles[i] != TAFEL__ROLE__ROLE_OBSERVER)
			return 0;
	return p->n_roles > 0;
}

/* Why an asked organisation gets no persons to search for: the detail's
 * line, and the few words an answer's question names it by. */
enum persons_hidden { HIDDEN_NONE, HIDDEN_NO_PERSONS, HIDDEN_CLOSED,
	HIDDEN_NOT_SIGNED, HIDDEN_OBSERVER, HIDDEN_COVENANT };
static const struct {
	const char *line, *brief;
} hidden_texts[] = {
	[HIDDEN_NO_PERSONS] = { N_("No persons recorded in this case yet."),
	    NULL },
	[HIDDEN_CLOSED] = { N_("Persons no longer shown: the info round is "
	    "closed."), N_("the round is closed") },
	[HIDDEN_NOT_SIGNED] = { N_("Persons not shown: your organisation is "
	    "outside the covenant; you see the case number only."),
	    N_("outside the covenant") },
	[HIDDEN_OBSERVER] = { N_("Persons not shown: you take part as an "
	    "observer; you see the case number only."),
	    N_("as an observer") },
	[HIDDEN_COVENANT] = { N_("Persons not shown: not allowed by the "
	    "covenant."), N_("not allowed by the covenant") },
};

/*
 * Why my organisation, asked in r, gets no persons to search for
 * (HIDDEN_NONE: it gets them, or is not asked): the rule of
 * docs/protocol.md 7.10, read from the login (the organisation's covenant,
 * the user's roles) and the round's state; every hidden thing says why.
 */
static enum persons_hidden
persons_hidden(struct ui *u, const Tafel__InfoRound *r)
{
	const Tafel__LoginResponse *l = net_login(u->net);

	if (my_answer(u, r) == NULL)
		return HIDDEN_NONE;	/* not asked: the persons are with the case */
	if (r->identifying)
		return r->n_persons == 0 ? HIDDEN_NO_PERSONS : HIDDEN_NONE;
	if (r->state != TAFEL__INFO_ROUND_STATE__INFO_ROUND_OPEN)
		return HIDDEN_CLOSED;
	if (l != NULL && l->organisation != NULL &&
	    !l->organisation->covenant_signed)
		return HIDDEN_NOT_SIGNED;
	if (l != NULL && l->user != NULL && observer_only(l->user))
		return HIDDEN_OBSERVER;
	return HIDDEN_COVENANT;
}

static const char *
persons_reason(struct ui *u, const Tafel__InfoRound *r)
{
	enum persons_hidden h = persons_hidden(u, r);

	return h == HIDDEN_NONE ? NULL : _(hidden_texts[h].line);
}

int
view_inforounds_gives_persons(const Tafel__InfoRound *r)
{
	return r != NULL && r->identifying && r->n_persons > 0 &&
	    r->state == TAFEL__INFO_ROUND_STATE__INFO_ROUND_OPEN;
}

const char *
view_inforounds_blind(struct ui *u, const Tafel__InfoRound *r)
{
	enum persons_hidden h = persons_hidden(u, r);

	return h == HIDDEN_NONE || hidden_texts[h].brief == NULL ? NULL :
	    _(hidden_texts[h].brief);
}

/* The chosen round in full: view_inforounds_lines, the heading bold, and
 * why my organisation sees no persons when it is asked but gets none. */
static size_t
detail(struct ui *u, size_t sel, struct ui_detail_line *out, size_t max)
{
	struct inforound_line ln[64];
	const char *why = persons_reason(u, st.list->rounds[sel]);
	size_t k = view_inforounds_lines(st.list->rounds[sel], 0, ln,
	    sizeof ln / sizeof ln[0] - 1);

	if (why != NULL) {	/* after the answers, where the persons go */
		ln[k].red = 0;
		snprintf(ln[k].text, sizeof ln[k].text, "  %s", why);
		k++;
	}

	if (k > max)
		k = max;
	for (size_t i = 0; i < k; i++) {
		_Static_assert(sizeof ln[0].text <= sizeof out[0].text,
		    "a round's line fits a detail line");
		memcpy(out[i].text, ln[i].text, sizeof ln[i].text);
		out[i].attr = ln[i].red ? ui_attr(u, UI_A_OVERDUE) : i == 0 ?
		    ui_attr(u, UI_A_TITLE) : 0;
	}
	return k;
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	struct ui_listing l = { .n = lines(u), .sel = &st.sel, .line = line,
	    .detail = detail, .header = _("  Case       Reply by    Answers  "
	    "My organisation"), .loading = st.list == NULL ?
	    _("Loading the info rounds…") : NULL, .empty = _("No open info "
	    "rounds: rounds that ask your organisation, or that you run, "
	    "appear here.") };

	ui_list_detail(u, w, rows, cols, &l);
}

static void
step(struct ui *u, int dir)
{
	size_t n = lines(u), sel = st.sel;

	if (n > 0) {
		ui_list_step(&sel, n, dir);
		select_shown(u, sel);
	}
}

static void
select_line(struct ui *u, size_t idx)
{
	select_shown(u, idx);
}

const Tafel__InfoRound *
view_inforounds_selected(struct ui *u)
{
	size_t n = lines(u);	/* puts st.sel on its line first */

	return st.sel < n ? st.list->rounds[st.sel] : NULL;
}

/*
 * The rounds of the list that are the user's to see here: my organisation
 * is asked, I started it, or I may read its answers (a process manager, an
 * administrator, an organisation that sees the case with its summary).
 * list_info_rounds also sends the open rounds of every other case the user
 * may know, with the answers hidden: a line with nothing to read or do.
 */
static void
keep_mine(struct ui *u, Tafel__InfoRoundList *l)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->n_rounds; i++) {
		Tafel__InfoRound *r = l->rounds[i];

		if (my_answer(u, r) != NULL || r->started_by == u->my_user_id ||
		    !r->answers_hidden)
			l->rounds[kept++] = r;
		else
			protobuf_c_message_free_unpacked(&r->base, NULL);
	}
	l->n_rounds = kept;
}

static void
on_list(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	(void)n;
	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(u, m->error);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_INFO_ROUND_LIST)
		return;
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = (Tafel__InfoRoundList *)model_dup(&m->info_round_list->base);
	keep_mine(u, st.list);
	ui_dirty(u);
}

/* The open rounds the user may see (0: every case); keep_mine keeps its own. */
static void
reload(struct ui *u)
{
	Tafel__ListInfoRoundsRequest r = TAFEL__LIST_INFO_ROUNDS_REQUEST__INIT;

	/* every view reloads after a reconnect: only once it was opened */
	if (u->view != VIEW_INFOROUNDS && st.list == NULL)
		return;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_INFO_ROUNDS, &r,
	    NET_REQ_READ, NULL, on_list, u);
}

void
view_inforounds_open(struct ui *u)
{
	st.sel = 0;
	st.sel_id = 0;
	ui_set_view(u, VIEW_INFOROUNDS);
	reload(u);
}

void
view_inforounds_reload(struct ui *u)
{
	reload(u);
}

/* A round started, answered or closed (live): read the list again, so
 * what each viewer may see of it stays the server's decision. */
static void
event(struct ui *u, const Tafel__Event *ev)
{
	if (ev->info_round != NULL && st.list != NULL)
		reload(u);
}

/* Enter: the round's case. */
static void
enter(struct ui *u)
{
	const Tafel__InfoRound *r = view_inforounds_selected(u);
	int asked = 0;

	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_asked; i++)
		if (r->asked[i]->org_id == u->my_org_id)
			asked = 1;
	if (asked)
		view_case_open_asked(u, r->case_id, r->case_number);
	else
		view_case_open(u, r->case_id);
}

static void
free_state(struct ui *u)
{
	(void)u;
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = NULL;
}

const struct ui_view_ops view_inforounds_ops = {
	.title = N_("Info rounds"),
	.help_title = N_("In the info rounds"),
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.enter = enter,
	.reload = reload,
	.event = event,
	.free = free_state,
	.parent = VIEW__COUNT,
};
