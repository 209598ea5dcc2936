/* The chair's decisions on what partners put forward (nominations, agenda proposals), publishing the agenda, and marking inbox feedback read. */
#include "forms.h"
#include "forms-int.h"

#include <stdio.h>

#include "i18n.h"
#include "views.h"

/* --- nominations: a accepts (the series' next meeting), x declines ------- */

static void
decide_send(struct ui *u, const char *text)
{
	Tafel__NominationDecisionRequest r =
	    TAFEL__NOMINATION_DECISION_REQUEST__INIT;

	r.id = fs.id;
	r.version = fs.version;
	r.meeting_id = 0;		/* the series' next planned meeting */
	r.reason = (char *)text;
	form_send(u, fs.present ? TAFEL__ENVELOPE__BODY_ACCEPT_NOMINATION :
	    TAFEL__ENVELOPE__BODY_DECLINE_NOMINATION, &r);
}

/* Which meeting's agenda the case went on, when the list knows it. */
static void
decided(struct ui *u)
{
	const Tafel__Meeting *mt = fs.present && fs.reply != NULL &&
	    fs.reply->body_case == TAFEL__ENVELOPE__BODY_NOMINATION ?
	    view_meetings_find(u, fs.reply->nomination->meeting_id) : NULL;
	char when[40];

	if (mt != NULL) {
		ui_date(layout_meeting_time(mt), when, sizeof when);
		ui_message(u, 0, _("Case %s put on the agenda of %s %s."),
		    fs.what, mt->series_name, when);
		return;
	}
	ui_message(u, 0, fs.present ? _("Case %s put on the agenda of the next "
	    "meeting.") : _("Nomination of case %s declined."), fs.what);
}

/* The reason is required: the nominating organisation reads it. */
static const struct field decline_fields[] = {
	{ .label = N_("Decline the nomination of case %s, reason"),
	  .kind = ASK_TEXT, .required = 1,
	  .missing = N_("A reason is required: whoever nominated the case "
	  "reads it.") },
	{ .label = NULL }
};

static const struct form decline_form = {
	.fields = decline_fields,
	.send = decide_send,
	.refused = retry_refused,
	.accepted = decided,
};

static const struct form accept_form = {
	.send = decide_send,
	.accepted = decided,
};

static int
nomination_begin(struct ui *u, int accept)
{
	const Tafel__Nomination *nm = view_nominations_selected(u);

	if (nm == NULL) {
		ui_message(u, 1, "%s", _("No nomination selected."));
		return 0;
	}
	fs.id = nm->id;
	fs.version = nm->version;
	fs.present = accept;
	snprintf(fs.what, sizeof fs.what, "%s", nm->case_number);
	return 1;
}

void
forms_accept_nomination(struct ui *u)
{
	if (!nomination_begin(u, 1))
		return;
	form_ask(u, &accept_form);
}

void
forms_decline_nomination(struct ui *u)
{
	if (nomination_begin(u, 0))
		form_start(u, &decline_form, "");
}

/* Enter in the inbox: mark_inbox_read (idempotent; the answer is the
 * entry as read, which replaces its line). */
static void
inbox_read_send(struct ui *u, const char *text)
{
	Tafel__MarkInboxReadRequest r = TAFEL__MARK_INBOX_READ_REQUEST__INIT;

	(void)text;
	r.id = fs.id;
	form_send(u, TAFEL__ENVELOPE__BODY_MARK_INBOX_READ, &r);
}

/* The inbox kinds that are feedback to the organisation that submitted
 * the case; the others (asked in an info round, a clock, the lead, an
 * overdue action point) are notices. */
static const Tafel__InboxKind feedback_kinds[] = {
	TAFEL__INBOX_KIND__INBOX_ACTION_DONE,
	TAFEL__INBOX_KIND__INBOX_ACTION_CANCELLED,
	TAFEL__INBOX_KIND__INBOX_CASE_MOVED,
	TAFEL__INBOX_KIND__INBOX_CASE_CLOSED,
};

static int
is_feedback(const Tafel__InboxEntry *e)
{
	for (size_t i = 0; i < sizeof feedback_kinds / sizeof feedback_kinds[0];
	    i++)
		if (e->kind == feedback_kinds[i])
			return 1;
	return 0;
}

static void
inbox_read(struct ui *u)
{
	const Tafel__InboxEntry *e = NULL;

	if (fs.reply != NULL &&
	    fs.reply->body_case == TAFEL__ENVELOPE__BODY_INBOX_ENTRY) {
		e = fs.reply->inbox_entry;
		view_inbox_update(u, e);
	}
	if (fs.what[0] == '\0')	/* a notice without a case (agenda) */
		ui_message(u, 0, "%s", _("Inbox entry marked as read."));
	else if (e != NULL && !is_feedback(e))
		ui_message(u, 0, _("Notice on case %s marked as read."),
		    fs.what);
	else
		ui_message(u, 0, _("Feedback on case %s marked as read."),
		    fs.what);
}

static const struct form inbox_read_form = {
	.send = inbox_read_send,
	.accepted = inbox_read,
};

void
forms_inbox_read(struct ui *u)
{
	const Tafel__InboxEntry *e = view_inbox_selected(u);

	if (e == NULL) {
		ui_message(u, 1, "%s", _("No inbox entry selected."));
		return;
	}
	if (e->read_at != 0) {
		ui_message(u, 0, _("Already read by %s."), e->read_by_name);
		return;
	}
	fs.id = e->id;
	snprintf(fs.what, sizeof fs.what, "%s", e->case_number);
	form_ask(u, &inbox_read_form);
}

/* The agenda proposals (chair, planned meeting): a accepts the selected
 * one (add_agenda_item at the end), x declines it with a reason. */
static void
proposal_accept_send(struct ui *u, const char *unused)
{
	Tafel__AddAgendaItemRequest r = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;

	(void)unused;
	r.meeting_id = fs.id;
	r.case_id = fs.version;		/* the case (the form's second id) */
	r.position = 0;
	form_send(u, TAFEL__ENVELOPE__BODY_ADD_AGENDA_ITEM, &r);
}

static void
proposal_decline_send(struct ui *u, const char *text)
{
	Tafel__DeclineProposalRequest r = TAFEL__DECLINE_PROPOSAL_REQUEST__INIT;

	r.meeting_id = fs.id;
	r.case_id = fs.version;
	r.reason = (char *)text;
	form_send(u, TAFEL__ENVELOPE__BODY_DECLINE_PROPOSAL, &r);
}

static void
proposal_decided(struct ui *u)
{
	ui_message(u, 0, fs.present ? _("Case %s put on the agenda.") :
	    _("Proposal of case %s declined."), fs.what);
	view_proposals_reload(u);
}

static const struct form proposal_accept_form = {
	.send = proposal_accept_send,
	.accepted = proposal_decided,
};

/* The reason is required: it is kept for whoever decides the agenda
 * (protocol.md 7.11); the proposal's nominator, if any, does not read it. */
static const struct field proposal_decline_fields[] = {
	{ .label = N_("Decline the proposal of case %s, reason"),
	  .kind = ASK_TEXT, .required = 1,
	  .missing = N_("A reason is required: it is kept for whoever decides "
	  "the agenda.") },
	{ .label = NULL }
};

static const struct form proposal_decline_form = {
	.fields = proposal_decline_fields,
	.send = proposal_decline_send,
	.refused = retry_refused,
	.accepted = proposal_decided,
};

static int
proposal_begin(struct ui *u, int accept)
{
	const Tafel__Proposal *p = view_proposals_selected(u);

	if (p == NULL) {
		ui_message(u, 1, "%s", _("No proposal selected."));
		return 0;
	}
	fs.id = view_proposals_meeting();
	fs.version = p->case_id;
	fs.present = accept;
	snprintf(fs.what, sizeof fs.what, "%s", p->case_number);
	return 1;
}

void
forms_accept_proposal(struct ui *u)
{
	if (!proposal_begin(u, 1))
		return;
	form_ask(u, &proposal_accept_form);
}

void
forms_decline_proposal(struct ui *u)
{
	if (proposal_begin(u, 0))
		form_start(u, &proposal_decline_form, "");
}

/* U in a planned meeting (chair): publish_agenda with the meeting's
 * version; the member organisations hear agenda_published. */
static void
publish_send(struct ui *u, const char *unused)
{
	Tafel__PublishAgendaRequest r = TAFEL__PUBLISH_AGENDA_REQUEST__INIT;

	(void)unused;
	r.meeting_id = fs.id;
	r.version = fs.version;
	form_send(u, TAFEL__ENVELOPE__BODY_PUBLISH_AGENDA, &r);
}

static void
published(struct ui *u)
{
	ui_message(u, 0, "%s", _("Agenda published: the member organisations "
	    "have been told."));
}

static const struct form publish_form = {
	.send = publish_send,
	.accepted = published,
};

/* Whether the meeting shown can be published now; if not, says why. */
static int
publishable(struct ui *u)
{
	const Tafel__Meeting *m = u->meeting.meeting;

	if (m == NULL || m->state != TAFEL__MEETING_STATE__MEETING_PLANNED) {
		ui_message(u, 1, "%s", _("Only a planned meeting's agenda is "
		    "published."));
		return 0;
	}
	if (m->published_at != 0) {	/* publishing is once */
		char when[32];

		ui_date(m->published_at, when, sizeof when);
		ui_message(u, 1, _("The agenda was published already: %s by %s."),
		    when, m->published_by_name[0] != '\0' ?
		    m->published_by_name : "-");
		return 0;
	}
	/* publishing is once: an empty agenda published by mistake could not
	 * be published again once the cases are on it */
	for (size_t i = 0; i < u->meeting.agenda.n; i++)
		if (!model_item_at(&u->meeting, i)->removed)
			return 1;
	ui_message(u, 1, "%s", _("The agenda is empty: put cases on it first "
	    "(v proposals, + a case); it is published only once."));
	return 0;
}

/* The answer to U's question: y publishes the meeting as it is now (the
 * question may have waited while a change came in); n or Esc nothing. */
static void
publish_confirmed(struct ui *u, const char *text)
{
	if (!ui_yes(text) || !publishable(u))
		return;
	fs.id = u->meeting.meeting->id;
	fs.version = u->meeting.meeting->version;
	form_ask(u, &publish_form);
}

/* U: every member organisation is told at once, and publishing is once,
 * so it is asked first, as opening and closing are. */
void
forms_publish_agenda(struct ui *u)
{
	char when[40], label[300];

	if (!publishable(u))
		return;
	ui_date(u->meeting.meeting->scheduled_start, when, sizeof when);
	snprintf(label, sizeof label, _("Publish the agenda of '%s %s' to "
	    "every member organisation? (y/n)"),
	    u->meeting.meeting->series_name, when);
	fit_meeting_question(u, label, sizeof label,
	    u->meeting.meeting->series_name);
	ui_ask_yesno(u, label, publish_confirmed);
}
