/* The info round's forms: start one from the case view (I: organisations from the picker, one after another, then the reply-by date), answer it in the info rounds view (b known, n not known, with a note; a changed answer is asked first and keeps its note), and close it (Z, there or in the case). */
#include "forms.h"
#include "forms-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datein.h"
#include "i18n.h"
#include "view-pick.h"
#include "views.h"

#define MAX_ASK 32

/* The round being started or answered; kept while the server may refuse
 * it, so the text typed can be offered again. */
static struct {
	int64_t case_id;
	char case_number[32];
	int64_t org_ids[MAX_ASK];
	char last[200];			/* the last one chosen */
	size_t n_orgs;
	char reply_by[32];		/* as typed */
	int64_t round_id;		/* answering or closing this round */
	int64_t version;
	Tafel__InfoAnswer answer;
	char note[600];
} fi;

/* --- starting ------------------------------------------------------------ */

static void ask_org(struct ui *u);
static void ask_date(struct ui *u, const char *initial);

static void
started(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	(void)n;
	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		/* a date the server refuses (past, missing) is asked again */
		if (m->error->field != NULL &&
		    strcmp(m->error->field, "reply_by") == 0)
			ask_date(u, fi.reply_by);
		if (m->error->code == TAFEL__ERROR_CODE__FORBIDDEN)
			ui_message(u, 1, "%s", _("Only the case's process "
			    "manager starts an info round."));
		else if (m->error->code == TAFEL__ERROR_CODE__IN_THE_PAST)
			/* the general text names a time; this is a day */
			ui_message(u, 1, "%s", _("That date lies in the "
			    "past."));
		else
			ui_show_error(u, m->error);
		return;
	}
	view_case_open(u, fi.case_id);	/* the case shows the round */
	view_inforounds_reload(u);
	ui_message(u, 0, ngettext("Info round started: %zu organisation asked.",
	    "Info round started: %zu organisations asked.", fi.n_orgs),
	    fi.n_orgs);
}

static void
date_typed(struct ui *u, const char *text)
{
	Tafel__StartInfoRoundRequest r = TAFEL__START_INFO_ROUND_REQUEST__INIT;
	struct datein_day d, today = datein_today((int64_t)time(NULL));
	char iso[32];

	if (text == NULL) {
		ui_message(u, 0, "%s", _("No info round started."));
		return;
	}
	snprintf(fi.reply_by, sizeof fi.reply_by, "%s", text);
	if (datein_parse(text, today, &d) != DATEIN_OK) {
		ask_date(u, text);
		ui_message(u, 1, "%s", date_refusal(text));
		return;
	}
	datein_format(d, iso, sizeof iso);
	r.case_id = fi.case_id;
	r.org_ids = fi.org_ids;
	r.n_org_ids = fi.n_orgs;
	r.reply_by = iso;
	ui_send(u, TAFEL__ENVELOPE__BODY_START_INFO_ROUND, &r, NET_REQ_WRITE,
	    started);
}

static void
ask_date(struct ui *u, const char *initial)
{
	char label[800];

	snprintf(label, sizeof label, ngettext("Info round on case %s, %zu "
	    "organisation: reply by (e.g. +2, friday)", "Info round on case %s, "
	    "%zu organisations: reply by (e.g. +2, friday)", fi.n_orgs),
	    fi.case_number, fi.n_orgs);
	ui_prompt(u, label, initial, date_typed);
}

/* Chosen already: marked ✓ in the picker (Enter there un-chooses it). */
static int
org_chosen(int64_t id)
{
	for (size_t i = 0; i < fi.n_orgs; i++)
		if (fi.org_ids[i] == id)
			return 1;
	return 0;
}

/* The i-th chosen organisation taken out again; the title's "last" is
 * then the one chosen before it. */
static void
org_drop(struct ui *u, size_t i)
{
	memmove(&fi.org_ids[i], &fi.org_ids[i + 1],
	    (fi.n_orgs - i - 1) * sizeof fi.org_ids[0]);
	fi.n_orgs--;
	fi.last[0] = '\0';
	for (size_t k = 0; fi.n_orgs > 0 && u->orgs != NULL &&
	    k < u->orgs->n_organisations; k++)
		if (u->orgs->organisations[k]->id == fi.org_ids[fi.n_orgs - 1])
			snprintf(fi.last, sizeof fi.last, "%s",
			    u->orgs->organisations[k]->name);
}

static void
org_add(struct ui *u, int64_t id, const char *name)
{
	if (fi.n_orgs < MAX_ASK) {
		fi.org_ids[fi.n_orgs++] = id;
		snprintf(fi.last, sizeof fi.last, "%s", name);
	}
	ask_org(u);
	pick_start_on(id);	/* the line stays selected: k, j go on from it */
}

/* What an organisation outside the covenant gets of the round (the
 * server's rendering, docs/protocol.md 7.10), said after its name before
 * it is asked. */
static const char *const outside_texts[] = {
	[PICK_ORG_SIGNED] = NULL,
	[PICK_ORG_NOT_SIGNED] = N_("has not signed the covenant: in the "
	    "info round it sees the case number only, no names, dates of birth "
	    "or other organisations' notes, so it cannot look the persons "
	    "up."),
	[PICK_ORG_OBSERVERS] = N_("has listeners (observers) only: in the "
	    "info round they see the case number only, no names, dates of "
	    "birth or notes, and cannot answer."),
};

/* The organisation outside the covenant waiting for the user's yes. */
static struct {
	int64_t id;
	char name[200];
} outside;

static void
outside_confirmed(struct ui *u, const char *text)
{
	if (ui_yes(text)) {
		org_add(u, outside.id, outside.name);
		return;
	}
	ask_org(u);		/* the picker again, for another one */
	pick_start_on(outside.id);
	ui_message(u, 0, _("%s not asked."), outside.name);
}

/* One organisation chosen (NULL: the picker was left, the list is done);
 * one outside the covenant only after a question saying what it will and
 * will not see. */
static void
org_picked(struct ui *u, const Tafel__Organisation *o)
{
	enum pick_org_covenant c;
	char label[300];

	if (o == NULL) {
		if (fi.n_orgs == 0)
			ui_message(u, 0, "%s", _("No info round started."));
		else
			ask_date(u, "");
		return;
	}
	for (size_t i = 0; i < fi.n_orgs; i++)
		if (fi.org_ids[i] == o->id) {	/* chosen again: un-chosen */
			org_drop(u, i);
			ask_org(u);
			pick_start_on(o->id);	/* the line stays selected */
			/* after the picker, which clears the message */
			ui_message(u, 0, _("%s no longer chosen."), o->name);
			return;
		}
	c = view_pick_org_covenant(u, o);
	if (outside_texts[c] == NULL) {
		org_add(u, o->id, o->name);
		return;
	}
	outside.id = o->id;
	snprintf(outside.name, sizeof outside.name, "%s", o->name);
	snprintf(label, sizeof label, _("Ask %s anyway? (y/n)"), o->name);
	ui_ask_yesno(u, label, outside_confirmed);
	/* after the question, which clears the message: it stands above */
	ui_message(u, 1, "%s %s", o->name, _(outside_texts[c]));
}

static void
ask_org(struct ui *u)
{
	char title[800];

	if (fi.n_orgs == 0)
		snprintf(title, sizeof title, "%s", _("Info round: the first "
		    "organisation to ask (Enter chooses, Esc when done)"));
	else
		snprintf(title, sizeof title, _("Info round, %zu chosen (last "
		    "%s): another one, Esc: done"), fi.n_orgs, fi.last);
	view_pick_org_open(u, title, NULL, org_picked);
	view_pick_org_marks(org_chosen);
}

/* Whether I may run the case's info round: one of its process managers,
 * or an administrator (the server decides; this spares a futile form). */
static int
may_run(struct ui *u, const Tafel__Case *c)
{
	const Tafel__LoginResponse *l = net_login(u->net);

	for (size_t i = 0; i < c->n_process_manager_ids; i++)
		if (c->process_manager_ids[i] == u->my_user_id)
			return 1;
	for (size_t i = 0; l != NULL && l->user != NULL &&
	    i < l->user->n_roles; i++)
		if (l->user->roles[i] == TAFEL__ROLE__ROLE_ADMIN)
			return 1;
	return 0;
}

/* I in the case view: the process manager (or an administrator) asks
 * organisations whether they know the case's persons. */
void
forms_inforound_start(struct ui *u)
{
	const Tafel__CaseDetail *d = view_case_detail(u);

	if (d == NULL) {
		ui_message(u, 1, "%s", _("No case shown."));
		return;
	}
	if (!may_run(u, d->case_)) {	/* before the picker, not after */
		ui_message(u, 1, "%s", _("Only the case's process manager "
		    "starts an info round."));
		return;
	}
	memset(&fi, 0, sizeof fi);
	fi.case_id = d->case_->id;
	snprintf(fi.case_number, sizeof fi.case_number, "%s",
	    d->case_->number);
	ask_org(u);
}

/* --- answering and closing ----------------------------------------------- */

/* The note offered back after the round closed: Enter or Esc just leaves
 * it (nothing is sent; the round takes no answers any more). */
static void
note_left(struct ui *u, const char *text)
{
	(void)text;
	ui_message(u, 0, "%s", _("Not sent: the info round is closed."));
}

static void
answered(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	(void)n;
	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		/* closed while the note was typed: say so, and give the note
		 * back on the input line so it can be copied elsewhere */
		if (m->error != NULL && m->error->code ==
		    TAFEL__ERROR_CODE__INVALID_TRANSITION && fi.note[0] != '\0') {
			ui_prompt(u, _("Round closed meanwhile, not sent"),
			    fi.note, note_left);
			view_inforounds_reload(u);
			return;
		}
		if (m->error != NULL && m->error->code ==
		    TAFEL__ERROR_CODE__INVALID_TRANSITION)
			ui_message(u, 1, "%s", _("The info round was closed "
			    "meanwhile: no answer sent."));
		else
			ui_show_error(u, m->error);
		view_inforounds_reload(u);
		return;
	}
	ui_message(u, 0, _("Answered: %s."), view_inforounds_answer_text(
	    fi.answer));
	view_inforounds_reload(u);
}

static void
note_typed(struct ui *u, const char *text)
{
	Tafel__AnswerInfoRoundRequest r = TAFEL__ANSWER_INFO_ROUND_REQUEST__INIT;

	if (text == NULL)
		return;
	snprintf(fi.note, sizeof fi.note, "%s", text);
	r.id = fi.round_id;
	r.answer = fi.answer;
	r.note = fi.note;
	ui_send(u, TAFEL__ENVELOPE__BODY_ANSWER_INFO_ROUND, &r, NET_REQ_WRITE,
	    answered);
}

/* The selected round, if my organisation is asked in it (else says why). */
static const Tafel__InfoRound *
asked_round(struct ui *u)
{
	const Tafel__InfoRound *r = view_inforounds_selected(u);

	if (r == NULL) {
		ui_message(u, 1, "%s", _("No info round selected."));
		return NULL;
	}
	for (size_t i = 0; i < r->n_asked; i++)
		if (r->asked[i]->org_id == u->my_org_id)
			return r;
	ui_message(u, 1, "%s", _("Your organisation is not asked in this "
	    "info round."));
	return NULL;
}

/* The note's prompt for fi.answer, offering fi.note (the note already
 * sent, or ""): Enter keeps it. */
static void
ask_note(struct ui *u)
{
	char label[300];

	snprintf(label, sizeof label, fi.note[0] != '\0' ?
	    _("%s: %s. Note (Enter keeps it)") :
	    _("%s: %s. Short note (optional)"), fi.case_number,
	    view_inforounds_answer_text(fi.answer));
	ui_prompt(u, label, fi.note, note_typed);
}

static void
change_confirmed(struct ui *u, const char *text)
{
	if (!ui_yes(text)) {
		ui_message(u, 0, "%s", _("Answer not changed."));
		return;
	}
	ask_note(u);
}

static void
blind_confirmed(struct ui *u, const char *text)
{
	if (!ui_yes(text)) {
		ui_message(u, 0, "%s", _("Not answered."));
		return;
	}
	ask_note(u);
}

/* b or n: my organisation's answer, with a note.  An answer already given
 * offers its note to keep or edit, and one key never turns it into the
 * other: that is asked first (y/n); so is a first answer by an
 * organisation that does not see whom the round is about (the GP outside
 * the covenant). */
static void
answer(struct ui *u, Tafel__InfoAnswer a)
{
	const Tafel__InfoRound *r = asked_round(u);
	const Tafel__InfoRoundOrg *mine = NULL;
	const char *why;
	char label[300];

	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_asked; i++)
		if (r->asked[i]->org_id == u->my_org_id)
			mine = r->asked[i];
	fi.round_id = r->id;
	fi.answer = a;
	snprintf(fi.case_number, sizeof fi.case_number, "%s", r->case_number);
	snprintf(fi.note, sizeof fi.note, "%s", mine != NULL ? mine->note : "");
	if ((mine == NULL || mine->answer == TAFEL__INFO_ANSWER__INFO_PENDING) &&
	    (why = view_inforounds_blind(u, r)) != NULL) {
		/* a first answer given without the persons: said first */
		snprintf(label, sizeof label, _("Without the names (%s): "
		    "answer '%s' all the same? (y/n)"), why,
		    view_inforounds_answer_text(a));
		ui_ask_yesno(u, label, blind_confirmed);
		return;
	}
	if (mine == NULL || mine->answer == TAFEL__INFO_ANSWER__INFO_PENDING ||
	    mine->answer == a) {
		ask_note(u);
		return;
	}
	snprintf(label, sizeof label, _("Change the answer on %s from %s to "
	    "%s? (y/n)"), r->case_number, view_inforounds_answer_text(
	    mine->answer), view_inforounds_answer_text(a));
	ui_ask_yesno(u, label, change_confirmed);
}

void
forms_inforound_known(struct ui *u)
{
	answer(u, TAFEL__INFO_ANSWER__INFO_KNOWN);
}

void
forms_inforound_not_known(struct ui *u)
{
	answer(u, TAFEL__INFO_ANSWER__INFO_NOT_KNOWN);
}

static void
closed(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;

	(void)n;
	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		/* An asked organisation does not know the case beyond the round,
		 * so the server answers "not found"; say what the rule is. */
		if (m->error != NULL && (m->error->code ==
		    TAFEL__ERROR_CODE__FORBIDDEN || m->error->code ==
		    TAFEL__ERROR_CODE__NOT_FOUND))
			ui_message(u, 1, "%s", _("Only the case's process manager "
			    "closes the info round."));
		else
			ui_show_error(u, m->error);
		view_inforounds_reload(u);	/* the round as it is now */
		return;
	}
	view_inforounds_reload(u);	/* the case view reloads on its event */
	ui_message(u, 0, "%s", _("Info round closed: the asked organisations "
	    "no longer see the identifying data."));
}

static void
close_confirmed(struct ui *u, const char *text)
{
	Tafel__CloseInfoRoundRequest r = TAFEL__CLOSE_INFO_ROUND_REQUEST__INIT;

	if (!ui_yes(text))
		return;
	r.id = fi.round_id;
	r.version = fi.version;
	ui_send(u, TAFEL__ENVELOPE__BODY_CLOSE_INFO_ROUND, &r, NET_REQ_WRITE,
	    closed);
}

/* Z in the info rounds view (the selected round) or in a case (its open
 * round): the process manager closes the round. */
void
forms_inforound_close(struct ui *u)
{
	const Tafel__InfoRound *r = NULL;
	const Tafel__CaseDetail *d;
	char label[300];

	if (u->view == VIEW_CASE) {
		d = view_case_detail(u);
		for (size_t i = 0; d != NULL && i < d->n_info_rounds; i++)
			if (d->info_rounds[i]->state ==
			    TAFEL__INFO_ROUND_STATE__INFO_ROUND_OPEN)
				r = d->info_rounds[i];
	} else {
		r = view_inforounds_selected(u);
	}

	if (r == NULL && u->view == VIEW_CASE) {
		ui_message(u, 1, "%s", _("This case has no open info round (I "
		    "starts one)."));
		return;
	}
	if (r == NULL) {
		ui_message(u, 1, "%s", _("No info round selected."));
		return;
	}
	fi.round_id = r->id;
	fi.version = r->version;
	snprintf(label, sizeof label, _("Close the info round on %s? (y/n)"),
	    r->case_number);
	ui_ask_yesno(u, label, close_confirmed);
}
