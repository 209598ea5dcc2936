/* Where the admin socket lives (shared by tafeld and tafelctl). */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
admin_socket_path(const struct server_config *cfg, const char *data_dir,
    char *out, size_t len)
{
	const char *rt = getenv("RUNTIME_DIRECTORY");
	int n;

	if (cfg->admin_socket[0] != '\0')
		n = snprintf(out, len, "%s", cfg->admin_socket);
	else if (rt != NULL && rt[0] != '\0' && strchr(rt, ':') == NULL)
		n = snprintf(out, len, "%s/admin.sock", rt);
	else
		n = snprintf(out, len, "%s/admin.sock", data_dir);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
