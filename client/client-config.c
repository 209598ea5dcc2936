/* tafel's settings table (server, user, CA file, ...) and saving the last server and user. */
#include "client-config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "xmalloc.h"

#define C(f) offsetof(struct client_config, f)

/* Adding a setting means adding one row here; docs/cli.md lists them. */
const struct conf_param client_params[] = {
	{ "server", CONF_STRING, C(server), 0, "127.0.0.1:7410", 0, 0,
	  "Server to connect to (`host:port`, `[v6]:port`); remembered after "
	  "a successful login." },
	{ "user", CONF_STRING, C(user), 0, "", 0, 0,
	  "Login name; remembered after a successful login." },
	{ "ca_file", CONF_STRING, C(ca_file), 0, "", 0, 0,
	  "CA certificate (PEM) the server's certificate must chain to; the "
	  "administrator hands it out (`<data_dir>/tls/ca.crt`)." },
	{ "cert_file", CONF_STRING, C(cert_file), 0, "", 0, 0,
	  "Client certificate (PEM), if the server asks for one." },
	{ "key_file", CONF_STRING, C(key_file), 0, "", 0, 0,
	  "Private key of the client certificate." },
	{ "color", CONF_BOOL, C(color), 0, "yes", 0, 0,
	  "Use colours; the environment variable NO_COLOR turns them off." },
	/* the one section header the file may hold: [tafel] */
	{ NULL, 0, 0, 0, "tafel", 0, 0, NULL }
};

char *
client_config_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (x != NULL && *x == '/')
		return xasprintf("%s/tafel/tafel.conf", x);
	return xasprintf("%s/.config/tafel/tafel.conf",
	    home != NULL ? home : ".");
}

/* mkdir -p of the directory part of path. */
static int
make_parent(const char *path)
{
	char *d = xstrdup(path);

	for (char *p = d + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST) {
			free(d);
			return -1;
		}
		*p = '/';
	}
	free(d);
	return 0;
}

/*
 * The settings that name files: saved as absolute paths, so that "--ca
 * tafel-ca.crt" typed in one directory still works when tafel is started
 * from another.
 */
static const char *const file_params[] = { "ca_file", "cert_file",
    "key_file" };

/* val made absolute (realpath) when it names a file setting's existing
 * file by a relative path; else as it was. */
static void
absolute_file(const struct conf_param *p, char *val, size_t len)
{
	char *abs;

	if (val[0] == '\0' || val[0] == '/')
		return;
	for (size_t i = 0; i < sizeof file_params / sizeof file_params[0]; i++) {
		if (strcmp(p->name, file_params[i]) != 0)
			continue;
		if ((abs = realpath(val, NULL)) != NULL && strlen(abs) < len)
			snprintf(val, len, "%s", abs);
		free(abs);
		return;
	}
}

int
client_config_save(const struct client_config *cfg, const char *path, char *err,
    size_t errlen)
{
	char *tmp, val[1024];
	FILE *f;
	struct stat st;

	/*
	 * Only ever replace a regular file: renaming over "--config /dev/null"
	 * or a symlink would destroy it.
	 */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, _("%s is not a regular file."), path);
		return -1;
	}
	if (make_parent(path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	tmp = xasprintf("%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fputs("# tafel client settings; server and user are updated after each login.\n", f);
	for (const struct conf_param *p = client_params; p->name != NULL; p++) {
		conf_format(p, cfg, val, sizeof val);
		absolute_file(p, val, sizeof val);
		fprintf(f, "# %s\n%s = %s\n", p->help, p->name, val);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
