/* The steering group's report as a PDF (cairo): tables and bar charts from the Report JSON (docs/protocol.md 7.14), and the quarter shorthand. */
#ifndef TAFEL_REPORT_PDF_H
#define TAFEL_REPORT_PDF_H

#include <stddef.h>
#include <stdio.h>

struct json_object;

/* Writes report r as an A4 PDF to path: per partner organisation and per
 * theme/district, tables with bar charts; the period and "made for"
 * (an organisation or role, never a person) on every page.  -1 with err
 * set on failure. */
int report_write_pdf(struct json_object *r, const char *made_for,
    const char *path, char *err, size_t errlen);
/* The same to an open stream f (left open; name is f's for messages). */
int report_write_pdf_to(struct json_object *r, const char *made_for,
    FILE *f, const char *name, char *err, size_t errlen);

/* "2026Q4" (or "2026q4", "2026-Q4") -> from "2026-10-01", to "2026-12-31";
 * 0, or -1 when q is not a quarter. */
int report_quarter(const char *q, char from[11], char to[11]);

#endif
