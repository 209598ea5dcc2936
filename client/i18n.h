/* Translations: _() marks and translates UI strings (textdomain "tafel"), N_() only marks. */
#ifndef TAFEL_CLIENT_I18N_H
#define TAFEL_CLIENT_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* setlocale() and the text domain; Dutch when LANGUAGE (its first
 * language that Tafel has: nl or en) or, without it, LC_ALL, LC_MESSAGES
 * or LANG asks for nl, even without an nl_NL locale. */
void i18n_init(void);

#endif
