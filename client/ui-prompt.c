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
	u->prompt.changed = NULL;
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

/* The prompt's text as UTF-8 (NUL-terminated in a static buffer). */
static const char *
prompt_text(struct ui_prompt *p)
{
	static char text[TAFEL_MAX_TEXT + 1];	/* the prompt's bytes fit */
	size_t n;

	p->buf[p->len] = L'\0';
	n = wcstombs(text, p->buf, sizeof text - 1);
	if (n == (size_t)-1)
		n = 0;
	text[n] = '\0';
	return text;
}

/* After a key that may have changed the text: tell who asked to know. */
static void
prompt_changed(struct ui *u)
{
	if (u->prompt.active && u->prompt.changed != NULL)
		u->prompt.changed(u, prompt_text(&u->prompt));
}

static void
prompt_finish(struct ui *u, int ok)
{
	void (*done)(struct ui *, const char *) = u->prompt.done;
	const char *text = prompt_text(&u->prompt);

	u->prompt.active = 0;
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

/* A key on a (y/n) question: y (in Dutch j too) or n answers at once,
 * Esc (or ^G) cancels, anything else says which keys answer. */
static void
yesno_key(struct ui *u, int r, wint_t ch)
{
	struct ui_prompt *p = &u->prompt;
	wchar_t answer = 0;

	if (r != KEY_CODE_YES && ui_yes_key(ch))
		answer = L'y';		/* what ui_yes() takes in any language */
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

/* What an editing key does to the text or the cursor. */
enum edit_op {
	EDIT_LEFT, EDIT_RIGHT, EDIT_HOME, EDIT_END,
	EDIT_BACKSPACE,			/* the character before the cursor */
	EDIT_DELETE,			/* the character at the cursor */
	EDIT_KILL,			/* from the cursor to the end */
	EDIT_CLEAR,			/* all of it */
};

/* The editing keys: curses key codes (code set) and control characters.
 * The bash/emacs control keys work where a terminal sends no Home or End. */
static const struct {
	int code;			/* 1: a KEY_* code; 0: a character */
	wint_t key;
	enum edit_op op;
} edit_keys[] = {
	{ 1, KEY_LEFT, EDIT_LEFT },
	{ 1, KEY_RIGHT, EDIT_RIGHT },
	{ 1, KEY_HOME, EDIT_HOME },
	{ 0, 1, EDIT_HOME },		/* ^A */
	{ 1, KEY_END, EDIT_END },
	{ 0, 5, EDIT_END },		/* ^E */
	{ 1, KEY_BACKSPACE, EDIT_BACKSPACE },
	{ 0, 127, EDIT_BACKSPACE },
	{ 0, 8, EDIT_BACKSPACE },	/* ^H */
	{ 1, KEY_DC, EDIT_DELETE },
	{ 0, 4, EDIT_DELETE },		/* ^D */
	{ 0, 11, EDIT_KILL },		/* ^K */
	{ 0, 21, EDIT_CLEAR },		/* ^U */
};

/* Removes buf[from..to) and keeps the byte count. */
static void
remove_chars(struct ui_prompt *p, size_t from, size_t to)
{
	p->bytes -= text_bytes(p->buf + from, to - from);
	memmove(p->buf + from, p->buf + to, (p->len - to) * sizeof p->buf[0]);
	p->len -= to - from;
	if (p->cur > to)
		p->cur -= to - from;
	else if (p->cur > from)
		p->cur = from;
}

static void
edit(struct ui_prompt *p, enum edit_op op)
{
	switch (op) {
	case EDIT_LEFT:
		p->cur -= p->cur > 0;
		break;
	case EDIT_RIGHT:
		p->cur += p->cur < p->len;
		break;
	case EDIT_HOME:
		p->cur = 0;
		break;
	case EDIT_END:
		p->cur = p->len;
		break;
	case EDIT_BACKSPACE:
		if (p->cur > 0)
			remove_chars(p, p->cur - 1, p->cur);
		break;
	case EDIT_DELETE:
		if (p->cur < p->len)
			remove_chars(p, p->cur, p->cur + 1);
		break;
	case EDIT_KILL:
		remove_chars(p, p->cur, p->len);
		break;
	case EDIT_CLEAR:
		remove_chars(p, 0, p->len);
		break;
	}
	/* also a move: the text offered is kept to be edited, typing no
	 * longer replaces it */
	p->edited = 1;
}

/* A character typed goes in at the cursor. */
static void
insert_char(struct ui *u, wchar_t ch)
{
	struct ui_prompt *p = &u->prompt;
	size_t b = char_bytes(ch);

	if (p->replace && !p->edited)	/* typing over a default */
		remove_chars(p, 0, p->len);
	/*
	 * The longest text the server takes: what goes beyond it is refused
	 * here, and said, rather than cut off unseen later (a pasted text
	 * stops at the limit, with this message).
	 */
	if (p->bytes + b > TAFEL_MAX_TEXT ||
	    p->len + 1 >= sizeof p->buf / sizeof p->buf[0]) {
		ui_message(u, 1, _("The text is at its longest (%d bytes); what "
		    "you type beyond it is not taken."), TAFEL_MAX_TEXT);
		return;
	}
	memmove(p->buf + p->cur + 1, p->buf + p->cur,
	    (p->len - p->cur) * sizeof p->buf[0]);
	p->buf[p->cur++] = ch;
	p->len++;
	p->bytes += b;
	p->edited = 1;
}

/* The text is empty or spaces alone. */
static int
prompt_blank(const struct ui_prompt *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->buf[i] != L' ' && p->buf[i] != L'\t')
			return 0;
	return 1;
}

void
ui_prompt_key(struct ui *u, int r, wint_t ch)
{
	struct ui_prompt *p = &u->prompt;

	if (p->yesno) {
		yesno_key(u, r, ch);
		return;
	}
	for (size_t i = 0; i < sizeof edit_keys / sizeof edit_keys[0]; i++)
		if (edit_keys[i].code == (r == KEY_CODE_YES) &&
		    edit_keys[i].key == ch) {
			edit(p, edit_keys[i].op);
			prompt_changed(u);
			ui_dirty(u);
			return;
		}
	if ((r == KEY_CODE_YES && ch == KEY_ENTER) ||
	    (r != KEY_CODE_YES && (ch == L'\n' || ch == L'\r'))) {
		prompt_finish(u, 1);
		return;
	}
	if (r == KEY_CODE_YES)
		return;			/* other keys: nothing to do here */
	if (ch == 27 || ch == 7) {	/* Esc, ^G */
		/* only what the user typed is asked about: text offered and
		 * left as it was goes without a question, and so does a field
		 * that shows nothing (spaces alone, as a refused empty
		 * description is offered again) */
		if (((p->edited && !prompt_blank(p)) || p->answers) &&
		    p->done != discard_confirmed) {
			u->saved_prompt = *p;	/* typed text: ask first */
			ui_ask_yesno(u, _("Discard what you typed? (y/n)"),
			    discard_confirmed);
			return;
		}
		prompt_finish(u, 0);
		return;
	}
	if (ch >= 32 && !(ch >= 0x7f && ch < 0xa0)) {	/* no C1 */
		insert_char(u, (wchar_t)ch);
		prompt_changed(u);
	}
	ui_dirty(u);
}

static int
char_cols(wchar_t ch)
{
	int cw = wcwidth(ch);

	return cw > 0 ? cw : 1;
}

/* The columns of buf[from..to). */
static int
cols_of(const wchar_t *buf, size_t from, size_t to)
{
	int width = 0;

	for (size_t i = from; i < to; i++)
		width += char_cols(buf[i]);
	return width;
}

static int
text_width(const struct ui_prompt *p)
{
	return cols_of(p->buf, 0, p->len);
}

/*
 * The part of p's text shown in room columns: buf[*first..*last), with a
 * "…" before it when *first > 0 and after it when *last < len, such that
 * the cursor (on a character, or in the column after the text) is in
 * sight. hint is the first character shown before: the view stays put
 * while the cursor moves inside it, and moves only as far as needed.
 * Returns the cursor's column.
 */
static int
prompt_window(const struct ui_prompt *p, int room, size_t hint,
    size_t *first, size_t *last)
{
	size_t f = hint < p->cur ? hint : p->cur, l;
	int used;

	if (text_width(p) + 1 <= room)
		f = 0;
	else {
		/* the cursor's character, with a "…" after it when more
		 * follows (or the column after the text) */
		for (;;) {
			size_t end = p->cur < p->len ? p->cur + 1 : p->len;
			int need = (f > 0) + cols_of(p->buf, f, end) +
			    (end < p->len || p->cur == p->len);

			if (need <= room || f >= p->cur)
				break;
			f++;
		}
		/* after deleting at the end: no empty room left of it */
		while (f > 0 && (f - 1 > 0) + cols_of(p->buf, f - 1, p->len) +
		    (p->cur == p->len) <= room)
			f--;
	}
	used = f > 0;
	for (l = f; l < p->len; l++) {
		int reserve = l + 1 < p->len || p->cur == p->len;

		if (used + char_cols(p->buf[l]) + reserve > room)
			break;
		used += char_cols(p->buf[l]);
	}
	*first = f;
	*last = l;
	return (f > 0) + cols_of(p->buf, f, p->cur < f ? f : p->cur);
}

void
ui_prompt_field(const struct ui *u, char *out, size_t len, int width)
{
	const struct ui_prompt *p = ui_prompt_typed(u);
	wchar_t shown[516];		/* a character takes a column or two */
	size_t first, last, n = 0, m;

	if (len == 0)
		return;
	if (width > 512)
		width = 512;
	(void)prompt_window(p, width, p->scroll, &first, &last);
	if (first > 0)
		shown[n++] = L'…';
	memcpy(shown + n, p->buf + first, (last - first) * sizeof shown[0]);
	n += last - first;
	if (last < p->len)
		shown[n++] = L'…';
	shown[n] = L'\0';
	m = wcstombs(out, shown, len - 1);
	out[m == (size_t)-1 ? 0 : m] = '\0';
}

/* The label, then the text; when both do not fit, the label is shortened
 * to half the line and the text scrolls so that the cursor stays in sight,
 * with "…" where the text is cut off; the terminal's cursor is put there. */
void
ui_prompt_draw(struct ui *u, WINDOW *w, attr_t a)
{
	struct ui_prompt *p = &u->prompt;
	char lbl[420];
	int x, room, cx;
	size_t first, last;

	snprintf(lbl, sizeof lbl, "%s: ", p->label);
	if (layout_width(lbl) > u->cols / 2 && u->cols > 20 &&
	    layout_width(lbl) + text_width(p) + 1 > u->cols) {
		char cut[400];

		/* the label gives way to the text, and says it is cut; its
		 * end (the question) stays */
		int fit = u->cols - text_width(p) - 4;

		layout_fit_middle(cut, sizeof cut, p->label, fit > u->cols / 2 - 2 ?
		    fit : u->cols / 2 - 2);
		snprintf(lbl, sizeof lbl, "%s: ", cut);
	}
	ui_put(w, 0, 0, u->cols, a, lbl);
	x = getcurx(w);
	room = u->cols - x - 1;		/* the last column stays empty */
	if (room < 3)
		return;
	cx = prompt_window(p, room, p->scroll, &first, &last);
	p->scroll = first;
	wattr_on(w, a, NULL);
	if (first > 0)			/* cut off at the start: say so */
		mvwaddnwstr(w, 0, x, L"…", 1);
	mvwaddnwstr(w, 0, x + (first > 0), p->buf + first, (int)(last - first));
	if (last < p->len)		/* and at the end */
		mvwaddnwstr(w, 0, x + (first > 0) + cols_of(p->buf, first, last),
		    L"…", 1);
	wattr_off(w, a, NULL);
	wmove(w, 0, x + cx);		/* the status line is refreshed last */
}
