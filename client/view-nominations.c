/* The nominations view: pending proposals to discuss a case at the next meeting of a series (TOPIC_NOMINATIONS), for the chair to accept or decline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "views.h"

#define MAX_NOMINATIONS 512

static struct {
	Tafel__NominationList *list;	/* the topic's snapshot, owned */
	size_t sel;
	/* the nomination selected: the selection follows it when the lines
	 * move (ui_list_keep); 0: none yet */
	int64_t sel_id;
} st;

/* The lines; st.sel is put on st.sel_id's line when it is there. */
static size_t
lines(struct ui *u)
{
	size_t n = st.list != NULL ? st.list->n_nominations : 0;
	int64_t ids[512];

	(void)u;
	if (n > sizeof ids / sizeof ids[0])
		return n;
	for (size_t i = 0; i < n; i++)
		ids[i] = st.list->nominations[i]->id;
	ui_list_keep(&st.sel, &st.sel_id, ids, n);
	return n;
}

/* Selects line idx. */
static void
select_shown(struct ui *u, size_t idx)
{
	st.sel = idx;
	st.sel_id = 0;			/* the line, then its nomination */
	(void)lines(u);
}

/* Nomination i as a line; its reason is cut, the pane has it whole. */
static void
line(struct ui *u, size_t i, char *buf, size_t len, attr_t *a)
{
	const Tafel__Nomination *nm = st.list->nominations[i];
	char series[64], who[64];

	layout_cell(series, sizeof series, nm->series_name, 22);
	layout_cell(who, sizeof who, nm->org_name, 18);
	snprintf(buf, len, " %-9s  %s  %s  %s", nm->case_number, series, who,
	    nm->redacted ? _("(reason hidden)") : nm->reason);
}

/* The selected nomination in full: the case and series, who nominated it
 * when, the reason (wrapped). */
static size_t
detail(struct ui *u, size_t sel, struct ui_detail_line *out, size_t max)
{
	const Tafel__Nomination *nm = st.list->nominations[sel];
	char when[40];

	if (max < 3)
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
	return 3;
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
	    _("Loading nominations…") : NULL, .empty = _("No nominations "
	    "waiting. In a case, N nominates it.") };

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

const Tafel__Nomination *
view_nominations_selected(struct ui *u)
{
	size_t n = lines(u);	/* puts st.sel on its line first */

	return st.sel < n ? st.list->nominations[st.sel] : NULL;
}

void
view_nominations_take(struct ui *u, const Tafel__NominationList *l)
{
	if (st.list != NULL)
		protobuf_c_message_free_unpacked(&st.list->base, NULL);
	st.list = (Tafel__NominationList *)model_dup(&l->base);
	ui_dirty(u);
}

void
view_nominations_open(struct ui *u)
{
	st.sel = 0;
	st.sel_id = 0;
	ui_set_view(u, VIEW_NOMINATIONS);
}

/* A nomination made or decided: pending ones are listed, a decided one
 * leaves the list (gone, or by its state). */
static void
event(struct ui *u, const Tafel__Event *ev)
{
	Tafel__Nomination **v;
	const Tafel__Nomination *nm = ev->nomination;
	int keep;
	size_t i;

	if (nm == NULL || st.list == NULL)
		return;
	keep = !ev->gone && nm->state == TAFEL__NOMINATION_STATE__NOMINATION_PENDING;
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
}

const struct ui_view_ops view_nominations_ops = {
	.title = N_("Nominations"),
	.help_title = N_("In the nominations"),
	.draw = draw,
	.lines = lines,
	.step = step,
	.select = select_line,
	.event = event,
	.free = free_state,
	.parent = VIEW__COUNT,
};
