/* UTF-8 checks for text that arrives from the network. */
#ifndef TAFEL_UTF8_H
#define TAFEL_UTF8_H

#include <stddef.h>

enum utf8_status {
	UTF8_OK = 0,
	UTF8_BAD_ENCODING,	/* overlong, surrogate, truncated, > U+10FFFF */
	UTF8_CONTROL		/* C0/C1 control other than tab and newline */
};

/*
 * Checks len bytes of s: strictly valid UTF-8 and, because text ends up on
 * other people's terminals, no control characters except tab, newline and carriage return
 * (multi_line) or none at all (single line).
 */
enum utf8_status utf8_check(const char *s, size_t len, int multi_line);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
