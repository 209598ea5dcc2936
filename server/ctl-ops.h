/* tafelctl's operations commands: status (through tafeld's admin socket). */
#ifndef TAFEL_CTL_OPS_H
#define TAFEL_CTL_OPS_H

#include "server-config.h"

/* tafelctl status [--json]: asks the running tafeld; exit status. */
int ctl_status(const struct server_config *cfg, const char *data_dir,
    int argc, char **argv);

#endif
