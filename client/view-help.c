/* The help view, generated from the key table so that it always matches the code. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"

/* The sections: keys that work everywhere, then those of the view the
 * user came from (the other views' keys follow, reached by scrolling). */
static const struct {
	enum ui_view_id view;
	const char *title;		/* N_() */
} sections[] = {
	{ VIEW_MEETINGS, N_("In the meetings list") },
	{ VIEW_MEETING, N_("In a meeting") },
	{ VIEW_ACTIONS, N_("In the action points") },
	{ VIEW_CASE, N_("In a case") },
	{ VIEW_PICK_CASE, N_("In the case picker (chair)") },
};

struct help_out {
	WINDOW *w;
	int y, n, skip, rows, cols;
	attr_t title;
};

static void
out_line(struct help_out *h, attr_t a, const char *text)
{
	if (h->n++ < h->skip || h->y >= h->rows)
		return;
	ui_put(h->w, h->y++, 0, h->cols, a, text);
}

/* One line per function: names of keys doing the same thing are joined
 * ("↑ k"), and padded by display width so that the texts line up. */
static void
out_keys(struct ui *u, struct help_out *h, int everywhere, unsigned bit)
{
	char names[64], padded[96], line[512];

	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++) {
		int dup = 0;

		if (!ui_key_applies(u, k) && k->chair)
			continue;
		if (everywhere ? k->views != VIEWS_ALL : !(k->views & bit))
			continue;
		for (const struct ui_key *p = ui_keys; p < k; p++)
			dup |= p->fn == k->fn && p->views == k->views &&
			    strcmp(p->help, k->help) == 0;
		if (dup)
			continue;
		snprintf(names, sizeof names, "%s", k->name);
		for (const struct ui_key *p = k + 1; p->fn != NULL; p++)
			if (p->fn == k->fn && p->views == k->views &&
			    strcmp(p->help, k->help) == 0 &&
			    strstr(names, p->name) == NULL &&
			    strlen(names) + strlen(p->name) + 2 < sizeof names)
				snprintf(names + strlen(names),
				    sizeof names - strlen(names), " %s", p->name);
		layout_fit(padded, sizeof padded, names, 14);
		snprintf(line, sizeof line, "  %s %s", padded, _(k->help));
		out_line(h, 0, line);
	}
}

void
view_help_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	struct help_out h = { w, 0, 0, u->help_scroll, rows, cols,
	    ui_attr(u, UI_A_TITLE) };
	size_t first = 0;

	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if (sections[i].view == u->back)
			first = i;
	out_line(&h, h.title, _("Everywhere"));
	out_keys(u, &h, 1, 0);
	for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
		size_t i = (first + k) % (sizeof sections / sizeof sections[0]);

		if (sections[i].view == VIEW_PICK_CASE && !u->is_chair)
			continue;	/* only the chair gets there */
		out_line(&h, h.title, _(sections[i].title));
		out_keys(u, &h, 0, VIEW_BIT(sections[i].view));
	}
	if (u->help_scroll > h.n - 1)
		u->help_scroll = h.n > 0 ? h.n - 1 : 0;
}
