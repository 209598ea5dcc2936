/* Whether the screen can work here: a UTF-8 locale and a TERM that curses knows and that can move the cursor. */
#include "client.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

#include <term.h>	/* last: its capability macros clash with plain names */

int
ui_terminal_check(void)
{
	const char *term = getenv("TERM"), *set = nl_langinfo(CODESET);
	int e = 0;

	/*
	 * Every text is UTF-8 (the server's, the catalogue's) and is measured
	 * as such: in another character set names come out garbled and the
	 * columns shift.  A locale of C was made C.UTF-8 by i18n_init().
	 */
	if (strcmp(set, "UTF-8") != 0) {
		/* ASCII only: this terminal shows nothing else reliably */
		fprintf(stderr, _("tafel: the screen needs a UTF-8 terminal, and "
		    "the locale %s is %s: names and signs would come out "
		    "garbled and columns shifted; set LANG to a UTF-8 locale "
		    "(for example nl_NL.UTF-8 or C.UTF-8) on a UTF-8 terminal\n"),
		    setlocale(LC_CTYPE, NULL), set);
		return 2;
	}
	if (term == NULL || term[0] == '\0') {
		fprintf(stderr, "%s", _("tafel: TERM is not set, so the screen "
		    "does not know the terminal: set it, for example "
		    "TERM=xterm-256color (or use --batch)\n"));
		return 2;
	}
	/* initscr() would exit on its own, its message gone with stderr */
	if (setupterm(NULL, STDOUT_FILENO, &e) != OK) {
		fprintf(stderr, _("tafel: the terminal type TERM=%s is unknown "
		    "here (no terminfo entry): set TERM to your terminal's "
		    "type, for example xterm-256color or vt100\n"), term);
		return 2;
	}
	e = tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1;
	del_curterm(cur_term);
	if (e) {
		fprintf(stderr, _("tafel: the terminal TERM=%s cannot move the "
		    "cursor, which the screen needs: use a terminal such as "
		    "xterm, or --batch for commands\n"), term);
		return 2;
	}
	return 0;
}
