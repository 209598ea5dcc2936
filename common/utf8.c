/* UTF-8 checks for text that arrives from the network or from files. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Decodes one code point at s (at most `left` bytes); returns its length or 0. */
static size_t
decode_one(const unsigned char *s, size_t left, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2; v = c & 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; v = c & 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; v = c & 0x07; min = 0x10000;
	} else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

enum utf8_status
utf8_check(const char *s, size_t len, int multi_line)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (p[i] == 0xc0 && len - i >= 2 && p[i + 1] == 0x80)
			return UTF8_NUL;
		n = decode_one(p + i, len - i, &cp);
		if (n == 0)
			return UTF8_BAD_ENCODING;
		if (cp == 0)
			return UTF8_NUL;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			if (!(multi_line && (cp == '\t' || cp == '\n')))
				return UTF8_CONTROL;
		}
		i += n;
	}
	return UTF8_OK;
}

size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

size_t
utf8_bom_len(const char *s)
{
	return strncmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}
