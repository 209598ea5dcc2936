/* The terminal UI's shared state: views, key actions, prompts; drawn in one place (ui.c). */
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
#include "tafel.pb-c.h"

struct ui;

enum ui_view_id {
	VIEW_MEETINGS,		/* meetings of my organisation's series */
	VIEW_MEETING,		/* one meeting: agenda + the selected case */
	VIEW_ACTIONS,		/* my organisation's open action points */
	VIEW_CASE,		/* one case in depth: persons, actions, history */
	VIEW_HELP,		/* the key table */
	VIEW_PICK_CASE,		/* chair: pick a case to add to the agenda */
	VIEW__COUNT
};

#define VIEW_BIT(v) (1u << (v))
#define VIEWS_ALL 0u

/* One view: adding a view means adding one row to ui.c: view_table[]. */
struct ui_view {
	const char *title;		/* N_() string */
	void (*draw)(struct ui *, WINDOW *, int rows, int cols);
};

/* A single-line editor at the bottom; `done` gets the text (NULL: cancelled). */
struct ui_prompt {
	int active;
	char label[160];
	wchar_t buf[1024];
	size_t len, cur;
	void (*done)(struct ui *, const char *text);
};

/* The action point form's fields (ui->form_field), in the order asked. */
enum ui_form_field {
	FORM_DESCRIPTION,
	FORM_OWNER,		/* owner organisation */
	FORM_PERSON,		/* owner person: editing only */
	FORM_DUE,
	FORM_SENDING		/* sent: shown until the answer */
};

/* The action point form (new, or editing one), kept while the server may
 * still refuse it. */
struct ui_action_form {
	int64_t case_id, meeting_id;
	int64_t action_id;		/* editing this action point, 0: new */
	int64_t version;		/* its version (or from a CONFLICT) */
	enum ui_view_id view;		/* drawn over this view */
	char case_number[32];
	char description[1024];
	int description_hidden;		/* editing one whose text we may not see */
	int64_t owner_org_id;
	int64_t owner_user_id;
	char owner_user_name[200];
	char due_date[32];
};

struct ui {
	struct event_base *base;
	struct net *net;
	struct client_opts *o;
	WINDOW *top, *body, *status, *foot;
	int rows, cols;
	int dirty;			/* something changed: redraw once */
	struct event *redraw_ev;	/* activated by ui_dirty() */
	int quit;
	int colors;			/* colour pairs available and wanted */

	enum ui_view_id view, back;	/* current, and where Esc goes */
	int is_chair;			/* the user has ROLE_CHAIR */
	int64_t my_org_id, my_user_id;

	struct model meeting;		/* the subscribed meeting */
	int meeting_subscribed;		/* a snapshot/resume arrived */
	struct model org;		/* my organisation's action points */
	int org_subscribed;

	Tafel__MeetingList *meetings;	/* list_meetings answer, owned */
	size_t sel_meeting;
	Tafel__CaseDetail *case_detail;	/* get_case answer, owned */
	Tafel__OrganisationList *orgs;	/* list_organisations answer, owned */
	size_t sel_action;		/* in the actions view */
	int help_scroll;

	char message[300];		/* shown in the status line */
	int message_error;
	struct ui_prompt prompt;
	struct ui_action_form form;
	int64_t form_action_id;		/* completing this action point */
	int64_t form_action_version;
	int form_user_present;		/* attendance form */
	int64_t form_user_id;
	int form_active;		/* the action point form is on screen */
	int form_field;			/* enum ui_form_field */
	int form_cancel;		/* finishing prompt: 1 cancel, 0 complete */
	int64_t sel_case_action_id;	/* meeting view: chosen action point */
	Tafel__CaseList *cases;		/* list_cases answer for the picker, owned */
	int cases_loading;		/* a list_cases request is out */
	size_t sel_pick;		/* in the case picker */
	int64_t pick_sending;		/* case being added, 0 none */
	int64_t form_item_id;		/* decision: the item, fixed at "d" */
	int64_t form_item_version;	/* its version then (or from a CONFLICT) */
	char form_text[1024];		/* decision/feedback typed, kept on errors */

	char filter[VIEW__COUNT][128];	/* "/" filter per list view, "" none */
	int hide_past;			/* meetings view: past meetings hidden */
	int presentation;		/* beamer layout of the meeting view */
	struct ui_prompt saved_prompt;	/* while asking "discard typed text?" */

	/* Where the last drawn list sits, for mouse clicks (body rows). */
	int click_y0;			/* body row of the list's first line */
	size_t click_first;		/* list index drawn on that row */
	size_t click_n;			/* list length */
	struct event *flash_ev;		/* fires when the next flash mark ends */
};

/* ui.c */
void ui_dirty(struct ui *);
void ui_message(struct ui *, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_show_error(struct ui *, const Tafel__Error *);
void ui_prompt(struct ui *, const char *label, const char *initial,
    void (*done)(struct ui *, const char *));
void ui_set_view(struct ui *, enum ui_view_id);
/* Switches the shared-screen (beamer) view on or off; resubscribes. */
void ui_set_presentation(struct ui *u, int on);
void ui_open_meeting(struct ui *, int64_t meeting_id);
void ui_open_case(struct ui *, int64_t case_id);
void ui_refresh_lists(struct ui *);
/* The meetings list as shown (ordered, filtered); returns the count. */
size_t ui_meetings_shown(struct ui *, const Tafel__Meeting **out, size_t max);
/* A list view's n lines below its header row: clamps *sel to the list and
 * returns the first index to draw so that *sel is visible (rows: the body's
 * height); remembers the placement for mouse clicks. */
size_t ui_list_scroll(struct ui *, size_t *sel, size_t n, int rows);
/* Moves a list selection one line up (dir < 0) or down within n lines. */
void ui_list_step(size_t *sel, size_t n, int dir);
/* A y/j answer to a (y/n) prompt. */
int ui_yes(const char *text);
/* An organisation from the meeting's snapshot, else from the list, or NULL. */
const Tafel__Organisation *ui_org(struct ui *, int64_t id);
/* Text of the record a CONFLICT error carries, "" if none. */
void ui_conflict_text(struct ui *, const Tafel__Error *, char *buf, size_t len);
/* Translated theme name ("domestic_violence" → "huiselijk geweld"). */
const char *ui_theme(const char *theme);
/* Sends a request (the message of Envelope field body_case); a write made
 * while disconnected says it waits.  fn NULL: ui_reply_generic. */
uint64_t ui_send(struct ui *, Tafel__Envelope__BodyCase body_case, void *req,
    int flags, net_reply_fn fn);
void ui_reply_generic(struct net *, const Tafel__Envelope *, void *arg);
double ui_now(void);
/* Writes text (UTF-8) at y,x clipped to width columns, with attributes. */
void ui_put(WINDOW *w, int y, int x, int width, attr_t attr, const char *text);
void ui_putf(WINDOW *w, int y, int x, int width, attr_t attr,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
attr_t ui_attr(struct ui *, int kind);
enum { UI_A_TITLE, UI_A_SELECTED, UI_A_CURRENT, UI_A_FLASH, UI_A_OVERDUE,
	UI_A_STATUS, UI_A_ERROR, UI_A_DIM };
const char *ui_enum(const ProtobufCEnumDescriptor *d, int value);
void ui_date(int64_t unix_s, char *buf, size_t len);

/* ui-keys.c */
struct ui_key {
	int key;			/* curses key code or character */
	const char *name;		/* shown in help and footer */
	unsigned views;			/* VIEW_BIT()s, VIEWS_ALL = everywhere */
	int chair;			/* only with the chair role */
	const char *label;		/* N_() footer label, NULL: not in the footer */
	void (*fn)(struct ui *);
	const char *help;		/* N_() text */
};
extern const struct ui_key ui_keys[];
void ui_key(struct ui *, int key);
/* The footer line for the current view (main keys). */
void ui_footer(struct ui *, char *buf, size_t len);
/* Whether a key of the table works for this user (chair role). */
int ui_key_applies(const struct ui *, const struct ui_key *);

/* ui-errors.c */
const char *ui_error_text(Tafel__ErrorCode code);
/* Dutch/English explanation of a Case.redaction_reason code. */
const char *ui_redaction_text(const char *reason);
/* Why the shared screen hides part of a case (Case.beamer_reason). */
const char *ui_beamer_reason_text(const char *reason);

/* views */
void view_meetings_draw(struct ui *, WINDOW *, int rows, int cols);
void view_meeting_draw(struct ui *, WINDOW *, int rows, int cols);
void view_actions_draw(struct ui *, WINDOW *, int rows, int cols);
void view_case_draw(struct ui *, WINDOW *, int rows, int cols);
void view_help_draw(struct ui *, WINDOW *, int rows, int cols);
void view_presentation_draw(struct ui *, WINDOW *, int rows, int cols);
/* open action points of my organisation, overdue first */
size_t view_actions_list(struct ui *, const Tafel__ActionPoint **out,
    size_t max);
/* The meeting view's chosen action point of the selected case (the first
 * one unless another was chosen), NULL if the case has none. */
const Tafel__ActionPoint *view_meeting_action(struct ui *);
/* Steps the meeting view's action point choice by dir. */
void view_meeting_action_step(struct ui *, int dir);
/* The case picker: cases not on the agenda first, filtered. */
void view_pick_case_draw(struct ui *, WINDOW *, int rows, int cols);
size_t view_pick_case_list(struct ui *, const Tafel__Case **out, size_t max);
/* Whether the case is on the open meeting's agenda. */
int view_case_on_agenda(struct ui *, int64_t case_id);

#endif
