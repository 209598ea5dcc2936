/* Default file locations: config files per program, per user or system-wide. */
#ifndef TAFEL_PATHS_H
#define TAFEL_PATHS_H

/* /etc/tafel/tafeld.conf as root, else $XDG_CONFIG_HOME/tafel/tafeld.conf. */
const char *paths_default_server_config(void);

/* $XDG_CONFIG_HOME/tafel/tafel.conf (~/.config/tafel/tafel.conf). */
const char *paths_default_client_config(void);

#endif
