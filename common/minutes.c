/* The minutes (besluitenlijst) of a meeting as a document: lines from the Minutes JSON, written as plain text or as a PDF (cairo). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <json-c/json.h>

#include "log.h"
#include "minutes.h"
#include "pdf-stream.h"
#include "xmalloc.h"

/*
 * The document is Dutch, the language of the safety house that receives
 * it (the terminal's gettext does not apply to a file made by tafelctl).
 * It holds what the client's minutes view (client/view-minutes.c) shows, in
 * the same words as that view's Dutch: the same lines, the same marks, one
 * date format (YYYY-MM-DD, as due dates come); tests/e2e/minutes-same.sh
 * compares the two.  A case is named by its number: the minutes hold no
 * persons (the server sends none, docs/protocol.md 7.13).  Times are shown
 * in the process's time zone: the callers set TZ=Europe/Amsterdam.
 */

enum line_style { L_TITLE, L_HEAD, L_SUBHEAD, L_TEXT };

struct line {
	enum line_style style;
	int indent;			/* in steps of two characters / 14 pt */
	char *text;
};

struct doc {
	struct line *lines;
	size_t n, cap;
	char org[256];			/* the recipient, on every page */
	char title[512];		/* series and date, on every page */
};

static void __attribute__((format(printf, 4, 5)))
add(struct doc *d, enum line_style st, int indent, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("minutes: out of memory");
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->lines = xreallocarray(d->lines, d->cap, sizeof *d->lines);
	}
	d->lines[d->n++] = (struct line){ st, indent, s };
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    json_object_get_type(v) != json_type_string)
		return "";
	return json_object_get_string(v);
}

static int64_t
num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_int64(v);
}

static int
flag(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o != NULL && json_object_object_get_ex(o, key, &v) &&
	    json_object_get_boolean(v);
}

static struct json_object *
obj(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static size_t
arr_len(struct json_object *a)
{
	return a != NULL && json_object_get_type(a) == json_type_array ?
	    json_object_array_length(a) : 0;
}

static void
when(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* Why a case is shown without its details (Case.redaction_reason), and
 * which categories (hidden_categories): the client's words
 * (ui_redaction_case, client/ui-errors.c) in their Dutch. */
struct code_text {
	const char *code, *text;
};

static const struct code_text reason_texts[] = {
	{ "not_involved", "verborgen: uw organisatie is niet betrokken bij "
	    "deze casus" },
	{ "not_signatory", "verborgen: uw organisatie heeft het convenant "
	    "niet ondertekend" },
	{ "observer", "verborgen: u neemt deel als toehoorder" },
	{ "category", "verborgen: uw organisatie mag een deel van deze "
	    "gegevens niet zien" },
}, category_texts[] = {
	{ "person_names", "namen" },
	{ "birth_dates", "geboortedata" },
	{ "case_summary", "de samenvatting" },
	{ "free_text", "vrije tekst" },
};

static const char *
table_text(const struct code_text *t, size_t n,
    const char *code, const char *otherwise)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].text;
	return otherwise;
}

/* "verborgen: … (namen, geboortedata)" */
static void
add_redaction(struct doc *d, struct json_object *c)
{
	struct json_object *cats = obj(c, "hidden_categories");
	const char *reason = str(c, "redaction_reason");
	char buf[400];
	size_t o, n = 0;

	o = (size_t)snprintf(buf, sizeof buf, "%s", table_text(reason_texts,
	    sizeof reason_texts / sizeof reason_texts[0], reason,
	    "verborgen: niet toegestaan volgens het convenant"));
	for (size_t i = 0; strcmp(reason, "category") == 0 &&
	    i < arr_len(cats) && o < sizeof buf; i++) {
		const char *t = table_text(category_texts, sizeof category_texts /
		    sizeof category_texts[0], json_object_get_string(
		    json_object_array_get_idx(cats, i)), NULL);

		if (t != NULL)
			o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s",
			    n++ == 0 ? " (" : ", ", t);
	}
	if (n > 0 && o < sizeof buf)
		snprintf(buf + o, sizeof buf - o, ")");
	add(d, L_TEXT, 1, "%s", buf);
}

/* How an action point stands now, when not open: " (afgerond)". */
static const char *
action_state_mark(struct json_object *a)
{
	const char *st = str(a, "state");

	if (strcmp(st, "done") == 0 || strcmp(st, "ACTION_DONE") == 0)
		return " (afgerond)";
	if (strcmp(st, "cancelled") == 0 || strcmp(st, "ACTION_CANCELLED") == 0)
		return " (ingetrokken)";
	return "";
}

/*
 * "- 2026-12-10 Organisatie/Persoon: tekst", as the client's view, with
 * what happened to it since: agreed or its agreement edited after the
 * meeting closed (late: ACTION_LATE, ACTION_EDITED), done or cancelled.
 */
#define ACTION_LATE 1
#define ACTION_EDITED 2
static void
add_action(struct doc *d, int indent, struct json_object *a,
    const char *case_number, int late)
{
	const char *desc = str(a, "description");
	const char *who = str(a, "owner_user_name");

	add(d, L_TEXT, indent, "- %s%s%s%s %s%s%s: %s%s%s%s%s",
	    case_number != NULL ? "Casus " : "", case_number != NULL ?
	    case_number : "", case_number != NULL ? " · " : "",
	    str(a, "due_date"), str(a, "owner_org_name"), who[0] ? "/" : "",
	    who, desc[0] ? desc : "(tekst verborgen)",
	    late & ACTION_LATE ? " (na sluiten toegevoegd)" : "",
	    late & ACTION_EDITED ? " (na sluiten gewijzigd)" : "",
	    action_state_mark(a),
	    flag(a, "overdue") ? " (te laat)" : "");
}

static void
add_people(struct doc *d, struct json_object *list, int remote_mark)
{
	for (size_t i = 0; i < arr_len(list); i++) {
		struct json_object *a = json_object_array_get_idx(list, i);
		char until[48] = "";

		/* present for part of the meeting: until when */
		if (num(a, "left_at") > 0) {
			time_t t = (time_t)num(a, "left_at");
			struct tm tm;

			if (localtime_r(&t, &tm) != NULL)
				strftime(until, sizeof until, " · tot %H:%M",
				    &tm);
		}
		add(d, L_TEXT, 1, "%s (%s)%s%s", str(a, "user_name"),
		    str(a, "org_name"), remote_mark && flag(a, "remote") ?
		    " · op afstand" : "", until);
	}
}

/* Whether id is in the item's list of that name. */
static int
item_lists(struct json_object *item, const char *list, int64_t id)
{
	struct json_object *ids = obj(item, list);

	for (size_t i = 0; i < arr_len(ids); i++)
		if (json_object_get_int64(json_object_array_get_idx(ids, i)) ==
		    id)
			return 1;
	return 0;
}

/* ACTION_LATE and ACTION_EDITED of an action point of the item. */
static int
action_late(struct json_object *item, int64_t id)
{
	return (item_lists(item, "actions_after_close", id) ? ACTION_LATE : 0) |
	    (item_lists(item, "actions_changed_after_close", id) ?
	    ACTION_EDITED : 0);
}

static void
add_item(struct doc *d, size_t n, struct json_object *it)
{
	struct json_object *item = obj(it, "item"), *c = obj(it, "case");
	struct json_object *acts = obj(it, "actions");
	struct json_object *earlier = obj(it, "earlier_actions");
	const char *decision = str(item, "decision");
	int64_t pos = num(item, "position");

	add(d, L_HEAD, 0, "%lld. Casus %s%s", pos > 0 ? (long long)pos :
	    (long long)n, str(c, "number"), flag(it, "added_during_meeting") ?
	    " (tijdens het overleg toegevoegd)" : "");
	if (flag(c, "redacted"))
		add_redaction(d, c);
	add(d, L_TEXT, 1, "Besluit: %s%s", decision[0] != '\0' ? decision :
	    flag(it, "decision_withheld") ? "(verborgen, zie boven)" :
	    strcmp(str(item, "state"), "discussed") != 0 &&
	    strcmp(str(item, "state"), "ITEM_DISCUSSED") != 0 ?
	    "(niet besproken)" : "(geen besluit vastgelegd)",
	    flag(it, "changed_after_close") ? " (na sluiten gewijzigd)" : "");
	if (arr_len(acts) == 0)
		add(d, L_TEXT, 1, "Afspraken: (geen)");
	else
		add(d, L_TEXT, 1, "Afspraken:");
	for (size_t i = 0; i < arr_len(acts); i++) {
		struct json_object *a = json_object_array_get_idx(acts, i);

		add_action(d, 2, a, NULL, action_late(it, num(a, "id")));
	}
	/* the case's agreements from before that still hold */
	if (arr_len(earlier) > 0)
		add(d, L_TEXT, 1, "Eerder afgesproken, open:");
	for (size_t i = 0; i < arr_len(earlier); i++)
		add_action(d, 2, json_object_array_get_idx(earlier, i), NULL, 0);
}

static void
build(struct doc *d, struct json_object *m)
{
	struct json_object *mt = obj(m, "meeting");
	char start[32], closed[32], made[32];

	/* when it was held (opened .. closed), not the planned start: a
	 * meeting may be opened before or after it */
	when(num(m, "opened_at") > 0 ? num(m, "opened_at") :
	    num(mt, "scheduled_start"), start, sizeof start);
	when(num(m, "closed_at"), closed, sizeof closed);
	when(num(m, "made_at"), made, sizeof made);
	snprintf(d->org, sizeof d->org, "%s", str(m, "org_name"));
	snprintf(d->title, sizeof d->title, "Besluitenlijst %s, %s",
	    str(mt, "series_name"), start);

	/* closed the same day: only the time */
	if (strlen(closed) > 11 && strncmp(start, closed, 11) == 0)
		memmove(closed, closed + 11, strlen(closed + 11) + 1);
	add(d, L_TITLE, 0, "Besluitenlijst %s", str(mt, "series_name"));
	add(d, L_TEXT, 0, "Datum: %s tot %s · Voorzitter: %s", start, closed,
	    str(m, "chair_name")[0] ? str(m, "chair_name") : "-");
	add(d, L_TEXT, 0, "Opgesteld voor: %s (op %s)", d->org, made);
	add(d, L_HEAD, 0, "Aanwezig");
	if (arr_len(obj(m, "present")) == 0)
		add(d, L_TEXT, 1, "(niemand)");
	add_people(d, obj(m, "present"), 1);
	/* a part of the attendance: no blank line before it */
	add(d, L_SUBHEAD, 0, "Verwacht maar afwezig");
	if (arr_len(obj(m, "absent_orgs")) + arr_len(obj(m, "absent")) == 0)
		add(d, L_TEXT, 1, "(niemand)");
	for (size_t i = 0; i < arr_len(obj(m, "absent_orgs")); i++)
		add(d, L_TEXT, 1, "%s", json_object_get_string(
		    json_object_array_get_idx(obj(m, "absent_orgs"), i)));
	add_people(d, obj(m, "absent"), 0);
	add(d, L_HEAD, 0, "Agenda en besluiten");
	if (arr_len(obj(m, "items")) == 0)
		add(d, L_TEXT, 1, "(geen)");
	for (size_t i = 0; i < arr_len(obj(m, "items")); i++)
		add_item(d, i + 1, json_object_array_get_idx(obj(m, "items"), i));
	add(d, L_HEAD, 0, "Openstaande afspraken uit eerdere overleggen");
	if (arr_len(obj(m, "open_actions")) == 0)
		add(d, L_TEXT, 1, "(geen)");
	for (size_t i = 0; i < arr_len(obj(m, "open_actions")); i++) {
		struct json_object *a = json_object_array_get_idx(obj(m,
		    "open_actions"), i);

		add_action(d, 1, a, str(a, "case_number"), 0);
	}
}

static void
doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
}

int
minutes_write_text(struct json_object *m, FILE *out)
{
	struct doc d = { 0 };

	build(&d, m);
	for (size_t i = 0; i < d.n; i++) {
		if (d.lines[i].style == L_HEAD && i > 0)
			fputc('\n', out);
		fprintf(out, "%*s%s\n", d.lines[i].indent * 2, "",
		    d.lines[i].text);
		if (d.lines[i].style == L_TITLE) {
			/* as long as the title, in characters (UTF-8) */
			for (const char *p = d.lines[i].text; *p != '\0'; p++)
				if (((unsigned char)*p & 0xc0) != 0x80)
					fputc('=', out);
			fputc('\n', out);
		}
	}
	fprintf(out, "\n-- Opgesteld voor %s; afgeschermd volgens het "
	    "convenant. --\n", d.org);
	doc_free(&d);
	return ferror(out) ? -1 : 0;
}

/* --- PDF ----------------------------------------------------------------- */

#define PAGE_W	595.0			/* A4 in points */
#define PAGE_H	842.0
#define MARGIN	56.0
#define LEAD	14.0			/* line height of 10 pt text */

struct pdf {
	cairo_t *cr;
	double y;
	int page;
	const struct doc *d;
};

static void
font(cairo_t *cr, enum line_style st)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	    st == L_TEXT ? CAIRO_FONT_WEIGHT_NORMAL : CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, st == L_TITLE ? 18 : st == L_TEXT ? 10 : 12);
}

/* Header and footer: the recipient organisation on every page. */
static void
page_start(struct pdf *p)
{
	char foot[400];

	p->page++;
	/* the line being drawn when the page broke keeps its own font */
	cairo_save(p->cr);
	font(p->cr, L_TEXT);
	cairo_set_font_size(p->cr, 8);
	cairo_move_to(p->cr, MARGIN, MARGIN - 24);
	cairo_show_text(p->cr, p->d->title);
	snprintf(foot, sizeof foot, "Opgesteld voor: %s  -  pagina %d",
	    p->d->org, p->page);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN + 28);
	cairo_show_text(p->cr, foot);
	cairo_restore(p->cr);
	p->y = MARGIN;
}

static void
next_line(struct pdf *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN) {
		cairo_show_page(p->cr);
		page_start(p);
	}
	p->y += h;
}

/* One line, wrapped at word boundaries to the text width. */
static void
pdf_line(struct pdf *p, const struct line *l)
{
	double x = MARGIN + l->indent * 14.0, w = PAGE_W - MARGIN - x;
	double h = l->style == L_TITLE ? 26 : l->style == L_TEXT ? LEAD : 20;
	char *s = xstrdup(l->text), *start = s;

	font(p->cr, l->style);
	while (*start != '\0') {
		char *end = start, *brk = NULL, save;
		cairo_text_extents_t ext;

		/* the longest prefix ending at a space that fits */
		for (;;) {
			char *sp = strchr(end, ' ');
			char *cand = sp != NULL ? sp : end + strlen(end);

			save = *cand;
			*cand = '\0';
			cairo_text_extents(p->cr, start, &ext);
			*cand = save;
			if (ext.x_advance > w && brk != NULL)
				break;
			brk = cand;
			if (sp == NULL)
				break;
			end = sp + 1;
		}
		save = *brk;
		*brk = '\0';
		next_line(p, h);
		cairo_move_to(p->cr, x, p->y);
		cairo_show_text(p->cr, start);
		*brk = save;
		start = save == ' ' ? brk + 1 : brk;
		h = LEAD;
	}
	free(s);
}

FILE *
minutes_fopen(const char *path)
{
	struct stat st;
	FILE *f;
	int fd, e;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	/* an existing file keeps its mode through O_TRUNC: a regular one is
	 * narrowed (not a device such as /dev/stdout, nor another's file) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && (st.st_mode & 077) != 0 &&
	    fchmod(fd, st.st_mode & 0700) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	if ((f = fdopen(fd, "wb")) == NULL) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

int
minutes_write_pdf(struct json_object *m, const char *path, char *err,
    size_t errlen)
{
	FILE *f = minutes_fopen(path);
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = minutes_write_pdf_to(m, f, path, err, errlen);
	if (fclose(f) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

int
minutes_write_pdf_to(struct json_object *m, FILE *f, const char *path,
    char *err, size_t errlen)
{
	struct doc d = { 0 };
	struct pdf_stream ps;
	cairo_surface_t *sf;
	struct pdf p = { 0 };
	int rc;

	build(&d, m);
	sf = pdf_stream_open(&ps, f, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, d.title);
	p.cr = cairo_create(sf);
	p.d = &d;
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	page_start(&p);
	for (size_t i = 0; i < d.n; i++)
		pdf_line(&p, &d.lines[i]);
	cairo_show_page(p.cr);
	rc = pdf_stream_close(&ps, p.cr, path, err, errlen);
	doc_free(&d);
	return rc;
}
