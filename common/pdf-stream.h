/* A cairo PDF surface writing to an open stdio stream (report-pdf.c, minutes.c): the file may have been opened before tafelctl gave up root. */
#ifndef TAFEL_PDF_STREAM_H
#define TAFEL_PDF_STREAM_H

#include <stdio.h>

#include <cairo-pdf.h>

static inline cairo_status_t
pdf_stream_write(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, (FILE *)closure) == len ?
	    CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* An A4 page-sized PDF surface writing to f (not closed by cairo). */
static inline cairo_surface_t *
pdf_stream_surface(FILE *f, double width, double height)
{
	return cairo_pdf_surface_create_for_stream(pdf_stream_write, f, width,
	    height);
}

#endif
