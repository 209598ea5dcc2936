/* The help view, generated from the key table so that it always matches the code. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"

void
view_help_draw(struct ui *u, WINDOW *w, int rows, int cols)
{
	int y = 0, n = 0;

	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++) {
		int dup = 0;

		/* one line per name and function (Enter has three key codes) */
		for (const struct ui_key *p = ui_keys; p < k; p++)
			dup |= p->fn == k->fn && strcmp(p->name, k->name) == 0 &&
			    p->views == k->views;
		if (dup || (k->chair && !u->is_chair))
			continue;
		if (n++ < u->help_scroll)
			continue;
		if (y >= rows)
			break;
		ui_putf(w, y++, 1, cols - 2, 0, "%-10s %s", k->name, _(k->help));
	}
}
