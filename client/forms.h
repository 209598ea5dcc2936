/* Chair workflows and the action point forms: every write the user types goes through one prompt-send-retry helper. */
#ifndef TAFEL_CLIENT_FORMS_H
#define TAFEL_CLIENT_FORMS_H

#include "ui.h"

/* Draws the action point form over the body when it belongs to this view. */
void forms_draw(struct ui *);

/* Keys (bound in ui-keys.c). */
void forms_next_item(struct ui *);	/* chair: n */
void forms_prev_item(struct ui *);	/* chair: p */
void forms_open_meeting(struct ui *);	/* chair: o */
void forms_close_meeting(struct ui *);	/* chair: c */
void forms_decision(struct ui *);	/* chair: d */
void forms_add_action(struct ui *);	/* chair: a */
void forms_attendance(struct ui *);	/* A: chair anyone, else oneself */
void forms_add_case(struct ui *);	/* chair: + (opens the picker) */
void forms_pick_add(struct ui *);	/* picker: Enter */
void forms_pick_left(struct ui *);	/* picker: left without adding */
void forms_edit_action(struct ui *);	/* e */
void forms_complete_action(struct ui *);	/* C, c */
/* Whether this user may change action point a (the server's rule). */
int forms_action_may_change(const struct ui *, const Tafel__ActionPoint *a);
int forms_action_may_change_in(const struct ui *, const Tafel__ActionPoint *a,
    const Tafel__Case *c);
void forms_cancel_action(struct ui *);	/* x */
/* A new inbox entry: when it is the feedback of the action point this
 * client just finished, the status line says to whom it went. */
void forms_action_feedback_sent(struct ui *, const Tafel__InboxEntry *);
/* Intake and the case (case list and case view). */
void forms_signal(struct ui *);		/* S: register a signal */
void forms_case_move(struct ui *);	/* m: along the routing */
void forms_case_regie(struct ui *);	/* R: lead organisation, manager */
void forms_case_dates(struct ui *);	/* E: end and review date */
void forms_case_close(struct ui *);	/* F: closing reason, evaluation */
void forms_case_goal(struct ui *);	/* g: a goal of the plan */
void forms_case_contribution(struct ui *);	/* b: my contribution */
void forms_case_mdo(struct ui *);	/* M: MDO from this case */
void forms_case_link(struct ui *);	/* L: action point to a goal */
/* Planning (meetings list) and the agenda (meeting view). */
void forms_plan_meetings(struct ui *);	/* N: one date or a recurrence */
void forms_move_meeting(struct ui *);	/* V */
void forms_cancel_meeting(struct ui *);	/* X */
void forms_remove_item(struct ui *);	/* D */
void forms_item_up(struct ui *);	/* K */
void forms_item_down(struct ui *);	/* J */
/* Nominations: a case (case view), the chair's decision (nominations). */
void forms_nominate(struct ui *);	/* N in a case */
void forms_accept_nomination(struct ui *);	/* a */
void forms_decline_nomination(struct ui *);	/* x */
/* The inbox: Enter marks the selected entry read. */
void forms_inbox_read(struct ui *);
/* The agenda proposals (chair): a accepts, x declines with a reason;
 * U publishes the planned meeting's agenda. */
void forms_accept_proposal(struct ui *);
void forms_decline_proposal(struct ui *);
void forms_publish_agenda(struct ui *);
/* The info round (forms-inforound.c): I starts one from the case view;
 * in the info rounds view b / n answer known / not known, Z closes. */
void forms_inforound_start(struct ui *);
void forms_inforound_known(struct ui *);
void forms_inforound_not_known(struct ui *);
void forms_inforound_close(struct ui *);
/* The meeting changed (an event, a snapshot): a d or a that waited for the
 * chair's own step (forms_after_step) opens once the step has landed. */
void forms_step_landed(struct ui *);
/* Whether such a d or a is waiting; the keys typed meanwhile are held
 * (forms_step_hold) for the input line it opens, but for Esc, which ends
 * the wait. */
int forms_step_waiting(struct ui *);
void forms_step_hold(struct ui *, int r, wint_t ch);

#endif
