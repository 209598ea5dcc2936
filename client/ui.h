/* The terminal UI's core: the state every view shares, the view operations, and the helpers views draw and talk with. */
#ifndef TAFEL_CLIENT_UI_H
#define TAFEL_CLIENT_UI_H

#include <stddef.h>
#include <stdint.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <wchar.h>

#include "client.h"
#include "layout.h"
#include "model.h"
#include "net.h"
#include "proto.h"
#include "tafel.pb-c.h"

struct ui;

enum ui_view_id {
	VIEW_MEETINGS,		/* meetings of my organisation's series */
	VIEW_MEETING,		/* one meeting: agenda + the selected case */
	VIEW_ACTIONS,		/* my organisation's open action points */
	VIEW_CASE,		/* one case in depth: persons, actions, history */
	VIEW_HELP,		/* the key table */
	VIEW_PICK_CASE,		/* chair: pick a case to add to the agenda */
	VIEW_PICK_PERSON,	/* pick a person (attendance, owner) */
	VIEW_CASES,		/* the case list: new signals live */
	VIEW_NOMINATIONS,	/* pending nominations of cases */
	VIEW_PICK_ORG,		/* pick an organisation (regie) */
	VIEW_INBOX,		/* feedback on my organisation's cases */
	VIEW_MINUTES,		/* a closed meeting's minutes (pager) */
	VIEW_PROPOSALS,		/* chair: a planned meeting's proposals */
	VIEW_REPORTS,		/* totals per organisation and area */
	VIEW_INFOROUNDS,	/* open info rounds: asked in or run */
	VIEW_CALENDAR,		/* my organisation's meetings across series */
	VIEW__COUNT
};

#define VIEW_BIT(v) (1u << (v))
#define VIEWS_ALL 0u

/*
 * One view, in the manner of tig's view operations: each view-*.c file
 * defines one of these and keeps its own state; the view table in
 * ui-loop.c holds them and the core calls them without knowing which view
 * is showing.  Every callback but draw may be NULL (nothing to do).
 */
struct ui_view_ops {
	const char *title;		/* N_() title in the top line */
	const char *help_title;		/* N_() help section, NULL: none */
	int chair_only;			/* only a chair gets there */
	int searchable;			/* "/" filters its lines */
	int transient;			/* not a place Esc returns to */
	/* Draws the body (rows x cols); list views record where their lines
	 * are for mouse clicks through ui_list_scroll(). */
	void (*draw)(struct ui *, WINDOW *, int rows, int cols);
	/* The number of lines a click can select. */
	size_t (*lines)(struct ui *);
	/* Moves the selection (or the scroll position) by dir lines. */
	void (*step)(struct ui *, int dir);
	/* The lines PgDn and PgUp move; NULL: the body's rows but two. */
	int (*page)(struct ui *);
	/* A click on line idx of the list. */
	void (*select)(struct ui *, size_t idx);
	/* Enter (and a double click): opens what is selected. */
	void (*enter)(struct ui *);
	/* q in this view; returns 1 when the view handled it itself. */
	int (*quit)(struct ui *);
	/* The search text changed: back to the first line. */
	void (*search_reset)(struct ui *);
	/* Fetches again what the view shows (r, and after a reconnect). */
	void (*reload)(struct ui *);
	/* A pushed event arrived (after the models took it). */
	void (*event)(struct ui *, const Tafel__Event *);
	/* The action point e, x and C work on, NULL: none. */
	const Tafel__ActionPoint *(*action)(struct ui *);
	/* What the title adds (the view's own choice of lines, e.g. the
	 * inbox's "received"), or "". */
	void (*subtitle)(struct ui *, char *buf, size_t len);
	/* Extra status line text (after the connection state), or "". */
	void (*status)(struct ui *, char *buf, size_t len);
	/* A footer of its own: returns 1 when it wrote buf. */
	int (*footer)(struct ui *, char *buf, size_t len);
	/* The view is being left (for any other view). */
	void (*leave)(struct ui *);
	/* Frees what the view owns (at exit). */
	void (*free)(struct ui *);
	enum ui_view_id parent;		/* q and Esc go here; VIEW__COUNT: back */
};

/* A single-line editor at the bottom; `done` gets the text (NULL: cancelled). */
struct ui_prompt {
	int active;
	char label[160];
	wchar_t buf[TAFEL_MAX_TEXT + 1];	/* at most TAFEL_MAX_TEXT bytes
					 * of UTF-8: the longest text the
					 * server takes (prompt_insert) */
	size_t len, cur;
	size_t bytes;			/* buf[0..len) as UTF-8 */
	size_t scroll;			/* first character shown */
	int edited;			/* a key changed the text offered */
	int replace;			/* the text offered is a default (a
					 * date, a time, a choice): the first
					 * character typed replaces it */
	int answers;			/* Esc would drop a form's earlier answers */
	int yesno;			/* a (y/n) question: one key answers */
	void (*done)(struct ui *, const char *text);
	/* called with the text after each change to it, if set (a pick
	 * list's search narrows the list while it is typed) */
	void (*changed)(struct ui *, const char *text);
};

#define UI_TRAIL 16		/* views Esc can step back through */

struct ui {
	struct event_base *base;
	struct net *net;
	struct client_opts *o;
	const struct ui_view_ops *const *views;	/* the view table, by id */
	WINDOW *top, *body, *status, *foot;
	int rows, cols;
	int dirty;			/* something changed: redraw once */
	struct event *redraw_ev;	/* activated by ui_dirty() */
	int quit;
	int colors;			/* colour pairs available and wanted */

	enum ui_view_id view, back;	/* current, and where Esc goes */
	/* the views the user came through, oldest first (not the transient
	 * ones); back is the newest, or the meetings */
	enum ui_view_id trail[UI_TRAIL];
	int n_trail;
	/* a transient view (a picker) the help was opened over: it is not
	 * left, Esc and q in the help return to it; VIEW__COUNT: none */
	enum ui_view_id aside;
	int is_chair;			/* the user has ROLE_CHAIR */
	int is_admin;			/* the user has ROLE_ADMIN */
	int is_steering;		/* the user has ROLE_STEERING */
	int reports_only;		/* steering is the user's only role: the
					 * server refuses every row of the
					 * register, the reports are all */
	int observer_only;		/* no role but observer: reads, never
					 * writes (the server refuses) */
	unsigned rights;		/* the last login's roles (1 << role)
					 * and whether it was made yet */
	int64_t my_org_id, my_user_id;

	struct model meeting;		/* the subscribed meeting */
	int meeting_subscribed;		/* a snapshot/resume arrived */
	double meeting_resub_at;	/* its subscribe was refused for a
					 * moment: asked again then (0: no) */
	int meeting_resub_tries;	/* so asked again, for the backoff */
	uint64_t meeting_sub_from;	/* the resume_from it was asked with */
	int presentation;		/* the meeting as on the shared screen */
	struct model org;		/* my organisation's action points */
	int org_subscribed;
	unsigned inbox_unread;		/* unread feedback for my organisation */
	Tafel__OrganisationList *orgs;	/* list_organisations answer, owned */

	char message[1024];		/* shown in the status line (or above) */
	int message_error;		/* 1: stays until the next key */
	int message_kept;		/* news that stays until the next key too:
					 * the answer to a change that waited for
					 * the connection */
	double message_until;		/* news (not an error) goes then */
	struct event *message_ev;	/* fires at message_until */
	struct ui_prompt prompt;
	struct ui_prompt saved_prompt;	/* while asking "discard typed text?" */
	char filter[VIEW__COUNT][128];	/* "/" filter per list view, "" none */

	/* Where the last drawn list sits, for mouse clicks (body rows). */
	int click_y0;			/* body row of the list's first line */
	size_t click_first;		/* list index drawn on that row */
	size_t click_n;			/* list length */
	int body_overflows;		/* the pager just drawn has more rows
					 * than its window (the footer offers
					 * Space then) */
	struct event *flash_ev;		/* fires when the next flash mark ends */
};

/* The ops of the view on screen. */
#define UI_VIEW(u) ((u)->views[(u)->view])

/* ui.c: state */
double ui_now(void);
void ui_dirty(struct ui *);
/* Connected, and a change sent has waited 2 s or more for its answer (the
 * connection may be dead without the client knowing yet). */
int ui_write_unconfirmed(struct ui *);
/* The status line's message; error 0 (news) goes after this many seconds
 * (the e2e tests poll for messages within a few), an error stays until
 * the next key. */
#define UI_MESSAGE_SECONDS 10
void ui_message(struct ui *, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_show_error(struct ui *, const Tafel__Error *);
/* Text of the record a CONFLICT error carries, "" if none. */
void ui_conflict_text(struct ui *, const Tafel__Error *, char *buf, size_t len);
void ui_set_view(struct ui *, enum ui_view_id);
/* A yes to a (y/n) prompt: y, and in Dutch j (ja) too; never j in
 * English, where j is the key for the next line. */
int ui_yes(const char *text);
/* The same for one key. */
int ui_yes_key(wint_t ch);
/* The meeting is closed or cancelled (0 for NULL). */
int ui_meeting_over(const Tafel__Meeting *);
/* An organisation from the meeting's snapshot, else from the list, or NULL. */
const Tafel__Organisation *ui_org(struct ui *, int64_t id);
/* A user of the organisation list by id, NULL if not known. */
const Tafel__User *ui_user(struct ui *, int64_t id);

/* ui-draw.c: drawing helpers */
/* Writes text (UTF-8) at y,x clipped to width columns, with attributes. */
void ui_put(WINDOW *w, int y, int x, int width, attr_t attr, const char *text);
void ui_putf(WINDOW *w, int y, int x, int width, attr_t attr,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Text centred on row y. */
void ui_put_centred(WINDOW *w, int y, int cols, attr_t attr, const char *text);
attr_t ui_attr(struct ui *, int kind);
enum { UI_A_TITLE, UI_A_SELECTED, UI_A_CURRENT, UI_A_FLASH, UI_A_OVERDUE,
	UI_A_STATUS, UI_A_ERROR, UI_A_DIM };
/* Sets up the colour pairs when the terminal and the settings allow. */
void ui_colors_init(struct ui *);
/* A box with a title over part of the body (forms). */
void ui_box(struct ui *, WINDOW *w, int y, int x, int h, int width);
const char *ui_enum(const ProtobufCEnumDescriptor *d, int value);
void ui_date(int64_t unix_s, char *buf, size_t len);
/* Translated theme name ("domestic_violence" → "huiselijk geweld"). */
const char *ui_theme(const char *theme);
/* The same, short enough for a table's 17-column theme cell. */
const char *ui_theme_cell(const char *theme);
/* other, or the look of a line that changed a moment ago (changed: its
 * model record's time). */
attr_t ui_flash(struct ui *u, double changed, attr_t other);
/* A list view's n lines below its header row: clamps *sel to the list and
 * returns the first index to draw so that *sel is visible (rows: the body's
 * height), *shown lines from there; when not all fit, the last row is left
 * for "+N more" (ui_more).  Remembers the placement for mouse clicks. */
size_t ui_list_scroll(struct ui *, size_t *sel, size_t n, int rows,
    size_t *shown);
/* "+3 more" at y: what did not fit is never dropped silently. */
void ui_more(struct ui *, WINDOW *w, int y, int x, int width, size_t n);
/* The meeting's standing item "openstaande afspraken" (model_standing_
 * actions) from row y to rows - 1 at x: a title and one line per action
 * point (case number, due date, text, owner; overdue marked, changes
 * flashing), "+N more" for what does not fit.  Returns the rows used: 0
 * when there are none. */
int ui_standing_draw(struct ui *, WINDOW *w, int y, int x, int rows,
    int width);
/* Of n lines with sel among them, the first to show in room rows so that
 * sel is on screen; more_above and more_below: how many are left out (one
 * row each goes to a "+N more" line when needed). */
size_t ui_window(size_t n, size_t sel, int room, size_t *more_above,
    size_t *more_below);
/* Moves a list selection |dir| lines up (dir < 0) or down, stopping at
 * the first and the last of n lines. */
void ui_list_step(size_t *sel, size_t n, int dir);
/*
 * Keeps a list's selection on its record as the lines move (a record
 * added above, a search cleared): *sel goes to the line whose id is
 * *sel_id when there is one, else stays within the n lines, and *sel_id
 * becomes the id of that line (ids: the lines' record ids; *sel_id 0: the
 * line *sel is kept).
 */
void ui_list_keep(size_t *sel, int64_t *sel_id, const int64_t *ids, size_t n);

/* ui-pager.c: the pager */
/* Text wrapped at word boundaries (as in the pager) at y,x in width
 * columns, at most max_rows rows, the last of them ending in "…" when the
 * text goes on; returns the rows drawn. */
int ui_wrap_put(WINDOW *w, int y, int x, int width, int max_rows, attr_t a,
    const char *text);
/* A pager over n lines, each wrapped at word boundaries to the window's
 * width (layout_wrap; continuation rows indented two columns past the
 * line's own indent): *scroll is the first screen row shown, clamped here;
 * "+N more" above and below counts rows.  Returns all rows, for stepping. */
size_t ui_pager(struct ui *, WINDOW *w, int rows, int cols,
    char *const *lines, const attr_t *attrs, size_t n, size_t *scroll);
#define UI_PAGER_MAX 2000	/* lines a pager view keeps; more are dropped */
/* A pager view's state: a view renders its text into lines (ui_pv_add)
 * and hands draw and j/k to ui_pv_draw and ui_pv_step. */
struct ui_pagerview {
	char *lines[UI_PAGER_MAX];	/* the rendering, owned */
	attr_t attrs[UI_PAGER_MAX];	/* one per line */
	size_t n;			/* lines */
	size_t scroll;			/* the first screen row shown */
	size_t rows;			/* screen rows of the lines, wrapped */
	int loading;			/* 1: asked, no answer yet */
	char error[160];		/* why there are none, "" */
};
/* Frees the lines; back to the top. */
void ui_pv_clear(struct ui_pagerview *);
/* Adds a line (formatted) with its attributes. */
void ui_pv_add(struct ui_pagerview *, attr_t a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The lines as a pager; while loading or empty, the error or loading. */
void ui_pv_draw(struct ui *, struct ui_pagerview *, WINDOW *w, int rows,
    int cols, const char *loading);
/* j/k, Space/b: dir screen rows down or up (rows: those of the last
 * drawing), stopping with the last line at the bottom. */
void ui_pv_step(struct ui_pagerview *, int dir);
/* The scrolling of the pagers, for views that draw their own lines (help,
 * case): scroll moved dir rows (a row, a page, or as far as it goes) and
 * never past last; last for total rows of which shown fit below the first
 * (0 when they all fit). */
void ui_scroll_step(size_t *scroll, size_t last, int dir);
size_t ui_scroll_last(size_t total, int shown);
/* Such a view's scrolling. */
struct ui_scroll {
	size_t scroll;			/* first line shown */
	size_t lines;			/* lines of the last drawing */
	int rows;			/* its window's rows */
};
/*
 * Draws such a view with draw_lines (which draws from s->scroll on, keeps
 * the last row for "+N more" and returns how many lines there are), never
 * scrolled past its end: when the text shrank below the scroll, or the
 * window grew, once more from the last place.
 */
void ui_scroll_draw(struct ui_scroll *s, struct ui *u, WINDOW *w, int rows,
    int cols, int (*draw_lines)(struct ui *, WINDOW *, int, int));
/* j/k and the page keys for such a view: dir rows (ui_scroll_step). */
void ui_scroll_move(struct ui_scroll *s, int dir);

/* ui-list.c: a list with a detail pane */
/* One line of the detail pane: wrapped to the window's width. */
struct ui_detail_line {
	char text[1200];
	attr_t attr;
};
/* A column title of a list: N_() text and its width (0: as it is). */
struct ui_column {
	const char *title;
	int width;
};
/* The header row: lead, then the titles (translated, fitted to their
 * widths) two spaces apart. */
void ui_list_header(char *buf, size_t len, const char *lead,
    const struct ui_column *c, size_t n);
/* A column's width on a screen of cols columns: base at 80 columns, one
 * more per column beyond, up to base + most. */
int ui_list_widen(int cols, int base, int most);
/* What ui_list_detail draws: a list view's lines and the selected one. */
struct ui_listing {
	const char *loading;	/* non-NULL: only this (not loaded yet) */
	const char *empty;	/* what an empty list says */
	const char *header;	/* the column titles, on the first row */
	size_t n;		/* lines in the list */
	size_t *sel;		/* the selected line, clamped to the list */
	/* Line i: its text, and *a its attributes when not selected. */
	void (*line)(struct ui *, size_t i, char *buf, size_t len, attr_t *a);
	/* The selected line in full (out, at most max lines); returns the
	 * count.  NULL: no pane, the list takes the body. */
	size_t (*detail)(struct ui *, size_t sel, struct ui_detail_line *out,
	    size_t max);
};
/* The body of a list view: the header, the lines (the selected one
 * highlighted; ui_list_scroll, "+N more"), and when l->detail is set and
 * the body is high enough, the list in its upper half and under a line
 * the selected one in full. */
void ui_list_detail(struct ui *, WINDOW *w, int rows, int cols,
    const struct ui_listing *l);

/* ui-prompt.c: the input line */
void ui_prompt(struct ui *, const char *label, const char *initial,
    void (*done)(struct ui *, const char *));
/* A (y/n) question: one key answers, j or y ("j") or n ("n"), without
 * Enter; Esc cancels (done gets NULL). */
void ui_ask_yesno(struct ui *, const char *label,
    void (*done)(struct ui *, const char *));
/* A key while the prompt is active. */
void ui_prompt_key(struct ui *, int r, wint_t ch);
/* The prompt being typed (the saved one while "discard?" is asked). */
const struct ui_prompt *ui_prompt_typed(const struct ui *);
/* The prompt's text as it shows in width columns around its cursor, "…"
 * where it is cut: a form's marked field shows what is being typed. */
void ui_prompt_field(const struct ui *, char *out, size_t len, int width);
/* Draws the prompt on the status line, scrolled so the cursor shows. */
void ui_prompt_draw(struct ui *, WINDOW *w, attr_t a);

/* ui-replies.c: requests, subscriptions and the connection's callbacks */
/* Sends a request (the message of Envelope field body_case); a write made
 * while disconnected says it waits.  fn NULL: ui_reply_generic. */
uint64_t ui_send(struct ui *, Tafel__Envelope__BodyCase body_case, void *req,
    int flags, net_reply_fn fn);
void ui_reply_generic(struct net *, const Tafel__Envelope *, void *arg);
/* Switches the shared-screen (beamer) view on or off; resubscribes. */
void ui_set_presentation(struct ui *u, int on);
void ui_open_meeting(struct ui *, int64_t meeting_id);
/* The meeting's subscribe refused for a moment is due again: sent now. */
void ui_meeting_resubscribe_due(struct ui *);
/* Reloads the organisations and what every view shows. */
void ui_refresh_lists(struct ui *);
extern const struct net_callbacks ui_net_callbacks;
/* The message of a fatal connection error, "" if none. */
const char *ui_fatal_message(void);

/* ui-errors.c */
const char *ui_error_text(Tafel__ErrorCode code);
/* What an error means to the user when its field or the start of its
 * message says more than its code, or NULL (the code's text); may be a
 * static buffer. */
const char *ui_error_field_text(Tafel__ErrorCode code, const char *field,
    const char *message);
/* What a refused routing move still needs (Error.missing), in words. */
const char *ui_missing_text(const char *code);
/* Dutch/English explanation of a Case.redaction_reason code. */
const char *ui_redaction_text(const char *reason);
/* The same for case c, naming the categories hidden (a static buffer). */
const char *ui_redaction_case(const Tafel__Case *c);
/* Why the shared screen hides part of a case (Case.beamer_reason). */
const char *ui_beamer_reason_text(const char *reason);
/* Whether case c's free text (decisions, action point texts) is withheld
 * from this view: a decision may exist that the user cannot read. */
int ui_free_text_hidden(const Tafel__Case *c);
/* A decision as this user may read it: the text, "(none yet)", or why it
 * is hidden (c may be NULL); over: its meeting is over (closed or
 * cancelled), and no decision is "(no decision recorded)", as in the
 * minutes. */
void ui_decision_text(const Tafel__Case *c, const char *decision, int over,
    char *buf, size_t len);
/* The same for an agenda item of a closed meeting: "(not discussed)" for
 * one the meeting never reached, as the minutes say. */
void ui_item_decision_text(const Tafel__Case *c, const Tafel__AgendaItem *it,
    char *buf, size_t len);
/* "changed after closing by NAME on D-M-YYYY HH:MM" (Europe/Amsterdam) for
 * a decision changed after its meeting closed; "" when it was not. */
void ui_changed_after_close(bool changed, const char *by, int64_t at,
    char *buf, size_t len);
/* An action point's text, or that (and why) it is hidden from this user. */
void ui_action_text(const Tafel__Case *c, const Tafel__ActionPoint *a,
    char *buf, size_t len);
/* What stands for a text of case c withheld from this user (a goal, a
 * contribution): "(hidden, see above)" when the case's redaction line says
 * why, else "(hidden from your organisation)". */
const char *ui_hidden_text(const Tafel__Case *c);
/* The same for another organisation's contribution: where only some
 * categories are hidden, it says that contributions count as the summary. */
const char *ui_contribution_hidden_text(const Tafel__Case *c);
/* A legal clock in words (docs/protocol.md 7.9): "huisverbod dag 9 van 10",
 * with the hearing and the notice due unless brief ("huisverbod 9/10"). */
void ui_clock_text(const Tafel__CaseClock *k, int brief, char *buf,
    size_t len);

#endif
