/* The views (one view-*.c file each): their operations for the view table, and what other modules ask of them. */
#ifndef TAFEL_CLIENT_VIEWS_H
#define TAFEL_CLIENT_VIEWS_H

#include "ui.h"

extern const struct ui_view_ops view_meetings_ops;
extern const struct ui_view_ops view_meeting_ops;
extern const struct ui_view_ops view_actions_ops;
extern const struct ui_view_ops view_case_ops;
extern const struct ui_view_ops view_help_ops;
extern const struct ui_view_ops view_pick_case_ops;
extern const struct ui_view_ops view_pick_person_ops;
extern const struct ui_view_ops view_cases_ops;
extern const struct ui_view_ops view_nominations_ops;
extern const struct ui_view_ops view_pick_org_ops;
extern const struct ui_view_ops view_inbox_ops;
extern const struct ui_view_ops view_minutes_ops;
extern const struct ui_view_ops view_proposals_ops;
extern const struct ui_view_ops view_reports_ops;
extern const struct ui_view_ops view_inforounds_ops;
extern const struct ui_view_ops view_calendar_ops;

/* view-meetings.c: v hides or shows past meetings. */
void view_meetings_toggle_past(struct ui *);
/* The meeting-list topic's snapshot replaces the list shown. */
void view_meetings_take(struct ui *, const Tafel__MeetingList *);
/* The meeting id and version of the selected meeting, 0 if none. */
const Tafel__Meeting *view_meetings_selected(const struct ui *);
/* A meeting of the meetings list by id, NULL if it is not on it. */
const Tafel__Meeting *view_meetings_find(const struct ui *, int64_t id);
/* An open meeting this user chairs, or NULL. */
const Tafel__Meeting *view_meetings_open_chaired(const struct ui *);
/* The next meeting of series_id as the server counts it (planned, today or
 * later, the earliest), NULL when the list has none or is not in. */
const Tafel__Meeting *view_meetings_next_of_series(const struct ui *,
    int64_t series_id);
/* The meetings list's selection goes to meeting id (the one opened), so
 * that back on the list it is on the meeting just left. */
void view_meetings_select(struct ui *, int64_t id);

/* view-cases.c: the case list (TOPIC_CASE_LIST), new signals live. */
void view_cases_take(struct ui *, const Tafel__CaseList *);
/*
 * list_cases page by page into *list, up to max cases: before_id 0 asks
 * the first page (*list NULL: it starts the list), then each next one
 * while the answer left cases out (CaseList.omitted).  Errors are shown.
 */
struct case_pages {
	struct ui *u;
	Tafel__CaseList **list;
	size_t max;
	int64_t asked;		/* before_id of the request out; -1 none */
};
void view_cases_fetch(struct case_pages *, int64_t before_id);
void view_cases_open(struct ui *);
const Tafel__Case *view_cases_selected(struct ui *);
/* A case of the live case list (the pages loaded so far), or NULL. */
const Tafel__Case *view_cases_find(int64_t id);
void view_cases_districts(struct ui *, char *buf, size_t len);

/* view-nominations.c: pending nominations (TOPIC_NOMINATIONS). */
void view_nominations_take(struct ui *, const Tafel__NominationList *);
void view_nominations_open(struct ui *);
const Tafel__Nomination *view_nominations_selected(struct ui *);

/* view-meeting.c */
/* The selected agenda item, NULL if none. */
const Tafel__AgendaItem *view_meeting_item(struct ui *);
/* Steps the meeting view's action point choice by dir (Tab, Shift-Tab). */
void view_meeting_action_step(struct ui *, int dir);
/* The selected item's case has an open action point this user may change
 * (Tab, e, x and C then matter). */
int view_meeting_my_actions(struct ui *);
/* Whether the case is on the open meeting's agenda. */
int view_meeting_has_case(struct ui *, int64_t case_id);

/* view-presentation.c: the meeting view's beamer layout. */
void view_presentation_draw(struct ui *, WINDOW *, int rows, int cols);

/* view-actions.c: opens the list at its first line. */
void view_actions_open(struct ui *);

/* view-case.c: loads a case and shows it. */
void view_case_open(struct ui *, int64_t case_id);
/* The same from an info round my organisation is asked in: when the case
 * itself is not for its eyes, the view says that the round is (8). */
void view_case_open_asked(struct ui *, int64_t case_id, const char *number);
/* A write's answer: the case as it is now replaces the one shown (so the
 * next write uses its version before the event arrives). */
void view_case_update(struct ui *, const Tafel__Case *);
/* The case shown (with contributions and goals), NULL while loading. */
const Tafel__CaseDetail *view_case_detail(struct ui *);
/* The server did not show the case opened (not found): no case keys. */
int view_case_missing(void);
/* What is said then, translated. */
const char *view_case_missing_message(void);

/* view-help.c: shows the keys, from the top. */
void view_help_open(struct ui *);

/* view-pick-case.c: the chair's case picker. */
void view_pick_case_open(struct ui *);
/* The selected case, NULL if none. */
const Tafel__Case *view_pick_case_selected(struct ui *);
/* A case number from the loaded list, "?" if not there. */

/* view-pick-person.c: choose a person (of org_id, 0: anyone) by name,
 * starting with a search (NULL: none), with their attendance at the open
 * meeting when asked; done gets the person, or NULL when the picker is
 * left without a choice. */
void view_pick_person_open(struct ui *, const char *title, int64_t org_id,
    const char *search, int attendance,
    void (*done)(struct ui *, const Tafel__User *));

/* view-pick-org.c: choose an organisation by name, starting with a
 * search (NULL: none); done gets it, or NULL when left without a choice. */
void view_pick_org_open(struct ui *, const char *title, const char *search,
    void (*done)(struct ui *, const Tafel__Organisation *));
/* An organisation's standing under the covenant, as the picker marks it:
 * signed, not signed ("no covenant"), or all its users observers
 * ("listeners only"); the last two see no personal data of a case. */
enum pick_org_covenant { PICK_ORG_SIGNED, PICK_ORG_NOT_SIGNED,
	PICK_ORG_OBSERVERS };
enum pick_org_covenant view_pick_org_covenant(struct ui *,
    const Tafel__Organisation *);

/* view-inbox.c: the inbox (list_inbox), newest first. */
void view_inbox_open(struct ui *);
const Tafel__InboxEntry *view_inbox_selected(struct ui *);
/* v: all entries, only those received, only those sent, in turn. */
void view_inbox_cycle(struct ui *);
/* An entry made or read replaces its line or goes on top. */
void view_inbox_update(struct ui *, const Tafel__InboxEntry *);

/* view-minutes.c: the minutes of the selected (closed) meeting. */
void view_minutes_open(struct ui *);

/* view-proposals.c: the chair's proposals for the planned meeting shown. */
void view_proposals_open(struct ui *);
void view_proposals_reload(struct ui *);
const Tafel__Proposal *view_proposals_selected(struct ui *);
/* The meeting the proposals are for. */
int64_t view_proposals_meeting(void);

/* view-reports.c: the report for the last quarter; p asks another period. */
void view_reports_open(struct ui *);
void view_reports_period(struct ui *);

/* view-inforounds.c: the open info rounds (list_info_rounds). */
void view_inforounds_open(struct ui *);
void view_inforounds_reload(struct ui *);
const Tafel__InfoRound *view_inforounds_selected(struct ui *);
/* Why my organisation, asked in r, answers without seeing whom the round
 * is about ("outside the covenant"), NULL when it sees them (or there
 * are none yet). */
const char *view_inforounds_blind(struct ui *, const Tafel__InfoRound *r);
/* Whether round r gives my organisation the persons to search for (open,
 * asked, identifying): what the case's redaction line says is hidden
 * stands in it. */
int view_inforounds_gives_persons(const Tafel__InfoRound *r);
/* "known", "not known", "no answer yet" (translated). */
const char *view_inforounds_answer_text(Tafel__InfoAnswer);
/* One line of an info round as every view draws it; red: overdue. */
struct inforound_line {
	char text[800];
	int red;
};
/* The lines of round r (a heading, one per asked organisation, and the
 * identifying data an asked organisation gets while it is open); brief:
 * without notes and persons (the shared screen).  Returns the count. */
size_t view_inforounds_lines(const Tafel__InfoRound *r, int brief,
    struct inforound_line *out, size_t max);
/* How many lines view_inforounds_lines gives for r with room for all:
 * the lines past max are counted ("+N more"), not dropped silently. */
size_t view_inforounds_line_count(const Tafel__InfoRound *r, int brief);

/* view-calendar.c: my organisation's meetings across all series. */
void view_calendar_open(struct ui *);

#endif
