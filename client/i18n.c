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

/*
 * Whether the screen is to be Dutch.  LANGUAGE is a list in order of
 * preference ("en:nl"): its first language that Tafel has, Dutch or
 * English (the msgids), decides, and English when it names neither, as
 * gettext would.  Without LANGUAGE the first of LC_ALL, LC_MESSAGES, LANG
 * that is set: Dutch when it starts with nl.
 */
static int
wants_dutch(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *list = getenv("LANGUAGE");

	if (list != NULL && *list != '\0') {
		for (const char *p = list; *p != '\0'; p += strcspn(p, ":")) {
			p += strspn(p, ":");
			if (strncmp(p, "nl", 2) == 0)
				return 1;
			if (strncmp(p, "en", 2) == 0)
				return 0;
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return strncmp(v, "nl", 2) == 0;
	}
	return 0;
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
	const char *msgs;

	setlocale(LC_ALL, "");
	/* numbers as the files and the server write them ("3.5", never "3,5"
	 * in a CSV of comma-separated fields), whatever the desktop's locale */
	setlocale(LC_NUMERIC, "C");
	/*
	 * gettext ignores LANGUAGE in the "C" locale, and most machines have
	 * no nl_NL locale: then keep the character set of C.UTF-8 and name
	 * the language explicitly.  English is named too: with "en:nl"
	 * gettext would find no English catalogue and go on to Dutch.
	 */
	msgs = setlocale(LC_MESSAGES, NULL);
	if (wants_dutch()) {
		setenv("LANGUAGE", "nl", 1);
		if (msgs == NULL || strcmp(msgs, "C") == 0 ||
		    strcmp(msgs, "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
	} else if (getenv("LANGUAGE") != NULL)
		setenv("LANGUAGE", "en", 1);
	if (strcmp(setlocale(LC_CTYPE, NULL), "C") == 0 ||
	    strcmp(setlocale(LC_CTYPE, NULL), "POSIX") == 0)
		setlocale(LC_CTYPE, "C.UTF-8");	/* UTF-8 names on the screen */
	bindtextdomain("tafel", locale_dir(buf, sizeof buf));
	bind_textdomain_codeset("tafel", "UTF-8");
	textdomain("tafel");
}
