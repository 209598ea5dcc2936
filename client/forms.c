/* The one form helper: asks a form's fields in turn, sends the write, and on a refusal shows the record as it is now and asks again; plus the pieces the forms-*.c files share. */
#include "forms-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "datein.h"
#include "i18n.h"
#include "views.h"

struct forms_state fs;
const char form_pending[] = "";

/* --- the helper ---------------------------------------------------------- */

/* A label with %s replaced by what the form acts on (fs.what). */
static const char *
label_what(const char *msgid)
{
	static char buf[400];
	const char *label = _(msgid), *at = strstr(label, "%s");

	if (at == NULL)
		snprintf(buf, sizeof buf, "%s", label);
	else
		snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - label), label,
		    fs.what, at + 2);
	return buf;
}

/* Field i of form f: its own list, or the one text field of a form with
 * only a label; NULL past the end. */
static const struct field *
form_field(const struct form *f, size_t i)
{
	static struct field one;

	if (f->fields != NULL)
		return f->fields[i].label != NULL ? &f->fields[i] : NULL;
	if (f->label == NULL || i > 0)
		return NULL;
	one = (struct field){ .label = f->label, .kind = ASK_TEXT };
	return &one;
}

static int
field_skipped(const struct field *fl)
{
	return fl->skip != NULL && fl->skip();
}

/* The prompt label of form f's field being asked, naming what it acts on. */
const char *
form_label(const struct form *f)
{
	const struct field *fl = form_field(f, fs.form == f ? fs.field : 0);

	return label_what(fl != NULL ? fl->label : "");
}

/* What a field offers before anything is typed: what it holds now. */
static const char *
field_shown(const struct field *fl, char *buf, size_t len)
{
	switch (fl->kind) {
	case ASK_NUMBER:
		snprintf(buf, len, "%lld", (long long)*fl->num);
		return buf;
	case ASK_CHOICE:
		return ui_enum(fl->choices, (int)*fl->num);
	case ASK_WHEN:
	case ASK_YESNO:
		return "";
	default:
		return fl->text != NULL ? fl->text : "";
	}
}

/* Cuts the blanks (spaces, tabs) at the end of s. */
static void
cut_blanks(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* A date and a time ("morgen 13:30", "15 december 13:30") as a Unix
 * time; 0 when not.  The time is the last word, the date all before it
 * (a date may be more than one word; blanks between them may be more
 * than one). */
static int
when_field(const char *text, int64_t *out)
{
	struct datein_day d;
	int hh = 0, mm = 0;
	char day[64], *at;
	struct tm tm;

	if (strlen(text) >= sizeof day)
		return 0;
	memcpy(day, text, strlen(text) + 1);
	cut_blanks(day);
	at = day + strlen(day);		/* the last word: the time */
	while (at > day && at[-1] != ' ' && at[-1] != '\t')
		at--;
	if (at == day)
		return 0;		/* one word: no time */
	at[-1] = '\0';
	cut_blanks(day);
	if (datein_parse(day, datein_today((int64_t)time(NULL)), &d) !=
	    DATEIN_OK || !datein_parse_time(at, &hh, &mm))
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 1;
}

int
form_blank(const char *text)
{
	return text[strspn(text, " \t\n")] == '\0';
}

/* Takes what was typed into the field's place; NULL, or why not. */
static const char *
field_take(struct ui *u, const struct field *fl, const char *text)
{
	char buf[32], *end;
	int hh, mm, v;
	long n;

	if (fl->required && form_blank(text))
		return _(fl->missing != NULL ? fl->missing :
		    N_("This cannot be left empty."));
	switch (fl->kind) {
	case ASK_TEXT:
		if (fl->text != NULL)
			snprintf(fl->text, fl->size, "%s", text);
		break;
	case ASK_DATE:
		if (!date_field(text, buf, sizeof buf))
			return fl->wrong != NULL ? _(fl->wrong) :
			    date_refusal(text);
		snprintf(fl->text, fl->size, "%s", buf);
		break;
	case ASK_TIME:
		if (!datein_parse_time(text, &hh, &mm))
			return _(fl->wrong != NULL ? fl->wrong :
			    N_("Type the time as 13:30 or 13.30."));
		snprintf(fl->text, fl->size, "%02d:%02d", hh, mm);
		break;
	case ASK_WHEN:
		if (!when_field(text, fl->num))
			return _(fl->wrong != NULL ? fl->wrong :
			    N_("Type a date and a time, e.g. morgen 13:30."));
		break;
	case ASK_NUMBER:
		n = strtol(text, &end, 10);
		if (*text == '\0' || *end != '\0' || n < fl->min || n > fl->max)
			return _(fl->wrong != NULL ? fl->wrong :
			    N_("Not a number in the range."));
		*fl->num = n;
		break;
	case ASK_CHOICE:
		v = enum_from_text(fl->choices, text);
		if (v < 0)
			return _(fl->wrong != NULL ? fl->wrong :
			    N_("Not one of the choices."));
		*fl->num = v;
		break;
	case ASK_YESNO:
		*fl->num = ui_yes(text);
		break;
	}
	return fl->check != NULL ? fl->check(u, text) : NULL;
}

/* The prompt for field fl offering text; a (y/n) field takes one key. */
static void
field_prompt(struct ui *u, const struct field *fl, const char *text)
{
	if (fl->kind == ASK_YESNO)
		ui_ask_yesno(u, label_what(fl->label), form_typed);
	else {
		ui_prompt(u, label_what(fl->label), text, form_typed);
		/* a date, time, number or choice offered is a default: typing
		 * replaces it (a text offered is there to be edited, unless
		 * the field says it is a default too) */
		u->prompt.replace = fl->kind != ASK_TEXT || fl->replace;
	}
}

/* The form is answered and closes: sent.  entered: its last answer was
 * typed and ended with Enter, and what was typed ahead after that is
 * dropped (flushinp): the rest of a quickly typed answer would otherwise
 * act as keys on the view (e on another action point, then its text).
 * A form of lines keeps it: pasted or typed fast, it is the next line
 * (its empty line ends the list, and the form closes). */
static void
form_close(struct ui *u, int entered)
{
	if (entered && (!fs.form->lines || fs.text[0] == '\0'))
		flushinp();
	fs.form->send(u, fs.text);
}

int
form_drop_typed_ahead(struct ui *u)
{
	wint_t ch;
	int any = 0;

	/* the input window reads without waiting (nodelay) */
	while (wget_wch(u->foot, &ch) != ERR)
		any = 1;
	return any;
}

/* Asks field i of the form on the prompt, or the next one not skipped;
 * past the last the form is sent (form_close, entered).  shown NULL: what
 * the field holds. */
static void
field_ask(struct ui *u, size_t i, const char *shown, int entered)
{
	const struct form *f = fs.form;
	const struct field *fl;
	char buf[64];

	while ((fl = form_field(f, i)) != NULL && field_skipped(fl))
		i++;
	if (fl == NULL) {
		form_close(u, entered);
		return;
	}
	fs.field = i;
	field_prompt(u, fl, shown != NULL ? shown :
	    field_shown(fl, buf, sizeof buf));
	u->prompt.answers = i > 0;	/* Esc asks before dropping them */
}

/* The prompt's answer: checked and taken by the field being asked, then
 * the next; a form without fields takes the text as it is. */
void
form_typed(struct ui *u, const char *text)
{
	const struct form *f = fs.form;
	const struct field *fl = form_field(f, fs.field);
	const char *why;

	if (text == NULL) {
		if (f->cancelled != NULL)
			f->cancelled(u);
		return;
	}
	snprintf(fs.text, sizeof fs.text, "%s", text);
	if (fl == NULL) {
		form_close(u, 1);
		return;
	}
	why = field_take(u, fl, fs.text);
	if (why == form_pending)	/* a picker or a question took over */
		return;
	if (why != NULL) {
		field_prompt(u, fl, text);
		u->prompt.edited = 1;		/* the text is the user's */
		u->prompt.answers = fs.field > 0;
		ui_message(u, 1, "%s", why);	/* after the prompt */
		return;
	}
	field_ask(u, fs.field + 1, NULL, fl->kind != ASK_YESNO);
}

/* After a check that took over (form_pending): field i of the form on
 * the prompt, offering shown (NULL: what it holds); past the last, sent. */
void
form_again(struct ui *u, size_t i, const char *shown)
{
	field_ask(u, i, shown, 0);
}

/* Asks form f's fields from the first, each offering what it holds. */
void
form_ask(struct ui *u, const struct form *f)
{
	fs.form = f;
	field_ask(u, 0, NULL, 0);
}

/* Asks form f's fields, the first offering initial. */
void
form_start(struct ui *u, const struct form *f, const char *initial)
{
	fs.form = f;
	field_ask(u, 0, initial, 0);
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

/* Asks form f's last field (not skipped) again, with the text typed. */
static void
form_ask_last(struct ui *u, const struct form *f)
{
	const struct field *fl;
	size_t last = 0;
	int any = 0;

	for (size_t i = 0; (fl = form_field(f, i)) != NULL; i++)
		if (!field_skipped(fl)) {
			last = i;
			any = 1;
		}
	if (!any)
		return;
	fs.form = f;
	fs.field = last;
	field_prompt(u, form_field(f, last), fs.text);
	u->prompt.edited = 1;			/* the text is the user's */
	u->prompt.answers = last > 0;
}

static void
form_reply(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	const struct form *f;
	int again;

	if (m == NULL)
		return;
	f = form_of(m->request_id);
	if (m->body_case != TAFEL__ENVELOPE__BODY_ERROR) {
		fs.reply = m;
		f->accepted(u);
		fs.reply = NULL;
		return;
	}
	again = f->refused != NULL ? f->refused(u, m->error) : 0;
	if (again < 0)			/* sent again: its answer says */
		return;
	if (again) {
		fs.form = f;
		if (f->reopen != NULL)
			f->reopen(u, m->error);
		else
			form_ask_last(u, f);
	}
	/* after the prompt, which clears the message line */
	if (f->forbidden != NULL && m->error != NULL &&
	    m->error->code == TAFEL__ERROR_CODE__FORBIDDEN)
		ui_message(u, 1, "%s", _(f->forbidden));
	else
		ui_show_error(u, m->error);
}

/* Sends the write of the form being filled in. */
void
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

/* Any refusal: asked again with what was typed. */
int
retry_refused(struct ui *u, const Tafel__Error *e)
{
	return 1;
}

/* --- shared pieces ------------------------------------------------------- */

/* Takes the version of a CONFLICT's current action point; 0 when it is no
 * longer open (nothing left to change). */
int
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
void
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

/* A question that names a meeting by its series ("Agenda 'SSO Enschede
 * 2026-12-13 13:30' publiceren ...?"): when it does not fit on the input line,
 * the series name in it is shortened ("WZT Ensch…Noord"), so that the date
 * and the question stay whole (the prompt would cut the middle of the line,
 * date and quote included). */
void
fit_meeting_question(struct ui *u, char *label, size_t len, const char *series)
{
	char *at, cut[256], rest[512];
	int over = layout_width(label) + 3 - u->cols;	/* ": " and the cursor */
	int room;

	if (over <= 0 || series == NULL || series[0] == '\0' ||
	    (at = strstr(label, series)) == NULL)
		return;
	room = layout_width(series) - over;
	if (room < 8)		/* no use: the prompt cuts the line itself */
		room = 8;
	layout_fit_middle(cut, sizeof cut, series, room);
	snprintf(rest, sizeof rest, "%s", at + strlen(series));
	snprintf(at, len - (size_t)(at - label), "%s%s", cut, rest);
}

/* The case number of an agenda item, "?" if not visible. */
const char *
item_case(struct ui *u, const Tafel__AgendaItem *it)
{
	const Tafel__Case *c = model_case(&u->meeting, it->case_id);

	return c != NULL ? c->number : "?";
}

int
need_meeting(struct ui *u)
{
	if (u->meeting.meeting == NULL) {
		ui_message(u, 1, "%s", _("No meeting loaded yet."));
		return 0;
	}
	return 1;
}

/* A date typed as people do, "" to clear; 0 when not a date. */
int
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

/* Why text is not taken as a date, quoting it: what every date field
 * says (a static buffer). */
const char *
date_refusal(const char *text)
{
	static char why[300];

	snprintf(why, sizeof why, _("'%s' is not a date: type e.g. "
	    "8-12-2026, 8/12, tomorrow or +7."), text);
	return why;
}

/* An enum value by its label on screen (Dutch or English), its short name
 * or its number; -1 if none fits.  The start of a label is enough. */
int
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

/* A series of the list by its name (exact, else its start) into
 * fs.series_id. */
const char *
series_check(struct ui *u, const char *text)
{
	size_t len = strlen(text);

	fs.series_id = 0;
	for (int exact = 1; exact >= 0 && fs.series != NULL; exact--)
		for (size_t i = 0; i < fs.series->n_series; i++) {
			const Tafel__Series *s = fs.series->series[i];

			if (exact ? strcasecmp(s->name, text) == 0 :
			    len > 0 && strncasecmp(s->name, text, len) == 0) {
				fs.series_id = s->id;
				return NULL;
			}
		}
	return _("No such series.");
}

static const struct form *series_form;	/* asked when the list is in */
static struct {
	int64_t id;		/* preferred series, 0 none */
	char district[128];	/* else one of this district, "" none */
} series_pref;

/* The series offered first: the one asked for, else one of the district
 * asked for (one the user chairs first), else the only one the user
 * chairs, else the only one; NULL when none stands out (say, a chair of
 * series in several districts), and the user types one. */
static const Tafel__Series *
series_default(const struct ui *u, const Tafel__SeriesList *l)
{
	const Tafel__Series *chaired = NULL, *in_district = NULL;
	const char *d = series_pref.district;
	size_t n_chaired = 0;

	for (size_t i = 0; i < l->n_series; i++) {
		const Tafel__Series *s = l->series[i];
		int mine = u->my_user_id != 0 &&
		    s->usual_chair_id == u->my_user_id;

		if (series_pref.id != 0 && s->id == series_pref.id)
			return s;
		if (d[0] != '\0' && strcasecmp(s->district, d) == 0 &&
		    (in_district == NULL || (mine &&
		    in_district->usual_chair_id != u->my_user_id)))
			in_district = s;
		if (mine && n_chaired++ == 0)
			chaired = s;
	}
	if (in_district != NULL)
		return in_district;
	if (n_chaired == 1)
		return chaired;
	return l->n_series == 1 ? l->series[0] : NULL;
}

/* Whether a series is offered: the series field's skip functions choose
 * the label that says to type one when none is. */
int
series_offered(void)
{
	return fs.series_name[0] != '\0';
}

int
series_not_offered(void)
{
	return !series_offered();
}

static void
on_series(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct ui *u = arg;
	char names[300] = "";
	const Tafel__Series *def;

	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_SERIES_LIST) {
		if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
			ui_show_error(u, m->error);
		return;
	}
	if (fs.series != NULL)
		protobuf_c_message_free_unpacked(&fs.series->base, NULL);
	fs.series = (Tafel__SeriesList *)model_dup(&m->series_list->base);
	if (fs.series->n_series == 0) {
		ui_message(u, 1, "%s", _("Your organisation takes part in no "
		    "series."));
		return;
	}
	for (size_t i = 0; i < fs.series->n_series; i++)
		snprintf(names + strlen(names), sizeof names - strlen(names),
		    "%s%s", i ? ", " : "", fs.series->series[i]->name);
	def = series_default(u, fs.series);
	snprintf(fs.series_name, sizeof fs.series_name, "%s",
	    def != NULL ? def->name : "");
	form_ask(u, series_form);
	ui_message(u, 0, _("Series: %s"), names);
}

void
series_ask(struct ui *u, const struct form *f, int64_t prefer,
    const char *district)
{
	Tafel__ListSeriesRequest r = TAFEL__LIST_SERIES_REQUEST__INIT;

	series_form = f;
	series_pref.id = prefer;
	snprintf(series_pref.district, sizeof series_pref.district, "%s",
	    district != NULL ? district : "");
	net_send_body(u->net, TAFEL__ENVELOPE__BODY_LIST_SERIES, &r,
	    NET_REQ_READ, NULL, on_series, u);
}
