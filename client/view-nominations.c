/* The nominations view: pending proposals to discuss a case at the next meeting of a series (TOPIC_NOMINATIONS), for the chair to accept or decline, and under them my organisation's recently decided ones with their outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "views.h"

#define MAX_NOMINATIONS 512
#define MAX_DECIDED 50
#define RECENT_DAYS 30		/* decided ones shown this long */

static struct {
	Tafel__NominationList *list;	/* the topic's snapshot, owned */
	/* my organisation's nominations decided in the last RECENT_DAYS,
	 * newest decision first (list_nominations include_decided, then
	 * the topic's events); owned */
	Tafel__Nomination *decided[MAX_DECIDED];
	size_t n_decided;
	size_t sel;
	/* the nomination selected: the selection follows it when the lines
	 * move (ui_list_keep); 0: none yet */
	int64_t sel_id;
} st;

/* The pending ones (the topic's list). */
static size_t
n_pending(void)
{
	return st.list != NULL ? st.list->n_nominations : 0;
}

/* Line i's nomination: the pending ones, then the decided ones. */
static const Tafel__Nomination *
at(size_t i)
{
	return i < n_pending() ? st.list->nominations[i] :
	    st.decided[i - n_pending()];
}

/* The lines; st.sel is put on st.sel_id's line when it is there. */
static size_t
lines(struct ui *u)
{
	size_t n = st.list != NULL ? n_pending() + st.n_decided : 0;
	int64_t ids[MAX_NOMINATIONS + MAX_DECIDED];

	(void)u;
	if (n > sizeof ids / sizeof ids[0])
		return n;
	for (size_t i = 0; i < n; i++)
		ids[i] = at(i)->id;
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Whether nomination nm is my organisation's and was decided recently. */
static int
mine_decided(const struct ui *u, const Tafel__Nomination *nm)
{
	return nm->org_id == u->my_org_id && nm->state !=
	    TAFEL__NOMINATION_STATE__NOMINATION_PENDING && nm->decided_at >=
	    (int64_t)time(NULL) - RECENT_DAYS * 86400;
}

/* Drops the decided nomination id (0: all of them). */
static void
drop_decided(int64_t id)
{
	size_t k = 0;

	for (size_t i = 0; i < st.n_decided; i++)
		if (id == 0 || st.decided[i]->id == id)
			protobuf_c_message_free_unpacked(&st.decided[i]->base,
			    NULL);
		else
			st.decided[k++] = st.decided[i];
	st.n_decided = k;
}

/* Adds a decided nomination on top (the newest decision first). */
static void
add_decided(const Tafel__Nomination *nm)
{
	drop_decided(nm->id);
	if (st.n_decided == MAX_DECIDED) {
		protobuf_c_message_free_unpacked(
		    &st.decided[MAX_DECIDED - 1]->base, NULL);
		st.n_decided--;
	}
	memmove(st.decided + 1, st.decided, st.n_decided * sizeof
	    st.decided[0]);
	st.decided[0] = (Tafel__Nomination *)model_dup(&nm->base);
	st.n_decided++;
}

/* The outcome in a few words: "accepted: <meeting>", "declined: reason". */
static void
outcome(const struct ui *u, const Tafel__Nomination *nm, char *buf,
    size_t len)
{
	const Tafel__Meeting *mt;
	char when[40] = "";

	if (nm->state == TAFEL__NOMINATION_STATE__NOMINATION_DECLINED) {
		snprintf(buf, len, "%s: %s", _("declined"), nm->redacted ?
		    _("(reason hidden)") : nm->decline_reason);
		return;
	}
	mt = view_meetings_find(u, nm->meeting_id);
	if (mt != NULL)
		ui_date(layout_meeting_time(mt), when, sizeof when);	/* held: when */
	snprintf(buf, len, "%s: %s", _("accepted"), mt != NULL ? when :
	    _("on the agenda"));
}

/* The newest decision first. */
static int
by_decision(const void *a, const void *b)
{
	const Tafel__Nomination *x = *(Tafel__Nomination *const *)a;
	const Tafel__Nomination *y = *(Tafel__Nomination *const *)b;

	return x->decided_at < y->decided_at ? 1 : x->decided_at >
	    y->decided_at ? -1 : 0;
}

/* Selects line idx. */
static void
select_shown(struct ui *u, size_t idx)
{
	st.sel = idx;
	st.sel_id = 0;			/* the line, then its nomination */
	(void)lines(u);
}

/* Nomination i as a line; its reason is cut, the pane has it whole. A
 * decided one (dimmed, under the pending ones) shows its outcome. */
static void
line(struct ui *u, size_t i, char *buf, size_t len, attr_t *a)
{
	const Tafel__Nomination *nm = at(i);
	char series[64], who[64], out[600];

	layout_cell(series, sizeof series, nm->series_name, 22);
	layout_cell(who, sizeof who, nm->org_name, 18);
	if (i >= n_pending()) {
		*a = ui_attr(u, UI_A_DIM);
		outcome(u, nm, out, sizeof out);
		snprintf(buf, len, " %-9s  %s  %s  %s", nm->case_number, series,
		    who, out);
		return;
	}
	snprintf(buf, len, " %-9s  %s  %s  %s", nm->case_number, series, who,
	    nm->redacted ? _("(reason hidden)") : nm->reason);
}

/* The selected nomination in full: the case and series, who nominated it
 * when, the reason (wrapped). */
static size_t
detail(struct ui *u, size_t sel, struct ui_detail_line *out, size_t max)
{
	const Tafel__Nomination *nm = at(sel);
	char when[40], buf_outcome[600];

	if (max < 5)
		return 0;
	ui_date(nm->created_at, when, sizeof when);
	out[0].attr = ui_attr(u, UI_A_TITLE);
	snprintf(out[0].text, sizeof out[0].text, "%s %s · %s", _("Case"),
	    nm->case_number, nm->series_name);
	out[1].attr = 0;
	snprintf(out[1].text, sizeof out[1].text, "%s: %s%s%s%s · %s",
	    _("Nominated by"), nm->org_name, nm->nominated_by_name[0] ? " (" :
	    "", nm->nominated_by_name, nm->nominated_by_name[0] ? ")" : "",
	    when);
	out[2].attr = nm->redacted ? ui_attr(u, UI_A_DIM) : 0;
	snprintf(out[2].text, sizeof out[2].text, "%s: %s", _("Reason"),
	    nm->redacted ? _("(reason hidden)") : nm->reason);
	if (sel < n_pending())
		return 3;
	/* decided: the outcome, who decided it when */
	outcome(u, nm, buf_outcome, sizeof buf_outcome);
	ui_date(nm->decided_at, when, sizeof when);
	out[3].attr = ui_attr(u, UI_A_TITLE);
	if (nm->state == TAFEL__NOMINATION_STATE__NOMINATION_ACCEPTED)
		snprintf(out[3].text, sizeof out[3].text, "%s (%s)",
		    buf_outcome, nm->series_name);
	else
		snprintf(out[3].text, sizeof out[3].text, "%s", buf_outcome);
	out[4].attr = 0;
	snprintf(out[4].text, sizeof out[4].text, _("Decided by %s, %s"),
	    nm->decided_by_name, when);
	return 5;
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	static const struct ui_column columns[] = { { N_("Case"), 9 },
	    { N_("Series"), 22 }, { N_("Nominated by"), 18 },
	    { N_("Reason"), 0 } };
	char head[300];
	struct ui_listing l = { .n = lines(u), .sel = &st.sel, .line = line,
	    .detail = detail, .header = head, .loading = st.list == NULL ?
	    _("Loading nominations…") : NULL, .empty = u->is_chair ||
	    u->is_admin ? _("No nominations waiting. (Those decided are "
	    "listed for the organisation that nominated.) In a case, N "
	    "nominates it.") : _("No nominations "
	    "waiting or recently decided. In a case, N nominates it.") };

	ui_list_header(head, sizeof head, " ", columns, 4);
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

/* The selected pending nomination (a and x decide it), NULL: none, or a
 * decided one. */
const Tafel__Nomination *
view_nominations_selected(struct ui *u)
{
	(void)lines(u);		/* puts st.sel on its line first */
	return st.sel < n_pending() ? st.list->nominations[st.sel] : NULL;
}

/* list_nominations with the decided ones: my organisation's recent ones. */
static void
on_decided(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	const Tafel__NominationList *l;

	(void)n;
	if (m == NULL || m->body_case !=
	    TAFEL__ENVELOPE__BODY_NOMINATION_LIST)
		return;
	l = m->nomination_list;
	drop_decided(0);
	for (size_t i = l->n_nominations; i > 0; i--)	/* oldest first */
		if (mine_decided(u, l->nominations[i - 1]))
			add_decided(l->nominations[i - 1]);
	if (st.n_decided > 0)	/* st.decided may still be NULL */
		qsort(st.decided, st.n_decided, sizeof st.decided[0],
		    by_decision);
	ui_dirty(u);
}

static void
reload_decided(struct ui *u)
{
	Tafel__ListNominationsRequest r =
	    TAFEL__LIST_NOMINATIONS_REQUEST__INIT;

	/* every view reloads after a reconnect: only once it was opened */
	if (u->view != VIEW_NOMINATIONS && st.n_decided == 0)
		return;
	r.include_decided = 1;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_NOMINATIONS, &r,
	    NET_REQ_READ, NULL, on_decided, u);
}

void
view_nominations_take(struct ui *u, const Tafel__NominationList *l)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = (Tafel__NominationList *)model_dup(&l->base);
	if (u->view == VIEW_NOMINATIONS)	/* the outcomes again */
		reload_decided(u);
	ui_dirty(u);
}

void
view_nominations_open(struct ui *u)
{
	st.sel = 0;
	st.sel_id = 0;
	ui_set_view(u, VIEW_NOMINATIONS);
	reload_decided(u);
}

/* A nomination made or decided: pending ones are listed, a decided one
 * leaves them (gone, or by its state) and, when it is my organisation's,
 * goes on top of the decided ones with its outcome. */
static void
event(struct ui *u, const Tafel__Event *ev)
{
	Tafel__Nomination **v;
	const Tafel__Nomination *nm = ev->nomination;
	int keep;
	size_t i;

	if (nm == NULL || st.list == NULL)
		return;
	if (mine_decided(u, nm)) {
		add_decided(nm);
		ui_dirty(u);
	}
	/* by its state, not ev->gone (one event may carry a closed case) */
	keep = nm->state == TAFEL__NOMINATION_STATE__NOMINATION_PENDING;
	for (i = 0; i < st.list->n_nominations; i++)
		if (st.list->nominations[i]->id == nm->id)
			break;
	if (i < st.list->n_nominations) {
		protobuf_c_message_free_unpacked(&st.list->nominations[i]->base,
		    NULL);
		if (!keep) {
			for (; i + 1 < st.list->n_nominations; i++)
				st.list->nominations[i] =
				    st.list->nominations[i + 1];
			st.list->n_nominations--;
			return;
		}
		st.list->nominations[i] = (Tafel__Nomination *)model_dup(
		    &nm->base);
		return;
	}
	if (!keep || st.list->n_nominations >= MAX_NOMINATIONS)
		return;
	v = realloc(st.list->nominations, (st.list->n_nominations + 1) *
	    sizeof *v);
	if (v == NULL)
		return;
	/* newest first */
	memmove(v + 1, v, st.list->n_nominations * sizeof *v);
	v[0] = (Tafel__Nomination *)model_dup(&nm->base);
	st.list->nominations = v;
	st.list->n_nominations++;
}

static void
free_state(struct ui *u)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = NULL;
	drop_decided(0);
}

const struct ui_view_ops view_nominations_ops = {
	.title = N_("Nominations"),
	.help_title = N_("In the nominations"),
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.event = event,
	.reload = reload_decided,
	.free = free_state,
	.parent = VIEW__COUNT,
};
