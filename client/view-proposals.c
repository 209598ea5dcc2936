/* The chair's agenda proposals for a planned meeting (list_proposals, docs/protocol.md 7.11): each case with why it is proposed; a accepts (add_agenda_item), x declines with a reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "i18n.h"
#include "views.h"

static struct {
	Tafel__ProposalList *list;	/* the list_proposals answer, owned */
	int64_t meeting_id;
	size_t sel;
	/* the case selected: the selection follows it when the lines
	 * move (ui_list_keep); 0: none yet */
	int64_t sel_id;
} st;

/* Why a case is proposed, by ProposalReason.code (the text is English). */
static const struct {
	const char *code;
	const char *text;
} reason_texts[] = {
	{ "new_signal", N_("new signal") },
	{ "review_due", N_("review due") },
	{ "action_overdue", N_("action point overdue") },
	{ "clock_ending", N_("legal clock ends") },
	{ "earlier_discussed", N_("earlier discussed") },
	{ "nomination", N_("nominated") },
	{ "not_discussed", N_("not discussed") },
};

static const char *
reason_text(const char *code)
{
	for (size_t i = 0; i < sizeof reason_texts / sizeof reason_texts[0]; i++)
		if (strcmp(reason_texts[i].code, code) == 0)
			return _(reason_texts[i].text);
	return code;
}

/* The lines; st.sel is put on st.sel_id's line when it is there. */
static size_t
lines(struct ui *u)
{
	size_t n = st.list != NULL ? st.list->n_proposals : 0;
	int64_t ids[512];

	(void)u;
	if (n > sizeof ids / sizeof ids[0])
		return n;
	for (size_t i = 0; i < n; i++)
		ids[i] = st.list->proposals[i]->case_id;
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Selects line idx. */
static void
select_shown(struct ui *u, size_t idx)
{
	st.sel = idx;
	st.sel_id = 0;			/* the line, then its case */
	(void)lines(u);
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	char why[512], hdr[2][64];
	size_t first, n = lines(u), vis;

	if (st.list == NULL) {
		ui_put(w, 1, 2, cols - 4, 0, _("Loading the proposals…"));
		return;
	}
	if (n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, _("No cases proposed for this "
		    "meeting."));
		return;
	}
	layout_fit(hdr[0], sizeof hdr[0], _("Case"), 9);
	/* the status column holds the longest status whole ("plan van
	 * aanpak", "plan of approach") */
	layout_fit(hdr[1], sizeof hdr[1], _("Status"), 16);
	ui_putf(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), "  %s  %s  %s",
	    hdr[0], hdr[1], _("Why"));
	first = ui_list_scroll(u, &st.sel, n, rows, &vis);
	for (size_t i = first; i < first + vis; i++) {
		const Tafel__Proposal *p = st.list->proposals[i];
		int declined = p->state ==
		    TAFEL__PROPOSAL_STATE__PROPOSAL_DECLINED;
		attr_t a = declined ? ui_attr(u, UI_A_DIM) : p->red ?
		    ui_attr(u, UI_A_OVERDUE) : 0;
		int y = (int)(i - first) + 1;
		size_t len = 0;
		char status[64];

		if (i == st.sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		why[0] = '\0';
		if (declined)
			snprintf(why, sizeof why, "%s: %s", _("declined"),
			    p->decline_reason);
		for (size_t k = 0; !declined && k < p->n_reasons &&
		    len < sizeof why; k++)
			len += (size_t)snprintf(why + len, sizeof why - len,
			    "%s%s", k > 0 ? "; " : "",
			    reason_text(p->reasons[k]->code));
		layout_cell(status, sizeof status, ui_enum(
		    &tafel__case_status__descriptor, (int)p->status), 16);
		ui_putf(w, y, 0, cols, a, "%s %-9s  %s  %s", p->red ? "!" : " ",
		    p->case_number, status, why);
	}
	if (first + vis < n)
		ui_more(u, w, 1 + (int)vis, 0, cols, n - first - vis);
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

const Tafel__Proposal *
view_proposals_selected(struct ui *u)
{
	size_t n = lines(u);	/* puts st.sel on its line first */

	return st.sel < n ? st.list->proposals[st.sel] : NULL;
}

int64_t
view_proposals_meeting(void)
{
	return st.meeting_id;
}

static void
on_list(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_PROPOSAL_LIST)
		return;
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = (Tafel__ProposalList *)model_dup(&m->proposal_list->base);
	ui_dirty(u);
}

void
view_proposals_reload(struct ui *u)
{
	Tafel__ListProposalsRequest r = TAFEL__LIST_PROPOSALS_REQUEST__INIT;

	/* every view reloads after a reconnect: only when on screen (the
	 * chair's right; nobody else may ask) */
	if (u->view != VIEW_PROPOSALS)
		return;
	r.meeting_id = st.meeting_id;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_PROPOSALS, &r,
	    NET_REQ_READ, NULL, on_list, u);
}

void
view_proposals_open(struct ui *u)
{
	if (u->meeting.meeting == NULL ||
	    u->meeting.meeting->state != TAFEL__MEETING_STATE__MEETING_PLANNED) {
		ui_message(u, 1, "%s", _("Proposals are for a planned meeting."));
		return;
	}
	if (st.meeting_id != u->meeting.meeting_id && st.list != NULL) {
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
		st.list = NULL;
	}
	st.meeting_id = u->meeting.meeting_id;
	st.sel = 0;
	st.sel_id = 0;
	ui_set_view(u, VIEW_PROPOSALS);
	view_proposals_reload(u);
}

static void
free_state(struct ui *u)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = NULL;
}

const struct ui_view_ops view_proposals_ops = {
	.title = N_("Proposals"),
	.help_title = N_("In the agenda proposals"),
	.chair_only = 1,
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.reload = view_proposals_reload,
	.free = free_state,
	.parent = VIEW_MEETING,
};
