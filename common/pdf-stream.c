/* A cairo PDF surface on an open stdio stream, and its end with every write error told. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include "pdf-stream.h"

static cairo_status_t
pdf_stream_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct pdf_stream *s = closure;

	if (fwrite(data, 1, len, s->f) == len)
		return CAIRO_STATUS_SUCCESS;
	if (s->err == 0)
		s->err = errno != 0 ? errno : EIO;
	return CAIRO_STATUS_WRITE_ERROR;
}

cairo_surface_t *
pdf_stream_open(struct pdf_stream *s, FILE *f, double width, double height)
{
	s->f = f;
	s->err = 0;
	errno = 0;
	s->sf = cairo_pdf_surface_create_for_stream(pdf_stream_write, s,
	    width, height);
	return s->sf;
}

int
pdf_stream_close(struct pdf_stream *s, cairo_t *cr, const char *path,
    char *err, size_t errlen)
{
	cairo_status_t st = cairo_status(cr);

	cairo_destroy(cr);
	cairo_surface_finish(s->sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s->sf);
	cairo_surface_destroy(s->sf);
	s->sf = NULL;
	/* no cairo object is left: give back the font caches (fontconfig's
	 * would otherwise live until exit, which leak checkers report) */
	cairo_debug_reset_static_data();
	FcFini();
	errno = 0;
	if (fflush(s->f) != 0 && s->err == 0)
		s->err = errno != 0 ? errno : EIO;
	if (ferror(s->f) && s->err == 0)
		s->err = EIO;
	if (s->err != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path,
		    strerror(s->err));
		return -1;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, cairo_status_to_string(st));
		return -1;
	}
	return 0;
}
