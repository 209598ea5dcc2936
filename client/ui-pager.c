/* The pager: lines wrapped at word boundaries and scrolled by screen rows (ui_pager), and the pager view's state that the minutes and the reports fill with their lines. */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* The rows of the window the last pager was drawn in (the body: one pager
 * is on the screen at a time), for stepping between drawings. */
static int pager_window_rows;

/* The last first row: the one that shows the last row at the bottom (below
 * "+N more" above); 0 when everything fits. */
static size_t
pager_last(size_t total, int rows)
{
	if (rows < 2)
		return total > 0 ? total - 1 : 0;
	return total <= (size_t)rows ? 0 : total - (size_t)rows + 1;
}

/* One logical line as rows of at most width columns from column x0;
 * draws the rows numbered [from, to) of the whole pager at y0 - from;
 * returns its rows. */
static size_t
pager_line(WINDOW *w, int x0, int width, const char *text, attr_t a,
    size_t row, size_t from, size_t to, int y0)
{
	size_t lead = strspn(text, " "), n = 0, next, len;
	int x = x0, wd = width;
	char buf[2048];

	/* an indent that leaves too little room is not kept */
	if (width - (int)lead - 2 < 12)
		lead = 0;
	do {
		len = layout_wrap(text, wd, &next);
		if (row + n >= from && row + n < to) {
			snprintf(buf, sizeof buf, "%.*s", (int)len, text);
			ui_put(w, y0 + (int)(row + n - from), x, wd, a, buf);
		}
		n++;
		text += next;
		x = x0 + (int)lead + 2;
		wd = width - (int)lead - 2;
	} while (*text != '\0' && next > 0);
	return n;
}

int
ui_wrap_put(WINDOW *w, int y, int x, int width, int max_rows, attr_t a,
    const char *text)
{
	size_t lead = strspn(text, " "), len, next;
	int n = 0, x1 = x, wd = width;
	char buf[2048];

	if (width < 4 || max_rows <= 0)
		return 0;
	if (width - (int)lead - 2 < 12)	/* as pager_line */
		lead = 0;
	for (;;) {
		len = layout_wrap(text, wd, &next);
		/* the last row takes the rest, cut with "…" by ui_put: text
		 * that does not fit is never cut silently */
		if (n == max_rows - 1 || next == 0 || text[next] == '\0') {
			ui_put(w, y + n, x1, wd, a, text);
			return n + 1;
		}
		snprintf(buf, sizeof buf, "%.*s", (int)len, text);
		ui_put(w, y + n++, x1, wd, a, buf);
		text += next;
		x1 = x + (int)lead + 2;
		wd = width - (int)lead - 2;
	}
}

size_t
ui_pager(struct ui *u, WINDOW *w, int rows, int cols, char *const *lines,
    const attr_t *attrs, size_t n, size_t *scroll)
{
	size_t total = 0, first, below = 0, row = 0;
	int width = cols - 2, y = 0;

	if (width < 4 || rows < 1)
		return n;
	for (size_t i = 0; i < n; i++)
		total += pager_line(w, 1, width, lines[i], 0, total, 0, 0, 0);
	pager_window_rows = rows;
	if (total == 0)
		return 0;
	if (total > (size_t)rows)
		u->body_overflows = 1;
	if (*scroll > pager_last(total, rows))	/* never past the end */
		*scroll = pager_last(total, rows);
	first = *scroll;
	/* "+N more" says which key brings it up, as in lists */
	if (first > 0)
		ui_putf(w, y++, 0, cols, ui_attr(u, UI_A_DIM),
		    _("  +%d more (k, ↑)"), (int)first);
	if (total - first > (size_t)(rows - y))
		below = total - first - (size_t)(rows - y - 1);
	for (size_t i = 0; i < n && row < total - below; i++)
		row += pager_line(w, 1, width, lines[i], attrs[i], row, first,
		    total - below, y);
	if (below > 0)
		ui_putf(w, rows - 1, 0, cols, ui_attr(u, UI_A_DIM),
		    _("  +%d more (j, ↓)"), (int)below);
	return total;
}

void
ui_pv_clear(struct ui_pagerview *pv)
{
	for (size_t i = 0; i < pv->n; i++)
		free(pv->lines[i]);
	pv->n = 0;
	pv->scroll = 0;
}

void
ui_pv_add(struct ui_pagerview *pv, attr_t a, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (pv->n >= UI_PAGER_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	pv->lines[pv->n] = strdup(buf);
	if (pv->lines[pv->n] == NULL)
		return;
	pv->attrs[pv->n++] = a;
}

void
ui_pv_draw(struct ui *u, struct ui_pagerview *pv, WINDOW *w, int rows,
    int cols, const char *loading)
{
	if (pv->loading || pv->n == 0) {
		ui_put(w, 1, 2, cols - 4, 0, pv->error[0] ? pv->error : loading);
		return;
	}
	pv->rows = ui_pager(u, w, rows, cols, pv->lines, pv->attrs, pv->n,
	    &pv->scroll);
}

/* dir rows down (up when negative): a row (j, k), a page (Space, b), or
 * as far as it goes (G, g); it stops at last, the first row that shows the
 * last row at the bottom. */
void
ui_scroll_step(size_t *scroll, size_t last, int dir)
{
	if (*scroll > last)
		*scroll = last;
	if (dir < 0)
		*scroll = (size_t)-(long)dir >= *scroll ? 0 :
		    *scroll - (size_t)-(long)dir;
	else
		*scroll = (size_t)dir >= last - *scroll ? last :
		    *scroll + (size_t)dir;
}

size_t
ui_scroll_last(size_t total, int shown)
{
	if (shown < 1)
		return total > 0 ? total - 1 : 0;
	return total <= (size_t)shown ? 0 : total - (size_t)shown;
}

void
ui_scroll_draw(struct ui_scroll *s, struct ui *u, WINDOW *w, int rows,
    int cols, int (*draw_lines)(struct ui *, WINDOW *, int, int))
{
	size_t last;

	s->lines = (size_t)draw_lines(u, w, rows, cols);
	s->rows = rows;
	last = ui_scroll_last(s->lines, rows - 1);
	if (last > 0)
		u->body_overflows = 1;
	if (s->scroll > last) {		/* fewer lines, or a taller window */
		s->scroll = last;
		werase(w);
		draw_lines(u, w, rows, cols);
	}
}

void
ui_scroll_move(struct ui_scroll *s, int dir)
{
	ui_scroll_step(&s->scroll, ui_scroll_last(s->lines, s->rows - 1), dir);
}

void
ui_pv_step(struct ui_pagerview *pv, int dir)
{
	ui_scroll_step(&pv->scroll, pager_last(pv->rows, pager_window_rows),
	    dir);
}
