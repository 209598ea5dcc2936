/* Request dispatch: the Hello exchange, generic checks, and the handler table. */
#ifndef TAFEL_DISPATCH_H
#define TAFEL_DISPATCH_H

#include "request.h"
#include "tafel.pb-c.h"

struct conn;
struct validate_error;

/* Handles one decoded frame from c; the caller frees env afterwards. */
void dispatch_frame(struct conn *c, const Tafel__Envelope *env);

/*
 * Hooks dispatch into the connection layer (start-up): frames come up
 * through dispatch_frame; a released connection ends its session here.
 */
void dispatch_init(void);

/*
 * Every check a request gets before its handler runs: the generic walk
 * (UTF-8, sizes, list lengths) and the request's own field checks.
 * Returns 0, or -1 with the first problem in *err.  Pure: no connection,
 * no database (the fuzz target calls it directly).
 */
int dispatch_validate(const Tafel__Envelope *env, struct validate_error *err);

/* The handler table (dispatch-table.c); terminated by a NULL fn. */
extern const struct request_handler request_handlers[];

/* The table row for a request body, or NULL if this server has none. */
const struct request_handler *dispatch_handler(Tafel__Envelope__BodyCase body);

#endif
