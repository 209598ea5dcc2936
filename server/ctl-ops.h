/* tafelctl's operations commands: status (through tafeld's admin socket). */
#ifndef TAFEL_CTL_OPS_H
#define TAFEL_CTL_OPS_H

#include <libpq-fe.h>

#include "server-config.h"

/* tafelctl status [--json]: asks the running tafeld; exit status. */
int ctl_status(const struct server_config *cfg, const char *data_dir,
    int argc, char **argv);

/*
 * Opens a backup file as the invoking user, before tafelctl drops to the
 * service user: for writing (created 0600, truncated) or reading.  The fd,
 * or -1 (message printed).
 */
int ctl_open_backup_file(const char *file, int for_writing);

/* tafelctl backup FILE: pg_dump (custom format) of conninfo into fd. */
int ctl_backup(PGconn *db, const char *conninfo, int fd, const char *file);

/*
 * tafelctl restore FILE: pg_restore from fd into db, which must hold no
 * register yet (one transaction: all or nothing).
 */
int ctl_restore(PGconn *db, const char *conninfo, int fd, const char *file);

/* Prints what the register holds (counts, change-log position). */
void ctl_summary(PGconn *db, const char *title);

#endif
