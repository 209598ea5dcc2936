/* The action point forms: new and editing (its own fields, drawn over the view), completing with feedback and cancelling with a reason. */
#include "forms.h"
#include "forms-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "datein.h"
#include "i18n.h"
#include "views.h"

/* The action point form's fields, in the order asked (action_fields[]). */
enum action_field {
	FIELD_DESCRIPTION,
	FIELD_OWNER,			/* owner organisation */
	FIELD_PERSON,			/* owner person, empty: the organisation */
	FIELD_DUE,
	FIELD_SENDING,			/* sent: shown until the answer */
	FIELD__COUNT = FIELD_SENDING
};

/* The action point form (new, or editing one), kept while the server may
 * still refuse it. */
struct action_form {
	int active;			/* on screen */
	int sending;			/* sent, no answer yet */
	int64_t case_id, meeting_id;
	int64_t action_id;		/* editing this action point, 0: new */
	int64_t version;		/* its version (or from a CONFLICT) */
	enum ui_view_id view;		/* drawn over this view */
	char case_number[32];
	char description[TAFEL_MAX_TEXT + 1];
	int description_hidden;		/* editing one whose text we may not see */
	int64_t owner_org_id;
	int64_t owner_user_id;
	int64_t goal_id;		/* kept on edit: the update is whole */
	char owner_user_name[200];
	char due_date[32];
	char old_due[32];		/* the date before editing */
	char org_typed[200];		/* the owner as shown and typed */
	char person_typed[200];		/* the person as shown and typed */
	struct {			/* editing: the record the form started
					 * from (or the CONFLICT's), to tell
					 * the user's own changes */
		char description[TAFEL_MAX_TEXT + 1];
		int64_t owner_org_id, owner_user_id, goal_id;
	} seen;
};

static struct action_form af;

/* --- the action point form ----------------------------------------------- */

/* description → owner organisation → owner person (typed, or chosen from
 * the organisation's people) → due date.  The same form creates and
 * edits. */
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

/* The organisations an owner can be chosen from: the register's (loaded
 * with the users), and those of the meeting, which come first. */
static const Tafel__Organisation *
org_at(struct ui *u, size_t i)
{
	size_t n = u->orgs != NULL ? u->orgs->n_organisations : 0;

	if (i < n)
		return u->orgs->organisations[i];
	i -= n;
	return i < u->meeting.orgs.n ? (const void *)u->meeting.orgs.v[i].msg :
	    NULL;
}

/*
 * An organisation by number, by its whole name, or by a part of its name
 * only one has (any case: "jeugd" is Bureau Jeugdzorg ...).  *several
 * counts the organisations a part fits when it fits more than one (0
 * then), with the first names in names.
 */
static int64_t
find_org(struct ui *u, const char *text, int *several, char *names,
    size_t len)
{
	char *end;
	long long id = strtoll(text, &end, 10);
	const Tafel__Organisation *o, *hit = NULL;
	int64_t seen[64];
	size_t n_seen = 0, used = 0;

	*several = 0;
	names[0] = '\0';
	if (*text != '\0' && *end == '\0')
		return id;
	for (size_t i = 0; (o = org_at(u, i)) != NULL; i++)
		if (strcasecmp(o->name, text) == 0)
			return o->id;
	for (size_t i = 0; (o = org_at(u, i)) != NULL; i++) {
		int dup = 0;

		if (!layout_match(o->name, text))
			continue;
		for (size_t k = 0; k < n_seen && !dup; k++)
			dup = seen[k] == o->id;	/* in both lists */
		if (dup)
			continue;
		if (n_seen < sizeof seen / sizeof seen[0])
			seen[n_seen++] = o->id;
		if (used + strlen(o->name) + 8 < len)
			used += (size_t)snprintf(names + used, len - used,
			    "%s%s", used > 0 ? ", " : "", o->name);
		else if (used + 5 < len && strstr(names, "…") == NULL)
			used += (size_t)snprintf(names + used, len - used,
			    ", …");
		(*several)++;
		hit = o;
	}
	if (*several == 1) {
		*several = 0;
		return hit->id;
	}
	return 0;
}

static void
action_send(struct ui *u)
{
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__UpdateActionRequest up = TAFEL__UPDATE_ACTION_REQUEST__INIT;
	struct action_form *f = &af;

	fs.form = &action_form;
	f->sending = 1;			/* shown until the answer */
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

/* The fields answered: sent. */
static void
action_typed(struct ui *u, const char *unused)
{
	action_send(u);
}

/* The names the owner fields show for the ids the form holds. */
static void
action_names(struct ui *u)
{
	const Tafel__Organisation *o = ui_org(u, af.owner_org_id);
	const Tafel__User *p = ui_user(u, af.owner_user_id);

	af.org_typed[0] = af.person_typed[0] = '\0';
	if (o != NULL)
		snprintf(af.org_typed, sizeof af.org_typed, "%s", o->name);
	else if (af.owner_org_id != 0)
		snprintf(af.org_typed, sizeof af.org_typed, "%lld",
		    (long long)af.owner_org_id);
	if (p != NULL)
		snprintf(af.person_typed, sizeof af.person_typed, "%s",
		    p->display_name);
	else if (af.owner_user_id != 0)
		snprintf(af.person_typed, sizeof af.person_typed, "%lld",
		    (long long)af.owner_user_id);
}

/* Remembers action point a as the record the form edits: what the user
 * changes is told from it. */
static void
action_seen(const Tafel__ActionPoint *a)
{
	af.version = a->version;
	snprintf(af.seen.description, sizeof af.seen.description, "%s",
	    a->description);
	af.seen.owner_org_id = a->owner_org_id;
	af.seen.owner_user_id = a->owner_user_id;
	af.seen.goal_id = a->goal_id;
	snprintf(af.old_due, sizeof af.old_due, "%s", a->due_date);
}

/*
 * After a CONFLICT: every field the user left as it was takes the current
 * record's value, so Enter through the fields does not undo the other's
 * change; the user's own changes stay (the message says the other's value
 * of a field both changed).  The owner organisation and person go
 * together: a person belongs to one organisation.
 */
static void
action_merge(const Tafel__ActionPoint *cur)
{
	if (strcmp(af.description, af.seen.description) == 0) {
		snprintf(af.description, sizeof af.description, "%s",
		    cur->description);
		af.description_hidden = cur->description[0] == '\0';
	}
	if (af.owner_org_id == af.seen.owner_org_id &&
	    af.owner_user_id == af.seen.owner_user_id) {
		af.owner_org_id = cur->owner_org_id;
		af.owner_user_id = cur->owner_user_id;
		snprintf(af.owner_user_name, sizeof af.owner_user_name, "%s",
		    cur->owner_user_name);
	}
	if (strcmp(af.due_date, af.old_due) == 0)
		snprintf(af.due_date, sizeof af.due_date, "%s", cur->due_date);
	if (af.goal_id == af.seen.goal_id)
		af.goal_id = cur->goal_id;
	action_seen(cur);
}

/* An edit of an action point finished meanwhile closes the form; one
 * changed meanwhile is merged with the current record. */
static int
action_form_refused(struct ui *u, const Tafel__Error *e)
{
	af.sending = 0;
	if (af.action_id != 0 && !action_refused(e, &af.version)) {
		af.active = 0;
		return 0;
	}
	if (af.action_id != 0 && e->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_ACTION_POINT)
		action_merge(e->current_action_point);
	return 1;
}

/* Back to the field the server objected to (by its request field name). */
static void
action_form_reopen(struct ui *u, const Tafel__Error *e)
{
	const char *field = e != NULL ? e->field : NULL;

	action_names(u);
	if (field != NULL && strcmp(field, "due_date") == 0)
		form_again(u, FIELD_DUE, NULL);
	else if (field != NULL && strcmp(field, "owner_user_id") == 0)
		form_again(u, FIELD_PERSON, NULL);
	else if (field != NULL && strcmp(field, "owner_org_id") == 0)
		form_again(u, FIELD_OWNER, NULL);
	else
		form_again(u, FIELD_DESCRIPTION, NULL);
}

static void
action_form_accepted(struct ui *u)
{
	af.active = 0;
	ui_message(u, 0, "%s", af.action_id != 0 ?
	    _("Action point updated.") : _("Action point recorded."));
}

static void
action_form_cancelled(struct ui *u)
{
	af.active = 0;
}

/* What is agreed: not blank, said at once (not after the last field);
 * blank is kept only where the text was hidden from us (the server
 * keeps it as it is). */
static const char *
description_check(struct ui *u, const char *text)
{
	(void)u;
	if (form_blank(text) && !af.description_hidden)
		return _("Type what is agreed: a description is required.");
	return NULL;
}

/* Organisation id becomes the owner; another one than before forgets the
 * person, who worked for the old one. */
static void
owner_set(struct ui *u, int64_t id)
{
	if (id != af.owner_org_id) {
		af.owner_user_id = 0;
		af.owner_user_name[0] = '\0';
		af.person_typed[0] = '\0';
	}
	af.owner_org_id = id;
	action_names(u);
}

/* The owner organisation chosen from the picker; none: back to the name
 * as typed. */
static void
org_picked(struct ui *u, const Tafel__Organisation *o)
{
	fs.form = &action_form;
	if (o == NULL) {
		form_again(u, FIELD_OWNER, NULL);
		return;
	}
	owner_set(u, o->id);
	form_again(u, FIELD_PERSON, NULL);
}

/* The owner organisation by number, name or a part of its name; a part
 * several names have opens the organisations that have it to choose from
 * (or, before they are loaded, says which they are). */
static const char *
owner_check(struct ui *u, const char *text)
{
	static char why[600];
	char names[400];
	int several;
	int64_t id = find_org(u, text, &several, names, sizeof names);

	if (id == 0 && several > 0 && u->orgs != NULL) {
		view_pick_org_open(u, _("Which organisation carries out the "
		    "action point? (Enter; Esc: back to typing)"), text,
		    org_picked);
		ui_message(u, 0, _("'%s' fits %d organisations: choose one."),
		    text, several);
		return form_pending;
	}
	if (id == 0 && several > 0) {
		snprintf(why, sizeof why, _("'%s' fits %d organisations: %s — "
		    "type more."), text, several, names);
		return why;
	}
	if (id == 0)
		return _("Unknown organisation.");
	owner_set(u, id);
	return NULL;
}

/* The owner chosen from the picker; none: back to typing the name. */
static void
person_picked(struct ui *u, const Tafel__User *p)
{
	fs.form = &action_form;
	if (p == NULL) {		/* the name as typed, to change */
		form_again(u, FIELD_PERSON, NULL);
		return;
	}
	af.owner_user_id = p->id;
	snprintf(af.owner_user_name, sizeof af.owner_user_name, "%s",
	    p->display_name);
	snprintf(af.person_typed, sizeof af.person_typed, "%s",
	    p->display_name);
	form_again(u, FIELD_DUE, NULL);
}

/* The owner person by name, login or number (empty: the organisation as
 * a whole); a name that is not one person opens the organisation's
 * people to choose from. */
static const char *
person_check(struct ui *u, const char *text)
{
	const Tafel__User *p;
	int several;

	if (text[0] == '\0') {
		af.owner_user_id = 0;
		af.owner_user_name[0] = '\0';
		return NULL;
	}
	p = find_user(u, af.owner_org_id, text, &several);
	if (p == NULL && u->orgs != NULL) {
		const Tafel__Organisation *o = ui_org(u, af.owner_org_id);
		char title[300];

		/* the organisation last: a long name gives way at 80
		 * columns, not the keys (the list names it too) */
		snprintf(title, sizeof title, _("Who carries out the action "
		    "point? (Enter; Esc: back to typing) · %s"),
		    o != NULL ? o->name : "?");
		view_pick_person_open(u, title, af.owner_org_id,
		    several ? text : NULL, 0, person_picked);
		if (!several)
			ui_message(u, 1, _("No one called '%s' there: choose from "
			    "the list."), text);
		return form_pending;
	}
	if (p == NULL || p->org_id != af.owner_org_id)
		return p == NULL ? _("No such person in the owner "
		    "organisation.") : _("This person does not belong to the "
		    "owner organisation.");
	af.owner_user_id = p->id;
	snprintf(af.owner_user_name, sizeof af.owner_user_name, "%s",
	    p->display_name);
	snprintf(af.person_typed, sizeof af.person_typed, "%s",
	    p->display_name);
	return NULL;
}

/* The answer to "the due date is in the past: keep it?"; n and Esc go
 * back to the due date (the answers typed before stay). */
static void
past_confirmed(struct ui *u, const char *text)
{
	fs.form = &action_form;
	if (ui_yes(text))
		action_send(u);
	else
		form_again(u, FIELD_DUE, NULL);
}

/* The due date as typed (8-12, morgen, +7, ...) becomes YYYY-MM-DD; empty:
 * the server says whether it is needed; a day in the past is only taken
 * when confirmed (or when it was already the action point's date). */
static const char *
due_check(struct ui *u, const char *text)
{
	struct datein_day d, today = datein_today((int64_t)time(NULL));
	char label[300];

	switch (datein_parse(text, today, &d)) {
	case DATEIN_EMPTY:
		return NULL;
	case DATEIN_INVALID:
		return date_refusal(text);
	default:
		break;
	}
	datein_format(d, af.due_date, sizeof af.due_date);
	if (datein_cmp(d, today) < 0 && strcmp(af.due_date, af.old_due) != 0) {
		snprintf(label, sizeof label, _("%s is in the past. Use it "
		    "anyway? (y/n)"), af.due_date);
		ui_ask_yesno(u, label, past_confirmed);
		return form_pending;
	}
	return NULL;
}

static const struct field action_fields[] = {
	[FIELD_DESCRIPTION] = { .label = N_("Description"), .kind = ASK_TEXT,
	  .text = af.description, .size = sizeof af.description,
	  .check = description_check },
	[FIELD_OWNER] = { .label = N_("Owner organisation (name or number)"),
	  .kind = ASK_TEXT, .text = af.org_typed, .size = sizeof af.org_typed,
	  .check = owner_check, .replace = 1 },
	[FIELD_PERSON] = { .label = N_("Owner person (name, login or number; "
	  "empty: the whole organisation)"), .kind = ASK_TEXT,
	  .text = af.person_typed, .size = sizeof af.person_typed,
	  .check = person_check, .replace = 1 },
	[FIELD_DUE] = { .label = N_("Due date (e.g. 8-12, tomorrow, +7)"),
	  .kind = ASK_TEXT, .text = af.due_date, .size = sizeof af.due_date,
	  .check = due_check, .replace = 1 },
	[FIELD__COUNT] = { .label = NULL }
};

static const struct form action_form = {
	.fields = action_fields,
	.send = action_typed,
	.refused = action_form_refused,
	.reopen = action_form_reopen,
	.accepted = action_form_accepted,
	.cancelled = action_form_cancelled,
};

/* The field on screen: being asked, or sending. */
static enum action_field
action_field(void)
{
	if (af.sending)
		return FIELD_SENDING;
	return fs.form == &action_form ? (enum action_field)fs.field :
	    FIELD_DESCRIPTION;
}

static int
action_form_busy(struct ui *u)
{
	if (af.active && af.sending) {
		ui_message(u, 1, "%s", _("The previous action point is still "
		    "being sent."));
		return 1;
	}
	return 0;
}

/* Opens the form with what af holds. */
static void
action_begin(struct ui *u)
{
	af.active = 1;
	action_names(u);
	form_ask(u, &action_form);
}

void
forms_add_action(struct ui *u)
{
	const Tafel__AgendaItem *it = view_meeting_item(u);
	const Tafel__Case *c;

	if (forms_after_step(u, forms_add_action))
		return;
	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	if (action_form_busy(u))
		return;
	memset(&af, 0, sizeof af);
	af.case_id = it->case_id;
	af.meeting_id = u->meeting.meeting_id;
	af.view = VIEW_MEETING;
	c = model_case(&u->meeting, it->case_id);
	if (c != NULL)
		snprintf(af.case_number, sizeof af.case_number, "%s",
		    c->number);
	action_begin(u);
}

/*
 * Who may change action point a of case c (the server's rule,
 * docs/protocol.md 7.3): its owner organisation, the case manager, a chair
 * or an administrator.  Without the case at hand (c NULL: its case manager
 * unknown) the server decides.
 */
int
forms_action_may_change_in(const struct ui *u, const Tafel__ActionPoint *a,
    const Tafel__Case *c)
{
	return u->is_chair || u->is_admin || a->owner_org_id == u->my_org_id ||
	    c == NULL || c->case_manager_id == u->my_user_id;
}

/* The same for an action point whose case the meeting model may hold. */
int
forms_action_may_change(const struct ui *u, const Tafel__ActionPoint *a)
{
	return forms_action_may_change_in(u, a, model_case(&u->meeting,
	    a->case_id));
}

/* The action point e, x and c/C work on: the view's chosen one. */
static const Tafel__ActionPoint *
open_action(struct ui *u)
{
	const Tafel__ActionPoint *a = UI_VIEW(u)->action != NULL ?
	    UI_VIEW(u)->action(u) : NULL;

	if (a == NULL) {
		ui_message(u, 1, "%s", _("No action point selected."));
		return NULL;
	}
	/* who may change it: said at once, where the server would answer
	 * "not found" so as not to confirm that an id it was asked about
	 * exists; first, since it holds whatever the state (a partner told
	 * only "no longer open" would take it that an open one is theirs) */
	if (!forms_action_may_change(u, a)) {
		ui_message(u, 1, "%s", _("Only its owner, the case manager or "
		    "a chair changes this action point."));
		return NULL;
	}
	if (a->state != TAFEL__ACTION_STATE__ACTION_OPEN) {
		ui_message(u, 1, "%s", _("This action point is no longer open."));
		return NULL;
	}
	return a;
}

/* e: the action point form, filled in with the action point as it is. */
void
forms_edit_action(struct ui *u)
{
	const Tafel__ActionPoint *a = open_action(u);
	const Tafel__Case *c;
	struct action_form *f = &af;

	if (a == NULL || action_form_busy(u))
		return;
	memset(f, 0, sizeof *f);
	f->action_id = a->id;
	action_seen(a);
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
	action_begin(u);
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
	const struct action_form *f = &af;
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
		    f->description[0] == '\0' && (int)action_field() != i) {
			v = _("(hidden from your organisation; kept as it is)");
			a = ui_attr(u, UI_A_DIM);
		}
		if ((int)action_field() == i && u->prompt.active) {
			/* the part around the cursor, as typed (also while
			 * "discard?" is asked) */
			ui_prompt_field(u, val, sizeof val, w - 29);
			v = val;
			a = ui_attr(u, UI_A_SELECTED);
		}
		layout_fit(lbl, sizeof lbl, _(labels[i]), 24);
		ui_putf(u->body, y + 2 + row * 2, x + 2, w - 4, 0, "%s", lbl);
		mvwchgat(u->body, y + 2 + row * 2, x + 27, w - 29, a, 0, NULL);
		ui_put(u->body, y + 2 + row * 2, x + 27, w - 29, a, v);
		row++;
	}
	if (action_field() == FIELD_SENDING)
		ui_put(u->body, y + h - 1, x + 2, w - 4, ui_attr(u, UI_A_TITLE),
		    net_get_state(u->net) == NET_READY ? _(" Sending… ") :
		    _(" Waiting for the connection… "));
	else	/* Enter on the last field sends: the box says so */
		ui_put(u->body, y + h - 1, x + 2, w - 4, ui_attr(u, UI_A_DIM),
		    action_field() == FIELD_DUE ?
		    _(" Enter send · Esc cancel · Ctrl-U clear ") :
		    _(" Enter next field · Esc cancel · Ctrl-U clear "));
}

/* --- completing and cancelling an action point --------------------------- */

/* Completing (feedback for the submitter) and cancelling (a reason: it
 * reaches the submitter's inbox too) both need their text, refused here
 * when empty before anything is sent; on CONFLICT a still open one is
 * finished with its new version; one finished meanwhile is left alone. */
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

/*
 * Where the feedback of an action point finished here went.  The server
 * makes an inbox entry for the submitting organisation in the same
 * transaction, but none when the case was submitted by the writer's own
 * organisation (docs/protocol.md 7.12), so the answer alone promises
 * nothing.  The entry is logged just before the write's own change, so
 * its event may come before or after the form learns that the write
 * landed: whichever comes second says it.
 */
static struct {
	int64_t action_id;	/* finished here (0: none) */
	int64_t sent_id;	/* its entry seen (0: none yet) */
	Tafel__InboxKind kind;
	char to[160];		/* the recipient organisation */
} fb;

static void
feedback_say(struct ui *u)
{
	/* it takes the place of the completion's own message, and stays as
	 * long (until a key, when the change waited for the connection) */
	int kept = u->message_kept;

	/* short: the organisation's name is long enough (80 columns) */
	if (fb.kind == TAFEL__INBOX_KIND__INBOX_ACTION_DONE)
		ui_message(u, 0, _("Completed; feedback sent to %s (inbox)."),
		    fb.to);
	else
		ui_message(u, 0, _("Cancelled; the reason sent to %s (inbox)."),
		    fb.to);
	u->message_kept |= kept;
	fb.action_id = fb.sent_id = 0;
}

static void
finished(struct ui *u, int cancel)
{
	if (fb.sent_id != fs.id)
		fb.sent_id = 0;		/* an older one's entry */
	fb.action_id = fs.id;
	if (fb.sent_id != 0)
		feedback_say(u);
	else if (cancel)
		ui_message(u, 0, _("Action point %s cancelled."), fs.what);
	else
		ui_message(u, 0, _("Action point %s completed."), fs.what);
}

static void
completed(struct ui *u)
{
	finished(u, 0);
}

static void
cancelled(struct ui *u)
{
	finished(u, 1);
}

void
forms_action_feedback_sent(struct ui *u, const Tafel__InboxEntry *e)
{
	if (!e->sent_by_me || e->read_at != 0 || e->action_point == NULL ||
	    (e->kind != TAFEL__INBOX_KIND__INBOX_ACTION_DONE &&
	    e->kind != TAFEL__INBOX_KIND__INBOX_ACTION_CANCELLED))
		return;
	fb.sent_id = e->action_point->id;
	fb.kind = e->kind;
	snprintf(fb.to, sizeof fb.to, "%s", e->recipient_org_name);
	if (fb.action_id == fb.sent_id)
		feedback_say(u);
}

static const struct field complete_fields[] = {
	{ .label = N_("Complete %s — feedback for the submitter"),
	  .kind = ASK_TEXT, .required = 1,
	  .missing = N_("Type the feedback for the submitter: an action "
	  "point is not completed without it.") },
	{ .label = NULL }
};

/* The submitter is the user's own organisation: no feedback goes out
 * (protocol.md 7.12), but the server keeps a note all the same. */
static const struct field complete_own_fields[] = {
	{ .label = N_("Complete %s — note (own case)"),
	  .kind = ASK_TEXT, .required = 1,
	  .missing = N_("Type what was done; own case: no feedback is "
	  "sent.") },
	{ .label = NULL }
};

static const struct field cancel_fields[] = {
	{ .label = N_("Cancel action point %s? Reason"), .kind = ASK_TEXT,
	  .required = 1, .missing = N_("Type the reason for cancelling: the "
	  "submitter is told it. Esc keeps the action point.") },
	{ .label = NULL }
};

/* The submitter is the user's own organisation: the reason stays with
 * the action point, nobody is told. */
static const struct field cancel_own_fields[] = {
	{ .label = N_("Cancel action point %s? Reason (own case)"),
	  .kind = ASK_TEXT, .required = 1, .missing = N_("Type the reason "
	  "for cancelling; own case: nobody else is told. Esc keeps the "
	  "action point.") },
	{ .label = NULL }
};

static const struct form complete_form = {
	.fields = complete_fields,
	.send = complete_send,
	.refused = finish_refused,
	.accepted = completed,
};

static const struct form complete_own_form = {
	.fields = complete_own_fields,
	.send = complete_send,
	.refused = finish_refused,
	.accepted = completed,
};

static const struct form cancel_form = {
	.fields = cancel_fields,
	.send = cancel_send,
	.refused = finish_refused,
	.accepted = cancelled,
};

static const struct form cancel_own_form = {
	.fields = cancel_own_fields,
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

/* Whether the case of the action point was submitted by the user's own
 * organisation, as far as the client knows the case (the meeting, the
 * live case list, the case on screen); unknown: no. */
static int
own_submitter(struct ui *u, int64_t case_id)
{
	const Tafel__Case *c = model_case(&u->meeting, case_id);
	const Tafel__CaseDetail *d;

	if (c == NULL)
		c = view_cases_find(case_id);
	if (c == NULL && (d = view_case_detail(u)) != NULL &&
	    d->case_ != NULL && d->case_->id == case_id)
		c = d->case_;
	return c != NULL && c->submitter_org_id == u->my_org_id;
}

void
forms_complete_action(struct ui *u)
{
	/* (finish_ask checks it and says why not) */
	const Tafel__ActionPoint *a = UI_VIEW(u)->action != NULL ?
	    UI_VIEW(u)->action(u) : NULL;

	finish_ask(u, a != NULL && own_submitter(u, a->case_id) ?
	    &complete_own_form : &complete_form);
}

void
forms_cancel_action(struct ui *u)
{
	const Tafel__ActionPoint *a = UI_VIEW(u)->action != NULL ?
	    UI_VIEW(u)->action(u) : NULL;

	finish_ask(u, a != NULL && own_submitter(u, a->case_id) ?
	    &cancel_own_form : &cancel_form);
}
