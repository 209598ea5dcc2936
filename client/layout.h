/* Pure layout helpers of the terminal UI (no curses), unit-tested by tests/test_client_layout.c. */
#ifndef TAFEL_CLIENT_LAYOUT_H
#define TAFEL_CLIENT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "tafel.pb-c.h"

#define LAYOUT_BIG_ROWS 5	/* height of the beamer's big digits */

/* Display columns of UTF-8 text in the current locale (wcswidth). */
int layout_width(const char *text);
/* Copies text clipped and padded with spaces to exactly width display
 * columns (not bytes: "↑" is one column, three bytes). */
void layout_fit(char *out, size_t len, const char *text, int width);
/* Like layout_fit, for a table cell: text that does not fit is cut one
 * column earlier and ends in "…", so a cut name is never taken for whole. */
void layout_cell(char *out, size_t len, const char *text, int width);
/* Text shortened to width columns by cutting its middle ("Overleg 'Casus…
 * 15:00' sluiten? (j/n)"), so that the question at its end stays
 * readable: the last sentence (after ". " or "? ") is kept whole
 * when it leaves room for a head, else the tail starts at the start of the
 * word it would cut, when that is near. */
void layout_fit_middle(char *out, size_t len, const char *text, int width);
/* Word wrap: the bytes of text's first line of at most width display
 * columns, broken after the last space that fits (a word longer than the
 * line is cut inside it; at least one character is taken); *next gets the
 * offset where the next line starts (the spaces at the break skipped).
 * Text not valid in the locale counts a column per byte. */
size_t layout_wrap(const char *text, int width, size_t *next);
/* Shares extra columns between two table columns by what they lack
 * (need_a, need_b: columns beyond their base that their longest text
 * wants): each gets its need when both fit, the first one what is left
 * over; else the extra is split in proportion to the needs. */
void layout_share(int extra, int need_a, int need_b, int *a, int *b);
/* Case-insensitive substring match; an empty needle matches everything. */
int layout_match(const char *hay, const char *needle);
/* How well needle matches hay: 0 at its start (after any indent), 1 at
 * the start of a later word, 2 inside a word, -1 not at all (an empty
 * needle: 0).  A search's best line is the one of the lowest rank. */
int layout_match_rank(const char *hay, const char *needle);

/* Local midnight of the day containing now (unix seconds). */
int64_t layout_day_start(int64_t now);
/* The meetings list: open meetings first, then today's and upcoming ones
 * (soonest first), then past ones (newest first, left out with hide_past);
 * only those keep(m, arg) says to (NULL: all; the view's search, which
 * matches what its line shows).  Returns the count. */
size_t layout_meetings(Tafel__Meeting *const *v, size_t n, int64_t now,
    int (*keep)(const Tafel__Meeting *, const void *), const void *arg,
    int hide_past, const Tafel__Meeting **out, size_t max);
/* When a meeting is listed and ordered: when it was held (opened) if it
 * was, else when it is planned. */
int64_t layout_meeting_time(const Tafel__Meeting *m);
/* Whether a meeting belongs to the past group (before today, not open). */
int layout_meeting_past(const Tafel__Meeting *m, int64_t now);

/* Open and overdue action points of one case in the model. */
void layout_case_counts(const struct model *m, int64_t case_id, int *open,
    int *overdue);

/* Big block digits: width in cells of text, and one of its
 * LAYOUT_BIG_ROWS rows ('#' = filled cell, ' ' = empty). */
int layout_big_width(const char *text);
void layout_big_row(const char *text, int row, char *out, size_t len);

#endif
