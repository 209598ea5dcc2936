/* The chair's forms in a meeting: stepping through the items, opening and closing, decisions, attendance and adding a case to the agenda. */
#include "forms.h"
#include "forms-int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "ui-keys.h"
#include "views.h"

/* --- items, open, close -------------------------------------------------- */

/*
 * The chair's steps (n, p), each press counted: a press steps on from the
 * one before it, not from the item the server confirmed last. One step is
 * out at a time (two writes may run in either order, docs/protocol.md
 * 5.1); the presses made meanwhile go as one step to where they lead, so
 * an item passed over in a burst is never made current: it is not marked
 * discussed, and being present at it gives no organisation access to its
 * case (docs/security.md rule 6).
 */
#define STEPS_MAX 32

static struct {
	int64_t meeting_id;		/* the meeting of the steps */
	int64_t item[STEPS_MAX];	/* to make current; item[0] is out */
	size_t n;
	/* the last answered step: the item it made current and the meeting
	 * version it gave, until the meeting's event shows it */
	int64_t done, done_version;
} steps;

static void step_send(struct ui *u);

/* A key (d, a) typed while the chair's own step is on its way: done when
 * the step has landed, on the item it made current. */
static void (*step_then)(struct ui *);

/* What the chair typed while d or a waited for the step (the decision's
 * first words, as a rule): held, not taken as keys on the meeting (n, p,
 * c there would step or close it for everyone), and typed into the input
 * line once it opens. */
static struct {
	int r;
	wint_t ch;
} held[512];
static size_t n_held;

/* The ▶ on the agenda shows the step: only an error is worth a word (and
 * ends the steps still waiting: they were counted from this one). */
static void
item_set(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	/* the presses made meanwhile: one step, to where they lead */
	if (steps.n > 1) {
		steps.item[0] = steps.item[steps.n - 1];
		steps.n = 1;
	} else
		steps.n = 0;
	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_MEETING) {
		steps.done = m->meeting->current_item_id;
		steps.done_version = m->meeting->version;
		if (steps.n > 0 && steps.item[0] == steps.done)
			steps.n = 0;	/* n then p: back where it is */
	} else {
		steps.n = 0;
		step_then = NULL;	/* the step did not happen */
		n_held = 0;		/* nor the input typed for it */
		if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
			ui_show_error(u, m->error);
	}
	if (u->meeting.meeting_id != steps.meeting_id)
		steps.n = 0;		/* another meeting is shown now */
	if (steps.n > 0)
		step_send(u);
}

static void
step_send(struct ui *u)
{
	Tafel__SetCurrentItemRequest r = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;

	r.meeting_id = steps.meeting_id;
	r.item_id = steps.item[0];
	ui_send(u, TAFEL__ENVELOPE__BODY_SET_CURRENT_ITEM, &r, NET_REQ_WRITE,
	    item_set);
}

/* Where the next step starts: the last one waiting, else the one answered
 * last while the meeting's event is still to come, else the current item. */
static int64_t
step_from(struct ui *u)
{
	if (steps.meeting_id != u->meeting.meeting_id)
		return model_current_item(&u->meeting);
	if (steps.n > 0)
		return steps.item[steps.n - 1];
	if (steps.done != 0 && u->meeting.meeting->version < steps.done_version)
		return steps.done;
	return model_current_item(&u->meeting);
}

/* Whether the chair's own steps in this meeting are still on their way. */
static int
stepping(struct ui *u)
{
	return u->meeting.meeting != NULL &&
	    steps.meeting_id == u->meeting.meeting_id &&
	    step_from(u) != model_current_item(&u->meeting);
}

/*
 * d and a typed right after n or p come before the server's answer: the
 * item still shown as current is the one the chair is leaving (a decision
 * typed there went to the wrong case), and the case of the one ahead is
 * not readable yet.  So, while the chair follows the current item, the
 * key waits for the step and then works on the item it made current.
 */
int
forms_after_step(struct ui *u, void (*then)(struct ui *))
{
	const Tafel__AgendaItem *to;

	if (!u->meeting.following || !stepping(u))
		return 0;
	step_then = then;
	to = model_item(&u->meeting, step_from(u));
	if (to != NULL)
		ui_message(u, 0, _("Moving to case %s…"), item_case(u, to));
	return 1;
}

int
forms_step_waiting(struct ui *u)
{
	if (step_then != NULL && stepping(u))
		return 1;
	n_held = 0;
	return 0;
}

void
forms_step_hold(struct ui *u, int r, wint_t ch)
{
	if (r == OK && ch == 27) {	/* Esc: no longer wait (the step goes on) */
		step_then = NULL;
		n_held = 0;
		u->message[0] = '\0';
		ui_dirty(u);
		return;
	}
	if (n_held < sizeof held / sizeof held[0]) {
		held[n_held].r = r;
		held[n_held].ch = ch;
		n_held++;
	}
}

/* The step landed (called when the meeting changed): the key that waited
 * for it, then what was typed meanwhile into the input line it opened (a
 * question, such as the one about a hidden decision, gets none of it). */
void
forms_step_landed(struct ui *u)
{
	void (*then)(struct ui *) = step_then;
	size_t n = n_held;

	if (then == NULL || stepping(u))
		return;
	step_then = NULL;
	n_held = 0;
	if (u->view == VIEW_MEETING && !u->prompt.active)
		then(u);
	for (size_t i = 0; i < n && u->prompt.active && !u->prompt.yesno; i++)
		ui_prompt_key(u, held[i].r, held[i].ch);
}

static void
step_item(struct ui *u, int dir)
{
	int64_t item;

	if (!need_meeting(u))
		return;
	if (steps.n == STEPS_MAX || (steps.n > 0 &&
	    steps.meeting_id != u->meeting.meeting_id)) {
		ui_message(u, 1, "%s", _("Please wait: the previous steps are "
		    "still being processed."));
		return;
	}
	item = model_neighbour_of(&u->meeting, step_from(u), dir);
	if (item == 0) {
		/* at the end, items skipped or moved up past the current
		 * one are easily forgotten (the close would say so later) */
		int pending = 0;

		for (size_t i = 0; dir > 0 && i < u->meeting.agenda.n; i++) {
			const Tafel__AgendaItem *it = model_item_at(&u->meeting,
			    i);

			pending += !it->removed && it->id != step_from(u) &&
			    it->state == TAFEL__ITEM_STATE__ITEM_PENDING;
		}
		if (pending > 0)
			ui_message(u, 1, ngettext("This is the last item; %d "
			    "item before it was not discussed yet.", "This is "
			    "the last item; %d items before it were not "
			    "discussed yet.", (unsigned long)pending), pending);
		else
			ui_message(u, 1, "%s", dir > 0 ?
			    _("This is the last item.") :
			    _("This is the first item."));
		return;
	}
	model_follow(&u->meeting);	/* the chair follows themself */
	if (steps.meeting_id != u->meeting.meeting_id) {
		steps.meeting_id = u->meeting.meeting_id;
		steps.done = steps.done_version = 0;
	}
	steps.item[steps.n++] = item;
	if (steps.n == 1)		/* else sent when the one before is answered */
		step_send(u);
}

void
forms_next_item(struct ui *u)
{
	step_item(u, 1);
}

void
forms_prev_item(struct ui *u)
{
	step_item(u, -1);
}

static void
opened(struct net *n, const Tafel__Envelope *m, void *arg)
{
	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_MEETING &&
	    m->meeting->warning != NULL &&
	    strcmp(m->meeting->warning, "nobody_present") == 0)
		ui_message(arg, 1, "%s", _("Opened, but nobody else is recorded "
		    "present: record the attendance (A)."));
	else if (m != NULL && m->body_case != TAFEL__ENVELOPE__BODY_ERROR)
		ui_message(arg, 0, "%s", _("Meeting opened."));
	else
		ui_reply_generic(n, m, arg);
}

static void
closed(struct net *n, const Tafel__Envelope *m, void *arg)
{
	if (m != NULL && m->body_case != TAFEL__ENVELOPE__BODY_ERROR)
		ui_message(arg, 0, "%s", _("Meeting closed."));
	else
		ui_reply_generic(n, m, arg);
}

static void
meeting_state(struct ui *u, int open)
{
	Tafel__MeetingStateRequest r = TAFEL__MEETING_STATE_REQUEST__INIT;

	r.meeting_id = u->meeting.meeting_id;
	r.version = u->meeting.meeting->version;
	ui_send(u, open ? TAFEL__ENVELOPE__BODY_OPEN_MEETING :
	    TAFEL__ENVELOPE__BODY_CLOSE_MEETING, &r, NET_REQ_WRITE,
	    open ? opened : closed);
}

static void
open_confirmed(struct ui *u, const char *text)
{
	if (ui_yes(text) && need_meeting(u))
		meeting_state(u, 1);
}

/*
 * o: a meeting planned for today opens at once; one of another day only
 * after a question (opening is for good: a closed meeting cannot be
 * opened again, and every partner sees it open).
 */
void
forms_open_meeting(struct ui *u)
{
	char when[40], label[300];
	int64_t now = (int64_t)time(NULL), start;

	if (!need_meeting(u))
		return;
	start = u->meeting.meeting->scheduled_start;
	if (u->meeting.meeting->state != TAFEL__MEETING_STATE__MEETING_PLANNED ||
	    layout_day_start(start) == layout_day_start(now)) {
		meeting_state(u, 1);
		return;
	}
	ui_date(start, when, sizeof when);
	snprintf(label, sizeof label, _("The meeting '%s %s' is not today. "
	    "Open it now? (y/n)"), u->meeting.meeting->series_name, when);
	fit_meeting_question(u, label, sizeof label,
	    u->meeting.meeting->series_name);
	ui_ask_yesno(u, label, open_confirmed);
}

static void
close_confirmed(struct ui *u, const char *text)
{
	if (ui_yes(text) && need_meeting(u))
		meeting_state(u, 0);
}

/* Whether the item's decision is hidden from this user (the case's free
 * text is withheld, as ui_decision_text says "(hidden, see above)"): then
 * whether there is one is not known here. */
static int
decision_hidden(struct ui *u, const Tafel__AgendaItem *it)
{
	const Tafel__Case *c = model_case(&u->meeting, it->case_id);

	return c == NULL || ui_free_text_hidden(c);
}

/* An item without a decision this user can see: none, or one hidden from
 * them (the case of an item not reached yet may be closed to the chair's
 * organisation: left out, the question came for one chair and not for
 * another, with the same undecided items). */
static int
undecided_item(struct ui *u, const Tafel__AgendaItem *it)
{
	return !it->removed && form_blank(it->decision);
}

/* The case numbers of the items without a decision: two, or the first and
 * "…" (the question stays within a line of 80 columns). */
static void
undecided_list(struct ui *u, int undecided, char *buf, size_t len)
{
	size_t o = 0, shown = 0, most = undecided <= 2 ? 2 : 1;

	buf[0] = '\0';
	for (size_t i = 0; i < u->meeting.agenda.n && o < len; i++) {
		const Tafel__AgendaItem *it = model_item_at(&u->meeting, i);

		if (!undecided_item(u, it))
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", shown > 0 ?
		    ", " : "", shown < most ? item_case(u, it) : "…");
		if (++shown > most)
			break;
	}
}

void
forms_close_meeting(struct ui *u)
{
	char when[40], cases[120];
	static char label[300];
	int pending = 0, undecided = 0, hidden = 0;

	if (!need_meeting(u))
		return;
	/* the items never reached stay undiscussed, and any item without a
	 * decision shows "(nog geen)" in the minutes: said before closing */
	for (size_t i = 0; i < u->meeting.agenda.n; i++) {
		const Tafel__AgendaItem *it = model_item_at(&u->meeting, i);

		if (it->removed)
			continue;
		pending += it->state == TAFEL__ITEM_STATE__ITEM_PENDING;
		undecided += undecided_item(u, it);
		hidden += undecided_item(u, it) && decision_hidden(u, it);
	}
	/* an open meeting by the time it was opened, as its header */
	ui_date(layout_meeting_time(u->meeting.meeting), when, sizeof when);
	if (hidden > 0) {
		undecided_list(u, undecided, cases, sizeof cases);
		snprintf(label, sizeof label, ngettext("%d agenda item without a "
		    "visible decision (%s). Close anyway? (y/n)", "%d agenda "
		    "items without a visible decision (%s). Close anyway? (y/n)",
		    (unsigned long)undecided), undecided, cases);
	} else if (undecided > 0) {
		undecided_list(u, undecided, cases, sizeof cases);
		snprintf(label, sizeof label, ngettext("%d agenda item without a "
		    "decision (%s). Close anyway? (y/n)", "%d agenda items "
		    "without a decision (%s). Close anyway? (y/n)",
		    (unsigned long)undecided), undecided, cases);
	} else {
		snprintf(label, sizeof label, _("Close the meeting '%s %s'? "
		    "(y/n)"), u->meeting.meeting->series_name, when);
		fit_meeting_question(u, label, sizeof label,
		    u->meeting.meeting->series_name);
	}
	ui_ask_yesno(u, label, close_confirmed);
	if (pending > 0)	/* above the question, until a key answers */
		ui_message(u, 1, ngettext("%d agenda item was not discussed; "
		    "the minutes say so.", "%d agenda items were not "
		    "discussed; the minutes say so.", (unsigned long)pending),
		    pending);
}

/* --- decision ------------------------------------------------------------ */

static int decision_had;		/* the item had a decision when asked */
static int decision_closed;		/* asked in a closed meeting */
static int decision_clearing;		/* the write sent clears it */
/* The decision offered when the prompt opened (decision_known: not hidden
 * from this user), and the text sent: a CONFLICT that leaves the decision
 * as it was offered is a change of the item's state (the chair's own n or
 * p made it discussed or current), not of its decision: sent again, once. */
static char decision_seen[TAFEL_MAX_TEXT + 1];
static char decision_sent[TAFEL_MAX_TEXT + 1];
static int decision_known, decision_resent;
static int64_t decision_item, decision_version;	/* of the text sent */
static struct form decision_form;	/* its label: forms_decision */

/* The item and version seen when the prompt opened: a change by someone
 * else meanwhile gives CONFLICT instead of being overwritten. */
static void
decision_write(struct ui *u, const char *text)
{
	Tafel__RecordDecisionRequest r = TAFEL__RECORD_DECISION_REQUEST__INIT;

	if (text != decision_sent) {	/* typed (not sent again) */
		decision_resent = 0;
		decision_item = fs.id;
		decision_version = fs.version;
		snprintf(decision_sent, sizeof decision_sent, "%s", text);
	}
	r.item_id = decision_item;
	r.version = decision_version;
	r.decision = decision_sent;
	decision_clearing = text[0] == '\0';
	form_send(u, TAFEL__ENVELOPE__BODY_RECORD_DECISION, &r);
}

static void
decision_clear_confirmed(struct ui *u, const char *answer)
{
	if (ui_yes(answer))
		decision_write(u, "");
	else
		ui_message(u, 0, "%s", _("The decision is kept."));
}

/*
 * An empty (or blank) text clears the decision: only after a question,
 * and not at all when there was none (Enter on an empty line is no
 * decision).
 */
static void
decision_send(struct ui *u, const char *text)
{
	static char label[300];

	if (!form_blank(text)) {
		decision_write(u, text);
		return;
	}
	if (!decision_had) {
		ui_message(u, 1, "%s", _("An empty decision is not recorded."));
		return;
	}
	snprintf(label, sizeof label, _("Clear the decision on case %s? (y/n)"),
	    fs.what);
	ui_ask_yesno(u, label, decision_clear_confirmed);
}

/* Asked again with what was typed; the next try uses the version the
 * CONFLICT shows. */
static int
decision_refused(struct ui *u, const Tafel__Error *e)
{
	const Tafel__AgendaItem *cur = e->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_AGENDA_ITEM ?
	    e->current_agenda_item : NULL;

	if (cur == NULL)
		return 1;
	if (decision_known && !decision_resent && !cur->removed &&
	    cur->id == decision_item &&
	    strcmp(cur->decision, decision_seen) == 0) {
		const struct form *shown = fs.form;

		decision_resent = 1;	/* no one changed the decision */
		decision_version = cur->version;
		fs.form = &decision_form;	/* whose answer it is */
		decision_write(u, decision_sent);
		fs.form = shown;
		return -1;
	}
	fs.version = cur->version;
	return 1;
}

static void
decision_recorded(struct ui *u)
{
	/* the item as recorded, before its event: d right after offers it
	 * (not on the shared screen, whose model is the room's rendering) */
	if (!u->presentation && fs.reply != NULL &&
	    fs.reply->body_case == TAFEL__ENVELOPE__BODY_AGENDA_ITEM &&
	    model_apply_item(&u->meeting, fs.reply->agenda_item, ui_now()))
		ui_dirty(u);
	ui_message(u, 0, decision_clearing ? _("Decision on case %s cleared.") :
	    decision_closed ? _("Correction recorded (case %s); the minutes "
	    "mark it.") :
	    _("Decision on case %s recorded."), fs.what);
}

static struct form decision_form = {
	.label = N_("Decision on case %s"),
	.send = decision_send,
	.refused = decision_refused,
	.accepted = decision_recorded,
};

/* The item's decision hidden from the chair: going on means typing a new
 * one over whatever is there. */
static void
decision_hidden_confirmed(struct ui *u, const char *answer)
{
	if (ui_yes(answer))
		form_start(u, &decision_form, "");
	else
		ui_message(u, 0, "%s", _("The decision is kept."));
}

/*
 * d: the current decision is offered to edit (typing adds to it; emptied,
 * it is cleared only after a question).  A decision this user may not read
 * cannot be offered: asked first, since what is typed replaces it.
 */
void
forms_decision(struct ui *u)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);
	static char label[300];

	if (forms_after_step(u, forms_decision))
		return;
	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	fs.id = it->id;
	fs.version = it->version;
	snprintf(fs.what, sizeof fs.what, "%s", item_case(u, it));
	snprintf(decision_seen, sizeof decision_seen, "%s", it->decision);
	/* after the close a correction, which the minutes and the case mark
	 * ("changed after closing by ..."): said before it is typed */
	decision_closed = u->meeting.meeting != NULL &&
	    u->meeting.meeting->state == TAFEL__MEETING_STATE__MEETING_CLOSED;
	decision_form.label = decision_closed ?
	    N_("Correction after closing, case %s") :
	    N_("Decision on case %s");
	decision_known = !(form_blank(it->decision) && decision_hidden(u, it));
	if (!decision_known) {
		decision_had = 1;	/* unknown: clearing asks too */
		snprintf(label, sizeof label, _("The decision on case %s is "
		    "hidden: typing replaces it. Go on? (y/n)"),
		    fs.what);
		ui_ask_yesno(u, label, decision_hidden_confirmed);
		return;
	}
	decision_had = it->decision[0] != '\0';
	form_start(u, &decision_form, it->decision);
}

/* --- attendance ---------------------------------------------------------- */

/* Who (from the picker) → present? → remote? → sent. */
static void
attend_send(struct ui *u, const char *unused)
{
	Tafel__AttendanceRequest r = TAFEL__ATTENDANCE_REQUEST__INIT;

	r.meeting_id = u->meeting.meeting_id;
	r.user_id = fs.user_id;
	r.present = fs.present != 0;
	r.remote = fs.present && fs.remote;
	form_send(u, TAFEL__ENVELOPE__BODY_RECORD_ATTENDANCE, &r);
}

/* The confirmation; recorded present myself while the item under
 * discussion stays hidden from my organisation (opened before I came:
 * presence counts for the items opened from now on, docs/security.md
 * rule 6), it also says so, and when that item opens. */
static void
attendance_recorded(struct ui *u)
{
	const Tafel__AgendaItem *it = model_item(&u->meeting,
	    model_current_item(&u->meeting));
	const Tafel__Case *c = it != NULL ? model_case(&u->meeting,
	    it->case_id) : NULL;
	char done[300];

	snprintf(done, sizeof done, !fs.present ?
	    _("Attendance recorded: %s absent.") : fs.remote ?
	    _("Attendance recorded: %s present, remote.") :
	    _("Attendance recorded: %s present."), fs.what);
	if (fs.present && fs.user_id == u->my_user_id && c != NULL &&
	    c->redacted && strcmp(c->redaction_reason, "not_involved") == 0)
		ui_message(u, 0, _("%s Case %s was under discussion before "
		    "you came: it opens for you when the chair opens it "
		    "again."), done, c->number);
	else
		ui_message(u, 0, "%s", done);
}

static int
absent(void)
{
	return !fs.present;
}

static const struct field attendance_fields[] = {
	{ .label = N_("Is %s present? (y/n)"), .kind = ASK_YESNO,
	  .num = &fs.present },
	{ .label = N_("Does %s take part remotely (video)? (y/n)"),
	  .kind = ASK_YESNO, .num = &fs.remote, .skip = absent },
	{ .label = NULL }
};

static const struct form attendance_form = {
	.fields = attendance_fields,
	.send = attend_send,
	.accepted = attendance_recorded,
	.forbidden = N_("Only the chair records others; you can record "
	    "yourself while your organisation takes part in this meeting."),
};

/* The person chosen from the picker (NULL: none). */
static void
attend_picked(struct ui *u, const Tafel__User *p)
{
	if (p == NULL) {
		ui_message(u, 0, "%s", _("No one chosen: no attendance "
		    "recorded."));
		return;
	}
	fs.user_id = p->id;
	snprintf(fs.what, sizeof fs.what, "%s", p->display_name);
	form_ask(u, &attendance_form);
}

/* A: the chair chooses who by name from a list with the attendance so far;
 * anyone else records themselves (present, in the room or remote). */
void
forms_attendance(struct ui *u)
{
	const Tafel__LoginResponse *me = net_login(u->net);

	if (!need_meeting(u))
		return;
	if (ui_leads_meeting(u))
		view_pick_person_open(u, _("Record attendance: choose a person "
		    "(Enter; / searches)"), 0, NULL, 1, attend_picked);
	else if (me != NULL && me->user != NULL)
		attend_picked(u, me->user);
}

/* --- adding a case to the agenda ----------------------------------------- */

static int64_t pick_sending;		/* case being added, 0 none */
static char pick_number[32];		/* its number, for the messages */

void
forms_add_case(struct ui *u)
{
	if (!need_meeting(u))
		return;
	if (u->meeting.meeting->state == TAFEL__MEETING_STATE__MEETING_CLOSED) {
		ui_message(u, 1, "%s", _("The meeting is closed: its agenda can "
		    "no longer change."));
		return;
	}
	view_pick_case_open(u);
}

/* Added: back to the meeting, where the new item arrives as an event; on an
 * error the picker stays open to try again or pick another case.  The
 * picker is left while the case still counts as being added, so that its
 * leave says nothing. */
static void
pick_accepted(struct ui *u)
{
	if (u->view == VIEW_PICK_CASE)
		ui_set_view(u, VIEW_MEETING);
	pick_sending = 0;
	/* on the agenda from now on, also before its event comes: a picker
	 * opened meanwhile does not offer the case again */
	if (fs.reply != NULL &&
	    fs.reply->body_case == TAFEL__ENVELOPE__BODY_AGENDA)
		model_note_added(&u->meeting, fs.reply->agenda);
	/* the picker's list may be gone (left, or reloaded after a
	 * reconnect): the number kept when it was sent */
	ui_message(u, 0, _("Case %s added to the agenda."), pick_number);
}

static int
pick_refused(struct ui *u, const Tafel__Error *e)
{
	pick_sending = 0;
	return 0;
}

static void
pick_send(struct ui *u, const char *unused)
{
	Tafel__AddAgendaItemRequest r = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;

	r.meeting_id = u->meeting.meeting_id;
	r.case_id = pick_sending;
	r.position = 0;			/* at the end */
	ui_message(u, 0, "%s", _("Adding the case to the agenda…"));
	form_send(u, TAFEL__ENVELOPE__BODY_ADD_AGENDA_ITEM, &r);
}

/* Chosen from the list, not typed: no fields. */
static const struct form pick_form = {
	.send = pick_send,
	.refused = pick_refused,
	.accepted = pick_accepted,
};

/* The picker left (Esc, q, another view): unless a case is on its way to
 * the agenda (its answer says how it went), nothing was added. */
void
forms_pick_left(struct ui *u)
{
	if (pick_sending == 0)
		ui_message(u, 0, "%s", _("No case added to the agenda."));
}

void
forms_pick_add(struct ui *u)
{
	const Tafel__Case *c = view_pick_case_selected(u);

	if (c == NULL) {
		ui_message(u, 1, "%s", _("No case selected."));
		return;
	}
	if (pick_sending != 0) {
		if (net_get_state(u->net) != NET_READY)
			ui_message(u, 1, _("Not connected: case %s is added "
			    "to the agenda when the connection is back."),
			    pick_number);
		else
			ui_message(u, 1, "%s", _("The previous case is still "
			    "being added."));
		return;
	}
	if (view_meeting_has_case(u, c->id)) {
		ui_message(u, 1, "%s", _("This case is already on the agenda."));
		return;
	}
	pick_sending = c->id;
	snprintf(pick_number, sizeof pick_number, "%s", c->number);
	form_ask(u, &pick_form);
}
