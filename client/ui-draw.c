/* Drawing helpers every view uses: clipped wide-character text, colours, boxes, enum and date labels, list scrolling. */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"

/* Clipped at width columns; what does not fit ends in "…". */
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
	/* cut text is never cut silently: "…" in its last column (trailing
	 * spaces are no text) */
	if (wbuf[k] != L'\0' && k > 0) {
		size_t rest = k;

		while (wbuf[rest] == L' ')
			rest++;
		if (wbuf[rest] != L'\0') {
			while (k > 0 && cols + 1 > width) {
				int cw = wcwidth(wbuf[--k]);

				cols -= cw > 0 ? cw : 1;
			}
			wbuf[k++] = L'…';
		}
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

void
ui_put_centred(WINDOW *w, int y, int cols, attr_t attr, const char *text)
{
	int x = (cols - layout_width(text)) / 2;

	ui_put(w, y, x > 0 ? x : 0, cols, attr, text);
}

/* Colour pair or, without colours, a plain attribute per kind. */
attr_t
ui_attr(struct ui *u, int kind)
{
	static const struct { attr_t mono; short fg, bg; attr_t extra; } tab[] = {
		[UI_A_TITLE] = { A_BOLD, -1, -1, A_BOLD },
		[UI_A_SELECTED] = { A_REVERSE, COLOR_BLACK, COLOR_CYAN, 0 },
		/* without colours the current row is bold (and has its ▶),
		 * a changed one underlined: see ui_flash */
		[UI_A_CURRENT] = { A_BOLD, COLOR_GREEN, -1, A_BOLD },
		[UI_A_FLASH] = { A_UNDERLINE, COLOR_BLACK, COLOR_YELLOW, 0 },
		[UI_A_OVERDUE] = { A_BOLD, COLOR_RED, -1, A_BOLD },
		[UI_A_STATUS] = { A_REVERSE, COLOR_WHITE, COLOR_BLUE, 0 },
		[UI_A_ERROR] = { A_BOLD | A_REVERSE, COLOR_WHITE, COLOR_RED, A_BOLD },
		[UI_A_DIM] = { A_DIM, -1, -1, A_DIM },
	};

	if (!u->colors)
		return tab[kind].mono;
	return COLOR_PAIR(kind + 1) | tab[kind].extra;
}

/* A line changed a moment ago (changed: its model record's time): in colour
 * it flashes yellow; without colours it keeps its own look (the selection's
 * reverse included, which a standout flash looked just like) underlined. */
attr_t
ui_flash(struct ui *u, double changed, attr_t other)
{
	if (!model_recent(changed, ui_now()))
		return other;
	return u->colors ? ui_attr(u, UI_A_FLASH) : other | ui_attr(u,
	    UI_A_FLASH);
}

void
ui_colors_init(struct ui *u)
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

void
ui_box(struct ui *u, WINDOW *w, int y, int x, int h, int width)
{
	for (int r = 0; r < h; r++)
		mvwhline(w, y + r, x, ' ', width);
	wattr_on(w, ui_attr(u, UI_A_TITLE), NULL);
	mvwhline(w, y, x, ACS_HLINE, width);
	mvwhline(w, y + h - 1, x, ACS_HLINE, width);
	mvwvline(w, y, x, ACS_VLINE, h);
	mvwvline(w, y, x + width - 1, ACS_VLINE, h);
	mvwaddch(w, y, x, ACS_ULCORNER);
	mvwaddch(w, y, x + width - 1, ACS_URCORNER);
	mvwaddch(w, y + h - 1, x, ACS_LLCORNER);
	mvwaddch(w, y + h - 1, x + width - 1, ACS_LRCORNER);
	wattr_off(w, ui_attr(u, UI_A_TITLE), NULL);
}

/* "in_progress" → translated label via the enum's short name. */
const char *
ui_enum(const ProtobufCEnumDescriptor *d, int value)
{
	static const struct { const char *name; const char *text; } labels[] = {
		{ "MEETING_PLANNED", N_("planned") },
		{ "MEETING_OPEN", N_("open") },
		{ "MEETING_CLOSED", N_("closed") },
		{ "MEETING_CANCELLED", N_("cancelled") },
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
		{ "CASE_CLOSED", N_("case closed") },
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

/* Theme keys of the register, shown in the user's language: in full, and
 * in a table's 17-column cell (where "multiprobleempersonen" was cut). */
static const struct theme_name {
	const char *key, *text, *cell;	/* cell NULL: the text fits */
} theme_names[] = {
	{ "domestic_violence", N_("domestic violence"), NULL },
	{ "repeat_offenders", N_("repeat offenders"), NULL },
	{ "at_risk_youth", N_("at-risk youth"), NULL },
	{ "multi_problem", N_("multi-problem persons"), N_("multi-problem") },
};

static const struct theme_name *
theme_name(const char *theme)
{
	for (size_t i = 0; i < sizeof theme_names / sizeof theme_names[0]; i++)
		if (strcmp(theme_names[i].key, theme) == 0)
			return &theme_names[i];
	return NULL;
}

const char *
ui_theme(const char *theme)
{
	const struct theme_name *t = theme_name(theme);

	return t != NULL ? _(t->text) : theme;
}

const char *
ui_theme_cell(const char *theme)
{
	const struct theme_name *t = theme_name(theme);

	return t != NULL ? _(t->cell != NULL ? t->cell : t->text) : theme;
}

size_t
ui_list_scroll(struct ui *u, size_t *sel, size_t n, int rows, size_t *shown)
{
	size_t first = 0, room = rows > 2 ? (size_t)rows - 1 : 1;

	if (n > room && room > 1)
		room--;			/* the last row says "+N more" */
	if (*sel >= n)
		*sel = n - 1;
	if (*sel >= room)
		first = *sel - room + 1;
	*shown = n - first < room ? n - first : room;
	u->click_y0 = 1;
	u->click_first = first;
	u->click_n = n;
	return first;
}

void
ui_list_step(size_t *sel, size_t n, int dir)
{
	size_t d = dir < 0 ? (size_t)-(long)dir : (size_t)dir;

	if (n == 0)
		return;
	if (*sel >= n)
		*sel = n - 1;
	if (dir < 0)
		*sel = d >= *sel ? 0 : *sel - d;
	else if (dir > 0)
		*sel = d >= n - 1 - *sel ? n - 1 : *sel + d;
}

void
ui_list_keep(size_t *sel, int64_t *sel_id, const int64_t *ids, size_t n)
{
	for (size_t i = 0; *sel_id != 0 && i < n; i++)
		if (ids[i] == *sel_id) {
			*sel = i;
			break;
		}
	if (*sel >= n)
		*sel = n > 0 ? n - 1 : 0;
	*sel_id = n > 0 ? ids[*sel] : 0;
}

void
ui_more(struct ui *u, WINDOW *w, int y, int x, int width, size_t n)
{
	ui_putf(w, y, x, width, ui_attr(u, UI_A_DIM), _("  +%zu more"), n);
}

size_t
ui_window(size_t n, size_t sel, int room, size_t *above, size_t *below)
{
	size_t first = 0, shown;

	*above = *below = 0;
	if (room <= 0 || n <= (size_t)room) {
		if (room <= 0)
			*below = n;
		return 0;
	}
	if (room < 3) {			/* the selected line, and the rest */
		*below = n - sel - 1;
		return sel;
	}
	/* room - 1 lines and one "+N more" line (two when in the middle) */
	shown = (size_t)room - 1;
	if (sel >= shown) {
		shown = (size_t)room - 2;
		first = sel + 1 > shown ? sel + 1 - shown : 0;
		if (first + shown >= n) {	/* at the end: one line freed */
			shown = (size_t)room - 1;
			first = n - shown;
		}
	}
	*above = first;
	*below = n - first - shown;
	return first;
}

int
ui_standing_draw(struct ui *u, WINDOW *w, int y, int x, int rows, int width)
{
	const Tafel__ActionPoint *acts[256];
	size_t n = model_standing_actions(&u->meeting, acts, 256);
	char text[1100];
	int y0 = y;

	if (n == 0 || y >= rows)
		return 0;
	ui_putf(w, y++, x, width, ui_attr(u, UI_A_TITLE), "%s (%zu)",
	    _("Open action points from earlier meetings"), n);
	for (size_t i = 0; i < n && y < rows; i++) {
		const Tafel__ActionPoint *a = acts[i];
		attr_t at = a->overdue ? ui_attr(u, UI_A_OVERDUE) : 0;

		if (y == rows - 1 && i + 1 < n) {	/* the last row counts */
			ui_more(u, w, y++, x, width, n - i);
			break;
		}
		at = ui_flash(u, model_rec(&u->meeting.standing, a->id)->changed,
		    at);
		ui_action_text(NULL, a, text, sizeof text);
		/* on the shared screen the room, not the viewer's
		 * organisation, is why (as the current item's line says) */
		if (u->presentation && a->description[0] == '\0')
			snprintf(text, sizeof text, "%s",
			    _("(hidden on the shared screen)"));
		ui_putf(w, y++, x, width, at, "%s %s %s %s · %s · %s",
		    a->overdue ? "!" : " ", a->due_date, _("Case"),
		    a->case_number[0] ? a->case_number : "?", text,
		    a->owner_org_name);
	}
	return y - y0;
}
