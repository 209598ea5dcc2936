/* Locale and message catalogue set-up: where tafel.mo is found, and Dutch without an nl locale. */
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TAFEL_LOCALEDIR
#define TAFEL_LOCALEDIR "/usr/local/share/locale"
#endif

/* The first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set. */
static const char *
wanted_language(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES",
	    "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return v;
	}
	return "";
}

/* TAFEL_LOCALEDIR, else <dir of the executable>/po when run from the
 * build directory, else the installed locale directory. */
static const char *
locale_dir(char *buf, size_t len)
{
	const char *env = getenv("TAFEL_LOCALEDIR");
	char exe[PATH_MAX], probe[PATH_MAX + 64];
	ssize_t n;
	char *slash;

	if (env != NULL && *env != '\0')
		return env;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			snprintf(probe, sizeof probe,
			    "%s/po/nl/LC_MESSAGES/tafel.mo", exe);
			if (access(probe, R_OK) == 0) {
				snprintf(buf, len, "%s/po", exe);
				return buf;
			}
		}
	}
	return TAFEL_LOCALEDIR;
}

void
i18n_init(void)
{
	char buf[PATH_MAX + 8];
	const char *want = wanted_language();
	const char *msgs;

	setlocale(LC_ALL, "");
	/*
	 * gettext ignores LANGUAGE in the "C" locale, and most machines have
	 * no nl_NL locale: then keep the character set of C.UTF-8 and name
	 * the language explicitly.
	 */
	msgs = setlocale(LC_MESSAGES, NULL);
	if (strncmp(want, "nl", 2) == 0 &&
	    (msgs == NULL || strncmp(msgs, "nl", 2) != 0)) {
		if (getenv("LANGUAGE") == NULL || strncmp(getenv("LANGUAGE"), "nl", 2) != 0)
			setenv("LANGUAGE", "nl", 1);
		if (msgs == NULL || strcmp(msgs, "C") == 0 ||
		    strcmp(msgs, "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
	}
	if (strcmp(setlocale(LC_CTYPE, NULL), "C") == 0 ||
	    strcmp(setlocale(LC_CTYPE, NULL), "POSIX") == 0)
		setlocale(LC_CTYPE, "C.UTF-8");	/* UTF-8 names on the screen */
	bindtextdomain("tafel", locale_dir(buf, sizeof buf));
	bind_textdomain_codeset("tafel", "UTF-8");
	textdomain("tafel");
}
