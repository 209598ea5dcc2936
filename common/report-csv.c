/* The reports as CSV: the Report JSON (docs/protocol.md 7.14) per organisation or per theme/district and phase. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "report-csv.h"

/* One field, quoted when it holds a comma, quote or line break. */
static void
field(FILE *out, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") != NULL) {
		fputc('"', out);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else
		fputs(s, out);
	fputs(last ? "\r\n" : ",", out);
}

static const char *
val(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return "0";
	return json_object_get_string(v);
}

/* Days with one decimal, whichever way the JSON wrote the number. */
static const char *
days(struct json_object *p, char *buf, size_t len)
{
	struct json_object *v;

	snprintf(buf, len, "%.1f", json_object_object_get_ex(p, "days", &v) &&
	    v != NULL ? json_object_get_double(v) : 0.0);
	return buf;
}

static struct json_object *
list(struct json_object *r, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(r, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

int
report_write_csv(struct json_object *r, enum report_table t, FILE *out)
{
	static const char *const org_cols[] = { "org_name", "agreed",
	    "done_on_time", "done_late", "cancelled", "open", "overdue",
	    "meetings", "attended" };
	struct json_object *rows = list(r, t == REPORT_ORGS ? "orgs" : "areas");
	char buf[32];
	size_t n = rows != NULL ? json_object_array_length(rows) : 0;

	if (t == REPORT_ORGS) {
		fputs("from,to,", out);
		for (size_t c = 0; c < 9; c++)
			field(out, org_cols[c], c == 8);
		for (size_t i = 0; i < n; i++) {
			struct json_object *o = json_object_array_get_idx(rows, i);

			field(out, val(r, "from"), 0);
			field(out, val(r, "to"), 0);
			for (size_t c = 0; c < 9; c++)
				field(out, val(o, org_cols[c]), c == 8);
		}
		return ferror(out) ? -1 : 0;
	}
	fputs("from,to,theme,district,opened,closed,phase,phase_cases,"
	    "phase_days\r\n", out);
	for (size_t i = 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(rows, i);
		struct json_object *ph = list(a, "phases");
		size_t np = ph != NULL ? json_object_array_length(ph) : 0;

		for (size_t j = 0; j < np; j++) {
			struct json_object *p = json_object_array_get_idx(ph, j);

			field(out, val(r, "from"), 0);
			field(out, val(r, "to"), 0);
			field(out, val(a, "theme"), 0);
			field(out, val(a, "district"), 0);
			field(out, val(a, "opened"), 0);
			field(out, val(a, "closed"), 0);
			field(out, val(p, "status"), 0);
			field(out, val(p, "cases"), 0);
			field(out, days(p, buf, sizeof buf), 1);
		}
	}
	return ferror(out) ? -1 : 0;
}
