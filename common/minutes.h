/* The minutes of a meeting as a document: plain text or PDF from the Minutes JSON (docs/protocol.md 7.13). */
#ifndef TAFEL_MINUTES_H
#define TAFEL_MINUTES_H

#include <stdio.h>

struct json_object;

/* Opens path for writing a minutes document ("wb"): a new file is created
 * 0600 and an existing regular file is made 0600, since minutes hold
 * personal data (decisions and action points name persons) and must not
 * be readable by every local user, as a backup is not; NULL with errno. */
FILE *minutes_fopen(const char *path);

/* Writes the minutes m (a Minutes object as JSON) as plain text. */
int minutes_write_text(struct json_object *m, FILE *out);

/* Writes them as a PDF to path (A4, the recipient organisation on every
 * page); -1 with err set on failure. */
int minutes_write_pdf(struct json_object *m, const char *path, char *err,
    size_t errlen);
/* The same to an open stream f (left open; name is f's for messages). */
int minutes_write_pdf_to(struct json_object *m, FILE *f, const char *name,
    char *err, size_t errlen);

#endif
