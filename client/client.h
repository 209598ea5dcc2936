/* What main() hands to the batch and terminal front ends. */
#ifndef TAFEL_CLIENT_H
#define TAFEL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "client-config.h"
#include "net.h"

struct client_opts {
	struct client_config cfg;	/* settings after the file and the flags */
	char *config_path;		/* where the settings are saved */
	char host[256];			/* split from cfg.server */
	char port[16];
	const char *password_file;	/* --password-file, or NULL */
	int64_t meeting_id;		/* --meeting, 0 none */
	int presentation;		/* --presentation */
};

/* client-opts.c */
/* "host:port", "[v6]:port", "host" → host and port; -1 if malformed. */
int client_split_server(const char *s, char *host, size_t hl, char *port,
    size_t pl);
/* Fills o->net from the options for net_new(). */
void client_net_opts(const struct client_opts *o, struct net_opts *no,
    int retry_first);

/* Reads a password from a file (first line); NULL with a message on error. */
char *client_read_password_file(const char *path, char *err, size_t errlen);

/* Asks for the password on the terminal (echo off); NULL if no terminal. */
char *client_ask_password(const struct client_opts *o);

/* Saves server and user after a successful login (errors only logged). */
void client_remember(const struct client_opts *o);

/* batch.c: tafel --batch: returns the exit status. */
int batch_run(struct client_opts *o);
/* ui-loop.c: the terminal UI; returns the exit status. */
int ui_run(struct client_opts *o);
/* ui-term.c: 0 when the screen can work here (a UTF-8 locale, a TERM with
 * a terminfo entry that can move the cursor), else says why on stderr and
 * returns the exit status (2). */
int ui_terminal_check(void);

#endif
