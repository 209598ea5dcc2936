/* Reading a libpq conninfo string: the value one keyword is given there. */
#include "conninfo.h"

#include <string.h>

#include <libpq-fe.h>

#include "xmalloc.h"

char *
conninfo_value(const char *conninfo, const char *keyword)
{
	PQconninfoOption *opts, *o;
	char *err = NULL, *out = NULL;

	opts = PQconninfoParse(conninfo, &err);
	if (err != NULL)
		PQfreemem(err);
	for (o = opts; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, keyword) == 0) {
			if (o->val != NULL)
				out = xstrdup(o->val);
			break;
		}
	PQconninfoFree(opts);
	return out;
}
