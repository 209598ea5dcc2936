/* Chair workflows and the action point forms: every write typed at the prompt goes through one helper that sends it, and on a refusal shows the record as it is now and asks again. */
#include "forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "datein.h"
#include "i18n.h"
#include "views.h"

/*
 * One write form.  form_start() opens the prompt; the text typed goes to
 * send(), which sends the write through form_send(); form_reply() takes
 * the answer: accepted() on success, else refused() decides whether to ask
 * again (taking the current version from a CONFLICT) and reopen() asks.
 */
struct form {
	const char *label;		/* N_() prompt label, %s: what it acts on */
	void (*send)(struct ui *, const char *text);
	/* A refused write: takes the current record's version from a
	 * CONFLICT; returns 0 when nothing is left to change. NULL: 0. */
	int (*refused)(struct ui *, const Tafel__Error *);
	/* Asks again after a refusal; NULL: the label with the text typed. */
	void (*reopen)(struct ui *, const Tafel__Error *);
	/* Accepted: says what happened. */
	void (*accepted)(struct ui *);
	/* The prompt was cancelled, NULL: nothing to do. */
	void (*cancelled)(struct ui *);
};

/* The action point form's fields, in the order asked. */
enum action_field {
	FIELD_DESCRIPTION,
	FIELD_OWNER,			/* owner organisation */
	FIELD_PERSON,			/* owner person: editing only */
	FIELD_DUE,
	FIELD_SENDING,			/* sent: shown until the answer */
	FIELD__COUNT = FIELD_SENDING
};

/* The action point form (new, or editing one), kept while the server may
 * still refuse it. */
struct action_form {
	int active;			/* on screen */
	enum action_field field;	/* being asked */
	int64_t case_id, meeting_id;
	int64_t action_id;		/* editing this action point, 0: new */
	int64_t version;		/* its version (or from a CONFLICT) */
	enum ui_view_id view;		/* drawn over this view */
	char case_number[32];
	char description[1024];
	int description_hidden;		/* editing one whose text we may not see */
	int64_t owner_org_id;
	int64_t owner_user_id;
	int64_t goal_id;		/* kept on edit: the update is whole */
	char owner_user_name[200];
	char due_date[32];
	char old_due[32];		/* the date before editing */
	char person_typed[200];		/* the name typed before the list */
};

static struct {
	const struct form *form;	/* on the prompt, or last sent */
	char what[200];			/* what the form acts on, in the label */
	char text[1024];		/* typed, kept on errors */
	int64_t id, version;		/* the record and the version seen */
	int64_t user_id;		/* attendance: of whom */
	int present;			/* attendance: present */
	int64_t pick_sending;		/* case being added, 0 none */
	struct action_form af;
	const Tafel__Envelope *reply;	/* the answer accepted() is told of */
	struct {
		uint64_t request_id;	/* 0: free slot */
		const struct form *form;
	} sent[16];			/* writes in flight: whose answer */
} fs;

/* --- the helper ---------------------------------------------------------- */

static void
form_typed(struct ui *u, const char *text)
{
	const struct form *f = fs.form;

	if (text == NULL) {
		if (f->cancelled != NULL)
			f->cancelled(u);
		return;
	}
	snprintf(fs.text, sizeof fs.text, "%s", text);
	f->send(u, fs.text);
}

/* The prompt label of form f, naming what it acts on (fs.what). */
static const char *
form_label(const struct form *f)
{
	static char buf[400];
	const char *label = _(f->label), *at = strstr(label, "%s");

	if (at == NULL)
		snprintf(buf, sizeof buf, "%s", label);
	else
		snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - label), label,
		    fs.what, at + 2);
	return buf;
}

/* Opens the prompt of form f with initial text. */
static void
form_start(struct ui *u, const struct form *f, const char *initial)
{
	fs.form = f;
	ui_prompt(u, form_label(f), initial, form_typed);
}

/* The form that sent request id (the answer may come after another form
 * was started), and forgets the request. */
static const struct form *
form_of(uint64_t id)
{
	for (size_t i = 0; i < sizeof fs.sent / sizeof fs.sent[0]; i++)
		if (fs.sent[i].request_id == id && id != 0) {
			fs.sent[i].request_id = 0;
			return fs.sent[i].form;
		}
	return fs.form;
}

static void
form_reply(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	const struct form *f;

	if (m == NULL)
		return;
	f = form_of(m->request_id);
	if (m->body_case != TAFEL__ENVELOPE__BODY_ERROR) {
		fs.reply = m;
		f->accepted(u);
		fs.reply = NULL;
		return;
	}
	if (f->refused != NULL && f->refused(u, m->error)) {
		fs.form = f;
		if (f->reopen != NULL)
			f->reopen(u, m->error);
		else
			ui_prompt(u, form_label(f), fs.text, form_typed);
	}
	/* after the prompt, which clears the message line */
	ui_show_error(u, m->error);
}

/* Sends the write of the form being filled in. */
static void
form_send(struct ui *u, Tafel__Envelope__BodyCase body_case, void *req)
{
	uint64_t id = ui_send(u, body_case, req, NET_REQ_WRITE, form_reply);
	size_t i;

	for (i = 0; i < sizeof fs.sent / sizeof fs.sent[0]; i++)
		if (fs.sent[i].request_id == 0)
			break;
	/* all slots in flight: reuse one; its answer goes to the form on
	 * screen (form_of's fallback) */
	if (i == sizeof fs.sent / sizeof fs.sent[0])
		i = id % (sizeof fs.sent / sizeof fs.sent[0]);
	fs.sent[i].request_id = id;
	fs.sent[i].form = fs.form;
}

/* Takes the version of a CONFLICT's current action point; 0 when it is no
 * longer open (nothing left to change). */
static int
action_refused(const Tafel__Error *e, int64_t *version)
{
	const Tafel__ActionPoint *cur = e->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_ACTION_POINT ?
	    e->current_action_point : NULL;

	if (cur == NULL)
		return 1;
	if (cur->state != TAFEL__ACTION_STATE__ACTION_OPEN)
		return 0;
	*version = cur->version;
	return 1;
}

/* "'Huisbezoek plannen'", shortened to fit a prompt, or a placeholder
 * when the text is hidden from this user. */
static void
quote(char *buf, size_t len, const char *text)
{
	char cut[64];

	if (text == NULL || text[0] == '\0') {
		snprintf(buf, len, "%s", _("(text hidden)"));
		return;
	}
	layout_fit(cut, sizeof cut, text, 30);
	for (size_t n = strlen(cut); n > 0 && cut[n - 1] == ' '; n--)
		cut[n - 1] = '\0';
	snprintf(buf, len, "'%s%s'", cut, layout_width(text) > 30 ? "…" : "");
}

/* The case number of an agenda item, "?" if not visible. */
static const char *
item_case(struct ui *u, const Tafel__AgendaItem *it)
{
	const Tafel__Case *c = model_case(&u->meeting, it->case_id);

	return c != NULL ? c->number : "?";
}

/* --- meeting: items, open, close ----------------------------------------- */

static int
need_meeting(struct ui *u)
{
	if (u->meeting.meeting == NULL) {
		ui_message(u, 1, "%s", _("No meeting loaded yet."));
		return 0;
	}
	return 1;
}

/* The ▶ on the agenda shows the step: only an error is worth a word. */
static void
item_set(struct net *n, const Tafel__Envelope *m, void *arg)
{
	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
		ui_show_error(arg, m->error);
}

static void
set_current(struct ui *u, int64_t item)
{
	Tafel__SetCurrentItemRequest r = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;

	r.meeting_id = u->meeting.meeting_id;
	r.item_id = item;
	ui_send(u, TAFEL__ENVELOPE__BODY_SET_CURRENT_ITEM, &r, NET_REQ_WRITE,
	    item_set);
}

static void
step_item(struct ui *u, int dir)
{
	int64_t item;

	if (!need_meeting(u))
		return;
	item = model_neighbour_item(&u->meeting, dir);
	if (item == 0) {
		ui_message(u, 1, "%s", dir > 0 ? _("This is the last item.") :
		    _("This is the first item."));
		return;
	}
	model_follow(&u->meeting);	/* the chair follows themself */
	set_current(u, item);
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

void
forms_open_meeting(struct ui *u)
{
	if (need_meeting(u))
		meeting_state(u, 1);
}

static void
close_confirmed(struct ui *u, const char *text)
{
	if (ui_yes(text) && need_meeting(u))
		meeting_state(u, 0);
}

void
forms_close_meeting(struct ui *u)
{
	char when[40], label[300];

	if (!need_meeting(u))
		return;
	ui_date(u->meeting.meeting->scheduled_start, when, sizeof when);
	snprintf(label, sizeof label, _("Close the meeting '%s %s'? (y/n)"),
	    u->meeting.meeting->series_name, when);
	ui_prompt(u, label, "", close_confirmed);
}

/* --- decision ------------------------------------------------------------ */

/* The item and version seen when the prompt opened: a change by someone
 * else meanwhile gives CONFLICT instead of being overwritten. */
static void
decision_send(struct ui *u, const char *text)
{
	Tafel__RecordDecisionRequest r = TAFEL__RECORD_DECISION_REQUEST__INIT;

	r.item_id = fs.id;
	r.version = fs.version;
	r.decision = (char *)text;
	form_send(u, TAFEL__ENVELOPE__BODY_RECORD_DECISION, &r);
}

/* Asked again with what was typed; the next try uses the version the
 * CONFLICT shows. */
static int
decision_refused(struct ui *u, const Tafel__Error *e)
{
	if (e->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_AGENDA_ITEM)
		fs.version = e->current_agenda_item->version;
	return 1;
}

static void
decision_recorded(struct ui *u)
{
	ui_message(u, 0, _("Decision on case %s recorded."), fs.what);
}

static const struct form decision_form = {
	.label = N_("Decision on case %s"),
	.send = decision_send,
	.refused = decision_refused,
	.accepted = decision_recorded,
};

void
forms_decision(struct ui *u)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);

	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	fs.id = it->id;
	fs.version = it->version;
	snprintf(fs.what, sizeof fs.what, "%s", item_case(u, it));
	form_start(u, &decision_form, it->decision);
}

/* --- the action point form ----------------------------------------------- */

/* description → owner organisation → (when editing: owner person →) due
 * date.  The same form creates and edits. */
static void ask_field(struct ui *u, enum action_field field);
static const struct form action_form;

/* A user of organisation org by number, login, name, or a part of the
 * name only one of them has; *several when the part fits more than one. */
static const Tafel__User *
find_user(struct ui *u, int64_t org, const char *text, int *several)
{
	char *end;
	long long id = strtoll(text, &end, 10);
	const Tafel__User *hit = NULL;

	*several = 0;
	if (*text != '\0' && *end == '\0')
		return ui_user(u, id);
	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_users; i++) {
		const Tafel__User *p = u->orgs->users[i];

		if (p->org_id == org && (strcasecmp(p->login, text) == 0 ||
		    strcasecmp(p->display_name, text) == 0))
			return p;
	}
	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_users; i++) {
		const Tafel__User *p = u->orgs->users[i];

		if (p->org_id != org || !layout_match(p->display_name, text))
			continue;
		if (hit != NULL) {
			*several = 1;
			return NULL;
		}
		hit = p;
	}
	return hit;
}

/* An organisation by number or by its name (exact, else its start). */
static int64_t
find_org(struct ui *u, const char *text)
{
	char *end;
	long long id = strtoll(text, &end, 10);
	size_t len = strlen(text);

	if (*text != '\0' && *end == '\0')
		return id;
	for (int exact = 1; exact >= 0; exact--) {
		for (size_t i = 0; u->orgs != NULL &&
		    i < u->orgs->n_organisations; i++) {
			const char *name = u->orgs->organisations[i]->name;

			if (exact ? strcasecmp(name, text) == 0 :
			    strncasecmp(name, text, len) == 0)
				return u->orgs->organisations[i]->id;
		}
		for (size_t i = 0; i < u->meeting.orgs.n; i++) {
			const Tafel__Organisation *o =
			    (void *)u->meeting.orgs.v[i].msg;

			if (exact ? strcasecmp(o->name, text) == 0 :
			    strncasecmp(o->name, text, len) == 0)
				return o->id;
		}
	}
	return 0;
}

static void
action_send(struct ui *u)
{
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__UpdateActionRequest up = TAFEL__UPDATE_ACTION_REQUEST__INIT;
	struct action_form *f = &fs.af;

	fs.form = &action_form;
	f->field = FIELD_SENDING;	/* shown until the answer */
	if (f->action_id != 0) {
		up.id = f->action_id;
		up.version = f->version;
		up.description = f->description;
		up.owner_org_id = f->owner_org_id;
		up.owner_user_id = f->owner_user_id;
		up.due_date = f->due_date;
		up.goal_id = f->goal_id;
		form_send(u, TAFEL__ENVELOPE__BODY_UPDATE_ACTION, &up);
		return;
	}
	r.case_id = f->case_id;
	r.meeting_id = f->meeting_id;
	r.description = f->description;
	r.owner_org_id = f->owner_org_id;
	r.owner_user_id = f->owner_user_id;
	r.due_date = f->due_date;
	form_send(u, TAFEL__ENVELOPE__BODY_CREATE_ACTION, &r);
}

/* An edit of an action point finished meanwhile closes the form. */
static int
action_form_refused(struct ui *u, const Tafel__Error *e)
{
	if (fs.af.action_id != 0 && !action_refused(e, &fs.af.version)) {
		fs.af.active = 0;
		return 0;
	}
	return 1;
}

/* Back to the field the server objected to (by its request field name). */
static void
action_form_reopen(struct ui *u, const Tafel__Error *e)
{
	const char *field = e != NULL ? e->field : NULL;

	if (field != NULL && strcmp(field, "due_date") == 0)
		ask_field(u, FIELD_DUE);
	else if (field != NULL && strcmp(field, "owner_user_id") == 0)
		ask_field(u, FIELD_PERSON);
	else if (field != NULL && strcmp(field, "owner_org_id") == 0)
		ask_field(u, FIELD_OWNER);
	else
		ask_field(u, FIELD_DESCRIPTION);
}

static void
action_form_accepted(struct ui *u)
{
	fs.af.active = 0;
	ui_message(u, 0, "%s", fs.af.action_id != 0 ?
	    _("Action point updated.") : _("Action point recorded."));
}

static void
action_form_cancelled(struct ui *u)
{
	fs.af.active = 0;
}

/* The answer to "the due date is in the past: keep it?". */
static void
past_confirmed(struct ui *u, const char *text)
{
	if (text == NULL) {
		fs.af.active = 0;
		return;
	}
	if (ui_yes(text))
		action_send(u);
	else
		ask_field(u, FIELD_DUE);
}

/* The due date as typed (8-12, morgen, +7, ...) becomes YYYY-MM-DD; a day
 * in the past is only taken when confirmed (or when it was already the
 * action point's date). */
static void
action_due(struct ui *u, const char *text)
{
	struct datein_day d, today = datein_today((int64_t)time(NULL));
	char iso[32], label[300];

	switch (datein_parse(text, today, &d)) {
	case DATEIN_EMPTY:
		snprintf(fs.af.due_date, sizeof fs.af.due_date, "%s", "");
		action_send(u);		/* the server says whether it is needed */
		return;
	case DATEIN_INVALID:
		snprintf(fs.af.due_date, sizeof fs.af.due_date, "%s", text);
		ask_field(u, FIELD_DUE);
		ui_message(u, 1, _("'%s' is not a date: type e.g. 8-12-2026, "
		    "8/12, tomorrow or +7."), text);
		return;
	default:
		break;
	}
	datein_format(d, iso, sizeof iso);
	snprintf(fs.af.due_date, sizeof fs.af.due_date, "%s", iso);
	if (datein_cmp(d, today) < 0 && strcmp(iso, fs.af.old_due) != 0) {
		snprintf(label, sizeof label, _("%s is in the past. Use it "
		    "anyway? (y/n)"), iso);
		ui_prompt(u, label, "", past_confirmed);
		return;
	}
	action_send(u);
}

/* The last field (the due date) sends the form. */
static const struct form action_form = {
	.label = N_("Due date (e.g. 8-12, tomorrow, +7)"),
	.send = action_due,
	.refused = action_form_refused,
	.reopen = action_form_reopen,
	.accepted = action_form_accepted,
	.cancelled = action_form_cancelled,
};

static void
field_description(struct ui *u, const char *text)
{
	if (text == NULL) {
		fs.af.active = 0;
		return;
	}
	snprintf(fs.af.description, sizeof fs.af.description, "%s", text);
	ask_field(u, FIELD_OWNER);
}

static void
field_owner(struct ui *u, const char *text)
{
	int64_t id;

	if (text == NULL) {
		fs.af.active = 0;
		return;
	}
	id = find_org(u, text);
	if (id == 0) {
		ui_prompt(u, _("Owner organisation (name or number)"), text,
		    field_owner);
		ui_message(u, 1, "%s", _("Unknown organisation."));
		return;
	}
	if (id != fs.af.owner_org_id) {
		/* the person worked for the old owner */
		fs.af.owner_user_id = 0;
		fs.af.owner_user_name[0] = '\0';
	}
	fs.af.owner_org_id = id;
	ask_field(u, FIELD_PERSON);
}

static void field_person(struct ui *u, const char *text);

/* The owner chosen from the picker; none: back to typing the name. */
static void
person_picked(struct ui *u, const Tafel__User *p)
{
	if (p == NULL) {		/* the name as typed, to change */
		fs.af.field = FIELD_PERSON;
		ui_prompt(u, _("Owner person (name, login or number; empty: the "
		    "whole organisation)"), fs.af.person_typed, field_person);
		return;
	}
	fs.af.owner_user_id = p->id;
	snprintf(fs.af.owner_user_name, sizeof fs.af.owner_user_name, "%s",
	    p->display_name);
	ask_field(u, FIELD_DUE);
}

static void
field_person(struct ui *u, const char *text)
{
	const Tafel__User *p;
	int several;

	if (text == NULL) {
		fs.af.active = 0;
		return;
	}
	if (text[0] == '\0') {		/* the organisation as a whole */
		fs.af.owner_user_id = 0;
		fs.af.owner_user_name[0] = '\0';
		ask_field(u, FIELD_DUE);
		return;
	}
	p = find_user(u, fs.af.owner_org_id, text, &several);
	if (p == NULL && u->orgs != NULL) {
		/* not one person: choose from the organisation's people */
		const Tafel__Organisation *o = ui_org(u, fs.af.owner_org_id);
		char title[300];

		snprintf(fs.af.person_typed, sizeof fs.af.person_typed, "%s",
		    text);
		snprintf(title, sizeof title, _("Who of %s carries out the "
		    "action point? (Enter; Esc: back to typing)"),
		    o != NULL ? o->name : "?");
		view_pick_person_open(u, title, fs.af.owner_org_id,
		    several ? text : NULL, 0, person_picked);
		if (!several)
			ui_message(u, 1, _("No one called '%s' there: choose from "
			    "the list."), text);
		return;
	}
	if (p == NULL || p->org_id != fs.af.owner_org_id) {
		ui_prompt(u, _("Owner person (name, login or number; empty: the "
		    "whole organisation)"), text, field_person);
		ui_message(u, 1, "%s", p == NULL ? _("No such person in the "
		    "owner organisation.") :
		    _("This person does not belong to the owner organisation."));
		return;
	}
	fs.af.owner_user_id = p->id;
	snprintf(fs.af.owner_user_name, sizeof fs.af.owner_user_name,
	    "%s", p->display_name);
	ask_field(u, FIELD_DUE);
}

/* Opens the prompt of one field, with what the form holds. */
static void
ask_field(struct ui *u, enum action_field field)
{
	char text[200] = "";
	const Tafel__Organisation *o;
	const Tafel__User *p;

	fs.af.active = 1;
	fs.af.field = field;
	switch (field) {
	case FIELD_DUE:
		form_start(u, &action_form, fs.af.due_date);
		break;
	case FIELD_OWNER:
		if (fs.af.owner_org_id != 0) {
			o = ui_org(u, fs.af.owner_org_id);
			if (o != NULL)
				snprintf(text, sizeof text, "%s", o->name);
			else
				snprintf(text, sizeof text, "%lld",
				    (long long)fs.af.owner_org_id);
		}
		ui_prompt(u, _("Owner organisation (name or number)"), text,
		    field_owner);
		break;
	case FIELD_PERSON:
		if (fs.af.owner_user_id != 0) {
			p = ui_user(u, fs.af.owner_user_id);
			if (p != NULL)
				snprintf(text, sizeof text, "%s",
				    p->display_name);
			else
				snprintf(text, sizeof text, "%lld",
				    (long long)fs.af.owner_user_id);
		}
		ui_prompt(u, _("Owner person (name, login or number; empty: "
		    "the whole organisation)"), text, field_person);
		break;
	default:
		fs.af.field = FIELD_DESCRIPTION;
		ui_prompt(u, _("Action point"), fs.af.description,
		    field_description);
		break;
	}
}

static int
action_form_busy(struct ui *u)
{
	if (fs.af.active && fs.af.field == FIELD_SENDING) {
		ui_message(u, 1, "%s", _("The previous action point is still "
		    "being sent."));
		return 1;
	}
	return 0;
}

void
forms_add_action(struct ui *u)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);
	const Tafel__Case *c;

	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	if (action_form_busy(u))
		return;
	memset(&fs.af, 0, sizeof fs.af);
	fs.af.case_id = it->case_id;
	fs.af.meeting_id = u->meeting.meeting_id;
	fs.af.view = VIEW_MEETING;
	c = model_case(&u->meeting, it->case_id);
	if (c != NULL)
		snprintf(fs.af.case_number, sizeof fs.af.case_number, "%s",
		    c->number);
	ask_field(u, FIELD_DESCRIPTION);
}

/* The action point e, x and c/C work on: the view's chosen one. */
static const Tafel__ActionPoint *
open_action(struct ui *u)
{
	const Tafel__ActionPoint *a = UI_VIEW(u)->action != NULL ?
	    UI_VIEW(u)->action(u) : NULL;

	if (a == NULL)
		ui_message(u, 1, "%s", _("No action point selected."));
	else if (a->state != TAFEL__ACTION_STATE__ACTION_OPEN)
		ui_message(u, 1, "%s", _("This action point is no longer open."));
	else
		return a;
	return NULL;
}

/* e: the action point form, filled in with the action point as it is. */
void
forms_edit_action(struct ui *u)
{
	const Tafel__ActionPoint *a = open_action(u);
	const Tafel__Case *c;
	struct action_form *f = &fs.af;

	if (a == NULL || action_form_busy(u))
		return;
	memset(f, 0, sizeof *f);
	f->action_id = a->id;
	f->version = a->version;
	f->case_id = a->case_id;
	f->meeting_id = a->meeting_id;
	f->view = u->view;
	c = model_case(&u->meeting, a->case_id);
	snprintf(f->case_number, sizeof f->case_number, "%s",
	    a->case_number[0] != '\0' || c == NULL ? a->case_number : c->number);
	/* a description hidden from us comes as "": sent back as "", the
	 * server keeps it */
	snprintf(f->description, sizeof f->description, "%s", a->description);
	f->description_hidden = a->description[0] == '\0';
	f->owner_org_id = a->owner_org_id;
	f->owner_user_id = a->owner_user_id;
	f->goal_id = a->goal_id;
	snprintf(f->owner_user_name, sizeof f->owner_user_name, "%s",
	    a->owner_user_name);
	snprintf(f->due_date, sizeof f->due_date, "%s", a->due_date);
	snprintf(f->old_due, sizeof f->old_due, "%s", a->due_date);
	ask_field(u, FIELD_DESCRIPTION);
}

/* The action point form over the body: its fields, the one being typed live. */
void
forms_draw(struct ui *u)
{
	static const char *labels[FIELD__COUNT] = {
	    [FIELD_DESCRIPTION] = N_("Description"),
	    [FIELD_OWNER] = N_("Owner organisation"),
	    [FIELD_PERSON] = N_("Owner person"),
	    [FIELD_DUE] = N_("Due date") };
	const struct action_form *f = &fs.af;
	int edit = f->action_id != 0;
	int nf = 4;
	int w = u->cols - 4 < 72 ? u->cols - 4 : 72, h = 3 + 2 * nf;
	int x = (u->cols - w) / 2, y = (u->rows - 3 - h) / 2;
	char val[1100], lbl[64], org[200];
	const Tafel__Organisation *o;

	if (!f->active || u->view != f->view || w < 20 || y < 0)
		return;
	ui_box(u, u->body, y, x, h, w);
	ui_putf(u->body, y, x + 2, w - 4, ui_attr(u, UI_A_TITLE),
	    " %s · %s %s ", edit ? _("Edit action point") :
	    _("New action point"), _("Case"),
	    f->case_number[0] ? f->case_number : "?");
	o = ui_org(u, f->owner_org_id);
	snprintf(org, sizeof org, "%s", o != NULL ? o->name : "");
	for (int i = 0, row = 0; i < FIELD__COUNT; i++) {
		const char *v = i == FIELD_DESCRIPTION ? f->description :
		    i == FIELD_OWNER ? org : i == FIELD_PERSON ?
		    (f->owner_user_id != 0 ? f->owner_user_name :
		    _("(the whole organisation)")) : f->due_date;
		attr_t a = 0;

		if (i == FIELD_DESCRIPTION && f->description_hidden &&
		    f->description[0] == '\0' && (int)f->field != i) {
			v = _("(hidden from your organisation; kept as it is)");
			a = ui_attr(u, UI_A_DIM);
		}
		if ((int)f->field == i && u->prompt.active) {
			/* while "discard?" is asked, the field keeps its text */
			struct ui_prompt p = *ui_prompt_typed(u);
			size_t m;

			p.buf[p.len] = L'\0';
			m = wcstombs(val, p.buf, sizeof val - 1);
			val[m == (size_t)-1 ? 0 : m] = '\0';
			v = val;
			a = ui_attr(u, UI_A_SELECTED);
		}
		layout_fit(lbl, sizeof lbl, _(labels[i]), 24);
		ui_putf(u->body, y + 2 + row * 2, x + 2, w - 4, 0, "%s", lbl);
		mvwchgat(u->body, y + 2 + row * 2, x + 27, w - 29, a, 0, NULL);
		ui_put(u->body, y + 2 + row * 2, x + 27, w - 29, a, v);
		row++;
	}
	if (f->field == FIELD_SENDING)
		ui_put(u->body, y + h - 1, x + 2, w - 4, ui_attr(u, UI_A_TITLE),
		    net_get_state(u->net) == NET_READY ? _(" Sending… ") :
		    _(" Waiting for the connection… "));
	else
		ui_put(u->body, y + h - 1, x + 2, w - 4, ui_attr(u, UI_A_DIM),
		    _(" Enter next field · Esc cancel · Ctrl-U clear "));
}

/* --- completing and cancelling an action point --------------------------- */

/* Completing (feedback for the submitter, required) and cancelling (a
 * reason, required: it reaches the submitter's inbox too): on CONFLICT a still open one is finished with its new
 * version; one finished meanwhile is left alone. */
static void
finish_send(struct ui *u, const char *text, int cancel)
{
	Tafel__FinishActionRequest r = TAFEL__FINISH_ACTION_REQUEST__INIT;

	r.id = fs.id;
	r.version = fs.version;
	r.note = (char *)text;
	form_send(u, cancel ? TAFEL__ENVELOPE__BODY_CANCEL_ACTION :
	    TAFEL__ENVELOPE__BODY_COMPLETE_ACTION, &r);
}

static void
complete_send(struct ui *u, const char *text)
{
	finish_send(u, text, 0);
}

static void
cancel_send(struct ui *u, const char *text)
{
	finish_send(u, text, 1);
}

static int
finish_refused(struct ui *u, const Tafel__Error *e)
{
	return action_refused(e, &fs.version);
}

static void
completed(struct ui *u)
{
	ui_message(u, 0, _("Action point %s completed; the submitter is "
	    "informed."), fs.what);
}

static void
cancelled(struct ui *u)
{
	ui_message(u, 0, _("Action point %s cancelled."), fs.what);
}

static const struct form complete_form = {
	.label = N_("Complete %s — feedback for the submitter"),
	.send = complete_send,
	.refused = finish_refused,
	.accepted = completed,
};

static const struct form cancel_form = {
	.label = N_("Cancel action point %s? Reason"),
	.send = cancel_send,
	.refused = finish_refused,
	.accepted = cancelled,
};

static void
finish_ask(struct ui *u, const struct form *f)
{
	const Tafel__ActionPoint *a = open_action(u);

	if (a == NULL)
		return;
	fs.id = a->id;
	fs.version = a->version;
	quote(fs.what, sizeof fs.what, a->description);
	form_start(u, f, "");
}

void
forms_complete_action(struct ui *u)
{
	finish_ask(u, &complete_form);
}

void
forms_cancel_action(struct ui *u)
{
	finish_ask(u, &cancel_form);
}

/* --- attendance ---------------------------------------------------------- */

/* Who → present? → remote? → sent. */
static void
attend_send(struct ui *u, const char *remote)
{
	Tafel__AttendanceRequest r = TAFEL__ATTENDANCE_REQUEST__INIT;

	r.meeting_id = u->meeting.meeting_id;
	r.user_id = fs.user_id;
	r.present = fs.present;
	r.remote = ui_yes(remote);
	form_send(u, TAFEL__ENVELOPE__BODY_RECORD_ATTENDANCE, &r);
}

static void
attendance_recorded(struct ui *u)
{
	ui_message(u, 0, fs.present ? _("Attendance recorded: %s present.") :
	    _("Attendance recorded: %s absent."), fs.what);
}

static const struct form attendance_form = {
	.label = N_("Does %s take part remotely (video)? (y/n)"),
	.send = attend_send,
	.accepted = attendance_recorded,
};

static void
attend_present(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	fs.present = ui_yes(text);
	fs.form = &attendance_form;
	if (!fs.present)
		attend_send(u, "n");
	else
		form_start(u, &attendance_form, "");
}

/* The person chosen from the picker (NULL: none). */
static void
attend_picked(struct ui *u, const Tafel__User *p)
{
	char label[300];

	if (p == NULL)
		return;
	fs.user_id = p->id;
	snprintf(fs.what, sizeof fs.what, "%s", p->display_name);
	snprintf(label, sizeof label, _("Is %s present? (y/n)"), fs.what);
	ui_prompt(u, label, "", attend_present);
}

/* A: who, chosen by name from a list with the attendance so far. */
void
forms_attendance(struct ui *u)
{
	if (need_meeting(u))
		view_pick_person_open(u, _("Record attendance: choose a person "
		    "(Enter; / searches)"), 0, NULL, 1, attend_picked);
}

/* --- adding a case to the agenda ----------------------------------------- */

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
 * error the picker stays open to try again or pick another case. */
static void
pick_accepted(struct ui *u)
{
	int64_t id = fs.pick_sending;

	fs.pick_sending = 0;
	if (u->view == VIEW_PICK_CASE)
		ui_set_view(u, VIEW_MEETING);
	ui_message(u, 0, _("Case %s added to the agenda."),
	    view_pick_case_number(id));
}

static int
pick_refused(struct ui *u, const Tafel__Error *e)
{
	fs.pick_sending = 0;
	return 0;
}

static void
pick_send(struct ui *u, const char *unused)
{
	Tafel__AddAgendaItemRequest r = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;

	r.meeting_id = u->meeting.meeting_id;
	r.case_id = fs.pick_sending;
	r.position = 0;			/* at the end */
	ui_message(u, 0, "%s", _("Adding the case to the agenda…"));
	form_send(u, TAFEL__ENVELOPE__BODY_ADD_AGENDA_ITEM, &r);
}

static const struct form pick_form = {
	.label = NULL,			/* chosen from the list, not typed */
	.send = pick_send,
	.refused = pick_refused,
	.accepted = pick_accepted,
};

void
forms_pick_add(struct ui *u)
{
	const Tafel__Case *c = view_pick_case_selected(u);

	if (c == NULL) {
		ui_message(u, 1, "%s", _("No case selected."));
		return;
	}
	if (fs.pick_sending != 0) {
		ui_message(u, 1, "%s", _("The previous case is still being "
		    "added."));
		return;
	}
	if (view_meeting_has_case(u, c->id)) {
		ui_message(u, 1, "%s", _("This case is already on the agenda."));
		return;
	}
	fs.pick_sending = c->id;
	fs.form = &pick_form;
	pick_send(u, "");
}

/* --- intake: a partner registers a signal -------------------------------- */

/* theme → district → approach → reason → persons (one per prompt, empty
 * line: done, then sent).  The submitter is the user and organisation. */
#define SIGNAL_MAX_PERSONS 8

static struct {
	char theme[64], district[128], reason[2000];
	Tafel__Approach approach;
	size_t n_persons;
	Tafel__PersonRole role[SIGNAL_MAX_PERSONS];
	char name[SIGNAL_MAX_PERSONS][200];
	char birth[SIGNAL_MAX_PERSONS][16];
} sig;

static const char *const themes[] = { "domestic_violence", "repeat_offenders",
	"at_risk_youth", "multi_problem" };

/* An enum value by its label on screen (Dutch or English), its short name
 * or its number; -1 if none fits.  The start of a label is enough. */
static int
enum_from_text(const ProtobufCEnumDescriptor *d, const char *text)
{
	size_t len = strlen(text);

	if (len == 0)
		return -1;
	for (unsigned i = 0; i < d->n_values; i++) {
		const char *label = ui_enum(d, d->values[i].value);
		const char *us = strchr(d->values[i].name, '_');

		if (strncasecmp(label, text, len) == 0 ||
		    (us != NULL && strncasecmp(us + 1, text, len) == 0))
			return d->values[i].value;
	}
	return -1;
}

static void signal_ask_person(struct ui *u);

static void
signal_send(struct ui *u, const char *text)
{
	Tafel__CreateCaseRequest r = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p[SIGNAL_MAX_PERSONS], *pp[SIGNAL_MAX_PERSONS];
	struct datein_day day;
	char *rest, *name, *last;
	int role;

	if (text[0] != '\0') {		/* one more person */
		char buf[400];

		snprintf(buf, sizeof buf, "%s", text);
		name = buf;
		while (*name == ' ')
			name++;
		rest = strchr(name, ' ');
		if (rest != NULL)
			*rest++ = '\0';
		role = enum_from_text(&tafel__person_role__descriptor, name);
		if (role < 0 || rest == NULL || sig.n_persons ==
		    SIGNAL_MAX_PERSONS) {
			ui_prompt(u, _("Person: role name date of birth (empty: "
			    "register)"), text, form_typed);
			ui_message(u, 1, "%s", sig.n_persons == SIGNAL_MAX_PERSONS ?
			    _("No more persons fit in one signal.") :
			    _("Start with the role: victim, suspect, child or "
			    "other, then the name."));
			return;
		}
		sig.role[sig.n_persons] = (Tafel__PersonRole)role;
		sig.birth[sig.n_persons][0] = '\0';
		last = strrchr(rest, ' ');
		if (last != NULL && datein_parse(last + 1, (struct datein_day){
		    1900, 1, 1 }, &day) == DATEIN_OK && strpbrk(last + 1,
		    "-/.") != NULL) {
			datein_format(day, sig.birth[sig.n_persons],
			    sizeof sig.birth[0]);
			*last = '\0';
		}
		snprintf(sig.name[sig.n_persons], sizeof sig.name[0], "%s",
		    rest);
		sig.n_persons++;
		signal_ask_person(u);
		return;
	}
	for (size_t i = 0; i < sig.n_persons; i++) {
		tafel__person__init(&p[i]);
		p[i].role = sig.role[i];
		p[i].name = sig.name[i];
		p[i].birth_date = sig.birth[i];
		pp[i] = &p[i];
	}
	r.theme = sig.theme;
	r.district = sig.district;
	r.approach = sig.approach;
	r.reason = sig.reason;
	r.n_persons = sig.n_persons;
	r.persons = pp;
	ui_message(u, 0, "%s", _("Registering the signal…"));
	form_send(u, TAFEL__ENVELOPE__BODY_CREATE_CASE, &r);
}

/* Registered: the case opens, with the earlier cases it matches. */
static void
signal_accepted(struct ui *u)
{
	const Tafel__Case *c = fs.reply != NULL &&
	    fs.reply->body_case == TAFEL__ENVELOPE__BODY_CASE_RECORD ?
	    fs.reply->case_record : NULL;

	if (c == NULL)
		return;
	view_case_open(u, c->id);
	ui_message(u, 0, _("Signal %s registered."), c->number);
}

static int
signal_refused(struct ui *u, const Tafel__Error *e)
{
	return 1;
}

static void
signal_reopen(struct ui *u, const Tafel__Error *e)
{
	signal_ask_person(u);
}

static const struct form signal_form = {
	.label = N_("Person: role name date of birth (empty: register)"),
	.send = signal_send,
	.refused = signal_refused,
	.reopen = signal_reopen,
	.accepted = signal_accepted,
};

static void
signal_ask_person(struct ui *u)
{
	char label[200];

	snprintf(label, sizeof label, _("Person %zu: role name date of birth "
	    "(empty: register)"), sig.n_persons + 1);
	fs.form = &signal_form;
	ui_prompt(u, label, "", form_typed);
}

static void
signal_reason(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	if (text[0] == '\0') {
		ui_prompt(u, _("Reason for the signal"), "", signal_reason);
		ui_message(u, 1, "%s", _("Say why you raise the signal."));
		return;
	}
	snprintf(sig.reason, sizeof sig.reason, "%s", text);
	signal_ask_person(u);
}

static void
signal_approach(struct ui *u, const char *text)
{
	int a;

	if (text == NULL)
		return;
	a = enum_from_text(&tafel__approach__descriptor, text);
	if (a < 0) {
		ui_prompt(u, _("Approach (person, system, area)"), text,
		    signal_approach);
		ui_message(u, 1, "%s", _("Choose person, system or area."));
		return;
	}
	sig.approach = (Tafel__Approach)a;
	ui_prompt(u, _("Reason for the signal"), "", signal_reason);
}

static void
signal_district(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	if (text[0] == '\0') {
		ui_prompt(u, _("District"), "", signal_district);
		ui_message(u, 1, "%s", _("The district decides who manages the "
		    "case."));
		return;
	}
	snprintf(sig.district, sizeof sig.district, "%s", text);
	ui_prompt(u, _("Approach (person, system, area)"),
	    ui_enum(&tafel__approach__descriptor, 0), signal_approach);
}

static void
signal_theme(struct ui *u, const char *text)
{
	size_t len;
	char *end;
	long n;

	if (text == NULL)
		return;
	len = strlen(text);
	n = strtol(text, &end, 10);
	sig.theme[0] = '\0';
	if (len > 0 && *end == '\0' && n >= 1 &&
	    n <= (long)(sizeof themes / sizeof themes[0]))
		snprintf(sig.theme, sizeof sig.theme, "%s", themes[n - 1]);
	for (size_t i = 0; len > 0 && sig.theme[0] == '\0' &&
	    i < sizeof themes / sizeof themes[0]; i++)
		if (strncasecmp(ui_theme(themes[i]), text, len) == 0 ||
		    strncasecmp(themes[i], text, len) == 0)
			snprintf(sig.theme, sizeof sig.theme, "%s", themes[i]);
	if (sig.theme[0] == '\0') {
		forms_signal(u);
		ui_message(u, 1, "%s", _("Choose a theme by its number or name."));
		return;
	}
	ui_prompt(u, _("District"), "", signal_district);
}

void
forms_signal(struct ui *u)
{
	char label[300];

	memset(&sig, 0, sizeof sig);
	snprintf(label, sizeof label, _("Themes: 1 %s, 2 %s, 3 %s, 4 %s"),
	    ui_theme(themes[0]), ui_theme(themes[1]), ui_theme(themes[2]),
	    ui_theme(themes[3]));
	ui_prompt(u, _("New signal: theme (number or name)"), "", signal_theme);
	ui_message(u, 0, "%s", label);
}

/* --- the case: routing, regie, dates, closing, goals, contributions ------ */

static const Tafel__Case *
shown_case(struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail(u);

	if (d == NULL) {
		ui_message(u, 1, "%s", _("The case is still loading."));
		return NULL;
	}
	return d->case_;
}

/* What update_routing sends: the case's routing fields as they are, with
 * the changes the form made. */
static struct {
	int64_t lead_org_id, case_manager_id;
	char end_date[16], review_date[16];
	char closing_reason[2000], evaluation[2000];
	char manager_name[200];
} rt;

static void
routing_from(const Tafel__Case *c)
{
	rt.lead_org_id = c->lead_org_id;
	rt.case_manager_id = c->case_manager_id;
	snprintf(rt.end_date, sizeof rt.end_date, "%s", c->end_date);
	snprintf(rt.review_date, sizeof rt.review_date, "%s", c->review_date);
	snprintf(rt.closing_reason, sizeof rt.closing_reason, "%s",
	    c->closing_reason);
	snprintf(rt.evaluation, sizeof rt.evaluation, "%s", c->evaluation);
}

static void
routing_send(struct ui *u, const char *unused)
{
	Tafel__UpdateRoutingRequest r = TAFEL__UPDATE_ROUTING_REQUEST__INIT;

	r.id = fs.id;
	r.version = fs.version;
	r.lead_org_id = rt.lead_org_id;
	r.case_manager_id = rt.case_manager_id;
	r.end_date = rt.end_date;
	r.review_date = rt.review_date;
	r.closing_reason = rt.closing_reason;
	r.evaluation = rt.evaluation;
	form_send(u, TAFEL__ENVELOPE__BODY_UPDATE_ROUTING, &r);
}

/* The case in a write's answer, NULL if none. */
static const Tafel__Case *
reply_case(void)
{
	return fs.reply != NULL && fs.reply->body_case ==
	    TAFEL__ENVELOPE__BODY_CASE_RECORD ? fs.reply->case_record : NULL;
}

static void
routing_saved(struct ui *u)
{
	view_case_update(u, reply_case());
	ui_message(u, 0, _("Case %s: lead organisation, case manager and dates "
	    "recorded."), fs.what);
}

static int
case_refused(struct ui *u, const Tafel__Error *e)
{
	if (e->current_record_case == TAFEL__ERROR__CURRENT_RECORD_CURRENT_CASE)
		fs.version = e->current_case->version;
	return 0;
}

static const struct form routing_form = {
	.label = NULL,
	.send = routing_send,
	.refused = case_refused,
	.accepted = routing_saved,
};

static int
case_begin(struct ui *u)
{
	const Tafel__Case *c = shown_case(u);

	if (c == NULL)
		return 0;
	fs.id = c->id;
	fs.version = c->version;
	snprintf(fs.what, sizeof fs.what, "%s", c->number);
	routing_from(c);
	return 1;
}

static void
regie_manager(struct ui *u, const Tafel__User *p)
{
	if (p == NULL) {
		ui_message(u, 1, "%s", _("No case manager chosen: nothing "
		    "changed."));
		return;
	}
	rt.case_manager_id = p->id;
	fs.form = &routing_form;
	routing_send(u, "");
}

/* R: the lead organisation from the organisation picker, then the case
 * manager from that organisation's people. */
static void
regie_org(struct ui *u, const Tafel__Organisation *o)
{
	char title[300];

	if (o == NULL) {
		ui_message(u, 1, "%s", _("No lead organisation chosen: nothing "
		    "changed."));
		return;
	}
	rt.lead_org_id = o->id;
	snprintf(title, sizeof title, _("Case manager of case %s at %s "
	    "(Enter; Esc: none)"), fs.what, o->name);
	view_pick_person_open(u, title, o->id, NULL, 0, regie_manager);
}

void
forms_case_regie(struct ui *u)
{
	char title[300];

	if (!case_begin(u))
		return;
	snprintf(title, sizeof title, _("Lead organisation of case %s (Enter; "
	    "/ searches; Esc: none)"), fs.what);
	view_pick_org_open(u, title, NULL, regie_org);
}

/* A date typed as people do, "" to clear; 0 when not a date. */
static int
date_field(const char *text, char *out, size_t len)
{
	struct datein_day d;

	switch (datein_parse(text, datein_today((int64_t)time(NULL)), &d)) {
	case DATEIN_EMPTY:
		out[0] = '\0';
		return 1;
	case DATEIN_OK:
		datein_format(d, out, len);
		return 1;
	default:
		return 0;
	}
}

static void
dates_review(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	if (!date_field(text, rt.review_date, sizeof rt.review_date)) {
		ui_prompt(u, _("Review date (empty: none)"), text, dates_review);
		ui_message(u, 1, "%s", _("Not a date (e.g. 8-12-2026, +7)."));
		return;
	}
	fs.form = &routing_form;
	routing_send(u, "");
}

static void
dates_end(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	if (!date_field(text, rt.end_date, sizeof rt.end_date)) {
		ui_prompt(u, _("End date (empty: none)"), text, dates_end);
		ui_message(u, 1, "%s", _("Not a date (e.g. 8-12-2026, +7)."));
		return;
	}
	ui_prompt(u, _("Review date (empty: none)"), rt.review_date,
	    dates_review);
}

void
forms_case_dates(struct ui *u)
{
	if (case_begin(u))
		ui_prompt(u, _("End date (empty: none)"), rt.end_date,
		    dates_end);
}

static void
close_evaluation(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	snprintf(rt.evaluation, sizeof rt.evaluation, "%s", text);
	fs.form = &routing_form;
	routing_send(u, "");
}

static void
close_reason(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	snprintf(rt.closing_reason, sizeof rt.closing_reason, "%s", text);
	ui_prompt(u, _("Evaluation (short)"), rt.evaluation, close_evaluation);
}

void
forms_case_close(struct ui *u)
{
	if (case_begin(u))
		ui_prompt(u, _("Closing reason"), rt.closing_reason,
		    close_reason);
}

/* m: one step along the routing; the prompt offers the next status. */
static void
move_send(struct ui *u, const char *text)
{
	Tafel__MoveCaseRequest r = TAFEL__MOVE_CASE_REQUEST__INIT;
	int to = enum_from_text(&tafel__case_status__descriptor, text);

	if (to < 0) {
		ui_prompt(u, _("Move case to"), text, form_typed);
		ui_message(u, 1, "%s", _("Unknown status."));
		return;
	}
	fs.user_id = to;
	r.id = fs.id;
	r.version = fs.version;
	r.to = (Tafel__CaseStatus)to;
	form_send(u, TAFEL__ENVELOPE__BODY_MOVE_CASE, &r);
}

static void
moved(struct ui *u)
{
	view_case_update(u, reply_case());
	ui_message(u, 0, _("Case %s: now at %s."), fs.what,
	    ui_enum(&tafel__case_status__descriptor, (int)fs.user_id));
}

/* Someone else changed the case meanwhile: asked again, with its version
 * now (the error shows the case as it is). */
static int
move_refused(struct ui *u, const Tafel__Error *e)
{
	if (e->code != TAFEL__ERROR_CODE__CONFLICT ||
	    e->current_record_case != TAFEL__ERROR__CURRENT_RECORD_CURRENT_CASE)
		return 0;
	fs.version = e->current_case->version;
	view_case_update(u, e->current_case);
	return 1;
}

static const struct form move_form = {
	.label = N_("Move case %s to"),
	.send = move_send,
	.refused = move_refused,
	.accepted = moved,
};

void
forms_case_move(struct ui *u)
{
	const Tafel__Case *c;

	if (!case_begin(u))
		return;
	c = shown_case(u);
	if (c->status == TAFEL__CASE_STATUS__CASE_CLOSED) {
		ui_message(u, 1, "%s", _("The case is closed."));
		return;
	}
	form_start(u, &move_form, ui_enum(&tafel__case_status__descriptor,
	    (int)c->status + 1));
}

static void
goal_send(struct ui *u, const char *text)
{
	Tafel__GoalRequest r = TAFEL__GOAL_REQUEST__INIT;
	Tafel__Goal g = TAFEL__GOAL__INIT;

	if (text[0] == '\0')
		return;
	g.case_id = fs.id;
	g.description = (char *)text;
	r.goal = &g;
	form_send(u, TAFEL__ENVELOPE__BODY_ADD_GOAL, &r);
}

static void
goal_added(struct ui *u)
{
	ui_message(u, 0, _("Goal added to case %s."), fs.what);
}

static int
retry_refused(struct ui *u, const Tafel__Error *e)
{
	return 1;
}

static const struct form goal_form = {
	.label = N_("New goal of case %s"),
	.send = goal_send,
	.refused = retry_refused,
	.accepted = goal_added,
};

void
forms_case_goal(struct ui *u)
{
	if (case_begin(u))
		form_start(u, &goal_form, "");
}

/* b: my organisation's contribution: facts, then its judgement; an
 * existing one of my organisation is edited. */
static struct {
	int64_t id, version;
	char facts[4000];
} contrib;

static void
contrib_send(struct ui *u, const char *text)
{
	Tafel__AddContributionRequest a = TAFEL__ADD_CONTRIBUTION_REQUEST__INIT;
	Tafel__UpdateContributionRequest up =
	    TAFEL__UPDATE_CONTRIBUTION_REQUEST__INIT;

	if (contrib.id != 0) {
		up.id = contrib.id;
		up.version = contrib.version;
		up.facts = contrib.facts;
		up.judgement = (char *)text;
		form_send(u, TAFEL__ENVELOPE__BODY_UPDATE_CONTRIBUTION, &up);
		return;
	}
	a.case_id = fs.id;
	a.facts = contrib.facts;
	a.judgement = (char *)text;
	form_send(u, TAFEL__ENVELOPE__BODY_ADD_CONTRIBUTION, &a);
}

static void
contrib_saved(struct ui *u)
{
	ui_message(u, 0, _("Contribution of your organisation to case %s "
	    "recorded."), fs.what);
}

static const struct form contrib_form = {
	.label = N_("Your judgement on case %s"),
	.send = contrib_send,
	.refused = retry_refused,
	.accepted = contrib_saved,
};

static void
contrib_facts(struct ui *u, const char *text)
{
	const Tafel__CaseDetail *d = view_case_detail(u);
	const char *judgement = "";

	if (text == NULL)
		return;
	snprintf(contrib.facts, sizeof contrib.facts, "%s", text);
	for (size_t i = 0; d != NULL && i < d->n_contributions; i++)
		if (d->contributions[i]->id == contrib.id)
			judgement = d->contributions[i]->judgement;
	form_start(u, &contrib_form, judgement);
}

void
forms_case_contribution(struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail(u);
	const char *facts = "";
	char label[200];

	if (!case_begin(u))
		return;
	contrib.id = 0;
	for (size_t i = 0; i < d->n_contributions; i++)
		if (d->contributions[i]->org_id == u->my_org_id) {
			contrib.id = d->contributions[i]->id;
			contrib.version = d->contributions[i]->version;
			facts = d->contributions[i]->facts;
		}
	snprintf(label, sizeof label, _("What your organisation knows of case "
	    "%s (facts)"), fs.what);
	ui_prompt(u, label, facts, contrib_facts);
}

/* M: an ad-hoc MDO for this case, inviting only those involved. */
static void
mdo_send(struct ui *u, const char *text)
{
	Tafel__PlanMdoRequest r = TAFEL__PLAN_MDO_REQUEST__INIT;
	struct datein_day d;
	int hh = 0, mm = 0;
	char day[64];
	struct tm tm;

	if (sscanf(text, "%63s %d:%d", day, &hh, &mm) < 1 ||
	    datein_parse(day, datein_today((int64_t)time(NULL)), &d) !=
	    DATEIN_OK || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
		ui_prompt(u, form_label(fs.form), text, form_typed);
		ui_message(u, 1, "%s", _("Type a date and a time, e.g. morgen "
		    "13:30."));
		return;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_isdst = -1;
	r.case_id = fs.id;
	r.scheduled_start = (int64_t)mktime(&tm);
	form_send(u, TAFEL__ENVELOPE__BODY_PLAN_MDO, &r);
}

static void
mdo_planned(struct ui *u)
{
	ui_message(u, 0, _("MDO for case %s planned; only the organisations "
	    "involved are invited."), fs.what);
}

static const struct form mdo_form = {
	.label = N_("MDO for case %s on (date time)"),
	.send = mdo_send,
	.refused = retry_refused,
	.accepted = mdo_planned,
};

void
forms_case_mdo(struct ui *u)
{
	if (case_begin(u))
		form_start(u, &mdo_form, "");
}

/* L: links an action point of the case to a goal ("2 1": action point 2 of
 * the list to goal 1; goal 0 unlinks). */
static void
link_send(struct ui *u, const char *text)
{
	const Tafel__CaseDetail *d = view_case_detail(u);
	Tafel__UpdateActionRequest r = TAFEL__UPDATE_ACTION_REQUEST__INIT;
	const Tafel__ActionPoint *a;
	int an = 0, gn = -1;

	if (d == NULL || sscanf(text, "%d %d", &an, &gn) != 2 || an < 1 ||
	    (size_t)an > d->n_actions || gn < 0 || (size_t)gn > d->n_goals) {
		ui_prompt(u, form_label(fs.form), text, form_typed);
		ui_message(u, 1, "%s", _("Type the number of the action point, "
		    "then of the goal (0: none), e.g. 1 2."));
		return;
	}
	a = d->actions[an - 1];
	fs.user_id = gn;
	r.id = a->id;
	r.version = a->version;
	r.description = a->description;
	r.owner_org_id = a->owner_org_id;
	r.owner_user_id = a->owner_user_id;
	r.due_date = a->due_date;
	r.goal_id = gn > 0 ? d->goals[gn - 1]->id : 0;
	form_send(u, TAFEL__ENVELOPE__BODY_UPDATE_ACTION, &r);
}

static void
linked(struct ui *u)
{
	if (fs.user_id > 0)
		ui_message(u, 0, _("Action point linked to goal %d."),
		    (int)fs.user_id);
	else
		ui_message(u, 0, "%s", _("Action point no longer linked to a "
		    "goal."));
}

static const struct form link_form = {
	.label = N_("Link action point to goal (numbers, e.g. 1 2)"),
	.send = link_send,
	.refused = retry_refused,
	.accepted = linked,
};

void
forms_case_link(struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail(u);

	if (!case_begin(u))
		return;
	if (d->n_actions == 0 || d->n_goals == 0) {
		ui_message(u, 1, "%s", d->n_goals == 0 ? _("The case has no goals "
		    "yet (g).") : _("The case has no action points yet."));
		return;
	}
	form_start(u, &link_form, "");
}

/* --- planning: plan, move and cancel meetings ----------------------------- */

/* N: series → first date → time → every N weeks (0: once) → until. */
static struct {
	Tafel__SeriesList *series;	/* list_series answer, owned */
	int64_t series_id;
	char first[16], time[8], until[16];
	unsigned every;
} plan;

static void
plan_send(struct ui *u, const char *unused)
{
	Tafel__PlanMeetingsRequest r = TAFEL__PLAN_MEETINGS_REQUEST__INIT;

	r.series_id = plan.series_id;
	r.first_date = plan.first;
	r.time = plan.time;
	r.every_weeks = plan.every;
	r.until = plan.until;
	form_send(u, TAFEL__ENVELOPE__BODY_PLAN_MEETINGS, &r);
}

static void
planned(struct ui *u)
{
	size_t n = fs.reply != NULL && fs.reply->body_case ==
	    TAFEL__ENVELOPE__BODY_MEETING_LIST ?
	    fs.reply->meeting_list->n_meetings : 0;

	ui_message(u, 0, _("%zu meeting(s) of %s planned."), n, fs.what);
}

static const struct form plan_form = {
	.label = NULL,
	.send = plan_send,
	.refused = NULL,
	.accepted = planned,
};

static void
plan_until(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	if (!date_field(text, plan.until, sizeof plan.until) ||
	    plan.until[0] == '\0') {
		ui_prompt(u, _("Until (date)"), text, plan_until);
		ui_message(u, 1, "%s", _("Not a date (e.g. 8-12-2026, +7)."));
		return;
	}
	fs.form = &plan_form;
	plan_send(u, "");
}

static void
plan_every(struct ui *u, const char *text)
{
	char *end;
	long n;

	if (text == NULL)
		return;
	n = strtol(text, &end, 10);
	if (*text == '\0' || *end != '\0' || n < 0 || n > 52) {
		ui_prompt(u, _("Every how many weeks? (0: once)"), text,
		    plan_every);
		ui_message(u, 1, "%s", _("Type a number of weeks, 0 for one "
		    "meeting."));
		return;
	}
	plan.every = (unsigned)n;
	if (n == 0) {
		plan.until[0] = '\0';
		fs.form = &plan_form;
		plan_send(u, "");
		return;
	}
	ui_prompt(u, _("Until (date)"), "+90", plan_until);
}

static void
plan_time(struct ui *u, const char *text)
{
	int hh, mm;
	char rest;

	if (text == NULL)
		return;
	if (sscanf(text, "%d:%d%c", &hh, &mm, &rest) != 2 || hh < 0 ||
	    hh > 23 || mm < 0 || mm > 59) {
		ui_prompt(u, _("Time (HH:MM)"), text, plan_time);
		ui_message(u, 1, "%s", _("Type the time as 13:30."));
		return;
	}
	snprintf(plan.time, sizeof plan.time, "%02d:%02d", hh, mm);
	ui_prompt(u, _("Every how many weeks? (0: once)"), "0", plan_every);
}

static void
plan_first(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	if (!date_field(text, plan.first, sizeof plan.first) ||
	    plan.first[0] == '\0') {
		ui_prompt(u, _("First date"), text, plan_first);
		ui_message(u, 1, "%s", _("Not a date (e.g. 8-12-2026, +7)."));
		return;
	}
	ui_prompt(u, _("Time (HH:MM)"), "13:30", plan_time);
}

static void
plan_series(struct ui *u, const char *text)
{
	size_t len;

	if (text == NULL || plan.series == NULL)
		return;
	len = strlen(text);
	plan.series_id = 0;
	for (int exact = 1; exact >= 0 && plan.series_id == 0; exact--)
		for (size_t i = 0; i < plan.series->n_series; i++) {
			const Tafel__Series *s = plan.series->series[i];

			if (exact ? strcasecmp(s->name, text) == 0 :
			    len > 0 && strncasecmp(s->name, text, len) == 0) {
				plan.series_id = s->id;
				quote(fs.what, sizeof fs.what, s->name);
				break;
			}
		}
	if (plan.series_id == 0) {
		ui_prompt(u, _("Plan meetings of series"), text, plan_series);
		ui_message(u, 1, "%s", _("No such series."));
		return;
	}
	ui_prompt(u, _("First date"), "", plan_first);
}

static void
on_series(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	char names[300] = "";

	if (m == NULL)
		return;
	if (m->body_case != TAFEL__ENVELOPE__BODY_SERIES_LIST) {
		if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
			ui_show_error(u, m->error);
		return;
	}
	if (plan.series != NULL)
		protobuf_c_message_free_unpacked(&plan.series->base, NULL);
	plan.series = (Tafel__SeriesList *)model_dup(&m->series_list->base);
	if (plan.series->n_series == 0) {
		ui_message(u, 1, "%s", _("Your organisation takes part in no "
		    "series."));
		return;
	}
	for (size_t i = 0; i < plan.series->n_series; i++)
		snprintf(names + strlen(names), sizeof names - strlen(names),
		    "%s%s", i ? ", " : "", plan.series->series[i]->name);
	ui_prompt(u, _("Plan meetings of series"),
	    plan.series->series[0]->name, plan_series);
	ui_message(u, 0, _("Series: %s"), names);
}

void
forms_plan_meetings(struct ui *u)
{
	Tafel__ListSeriesRequest r = TAFEL__LIST_SERIES_REQUEST__INIT;

	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_SERIES, &r,
	    NET_REQ_READ, NULL, on_series, u);
}

static int
meeting_refused(struct ui *u, const Tafel__Error *e)
{
	if (e->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_MEETING)
		fs.version = e->current_meeting->version;
	return 1;
}

/* V: a planned meeting to another day and time. */
static void
move_meeting_send(struct ui *u, const char *text)
{
	Tafel__MoveMeetingRequest r = TAFEL__MOVE_MEETING_REQUEST__INIT;
	struct datein_day d;
	int hh = 0, mm = 0;
	char day[64];
	struct tm tm;

	if (sscanf(text, "%63s %d:%d", day, &hh, &mm) != 3 ||
	    datein_parse(day, datein_today((int64_t)time(NULL)), &d) !=
	    DATEIN_OK || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
		ui_prompt(u, form_label(fs.form), text, form_typed);
		ui_message(u, 1, "%s", _("Type a date and a time, e.g. morgen "
		    "13:30."));
		return;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_isdst = -1;
	r.meeting_id = fs.id;
	r.version = fs.version;
	r.scheduled_start = (int64_t)mktime(&tm);
	form_send(u, TAFEL__ENVELOPE__BODY_MOVE_MEETING, &r);
}

static void
meeting_moved(struct ui *u)
{
	ui_message(u, 0, _("Meeting %s moved."), fs.what);
}

static const struct form move_meeting_form = {
	.label = N_("Move meeting %s to (date time)"),
	.send = move_meeting_send,
	.refused = meeting_refused,
	.accepted = meeting_moved,
};

static void
cancel_meeting_send(struct ui *u, const char *text)
{
	Tafel__CancelMeetingRequest r = TAFEL__CANCEL_MEETING_REQUEST__INIT;

	r.meeting_id = fs.id;
	r.version = fs.version;
	r.reason = (char *)text;
	form_send(u, TAFEL__ENVELOPE__BODY_CANCEL_MEETING, &r);
}

static void
meeting_cancelled(struct ui *u)
{
	ui_message(u, 0, _("Meeting %s cancelled."), fs.what);
}

static const struct form cancel_meeting_form = {
	.label = N_("Cancel meeting %s, reason"),
	.send = cancel_meeting_send,
	.refused = meeting_refused,
	.accepted = meeting_cancelled,
};

static int
planned_meeting(struct ui *u)
{
	const Tafel__Meeting *m = view_meetings_selected(u);
	char when[40], series[80];

	if (m == NULL) {
		ui_message(u, 1, "%s", _("No meeting selected."));
		return 0;
	}
	if (m->state != TAFEL__MEETING_STATE__MEETING_PLANNED) {
		ui_message(u, 1, "%s", _("Only a planned meeting can be moved or "
		    "cancelled."));
		return 0;
	}
	fs.id = m->id;
	fs.version = m->version;
	ui_date(m->scheduled_start, when, sizeof when);
	/* short enough for the prompt and the status line */
	layout_fit(series, sizeof series, m->series_name, 16);
	for (size_t n = strlen(series); n > 0 && series[n - 1] == ' '; n--)
		series[n - 1] = '\0';
	snprintf(fs.what, sizeof fs.what, "'%s%s' %s", series,
	    layout_width(m->series_name) > 16 ? "…" : "", when);
	return 1;
}

void
forms_move_meeting(struct ui *u)
{
	if (planned_meeting(u))
		form_start(u, &move_meeting_form, "");
}

void
forms_cancel_meeting(struct ui *u)
{
	if (planned_meeting(u))
		form_start(u, &cancel_meeting_form, "");
}

/* --- the agenda: remove and reorder --------------------------------------- */

static void
remove_confirmed(struct ui *u, const char *text)
{
	Tafel__RemoveAgendaItemRequest r =
	    TAFEL__REMOVE_AGENDA_ITEM_REQUEST__INIT;

	if (!ui_yes(text))
		return;
	r.item_id = fs.id;
	r.version = fs.version;
	ui_send(u, TAFEL__ENVELOPE__BODY_REMOVE_AGENDA_ITEM, &r, NET_REQ_WRITE,
	    NULL);
	ui_message(u, 0, _("Case %s taken off the agenda."), fs.what);
}

void
forms_remove_item(struct ui *u)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);
	char label[200];

	if (!need_meeting(u))
		return;
	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	fs.id = it->id;
	fs.version = it->version;
	snprintf(fs.what, sizeof fs.what, "%s", item_case(u, it));
	snprintf(label, sizeof label, _("Take case %s off the agenda? (y/n)"),
	    fs.what);
	ui_prompt(u, label, "", remove_confirmed);
}

/* J and K: the selected item one place down or up. */
static void
reorder(struct ui *u, int dir)
{
	Tafel__ReorderAgendaRequest r = TAFEL__REORDER_AGENDA_REQUEST__INIT;
	const Tafel__AgendaItem *it = view_meeting_item(u);
	int64_t ids[256];
	size_t n = 0, at = 0;

	if (!need_meeting(u) || it == NULL)
		return;
	for (size_t i = 0; i < u->meeting.agenda.n && n < 256; i++) {
		const Tafel__AgendaItem *x = model_item_at(&u->meeting, i);

		if (x->id == it->id)
			at = n;
		ids[n++] = x->id;
	}
	if ((dir < 0 && at == 0) || (dir > 0 && at + 1 >= n)) {
		ui_message(u, 1, "%s", dir < 0 ? _("Already the first item.") :
		    _("Already the last item."));
		return;
	}
	ids[at] = ids[at + dir];
	ids[at + dir] = it->id;
	r.meeting_id = u->meeting.meeting_id;
	r.n_item_ids = n;
	r.item_ids = ids;
	ui_send(u, TAFEL__ENVELOPE__BODY_REORDER_AGENDA, &r, NET_REQ_WRITE,
	    NULL);
}

void
forms_item_down(struct ui *u)
{
	reorder(u, 1);
}

void
forms_item_up(struct ui *u)
{
	reorder(u, -1);
}

/* --- nominations ------------------------------------------------------------ */

/* N in a case: the series (of those my organisation takes part in), then
 * the reason. */
static struct {
	Tafel__SeriesList *series;	/* list_series answer, owned */
	int64_t series_id;
} nom;

static void
nominate_send(struct ui *u, const char *text)
{
	Tafel__NominateCaseRequest r = TAFEL__NOMINATE_CASE_REQUEST__INIT;

	r.series_id = nom.series_id;
	r.case_id = fs.id;
	r.reason = (char *)text;
	form_send(u, TAFEL__ENVELOPE__BODY_NOMINATE_CASE, &r);
}

static void
nominated(struct ui *u)
{
	ui_message(u, 0, _("Case %s nominated; the chair decides."), fs.what);
}

static const struct form nominate_form = {
	.label = N_("Why discuss case %s? (reason)"),
	.send = nominate_send,
	.refused = retry_refused,
	.accepted = nominated,
};

static void
nominate_series(struct ui *u, const char *text)
{
	size_t len;

	if (text == NULL || nom.series == NULL)
		return;
	len = strlen(text);
	nom.series_id = 0;
	for (int exact = 1; exact >= 0 && nom.series_id == 0; exact--)
		for (size_t i = 0; i < nom.series->n_series; i++) {
			const Tafel__Series *s = nom.series->series[i];

			if (exact ? strcasecmp(s->name, text) == 0 :
			    len > 0 && strncasecmp(s->name, text, len) == 0) {
				nom.series_id = s->id;
				break;
			}
		}
	if (nom.series_id == 0) {
		ui_prompt(u, _("Nominate for series"), text,
		    nominate_series);
		ui_message(u, 1, "%s", _("No such series."));
		return;
	}
	form_start(u, &nominate_form, "");
}

static void
on_nominate_series(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_SERIES_LIST) {
		if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
			ui_show_error(u, m->error);
		return;
	}
	if (nom.series != NULL)
		protobuf_c_message_free_unpacked(&nom.series->base, NULL);
	nom.series = (Tafel__SeriesList *)model_dup(&m->series_list->base);
	if (nom.series->n_series == 0) {
		ui_message(u, 1, "%s", _("Your organisation takes part in no "
		    "series."));
		return;
	}
	ui_prompt(u, _("Nominate for series"),
	    nom.series->series[0]->name, nominate_series);
}

void
forms_nominate(struct ui *u)
{
	Tafel__ListSeriesRequest r = TAFEL__LIST_SERIES_REQUEST__INIT;

	if (!case_begin(u))
		return;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_SERIES, &r,
	    NET_REQ_READ, NULL, on_nominate_series, u);
}

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

static void
decided(struct ui *u)
{
	ui_message(u, 0, fs.present ? _("Case %s put on the agenda of the next "
	    "meeting.") : _("Nomination of case %s declined."), fs.what);
}

static const struct form decline_form = {
	.label = N_("Decline the nomination of case %s: reason"),
	.send = decide_send,
	.refused = retry_refused,
	.accepted = decided,
};

static const struct form accept_form = {
	.label = NULL,
	.send = decide_send,
	.refused = NULL,
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
	fs.form = &accept_form;
	decide_send(u, "");
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

static void
inbox_read(struct ui *u)
{
	if (fs.reply != NULL &&
	    fs.reply->body_case == TAFEL__ENVELOPE__BODY_INBOX_ENTRY)
		view_inbox_update(u, fs.reply->inbox_entry);
	ui_message(u, 0, _("Feedback on case %s marked as read."), fs.what);
}

static const struct form inbox_read_form = {
	.label = NULL,
	.send = inbox_read_send,
	.refused = NULL,
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
	fs.form = &inbox_read_form;
	inbox_read_send(u, "");
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
	.label = NULL,
	.send = proposal_accept_send,
	.refused = NULL,
	.accepted = proposal_decided,
};

static const struct form proposal_decline_form = {
	.label = N_("Decline the proposal of case %s: reason"),
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
	fs.form = &proposal_accept_form;
	proposal_accept_send(u, "");
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
	.label = NULL,
	.send = publish_send,
	.refused = NULL,
	.accepted = published,
};

void
forms_publish_agenda(struct ui *u)
{
	const Tafel__Meeting *m = u->meeting.meeting;

	if (m == NULL || m->state != TAFEL__MEETING_STATE__MEETING_PLANNED) {
		ui_message(u, 1, "%s", _("Only a planned meeting's agenda is "
		    "published."));
		return;
	}
	fs.id = m->id;
	fs.version = m->version;
	fs.form = &publish_form;
	publish_send(u, "");
}
