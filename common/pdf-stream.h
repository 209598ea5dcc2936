/* A cairo PDF surface writing to an open stdio stream (report-pdf.c, minutes.c): the file may have been opened before tafelctl gave up root. */
#ifndef TAFEL_PDF_STREAM_H
#define TAFEL_PDF_STREAM_H

#include <stddef.h>
#include <stdio.h>

#include <cairo.h>

struct pdf_stream {
	FILE *f;			/* not closed here */
	int err;			/* errno of the first write that failed */
	cairo_surface_t *sf;
};

/* An A4 page-sized PDF surface on f; draw on cairo_create(s->sf). */
cairo_surface_t *pdf_stream_open(struct pdf_stream *s, FILE *f,
    double width, double height);

/* Ends the document drawn with cr (destroyed here) and flushes f. 0, or -1
 * with "PATH: cannot write: REASON" in err: a full disk is one, which
 * cairo's own status does not always tell (seen: minutes to /dev/full
 * reported written). */
int pdf_stream_close(struct pdf_stream *s, cairo_t *cr, const char *path,
    char *err, size_t errlen);

#endif
