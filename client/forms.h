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
void forms_attendance(struct ui *);	/* chair: A */
void forms_add_case(struct ui *);	/* chair: + (opens the picker) */
void forms_pick_add(struct ui *);	/* picker: Enter */
void forms_edit_action(struct ui *);	/* e */
void forms_complete_action(struct ui *);	/* C, c */
void forms_cancel_action(struct ui *);	/* x */

#endif
