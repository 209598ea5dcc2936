/* The pickers' shared part: the list of what matches the search under the picker's title, stepping and clicking, choosing with Enter and leaving without a choice. */
#include "view-pick.h"

#include <stdio.h>

#include "i18n.h"

/* The picker opened last: the one on screen, or the one being left. */
static struct picker *cur;

void
pick_open(struct ui *u, struct picker *p, const char *title,
    const char *search, int waiting)
{
	snprintf(p->title, sizeof p->title, "%s", title);
	p->sel = 0;
	p->sel_id = 0;
	p->from = u->view;
	snprintf(u->filter[p->view], sizeof u->filter[p->view], "%s",
	    search != NULL ? search : "");
	ui_set_view(u, p->view);	/* leaves the picker before, if any */
	cur = p;
	p->waiting = waiting;
}

/* What the picker on screen lists now; the selection stays on the item
 * chosen when the lines move (ui_list_keep). */
static size_t
pick_items(struct ui *u, const void **list)
{
	int64_t ids[PICK_MAX];
	size_t n = cur->items(u, list, PICK_MAX);

	if (n == 0)		/* nothing shown (yet): the choice stays */
		return 0;
	for (size_t i = 0; i < n; i++)
		ids[i] = cur->id(list[i]);
	ui_list_keep(&cur->sel, &cur->sel_id, ids, n);
	return n;
}

void
pick_start_on(int64_t id)
{
	if (cur != NULL) {
		cur->sel = 0;
		cur->sel_id = id;
	}
}

/* Selects line idx of the lines shown now. */
static void
pick_set(struct ui *u, size_t idx)
{
	const void *list[PICK_MAX];

	cur->sel = idx;
	cur->sel_id = 0;		/* the line, then its item */
	(void)pick_items(u, list);
}

void
pick_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	const void *list[PICK_MAX];
	char buf[512];
	size_t n, first, shown;

	if (cur == NULL)
		return;
	ui_put(w, 0, 0, cols, ui_attr(u, UI_A_TITLE), cur->title);
	if (u->orgs == NULL) {
		ui_put(w, 2, 2, cols - 4, 0, _(cur->loading));
		return;
	}
	n = pick_items(u, list);
	if (n == 0) {
		ui_put(w, 2, 2, cols - 4, 0, u->filter[cur->view][0] ?
		    _(cur->none_match) : _(cur->none));
		return;
	}
	cur->header(u, buf, sizeof buf);
	ui_put(w, 1, 0, cols, ui_attr(u, UI_A_TITLE), buf);
	/* the list starts one row lower than ui_list_scroll() assumes */
	first = ui_list_scroll(u, &cur->sel, n, rows - 1, &shown);
	u->click_y0 = 2;
	for (size_t i = first; i < first + shown; i++) {
		int y = (int)(i - first) + 2;
		attr_t a = 0;

		if (i == cur->sel) {
			a = ui_attr(u, UI_A_SELECTED);
			mvwchgat(w, y, 0, cols, a, 0, NULL);
		}
		cur->line(u, list[i], buf, sizeof buf);
		ui_put(w, y, 0, cols, a, buf);
	}
	if (first + shown < n)
		ui_more(u, w, 2 + (int)shown, 0, cols, n - first - shown);
}

size_t
pick_lines(struct ui *u)
{
	const void *list[PICK_MAX];

	return cur != NULL ? pick_items(u, list) : 0;
}

void
pick_step(struct ui *u, int dir)
{
	size_t sel;

	if (cur == NULL)
		return;
	sel = cur->sel;
	ui_list_step(&sel, pick_lines(u), dir);
	pick_set(u, sel);
}

void
pick_select(struct ui *u, size_t idx)
{
	if (cur != NULL)
		pick_set(u, idx);
}

/* A new search: its best match, the first line that starts with what was
 * typed, else the first with a word that does ("pol": Politie, not De
 * Wering, forensische polikliniek, listed before it), else the first. */
void
pick_search_reset(struct ui *u)
{
	const void *list[PICK_MAX];
	const char *needle;
	char buf[512];
	size_t n, best = 0;
	int best_rank = 3;

	if (cur == NULL)
		return;
	needle = u->filter[cur->view];
	cur->sel_id = 0;
	n = cur->items(u, list, PICK_MAX);
	for (size_t i = 0; i < n && best_rank > 0; i++) {
		int r;

		cur->line(u, list[i], buf, sizeof buf);
		r = layout_match_rank(buf, needle);
		if (r >= 0 && r < best_rank) {
			best_rank = r;
			best = i;
		}
	}
	pick_set(u, best);
}

void
pick_enter(struct ui *u)
{
	const void *list[PICK_MAX];
	struct picker *p = cur;
	size_t n;

	if (p == NULL)
		return;
	n = pick_items(u, list);
	if (p->sel >= n) {
		ui_message(u, 1, "%s", _(p->no_choice));
		return;
	}
	p->waiting = 0;
	ui_set_view(u, p->from);
	p->chosen(u, list[p->sel]);
}

void
pick_leave(struct ui *u)
{
	if (cur == NULL || !cur->waiting)
		return;
	cur->waiting = 0;
	cur->chosen(u, NULL);
}
