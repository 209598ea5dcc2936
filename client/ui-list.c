/* A list view's body: the column titles, the lines with the selected one highlighted, "+N more", and under them a pane with the selected line in full. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

void
ui_list_header(char *buf, size_t len, const char *lead,
    const struct ui_column *c, size_t n)
{
	char fit[256];
	size_t o = (size_t)snprintf(buf, len, "%s", lead);

	for (size_t i = 0; i < n && o < len; i++) {
		/* _("") would be the catalogue's header */
		const char *t = c[i].title[0] != '\0' ? _(c[i].title) : "";

		if (c[i].width > 0) {
			layout_fit(fit, sizeof fit, t, c[i].width);
			t = fit;
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i > 0 ? "  " :
		    "", t);
	}
}

int
ui_list_widen(int cols, int base, int most)
{
	int extra = cols > 80 ? cols - 80 : 0;

	if (most < 0)
		most = 0;
	return base + (extra < most ? extra : most);
}

/* The selected line in full, wrapped, from row y to the body's end. */
static void
detail_pane(struct ui *u, WINDOW *w, int y, int rows, int cols,
    const struct ui_listing *l)
{
	struct ui_detail_line ln[64];
	size_t k;

	if (rows - y < 2 || cols < 20)
		return;
	mvwhline(w, y++, 0, ACS_HLINE, cols);
	k = l->detail(u, *l->sel, ln, sizeof ln / sizeof ln[0]);
	for (size_t i = 0; i < k && y < rows; i++)
		y += ui_wrap_put(w, y, 2, cols - 4, rows - y, ln[i].attr,
		    ln[i].text);
}

void
ui_list_detail(struct ui *u, WINDOW *w, int rows, int cols,
    const struct ui_listing *l)
{
	char buf[1200];
	size_t first, vis;
	int list_rows, y;

	if (l->loading != NULL || l->n == 0) {	/* wrapped: it says why */
		ui_wrap_put(w, 1, 2, cols - 4, rows - 1, 0, l->loading != NULL ?
		    l->loading : l->empty);
		return;
	}
	ui_put(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), l->header);
	/* with a pane: the list above (the upper half), the pane below */
	list_rows = l->detail != NULL && rows > 12 ? rows / 2 : rows;
	first = ui_list_scroll(u, l->sel, l->n, list_rows, &vis);
	for (size_t i = first; i < first + vis; i++) {
		attr_t a = 0;

		y = (int)(i - first) + 1;
		buf[0] = '\0';
		l->line(u, i, buf, sizeof buf, &a);
		if (i == *l->sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		ui_put(w, y, 0, cols, a, buf);
	}
	y = 1 + (int)vis;
	if (first + vis < l->n)
		ui_more(u, w, y++, 0, cols, l->n - first - vis);
	if (l->detail != NULL && list_rows < rows && *l->sel < l->n)
		detail_pane(u, w, y, rows, cols, l);
}
