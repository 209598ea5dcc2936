/* tafel's settings: the struct, its table, and where the file lives. */
#ifndef TAFEL_CLIENT_CONFIG_H
#define TAFEL_CLIENT_CONFIG_H

#include "config.h"

struct client_config {
	char *server;		/* host:port */
	char *user;		/* login name */
	char *ca_file;		/* CA certificate the server must chain to */
	char *cert_file;	/* optional client certificate */
	char *key_file;		/* its key */
	int color;		/* use colours (NO_COLOR still wins) */
};

extern const struct conf_param client_params[];

/* $XDG_CONFIG_HOME/tafel/tafel.conf (~/.config/...); caller frees. */
char *client_config_path(void);

/* Writes every setting back to path (creating the directory), file names
 * (ca_file, cert_file, key_file) as absolute paths; -1 on error. */
int client_config_save(const struct client_config *cfg, const char *path,
    char *err, size_t errlen);

#endif
