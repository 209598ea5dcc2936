/* UTF-8 checks for text that arrives from the network. */
#ifndef TAFEL_UTF8_H
#define TAFEL_UTF8_H

#include <stddef.h>

enum utf8_status {
	UTF8_OK = 0,
	UTF8_BAD_ENCODING,	/* overlong, surrogate, truncated, > U+10FFFF */
	UTF8_CONTROL,		/* a control character the text may not hold */
	UTF8_NUL		/* U+0000, as a byte 0 or as C0 80 (see frame.c) */
};

/*
 * Checks len bytes of s: strictly valid UTF-8 and, because text ends up on
 * other people's terminals, no control characters (U+0000-U+001F, U+007F,
 * U+0080-U+009F).  multi_line text may hold tab (U+0009) and line feed
 * (U+000A), nothing else of them; carriage return is always refused.  The
 * two bytes C0 80 (the "modified UTF-8" form of NUL that frame_unpack()
 * puts where a NUL byte was on the wire) give UTF8_NUL like a byte 0.
 */
enum utf8_status utf8_check(const char *s, size_t len, int multi_line);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

/* The length of a UTF-8 byte order mark at the start of s (Notepad puts
 * one before a file), or 0: what to skip before reading the text. */
size_t utf8_bom_len(const char *s);

#endif
