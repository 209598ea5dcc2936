/* The terminal UI's shared state: the status message, errors, switching views, lookups every view uses. */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "i18n.h"

double
ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Marks the screen stale; the redraw runs once, after the current callback. */
void
ui_dirty(struct ui *u)
{
	u->dirty = 1;
	if (u->redraw_ev != NULL)
		event_active(u->redraw_ev, EV_TIMEOUT, 0);
}

void
ui_message(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(u->message, sizeof u->message, fmt, ap);
	va_end(ap);
	/* cut: said with "…" (on a character's boundary), never silently */
	if (n >= (int)sizeof u->message) {
		size_t k = sizeof u->message - sizeof "…";

		while (k > 0 && ((unsigned char)u->message[k] & 0xc0) == 0x80)
			k--;
		memcpy(u->message + k, "…", sizeof "…");
	}
	u->message_error = error;
	/* what a change that waited for the connection came to: the user
	 * may have looked away meanwhile, so it stays until a key */
	u->message_kept = !error && u->net != NULL &&
	    net_answer_waited(u->net);
	/* news of one action goes after a while, so that it does not stand
	 * on an unattended screen (the beamer) long after; an error stays
	 * until the next key (ui_key), as every message does */
	u->message_until = error ? 0 : ui_now() + UI_MESSAGE_SECONDS;
	ui_dirty(u);
}

/* What a CONFLICT error says the record is now, in one line. */
void
ui_conflict_text(struct ui *u, const Tafel__Error *e, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (e->current_record_case) {
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_MEETING:
		snprintf(buf, len, "%s: %s (%s %lld)", _("Now"),
		    ui_enum(&tafel__meeting_state__descriptor,
		    (int)e->current_meeting->state), _("version"),
		    (long long)e->current_meeting->version);
		break;
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_AGENDA_ITEM:
		snprintf(buf, len, "%s: %s «%s» (%s %lld)", _("Now"),
		    _("Decision"), e->current_agenda_item->decision[0] ?
		    e->current_agenda_item->decision : _("(none yet)"),
		    _("version"), (long long)e->current_agenda_item->version);
		break;
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_ACTION_POINT: {
		const Tafel__ActionPoint *a = e->current_action_point;
		const Tafel__Organisation *o = ui_org(u, a->owner_org_id);

		/* every field the form asks: a field the user changed too
		 * keeps the user's value, so the other's is said here */
		/* the short fields first, the long texts last: what does
		 * not fit is cut from the end (with "…") */
		snprintf(buf, len, "%s: %s · %s · %s%s%s · %s%s%s (%s %lld)",
		    _("Now"), ui_enum(&tafel__action_state__descriptor,
		    (int)a->state), a->due_date, o != NULL ? o->name : "?",
		    a->owner_user_name[0] ? ", " : "", a->owner_user_name,
		    a->description[0] ? a->description : _("(text hidden)"),
		    a->completion_note[0] ? " — " : "", a->completion_note,
		    _("version"), (long long)a->version);
		break;
	}
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_CASE:
		snprintf(buf, len, "%s: %s %s · %s (%s %lld)", _("Now"),
		    _("Case"), e->current_case->number,
		    ui_enum(&tafel__case_status__descriptor,
		    (int)e->current_case->status), _("version"),
		    (long long)e->current_case->version);
		break;
	case TAFEL__ERROR__CURRENT_RECORD_CURRENT_PERSON:
		snprintf(buf, len, "%s: %s %s (%s %lld)", _("Now"),
		    e->current_person->name, e->current_person->birth_date,
		    _("version"), (long long)e->current_person->version);
		break;
	default:
		break;
	}
	(void)u;
}

/* STRING_TOO_LONG with the limit the server names ("reason: longer than
 * 500 characters", common/validate.c): the user can shorten the text to
 * it.  0 when the message names none. */
static int
too_long(struct ui *u, const char *message)
{
	const char *p = strstr(message, "longer than ");
	unsigned long max;
	char unit[16];

	if (p == NULL || sscanf(p, "longer than %lu %15s", &max, unit) != 2)
		return 0;
	if (strcmp(unit, "characters") == 0)
		ui_message(u, 1, _("The text is too long: at most %lu characters. "
		    "Shorten it."), max);
	else
		ui_message(u, 1, _("The text is too long: at most %lu bytes "
		    "(about as many letters). Shorten it."), max);
	return 1;
}

void
ui_show_error(struct ui *u, const Tafel__Error *e)
{
	char cur[1024];
	const char *special = ui_error_field_text(e->code, e->field,
	    e->message);

	ui_conflict_text(u, e, cur, sizeof cur);
	if (e->n_missing > 0) {		/* a refused move: what it still needs */
		char need[400] = "";

		for (size_t i = 0; i < e->n_missing; i++)
			snprintf(need + strlen(need), sizeof need - strlen(need),
			    "%s%s", i ? ", " : "", ui_missing_text(e->missing[i]));
		ui_message(u, 1, _("Still needed: %s."), need);
	} else if (special != NULL) {
		ui_message(u, 1, "%s", special);
	} else if (e->code == TAFEL__ERROR_CODE__STRING_TOO_LONG &&
	    too_long(u, e->message)) {
		;			/* said with the limit */
	} else if (cur[0] != '\0')
		ui_message(u, 1, "%s %s", ui_error_text(e->code), cur);
	else
		ui_message(u, 1, "%s", ui_error_text(e->code));
}

void
ui_set_view(struct ui *u, enum ui_view_id v)
{
	enum ui_view_id old = u->view;
	int i;

	/* the steering group has the reports and the help alone (the keys
	 * of the other views say so); Esc and q stay there */
	if (u->reports_only && v != VIEW_REPORTS && v != VIEW_HELP)
		v = VIEW_REPORTS;
	/* ? in a picker: a look at the keys, the picker (and the choice it
	 * waits for) stays, and the help starts with its keys */
	int aside = v == VIEW_HELP && old != VIEW_HELP &&
	    UI_VIEW(u)->transient;

	/* back at a view of the trail: what came after it is left behind
	 * (so Esc steps back, never between two views); else the view left
	 * is the newest step, unless it was a transient one */
	for (i = 0; i < u->n_trail && u->trail[i] != v; i++)
		;
	if (i < u->n_trail)
		u->n_trail = i;
	else if (v != old && !UI_VIEW(u)->transient) {
		if (u->n_trail == UI_TRAIL) {
			memmove(u->trail, u->trail + 1,
			    (UI_TRAIL - 1) * sizeof u->trail[0]);
			u->n_trail--;
		}
		u->trail[u->n_trail++] = old;
	}
	u->back = u->n_trail > 0 ? u->trail[u->n_trail - 1] : VIEW_MEETINGS;
	u->view = v;
	/* the message is cleared first: what the view being left says on
	 * its way out (a picker left without a choice: "nothing changed")
	 * is the news of this key and stays */
	u->message[0] = '\0';
	if (aside)
		u->aside = old;
	else if (old == VIEW_HELP && v != VIEW_HELP &&
	    u->aside != VIEW__COUNT) {
		enum ui_view_id left = u->aside;

		u->aside = VIEW__COUNT;
		if (v != left && u->views[left]->leave != NULL)
			u->views[left]->leave(u);	/* elsewhere from the help */
	} else if (v != old && u->views[old]->leave != NULL)
		u->views[old]->leave(u);
	if (v == VIEW_HELP && u->aside != VIEW__COUNT)
		u->back = u->aside;
	ui_dirty(u);
}

int
ui_yes_key(wint_t ch)
{
	/* TRANSLATORS: the keys that answer yes to a (y/n) question */
	const char *keys = _("yY");

	return ch > 0 && ch < 128 && strchr(keys, (int)ch) != NULL;
}

int
ui_yes(const char *t)
{
	return t != NULL && ui_yes_key((unsigned char)t[0]);
}

int
ui_meeting_over(const Tafel__Meeting *mt)
{
	return mt != NULL && (mt->state == TAFEL__MEETING_STATE__MEETING_CLOSED ||
	    mt->state == TAFEL__MEETING_STATE__MEETING_CANCELLED);
}

const Tafel__Organisation *
ui_org(struct ui *u, int64_t id)
{
	const Tafel__Organisation *o = model_org(&u->meeting, id);

	for (size_t i = 0; o == NULL && u->orgs != NULL &&
	    i < u->orgs->n_organisations; i++)
		if (u->orgs->organisations[i]->id == id)
			o = u->orgs->organisations[i];
	return o;
}

const Tafel__User *
ui_user(struct ui *u, int64_t id)
{
	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_users; i++)
		if (u->orgs->users[i]->id == id)
			return u->orgs->users[i];
	return NULL;
}
