/* tafelctl's operations commands: status (through tafeld's admin socket). */
#ifndef TAFEL_CTL_OPS_H
#define TAFEL_CTL_OPS_H

#include <libpq-fe.h>

#include "pgembed.h"
#include "server-config.h"

/* tafelctl status [--json]: asks the running tafeld; exit status.
 * dir_given: --data-dir was named, so systemd's /run/tafel is not tried. */
int ctl_status(const struct server_config *cfg, const char *data_dir,
    int dir_given, int argc, char **argv);

/*
 * Opens a backup file for reading as the invoking user, before tafelctl
 * drops to the service user.  The fd, or -1 (message printed).
 */
int ctl_open_backup_file(const char *file);

/*
 * A backup being written: a temporary file beside FILE, created (0600) by
 * the invoking user before tafelctl gives up root, and put in place as
 * FILE only once it is complete.  An existing FILE is never overwritten
 * without force, and never touched when the backup fails.
 */
struct ctl_backup_file {
	const char *file;	/* the name the administrator gave */
	char tmp[4200];		/* FILE.XXXXXX while it is written; "" once gone */
	int fd;			/* of tmp, -1 when closed */
	int force;		/* FILE may be replaced */
	int existed;		/* FILE was there at the start */
};

/*
 * Refuses an existing FILE (without force: message naming it) and
 * creates the temporary file.  0, or -1 (message printed).
 */
int ctl_backup_begin(struct ctl_backup_file *b, const char *file, int force);

/*
 * Puts the complete temporary file in place as FILE: without force only
 * if FILE still does not exist (link), with force by rename (atomic: FILE
 * is the old backup or the new one, never a part).  Prints where the
 * backup went.  0, or -1 (message printed, the temporary file removed).
 */
int ctl_backup_commit(struct ctl_backup_file *b);

/* Closes and removes the temporary file of a backup that failed. */
void ctl_backup_abandon(struct ctl_backup_file *b);

/*
 * tafelctl backup FILE: pg_dump (custom format) of conninfo into fd (the
 * temporary file; file names it in messages), synced; prints what the
 * backup holds.  0, or 1 (message printed).
 */
int ctl_backup(PGconn *db, const char *conninfo, int fd, const char *file);

/*
 * The newest schema version the backup on fd (FILE) records in
 * schema_migrations (0: none), so that restore can refuse one a newer
 * tafeld made before touching anything.  fd is rewound.  0, or -1
 * (message printed).
 */
int ctl_backup_schema(int fd, const char *file, long *top);

/*
 * tafelctl restore FILE: pg_restore from fd into db, which must hold no
 * register yet (one transaction: all or nothing).  pg: the embedded
 * cluster (NULL with --db), whose restore mark is set while pg_restore
 * runs and removed when it has ended, done or rolled back.
 */
int ctl_restore(PGconn *db, const char *conninfo, struct pgembed *pg, int fd,
    const char *file);

/* Prints what the register holds (counts, change-log position). */
int ctl_summary(PGconn *db, const char *title);
/* After a failed statement: when r failed for a full disk (SQLSTATE
 * 53100), says on stderr what to do; backup: for a backup's snapshot. */
void ctl_disk_full_hint(const PGresult *r, int backup);

#endif
