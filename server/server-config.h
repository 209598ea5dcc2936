/* tafeld's settings: the struct and the table that parses, defaults and documents it. */
#ifndef TAFEL_SERVER_CONFIG_H
#define TAFEL_SERVER_CONFIG_H

#include "config.h"

struct server_config {
	char *listen;			/* "host:port" */
	char *data_dir;			/* "" = per-user default */
	char *db;			/* libpq conninfo; "" = embedded cluster */
	char *db_owner;			/* conninfo for migrations; "" = db */
	char *user;			/* service user when started as root */
	char *tls_cert;			/* "" = <data_dir>/tls/server.crt */
	char *tls_key;			/* "" = <data_dir>/tls/server.key */
	char *tls_names;		/* extra names for the generated cert */
	char *log_level;		/* debug, info, warn or error (checked) */
	int client_certs;		/* require a client certificate (mTLS) */
	char *client_ca;		/* CA for client certs; "" = ours */
	long long handshake_timeout;	/* ms to finish TLS + hello */
	long long login_timeout;	/* ms from hello to a successful login */
	long long idle_timeout;		/* ms without requests before logout */
	long long tcp_keepalive;	/* ms idle before TCP keepalive probes; 0 */
	long long max_connections;
	long long max_unauthenticated;
	long long max_unauthenticated_per_address;
	long long max_sessions_per_user; /* logged-in connections of a user */
	long long outbuf_limit;		/* bytes queued to one client */
	int compression;		/* Compressed frames to clients that accept them */
	long long db_pool_size;
	int db_warm_up;			/* new pool connections warm up first */
	int join_cache;			/* join snapshots kept per class (snapcache.h) */
	long long db_query_timeout;	/* ms a request's query may run; 0 */
	long long resume_window;	/* events kept in memory for resume */
	long long resume_ticket_lifetime; /* ms; 0: no resume tickets */
	long long login_delay;		/* ms added per recent failed login */
	long long login_delay_max;	/* cap on that delay */
	long long hash_threads;		/* password-hashing worker threads */
	long long idempotency_ttl;	/* ms an answered write key is kept */
	long long escalation_after;	/* days overdue before escalating */
	long long escalation_interval;	/* ms between escalation runs */
	long long retention;		/* ms after closing until anonymised */
	long long lockout_failures;	/* failed logins in a row that lock */
	long long lockout_time;		/* ms an account stays locked */
	long long rate_session;		/* requests per second per session */
	long long rate_address;		/* requests per second per address */
	long long rate_burst;		/* bucket size per session */
	char *log_file;			/* "" = stderr; reopened on SIGUSR1 */
	long long shutdown_timeout;	/* ms SIGTERM waits for requests */
	char *admin_socket;		/* "" = <data_dir>/admin.sock */
	char *admin_group;		/* group that may use the admin socket */
};

extern const struct conf_param server_params[];

#endif
