/* tafeld's settings: the struct and the table that parses, defaults and documents it. */
#include "server-config.h"

#include <stddef.h>

#define S(f) offsetof(struct server_config, f)
#define SEC 1000LL
#define DAY (86400LL * SEC)

/* Adding a setting means adding one row here; docs/config.md is generated from it. */
const struct conf_param server_params[] = {
	{ "listen", CONF_ADDRESS, S(listen), 0, "127.0.0.1:7410", 0, 0,
	  "IP address and TCP port for clients (`192.0.2.10:7410`, "
	  "`0.0.0.0:7410` for every IPv4 address, `[::1]:7410`). Checked "
	  "with the other settings; a port already in use stops tafeld "
	  "when it binds the port, after the data directory is locked but "
	  "before the database is started." },
	{ "data_dir", CONF_STRING, S(data_dir), 0, "", 0, 0,
	  "State directory: embedded PostgreSQL cluster, TLS keys. Empty: "
	  "`/var/lib/tafel` as root, else `$XDG_STATE_HOME/tafel` "
	  "(`~/.local/state/tafel`)." },
	{ "db", CONF_STRING, S(db), 0, "", 0, 0,
	  "libpq connection string of an existing PostgreSQL. Empty: run the "
	  "embedded cluster in the data directory." },
	{ "db_owner", CONF_STRING, S(db_owner), 0, "", 0, 0,
	  "Connection string of the schema owner, used only to apply "
	  "migrations (and by tafelctl). Empty: `db`. Set `db` to the "
	  "least-privileged `tafel_app` login and this to the owner." },
	{ "user", CONF_STRING, S(user), 0, "tafel", 0, 0,
	  "Unprivileged account tafeld switches to when started as root." },
	{ "tls_cert", CONF_STRING, S(tls_cert), 1, "", 0, 0,
	  "Server certificate chain (PEM). Empty: generated "
	  "`<data_dir>/tls/server.crt`, signed by the private CA." },
	{ "tls_key", CONF_STRING, S(tls_key), 1, "", 0, 0,
	  "Server private key (PEM). Empty: `<data_dir>/tls/server.key`." },
	{ "tls_names", CONF_STRING, S(tls_names), 0, "", 0, 0,
	  "Extra host names or IP addresses (comma-separated) put in the "
	  "generated server certificate on first start. A name the "
	  "certificate in use lacks (added later, or with `tls_cert` set) is "
	  "warned about at start and on a reload that changes this: remove "
	  "`<data_dir>/tls/server.*` and restart to have the certificate "
	  "re-issued with every name." },
	{ "client_certs", CONF_BOOL, S(client_certs), 1, "no", 0, 0,
	  "Require every client to present a certificate signed by "
	  "`client_ca` (mutual TLS), issued to an organisation: a user may "
	  "then only log in with a certificate of their own organisation "
	  "(`tafelctl cert issue`)." },
	{ "client_ca", CONF_STRING, S(client_ca), 1, "", 0, 0,
	  "CA certificate that signs client certificates. Empty: the private "
	  "CA in `<data_dir>/tls/ca.crt`." },
	{ "log_level", CONF_ENUM, S(log_level), 1, "info|debug|warn|error",
	  0, 0, "Least severe messages written to the log (`debug` is the "
	  "most detailed). Warnings and errors are kept for `tafelctl "
	  "status` whatever the level." },
	{ "handshake_timeout", CONF_DURATION, S(handshake_timeout), 1, "5s",
	  100, 600 * SEC,
	  "Time a new connection has to finish the TLS handshake and send its "
	  "Hello." },
	{ "login_timeout", CONF_DURATION, S(login_timeout), 1, "60s", 100,
	  3600 * SEC, "Time from Hello to a successful login." },
	{ "idle_timeout", CONF_DURATION, S(idle_timeout), 1, "30m", SEC,
	  7 * DAY, "A connection whose session sends no request for this "
	  "long gets `SESSION_EXPIRED` and is closed (pushed events do not "
	  "count; docs/protocol.md 4.1)." },
	{ "tcp_keepalive", CONF_DURATION, S(tcp_keepalive), 1, "30s", 0,
	  7200 * SEC, "A client connection on which nothing arrives for this "
	  "long is probed with TCP keepalives, a third of this apart (at "
	  "least 1 s). A peer that answers none (its network gone: no FIN, "
	  "no reset) is dropped, and its session ends, at the first probe "
	  "after 30 s of silence (the write timeout, docs/protocol.md 4.1, "
	  "bounds unanswered probes too): about 40 s with the default, "
	  "instead of staying until `idle_timeout`. The probes are empty TCP "
	  "segments, answered by the client's kernel: they do not count as "
	  "requests. Applies to connections accepted after a reload. 0: no "
	  "probes." },
	{ "max_connections", CONF_INT, S(max_connections), 1, "1000", 1,
	  100000, "Connections served at once; more are refused." },
	{ "max_unauthenticated", CONF_INT, S(max_unauthenticated), 1, "256", 1,
	  100000, "Connections that have not logged in yet, at once; more "
	  "are refused before TLS, except from an address holding at least "
	  "two fewer of them than another: that one's oldest is closed to "
	  "make room." },
	{ "max_unauthenticated_per_address", CONF_INT,
	  S(max_unauthenticated_per_address), 1, "32", 1, 100000,
	  "Connections from one IP address (IPv6: one /64 prefix) that have "
	  "not logged in yet, at once: one host cannot take every "
	  "unauthenticated slot." },
	{ "max_sessions_per_user", CONF_INT, S(max_sessions_per_user), 1, "64",
	  1, 100000, "Logged-in connections of one user at once; a login "
	  "beyond it is refused (`RATE_LIMITED`): one account, or one "
	  "stolen password, cannot take every connection." },
	{ "outbuf_limit", CONF_INT, S(outbuf_limit), 1, "4194304", 65536,
	  1073741824, "Bytes queued to one client before it is considered "
	  "stalled and disconnected (it resumes on reconnect)." },
	{ "compression", CONF_BOOL, S(compression), 1, "yes", 0, 0,
	  "Frames of 4096 bytes or more (a snapshot, a long list) go "
	  "compressed with zlib to clients whose Hello accepts it (the "
	  "terminal client does): a 50-item meeting's snapshot in a seventh "
	  "of the bytes, for partners on slow links. no: never (see "
	  "docs/security.md on the length of compressed frames)." },
	{ "db_pool_size", CONF_INT, S(db_pool_size), 0, "4", 1, 64,
	  "PostgreSQL connections used for queries (plus one for "
	  "LISTEN). Clients' reads hold at most all but one of them, which "
	  "stays for writes." },
	{ "db_query_timeout", CONF_DURATION, S(db_query_timeout), 1, "30s", 0,
	  3600 * SEC, "How long a request's query may run before tafeld "
	  "gives up its database connection (a database that hangs, or a "
	  "network path that went silent, answers nothing and refuses "
	  "nothing): the request gets `DATABASE_UNAVAILABLE` (a write may "
	  "or may not have been applied; the client retries it with the "
	  "same idempotency key) and the connection is made again. A "
	  "database that is slow but runs ends the query it was running "
	  "within about a second (tafeld's connections set "
	  "`client_connection_check_interval` to 1 s), so such a write "
	  "neither keeps its locks nor commits later; one that was frozen "
	  "(a stopped process, a paused machine) may still run and commit "
	  "a request it had not started when it runs again, which is why "
	  "the retry keeps the key. tafeld's own queries (the push's reads and "
	  "renderings, the audit fold, maintenance) are timed alike, and "
	  "retried. 0: no limit." },
	{ "db_warm_up", CONF_BOOL, S(db_warm_up), 1, "yes", 0, 0,
	  "Each new query connection first builds the snapshot of the "
	  "largest planned or open meeting and renders its latest change, "
	  "and discards both (nothing is sent or recorded), so that its "
	  "first real request does not pay PostgreSQL's planning of them "
	  "(some 50 ms)." },
	{ "join_cache", CONF_BOOL, S(join_cache), 1, "yes", 0, 0,
	  "A meeting's snapshot rendered for one member of a class of "
	  "viewers (the same organisation, observer or not; never a chair, "
	  "an administrator or the shared screen) is kept and sent to the "
	  "next member who joins, after the database confirmed that nothing "
	  "was written since; the read is audited for each (docs/security.md). "
	  "no: every join is rendered." },
	{ "resume_window", CONF_INT, S(resume_window), 0, "10000", 16,
	  10000000, "Recent events kept in memory; a client further behind "
	  "gets a fresh snapshot." },
	{ "resume_ticket_lifetime", CONF_DURATION, S(resume_ticket_lifetime),
	  1, "12h", 0, 7 * DAY, "How long after a password login its session "
	  "can be resumed with a resume ticket instead of the password (after "
	  "a dropped connection or a server restart). 0: no tickets." },
	{ "login_delay", CONF_DURATION, S(login_delay), 1, "1s", 0, 60 * SEC,
	  "Delay added to the answer for each recent failed login of the same "
	  "user or address." },
	{ "login_delay_max", CONF_DURATION, S(login_delay_max), 1, "15s", 0,
	  600 * SEC, "Upper bound of that delay." },
	{ "hash_threads", CONF_INT, S(hash_threads), 0, "2", 1, 32,
	  "Worker threads computing Argon2id password hashes off the event "
	  "loop." },
	{ "escalation_after", CONF_INT, S(escalation_after), 1, "7", 0, 365,
	  "Days an action point may be overdue before the owner "
	  "organisation's escalation contact is notified (once; set the "
	  "contact with `tafelctl org escalation-contact`). 0: as soon as it "
	  "is overdue." },
	{ "escalation_interval", CONF_DURATION, S(escalation_interval), 0,
	  "1h", SEC, DAY, "How often tafeld looks for action points to "
	  "escalate, and for legal clocks whose notice to probation is due "
	  "(docs/protocol.md 7.9)." },
	{ "idempotency_ttl", CONF_DURATION, S(idempotency_ttl), 1, "7d",
	  60 * SEC, 365 * DAY, "How long the answer to a write is kept for "
	  "retries with the same idempotency key." },
	{ "retention", CONF_DURATION, S(retention), 1, "1826d", DAY,
	  100LL * 365 * DAY, "How long after closing a case `tafelctl purge` "
	  "keeps its personal data (default five years); cases under legal "
	  "hold are kept." },
	{ "lockout_failures", CONF_INT, S(lockout_failures), 1, "10", 1, 1000,
	  "Failed logins in a row after which an account is locked." },
	{ "lockout_time", CONF_DURATION, S(lockout_time), 1, "15m", SEC,
	  365 * DAY, "How long a locked account stays locked (`tafelctl user "
	  "unlock` ends it early)." },
	{ "rate_session", CONF_INT, S(rate_session), 1, "20", 1, 100000,
	  "Requests per second one connection may make on average; more get "
	  "RATE_LIMITED." },
	{ "rate_burst", CONF_INT, S(rate_burst), 1, "60", 1, 1000000,
	  "Requests one connection may make at once before the average "
	  "applies (an address gets four times this)." },
	{ "rate_address", CONF_INT, S(rate_address), 1, "100", 1, 1000000,
	  "Requests per second all connections from one address may make "
	  "together." },
	{ "log_file", CONF_STRING, S(log_file), 1, "", 0, 0,
	  "Append log lines to this file instead of standard error; SIGUSR1 "
	  "reopens it (after log rotation). Opened as the service user. "
	  "Empty: standard error (the journal under systemd). A reload "
	  "switches the log only when the new file opens; otherwise the log "
	  "and the setting stay as they were and the error (\"reload: "
	  "log_file not applied\") is logged and shown by `tafelctl status`." },
	{ "shutdown_timeout", CONF_DURATION, S(shutdown_timeout), 1, "10s", 0,
	  600 * SEC, "On SIGTERM, how long tafeld waits for requests already "
	  "running (writes in flight) before it closes the connections." },
	{ "admin_socket", CONF_STRING, S(admin_socket), 0, "", 0, 0,
	  "Unix socket `tafelctl status` talks to (mode 0660). Empty: "
	  "`$RUNTIME_DIRECTORY/admin.sock` when systemd sets "
	  "`RUNTIME_DIRECTORY` (`RuntimeDirectory=tafel`: "
	  "`/run/tafel/admin.sock`), else `<data_dir>/admin.sock`." },
	{ "admin_group", CONF_STRING, S(admin_group), 0, "tafel", 0, 0,
	  "Group (besides root and the service user) allowed on the admin "
	  "socket; checked with SO_PEERCRED. A group that does not exist is "
	  "warned about at start (tafeld still starts; only root and the "
	  "service user may then use the socket)." },
	/* the one section header the file may hold: [tafeld] */
	{ NULL, 0, 0, 0, "tafeld", 0, 0, NULL }
};
