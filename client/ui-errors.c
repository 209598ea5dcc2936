/* What the user reads for each server error code: one table, translated through gettext. */
#include "i18n.h"
#include "ui.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct {
	Tafel__ErrorCode code;
	const char *text;		/* N_() */
} error_texts[] = {
	{ TAFEL__ERROR_CODE__VERSION_MISMATCH,
	  N_("The server speaks another protocol version: update tafel.") },
	{ TAFEL__ERROR_CODE__FRAME_TOO_LARGE, N_("The message was too large.") },
	{ TAFEL__ERROR_CODE__FRAME_UNDECODABLE,
	  N_("The server could not read the message.") },
	{ TAFEL__ERROR_CODE__HELLO_EXPECTED, N_("Protocol error at connection set-up.") },
	{ TAFEL__ERROR_CODE__UNKNOWN_MESSAGE,
	  N_("The server does not know this request (older version?).") },
	{ TAFEL__ERROR_CODE__NOT_AUTHENTICATED, N_("Not logged in.") },
	{ TAFEL__ERROR_CODE__LOGIN_FAILED, N_("Wrong user name or password.") },
	{ TAFEL__ERROR_CODE__ACCOUNT_DISABLED, N_("This account is disabled.") },
	{ TAFEL__ERROR_CODE__RATE_LIMITED,
	  N_("Too many attempts; wait a moment and try again.") },
	{ TAFEL__ERROR_CODE__FORBIDDEN, N_("You are not allowed to do this.") },
	{ TAFEL__ERROR_CODE__INVALID_ARGUMENT, N_("A field is not filled in correctly.") },
	{ TAFEL__ERROR_CODE__STRING_TOO_LONG, N_("The text is too long.") },
	{ TAFEL__ERROR_CODE__INVALID_UTF8, N_("The text contains invalid characters.") },
	{ TAFEL__ERROR_CODE__OUT_OF_RANGE, N_("A value is out of range.") },
	{ TAFEL__ERROR_CODE__LIST_TOO_LONG, N_("The list is too long.") },
	{ TAFEL__ERROR_CODE__NOT_FOUND,
	  N_("Not found (removed, or not visible to your organisation).") },
	{ TAFEL__ERROR_CODE__CONFLICT,
	  N_("Someone else changed this in the meantime; the screen shows the "
	     "current version, try again.") },
	{ TAFEL__ERROR_CODE__INVALID_TRANSITION,
	  N_("That step is not possible in the current state.") },
	{ TAFEL__ERROR_CODE__IDEMPOTENCY_KEY_REQUIRED,
	  N_("Internal error: the change carried no key.") },
	{ TAFEL__ERROR_CODE__IDEMPOTENCY_KEY_REUSED,
	  N_("Internal error: a change key was used twice.") },
	{ TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
	  N_("The register is temporarily unavailable; try again shortly.") },
	{ TAFEL__ERROR_CODE__INTERNAL, N_("Internal server error.") },
	{ TAFEL__ERROR_CODE__OVERLOADED, N_("The server is busy; try again shortly.") },
	{ TAFEL__ERROR_CODE__ACCOUNT_LOCKED,
	  N_("This account is locked after too many failed logins.") },
	{ TAFEL__ERROR_CODE__SESSION_EXPIRED,
	  N_("The session has expired; log in again.") },
	{ TAFEL__ERROR_CODE__ALREADY_LOGGED_IN, N_("Already logged in.") },
	{ TAFEL__ERROR_CODE__REQUEST_ID_REQUIRED,
	  N_("Internal error: the request carried no id.") },
	{ TAFEL__ERROR_CODE__DISK_FULL,
	  N_("The server's disk is full: the change was not saved. Tell the "
	     "administrator, then try again.") },
	{ TAFEL__ERROR_CODE__IN_THE_PAST,
	  N_("That date and time lie in the past.") },
};

const char *
ui_error_text(Tafel__ErrorCode code)
{
	for (size_t i = 0; i < sizeof error_texts / sizeof error_texts[0]; i++)
		if (error_texts[i].code == code)
			return _(error_texts[i].text);
	return _("The server reported an unknown error.");
}

/* Errors whose field says more than their code. */
static const struct {
	Tafel__ErrorCode code;
	const char *field, *text;
} field_texts[] = {
	{ TAFEL__ERROR_CODE__NOT_FOUND, "meeting_id",
	  N_("No planned meeting to put it on (a meeting under way does not "
	     "count: + in it adds the case); plan one first (N in the "
	     "meetings list).") },
	{ TAFEL__ERROR_CODE__FORBIDDEN, "owner_org_id",
	  N_("Only a chair, the submitting organisation, the case manager or "
	     "a process manager can give an action point to another "
	     "organisation.") },
};

/* Refusals told apart by the start of their message (docs/protocol.md
 * names these texts); what follows that start (a date in brackets) goes
 * to the %s. */
static const struct {
	Tafel__ErrorCode code;
	const char *start, *text;
} message_texts[] = {
	{ TAFEL__ERROR_CODE__INVALID_ARGUMENT,
	  "the case is already nominated for this series",
	  N_("The case is already nominated for this series; the chair "
	     "decides.%s") },
	{ TAFEL__ERROR_CODE__INVALID_ARGUMENT,
	  "the case is already on the agenda of the series' next meeting",
	  N_("The case is already on the agenda of the series' next "
	     "meeting%s: no nomination needed.") },
	{ TAFEL__ERROR_CODE__INVALID_ARGUMENT,
	  "the case is already on the agenda of this meeting",
	  N_("The case is already on the agenda of this meeting.%s") },
};

const char *
ui_error_field_text(Tafel__ErrorCode code, const char *field,
    const char *message)
{
	static char buf[300];

	for (size_t i = 0; i < sizeof message_texts / sizeof message_texts[0];
	    i++) {
		size_t n = strlen(message_texts[i].start);

		if (message_texts[i].code != code ||
		    strncmp(message, message_texts[i].start, n) != 0)
			continue;
		/* the %s filled in by hand: the text is a table's, not a
		 * literal format */
		const char *t = _(message_texts[i].text), *at = strstr(t, "%s");

		if (at == NULL)
			snprintf(buf, sizeof buf, "%s", t);
		else
			snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - t), t,
			    message + n, at + 2);
		return buf;
	}
	for (size_t i = 0; i < sizeof field_texts / sizeof field_texts[0]; i++)
		if (field_texts[i].code == code &&
		    strcmp(field_texts[i].field, field) == 0)
			return _(field_texts[i].text);
	return NULL;
}

/* Why part of a case is hidden, keyed by Case.redaction_reason (docs/security.md). */
static const struct {
	const char *reason;
	const char *text;
} redaction_texts[] = {
	{ "not_involved", N_("hidden: your organisation is not involved in this case") },
	{ "not_signatory", N_("hidden: your organisation has not signed the covenant") },
	{ "observer", N_("hidden: you take part as an observer") },
	{ "category", N_("hidden: your organisation may not see some of this data") },
	{ "presentation", N_("hidden on the shared screen: not everyone present may see it") },
};

/* The routing conditions' codes (docs/protocol.md, move_case). */
static const struct {
	const char *code, *text;
} missing_texts[] = {
	{ "lead_org", N_("a lead organisation (R)") },
	{ "case_manager", N_("a case manager (R)") },
	{ "goal", N_("at least one goal (g)") },
	{ "end_date", N_("an end date (E)") },
	{ "closing_reason", N_("a closing reason (F)") },
	{ "evaluation", N_("an evaluation (F)") },
};

const char *
ui_missing_text(const char *code)
{
	for (size_t i = 0; i < sizeof missing_texts / sizeof missing_texts[0];
	    i++)
		if (strcmp(missing_texts[i].code, code) == 0)
			return _(missing_texts[i].text);
	return code;
}

const char *
ui_redaction_text(const char *reason)
{
	size_t i;

	for (i = 0; i < sizeof redaction_texts / sizeof redaction_texts[0]; i++)
		if (strcmp(redaction_texts[i].reason, reason) == 0)
			return _(redaction_texts[i].text);
	return _("hidden: not allowed by the covenant");
}

/* The category names a redaction line lists (docs/protocol.md 9). */
static const struct {
	const char *category;
	const char *text;
} category_texts[] = {
	{ "person_names", N_("names") },
	{ "birth_dates", N_("birth dates") },
	{ "case_summary", N_("the summary") },
	{ "free_text", N_("free text") },
};

/* Appends to buf (o used) the categories case c hides, in words, each
 * after sep and then ", "; the count appended. */
static size_t
add_categories(const Tafel__Case *c, char *buf, size_t len, size_t *o,
    const char *sep)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n_hidden_categories && *o < len; i++)
		for (size_t k = 0; k < sizeof category_texts /
		    sizeof category_texts[0]; k++) {
			if (strcmp(category_texts[k].category,
			    c->hidden_categories[i]) != 0)
				continue;
			*o += (size_t)snprintf(buf + *o, len - *o, "%s%s",
			    n++ == 0 ? sep : ", ", _(category_texts[k].text));
			if (*o >= len)
				*o = len;
			break;
		}
	return n;
}

/* Case c hides category (e.g. "person_names"). */
static int
hides(const Tafel__Case *c, const char *category)
{
	for (size_t i = 0; i < c->n_hidden_categories; i++)
		if (strcmp(c->hidden_categories[i], category) == 0)
			return 1;
	return 0;
}

/*
 * Why this user sees less of case c; where only some categories are
 * hidden, which ones ("hidden: ... (birth dates)").  On the shared screen
 * with the names shown (housing present: no birth dates), which ones the
 * room does not get ("niet voor iedereen in de zaal: geboortedata").  A
 * static buffer.
 */
const char *
ui_redaction_case(const Tafel__Case *c)
{
	static char buf[400];
	size_t o = 0;

	if (strcmp(c->redaction_reason, "presentation") == 0 &&
	    !hides(c, "person_names") && c->n_hidden_categories > 0) {
		o = (size_t)snprintf(buf, sizeof buf, "%s",
		    _("not for everyone present:"));
		if (o < sizeof buf &&
		    add_categories(c, buf, sizeof buf, &o, " ") > 0)
			return buf;
	}
	o = (size_t)snprintf(buf, sizeof buf, "%s",
	    ui_redaction_text(c->redaction_reason));
	if (strcmp(c->redaction_reason, "category") != 0 || o >= sizeof buf)
		return buf;
	if (add_categories(c, buf, sizeof buf, &o, " (") > 0 &&
	    o < sizeof buf)
		snprintf(buf + o, sizeof buf - o, ")");
	return buf;
}

/* Why the shared screen hides part of a case: the audience, not the viewer. */
static const struct {
	const char *reason;
	const char *text;
} beamer_texts[] = {
	{ "not_involved", N_("an organisation present is not involved in this case") },
	{ "not_signatory", N_("an organisation present has not signed the covenant") },
	{ "observer", N_("an observer is present") },
	{ "category", N_("an organisation present may not see all of this data") },
	{ "not_open", N_("the meeting is not open yet, so nobody is recorded present") },
};

const char *
ui_beamer_reason_text(const char *reason)
{
	size_t i;

	for (i = 0; i < sizeof beamer_texts / sizeof beamer_texts[0]; i++)
		if (strcmp(beamer_texts[i].reason, reason) == 0)
			return _(beamer_texts[i].text);
	return _("not everyone present may see it");
}

/* Whether the case's free text (decisions, action point texts) is withheld
 * from this view (docs/protocol.md, hidden_categories); a redacted case of
 * a server that does not list its categories counts as withheld. */
int
ui_free_text_hidden(const Tafel__Case *c)
{
	if (c == NULL || !c->redacted)
		return 0;
	if (c->n_hidden_categories == 0)
		return 1;
	for (size_t i = 0; i < c->n_hidden_categories; i++)
		if (strcmp(c->hidden_categories[i], "free_text") == 0)
			return 1;
	return 0;
}

/* A decision as this user may read it: the text, "(none yet)" (or, once
 * its meeting is over, "(no decision recorded)", as the minutes say), or
 * that it is hidden (a case whose free text is withheld never shows its
 * decision; the case's redaction line above it says why).  A case
 * redacted only in other categories (housing: no birth dates) shows its
 * decision, and says so when there is none. */
void
ui_decision_text(const Tafel__Case *c, const char *decision, int over,
    char *buf, size_t len)
{
	if (decision != NULL && decision[0] != '\0')
		snprintf(buf, len, "%s", decision);
	else if (ui_free_text_hidden(c))	/* the case's line says why */
		snprintf(buf, len, "%s", _("(hidden, see above)"));
	else
		snprintf(buf, len, "%s", over ? _("(no decision recorded)") :
		    _("(none yet)"));
}

void
ui_item_decision_text(const Tafel__Case *c, const Tafel__AgendaItem *it,
    char *buf, size_t len)
{
	if (it != NULL && it->decision[0] == '\0' &&
	    it->state != TAFEL__ITEM_STATE__ITEM_DISCUSSED && !ui_free_text_hidden(c))
		snprintf(buf, len, "%s", _("(not discussed)"));
	else
		ui_decision_text(c, it != NULL ? it->decision : "", 1, buf,
		    len);
}

void
ui_changed_after_close(bool changed, const char *by, int64_t at, char *buf,
    size_t len)
{
	char when[32];

	if (!changed) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	/* as every date on screen (Europe/Amsterdam: main() sets TZ) */
	ui_date(at, when, sizeof when);
	snprintf(buf, len, _("changed after closing by %s on %s"),
	    by != NULL && by[0] != '\0' ? by : "?", when);
}

/* An action point's text, or that it is hidden (the case's line says why
 * when the whole case is redacted), never an empty line. */
void
ui_action_text(const Tafel__Case *c, const Tafel__ActionPoint *a, char *buf,
    size_t len)
{
	if (a->description[0] != '\0')
		snprintf(buf, len, "%s", a->description);
	else if (c != NULL && c->redacted)
		snprintf(buf, len, "%s", _("(text hidden, see above)"));
	else
		snprintf(buf, len, "%s", _("(text hidden from your organisation)"));
}

const char *
ui_hidden_text(const Tafel__Case *c)
{
	return c != NULL && c->redacted ? _("(hidden, see above)") :
	    _("(hidden from your organisation)");
}

const char *
ui_contribution_hidden_text(const Tafel__Case *c)
{
	/* the line above lists "the summary", not contributions: say they
	 * count as it (docs/security.md), or a housing corporation wonders
	 * what "see above" refers to */
	if (c != NULL && c->redacted &&
	    strcmp(c->redaction_reason, "category") == 0 &&
	    hides(c, "case_summary"))
		return _("(hidden, as the summary is: see above)");
	return ui_hidden_text(c);
}

/* A legal clock: its day of its length while it runs, else when it starts
 * or that it has ended; the full form adds the hearing and the notice. */
void
ui_clock_text(const Tafel__CaseClock *k, int brief, char *buf, size_t len)
{
	int n;

	if (k->day <= 0)
		n = snprintf(buf, len, brief ? "%s %s" : _("%s starts %s"),
		    k->label, k->starts_on);
	else if (!k->running)
		n = snprintf(buf, len, brief ? "%s ✓" : _("%s ended %s"),
		    k->label, k->ends_on);
	else
		n = snprintf(buf, len, brief ? "%s %d/%d" : _("%s day %d of %d"),
		    k->label, (int)k->day, (int)k->total_days);
	if (brief || n < 0 || (size_t)n >= len)
		return;
	if (k->hearing_date[0] != '\0')
		n += snprintf(buf + n, len - (size_t)n, _(" · hearing %s"),
		    k->hearing_date);
	if (n >= 0 && (size_t)n < len && k->notice_due[0] != '\0')
		snprintf(buf + n, len - (size_t)n, _(" · notify %s by %s"),
		    k->notice_org_kind, k->notice_due);
}
