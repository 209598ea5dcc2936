/* Hand-written request handlers (the rest are generic reads and writes). */
#ifndef TAFEL_HANDLERS_H
#define TAFEL_HANDLERS_H

#include "tafel.pb-c.h"

struct conn;
struct request_handler;

void h_login(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);
void h_logout(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);
void h_ping(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);

#endif
