/* tafeld: start-up (config, privileges, database, TLS), the event loop, shutdown. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>
#include <libpq-fe.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certgen.h"
#include "conn.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"
#include "maint.h"
#include "migrate.h"
#include "paths.h"
#include "pgembed.h"
#include "pgwatch.h"
#include "privdrop.h"
#include "sdnotify.h"
#include "proto.h"
#include "push.h"
#include "snapcache.h"
#include "admin.h"
#include "auth.h"
#include "lifecycle.h"
#include "server.h"
#include "tls.h"
#include "xmalloc.h"

struct server srv;
static struct pgembed embedded;
static int embedded_running;

/* Command-line settings: applied again over the file on every reload. */
static struct { const char *key, *value; } overrides[64];
static size_t n_over;

/*
 * Applies the command line's settings over the file's.  --db (or --set
 * db=) names another database, so the file's db_owner, the owner of the
 * file's database, goes with it unless db_owner is given there too: the
 * migrations must not run on one database and the queries on another.
 */
static int
apply_overrides(struct server_config *c, char *err, size_t errlen)
{
	size_t i;
	int db = 0, owner = 0;

	for (i = 0; i < n_over; i++) {
		if (conf_set(server_params, c, overrides[i].key,
		    overrides[i].value, err, errlen) != 0)
			return -1;
		db |= strcmp(overrides[i].key, "db") == 0;
		owner |= strcmp(overrides[i].key, "db_owner") == 0;
	}
	if (db && !owner)
		return conf_set(server_params, c, "db_owner", "", err, errlen);
	return 0;
}

static SSL_CTX *tls_build(const struct server_config *cfg, char *err,
    size_t errlen);
static int check_tls_names(const char *names,
    const struct server_config *cfg, const char *when);

/*
 * The settings the TLS context is built from: a reload applies them only
 * together with a context that loads.
 */
static const char *const tls_settings[] = { "tls_cert", "tls_key",
    "client_certs", "client_ca" };

static int
is_tls_setting(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof tls_settings / sizeof tls_settings[0]; i++)
		if (strcmp(name, tls_settings[i]) == 0)
			return 1;
	return 0;
}

/*
 * Descriptors tafeld needs besides one per client connection: standard
 * streams, the listener, the event loop, the hashing workers' pipe, the
 * embedded cluster's start-up, one accept() of a refused connection, and
 * the database pool (added per connection).
 */
#define FD_RESERVE 32

/* The soft descriptor limit (RLIMIT_NOFILE), RLIM_INFINITY if none. */
static rlim_t
fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		fatal("getrlimit(RLIMIT_NOFILE)");
	return rl.rlim_cur;
}

/* Descriptors max_connections clients and the database pool need. */
static unsigned long long
fd_need(long long max_connections, long long db_pool_size)
{
	return (unsigned long long)max_connections +
	    (unsigned long long)db_pool_size + 1 + FD_RESERVE;
}

/* max_connections when the configuration does not set it. */
static long long
default_max_connections(void)
{
	struct server_config d;
	long long v;

	conf_defaults(server_params, &d);
	v = d.max_connections;
	conf_free(server_params, &d);
	return v;
}

/*
 * Start-up: soft RLIMIT_NOFILE up to the hard one.  A configured
 * max_connections must fit it; the default is lowered to what fits.
 */
static void
raise_fd_limit(void)
{
	struct rlimit rl;
	unsigned long long need = fd_need(srv.cfg.max_connections,
	    srv.cfg.db_pool_size);

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		fatal("getrlimit(RLIMIT_NOFILE)");
	if (rl.rlim_cur != rl.rlim_max) {
		rlim_t was = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_warn("cannot raise the open file limit from %llu "
			    "to %llu: %s", (unsigned long long)was,
			    (unsigned long long)rl.rlim_max, strerror(errno));
	}
	rl.rlim_cur = fd_limit();
	if (rl.rlim_cur != RLIM_INFINITY && need > rl.rlim_cur &&
	    srv.cfg.max_connections == default_max_connections()) {
		/* Not configured: size it to the limit instead. */
		long long fit = (long long)rl.rlim_cur - (long long)(need -
		    (unsigned long long)srv.cfg.max_connections);

		if (fit >= 1) {
			log_warn("the open file limit is %llu: serving at most "
			    "%lld connections (max_connections)",
			    (unsigned long long)rl.rlim_cur, fit);
			srv.cfg.max_connections = fit;
			need = fd_need(fit, srv.cfg.db_pool_size);
		}
	}
	if (rl.rlim_cur != RLIM_INFINITY && need > rl.rlim_cur)
		fatalx("max_connections = %lld does not fit the open file "
		    "limit: it needs %llu descriptors (one per connection, "
		    "the database pool and %d for tafeld itself) and the limit "
		    "(RLIMIT_NOFILE, `ulimit -n`, systemd LimitNOFILE=) is %llu; "
		    "lower max_connections to at most %lld or raise the limit",
		    srv.cfg.max_connections, need, FD_RESERVE,
		    (unsigned long long)rl.rlim_cur,
		    (long long)rl.rlim_cur - (long long)(need -
		    (unsigned long long)srv.cfg.max_connections));
	log_debug("open file limit %llu; %llu needed",
	    (unsigned long long)rl.rlim_cur, need);
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: tafeld [options]\n"
"\n"
"The Tafel server: keeps the case register in PostgreSQL and pushes every\n"
"change live over TLS to the tafel clients.  Without --db it runs its own\n"
"PostgreSQL cluster inside the data directory.\n"
"\n"
"  -c, --config FILE     read settings from FILE (default %s)\n"
"  -l, --listen ADDR     address:port to listen on (default 127.0.0.1:7410)\n"
"  -d, --data-dir DIR    state directory (cluster, TLS keys)\n"
"      --db CONNINFO     use this PostgreSQL instead of the embedded cluster\n"
"  -s, --set KEY=VALUE   set any configuration key (see docs/config.md)\n"
"  -v, --verbose         log debug messages\n"
"      --print-config-doc  print the configuration reference (Markdown)\n"
"  -h, --help            show this help\n"
"  -V, --version         show the version\n",
	    paths_default_server_config());
}

/*
 * Applies log_level from the config.  The settings table admits only these
 * words (server-config.c): an unknown one never gets this far.
 */
static void
apply_log_level(void)
{
	static const struct {
		const char *name;
		enum log_level level;
	} levels[] = {
		{ "debug", LOG_LVL_DEBUG }, { "info", LOG_LVL_INFO },
		{ "warn", LOG_LVL_WARN }, { "error", LOG_LVL_ERROR },
	};
	size_t i;

	for (i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if (strcmp(srv.cfg.log_level, levels[i].name) == 0)
			log_set_level(levels[i].level);
}

/*
 * A reload's new log_file (empty: the standard error tafeld started with).
 * Applied only when it opens: otherwise the log stays where it was, and so
 * does the setting (SIGUSR1 reopens that one; the next reload tries
 * again).  The old log says where the lines go next.  0, or -1 (logged).
 */
static int
reload_log_file(const struct conf_param *p, const struct server_config *fresh)
{
	const char *path = fresh->log_file, *old = srv.cfg.log_file;
	char err[512];
	int fd;

	if ((fd = lifecycle_log_open(path, err, sizeof err)) >= 0) {
		log_info("reload: log_file applied; the log continues %s%s",
		    path[0] != '\0' ? "in " : "on standard error", path);
		if (lifecycle_log_use(fd, err, sizeof err) == 0) {
			conf_copy(p, &srv.cfg, fresh);
			return 0;
		}
	}
	log_error("reload: log_file not applied (%s); the log stays %s%s", err,
	    old[0] != '\0' ? "in " : "on standard error", old);
	return -1;
}

void
server_reload(void)
{
	struct server_config fresh;
	const struct conf_param *p;
	char err[512];

	SSL_CTX *tls;
	int changed = 0;
	char was[512];

	conf_defaults(server_params, &fresh);
	if (srv.config_path != NULL && conf_load_file(server_params, &fresh,
	    srv.config_path, !srv.config_explicit, err, sizeof err) != 0) {
		/* read as root at start, as the service user now: say how
		 * to let it read the file (only "Permission denied" was) */
		if (access(srv.config_path, R_OK) != 0 && errno == EACCES) {
			struct passwd *pw = getpwuid(geteuid());
			const char *u = pw != NULL ? pw->pw_name : srv.cfg.user;

			log_error("reload: %s: user %s cannot read it (tafeld "
			    "reads it again as its service user); give it mode "
			    "0640, owner root, group %s; keeping the current "
			    "settings", srv.config_path, u, u);
		} else
			log_error("reload: %s; keeping the current settings",
			    err);
		conf_free(server_params, &fresh);
		return;
	}
	if (apply_overrides(&fresh, err, sizeof err) != 0) {
		log_error("reload: %s; keeping the current settings", err);
		conf_free(server_params, &fresh);
		return;
	}
	/*
	 * The certificate, key and client CA are read again even when their
	 * paths did not change (renewed in place).  When they do not load,
	 * the running context stays and so do the settings it was built from.
	 */
	tls = tls_build(&fresh, err, sizeof err);
	if (tls == NULL)
		log_error("reload: TLS: %s; keeping the current certificate, "
		    "key and client CA", err);
	for (p = server_params; p->name != NULL; p++) {
		if (!conf_differs(p, &srv.cfg, &fresh))
			continue;
		if (strcmp(p->name, "tls_names") == 0) {
			/* a restart would not apply it either */
			if (check_tls_names(fresh.tls_names, &srv.cfg,
			    "reload: ") == 0)
				log_info("reload: tls_names changed; the server "
				    "certificate has every name in it");
			continue;
		}
		if (!p->reloadable) {
			log_warn("reload: %s changed; restart tafeld to apply it",
			    p->name);
			continue;
		}
		if (strcmp(p->name, "max_connections") == 0 &&
		    fd_limit() != RLIM_INFINITY &&
		    fd_need(fresh.max_connections, srv.cfg.db_pool_size) >
		    fd_limit()) {
			log_error("reload: max_connections = %lld does not fit "
			    "the open file limit %llu; keeping %lld",
			    fresh.max_connections,
			    (unsigned long long)fd_limit(),
			    srv.cfg.max_connections);
			continue;
		}
		if (tls == NULL && is_tls_setting(p->name)) {
			conf_format(p, &srv.cfg, was, sizeof was);
			log_error("reload: %s not applied (the TLS files do not "
			    "load); it stays \"%s\"", p->name, was);
			continue;
		}
		if (strcmp(p->name, "log_file") == 0) {
			if (reload_log_file(p, &fresh) != 0)
				continue;
		} else {
			conf_copy(p, &srv.cfg, &fresh);
			log_info("reload: %s applied", p->name);
		}
		changed++;
	}
	conf_free(server_params, &fresh);
	apply_log_level();
	if (!srv.cfg.join_cache)
		snapcache_clear();	/* nothing kept is sent any more */
	/* New handshakes use the new context; connections keep theirs. */
	if (tls != NULL) {
		SSL_CTX_free(srv.tls);
		srv.tls = tls;
		log_info("reload: TLS certificate, key and client CA reloaded; "
		    "new connections use them");
	}
	log_info("reload: done (%d setting(s) changed)", changed);
}

/* Splits "a,b,c" into a NULL-terminated array (for certificate names). */
static char **
split_names(const char *s)
{
	char **v = xcalloc(1, sizeof *v);
	char *copy = xstrdup(s), *tok, *save = NULL;
	size_t n = 0;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrdup(tok);
		v[n] = NULL;
	}
	free(copy);
	return v;
}

/* Creates the private CA and server certificate when none are configured. */
static void
setup_tls(void)
{
	char tlsdir[4200], err[512];
	char **names;
	size_t i;

	snprintf(tlsdir, sizeof tlsdir, "%s/tls", srv.data_dir);
	if (srv.cfg.tls_cert[0] == '\0' || srv.cfg.tls_key[0] == '\0') {
		names = split_names(srv.cfg.tls_names);
		if (certgen_ensure(tlsdir, (const char *const *)names, err,
		    sizeof err) != 0)
			fatalx("TLS: %s", err);
		for (i = 0; names[i] != NULL; i++)
			free(names[i]);
		free(names);
	}
	if ((srv.tls = tls_build(&srv.cfg, err, sizeof err)) == NULL)
		fatalx("TLS: %s", err);
}

/* The server TLS context from cfg's (or the generated) files; NULL with err. */
static SSL_CTX *
tls_build(const struct server_config *cfg, char *err, size_t errlen)
{
	char tlsdir[4200], cert[4300], key[4300];
	SSL_CTX *ctx;

	snprintf(tlsdir, sizeof tlsdir, "%s/tls", srv.data_dir);
	if (cfg->tls_cert[0] != '\0')
		snprintf(cert, sizeof cert, "%s", cfg->tls_cert);
	else
		snprintf(cert, sizeof cert, "%s/server.crt", tlsdir);
	if (cfg->tls_key[0] != '\0')
		snprintf(key, sizeof key, "%s", cfg->tls_key);
	else
		snprintf(key, sizeof key, "%s/server.key", tlsdir);
	if (cfg->client_certs) {
		char ca[4300];

		if (cfg->client_ca[0] != '\0')
			snprintf(ca, sizeof ca, "%s", cfg->client_ca);
		else
			snprintf(ca, sizeof ca, "%s/ca.crt", tlsdir);
		ctx = tls_server_ctx(cert, key, ca, err, errlen);
		if (ctx != NULL)
			log_info("TLS: client certificates required (CA %s)",
			    ca);
	} else
		ctx = tls_server_ctx(cert, key, NULL, err, errlen);
	return ctx;
}

/*
 * The server certificate cfg makes tafeld use, for the names check; the
 * same choice as tls_build.
 */
static void
server_cert_path(const struct server_config *cfg, char *buf, size_t len)
{
	if (cfg->tls_cert[0] != '\0')
		snprintf(buf, len, "%s", cfg->tls_cert);
	else
		snprintf(buf, len, "%s/tls/server.crt", srv.data_dir);
}

/*
 * tls_names go into the generated certificate on the first start only: a
 * name added later is not in it, and clients that connect by that name
 * fail to verify the server.  Says so for each such name (at start-up and
 * on a reload that changes tls_names), with what to do.  Returns how many
 * names are missing; -1 when the certificate cannot be read.
 */
static int
check_tls_names(const char *names, const struct server_config *cfg,
    const char *when)
{
	char path[4300], **v;
	X509 *x = NULL;
	FILE *f;
	size_t i;
	int r, missing = 0;

	if (names[0] == '\0')
		return 0;
	server_cert_path(cfg, path, sizeof path);
	if ((f = fopen(path, "r")) != NULL) {
		x = PEM_read_X509(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (x == NULL) {
		log_warn("%sTLS: cannot read %s to check tls_names", when, path);
		return -1;
	}
	v = split_names(names);
	for (i = 0; v[i] != NULL; i++) {
		r = X509_check_ip_asc(x, v[i], 0);
		if (r == -2)	/* not an IP address: a host name */
			r = X509_check_host(x, v[i], 0, 0, NULL);
		if (r != 1) {
			missing++;
			if (cfg->tls_cert[0] != '\0')
				log_warn("%sTLS: the server certificate %s "
				    "(tls_cert) has no name %s: tls_names goes "
				    "only into the certificate tafeld generates; "
				    "clients that connect by that name will "
				    "refuse the server: get a certificate for "
				    "it", when, path, v[i]);
			else
				log_warn("%sTLS: the server certificate %s has "
				    "no name %s (tls_names; names go in only "
				    "when it is made, on the first start): "
				    "clients that connect by that name will "
				    "refuse the server; to have it re-issued "
				    "with the names, remove %s/tls/server.crt "
				    "and %s/tls/server.key and restart tafeld "
				    "(the CA stays, clients keep trusting it)",
				    when, path, v[i], srv.data_dir,
				    srv.data_dir);
		}
		free(v[i]);
	}
	free(v);
	X509_free(x);
	return missing;
}

/*
 * admin_group names the group whose members may use the admin socket.  One
 * that does not exist leaves only root and the service user: said at
 * start-up rather than only when someone is refused.  Not refused, so a
 * host without the group (the default, tafel, on a developer's machine)
 * still starts.
 */
static void
check_admin_group(void)
{
	if (srv.cfg.admin_group[0] == '\0' ||
	    getgrnam(srv.cfg.admin_group) != NULL)
		return;
	log_warn("admin_group %s: no such group; only root and the service "
	    "user may use the admin socket (tafelctl status): create the "
	    "group or set admin_group to an existing one",
	    srv.cfg.admin_group);
}

/* True when the least-privileged role exists (sql/0005 creates it). */
static int
app_role_exists(PGconn *pc)
{
	PGresult *r = PQexec(pc, "SELECT 1 FROM pg_roles WHERE rolname = "
	    "'" PGEMBED_APP_ROLE "'");
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;

	PQclear(r);
	return ok;
}

/*
 * Tests only (docs/admin.md, "A controllable today"): TAFEL_TEST_TODAY=
 * YYYY-MM-DD makes the query pool's database sessions take that date as
 * today (tafel_today(): legal clocks, proposals, reply-by and publishing
 * dates).  Timestamps (created, published) stay real.  Only in a build
 * with the test hooks (meson -Dtest_hooks=true, the default; the Debian
 * package is built without): otherwise the variable is ignored, with one
 * warning.
 */
static void
test_today(void)
{
	const char *d = getenv("TAFEL_TEST_TODAY");
#ifdef TAFEL_TEST_HOOKS
	size_t n = strlen(srv.conninfo);
	int w;
#endif

	if (d == NULL || d[0] == '\0')
		return;
#ifndef TAFEL_TEST_HOOKS
	log_warn("TAFEL_TEST_TODAY ignored: this tafeld is built without the "
	    "test hooks (-Dtest_hooks=false)");
#else
	if (strlen(d) != 10 || strspn(d, "0123456789-") != 10 ||
	    d[4] != '-' || d[7] != '-')
		fatalx("TAFEL_TEST_TODAY must be YYYY-MM-DD");
	if (strncmp(srv.conninfo, "postgres", 8) == 0)
		fatalx("TAFEL_TEST_TODAY needs a key=value conninfo");
	w = snprintf(srv.conninfo + n, sizeof srv.conninfo - n,
	    " options='-c tafel.today=%s'", d);
	if (w < 0 || (size_t)w >= sizeof srv.conninfo - n)
		fatalx("TAFEL_TEST_TODAY: connection string too long");
	log_warn("TAFEL_TEST_TODAY: the database takes %s as today (tests "
	    "only)", d);
#endif
}

/*
 * Starts the embedded cluster or takes the configured conninfo, applies
 * the migrations as the schema owner and picks the connection string the
 * query pool uses: the least-privileged role tafel_app where possible.
 */
static void
setup_database(void)
{
	char err[2048], owner[8192];
	PGconn *pc;
	int applied = 0;

	if (srv.cfg.db[0] != '\0') {
		snprintf(srv.conninfo, sizeof srv.conninfo, "%s", srv.cfg.db);
		snprintf(owner, sizeof owner, "%s", srv.cfg.db_owner[0] ?
		    srv.cfg.db_owner : srv.cfg.db);
		log_info("using the configured PostgreSQL");
	} else {
		if (pgembed_start_owner(&embedded, srv.data_dir, err,
		    sizeof err) != 0)
			fatalx("embedded PostgreSQL: %s", err);
		embedded_running = embedded.started;
		pgembed_conninfo(&embedded, PGEMBED_DBNAME, owner, sizeof owner);
		pgembed_conninfo_as(&embedded, PGEMBED_DBNAME, PGEMBED_APP_ROLE,
		    srv.conninfo, sizeof srv.conninfo);
	}
	pc = PQconnectdb(owner);
	if (PQstatus(pc) != CONNECTION_OK) {
		snprintf(err, sizeof err, "%s", PQerrorMessage(pc));
		PQfinish(pc);
		fatalx("cannot connect to PostgreSQL: %s", err);
	}
	if (migrate_apply(pc, migrations, n_migrations, &applied, err,
	    sizeof err) != 0) {
		PQfinish(pc);
		fatalx("schema: %s", err);
	}
	if (applied > 0)
		log_info("schema: applied %d migration(s)", applied);
	if (srv.cfg.db[0] == '\0' && !app_role_exists(pc)) {
		log_warn("role " PGEMBED_APP_ROLE " missing: queries run as the "
		    "schema owner");
		snprintf(srv.conninfo, sizeof srv.conninfo, "%s", owner);
	}
	if (srv.cfg.db[0] != '\0' && srv.cfg.db_owner[0] == '\0')
		log_warn("db_owner is not set: queries run with the owner's "
		    "rights; see docs/security.md");
	PQfinish(pc);
	test_today();
}

/*
 * One tafeld per data directory, in every mode: <data_dir>/tafeld.lock is
 * held (flock) for the process's whole life and the kernel drops it however
 * the process ends.  The embedded cluster has its own owner lock as well
 * (pgembed.c); with an external database (db =) this is the only one, and
 * without it a second tafeld on the same directory would take over the
 * admin socket and remove it when it stopped.  The file holds the pid of
 * the tafeld holding it, for the message.
 */
static void
lock_data_dir(void)
{
	static int fd = -1;	/* held until exit */
	char path[4300], pid[32];
	ssize_t n;
	int e;

	snprintf(path, sizeof path, "%s/tafeld.lock", srv.data_dir);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		fatal("cannot open %s", path);
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		e = errno;
		if (e != EWOULDBLOCK)
			fatalx("cannot lock %s: %s", path, strerror(e));
		n = pread(fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		fatalx("another tafeld already runs on this data directory "
		    "(%s%s%s): stop it first, or give this one a data "
		    "directory of its own", srv.data_dir, pid[0] ? ", pid " :
		    "", pid);
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		log_debug("%s: cannot write the pid: %s", path,
		    strerror(errno));
}

/*
 * The admin socket may be configured outside the data directory
 * (admin_socket, RUNTIME_DIRECTORY), so two tafelds with different data
 * directories can still name the same one.  A socket that answers belongs
 * to a running tafeld: taking it over would point tafelctl at the wrong
 * server and, when this one stopped, leave the other without its socket.
 * Only a dead one (connection refused) is replaced, by admin_start().
 */
static void
check_admin_socket(void)
{
	struct sockaddr_un sun;
	struct stat st;
	char path[sizeof sun.sun_path];
	int fd, r, e;

	if (admin_socket_path(&srv.cfg, srv.data_dir, path, sizeof path) != 0)
		return;		/* admin_start() says so */
	if (lstat(path, &st) != 0 || !S_ISSOCK(st.st_mode))
		return;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	r = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	e = errno;
	close(fd);
	if (r != 0 && (e == ECONNREFUSED || e == ENOENT))
		return;		/* left by a tafeld that ended */
	fatalx("admin socket %s is in use by another tafeld%s%s: give each "
	    "tafeld its own admin_socket (or data directory)", path,
	    r != 0 ? ": " : "", r != 0 ? strerror(e) : "");
}

static void
stop_embedded(void)
{
	char err[512];

	if (!embedded_running)
		return;
	if (pgembed_stop(&embedded, err, sizeof err) != 0)
		log_error("stopping embedded PostgreSQL: %s", err);
	else
		log_info("embedded PostgreSQL stopped");
	embedded_running = 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "db", required_argument, NULL, 'D' },
		{ "set", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "print-config-doc", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, verbose = 0, was_root;
	char err[512], *eq;

	log_set_prefix("tafeld");
	sdnotify_init();
	srv.config_path = paths_default_server_config();
	while ((ch = getopt_long(argc, argv, "c:l:d:s:vhV", longopts,
	    NULL)) != -1) {
		if (n_over >= sizeof overrides / sizeof overrides[0])
			fatalx("too many options");
		switch (ch) {
		case 'c':
			srv.config_path = optarg;
			srv.config_explicit = 1;
			break;
		case 'l':
			overrides[n_over].key = "listen";
			overrides[n_over++].value = optarg;
			break;
		case 'd':
			overrides[n_over].key = "data_dir";
			overrides[n_over++].value = optarg;
			break;
		case 'D':
			overrides[n_over].key = "db";
			overrides[n_over++].value = optarg;
			break;
		case 's':
			eq = strchr(optarg, '=');
			if (eq == NULL)
				fatalx("--set expects KEY=VALUE, got \"%s\"",
				    optarg);
			*eq = '\0';
			overrides[n_over].key = optarg;
			overrides[n_over++].value = eq + 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'P':
			conf_print_markdown(server_params);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tafeld %s (protocol %d)\n", TAFEL_VERSION,
			    TAFEL_PROTOCOL_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tafeld: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage(stderr);
		return 2;
	}

	conf_defaults(server_params, &srv.cfg);
	if (conf_load_file(server_params, &srv.cfg, srv.config_path,
	    !srv.config_explicit, err, sizeof err) != 0)
		fatalx("%s", err);
	if (apply_overrides(&srv.cfg, err, sizeof err) != 0)
		fatalx("%s", err);
	apply_log_level();
	if (verbose)
		log_set_level(LOG_LVL_DEBUG);
	raise_fd_limit();

	tls_init();
	snprintf(srv.data_dir, sizeof srv.data_dir, "%s",
	    srv.cfg.data_dir[0] ? srv.cfg.data_dir : privdrop_default_data_dir());
	was_root = geteuid() == 0;
	if (privdrop_prepare(srv.cfg.user, srv.data_dir, err, sizeof err) != 0)
		fatalx("%s", err);
	lock_data_dir();
	check_admin_socket();
	listener_bind();
	if (lifecycle_open_log(err, sizeof err) != 0)
		fatalx("%s", err);
	log_info("tafeld %s starting; data directory %s", TAFEL_VERSION,
	    srv.data_dir);
	/* read as root at start, but as the service user on every reload */
	if (was_root && srv.config_path != NULL &&
	    access(srv.config_path, R_OK) != 0 && errno == EACCES)
		log_warn("%s: user %s cannot read it, so a reload (SIGHUP) "
		    "will fail; give it mode 0640, owner root, group %s",
		    srv.config_path, srv.cfg.user, srv.cfg.user);

	atexit(stop_embedded);	/* also when start-up fails after it */
	setup_database();
	setup_tls();
	check_tls_names(srv.cfg.tls_names, &srv.cfg, "");
	check_admin_group();

	srv.base = event_base_new();
	if (srv.base == NULL)
		fatalx("event_base_new failed");
	TAILQ_INIT(&srv.conns);
	lifecycle_start(sdnotify_stopping);
	db_start();
	if (embedded_running)
		pgwatch_start(&embedded);
	auth_start();
	push_start();
	maint_start();
	dispatch_init();
	listener_start();
	admin_start();
	sdnotify_start();

	event_base_dispatch(srv.base);

	log_info("event loop ended");
	auth_stop();
	admin_free();
	sdnotify_free();
	lifecycle_free();
	push_free();
	db_free();
	SSL_CTX_free(srv.tls);
	event_base_free(srv.base);
	conf_free(server_params, &srv.cfg);
	stop_embedded();
	return 0;
}
