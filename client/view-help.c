/* The help view, generated from the key table so that it always matches the code. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui-keys.h"
#include "views.h"

static struct {
	struct ui_scroll sc;		/* its scrolling */
	int beamer;			/* the shared screen's view, or -1 */
} st;

struct help_out {
	WINDOW *w;
	int y, n, skip, rows, cols;
	attr_t title;
};

static void
out_line(struct help_out *h, attr_t a, const char *text)
{
	/* the last row is kept for "+N more" */
	if (h->n++ < h->skip || h->y >= h->rows - 1)
		return;
	ui_put(h->w, h->y++, 0, h->cols, a, text);
}

/* Whether key k is listed in this section for this user. */
static int
in_section(const struct ui *u, const struct ui_key *k, int everywhere,
    unsigned bit)
{
	/* every key of that view this user can use, chair keys included
	 * (not whether it works here, in the help view) */
	if (!ui_key_for_user(u, k))
		return 0;		/* another role's key */
	if (k->help == NULL)
		return 0;		/* told by another row's text (q) */
	if (st.beamer >= 0 && !ui_key_on_beamer(k->key, st.beamer))
		return 0;		/* refused on the shared screen */
	return everywhere ? k->views == VIEWS_ALL :
	    k->views != VIEWS_ALL && (k->views & bit) != 0;
}

/* One line per function: names of keys doing the same thing are joined
 * ("↑ k"), and padded by display width so that the texts line up; a text
 * wider than the screen goes on over the next lines, under itself. */
static void
out_keys(struct ui *u, struct help_out *h, int everywhere, unsigned bit)
{
	char names[64], padded[96], line[512];

	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++) {
		const char *text;
		size_t len, next;
		int dup = 0, first = 1;

		if (!in_section(u, k, everywhere, bit))
			continue;
		for (const struct ui_key *p = ui_keys; p < k; p++)
			dup |= p->fn == k->fn && in_section(u, p, everywhere,
			    bit) && strcmp(p->help, k->help) == 0;
		if (dup)
			continue;
		snprintf(names, sizeof names, "%s", _(k->name));
		for (const struct ui_key *p = k + 1; p->fn != NULL; p++)
			if (p->fn == k->fn && in_section(u, p, everywhere, bit) &&
			    strcmp(p->help, k->help) == 0 &&
			    strstr(names, _(p->name)) == NULL &&
			    strlen(names) + strlen(_(p->name)) + 2 < sizeof names)
				snprintf(names + strlen(names),
				    sizeof names - strlen(names), " %s",
				    _(p->name));
		layout_fit(padded, sizeof padded, names, 14);
		text = _(k->help);
		do {
			len = h->cols > 27 ? layout_wrap(text, h->cols - 18,
			    &next) : (next = strlen(text));
			snprintf(line, sizeof line, "  %s %.*s", first ? padded :
			    "              ", (int)len, text);
			out_line(h, 0, line);
			text += next;
			first = 0;
		} while (*text != '\0' && next > 0);
	}
}

/* The sections: keys that work everywhere, then those of the view the
 * user came from, then the other views' keys (reached by scrolling), each
 * view with a help_title in the order of the view table. */
static int
draw_lines(struct ui *u, WINDOW *w, int rows, int cols)
{
	struct help_out h = { w, 0, 0, (int)st.sc.scroll, rows, cols,
	    ui_attr(u, UI_A_TITLE) };

	/* on the shared screen: only its keys, of the view it came from */
	st.beamer = u->presentation && (u->back == VIEW_MEETING ||
	    u->back == VIEW_MEETINGS) ? (int)u->back : -1;
	out_line(&h, h.title, _("Everywhere"));
	out_keys(u, &h, 1, 0);
	for (int k = 0; k < VIEW__COUNT; k++) {
		int v = ((int)u->back + k) % VIEW__COUNT;
		const struct ui_view_ops *ops = u->views[v];

		if (ops->help_title == NULL || (ops->chair_only && !u->is_chair) ||
		    (u->reports_only && v != VIEW_REPORTS) ||
		    (st.beamer >= 0 && v != st.beamer))
			continue;
		out_line(&h, h.title, _(ops->help_title));
		out_keys(u, &h, 0, VIEW_BIT(v));
	}
	if (h.n - h.skip > rows - 1)
		ui_putf(w, rows - 1, 0, cols, ui_attr(u, UI_A_DIM),
		    _("  +%d more (j, ↓)"), h.n - h.skip - (rows - 1));
	return h.n;
}

/* Scrolled as the pagers are: never past the end, the last row kept for
 * "+N more". */
static void
draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	ui_scroll_draw(&st.sc, u, w, rows, cols, draw_lines);
}

static void
step(struct ui *u, int dir)
{
	ui_scroll_move(&st.sc, dir);
}

void
view_help_open(struct ui *u)
{
	st.sc.scroll = 0;
	ui_set_view(u, VIEW_HELP);
}

const struct ui_view_ops view_help_ops = {
	.title = N_("Keys"),
	.draw = draw,
	.step = step,
	.transient = 1,
	.parent = VIEW__COUNT,
};
