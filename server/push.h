/* Live push: subscriptions, the change-log tail read via LISTEN/NOTIFY, fan-out and resume. */
#ifndef TAFEL_PUSH_H
#define TAFEL_PUSH_H

#include <stdint.h>

#include "tafel.pb-c.h"

struct conn;
struct request_handler;

/* Starts following the change log (LISTEN tafel_changes). */
void push_start(void);
void push_stop(void);
void push_free(void);

/* Request handlers (see dispatch-table.c). */
void push_subscribe(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);
void push_unsubscribe(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);

/* Drops every subscription of c (logout, disconnect). */
void push_unsubscribe_all(struct conn *c);

/* The newest change-log sequence number this server has read. */
uint64_t push_last_seq(void);

#endif
