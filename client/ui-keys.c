/* Key bindings: one table with names and help texts drives dispatch, the footer and the help view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "ui.h"

#define V(x) VIEW_BIT(VIEW_##x)

/* --- helpers ------------------------------------------------------------- */

static const Tafel__AgendaItem *
selected_item(struct ui *u)
{
	return model_item(&u->meeting, u->meeting.selected_item_id);
}

static int
need_meeting(struct ui *u)
{
	if (u->meeting.meeting == NULL) {
		ui_message(u, 1, "%s", _("No meeting loaded yet."));
		return 0;
	}
	return 1;
}

static void load_cases(struct ui *u);

/* --- navigation ---------------------------------------------------------- */

static void
quit_confirmed(struct ui *u, const char *text)
{
	if (ui_yes(text))
		u->quit = 1;
}

/* q at the top: quit, but ask when changes are still waiting to be sent. */
static void
k_quit(struct ui *u)
{
	if (u->filter[u->view][0] != '\0') {	/* first q: the search goes */
		u->filter[u->view][0] = '\0';
		ui_dirty(u);
		return;
	}
	if (net_pending(u->net) > 0 && net_get_state(u->net) != NET_READY) {
		ui_prompt(u, _("Changes are not sent yet. Quit anyway? (y/n)"), "",
		    quit_confirmed);
		return;
	}
	u->quit = 1;
}

/* q elsewhere: clear the filter, or leave beamer mode, or go back. */
static void
k_q_back(struct ui *u)
{
	if (u->filter[u->view][0] != '\0') {
		u->filter[u->view][0] = '\0';
		ui_dirty(u);
		return;
	}
	if (u->view == VIEW_MEETING && u->presentation) {
		ui_set_presentation(u, 0);
		return;
	}
	if (u->view == VIEW_PICK_CASE) {	/* it belongs to the meeting */
		ui_set_view(u, VIEW_MEETING);
		return;
	}
	ui_set_view(u, u->view == u->back || u->view == VIEW_MEETING ?
	    VIEW_MEETINGS : u->back);
}

static void
filter_done(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	snprintf(u->filter[u->view], sizeof u->filter[u->view], "%s", text);
	if (u->view == VIEW_MEETINGS)
		u->sel_meeting = 0;
	else if (u->view == VIEW_PICK_CASE)
		u->sel_pick = 0;
	else
		u->sel_action = 0;
	ui_dirty(u);
}

static void
k_filter(struct ui *u)
{
	ui_prompt(u, _("Search"), u->filter[u->view], filter_done);
}

static void
k_past(struct ui *u)
{
	u->hide_past = !u->hide_past;
	u->sel_meeting = 0;
	ui_message(u, 0, "%s", u->hide_past ? _("Past meetings hidden.") :
	    _("Past meetings shown."));
}

static void
k_presentation(struct ui *u)
{
	ui_set_presentation(u, !u->presentation);
}

static void
k_help(struct ui *u)
{
	u->help_scroll = 0;
	ui_set_view(u, VIEW_HELP);
}

static void
k_back(struct ui *u)
{
	if (u->view == VIEW_PICK_CASE) {
		ui_set_view(u, VIEW_MEETING);
		return;
	}
	ui_set_view(u, u->view == u->back ? VIEW_MEETINGS : u->back);
}

static void
k_meetings(struct ui *u)
{
	if (net_get_state(u->net) == NET_READY)
		ui_refresh_lists(u);	/* states and times may have changed */
	ui_set_view(u, VIEW_MEETINGS);
}

static void
k_meeting(struct ui *u)
{
	if (u->meeting.meeting_id == 0) {
		ui_message(u, 1, "%s", _("Choose a meeting first."));
		return;
	}
	ui_set_view(u, VIEW_MEETING);
}

static void
k_actions(struct ui *u)
{
	u->sel_action = 0;
	ui_set_view(u, VIEW_ACTIONS);
}

static void
move_sel(struct ui *u, int dir)
{
	const Tafel__ActionPoint *list[512];
	const Tafel__Meeting *ms[512];
	const Tafel__Case *cs[1024];
	size_t n;

	switch (u->view) {
	case VIEW_PICK_CASE:
		n = view_pick_case_list(u, cs, sizeof cs / sizeof cs[0]);
		ui_list_step(&u->sel_pick, n, dir);
		break;
	case VIEW_MEETINGS:
		n = ui_meetings_shown(u, ms, 512);
		if (n > 0)
			ui_list_step(&u->sel_meeting, n, dir);
		break;
	case VIEW_MEETING:
		model_select_step(&u->meeting, dir);	/* detaches */
		break;
	case VIEW_ACTIONS:
		n = view_actions_list(u, list, 512);
		ui_list_step(&u->sel_action, n, dir);
		break;
	case VIEW_HELP:
	case VIEW_CASE:
		u->help_scroll += dir;
		if (u->help_scroll < 0)
			u->help_scroll = 0;
		break;
	default:
		break;
	}
	ui_dirty(u);
}

static void
k_up(struct ui *u)
{
	move_sel(u, -1);
}

static void
k_down(struct ui *u)
{
	move_sel(u, 1);
}

static void
k_enter(struct ui *u)
{
	const Tafel__ActionPoint *list[512];
	const Tafel__Meeting *ms[512];
	const Tafel__AgendaItem *it;
	size_t n;

	switch (u->view) {
	case VIEW_MEETINGS:
		n = ui_meetings_shown(u, ms, 512);
		if (u->sel_meeting < n)
			ui_open_meeting(u, ms[u->sel_meeting]->id);
		break;
	case VIEW_MEETING:
		it = selected_item(u);
		if (it != NULL) {
			u->help_scroll = 0;
			ui_open_case(u, it->case_id);
		}
		break;
	case VIEW_ACTIONS:
		n = view_actions_list(u, list, 512);
		if (u->sel_action < n) {
			u->help_scroll = 0;
			ui_open_case(u, list[u->sel_action]->case_id);
		}
		break;
	default:
		break;
	}
}

/* A mouse click on a list row selects it; a double click opens it. */
static void
k_mouse(struct ui *u)
{
	MEVENT ev;
	int y;
	size_t idx;

	if (getmouse(&ev) != OK)
		return;
	y = ev.y - 1;			/* the body starts below the top line */
	if (u->click_n == 0 || y < u->click_y0)
		return;
	idx = u->click_first + (size_t)(y - u->click_y0);
	if (idx >= u->click_n)
		return;
	switch (u->view) {
	case VIEW_MEETINGS:
		u->sel_meeting = idx;
		break;
	case VIEW_MEETING:
		if (idx < u->meeting.agenda.n)
			model_select(&u->meeting, u->meeting.agenda.v[idx].id);
		break;
	case VIEW_ACTIONS:
		u->sel_action = idx;
		break;
	case VIEW_PICK_CASE:
		u->sel_pick = idx;	/* a double click does not add it */
		ui_dirty(u);
		return;
	default:
		return;
	}
	ui_dirty(u);
	if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
		k_enter(u);
}

static void
k_follow(struct ui *u)
{
	model_follow(&u->meeting);
	ui_dirty(u);
}

static void
k_reconnect(struct ui *u)
{
	if (net_get_state(u->net) == NET_DISCONNECTED ||
	    net_get_state(u->net) == NET_BACKOFF)
		net_start(u->net);
	else if (net_get_state(u->net) == NET_READY) {
		ui_refresh_lists(u);
		if (u->view == VIEW_PICK_CASE)
			load_cases(u);
	}
	ui_dirty(u);
}

/* --- chair --------------------------------------------------------------- */

static void
set_current(struct ui *u, int64_t item)
{
	Tafel__SetCurrentItemRequest r = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;

	r.meeting_id = u->meeting.meeting_id;
	r.item_id = item;
	ui_send(u, TAFEL__ENVELOPE__BODY_SET_CURRENT_ITEM, &r, NET_REQ_WRITE,
	    NULL);
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

static void
k_next(struct ui *u)
{
	step_item(u, 1);
}

static void
k_prev(struct ui *u)
{
	step_item(u, -1);
}

/* The answer to open_meeting may warn that nobody but the chair is present. */
static void
meeting_state_sent(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_MEETING &&
	    strcmp(m->meeting->warning, "nobody_present") == 0)
		ui_message(u, 1, "%s", _("Opened, but nobody else is recorded "
		    "present: record the attendance (A)."));
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
	    meeting_state_sent);
}

static void
k_open(struct ui *u)
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

static void
k_close(struct ui *u)
{
	if (need_meeting(u))
		ui_prompt(u, _("Close the meeting? (y/n)"), "", close_confirmed);
}

static void decision_done(struct ui *u, const char *text);

/* On an error the prompt opens again with what was typed; on CONFLICT the
 * message shows the decision as it is now, and the next try uses its version. */
static void
decision_sent(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL)
		return;
	if (m->body_case != TAFEL__ENVELOPE__BODY_ERROR) {
		ui_message(u, 0, "%s", _("Saved."));
		return;
	}
	if (m->error->current_record_case ==
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_AGENDA_ITEM)
		u->form_item_version = m->error->current_agenda_item->version;
	ui_prompt(u, _("Decision"), u->form_text, decision_done);
	ui_show_error(u, m->error);
}

static void
decision_done(struct ui *u, const char *text)
{
	Tafel__RecordDecisionRequest r = TAFEL__RECORD_DECISION_REQUEST__INIT;

	if (text == NULL)
		return;
	snprintf(u->form_text, sizeof u->form_text, "%s", text);
	/* the item and version seen when the prompt opened: a change by
	 * someone else meanwhile gives CONFLICT instead of being overwritten */
	r.item_id = u->form_item_id;
	r.version = u->form_item_version;
	r.decision = (char *)text;
	ui_send(u, TAFEL__ENVELOPE__BODY_RECORD_DECISION, &r, NET_REQ_WRITE,
	    decision_sent);
}

static void
k_decision(struct ui *u)
{
	const Tafel__AgendaItem *it = selected_item(u);

	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	u->form_item_id = it->id;
	u->form_item_version = it->version;
	ui_prompt(u, _("Decision"), it->decision, decision_done);
}

/* The action point form: description → owner organisation → (when editing:
 * owner person →) due date.  The same form creates and edits. */
static void form_owner(struct ui *u, const char *text);
static void form_person(struct ui *u, const char *text);
static void form_due(struct ui *u, const char *text);
static void form_description(struct ui *u, const char *text);

static const Tafel__User *
user_by_id(struct ui *u, int64_t id)
{
	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_users; i++)
		if (u->orgs->users[i]->id == id)
			return u->orgs->users[i];
	return NULL;
}

/* A user by number or login. */
static const Tafel__User *
find_user(struct ui *u, const char *text)
{
	char *end;
	long long id = strtoll(text, &end, 10);

	if (*text != '\0' && *end == '\0')
		return user_by_id(u, id);
	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_users; i++)
		if (strcasecmp(u->orgs->users[i]->login, text) == 0)
			return u->orgs->users[i];
	return NULL;
}

/* Opens the prompt of one field, with what the form holds. */
static void
form_ask(struct ui *u, int field)
{
	char text[200] = "";
	const Tafel__Organisation *o;
	const Tafel__User *p;

	u->form_active = 1;
	u->form_field = field;
	switch (field) {
	case FORM_DUE:
		ui_prompt(u, _("Due date (YYYY-MM-DD)"), u->form.due_date,
		    form_due);
		break;
	case FORM_OWNER:
		if (u->form.owner_org_id != 0) {
			o = ui_org(u, u->form.owner_org_id);
			if (o != NULL)
				snprintf(text, sizeof text, "%s", o->name);
			else
				snprintf(text, sizeof text, "%lld",
				    (long long)u->form.owner_org_id);
		}
		ui_prompt(u, _("Owner organisation (name or number)"), text,
		    form_owner);
		break;
	case FORM_PERSON:
		if (u->form.owner_user_id != 0) {
			p = user_by_id(u, u->form.owner_user_id);
			if (p != NULL)
				snprintf(text, sizeof text, "%s", p->login);
			else
				snprintf(text, sizeof text, "%lld",
				    (long long)u->form.owner_user_id);
		}
		ui_prompt(u, _("Owner person (login or number; empty: the "
		    "whole organisation)"), text, form_person);
		break;
	default:
		u->form_field = FORM_DESCRIPTION;
		ui_prompt(u, _("Action point"), u->form.description,
		    form_description);
		break;
	}
}

/* Back to the field the server objected to (by its request field name). */
static void
form_reopen(struct ui *u, const char *field)
{
	int edit = u->form.action_id != 0;

	if (field != NULL && strcmp(field, "due_date") == 0)
		form_ask(u, FORM_DUE);
	else if (field != NULL && strcmp(field, "owner_user_id") == 0)
		form_ask(u, edit ? FORM_PERSON : FORM_OWNER);
	else if (field != NULL && strcmp(field, "owner_org_id") == 0)
		form_ask(u, FORM_OWNER);
	else
		form_ask(u, FORM_DESCRIPTION);
}

static void
form_sent(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	int edit = u->form.action_id != 0;

	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		const Tafel__ActionPoint *cur = m->error->current_record_case ==
		    TAFEL__ERROR__CURRENT_RECORD_CURRENT_ACTION_POINT ?
		    m->error->current_action_point : NULL;

		if (edit && cur != NULL) {
			if (cur->state != TAFEL__ACTION_STATE__ACTION_OPEN) {
				/* finished meanwhile: nothing left to edit */
				u->form_active = 0;
				ui_show_error(u, m->error);
				return;
			}
			/* CONFLICT: the message shows the record as it is
			 * now; the next try uses its version */
			u->form.version = cur->version;
		}
		/* keep the form: reopen the field the server objected to */
		form_reopen(u, m->error->field);
		ui_show_error(u, m->error);
		return;
	}
	u->form_active = 0;
	ui_message(u, 0, "%s", edit ? _("Action point updated.") :
	    _("Action point recorded."));
}

static void
form_send(struct ui *u)
{
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__UpdateActionRequest up = TAFEL__UPDATE_ACTION_REQUEST__INIT;

	if (u->form.action_id != 0) {
		up.id = u->form.action_id;
		up.version = u->form.version;
		up.description = u->form.description;
		up.owner_org_id = u->form.owner_org_id;
		up.owner_user_id = u->form.owner_user_id;
		up.due_date = u->form.due_date;
		ui_send(u, TAFEL__ENVELOPE__BODY_UPDATE_ACTION, &up,
		    NET_REQ_WRITE, form_sent);
		return;
	}
	r.case_id = u->form.case_id;
	r.meeting_id = u->form.meeting_id;
	r.description = u->form.description;
	r.owner_org_id = u->form.owner_org_id;
	r.owner_user_id = u->form.owner_user_id;
	r.due_date = u->form.due_date;
	ui_send(u, TAFEL__ENVELOPE__BODY_CREATE_ACTION, &r, NET_REQ_WRITE,
	    form_sent);
}

static void
form_due(struct ui *u, const char *text)
{
	if (text == NULL) {
		u->form_active = 0;
		return;
	}
	snprintf(u->form.due_date, sizeof u->form.due_date, "%s", text);
	u->form_field = FORM_SENDING;	/* shown until the answer */
	form_send(u);
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
form_owner(struct ui *u, const char *text)
{
	int64_t id;

	if (text == NULL) {
		u->form_active = 0;
		return;
	}
	id = find_org(u, text);
	if (id == 0) {
		ui_prompt(u, _("Owner organisation (name or number)"), text,
		    form_owner);
		ui_message(u, 1, "%s", _("Unknown organisation."));
		return;
	}
	if (id != u->form.owner_org_id) {
		/* the person worked for the old owner */
		u->form.owner_user_id = 0;
		u->form.owner_user_name[0] = '\0';
	}
	u->form.owner_org_id = id;
	form_ask(u, u->form.action_id != 0 ? FORM_PERSON : FORM_DUE);
}

static void
form_person(struct ui *u, const char *text)
{
	const Tafel__User *p;

	if (text == NULL) {
		u->form_active = 0;
		return;
	}
	if (text[0] == '\0') {		/* the organisation as a whole */
		u->form.owner_user_id = 0;
		u->form.owner_user_name[0] = '\0';
		form_ask(u, FORM_DUE);
		return;
	}
	p = find_user(u, text);
	if (p == NULL || p->org_id != u->form.owner_org_id) {
		ui_prompt(u, _("Owner person (login or number; empty: the "
		    "whole organisation)"), text, form_person);
		ui_message(u, 1, "%s", p == NULL ? _("Unknown user.") :
		    _("This person does not belong to the owner organisation."));
		return;
	}
	u->form.owner_user_id = p->id;
	snprintf(u->form.owner_user_name, sizeof u->form.owner_user_name,
	    "%s", p->display_name);
	form_ask(u, FORM_DUE);
}

static void
form_description(struct ui *u, const char *text)
{
	if (text == NULL) {
		u->form_active = 0;
		return;
	}
	snprintf(u->form.description, sizeof u->form.description, "%s", text);
	form_ask(u, FORM_OWNER);
}

static int
form_busy(struct ui *u)
{
	if (u->form_active && u->form_field == FORM_SENDING) {
		ui_message(u, 1, "%s", _("The previous action point is still "
		    "being sent."));
		return 1;
	}
	return 0;
}

static void
k_add_action(struct ui *u)
{
	const Tafel__AgendaItem *it = selected_item(u);
	const Tafel__Case *c;

	if (it == NULL) {
		ui_message(u, 1, "%s", _("No agenda item selected."));
		return;
	}
	if (form_busy(u))
		return;
	memset(&u->form, 0, sizeof u->form);
	u->form.case_id = it->case_id;
	u->form.meeting_id = u->meeting.meeting_id;
	u->form.view = VIEW_MEETING;
	c = model_case(&u->meeting, it->case_id);
	if (c != NULL)
		snprintf(u->form.case_number, sizeof u->form.case_number, "%s",
		    c->number);
	form_ask(u, FORM_DESCRIPTION);
}

/* --- the chair's case picker: add a case to the agenda ------------------- */

static void
on_cases(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	u->cases_loading = 0;
	ui_dirty(u);
	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(u, m->error);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_CASE_LIST)
		return;
	if (u->cases != NULL)
		protobuf_c_message_free_unpacked(&u->cases->base, NULL);
	u->cases = (Tafel__CaseList *)model_dup(&m->case_list->base);
}

static void
load_cases(struct ui *u)
{
	Tafel__ListCasesRequest r = TAFEL__LIST_CASES_REQUEST__INIT;

	u->cases_loading = 1;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_CASES, &r,
	    NET_REQ_READ, NULL, on_cases, u);
}

static void
k_add_case(struct ui *u)
{
	if (!need_meeting(u))
		return;
	if (u->meeting.meeting->state == TAFEL__MEETING_STATE__MEETING_CLOSED) {
		ui_message(u, 1, "%s", _("The meeting is closed: its agenda can "
		    "no longer change."));
		return;
	}
	u->sel_pick = 0;
	u->filter[VIEW_PICK_CASE][0] = '\0';
	load_cases(u);
	ui_set_view(u, VIEW_PICK_CASE);
}

static const char *
case_number(struct ui *u, int64_t id)
{
	for (size_t i = 0; u->cases != NULL && i < u->cases->n_cases; i++)
		if (u->cases->cases[i]->id == id)
			return u->cases->cases[i]->number;
	return "?";
}

/* Added: back to the meeting, where the new item arrives as an event; on an
 * error the picker stays open to try again or pick another case. */
static void
pick_sent(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	int64_t id = u->pick_sending;

	if (m == NULL)
		return;
	u->pick_sending = 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(u, m->error);
		return;
	}
	if (u->view == VIEW_PICK_CASE)
		ui_set_view(u, VIEW_MEETING);
	ui_message(u, 0, _("Case %s added to the agenda."), case_number(u, id));
}

static void
k_pick_add(struct ui *u)
{
	Tafel__AddAgendaItemRequest r = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;
	const Tafel__Case *list[1024];
	size_t n = view_pick_case_list(u, list, sizeof list / sizeof list[0]);

	if (u->sel_pick >= n) {
		ui_message(u, 1, "%s", _("No case selected."));
		return;
	}
	if (u->pick_sending != 0) {
		ui_message(u, 1, "%s", _("The previous case is still being "
		    "added."));
		return;
	}
	if (view_case_on_agenda(u, list[u->sel_pick]->id)) {
		ui_message(u, 1, "%s", _("This case is already on the agenda."));
		return;
	}
	r.meeting_id = u->meeting.meeting_id;
	r.case_id = list[u->sel_pick]->id;
	r.position = 0;			/* at the end */
	u->pick_sending = r.case_id;
	ui_message(u, 0, "%s", _("Adding the case to the agenda…"));
	ui_send(u, TAFEL__ENVELOPE__BODY_ADD_AGENDA_ITEM, &r, NET_REQ_WRITE,
	    pick_sent);
}

static void
attend_remote(struct ui *u, const char *text)
{
	Tafel__AttendanceRequest r = TAFEL__ATTENDANCE_REQUEST__INIT;

	if (text == NULL)
		return;
	r.meeting_id = u->meeting.meeting_id;
	r.user_id = u->form_user_id;
	r.present = u->form_user_present;
	r.remote = ui_yes(text);
	ui_send(u, TAFEL__ENVELOPE__BODY_RECORD_ATTENDANCE, &r, NET_REQ_WRITE,
	    NULL);
}

static void
attend_present(struct ui *u, const char *text)
{
	if (text == NULL)
		return;
	u->form_user_present = ui_yes(text);
	if (!u->form_user_present)
		attend_remote(u, "n");
	else
		ui_prompt(u, _("Remote (video)? (y/n)"), "", attend_remote);
}

static void
attend_user(struct ui *u, const char *text)
{
	char *end;
	long long id;

	if (text == NULL)
		return;
	id = strtoll(text, &end, 10);
	if (*text == '\0' || *end != '\0') {	/* a login */
		const Tafel__User *p = find_user(u, text);

		id = p != NULL ? p->id : 0;
	}
	if (id == 0) {
		ui_prompt(u, _("Attendance of (login or number)"), text,
		    attend_user);
		ui_message(u, 1, "%s", _("Unknown user."));
		return;
	}
	u->form_user_id = id;
	ui_prompt(u, _("Present? (y/n)"), "", attend_present);
}

static void
k_attendance(struct ui *u)
{
	if (need_meeting(u))
		ui_prompt(u, _("Attendance of (login or number)"), "",
		    attend_user);
}

/* --- action points ------------------------------------------------------- */

/* The action point e, x and c/C work on: the chosen line of "my action
 * points", or the chosen action point of the case in the meeting view. */
static const Tafel__ActionPoint *
selected_action(struct ui *u)
{
	const Tafel__ActionPoint *list[512];
	size_t n;

	if (u->view == VIEW_MEETING)
		return view_meeting_action(u);
	n = view_actions_list(u, list, 512);
	return u->sel_action < n ? list[u->sel_action] : NULL;
}

static const Tafel__ActionPoint *
open_action(struct ui *u)
{
	const Tafel__ActionPoint *a = selected_action(u);

	if (a == NULL)
		ui_message(u, 1, "%s", _("No action point selected."));
	else if (a->state != TAFEL__ACTION_STATE__ACTION_OPEN)
		ui_message(u, 1, "%s", _("This action point is no longer open."));
	else
		return a;
	return NULL;
}

static void
k_next_action(struct ui *u)
{
	view_meeting_action_step(u, 1);
}

static void
k_prev_action(struct ui *u)
{
	view_meeting_action_step(u, -1);
}

/* e: the action point form, filled in with the action point as it is. */
static void
k_edit_action(struct ui *u)
{
	const Tafel__ActionPoint *a = open_action(u);
	const Tafel__Case *c;

	if (a == NULL || form_busy(u))
		return;
	memset(&u->form, 0, sizeof u->form);
	u->form.action_id = a->id;
	u->form.version = a->version;
	u->form.case_id = a->case_id;
	u->form.meeting_id = a->meeting_id;
	u->form.view = u->view;
	c = model_case(&u->meeting, a->case_id);
	snprintf(u->form.case_number, sizeof u->form.case_number, "%s",
	    a->case_number[0] != '\0' || c == NULL ? a->case_number : c->number);
	/* a description hidden from us comes as "": sent back as "", the
	 * server keeps it */
	snprintf(u->form.description, sizeof u->form.description, "%s",
	    a->description);
	u->form.description_hidden = a->description[0] == '\0';
	u->form.owner_org_id = a->owner_org_id;
	u->form.owner_user_id = a->owner_user_id;
	snprintf(u->form.owner_user_name, sizeof u->form.owner_user_name, "%s",
	    a->owner_user_name);
	snprintf(u->form.due_date, sizeof u->form.due_date, "%s", a->due_date);
	form_ask(u, FORM_DESCRIPTION);
}

/* Completing (feedback for the submitter, required) and cancelling (a
 * reason, optional) share one prompt; u->form_cancel tells which. */
static void finish_done(struct ui *u, const char *text);

static const char *
finish_label(int cancel)
{
	return cancel ? _("Cancel — reason (note)") :
	    _("Done — feedback for the submitter");
}

/* On an error the prompt opens again with what was typed; on CONFLICT the
 * message shows the action point as it is now, and a still open one can
 * be finished with its new version. */
static void
finish_sent(struct ui *u, const Tafel__Envelope *m, int cancel)
{
	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		const Tafel__ActionPoint *cur = m->error->current_record_case ==
		    TAFEL__ERROR__CURRENT_RECORD_CURRENT_ACTION_POINT ?
		    m->error->current_action_point : NULL;

		if (cur == NULL || cur->state == TAFEL__ACTION_STATE__ACTION_OPEN) {
			if (cur != NULL)
				u->form_action_version = cur->version;
			u->form_cancel = cancel;
			ui_prompt(u, finish_label(cancel), u->form_text,
			    finish_done);
		}
		ui_show_error(u, m->error);
		return;
	}
	ui_message(u, 0, "%s", cancel ? _("Action point cancelled.") :
	    _("Action point completed; the submitter is informed."));
}

static void
complete_sent(struct net *n, const Tafel__Envelope *m, void *arg)
{
	finish_sent(arg, m, 0);
}

static void
cancel_sent(struct net *n, const Tafel__Envelope *m, void *arg)
{
	finish_sent(arg, m, 1);
}

static void
finish_done(struct ui *u, const char *text)
{
	Tafel__FinishActionRequest r = TAFEL__FINISH_ACTION_REQUEST__INIT;

	if (text == NULL)
		return;
	snprintf(u->form_text, sizeof u->form_text, "%s", text);
	r.id = u->form_action_id;
	r.version = u->form_action_version;
	r.note = (char *)text;
	if (u->form_cancel)
		ui_send(u, TAFEL__ENVELOPE__BODY_CANCEL_ACTION, &r,
		    NET_REQ_WRITE, cancel_sent);
	else
		ui_send(u, TAFEL__ENVELOPE__BODY_COMPLETE_ACTION, &r,
		    NET_REQ_WRITE, complete_sent);
}

static void
finish_ask(struct ui *u, int cancel)
{
	const Tafel__ActionPoint *a = open_action(u);

	if (a == NULL)
		return;
	u->form_action_id = a->id;
	u->form_action_version = a->version;
	u->form_cancel = cancel;
	ui_prompt(u, finish_label(cancel), "", finish_done);
}

static void
k_complete(struct ui *u)
{
	finish_ask(u, 0);
}

static void
k_cancel_action(struct ui *u)
{
	finish_ask(u, 1);
}

/* --- the table ----------------------------------------------------------- */

#define MEETING V(MEETING)

/* Adding a key means adding one row: dispatch, footer and help follow. */
const struct ui_key ui_keys[] = {
	{ 'q', "q", V(MEETINGS), 0, N_("quit"), k_quit,
	  N_("Quit tafel (clears a search first)") },
	{ 'q', "q", MEETING | V(ACTIONS) | V(CASE) | V(HELP) | V(PICK_CASE), 0,
	  N_("back"),
	  k_q_back, N_("Back (clears a search first; leaves the beamer layout)") },
	{ '?', "?", VIEWS_ALL, 0, N_("help"), k_help, N_("Show all keys") },
	{ 27, "Esc", VIEWS_ALL, 0, NULL, k_back, N_("Back to the previous view") },
	{ KEY_BACKSPACE, "Backspace", VIEWS_ALL, 0, NULL, k_back,
	  N_("Back to the previous view") },
	{ '1', "1", VIEWS_ALL, 0, N_("meetings"), k_meetings,
	  N_("Meetings of my organisation") },
	{ '2', "2", VIEWS_ALL, 0, N_("meeting"), k_meeting,
	  N_("The meeting chosen last") },
	{ '3', "3", VIEWS_ALL, 0, N_("actions"), k_actions,
	  N_("Open action points of my organisation, overdue first") },
	{ KEY_UP, "↑", VIEWS_ALL, 0, NULL, k_up,
	  N_("Previous line (in a meeting: go your own way)") },
	{ 'k', "k", VIEWS_ALL, 0, NULL, k_up,
	  N_("Previous line (in a meeting: go your own way)") },
	{ KEY_DOWN, "↓", VIEWS_ALL, 0, NULL, k_down,
	  N_("Next line (in a meeting: go your own way)") },
	{ 'j', "j", VIEWS_ALL, 0, NULL, k_down,
	  N_("Next line (in a meeting: go your own way)") },
	{ KEY_MOUSE, "mouse", VIEWS_ALL, 0, NULL, k_mouse,
	  N_("Click selects a line, double click opens it") },
	{ '/', "/", V(MEETINGS) | V(ACTIONS) | V(PICK_CASE), 0, N_("search"),
	  k_filter,
	  N_("Search: show only the lines containing the text") },
	{ 'v', "v", V(MEETINGS), 0, N_("past"), k_past,
	  N_("Hide or show past meetings") },
	{ '\r', "Enter", V(MEETINGS) | MEETING | V(ACTIONS), 0, N_("open"),
	  k_enter, N_("Open the meeting or case under the cursor") },
	{ '\n', "Enter", V(MEETINGS) | MEETING | V(ACTIONS), 0, NULL, k_enter,
	  N_("Open the meeting or case under the cursor") },
	{ KEY_ENTER, "Enter", V(MEETINGS) | MEETING | V(ACTIONS), 0, NULL,
	  k_enter, N_("Open the meeting or case under the cursor") },
	{ 'f', "f", MEETING, 0, N_("follow"), k_follow,
	  N_("Follow the chair again") },
	{ 'P', "P", MEETING, 0, NULL, k_presentation,
	  N_("Beamer layout: the current case large, little else") },
	{ 'r', "r", VIEWS_ALL, 0, NULL, k_reconnect,
	  N_("Reconnect now, or reload the lists") },
	{ 'n', "n", MEETING, 1, N_("next"), k_next,
	  N_("Chair: move the meeting to the next agenda item") },
	{ 'p', "p", MEETING, 1, N_("prev"), k_prev,
	  N_("Chair: move the meeting to the previous agenda item") },
	{ 'o', "o", MEETING, 1, NULL, k_open, N_("Chair: open the meeting") },
	{ 'c', "c", MEETING, 1, NULL, k_close, N_("Chair: close the meeting") },
	{ 'a', "a", MEETING, 1, N_("action"), k_add_action,
	  N_("Chair: add an action point to the selected case") },
	{ 'd', "d", MEETING, 1, N_("decision"), k_decision,
	  N_("Chair: record the decision on the selected item") },
	{ 'A', "A", MEETING, 1, NULL, k_attendance,
	  N_("Chair: record who is present, in the room or remote") },
	{ '+', "+", MEETING, 1, N_("add case"), k_add_case,
	  N_("Chair: add a case to the agenda (pick it from a list)") },
	{ '\t', "Tab", MEETING, 0, NULL, k_next_action,
	  N_("Choose the next action point of the case") },
	{ KEY_BTAB, "Shift-Tab", MEETING, 0, NULL, k_prev_action,
	  N_("Choose the previous action point of the case") },
	{ 'e', "e", MEETING, 0, NULL, k_edit_action,
	  N_("Edit the chosen action point: text, owner, due date") },
	{ 'x', "x", MEETING, 0, NULL, k_cancel_action,
	  N_("Cancel the chosen action point, with a reason") },
	{ 'C', "C", MEETING, 0, NULL, k_complete,
	  N_("Complete the chosen action point, with feedback") },
	{ 'c', "c", V(ACTIONS), 0, N_("complete"), k_complete,
	  N_("Complete the selected action point, with feedback") },
	{ 'e', "e", V(ACTIONS), 0, N_("edit"), k_edit_action,
	  N_("Edit the selected action point: text, owner, due date") },
	{ 'x', "x", V(ACTIONS), 0, N_("cancel"), k_cancel_action,
	  N_("Cancel the selected action point, with a reason") },
	{ '\r', "Enter", V(PICK_CASE), 0, N_("add"), k_pick_add,
	  N_("Add the selected case to the end of the agenda") },
	{ '\n', "Enter", V(PICK_CASE), 0, NULL, k_pick_add,
	  N_("Add the selected case to the end of the agenda") },
	{ KEY_ENTER, "Enter", V(PICK_CASE), 0, NULL, k_pick_add,
	  N_("Add the selected case to the end of the agenda") },
	{ 0, NULL, 0, 0, NULL, NULL, NULL }
};

static int
applies(const struct ui *u, const struct ui_key *k)
{
	if (k->views != VIEWS_ALL && !(k->views & VIEW_BIT(u->view)))
		return 0;
	return !k->chair || u->is_chair;
}

void
ui_key(struct ui *u, int key)
{
	if (key == 127 || key == 8)
		key = KEY_BACKSPACE;
	if (u->message[0] != '\0') {	/* any key clears the message */
		u->message[0] = '\0';
		ui_dirty(u);
	}
	for (const struct ui_key *k = ui_keys; k->fn != NULL; k++)
		if (k->key == key && applies(u, k)) {
			k->fn(u);
			return;
		}
}

/* The main keys of this view first, then those that work everywhere. */
void
ui_footer(struct ui *u, char *buf, size_t len)
{
	size_t o = 0;
	const char *seen[32];
	size_t n_seen = 0;

	buf[0] = '\0';
	for (int pass = 0; pass < 2; pass++)
		for (const struct ui_key *k = ui_keys; k->fn != NULL; k++) {
			int dup = 0;
			int w;

			if (k->label == NULL || !applies(u, k) ||
			    (k->views == VIEWS_ALL && k->key != '?') !=
			    (pass == 1))
				continue;
			for (size_t i = 0; i < n_seen; i++)
				dup |= strcmp(seen[i], k->name) == 0;
			if (dup || n_seen == 32)
				continue;
			seen[n_seen++] = k->name;
			w = snprintf(buf + o, len - o, "%s%s %s", o ? "  " : "",
			    k->name, _(k->label));
			if (w < 0 || (size_t)w >= len - o)
				return;
			o += (size_t)w;
		}
}

int
ui_key_applies(const struct ui *u, const struct ui_key *k)
{
	return applies(u, k);
}
