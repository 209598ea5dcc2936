/* Pure layout helpers of the terminal UI (no curses): display widths, list order, filters, the big digits of the beamer. */
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

int
layout_width(const char *text)
{
	wchar_t wbuf[2048];
	size_t n = mbstowcs(wbuf, text, sizeof wbuf / sizeof wbuf[0] - 1);
	int w;

	if (n == (size_t)-1)
		return (int)strlen(text);
	wbuf[n] = L'\0';
	w = wcswidth(wbuf, n);
	return w < 0 ? (int)n : w;
}

void
layout_fit(char *out, size_t len, const char *text, int width)
{
	wchar_t wbuf[2048];
	size_t n = mbstowcs(wbuf, text, sizeof wbuf / sizeof wbuf[0] - 1);
	size_t o = 0, k;
	int cols = 0;

	if (len == 0)
		return;
	out[0] = '\0';
	if (n == (size_t)-1) {		/* not valid here: bytes, clipped */
		snprintf(out, len, "%-*.*s", width, width, text);
		return;
	}
	for (k = 0; k < n; k++) {
		char mb[MB_LEN_MAX];
		int cw = wcwidth(wbuf[k]);
		size_t m;

		if (cw < 0)
			cw = 0;
		if (cols + cw > width)
			break;
		m = wcrtomb(mb, wbuf[k], NULL);
		if (m == (size_t)-1 || o + m + 1 >= len)
			break;
		memcpy(out + o, mb, m);
		o += m;
		cols += cw;
	}
	while (cols < width && o + 1 < len) {
		out[o++] = ' ';
		cols++;
	}
	out[o] = '\0';
}

void
layout_cell(char *out, size_t len, const char *text, int width)
{
	size_t o;
	int cols;

	if (width < 2 || layout_width(text) <= width) {
		layout_fit(out, len, text, width);
		return;
	}
	layout_fit(out, len, text, width - 1);
	o = strlen(out);
	while (o > 0 && out[o - 1] == ' ')	/* the pad, and the space cut at */
		o--;
	if (o + strlen("…") + 1 > len) {	/* no room: as layout_fit */
		layout_fit(out, len, text, width);
		return;
	}
	memcpy(out + o, "…", strlen("…"));
	o += strlen("…");
	out[o] = '\0';
	for (cols = layout_width(out); cols < width && o + 1 < len; cols++)
		out[o++] = ' ';
	out[o] = '\0';
}

size_t
layout_wrap(const char *text, int width, size_t *next)
{
	mbstate_t ps;
	size_t o = 0, brk = 0, len = strlen(text);
	int cols = 0;

	memset(&ps, 0, sizeof ps);
	while (o < len) {
		wchar_t wc;
		size_t m = mbrtowc(&wc, text + o, len - o, &ps);
		int cw;

		if (m == (size_t)-1 || m == (size_t)-2) {	/* a byte */
			memset(&ps, 0, sizeof ps);
			m = 1;
			wc = L'?';
		} else if (m == 0)
			break;
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (wc == L' ') {
			brk = o;	/* the line may end before this space */
			if (cols + cw > width)
				break;
		} else if (cols + cw > width && o > 0)
			break;
		cols += cw;
		o += m;
	}
	if (o < len && brk > 0 && text[o] != ' ')
		o = brk;	/* back to the last space that fits */
	*next = o;
	while (text[*next] == ' ')
		(*next)++;
	/* trailing spaces of the line are no text */
	while (o > 0 && text[o - 1] == ' ')
		o--;
	return o;
}

void
layout_share(int extra, int need_a, int need_b, int *a, int *b)
{
	if (extra < 0)
		extra = 0;
	if (need_a < 0)
		need_a = 0;
	if (need_b < 0)
		need_b = 0;
	if (need_a + need_b <= extra) {
		*b = need_b;
		*a = extra - need_b;
		return;
	}
	/* rounded to the nearest column; long long: no overflow */
	*a = (int)(((long long)extra * need_a * 2 + (need_a + need_b)) /
	    ((long long)(need_a + need_b) * 2));
	*b = extra - *a;
}

/*
 * A character as a search compares it: lower case, and a Latin letter
 * without its accent ("Kévin", "MULLER" find "Kevin", "Müller"; Turkish
 * ı is i).  U+00C0..U+017F from their decompositions, "." where none.  A
 * hyphen is a space ("Gemeente Eemland Twente", as people say it, finds
 * "Gemeente Eemland-Twente").
 */
static wint_t
search_fold(wchar_t c)
{
	static const char base[] =
	    "aaaaaa.ceeeeiiii.nooooo.ouuuuy..aaaaaa.ceeeeiiii"
	    ".nooooo.ouuuuy.yaaaaaaccccccccddddeeeeeeeeeegggg"
	    "gggghh..iiiiiiiiii..jjkk.llllll..llnnnnnn...oooo"
	    "oo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz.";
	wint_t l = towlower((wint_t)c);

	if (l == L'-')
		return L' ';
	if (l >= 0xC0 && l < 0xC0 + sizeof base - 1 && base[l - 0xC0] != '.')
		return (wint_t)base[l - 0xC0];
	return l;
}

int
layout_match(const char *hay, const char *needle)
{
	return layout_match_rank(hay, needle) >= 0;
}

int
layout_match_rank(const char *hay, const char *needle)
{
	wchar_t h[2048], nd[256];
	size_t hn, nn, lead = 0;
	int best = -1;

	if (needle == NULL || needle[0] == '\0')
		return 0;
	if (hay == NULL)
		return -1;
	hn = mbstowcs(h, hay, sizeof h / sizeof h[0] - 1);
	nn = mbstowcs(nd, needle, sizeof nd / sizeof nd[0] - 1);
	if (hn == (size_t)-1 || nn == (size_t)-1) {
		const char *at = strcasestr(hay, needle);

		return at == NULL ? -1 : at == hay ? 0 : 2;
	}
	while (lead < hn && iswspace((wint_t)h[lead]))
		lead++;			/* a line's indent is no word */
	for (size_t i = lead; i + nn <= hn && best != 0; i++) {
		size_t k = 0;
		int rank;

		while (k < nn && search_fold(h[i + k]) == search_fold(nd[k]))
			k++;
		if (k < nn)
			continue;
		rank = i == lead ? 0 : !iswalnum((wint_t)h[i - 1]) ? 1 : 2;
		if (best < 0 || rank < best)
			best = rank;
	}
	return best;
}

int64_t
layout_meeting_time(const Tafel__Meeting *m)
{
	return m->held_at != 0 ? m->held_at : m->scheduled_start;
}

/* 0: open, 1: today or later, 2: past. */
static int
meeting_group(const Tafel__Meeting *m, int64_t today)
{
	if (m->state == TAFEL__MEETING_STATE__MEETING_OPEN)
		return 0;
	if (layout_meeting_time(m) >= today)
		return 1;
	return 2;
}

static int64_t sort_today;

static int
cmp_meeting(const void *a, const void *b)
{
	const Tafel__Meeting *x = *(const Tafel__Meeting *const *)a;
	const Tafel__Meeting *y = *(const Tafel__Meeting *const *)b;
	int gx = meeting_group(x, sort_today), gy = meeting_group(y, sort_today);

	if (gx != gy)
		return gx - gy;
	if (layout_meeting_time(x) != layout_meeting_time(y)) {
		int c = layout_meeting_time(x) < layout_meeting_time(y) ? -1 : 1;

		return gx == 2 ? -c : c;	/* past: newest first */
	}
	return (x->id > y->id) - (x->id < y->id);
}

int64_t
layout_day_start(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return now;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

size_t
layout_meetings(Tafel__Meeting *const *v, size_t n, int64_t now,
    int (*keep)(const Tafel__Meeting *, const void *), const void *arg,
    int hide_past, const Tafel__Meeting **out, size_t max)
{
	size_t k = 0;
	int64_t today = layout_day_start(now);

	for (size_t i = 0; i < n && k < max; i++) {
		if (hide_past && meeting_group(v[i], today) == 2)
			continue;
		if (keep != NULL && !keep(v[i], arg))
			continue;
		out[k++] = v[i];
	}
	sort_today = today;
	qsort(out, k, sizeof *out, cmp_meeting);
	return k;
}

int
layout_meeting_past(const Tafel__Meeting *m, int64_t now)
{
	return meeting_group(m, layout_day_start(now)) == 2;
}

void
layout_case_counts(const struct model *m, int64_t case_id, int *open,
    int *overdue)
{
	*open = *overdue = 0;
	for (size_t i = 0; i < m->actions.n; i++) {
		const Tafel__ActionPoint *a = (const void *)m->actions.v[i].msg;

		if (a->case_id != case_id ||
		    a->state != TAFEL__ACTION_STATE__ACTION_OPEN)
			continue;
		(*open)++;
		*overdue += a->overdue ? 1 : 0;
	}
}

/* 3×5 block glyphs for the beamer's case number: "#" is a filled cell. */
static const struct {
	char c;
	const char *rows[LAYOUT_BIG_ROWS];
} big_font[] = {
	{ '0', { "###", "# #", "# #", "# #", "###" } },
	{ '1', { " # ", "## ", " # ", " # ", "###" } },
	{ '2', { "###", "  #", "###", "#  ", "###" } },
	{ '3', { "###", "  #", " ##", "  #", "###" } },
	{ '4', { "# #", "# #", "###", "  #", "  #" } },
	{ '5', { "###", "#  ", "###", "  #", "###" } },
	{ '6', { "###", "#  ", "###", "# #", "###" } },
	{ '7', { "###", "  #", "  #", "  #", "  #" } },
	{ '8', { "###", "# #", "###", "# #", "###" } },
	{ '9', { "###", "# #", "###", "  #", "###" } },
	{ '-', { "   ", "   ", "###", "   ", "   " } },
	{ ' ', { "   ", "   ", "   ", "   ", "   " } },
};

int
layout_big_width(const char *text)
{
	size_t n = strlen(text);

	return n == 0 ? 0 : (int)(n * 4 - 1);
}

void
layout_big_row(const char *text, int row, char *out, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return;
	for (const char *p = text; *p != '\0' && row >= 0 &&
	    row < LAYOUT_BIG_ROWS; p++) {
		const char *g = "###";

		for (size_t i = 0; i < sizeof big_font / sizeof big_font[0]; i++)
			if (big_font[i].c == *p)
				g = big_font[i].rows[row];
		if (p != text && o + 1 < len)
			out[o++] = ' ';
		for (int k = 0; k < 3 && o + 1 < len; k++)
			out[o++] = g[k];
	}
	out[o] = '\0';
}

/* Columns of wt[from..n). */
static int
wcols(const wchar_t *wt, size_t from, size_t n)
{
	int w = 0;

	for (size_t i = from; i < n; i++) {
		int cw = wcwidth(wt[i]);

		w += cw < 0 ? 1 : cw;
	}
	return w;
}

void
layout_fit_middle(char *out, size_t len, const char *text, int width)
{
	wchar_t wt[256];
	size_t n = mbstowcs(wt, text, sizeof wt / sizeof wt[0] - 1), t;
	char head[256], tail[512];
	int used = 0, tail_cols = width - width / 2 - 1, head_cols;
	size_t hl, tl;

	if (n == (size_t)-1 || width < 6) {
		layout_fit(out, len, text, width);
		return;
	}
	wt[n] = L'\0';
	if (wcols(wt, 0, n) <= width) {		/* fits: as it is */
		snprintf(out, len, "%s", text);
		return;
	}
	for (t = n; t > 0; t--) {
		int cw = wcwidth(wt[t - 1]);

		cw = cw < 0 ? 1 : cw;
		if (used + cw > tail_cols)
			break;
		used += cw;
	}
	/* the tail reaches back to the start of its sentence when that fits */
	head_cols = width / 2;
	for (size_t s = t; s >= 2; s--) {
		/* (not ": ", which also opens a list: "bekend: a, b") */
		if (!((wt[s - 2] == L'.' || wt[s - 2] == L'?') &&
		    wt[s - 1] == L' '))
			continue;
		if (wcols(wt, s, n) <= width - 5) {
			head_cols = width - wcols(wt, s, n) - 1;
			t = s;
		}
		break;
	}
	if (head_cols == width / 2 && t > 0 && t < n && wt[t - 1] != L' ') {
		size_t w = t;	/* else it starts at its word's start */

		while (w > 0 && wt[w - 1] != L' ')
			w--;
		if (w > 0 && wcols(wt, w, t) <= tail_cols / 2) {
			head_cols -= wcols(wt, w, t);
			t = w;
		}
	}
	layout_fit(head, sizeof head, text, head_cols);
	if (wcstombs(tail, wt + t, sizeof tail) == (size_t)-1)
		tail[0] = '\0';
	hl = strlen(head);
	tl = strlen(tail);
	if (hl + strlen("…") + tl + 1 > len) {	/* too narrow a buffer */
		layout_fit(out, len, text, width);
		return;
	}
	memcpy(out, head, hl);
	memcpy(out + hl, "…", strlen("…"));
	memcpy(out + hl + strlen("…"), tail, tl + 1);
}
