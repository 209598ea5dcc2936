/* The private PostgreSQL cluster: initdb on first start, pg_ctl start/stop, database creation. */
#ifndef TAFEL_PGEMBED_H
#define TAFEL_PGEMBED_H

#include <stddef.h>

#define PGEMBED_PORT	5432		/* only names the socket; no TCP */
#define PGEMBED_DBNAME	"tafel"		/* created by pgembed_start */
#define PGEMBED_APP_ROLE "tafel_app"	/* least-privileged role of tafeld's
					   queries (created by sql/0005) */

struct pgembed {
	char root[4096];	/* <data_dir>/pg */
	char datadir[4096];	/* <data_dir>/pg/data */
	char sockdir[4096];	/* <data_dir>/pg/run : the only place it listens */
	char logfile[4096];	/* <data_dir>/pg/postgres.log */
	char bindir[4096];	/* holds initdb and pg_ctl */
	int  started;		/* 1 if we started it (so pgembed_stop stops it) */
	int  initialised;	/* 1 if this call ran initdb (first start) */
};

/*
 * Makes sure the cluster under <data_dir>/pg exists, runs and has the
 * database "tafel": initdb if needed, pg_ctl start unless already running.
 * Must run as the unprivileged user that owns data_dir (see privdrop.h);
 * blocks (up to about a minute).  Returns 0, or -1 with a message in err.
 */
int  pgembed_start(struct pgembed *pg, const char *data_dir, char *err,
    size_t errlen);

/* Writes a libpq conninfo string for dbname over the private socket. */
void pgembed_conninfo(const struct pgembed *pg, const char *dbname, char *buf,
    size_t len);

/* The same, connecting as another role (the identity map allows tafel_app). */
void pgembed_conninfo_as(const struct pgembed *pg, const char *dbname,
    const char *role, char *buf, size_t len);

/* Stops the cluster (fast shutdown) if pgembed_start started it. */
int  pgembed_stop(struct pgembed *pg, char *err, size_t errlen);

#endif
