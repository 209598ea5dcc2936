/* The key table: one row per binding, driving dispatch, the footer and the help view. */
#ifndef TAFEL_CLIENT_UI_KEYS_H
#define TAFEL_CLIENT_UI_KEYS_H

#include "ui.h"

struct ui_key {
	int key;			/* curses key code or character */
	const char *name;		/* shown in help and footer */
	unsigned views;			/* VIEW_BIT()s, VIEWS_ALL = everywhere */
	int chair;			/* 1: only with the chair role, -1: only
					 * without it (the chair has its own),
					 * KEY_PLANNER ... KEY_STEERING: the
					 * roles of key_roles in ui-keys.c */
	const char *label;		/* N_() footer label, NULL: not in the footer */
	void (*fn)(struct ui *);
	const char *help;		/* N_() text, NULL: not in the help */
	/* When the key matters (shown in the footer), NULL: always. */
	int (*when)(const struct ui *);
};
extern const struct ui_key ui_keys[];

/* struct ui_key.chair of a key for those who may plan, move and cancel
 * meetings (chair or admin role), decide nominations (the same roles; the
 * server also wants the series) or read the reports (chair, admin or
 * steering group role). */
#define KEY_PLANNER 2
#define KEY_DECIDER 3
#define KEY_REPORTS 4
/* ... of the views of the register (all but the reports), which the
 * server refuses a steering-group member; and the keys for that member
 * alone. */
#define KEY_REGISTER 5
#define KEY_STEERING 6

/* Whether I may drive the meeting on screen (its chair or an
 * administrator, as the server's rule); the chair role before it loads. */
int ui_leads_meeting(const struct ui *);
/* Whether this user's roles give key k (the chair field), in any view;
 * the meeting's keys: whether I may drive this meeting. */
int ui_key_for_user(const struct ui *, const struct ui_key *k);
/* Whether key acts on the shared screen in view (VIEW_MEETING,
 * VIEW_MEETINGS or VIEW_HELP): the help lists only those there. */
int ui_key_on_beamer(int key, int view);

/* A key typed while no prompt is open. */
void ui_key(struct ui *, int key);
/* The footer line for the current view (main keys). */
void ui_footer(struct ui *, char *buf, size_t len);
/* Asks before the shared screen (the beamer layout) goes back to the
 * chair's own view, which shows names and birth dates. */
void ui_keys_leave_presentation(struct ui *);
/* Whether a key of the table works for this user (chair role) in view v. */
int ui_key_applies(const struct ui *, const struct ui_key *,
    enum ui_view_id v);

#endif
