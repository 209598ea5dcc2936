/* The reports as CSV: the Report JSON (docs/protocol.md 7.14) per organisation or per theme/district and phase. */
#ifndef TAFEL_REPORT_CSV_H
#define TAFEL_REPORT_CSV_H

#include <stdio.h>

struct json_object;

enum report_table { REPORT_ORGS, REPORT_AREAS };

/* Writes one table of report r as CSV (RFC 4180, a header line). */
int report_write_csv(struct json_object *r, enum report_table t, FILE *out);

#endif
