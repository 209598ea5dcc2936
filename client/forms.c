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
		f->accepted(u);
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
