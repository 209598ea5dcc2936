/* The private PostgreSQL cluster: initdb on first start, pg_ctl start/stop, database creation. */
#ifndef TAFEL_PGEMBED_H
#define TAFEL_PGEMBED_H

#include <stddef.h>
#include <sys/types.h>

#define PGEMBED_PORT	5432		/* only names the socket; no TCP */
#define PGEMBED_DBNAME	"tafel"		/* created by pgembed_start */
#define PGEMBED_APP_ROLE "tafel_app"	/* least-privileged role of tafeld's
					   queries (created by sql/0005) */

struct pgembed {
	char root[4096];	/* <data_dir>/pg */
	char datadir[4096];	/* <data_dir>/pg/data */
	char initdir[4096];	/* <data_dir>/pg/data.initdb: where initdb
				   works; renamed to datadir once complete */
	char sockdir[4096];	/* <data_dir>/pg/run : the only place it listens */
	char logfile[4096];	/* <data_dir>/pg/postgres.log */
	char bindir[4096];	/* holds initdb and pg_ctl */
	int  started;		/* 1 if pgembed_stop stops it: we started it,
				   or (owner) adopted it */
	int  initialised;	/* 1 if this call ran initdb (first start) */
	int  adopted;		/* owner: it was already running (left by a
				   tafeld that was killed) and is ours now */
	int  owner_fd;		/* owner: the lock on <root>/owner; -1 */
	int  restore_unfinished; /* pgembed_start_restore: the restore mark
				   was there (an earlier restore was cut off) */
	pid_t restart_pid;	/* pg_ctl start running in the background */
};

/*
 * Makes sure the cluster under <data_dir>/pg exists, runs and has the
 * database "tafel": initdb if needed, pg_ctl start unless already running.
 * initdb works in <root>/data.initdb, which is renamed to <root>/data only
 * once it has completed: a <root>/data is always a whole cluster, and what
 * an interrupted initdb left is removed before the next one.  A postmaster
 * this call started is stopped again when the call fails.  Must run as the
 * unprivileged user that owns data_dir (see privdrop.h); blocks (up to
 * about a minute).  Returns 0, or -1 with a message in err.  Refused while
 * the restore mark is there (see pgembed_start_restore).
 */
int  pgembed_start(struct pgembed *pg, const char *data_dir, char *err,
    size_t errlen);

/*
 * The same for tafeld, the cluster's owner: first takes <root>/owner, an
 * exclusive lock held until the process ends (a second tafeld on the same
 * data directory is refused), and adopts a cluster that is already running
 * (started = adopted = 1): one tafeld killed with -9 leaves its postmaster
 * behind, and the next one takes it over and stops it on exit like its own.
 */
int  pgembed_start_owner(struct pgembed *pg, const char *data_dir, char *err,
    size_t errlen);

/*
 * tafelctl restore: the same, but a restore mark (<root>/PGEMBED_RESTORE_MARK,
 * left by a restore that was cut off) is no reason to refuse; it sets
 * restore_unfinished.  A cluster it has to make is marked before initdb.
 * pgembed_restore_mark(pg, 1) sets the mark (before pg_restore starts),
 * pgembed_restore_mark(pg, 0) removes it once the restore has ended (done,
 * or failed with nothing restored); both sync <root>.  0, or -1 with a
 * message in err.
 */
#define PGEMBED_RESTORE_MARK "restore-incomplete"
int  pgembed_start_restore(struct pgembed *pg, const char *data_dir,
    char *err, size_t errlen);
int  pgembed_restore_mark(const struct pgembed *pg, int on, char *err,
    size_t errlen);

/*
 * Room on the file system holding path, for an unprivileged user (statvfs
 * f_bavail), and its size, in bytes; -1 if it cannot be read.  Below
 * PGEMBED_DISK_LOW it counts as full: PostgreSQL cannot start its next
 * 16 MiB write-ahead log segment there (and stops when it has no spare
 * one), let alone extend a table.
 */
#define PGEMBED_DISK_LOW (32ULL * 1024 * 1024)
int  pgembed_disk_space(const char *path, unsigned long long *avail,
    unsigned long long *total);

/*
 * The PostgreSQL programs' directory (initdb, pg_ctl, pg_dump, pg_restore):
 * the newest installed version, on purpose for tafelctl's backup and
 * restore, since pg_dump must be at least the server's version and
 * pg_restore reads the archives of every older pg_dump.
 */
int  pgembed_tools_dir(char *buf, size_t len, char *err, size_t errlen);

/* Writes a libpq conninfo string for dbname over the private socket. */
void pgembed_conninfo(const struct pgembed *pg, const char *dbname, char *buf,
    size_t len);

/* The same, connecting as another role (the identity map allows tafel_app). */
void pgembed_conninfo_as(const struct pgembed *pg, const char *dbname,
    const char *role, char *buf, size_t len);

/*
 * Stops the cluster (fast shutdown) if pgembed_start started it, unless a
 * tafeld (the owner) now runs on it; releases the owner lock.
 */
int  pgembed_stop(struct pgembed *pg, char *err, size_t errlen);

/*
 * Watching (tafeld's event loop; none of these blocks):
 * pgembed_alive: 1 if the postmaster named in postmaster.pid is a live
 * postgres process (a zombie or a reused pid is not).
 * pgembed_restart_begin: starts `pg_ctl start` in the background (removing
 * the pid file of a dead postmaster that would block it).
 * pgembed_restart_poll: 1 while it runs, 0 once PostgreSQL accepts
 * connections again, -1 when it failed (err has the log's last lines).
 * pgembed_restart_abort: ends a restart in progress (at shutdown; waits).
 */
int  pgembed_alive(const struct pgembed *pg);
int  pgembed_restart_begin(struct pgembed *pg, char *err, size_t errlen);
int  pgembed_restart_poll(struct pgembed *pg, char *err, size_t errlen);
void pgembed_restart_abort(struct pgembed *pg);

/*
 * fsync of directory dir, so that a rename or unlink in it is on disk (the
 * cluster's pg/, tafelctl's backup files); 0, or -1 with errno set.
 */
int pgembed_fsync_dir(const char *dir);

#endif
