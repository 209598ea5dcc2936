/* Reading a libpq conninfo string: the value one keyword is given there. */
#ifndef TAFEL_CONNINFO_H
#define TAFEL_CONNINFO_H

/*
 * The value `keyword` has in `conninfo` (a "key=value ..." string or a
 * postgresql:// URI), as libpq would read it, as a new string the caller
 * frees; NULL when the conninfo does not give it or cannot be parsed
 * (libpq then reports the parse error itself when connecting).
 */
char *conninfo_value(const char *conninfo, const char *keyword);

#endif
