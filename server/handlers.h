/* Hand-written request handlers (the rest are generic reads and writes). */
#ifndef TAFEL_HANDLERS_H
#define TAFEL_HANDLERS_H

#include "tafel.pb-c.h"

struct conn;

void h_login(struct conn *c, const Tafel__Envelope *env);
void h_logout(struct conn *c, const Tafel__Envelope *env);
void h_ping(struct conn *c, const Tafel__Envelope *env);

#endif
