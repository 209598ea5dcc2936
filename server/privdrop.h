/* Start-up privilege drop: data directory ownership and switching to the service user. */
#ifndef TAFEL_PRIVDROP_H
#define TAFEL_PRIVDROP_H

#include <stddef.h>

/*
 * Creates data_dir (mkdir -p; the last component 0700) if missing.  As root:
 * looks up service_user, hands the top of data_dir to it (only if it was just
 * created or is an empty root-owned directory; never someone else's) and
 * drops privileges for good (initgroups, setgid, setuid), sets HOME, USER and
 * LOGNAME.  Not root: checks that data_dir is
 * ours.  Always unsets PGDATA.  Returns 0, or -1 with a message in err.
 */
int privdrop_prepare(const char *service_user, const char *data_dir,
    char *err, size_t errlen);

/*
 * Default data directory: "/var/lib/tafel" for root, otherwise
 * $XDG_STATE_HOME/tafel or $HOME/.local/state/tafel.  Points into a static
 * buffer; NULL if no home directory is known or the path is too long.
 */
const char *privdrop_default_data_dir(void);

#endif
