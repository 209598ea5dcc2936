/* Default file locations: config files per program, per user or system-wide. */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Fills buf with $XDG_CONFIG_HOME/tafel/<name> or ~/.config/tafel/<name>. */
static const char *
user_config(char *buf, size_t len, const char *name)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		snprintf(buf, len, "%s/tafel/%s", xdg, name);
	else
		snprintf(buf, len, "%s/.config/tafel/%s",
		    home != NULL ? home : "/nonexistent", name);
	return buf;
}

const char *
paths_default_server_config(void)
{
	static char buf[4096];

	if (geteuid() == 0)
		return "/etc/tafel/tafeld.conf";
	return user_config(buf, sizeof buf, "tafeld.conf");
}

const char *
paths_default_client_config(void)
{
	static char buf[4096];

	return user_config(buf, sizeof buf, "tafel.conf");
}
