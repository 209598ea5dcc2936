/* The steering group's (quarterly) report as a PDF drawn with cairo: per partner organisation and per theme/district, tables and bar charts; totals only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <json-c/json.h>

#include "pdf-stream.h"
#include "report-pdf.h"

/*
 * The document is Dutch, like the minutes (common/minutes.c).  Its input
 * is the Report JSON, from the database (tafelctl) or from the server's
 * answer (tafel --batch): totals, organisation names, themes and
 * districts; nothing else is printed, so no person or case can appear.
 * Counts a JSON encoder left out (proto3 zeros) are 0.
 */

#define PAGE_W	595.0			/* A4 in points */
#define PAGE_H	842.0
#define MARGIN	50.0
#define ROW	13.0			/* a table row, 8 pt text */
#define NAME_W	140.0			/* the organisation column */

struct rp {
	cairo_t *cr;
	double y;			/* baseline of the last row drawn */
	int page;
	char head[200];			/* the period, on every page */
	char foot[400];			/* made for, on every page */
};

/* --- JSON ---------------------------------------------------------------- */

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

static long
num(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);
	long n = v != NULL ? (long)json_object_get_int64(v) : 0;

	return n > 0 ? n : 0;
}

static double
dbl(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);
	double d = v != NULL ? json_object_get_double(v) : 0.0;

	return d > 0 ? d : 0.0;
}

static size_t
count(struct json_object *a)
{
	return a != NULL && json_object_is_type(a, json_type_array) ?
	    json_object_array_length(a) : 0;
}

static struct json_object *
at(struct json_object *a, size_t i)
{
	return json_object_array_get_idx(a, i);
}

/* Theme keys and routing statuses in Dutch (as the client's nl.po). */
static const char *
word(const char *key)
{
	static const struct { const char *key, *text; } t[] = {
		{ "domestic_violence", "huiselijk geweld" },
		{ "repeat_offenders", "veelplegers" },
		{ "at_risk_youth", "risicojongeren" },
		{ "multi_problem", "multiprobleempersonen" },
		{ "signal", "signaal" },
		{ "screening", "screening" },
		{ "info_round", "inforonde" },
		{ "direction", "regie" },
		{ "plan", "plan van aanpak" },
		{ "in_progress", "in uitvoering" },
		{ "monitoring", "monitoring" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].key, key) == 0)
			return t[i].text;
	return key;
}

/* --- drawing ------------------------------------------------------------- */

static void
font(struct rp *p, int bold, double size)
{
	cairo_select_font_face(p->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size);
}

/* Text at x on the current row, cut with "..." to width w (0: no limit);
 * right-aligned at x + w when right. */
static void
text(struct rp *p, double x, double w, int right, const char *s)
{
	cairo_text_extents_t e;
	char buf[1024];
	size_t n;

	snprintf(buf, sizeof buf, "%s", s);
	cairo_text_extents(p->cr, buf, &e);
	while (w > 0 && e.x_advance > w && (n = strlen(buf)) > 3) {
		/* drop one character (and any UTF-8 continuation bytes) */
		n -= 4;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
		memcpy(buf + n, "...", 4);
		cairo_text_extents(p->cr, buf, &e);
	}
	cairo_move_to(p->cr, right ? x + w - e.x_advance : x, p->y);
	cairo_show_text(p->cr, buf);
}

static void
page_start(struct rp *p)
{
	char num[32];

	p->page++;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	font(p, 0, 8);
	p->y = MARGIN - 20;
	text(p, MARGIN, 0, 0, p->head);
	p->y = PAGE_H - MARGIN + 24;
	text(p, MARGIN, 0, 0, p->foot);
	snprintf(num, sizeof num, "pagina %d", p->page);
	text(p, MARGIN, PAGE_W - 2 * MARGIN, 1, num);
	p->y = MARGIN;
}

/* Room for h points below the current row, or a new page. */
static void
need(struct rp *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN) {
		cairo_show_page(p->cr);
		page_start(p);
	}
}

static void
heading(struct rp *p, const char *s, double size)
{
	need(p, size * 2 + 3 * ROW);
	p->y += size * 1.8;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	font(p, 1, size);
	text(p, MARGIN, 0, 0, s);
	p->y += 4;
}

/* A paragraph, wrapped at spaces to the text width. */
static void
para(struct rp *p, const char *s)
{
	char buf[1024], *start = buf;
	cairo_text_extents_t e;

	snprintf(buf, sizeof buf, "%s", s);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	font(p, 0, 8);
	while (*start != '\0') {
		char *brk = NULL, *sp, save;

		/* the longest prefix ending at a space that fits */
		for (sp = start;; sp++) {
			if (*sp != ' ' && *sp != '\0')
				continue;
			save = *sp;
			*sp = '\0';
			cairo_text_extents(p->cr, start, &e);
			*sp = save;
			if (e.x_advance > PAGE_W - 2 * MARGIN && brk != NULL)
				break;
			brk = sp;
			if (*sp == '\0')
				break;
		}
		save = *brk;
		*brk = '\0';
		need(p, ROW);
		p->y += ROW;
		text(p, MARGIN, 0, 0, start);
		*brk = save;
		start = save == ' ' ? brk + 1 : brk;
	}
}

/* A row of a table: cells[0] and the columns in the bit mask left left in
 * their column, the others right-aligned numbers; a rule under a header. */
static void
table_row(struct rp *p, const double *w, size_t n, const char *const *cells,
    int header, unsigned left)
{
	double x = MARGIN;

	need(p, ROW);
	p->y += ROW;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	font(p, header, header ? 7 : 8);
	for (size_t i = 0; i < n; i++) {
		text(p, x, w[i] - 4, i > 0 && !(left & 1u << i), cells[i]);
		x += w[i];
	}
	if (header) {
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, MARGIN, p->y + 3);
		cairo_line_to(p->cr, x, p->y + 3);
		cairo_stroke(p->cr);
	}
}

struct seg {
	long n;
	double r, g, b;
	const char *label;
};

/* A horizontal bar of segments, one unit = scale points, after a label. */
static void
bar_row(struct rp *p, const char *label, const struct seg *s, size_t ns,
    double scale, const char *after)
{
	double x = MARGIN + NAME_W;

	need(p, ROW);
	p->y += ROW;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	font(p, 0, 8);
	text(p, MARGIN, NAME_W - 6, 0, label);
	for (size_t i = 0; i < ns; i++) {
		double w = (double)s[i].n * scale;

		if (w <= 0)
			continue;
		cairo_set_source_rgb(p->cr, s[i].r, s[i].g, s[i].b);
		cairo_rectangle(p->cr, x, p->y - 8, w, 9);
		cairo_fill(p->cr);
		x += w;
	}
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	text(p, x + 4, 0, 0, after);
}

/* The colours' meaning, one row of small squares. */
static void
legend(struct rp *p, const struct seg *s, size_t ns)
{
	double x = MARGIN + NAME_W;
	cairo_text_extents_t e;

	need(p, ROW);
	p->y += ROW;
	font(p, 0, 7.5);
	for (size_t i = 0; i < ns; i++) {
		cairo_set_source_rgb(p->cr, s[i].r, s[i].g, s[i].b);
		cairo_rectangle(p->cr, x, p->y - 7, 7, 7);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		cairo_move_to(p->cr, x + 10, p->y);
		cairo_show_text(p->cr, s[i].label);
		cairo_text_extents(p->cr, s[i].label, &e);
		x += 10 + e.x_advance + 12;
	}
}

/* --- the report ---------------------------------------------------------- */

#define C_ONTIME 0.20, 0.60, 0.25
#define C_LATE	0.95, 0.60, 0.10
#define C_CANC	0.65, 0.65, 0.65
#define C_OPEN	0.25, 0.45, 0.80
#define C_OVER	0.85, 0.15, 0.15

static void
orgs(struct rp *p, struct json_object *rows)
{
	static const char *const cols[] = { "Organisatie", "Gemaakt",
	    "Op tijd", "Te laat", "Vervallen", "Open", "Verlopen",
	    "Overleg", "Aanwezig" };
	static const char *const keys[] = { "agreed", "done_on_time",
	    "done_late", "cancelled", "open", "overdue", "meetings",
	    "attended" };
	double w[9] = { NAME_W };
	long max = 0, maxm = 0;
	char nums[8][24], buf[64];
	const char *cells[9];

	for (size_t c = 1; c < 9; c++)
		w[c] = (PAGE_W - 2 * MARGIN - NAME_W) / 8;
	heading(p, "Per partnerorganisatie", 13);
	para(p, "Gemaakt: de afspraken (actiepunten) van de organisatie die in "
	    "de periode zijn gemaakt; op tijd, te laat, vervallen, open: hoe ze "
	    "afliepen; verlopen: open en over de datum. Overleg: de gesloten "
	    "overleggen in de periode van de reeksen waarvan de organisatie lid "
	    "is; aanwezig: die waar iemand van haar aanwezig was.");
	p->y += 4;
	table_row(p, w, 9, cols, 1, 0);
	if (count(rows) == 0)
		para(p, "Geen organisaties met afspraken of overleggen in de periode.");
	for (size_t i = 0; i < count(rows); i++) {
		struct json_object *o = at(rows, i);

		cells[0] = str(o, "org_name");
		for (size_t c = 0; c < 8; c++) {
			snprintf(nums[c], sizeof nums[c], "%ld", num(o, keys[c]));
			cells[c + 1] = nums[c];
		}
		table_row(p, w, 9, cells, 0, 0);
		if (num(o, "agreed") > max)
			max = num(o, "agreed");
		if (num(o, "meetings") > maxm)
			maxm = num(o, "meetings");
	}
	if (count(rows) == 0)
		return;

	heading(p, "Afspraken per organisatie", 10);
	{
		struct seg lg[] = { { 0, C_ONTIME, "op tijd" },
		    { 0, C_LATE, "te laat" }, { 0, C_CANC, "vervallen" },
		    { 0, C_OPEN, "open" }, { 0, C_OVER, "verlopen" } };

		legend(p, lg, 5);
	}
	for (size_t i = 0; i < count(rows); i++) {
		struct json_object *o = at(rows, i);
		long over = num(o, "overdue"), open = num(o, "open");
		struct seg s[] = { { num(o, "done_on_time"), C_ONTIME, NULL },
		    { num(o, "done_late"), C_LATE, NULL },
		    { num(o, "cancelled"), C_CANC, NULL },
		    { open > over ? open - over : 0, C_OPEN, NULL },
		    { over, C_OVER, NULL } };

		snprintf(buf, sizeof buf, "%ld", num(o, "agreed"));
		bar_row(p, str(o, "org_name"), s, 5,
		    max > 0 ? 260.0 / (double)max : 0, buf);
	}

	heading(p, "Aanwezigheid bij overleggen", 10);
	{
		struct seg lg[] = { { 0, C_ONTIME, "aanwezig" },
		    { 0, C_CANC, "afwezig" } };

		legend(p, lg, 2);
	}
	for (size_t i = 0; i < count(rows); i++) {
		struct json_object *o = at(rows, i);
		long m = num(o, "meetings"), a = num(o, "attended");
		struct seg s[] = { { a, C_ONTIME, NULL },
		    { m > a ? m - a : 0, C_CANC, NULL } };

		snprintf(buf, sizeof buf, "%ld van %ld", a, m);
		bar_row(p, str(o, "org_name"), s, 2,
		    maxm > 0 ? 260.0 / (double)maxm : 0, buf);
	}
}

static void
areas(struct rp *p, struct json_object *rows)
{
	static const char *const cols[] = { "Thema", "Wijk", "Geopend",
	    "Gesloten" };
	static const char *const pcols[] = { "Fase", "Casussen", "Dagen" };
	double w[4] = { 130, 150, 70, 70 }, pw[3] = { NAME_W, 60, 60 };
	double maxd = 0;
	char a[24], b[24];
	const char *cells[4];

	heading(p, "Per thema en wijk", 13);
	para(p, "Casussen geopend en gesloten in de periode; per fase van de "
	    "routing de casussen die er in de periode in waren en hun dagen.");
	p->y += 4;
	table_row(p, w, 4, cols, 1, 2);
	if (count(rows) == 0)
		para(p, "Geen casussen in de periode.");
	for (size_t i = 0; i < count(rows); i++) {
		struct json_object *r = at(rows, i), *ph = get(r, "phases");

		snprintf(a, sizeof a, "%ld", num(r, "opened"));
		snprintf(b, sizeof b, "%ld", num(r, "closed"));
		cells[0] = word(str(r, "theme"));
		cells[1] = str(r, "district");
		cells[2] = a;
		cells[3] = b;
		table_row(p, w, 4, cells, 0, 2);
		for (size_t j = 0; j < count(ph); j++)
			if (dbl(at(ph, j), "days") > maxd)
				maxd = dbl(at(ph, j), "days");
	}

	for (size_t i = 0; i < count(rows); i++) {
		struct json_object *r = at(rows, i), *ph = get(r, "phases");
		char title[300];

		snprintf(title, sizeof title, "Tijd per fase: %s, %s",
		    word(str(r, "theme")), str(r, "district"));
		heading(p, title, 10);
		table_row(p, pw, 3, pcols, 1, 0);
		for (size_t j = 0; j < count(ph); j++) {
			struct json_object *x = at(ph, j);
			double d = dbl(x, "days");
			struct seg s = { (long)(d * 10 + 0.5), C_OPEN, NULL };
			double x0 = MARGIN + pw[0] + pw[1] + pw[2] + 8;

			snprintf(a, sizeof a, "%ld", num(x, "cases"));
			snprintf(b, sizeof b, "%.1f", d);
			cells[0] = word(str(x, "status"));
			cells[1] = a;
			cells[2] = b;
			table_row(p, pw, 3, cells, 0, 0);
			/* the bar beside the row, scaled to the longest */
			if (maxd > 0 && s.n > 0) {
				cairo_set_source_rgb(p->cr, s.r, s.g, s.b);
				cairo_rectangle(p->cr, x0, p->y - 8,
				    (PAGE_W - MARGIN - x0) * d / maxd, 9);
				cairo_fill(p->cr);
			}
		}
	}
}

/* "YYYY-MM-DD" as "DD-MM-YYYY"; anything else as it is. */
static void
dutch_date(const char *iso, char *buf, size_t len)
{
	int y, m, d;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(buf, len, "%02d-%02d-%04d", d, m, y);
	else
		snprintf(buf, len, "%s", iso);
}

int
report_write_pdf(struct json_object *r, const char *made_for,
    const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = report_write_pdf_to(r, made_for, f, path, err, errlen);
	if (fclose(f) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

int
report_write_pdf_to(struct json_object *r, const char *made_for, FILE *f,
    const char *path, char *err, size_t errlen)
{
	struct rp p = { 0 };
	struct pdf_stream ps;
	cairo_surface_t *sf;
	char from[16], to[16], title[300], line[400];

	dutch_date(str(r, "from"), from, sizeof from);
	dutch_date(str(r, "to"), to, sizeof to);
	snprintf(p.head, sizeof p.head, "Rapportage Veiligheidshuis, periode "
	    "%s t/m %s", from, to);
	snprintf(p.foot, sizeof p.foot, "Opgesteld voor: %s", made_for);
	snprintf(title, sizeof title, "Rapportage voor de stuurgroep, %s t/m %s",
	    from, to);

	sf = pdf_stream_open(&ps, f, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	p.cr = cairo_create(sf);
	page_start(&p);
	heading(&p, "Rapportage voor de stuurgroep", 18);
	snprintf(line, sizeof line, "Periode: %s t/m %s (beide inbegrepen, "
	    "dagen in Europe/Amsterdam)", from, to);
	para(&p, line);
	snprintf(line, sizeof line, "Opgesteld voor: %s", made_for);
	para(&p, line);
	para(&p, "Alleen totalen: geen namen, casusnummers of inhoud.");
	orgs(&p, get(r, "orgs"));
	areas(&p, get(r, "areas"));
	cairo_show_page(p.cr);
	return pdf_stream_close(&ps, p.cr, path, err, errlen);
}

int
report_quarter(const char *q, char from[11], char to[11])
{
	static const char *const last[] = { "03-31", "06-30", "09-30",
	    "12-31" };
	int y = 0, n;

	if (q == NULL)
		return -1;
	for (int i = 0; i < 4; i++) {
		if (q[i] < '0' || q[i] > '9')
			return -1;
		y = y * 10 + (q[i] - '0');
	}
	q += 4;
	if (*q == '-')
		q++;
	if ((q[0] != 'Q' && q[0] != 'q') || q[1] < '1' || q[1] > '4' ||
	    q[2] != '\0' || y < 1900)
		return -1;
	n = q[1] - '0';
	snprintf(from, 11, "%04u-%02u-01", (unsigned)y % 10000u,
	    (unsigned)(n - 1) % 4u * 3u + 1u);
	snprintf(to, 11, "%04u-%.5s", (unsigned)y % 10000u, last[n - 1]);
	return 0;
}
