/* The local admin socket: `tafelctl status` asks, tafeld answers with its state as one JSON document. */
#ifndef TAFEL_ADMIN_H
#define TAFEL_ADMIN_H

#include <stddef.h>

#include "server-config.h"

/*
 * Where the admin socket lives: admin_socket when set, else
 * $RUNTIME_DIRECTORY/admin.sock (systemd's RuntimeDirectory=), else
 * <data_dir>/admin.sock.  0, or -1 when the path does not fit.
 */
int admin_socket_path(const struct server_config *cfg, const char *data_dir,
    char *out, size_t len);

/*
 * Listens on the admin socket (mode 0660, group admin_group).  A client
 * sends "status\n" and gets the state as JSON, then the socket closes.
 * Only root, tafeld's own user and admin_group members (SO_PEERCRED) are
 * served.  A failure is logged; tafeld runs on without it.
 */
void admin_start(void);
/* Stops listening (clients still connected get their answer). */
void admin_stop(void);
/* admin_stop, then closes the clients still connected (after the loop). */
void admin_free(void);

/* The address the listener is bound to ("127.0.0.1:7410"), or cfg.listen. */
void admin_bound_addr(char *buf, size_t len);

/* The status document (malloc'ed JSON text). */
char *admin_status_json(void);

#endif
