/* Intake: a partner registers a signal, its theme, district, approach and reason, then its persons one by one. */
#include "forms.h"
#include "forms-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "datein.h"
#include "i18n.h"
#include "views.h"

/* --- intake: a partner registers a signal -------------------------------- */

/* theme → district → approach → reason → persons (one per prompt, empty
 * line: done, then sent).  The submitter is the user and organisation. */
#define SIGNAL_MAX_PERSONS 8

static struct {
	char theme[64], district[128], reason[2000];
	char known[2000];		/* the districts known (known_districts),
					 * ", " between them */
	int64_t approach;		/* Tafel__Approach */
	size_t n_persons;
	Tafel__PersonRole role[SIGNAL_MAX_PERSONS];
	char name[SIGNAL_MAX_PERSONS][200];
	char birth[SIGNAL_MAX_PERSONS][16];
} sig;

static const char *const themes[] = { "domestic_violence", "repeat_offenders",
	"at_risk_youth", "multi_problem" };

static void signal_ask_person(struct ui *u, const char *text);

/*
 * The year of a date of birth written in full but before 1900 (the
 * server's lower bound, docs/protocol.md): 12-3-1850 is a date, only not
 * a plausible one, which the user should hear rather than "not a date".
 * 0 when text is no such date.
 */
static int
birth_year_too_old(const char *text, struct datein_day today)
{
	struct datein_day day;
	char s[64];
	size_t i, n;

	snprintf(s, sizeof s, "%s", text);
	for (i = 0; s[i] != '\0'; i += n > 0 ? n : 1) {
		int year;

		n = strspn(s + i, "0123456789");
		if (n != 4 || (year = atoi(s + i)) >= 1900)
			continue;
		memcpy(s + i, "2000", 4);	/* the same date in a year taken */
		return datein_parse_birth(s, today, &day) == DATEIN_OK ?
		    year : 0;
	}
	return 0;
}

/*
 * The date of birth at the end of a person's line (its last one, two or
 * three words: 3-9-2015, 3 september 2015) moved into birth and cut off
 * rest; none leaves birth empty.  Digits that are no such date are refused
 * rather than kept in the name, where they would reach every screen the
 * name does (a day that does not exist, "3 september" without its year).
 * A line that is only a date lacks the name, and a year before 1900 is
 * said as such: both would otherwise read as "a name has no digits".
 * role: its label, for the example.  NULL, or why not (a static buffer).
 */
static const char *
person_birth(char *rest, char *birth, size_t len, const char *role)
{
	static char why[400];
	struct datein_day today = datein_today((int64_t)time(NULL)), day;
	enum datein_result r;
	char *cut, *digit;
	int year;

	birth[0] = '\0';
	r = datein_parse_birth(rest, today, &day);
	if (rest[strspn(rest, " ")] == '\0' || r == DATEIN_OK ||
	    r == DATEIN_FUTURE || birth_year_too_old(rest, today) != 0) {
		snprintf(why, sizeof why, _("The name is missing: role, name, "
		    "date of birth, e.g. %s J. Jansen 3-9-2015."), role);
		return why;
	}
	for (int words = 3; words >= 1; words--) {
		cut = rest + strlen(rest);
		for (int k = 0; k < words && cut != NULL; k++) {
			while (cut > rest && cut[-1] == ' ')
				cut--;
			while (cut > rest && cut[-1] != ' ')
				cut--;
			if (cut == rest)
				cut = NULL;	/* no name would be left */
		}
		if (cut == NULL)
			continue;
		r = datein_parse_birth(cut, today, &day);
		if (r == DATEIN_FUTURE) {
			snprintf(why, sizeof why, _("%s lies in the future: "
			    "a date of birth cannot."), cut);
			return why;
		}
		if ((year = birth_year_too_old(cut, today)) != 0) {
			snprintf(why, sizeof why, _("Year of birth %d is "
			    "not plausible (1900 to today)."), year);
			return why;
		}
		if (r == DATEIN_OK) {
			datein_format(day, birth, len);
			while (cut > rest && cut[-1] == ' ')
				cut--;
			*cut = '\0';
			break;
		}
	}
	if ((digit = strpbrk(rest, "0123456789")) == NULL)
		return NULL;
	birth[0] = '\0';
	while (digit > rest && digit[-1] != ' ')
		digit--;
	/* at the end, where the date goes: a date that is not one (a year
	 * alone, 31-2-1987), said as such; inside the name: no digits */
	if (strchr(digit, ' ') == NULL) {
		if (strlen(digit) == 4 && strspn(digit, "0123456789") == 4)
			snprintf(why, sizeof why, _("'%s' is a year only: a date "
			    "of birth needs day, month and year (e.g. 3-9-%s); "
			    "leave it out when it is not known."), digit, digit);
		else
			snprintf(why, sizeof why, _("'%s' is not a date: type "
			    "day, month and year, e.g. 3-9-2015 or 3 september "
			    "2015, or leave it out when it is not known."),
			    digit);
		return why;
	}
	snprintf(why, sizeof why, _("'%s' is not a date of birth: a name has "
	    "no digits. Type the date after the name with its year, e.g. "
	    "3-9-2015 or 3 september 2015."), digit);
	return why;
}

/*
 * A person's line refused: offered again to correct, with why.  Lines
 * typed or pasted after it in one go would run on into the line offered
 * (or be taken while this one is missing, out of order): they are
 * dropped, and said to be, so that none goes unseen.
 */
static void
signal_refuse(struct ui *u, const char *text, const char *why)
{
	int dropped = form_drop_typed_ahead(u);

	signal_ask_person(u, text);
	if (dropped)
		ui_message(u, 1, "%s %s", why, _("What was typed after this "
		    "line was not taken: type it again."));
	else
		ui_message(u, 1, "%s", why);
}

static void
signal_send(struct ui *u, const char *text)
{
	Tafel__CreateCaseRequest r = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p[SIGNAL_MAX_PERSONS], *pp[SIGNAL_MAX_PERSONS];
	const char *why;
	char *rest, *name;
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
		if (role >= 0 && rest == NULL)	/* the role alone: no name */
			rest = name + strlen(name);
		if (role < 0 || rest == NULL || sig.n_persons ==
		    SIGNAL_MAX_PERSONS)
			why = sig.n_persons == SIGNAL_MAX_PERSONS ?
			    _("No more persons fit in one signal.") :
			    _("Start with the role: victim, suspect, child or "
			    "other, then the name.");
		else
			why = person_birth(rest, sig.birth[sig.n_persons],
			    sizeof sig.birth[0], ui_enum(
			    &tafel__person_role__descriptor, role));
		if (why != NULL) {
			signal_refuse(u, text, why);
			return;
		}
		sig.role[sig.n_persons] = (Tafel__PersonRole)role;
		snprintf(sig.name[sig.n_persons], sizeof sig.name[0], "%s",
		    rest);
		sig.n_persons++;
		signal_ask_person(u, "");
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
	r.approach = (Tafel__Approach)sig.approach;
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

static void
signal_reopen(struct ui *u, const Tafel__Error *e)
{
	signal_ask_person(u, "");
}

/* One person a prompt (its label counts them), so no fields. */
static const struct form signal_form = {
	.lines = 1,
	.send = signal_send,
	.refused = retry_refused,
	.reopen = signal_reopen,
	.accepted = signal_accepted,
};

/* The next person's question, its number in the label; text: what was
 * typed, offered again when it was refused. */
static void
signal_ask_person(struct ui *u, const char *text)
{
	char label[200];

	snprintf(label, sizeof label, _("Person %zu: role name date of birth "
	    "(empty: register)"), sig.n_persons + 1);
	fs.form = &signal_form;
	ui_prompt(u, label, text, form_typed);
	u->prompt.answers = 1;		/* theme, district, ... typed */
	u->prompt.edited = text[0] != '\0';
}

/* The theme by its number in the list shown, or its name (either
 * language), into sig.theme. */
static const char *
theme_check(struct ui *u, const char *text)
{
	size_t len = strlen(text);
	char *end;
	long n = strtol(text, &end, 10);

	sig.theme[0] = '\0';
	if (len > 0 && *end == '\0' && n >= 1 &&
	    n <= (long)(sizeof themes / sizeof themes[0]))
		snprintf(sig.theme, sizeof sig.theme, "%s", themes[n - 1]);
	for (size_t i = 0; len > 0 && sig.theme[0] == '\0' &&
	    i < sizeof themes / sizeof themes[0]; i++)
		if (strncasecmp(ui_theme(themes[i]), text, len) == 0 ||
		    strncasecmp(themes[i], text, len) == 0)
			snprintf(sig.theme, sizeof sig.theme, "%s", themes[i]);
	return sig.theme[0] == '\0' ?
	    _("Choose a theme by its number or name.") : NULL;
}

/* The intake's fields, in the order asked (intake_fields[]). */
enum intake_field {
	INTAKE_THEME,
	INTAKE_DISTRICT,
	INTAKE_APPROACH,
	INTAKE_REASON
};

static const struct form intake_form;

/* A district's name as compared: lower case, without spaces, hyphens and
 * dots ("Enschede-Noord", "enschede noord" and "Enschede.Noord" are one);
 * 0 when it does not fit or is no text. */
static int
district_key(const char *name, wchar_t *key, size_t size)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, name, sizeof w / sizeof w[0] - 1), k = 0;

	if (n == (size_t)-1 || n >= sizeof w / sizeof w[0] - 1)
		return 0;
	for (size_t i = 0; i < n && k + 1 < size; i++)
		if (!iswspace((wint_t)w[i]) && w[i] != L'-' && w[i] != L'.')
			key[k++] = (wchar_t)towlower((wint_t)w[i]);
	key[k] = L'\0';
	return 1;
}

/* The known district typed differently (case, spaces, hyphens, dots),
 * into out; 0 when none is. */
static int
district_known(const char *typed, char *out, size_t len)
{
	wchar_t want[256], have[256];
	const char *p = sig.known;

	if (!district_key(typed, want, sizeof want / sizeof want[0]))
		return 0;
	while (*p != '\0') {
		const char *end = strstr(p, ", ");
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		char name[sizeof sig.district];

		snprintf(name, sizeof name, "%.*s", (int)n, p);
		if (district_key(name, have, sizeof have / sizeof have[0]) &&
		    wcscmp(want, have) == 0) {
			snprintf(out, len, "%s", name);
			return 1;
		}
		p += n + (end != NULL ? 2 : 0);
	}
	return 0;
}

/* The answer to "a new district: use it anyway?"; n and Esc go back to
 * the district as typed. */
static void
district_confirmed(struct ui *u, const char *text)
{
	fs.form = &intake_form;
	form_again(u, ui_yes(text) ? INTAKE_APPROACH : INTAKE_DISTRICT, NULL);
}

/*
 * The district decides whose case it is (the process manager of the
 * district): a known one typed differently takes its known spelling, and
 * one neither the server (series, process managers) nor a case listed
 * knows is used only when confirmed, since a typo would otherwise make a
 * new district nobody manages.  No district known: nothing to compare
 * with, taken as typed.
 */
static const char *
district_check(struct ui *u, const char *text)
{
	char known[sizeof sig.district], label[800];
	size_t n;

	/* the spaces around it are no part of its name */
	snprintf(sig.district, sizeof sig.district, "%s",
	    text + strspn(text, " \t"));
	for (n = strlen(sig.district); n > 0 && (sig.district[n - 1] == ' ' ||
	    sig.district[n - 1] == '\t'); n--)
		sig.district[n - 1] = '\0';
	if (sig.known[0] == '\0')
		return NULL;
	if (district_known(sig.district, known, sizeof known)) {
		if (strcmp(known, sig.district) == 0)
			return NULL;
		snprintf(label, sizeof label, _("'%s' is the known district "
		    "%s."), sig.district, known);
		snprintf(sig.district, sizeof sig.district, "%s", known);
		form_again(u, INTAKE_APPROACH, NULL);
		ui_message(u, 0, "%s", label);	/* after the prompt */
		return form_pending;
	}
	snprintf(label, sizeof label, _("'%s' is a new district (known: %s). "
	    "Use it anyway? (y/n)"), sig.district, fs.what);
	ui_ask_yesno(u, label, district_confirmed);
	return form_pending;
}

static const struct field intake_fields[] = {
	[INTAKE_THEME] = { .label = N_("New signal: theme (number or name)"),
	  .kind = ASK_TEXT, .check = theme_check },
	[INTAKE_DISTRICT] = { .label = N_("District (known: %s)"),
	  .kind = ASK_TEXT, .required = 1,
	  .missing = N_("The district decides who manages the case."),
	  .text = sig.district, .size = sizeof sig.district,
	  .check = district_check },
	[INTAKE_APPROACH] = { .label = N_("Approach (person, system, area)"),
	  .kind = ASK_CHOICE, .choices = &tafel__approach__descriptor,
	  .num = &sig.approach, .wrong = N_("Choose person, system or area.") },
	[INTAKE_REASON] = { .label = N_("Reason for the signal"),
	  .kind = ASK_TEXT, .required = 1,
	  .missing = N_("Say why you raise the signal."),
	  .text = sig.reason, .size = sizeof sig.reason },
	{ .label = NULL }
};

/* The intake's fields answered: the persons, one a prompt. */
static void
intake_done(struct ui *u, const char *unused)
{
	signal_ask_person(u, "");
}

static const struct form intake_form = {
	.fields = intake_fields,
	.send = intake_done,
};

/* Adds district d to the list buf ("A, B, C") unless it is there. */
static void
known_add(char *buf, size_t len, const char *d, size_t n)
{
	size_t o = strlen(buf);

	for (const char *p = buf; *p != '\0'; ) {
		const char *end = strstr(p, ", ");
		size_t k = end != NULL ? (size_t)(end - p) : strlen(p);

		if (k == n && strncmp(p, d, n) == 0)
			return;
		p += k + (end != NULL ? 2 : 0);
	}
	if (n == 0 || o + n + 3 >= len)
		return;
	snprintf(buf + o, len - o, "%s%.*s", o ? ", " : "", (int)n, d);
}

/* The districts known: the server's (series, process managers), then
 * those of the cases listed. */
static void
known_districts(struct ui *u, char *buf, size_t len)
{
	char cases[sizeof sig.known];

	buf[0] = '\0';
	for (size_t i = 0; u->orgs != NULL && i < u->orgs->n_districts; i++)
		known_add(buf, len, u->orgs->districts[i],
		    strlen(u->orgs->districts[i]));
	view_cases_districts(u, cases, sizeof cases);
	for (const char *p = cases; *p != '\0'; ) {
		const char *end = strstr(p, ", ");
		size_t k = end != NULL ? (size_t)(end - p) : strlen(p);

		known_add(buf, len, p, k);
		p += k + (end != NULL ? 2 : 0);
	}
}

void
forms_signal(struct ui *u)
{
	char label[300];

	memset(&sig, 0, sizeof sig);
	known_districts(u, sig.known, sizeof sig.known);
	known_districts(u, fs.what, sizeof fs.what);	/* whole names */
	if (fs.what[0] == '\0')
		snprintf(fs.what, sizeof fs.what, "%s", _("none yet"));
	snprintf(label, sizeof label, _("Themes: 1 %s, 2 %s, 3 %s, 4 %s"),
	    ui_theme(themes[0]), ui_theme(themes[1]), ui_theme(themes[2]),
	    ui_theme(themes[3]));
	form_ask(u, &intake_form);
	ui_message(u, 0, "%s", label);
}
