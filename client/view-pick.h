/* The pickers' shared part (view-pick.c): a list of what matches the search, drawn under a title, chosen with Enter or left without a choice. */
#ifndef TAFEL_CLIENT_VIEW_PICK_H
#define TAFEL_CLIENT_VIEW_PICK_H

#include "ui.h"

#define PICK_MAX 1024		/* lines a picker lists */

/* One picker: what it lists and how (set once), and its state. */
struct picker {
	enum ui_view_id view;		/* its view (and its search) */
	const char *loading;		/* N_(): the register is loading */
	const char *none;		/* N_(): nothing to choose from */
	const char *none_match;		/* N_(): nothing matches the search */
	const char *no_choice;		/* N_(): Enter with no line */
	/* What matches the search, in the order shown; returns the count. */
	size_t (*items)(struct ui *, const void **out, size_t max);
	/* The column titles. */
	void (*header)(struct ui *, char *buf, size_t len);
	/* One item's line. */
	void (*line)(struct ui *, const void *item, char *buf, size_t len);
	/* The choice (NULL: left without one), once per opening. */
	void (*chosen)(struct ui *, const void *item);
	/* An item's id: the selection follows it when the lines move. */
	int64_t (*id)(const void *item);

	size_t sel;			/* the selected line */
	int64_t sel_id;			/* its item's id, 0: none yet */
	char title[200];		/* what the choice is for */
	enum ui_view_id from;		/* back here after choosing */
	int waiting;			/* chosen() still to be called */
};

/* Opens picker p with a title and a starting search (NULL: none);
 * waiting: whether chosen() is to learn of the choice. */
void pick_open(struct ui *, struct picker *p, const char *title,
    const char *search, int waiting);

/* The picker opened last starts on the item id (when listed), e.g. the
 * current choice. */
void pick_start_on(int64_t id);

/* The organisation picker opened last marks "✓ chosen" those for which
 * fn(id) is 1, e.g. those an info round has chosen already (view-pick-org.c). */
void view_pick_org_marks(int (*fn)(int64_t id));

/* The view operations of the picker on screen (the one opened last). */
void pick_draw(struct ui *, WINDOW *w, int rows, int cols);
size_t pick_lines(struct ui *);
void pick_step(struct ui *, int dir);
void pick_select(struct ui *, size_t idx);
void pick_search_reset(struct ui *);
/* Enter: back where the picker was opened, with the selected item. */
void pick_enter(struct ui *);
/* Left without a choice (q, Esc, another view): chosen(NULL). */
void pick_leave(struct ui *);

/* The rest of a picker's struct ui_view_ops (after its titles). */
#define PICK_VIEW_OPS \
	.searchable = 1, .transient = 1, .parent = VIEW__COUNT, \
	.draw = pick_draw, .lines = pick_lines, .step = pick_step, \
	.select = pick_select, .enter = pick_enter, .leave = pick_leave, \
	.search_reset = pick_search_reset

#endif
