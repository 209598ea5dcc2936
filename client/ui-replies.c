/* Requests and their answers: sending writes, the subscriptions to a meeting and to my organisation's action points, and the connection's callbacks. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "forms.h"
#include "i18n.h"
#include "ui-keys.h"
#include "views.h"

uint64_t
ui_send(struct ui *u, Tafel__Envelope__BodyCase body_case, void *req,
    int flags, net_reply_fn fn)
{
	if (net_get_state(u->net) != NET_READY && (flags & NET_REQ_WRITE))
		ui_message(u, 0, "%s", _("Not connected: the change is sent "
		    "when the connection is back."));
	/*
	 * A write the server could not finish for a moment (its database
	 * gone or hanging: DATABASE_UNAVAILABLE "may or may not have been
	 * applied"; OVERLOADED) is sent again by itself with the same
	 * idempotency key until it is answered, so it is stored once.
	 * Shown to the user as a refusal (or given up after a minute), the
	 * form came back and its Enter sent a new key: a write the database
	 * did commit late was stored twice.
	 */
	if (flags & NET_REQ_WRITE)
		flags |= NET_REQ_RETRY | NET_REQ_PATIENT;
	return net_send_body(u->net, body_case, req, flags, NULL, fn != NULL ?
	    fn : ui_reply_generic, u);
}

/* Writes whose result arrives as an event anyway: only errors matter (the
 * screen shows what happened; forms say it in words). */
void
ui_reply_generic(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
		ui_show_error(u, m->error);
}

static void
on_orgs(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_ORGANISATION_LIST)
		return;
	if (u->orgs != NULL)
		protobuf_c_message_free_unpacked(&u->orgs->base, NULL);
	u->orgs = (Tafel__OrganisationList *)model_dup(
	    &m->organisation_list->base);
	ui_dirty(u);
}

void
ui_refresh_lists(struct ui *u)
{
	Tafel__ListOrganisationsRequest lo =
	    TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;

	/* the steering group reads the reports alone: every other request
	 * would be refused ("no permission") and its view load for ever */
	if (u->reports_only) {
		u->views[VIEW_REPORTS]->reload(u);
		return;
	}
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_ORGANISATIONS, &lo,
	    NET_REQ_VOLATILE, NULL, on_orgs, u);
	for (int v = 0; v < VIEW__COUNT; v++)
		if (u->views[v]->reload != NULL)
			u->views[v]->reload(u);
}

/* --- subscriptions ------------------------------------------------------- */

static int
subscribed_ok(struct ui *u, const Tafel__Envelope *m)
{
	if (m == NULL)
		return 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		ui_show_error(u, m->error);
		return 0;
	}
	return m->body_case == TAFEL__ENVELOPE__BODY_SUBSCRIBED;
}

static const char meeting_resub_text[] = N_("The register is temporarily "
    "unavailable; the meeting is loaded again by itself.");

static void
on_sub_meeting(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (u->presentation && m != NULL &&
	    m->body_case == TAFEL__ENVELOPE__BODY_ERROR &&
	    m->error->code == TAFEL__ERROR_CODE__FORBIDDEN) {
		/* Only the meeting's chair may put it on the shared screen:
		 * said as such, not as a bare "no permission" */
		ui_set_presentation(u, 0);
		ui_message(u, 1, "%s", _("The shared screen is for the "
		    "meeting's chair only; the meeting is shown in the normal "
		    "layout."));
		return;
	}
	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR &&
	    (m->error->code == TAFEL__ERROR_CODE__NOT_FOUND ||
	    m->error->code == TAFEL__ERROR_CODE__FORBIDDEN)) {
		/* (tafel --meeting ID of a meeting there is not, or not for
		 * this organisation): back to the list, not "loading" for ever */
		int64_t id = u->meeting.meeting_id;

		model_free(&u->meeting);
		model_init(&u->meeting, MODEL_MEETING, 0);
		u->meeting_subscribed = 0;
		if (u->view == VIEW_MEETING)
			ui_set_view(u, VIEW_MEETINGS);
		if (m->error->code == TAFEL__ERROR_CODE__NOT_FOUND)
			ui_message(u, 1, _("There is no meeting %lld (or it was "
			    "removed)."), (long long)id);
		else
			ui_message(u, 1, _("Meeting %lld is not for you: your "
			    "organisation takes no part in it."), (long long)id);
		return;
	}
	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR &&
	    (m->error->code == TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE ||
	    m->error->code == TAFEL__ERROR_CODE__OVERLOADED)) {
		/* (the register unreachable or hanging for a moment): asked
		 * again by itself, not "loading" for ever, nor a screen that
		 * stops following the chair after a reconnect */
		int tries = u->meeting_resub_tries < 4 ?
		    u->meeting_resub_tries : 4;

		u->meeting_resub_at = ui_now() + (1 << tries);
		u->meeting_resub_tries++;
		ui_message(u, 1, "%s", _(meeting_resub_text));
		return;
	}
	if (!subscribed_ok(u, m))
		return;
	/* loaded after all: the word that it would be goes (an error stays
	 * until a key, also on an unattended shared screen) */
	if (u->meeting_resub_tries > 0 &&
	    strcmp(u->message, _(meeting_resub_text)) == 0) {
		u->message[0] = '\0';
		u->message_error = 0;
	}
	if (!m->subscribed->resumed)
		model_apply_snapshot(&u->meeting, m->subscribed->seq,
		    m->subscribed->snapshot, ui_now());
	u->meeting_subscribed = 1;
	u->meeting_resub_at = 0;
	u->meeting_resub_tries = 0;
	forms_step_landed(u);
	ui_dirty(u);
}

static void
on_sub_org(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (!subscribed_ok(u, m))
		return;
	if (!m->subscribed->resumed)
		model_apply_actions(&u->org, m->subscribed->seq,
		    m->subscribed->actions, ui_now());
	u->org_subscribed = 1;
	ui_dirty(u);
}

/* The inbox: only its unread count is kept (the status line shows it). */
static void
on_inbox_list(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_INBOX_LIST)
		return;
	u->inbox_unread = m->inbox_list->unread;
	ui_dirty(u);
}

static void
on_sub_inbox(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_SUBSCRIBED ||
	    m->subscribed->inbox == NULL)
		return;
	u->inbox_unread = m->subscribed->inbox->unread;
	ui_dirty(u);
}

static void
subscribe_inbox(struct ui *u)
{
	Tafel__SubscribeRequest r = TAFEL__SUBSCRIBE_REQUEST__INIT;

	r.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_SUBSCRIBE, &r,
	    NET_REQ_VOLATILE | NET_REQ_RETRY, NULL, on_sub_inbox, u);
}

/* A new entry for my organisation (not one I sent, nor one read) said on
 * the status line, by kind.  Not on the shared screen: the chair's inbox
 * is not the room's business (like its count, draw_status), and an entry
 * names a case, or a case manager, that the room may not know of. */
static void
inbox_announce(struct ui *u, const Tafel__InboxEntry *e)
{
	char when[40];

	if (e->sent_by_me || e->read_at != 0 || u->presentation)
		return;
	switch (e->kind) {
	case TAFEL__INBOX_KIND__INBOX_ACTION_OVERDUE:
		ui_message(u, 1, _("An action point on case %s is overdue "
		    "(inbox)."), e->case_number);
		break;
	case TAFEL__INBOX_KIND__INBOX_AGENDA_PUBLISHED:
		ui_date(e->scheduled_start, when, sizeof when);
		ui_message(u, 0, _("Agenda of %s %s published (inbox)."),
		    e->series_name, when);
		break;
	case TAFEL__INBOX_KIND__INBOX_INFO_ROUND_ASKED:
		ui_message(u, 0, _("Info round: you are asked for information "
		    "on case %s (inbox, 8)."), e->case_number);
		break;
	case TAFEL__INBOX_KIND__INBOX_LEAD_ASSIGNED:
		ui_message(u, 0, _("Your organisation now leads case %s "
		    "(regie; inbox, 6)."), e->case_number);
		break;
	case TAFEL__INBOX_KIND__INBOX_CASE_MANAGER_ASSIGNED:
		ui_message(u, 0, _("%s is now the case manager of case %s "
		    "(inbox, 6)."), e->recipient_user_name, e->case_number);
		break;
	case TAFEL__INBOX_KIND__INBOX_ACTION_ASSIGNED:
		/* agreed in the meeting on screen: seen as it was made */
		if (e->action_point != NULL && u->view == VIEW_MEETING &&
		    e->action_point->meeting_id != 0 &&
		    e->action_point->meeting_id == u->meeting.meeting_id)
			break;
		ui_message(u, 0, _("New action point for your organisation on "
		    "case %s (inbox, 6)."), e->case_number);
		break;
	default:
		if (e->case_number[0] == '\0')
			ui_message(u, 0, "%s", _("New entry in the inbox (6)."));
		else
			ui_message(u, 0, _("New feedback on case %s (inbox)."),
			    e->case_number);
		break;
	}
}

/* An inbox entry was made or read: announce new feedback, recount. */
static void
inbox_event(struct ui *u, const Tafel__InboxEntry *e)
{
	Tafel__ListInboxRequest r = TAFEL__LIST_INBOX_REQUEST__INIT;

	inbox_announce(u, e);
	forms_action_feedback_sent(u, e);
	view_inbox_update(u, e);
	r.unread_only = 1;
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_INBOX, &r,
	    NET_REQ_VOLATILE, NULL, on_inbox_list, u);
}

/* A list topic's snapshot (meetings, cases, nominations): the view takes
 * the list (absent: empty); its events then arrive through the views'
 * event operation. */
static void
on_sub_meetings(struct net *n, const Tafel__Envelope *m, void *arg)
{
	Tafel__MeetingList empty = TAFEL__MEETING_LIST__INIT;

	if (!subscribed_ok(arg, m) || m->subscribed->resumed)
		return;
	view_meetings_take(arg, m->subscribed->meetings != NULL ?
	    m->subscribed->meetings : &empty);
}

static void
on_sub_case_list(struct net *n, const Tafel__Envelope *m, void *arg)
{
	Tafel__CaseList empty = TAFEL__CASE_LIST__INIT;

	if (!subscribed_ok(arg, m) || m->subscribed->resumed)
		return;
	view_cases_take(arg, m->subscribed->cases != NULL ?
	    m->subscribed->cases : &empty);
}

static void
on_sub_nominations(struct net *n, const Tafel__Envelope *m, void *arg)
{
	Tafel__NominationList empty = TAFEL__NOMINATION_LIST__INIT;

	if (!subscribed_ok(arg, m) || m->subscribed->resumed)
		return;
	view_nominations_take(arg, m->subscribed->nominations != NULL ?
	    m->subscribed->nominations : &empty);
}

static void
subscribe(struct ui *u, int topic, int64_t meeting_id, uint64_t from)
{
	net_reply_fn fn = on_sub_org;

	Tafel__SubscribeRequest r = TAFEL__SUBSCRIBE_REQUEST__INIT;

	r.topic = (Tafel__SubscribeTopic)topic;
	r.meeting_id = meeting_id;
	r.resume_from = from;
	/* The beamer layout is a disclosure to the whole room: the server
	 * shows it only as far as everyone present may see it. */
	r.presentation = u->presentation &&
	    topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	if (topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING) {
		fn = on_sub_meeting;
		u->meeting_resub_at = 0;	/* asked now */
		u->meeting_sub_from = from;
	}
	else if (topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST)
		fn = on_sub_meetings;
	else if (topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST)
		fn = on_sub_case_list;
	else if (topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS)
		fn = on_sub_nominations;
	/* a topic of my own (lists, my organisation's action points) is
	 * asked again by net.c when refused for a moment; a meeting's by
	 * ui_meeting_resubscribe_due, only while it is still on screen */
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_SUBSCRIBE, &r,
	    NET_REQ_VOLATILE | (topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING ?
	    0 : NET_REQ_RETRY), NULL, fn, u);
}

/*
 * Drops the meeting's records and asks for meeting id's snapshot: another
 * meeting, or what the server renders for this screen changed for records
 * it holds already.
 */
static void
meeting_load(struct ui *u, int64_t id)
{
	model_free(&u->meeting);
	model_init(&u->meeting, MODEL_MEETING, id);	/* following again */
	u->meeting_subscribed = 0;
	u->meeting_resub_tries = 0;
	if (net_get_state(u->net) == NET_READY)
		subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING, id, 0);
}

void
ui_set_presentation(struct ui *u, int on)
{
	int64_t id = u->meeting.meeting_id;

	if (u->presentation == on)
		return;
	u->presentation = on;
	/* A fresh snapshot rendered for the room (or for me again). */
	if (id != 0)
		meeting_load(u, id);
	ui_dirty(u);
}

void
ui_meeting_resubscribe_due(struct ui *u)
{
	if (u->meeting_resub_at == 0 || ui_now() < u->meeting_resub_at ||
	    net_get_state(u->net) != NET_READY)
		return;
	u->meeting_resub_at = 0;
	if (u->meeting.meeting_id == 0 || u->meeting_subscribed)
		return;
	/* as it was asked: resumed, or a snapshot (also the one a resync
	 * needs, whatever the screen still holds) */
	subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING,
	    u->meeting.meeting_id, u->meeting_sub_from);
}

void
ui_open_meeting(struct ui *u, int64_t meeting_id)
{
	Tafel__UnsubscribeRequest un = TAFEL__UNSUBSCRIBE_REQUEST__INIT;

	if (u->meeting.meeting_id != 0 && u->meeting.meeting_id != meeting_id) {
		un.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
		un.meeting_id = u->meeting.meeting_id;
		net_send_body(u->net, TAFEL__ENVELOPE__BODY_UNSUBSCRIBE, &un,
		    NET_REQ_VOLATILE, NULL, NULL, NULL);
	}
	if (u->meeting.meeting_id != meeting_id)
		meeting_load(u, meeting_id);
	view_meetings_select(u, meeting_id);
	ui_set_view(u, VIEW_MEETING);
}

/* --- connection callbacks ------------------------------------------------ */

static void
on_state(struct net *n, enum net_state st, void *arg)
{
	ui_dirty(arg);
}

static void
on_ready(struct net *n, const Tafel__LoginResponse *l, int first, void *arg)
{
	struct ui *u = arg;
	uint64_t from;
	unsigned rights = 1u << 31;	/* a login was made */

	u->is_chair = u->is_admin = u->is_steering = 0;
	u->reports_only = u->observer_only = 0;
	if (l->user != NULL) {
		int others = 0;		/* roles but steering and observer */

		for (size_t i = 0; i < l->user->n_roles; i++) {
			if ((unsigned)l->user->roles[i] < 31)
				rights |= 1u << (unsigned)l->user->roles[i];
			others |= l->user->roles[i] !=
			    TAFEL__ROLE__ROLE_STEERING &&
			    l->user->roles[i] != TAFEL__ROLE__ROLE_OBSERVER;
			if (l->user->roles[i] == TAFEL__ROLE__ROLE_CHAIR)
				u->is_chair = 1;
			if (l->user->roles[i] == TAFEL__ROLE__ROLE_ADMIN)
				u->is_admin = 1;
			if (l->user->roles[i] == TAFEL__ROLE__ROLE_STEERING)
				u->is_steering = 1;
		}
		u->my_org_id = l->user->org_id;
		u->my_user_id = l->user->id;
		/* as the server decides (tafel_actor: roles = {steering};
		 * session_is_observer: no role but observer) */
		u->reports_only = u->is_steering && !others &&
		    l->user->n_roles == 1;
		u->observer_only = !u->is_steering && !others;
	}
	/*
	 * Other roles than at the last login, or a session the server ended
	 * (tafelctl user roles, access set, pm remove: it ends the connections
	 * of a user who may see less): the meeting and the action points held
	 * were rendered for the old rights, so they are loaded afresh, not
	 * resumed (a resume sends only the changes since, and a member made
	 * an observer kept the names on screen).
	 */
	if ((u->rights != 0 && rights != u->rights) || net_session_ended(n)) {
		u->org_subscribed = 0;
		u->meeting_subscribed = 0;
	}
	u->rights = rights;
	if (first) {
		char err[300];

		/* not client_remember(): a log line would tear the screen */
		if (client_config_save(&u->o->cfg, u->o->config_path, err,
		    sizeof err) != 0)
			ui_message(u, 1, "%s: %s", _("Settings not saved"), err);
		model_init(&u->org, MODEL_ORG_ACTIONS, u->my_org_id);
	}
	if (u->reports_only) {
		/* the only screen that loads: the reports, from the start */
		if (first)
			view_reports_open(u);
		else
			ui_refresh_lists(u);
		ui_dirty(u);
		return;
	}
	/*
	 * (re)subscribe, resuming from the last event seen.  Until a model's
	 * answer comes, the events are not its own: one that reaches the
	 * connection first through another subscription (a list's, cut to
	 * its records) would move the model's seq past a change that the
	 * resumed subscription then replays in full, and that replay would
	 * be dropped as seen (an agenda item added across a reconnect
	 * missed the chair's screen).
	 */
	from = u->org_subscribed ? u->org.seq : 0;
	u->org_subscribed = 0;
	subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS, 0, from);
	/* the lists stay live; after a reconnect a fresh snapshot of each */
	subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST, 0, 0);
	/* one subscription: the list and every change to its cases
	 * (contributions, goals and links of the case on screen too) */
	subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST, 0, 0);
	subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS, 0, 0);
	if (u->meeting.meeting_id != 0) {
		from = u->meeting_subscribed ? u->meeting.seq : 0;
		u->meeting_subscribed = 0;
		subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING,
		    u->meeting.meeting_id, from);
	}
	subscribe_inbox(u);	/* a fresh count; nothing to resume */
	ui_refresh_lists(u);
	ui_dirty(u);
}

static void
on_event(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	double t = ui_now();

	if (m->event->inbox_entry != NULL) {
		inbox_event(u, m->event->inbox_entry);
		ui_dirty(u);
		return;
	}
	if (u->meeting_subscribed) {
		int led = ui_leads_meeting(u);

		if (model_apply_event(&u->meeting, m->event, t) ==
		    MODEL_RESYNC) {
			u->meeting_subscribed = 0;
			subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING,
			    u->meeting.meeting_id, 0);
		} else if (ui_leads_meeting(u) != led && !u->presentation)
			/* handed to me or from me (tafelctl meeting chair):
			 * the cases come with the shared screen's marks only
			 * for who leads the meeting (section 9.3) */
			meeting_load(u, u->meeting.meeting_id);
	}
	if (u->org_subscribed &&
	    model_apply_event(&u->org, m->event, t) == MODEL_RESYNC) {
		u->org_subscribed = 0;
		subscribe(u, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS, 0, 0);
	}
	for (int v = 0; v < VIEW__COUNT; v++)
		if (u->views[v]->event != NULL)
			u->views[v]->event(u, m->event);
	forms_step_landed(u);
	ui_dirty(u);
}

static char fatal_msg[512];

static void
on_fatal(struct net *n, const char *msg, const Tafel__Error *err, void *arg)
{
	struct ui *u = arg;

	if (err != NULL)
		snprintf(fatal_msg, sizeof fatal_msg, "%s", ui_error_text(err->code));
	else
		snprintf(fatal_msg, sizeof fatal_msg, "%s", msg);
	if (net_login(n) == NULL) {	/* never logged in: leave */
		u->quit = 1;
		event_base_loopexit(u->base, NULL);
		return;
	}
	ui_message(u, 1, "%s", fatal_msg);
}

const char *
ui_fatal_message(void)
{
	return fatal_msg;
}

const struct net_callbacks ui_net_callbacks = {
	on_state, on_ready, on_event, on_fatal
};
