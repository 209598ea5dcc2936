/* The server's shared state: one event loop, its listener, its connections. */
#ifndef TAFEL_SERVER_H
#define TAFEL_SERVER_H

#include <stdint.h>
#include "compat.h"

#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "server-config.h"

struct conn;
struct db;
struct push;
struct auth;

struct server {
	struct event_base *base;	/* the one loop everything runs on */
	struct server_config cfg;	/* current settings */
	const char *config_path;	/* file re-read on SIGHUP, or NULL */
	int config_explicit;		/* --config given: the file must exist */
	char data_dir[4096];		/* resolved state directory */
	char conninfo[8192];		/* libpq connection string in use */
	SSL_CTX *tls;			/* server TLS 1.3 context */
	struct evconnlistener *listener;
	TAILQ_HEAD(, conn) conns;	/* every live connection */
	unsigned n_conns;		/* live connections */
	unsigned n_unauth;		/* of which not logged in yet */
	uint64_t next_conn_id;
	struct db *db;			/* query pool + LISTEN connection */
	struct push *push;		/* subscriptions and event fan-out */
	struct auth *auth;		/* password hashing workers, throttles */
	int shutting_down;
};

extern struct server srv;

/*
 * Listening on cfg.listen, fatal on failure (start-up): listener_bind
 * binds the address before the database starts, so a port in use stops
 * tafeld at once; listener_start listens on it (binding first if needed)
 * once tafeld is ready to serve.
 */
void listener_bind(void);
void listener_start(void);
void listener_stop(void);

/* Applies the reloadable settings of a freshly read config file. */
void server_reload(void);

#endif
