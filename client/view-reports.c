/* The reports view (get_report, docs/protocol.md 7.14): per partner organisation the action points agreed and how they ended, attendance, as a table and as text bars; per theme/district the cases opened and closed.  For chairs, administrators and the steering group (the server decides). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "datein.h"
#include "i18n.h"
#include "report-pdf.h"
#include "views.h"

#define BAR_WIDTH 30

static struct ui_pagerview pv;		/* the report, rendered */
/* A line of the rendering. */
#define add(...) ui_pv_add(&pv, __VA_ARGS__)

static struct {
	char from[16], to[16];		/* the period shown */
} st;

/* This calendar quarter as p takes it: "2026Q4". */
static void
this_quarter(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(buf, len, "%04uQ%u", (unsigned)(tm.tm_year + 1900) % 10000u,
	    (unsigned)tm.tm_mon / 3u % 4u + 1u);
}

/* A text bar: part of whole as BAR_WIDTH cells, █ filled, · empty. */
static void
bar(char *buf, size_t len, unsigned part, unsigned whole)
{
	size_t cells = whole > 0 ? (size_t)part * BAR_WIDTH / whole : 0, o = 0;

	for (size_t i = 0; i < BAR_WIDTH && o + 4 < len; i++) {
		const char *c = i < cells ? "█" : "·";

		memcpy(buf + o, c, strlen(c));
		o += strlen(c);
	}
	buf[o] = '\0';
}

/* A column header of six columns, right-aligned over its numbers. */
static void
right(char *out, size_t len, const char *text)
{
	char cut[32];
	int w;

	layout_fit(cut, sizeof cut, text, 6);
	w = layout_width(text);
	if (w >= 6) {
		snprintf(out, len, "%s", cut);
		return;
	}
	snprintf(out, len, "%*s%s", 6 - w, "", text);
}

/* The theme and district of an area line. */
static void
area_text(char *buf, size_t len, const Tafel__AreaReport *a)
{
	snprintf(buf, len, "%s · %s", ui_theme(a->theme), a->district);
}

/* The name columns: 22 and 36 wide at 80 columns, wider on a wider screen
 * as far as the longest name needs (ui_list_widen, as the other lists). */
static void
name_widths(const struct ui *u, const Tafel__Report *r, int *org, int *area)
{
	int most = 0, amost = 0;
	char text[160];

	for (size_t i = 0; i < r->n_orgs; i++)
		if (layout_width(r->orgs[i]->org_name) > most)
			most = layout_width(r->orgs[i]->org_name);
	for (size_t i = 0; i < r->n_areas; i++) {
		area_text(text, sizeof text, r->areas[i]);
		if (layout_width(text) > amost)
			amost = layout_width(text);
	}
	*org = ui_list_widen(u->cols, 22, most - 22);
	*area = ui_list_widen(u->cols, 36, amost - 36);
}

static void
render(struct ui *u, const Tafel__Report *r)
{
	attr_t t = ui_attr(u, UI_A_TITLE);
	char name[512], b[BAR_WIDTH * 4 + 1], h[9][512];
	int ow, aw;

	name_widths(u, r, &ow, &aw);
	ui_pv_clear(&pv);
	add(t, "%s %s – %s", _("Report"), r->from, r->to);
	add(0, "%s", "");
	layout_fit(h[0], sizeof h[0], _("Organisation"), ow);
	/* the counts' headers, right-aligned over their numbers: at most
	 * 6 columns in every language (more is cut); the legend under the
	 * table spells them out */
	right(h[1], sizeof h[1], _("Agreed"));
	right(h[2], sizeof h[2], _("Timely"));
	right(h[3], sizeof h[3], _("Late"));
	right(h[4], sizeof h[4], _("Canc."));
	right(h[5], sizeof h[5], _("Open"));
	right(h[6], sizeof h[6], _("Overd."));
	right(h[7], sizeof h[7], _("Mtgs"));
	right(h[8], sizeof h[8], _("Attnd"));
	add(t, "%s %s %s %s %s %s %s %s %s", h[0], h[1], h[2], h[3], h[4],
	    h[5], h[6], h[7], h[8]);
	if (r->n_orgs == 0) {	/* a new register's data is in this quarter */
		char q[16];

		this_quarter(q, sizeof q);
		add(ui_attr(u, UI_A_DIM), _("  (no action points or meetings "
		    "in this period; p chooses another, e.g. %s: this "
		    "quarter)"), q);
	}
	for (size_t i = 0; i < r->n_orgs; i++) {
		const Tafel__OrgReport *o = r->orgs[i];

		layout_cell(name, sizeof name, o->org_name, ow);
		add(o->overdue > 0 ? ui_attr(u, UI_A_OVERDUE) : 0,
		    "%s %6u %6u %6u %6u %6u %6u %6u %6u", name, o->agreed,
		    o->done_on_time, o->done_late, o->cancelled, o->open,
		    o->overdue, o->meetings, o->attended);
	}
	add(ui_attr(u, UI_A_DIM), "%s", _("Agreed: action points agreed · "
	    "Timely, Late: done · Canc.: cancelled · Open · Overd.: open "
	    "after the due date · Mtgs: meetings · Attnd: attended"));
	add(0, "%s", "");
	add(t, "%s", _("Done on time, of the action points agreed"));
	for (size_t i = 0; i < r->n_orgs; i++) {
		const Tafel__OrgReport *o = r->orgs[i];

		layout_cell(name, sizeof name, o->org_name, ow);
		bar(b, sizeof b, o->done_on_time, o->agreed);
		add(0, "%s %s %u/%u", name, b, o->done_on_time, o->agreed);
	}
	add(0, "%s", "");
	add(t, "%s", _("Present, of the meetings"));
	for (size_t i = 0; i < r->n_orgs; i++) {
		const Tafel__OrgReport *o = r->orgs[i];

		layout_cell(name, sizeof name, o->org_name, ow);
		bar(b, sizeof b, o->attended, o->meetings);
		add(0, "%s %s %u/%u", name, b, o->attended, o->meetings);
	}
	add(0, "%s", "");
	add(t, "%s", _("Cases per theme and district: opened, closed"));
	if (r->n_areas == 0)
		add(ui_attr(u, UI_A_DIM), "  %s", _("(none)"));
	for (size_t i = 0; i < r->n_areas; i++) {
		const Tafel__AreaReport *a = r->areas[i];
		char area[160];

		area_text(area, sizeof area, a);
		layout_cell(name, sizeof name, area, aw);
		add(0, "%s %6u %6u", name, a->opened, a->closed);
	}
}

static void
on_report(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	pv.loading = 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		if (m->error->code == TAFEL__ERROR_CODE__FORBIDDEN) {
			/* say who may, not only that I may not */
			snprintf(pv.error, sizeof pv.error, "%s", _("The "
			    "report is for chairs, administrators and the "
			    "steering group."));
			ui_message(u, 1, "%s", pv.error);
		} else {
			snprintf(pv.error, sizeof pv.error, "%s",
			    ui_error_text(m->error->code));
			ui_show_error(u, m->error);
		}
	} else if (m->body_case == TAFEL__ENVELOPE__BODY_REPORT)
		render(u, m->report);
	ui_dirty(u);
}

static void
reload(struct ui *u)
{
	Tafel__ReportRequest r = TAFEL__REPORT_REQUEST__INIT;

	/* every view reloads after a reconnect: only when on screen (most
	 * users may not ask for a report) */
	if (u->view != VIEW_REPORTS)
		return;
	pv.loading = 1;
	pv.error[0] = '\0';
	r.from = st.from;
	r.to = st.to;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_GET_REPORT, &r,
	    NET_REQ_READ, NULL, on_report, u);
}

/* The last quarter: the calendar quarter before today's. */
static void
last_quarter(char *from, char *to, size_t len)
{
	time_t now = time(NULL);
	struct tm tm, end;
	int q, y;

	localtime_r(&now, &tm);
	q = tm.tm_mon / 3 - 1;
	y = tm.tm_year + 1900;
	if (q < 0) {
		q = 3;
		y--;
	}
	memset(&end, 0, sizeof end);
	end.tm_year = y - 1900;
	end.tm_mon = q * 3;
	end.tm_mday = 1;
	end.tm_hour = 12;
	mktime(&end);
	strftime(from, len, "%Y-%m-%d", &end);
	/* day 0 of the next quarter's first month: the quarter's last day */
	memset(&end, 0, sizeof end);
	end.tm_year = y - 1900;
	end.tm_mon = q * 3 + 3;
	end.tm_mday = 0;
	end.tm_hour = 12;
	mktime(&end);
	strftime(to, len, "%Y-%m-%d", &end);
}

void
view_reports_open(struct ui *u)
{
	if (st.from[0] == '\0')
		last_quarter(st.from, st.to, sizeof st.from);
	ui_pv_clear(&pv);
	ui_set_view(u, VIEW_REPORTS);
	reload(u);
}

/* p: another period, "FROM TO", each a date as people type it (1-10-2026,
 * 2026-10-01, ...); what is wrong is said and the text offered again. */
static void
period_typed(struct ui *u, const char *text)
{
	char from[64], to[64], extra[2];
	struct datein_day today = datein_today((int64_t)time(NULL)), a, b;

	if (text == NULL)
		return;
	/* one quarter, as tafel --batch report takes it: 2026Q4 */
	if (sscanf(text, "%63s %1s", from, extra) == 1 &&
	    report_quarter(from, st.from, st.to) == 0) {
		u->message[0] = '\0';
		ui_pv_clear(&pv);
		reload(u);
		return;
	}
	if (sscanf(text, "%63s %63s %1s", from, to, extra) != 2 ||
	    datein_parse(from, today, &a) != DATEIN_OK ||
	    datein_parse(to, today, &b) != DATEIN_OK) {
		ui_prompt(u, _("Period (from to)"), text, period_typed);
		u->prompt.edited = 1;
		ui_message(u, 1, "%s", _("Type two dates, from and to, e.g. "
		    "1-10-2026 31-12-2026, or a quarter: 2026Q4."));
		return;
	}
	if (datein_cmp(a, b) > 0) {
		ui_prompt(u, _("Period (from to)"), text, period_typed);
		u->prompt.edited = 1;
		ui_message(u, 1, "%s", _("The first date lies after the second."));
		return;
	}
	u->message[0] = '\0';		/* an earlier "type two dates" is done */
	datein_format(a, st.from, sizeof st.from);
	datein_format(b, st.to, sizeof st.to);
	ui_pv_clear(&pv);
	reload(u);
}

void
view_reports_period(struct ui *u)
{
	char initial[40];

	snprintf(initial, sizeof initial, "%s %s", st.from, st.to);
	ui_prompt(u, _("Period (from to)"), initial, period_typed);
	u->prompt.replace = 1;		/* typing a period replaces it */
}

static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	ui_pv_draw(u, &pv, w, rows, cols, _("Loading the report…"));
}

static void
step(struct ui *u, int dir)
{
	ui_pv_step(&pv, dir);
}

static void
free_state(struct ui *u)
{
	ui_pv_clear(&pv);
}

const struct ui_view_ops view_reports_ops = {
	.title = N_("Reports"),
	.help_title = N_("In the reports"),
	.draw = draw,
	.step = step,
	.reload = reload,
	.free = free_state,
	.parent = VIEW__COUNT,
};
