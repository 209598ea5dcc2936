/* The case view: one case in depth, with persons, summary, action points and its history of decisions, wrapped and scrolled like a pager. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

static struct {
	Tafel__CaseDetail *detail;	/* get_case answer, owned */
	int scroll;			/* first line shown */
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

/* Wraps text at the window width (by characters, breaking at spaces). */
static void
wrapped(struct lines *l, attr_t a, const char *text)
{
	wchar_t wbuf[8192];
	char out[4096];
	size_t n = mbstowcs(wbuf, text, sizeof wbuf / sizeof wbuf[0] - 1);
	size_t width = l->cols > 8 ? (size_t)l->cols - 4 : 4, start = 0;

	if (n == (size_t)-1) {
		line(l, a, text);
		return;
	}
	wbuf[n] = L'\0';
	while (start < n) {
		size_t end = start + width < n ? start + width : n, cut = end;

		if (end < n)
			for (size_t k = end; k > start; k--)
				if (wbuf[k] == L' ') {
					cut = k;
					break;
				}
		{
			wchar_t save = wbuf[cut];
			size_t m;

			wbuf[cut] = L'\0';
			m = wcstombs(out, wbuf + start, sizeof out - 1);
			out[m == (size_t)-1 ? 0 : m] = '\0';
			wbuf[cut] = save;
		}
		line(l, a, out);
		start = cut;
		while (start < n && wbuf[start] == L' ')
			start++;
	}
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const Tafel__CaseDetail *d = st.detail;
	const Tafel__Case *c;
	struct lines l = { 0, st.scroll, rows, w, cols };
	char buf[4096], when[40];

	if (d == NULL || d->case_ == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading the case…"));
		return;
	}
	c = d->case_;
	snprintf(buf, sizeof buf, "%s %s · %s · %s", _("Case"), c->number,
	    ui_theme(c->theme), ui_enum(&tafel__case_status__descriptor, (int)c->status));
	line(&l, ui_attr(u, UI_A_TITLE), buf);
	snprintf(buf, sizeof buf, "%s: %s · %s: %s · %s: %s", _("District"),
	    c->district, _("Approach"),
	    ui_enum(&tafel__approach__descriptor, (int)c->approach),
	    _("Case manager"), c->case_manager_name[0] ? c->case_manager_name : "-");
	wrapped(&l, 0, buf);
	snprintf(buf, sizeof buf, "%s: %s", _("Submitted by"),
	    c->submitter_org_name);
	wrapped(&l, 0, buf);
	if (c->redacted) {
		snprintf(buf, sizeof buf, "%s", ui_redaction_text(
		    c->redaction_reason));
		wrapped(&l, ui_attr(u, UI_A_DIM), buf);
	}
	line(&l, 0, "");
	line(&l, ui_attr(u, UI_A_TITLE), _("Persons"));
	for (size_t i = 0; i < c->n_persons; i++) {
		snprintf(buf, sizeof buf, "  %s: %s %s",
		    ui_enum(&tafel__person_role__descriptor,
		    (int)c->persons[i]->role), c->persons[i]->name,
		    c->persons[i]->birth_date);
		wrapped(&l, 0, buf);
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
		char text[1100];

		ui_action_text(c, a, text, sizeof text);
		snprintf(buf, sizeof buf, "  %s %-9s %s%s%s: %s%s%s", a->due_date,
		    ui_enum(&tafel__action_state__descriptor, (int)a->state),
		    a->owner_org_name, a->owner_user_name[0] ? "/" : "",
		    a->owner_user_name, text,
		    a->completion_note[0] ? " — " : "", a->completion_note);
		wrapped(&l, a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0, buf);
	}
	line(&l, 0, "");
	line(&l, ui_attr(u, UI_A_TITLE), _("History"));
	if (d->n_history == 0)
		line(&l, ui_attr(u, UI_A_DIM), _("  (not discussed before)"));
	for (size_t i = 0; i < d->n_history; i++) {
		char text[1100];

		ui_date(d->history[i]->scheduled_start, when, sizeof when);
		ui_decision_text(c, d->history[i]->decision, text, sizeof text);
		snprintf(buf, sizeof buf, "  %s %s: %s", when,
		    d->history[i]->series_name, text);
		wrapped(&l, 0, buf);
	}
	/* a pager: what is below is counted, j and ↓ bring it up */
	if (l.n - l.skip > rows - 1)
		ui_putf(w, rows - 1, 0, cols, ui_attr(u, UI_A_DIM),
		    _("  +%d more (j, ↓)"), l.n - l.skip - (rows - 1));
	if (st.scroll > l.n - 1)
		st.scroll = l.n > 0 ? l.n - 1 : 0;
}

static void
step(struct ui *u, int dir)
{
	st.scroll += dir;
	if (st.scroll < 0)
		st.scroll = 0;
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
	if (st.detail != NULL)
		protobuf_c_message_free_unpacked(&st.detail->base, NULL);
	st.detail = (Tafel__CaseDetail *)model_dup(&m->case_detail->base);
	ui_dirty(u);
}

static void
load(struct ui *u, int64_t case_id)
{
	Tafel__GetCaseRequest r = TAFEL__GET_CASE_REQUEST__INIT;

	r.case_id = case_id;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_GET_CASE, &r, NET_REQ_READ,
	    NULL, on_case, u);
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
	st.scroll = 0;
	load(u, case_id);
	ui_set_view(u, VIEW_CASE);
}

/* After a reconnect (or r): the case shown, as it is now. */
static void
reload(struct ui *u)
{
	if (u->view == VIEW_CASE && st.detail != NULL &&
	    st.detail->case_ != NULL)
		load(u, st.detail->case_->id);
}

static void
free_state(struct ui *u)
{
	if (st.detail != NULL)
		protobuf_c_message_free_unpacked(&st.detail->base, NULL);
	st.detail = NULL;
}

const struct ui_view_ops view_case_ops = {
	.title = N_("Case"),
	.help_title = N_("In a case"),
	.draw = draw,
	.step = step,
	.reload = reload,
	.free = free_state,
	.parent = VIEW__COUNT,
};
