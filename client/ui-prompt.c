/* The input line at the bottom: typing, Esc with "discard what you typed?", (y/n) questions answered by one key, and handing the text to the one waiting for it. */
#include "ui.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"

/* The UTF-8 bytes of one character (as wcstombs will write it). */
static size_t
char_bytes(wchar_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, ch, &st);
	return n == (size_t)-1 ? 1 : n;
}

/* The UTF-8 bytes of buf[0..len). */
static size_t
text_bytes(const wchar_t *buf, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += char_bytes(buf[i]);
	return n;
}

void
ui_prompt(struct ui *u, const char *label, const char *initial,
    void (*done)(struct ui *, const char *))
{
	size_t n;

	snprintf(u->prompt.label, sizeof u->prompt.label, "%s", label);
	n = mbstowcs(u->prompt.buf, initial != NULL ? initial : "",
	    sizeof u->prompt.buf / sizeof u->prompt.buf[0] - 1);
	if (n == (size_t)-1)
		n = 0;
	/* an offered text longer than what may be sent: cut to fit */
	while (n > 0 && text_bytes(u->prompt.buf, n) > TAFEL_MAX_TEXT)
		n--;
	u->prompt.buf[n] = L'\0';
	u->prompt.len = u->prompt.cur = n;
	u->prompt.bytes = text_bytes(u->prompt.buf, n);
	u->prompt.scroll = 0;
	u->prompt.edited = u->prompt.answers = u->prompt.yesno = 0;
	u->prompt.replace = 0;
	u->prompt.done = done;
	u->prompt.active = 1;
	u->message[0] = '\0';
	ui_dirty(u);
}

void
ui_ask_yesno(struct ui *u, const char *label,
    void (*done)(struct ui *, const char *))
{
	ui_prompt(u, label, "", done);
	u->prompt.yesno = 1;
}

static void
prompt_finish(struct ui *u, int ok)
{
	static char text[TAFEL_MAX_TEXT + 1];	/* the prompt's bytes fit */
	void (*done)(struct ui *, const char *) = u->prompt.done;
	size_t n;

	u->prompt.active = 0;
	u->prompt.buf[u->prompt.len] = L'\0';
	n = wcstombs(text, u->prompt.buf, sizeof text - 1);
	if (n == (size_t)-1)
		n = 0;
	text[n] = '\0';
	ui_dirty(u);
	if (done != NULL)
		done(u, ok ? text : NULL);
}

/* The answer to "discard what you typed?": yes cancels, else back to the text. */
static void
discard_confirmed(struct ui *u, const char *text)
{
	void (*done)(struct ui *, const char *) = u->saved_prompt.done;

	if (ui_yes(text)) {
		if (done != NULL)
			done(u, NULL);
		return;
	}
	u->prompt = u->saved_prompt;	/* n and Esc: back to the text */
	u->prompt.active = 1;
	ui_dirty(u);
}

const struct ui_prompt *
ui_prompt_typed(const struct ui *u)
{
	return u->prompt.done == discard_confirmed ? &u->saved_prompt :
	    &u->prompt;
}

/* A key on a (y/n) question: j/y or n answers at once, Esc (or ^G)
 * cancels, anything else says which keys answer. */
static void
yesno_key(struct ui *u, int r, wint_t ch)
{
	struct ui_prompt *p = &u->prompt;
	wchar_t answer = 0;

	if (r != KEY_CODE_YES && (ch == L'j' || ch == L'J' || ch == L'y' ||
	    ch == L'Y'))
		answer = L'j';
	else if (r != KEY_CODE_YES && (ch == L'n' || ch == L'N'))
		answer = L'n';
	else if (r != KEY_CODE_YES && (ch == 27 || ch == 7)) {
		u->message[0] = '\0';
		prompt_finish(u, 0);
		return;
	} else if (r == KEY_CODE_YES && ch == KEY_MOUSE)
		return;
	if (answer == 0) {
		ui_message(u, 1, "%s", _("Press y for yes or n for no (Esc: "
		    "cancel)."));
		return;
	}
	u->message[0] = '\0';
	p->buf[0] = answer;
	p->len = 1;
	p->bytes = char_bytes(answer);
	prompt_finish(u, 1);
}

void
ui_prompt_key(struct ui *u, int r, wint_t ch)
{
	struct ui_prompt *p = &u->prompt;

	if (p->yesno) {
		yesno_key(u, r, ch);
		return;
	}
	if (r == KEY_CODE_YES) {
		switch (ch) {
		case KEY_BACKSPACE:
			if (p->len > 0)
				p->bytes -= char_bytes(p->buf[--p->len]);
			p->edited = 1;
			break;
		case KEY_ENTER:
			prompt_finish(u, 1);
			return;
		case KEY_LEFT:
		case KEY_RIGHT:
		case KEY_HOME:
		case KEY_END:
			/* the text offered is kept to be edited (at its end):
			 * typing no longer replaces it */
			p->edited = 1;
			break;
		default:
			break;
		}
	} else if (ch == L'\n' || ch == L'\r') {
		prompt_finish(u, 1);
		return;
	} else if (ch == 27 || ch == 7) {	/* Esc, ^G */
		/* only what the user typed is asked about: text offered and
		 * left as it was goes without a question */
		if (((p->edited && p->len > 0) || p->answers) &&
		    p->done != discard_confirmed) {
			u->saved_prompt = *p;	/* typed text: ask first */
			ui_ask_yesno(u, _("Discard what you typed? (y/n)"),
			    discard_confirmed);
			return;
		}
		prompt_finish(u, 0);
		return;
	} else if (ch == 127 || ch == 8) {
		if (p->len > 0)
			p->bytes -= char_bytes(p->buf[--p->len]);
		p->edited = 1;
	} else if (ch == 21) {			/* ^U */
		p->len = p->bytes = 0;
		p->edited = 1;
	} else if (ch >= 32 && !(ch >= 0x7f && ch < 0xa0)) {	/* no C1 */
		size_t b = char_bytes((wchar_t)ch);

		if (p->replace && !p->edited)	/* typing over a default */
			p->len = p->bytes = 0;
		/*
		 * The longest text the server takes: what goes beyond it is
		 * refused here, and said, rather than cut off unseen later
		 * (a pasted text stops at the limit, with this message).
		 */
		if (p->bytes + b > TAFEL_MAX_TEXT ||
		    p->len + 1 >= sizeof p->buf / sizeof p->buf[0]) {
			ui_message(u, 1, _("The text is at its longest (%d "
			    "bytes); what you type beyond it is not taken."),
			    TAFEL_MAX_TEXT);
			return;
		}
		p->buf[p->len++] = (wchar_t)ch;
		p->bytes += b;
		p->edited = 1;
	}
	ui_dirty(u);
}

/* The first character from which the end of the text fits in room columns. */
static size_t
tail_from(const struct ui_prompt *p, int room)
{
	size_t first = p->len;
	int width = 0;

	while (first > 0) {
		int cw = wcwidth(p->buf[first - 1]);

		cw = cw > 0 ? cw : 1;
		if (width + cw > room)
			break;
		width += cw;
		first--;
	}
	return first;
}

static int
text_width(const struct ui_prompt *p)
{
	int width = 0;

	for (size_t i = 0; i < p->len; i++) {
		int cw = wcwidth(p->buf[i]);

		width += cw > 0 ? cw : 1;
	}
	return width;
}

/* Text shortened to width columns by cutting its middle ("Overleg 'Casus…
 * 15:00' sluiten? (j/n)"): the question at the end stays readable. */
static void
fit_middle(char *out, size_t len, const char *text, int width)
{
	wchar_t wt[256];
	size_t n = mbstowcs(wt, text, sizeof wt / sizeof wt[0] - 1), t;
	char head[256], tail[512];
	int used = 0, tail_cols = width - width / 2 - 1;
	size_t hl, tl;

	if (n == (size_t)-1 || width < 6) {
		layout_fit(out, len, text, width);
		return;
	}
	wt[n] = L'\0';
	for (t = n; t > 0; t--) {
		int cw = wcwidth(wt[t - 1]);

		cw = cw < 0 ? 1 : cw;
		if (used + cw > tail_cols)
			break;
		used += cw;
	}
	layout_fit(head, sizeof head, text, width / 2);
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

/* The label, then the text; when both do not fit, the label is shortened
 * to half the line and the text scrolls so that its end (where the cursor
 * is) stays in sight, with "…" where its start is cut off. */
void
ui_prompt_draw(struct ui *u, WINDOW *w, attr_t a)
{
	char lbl[420];
	int x, room;
	size_t first;

	snprintf(lbl, sizeof lbl, "%s: ", u->prompt.label);
	if (layout_width(lbl) > u->cols / 2 && u->cols > 20 &&
	    layout_width(lbl) + text_width(&u->prompt) + 1 > u->cols) {
		char cut[400];

		/* the label gives way to the text, and says it is cut; its
		 * end (the question) stays */
		int fit = u->cols - text_width(&u->prompt) - 4;

		fit_middle(cut, sizeof cut, u->prompt.label, fit > u->cols / 2 - 2 ?
		    fit : u->cols / 2 - 2);
		snprintf(lbl, sizeof lbl, "%s: ", cut);
	}
	ui_put(w, 0, 0, u->cols, a, lbl);
	x = getcurx(w);
	room = u->cols - x - 1;		/* one column for the cursor */
	if (room < 2)
		return;
	first = tail_from(&u->prompt, room);
	wattr_on(w, a, NULL);
	if (first > 0) {		/* cut off at the start: say so */
		first = tail_from(&u->prompt, room - 1);
		mvwaddnwstr(w, 0, x++, L"…", 1);
	}
	mvwaddnwstr(w, 0, x, u->prompt.buf + first, (int)(u->prompt.len - first));
	wattr_off(w, a, NULL);
}
