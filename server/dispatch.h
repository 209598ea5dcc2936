/* Request dispatch: the Hello exchange, generic checks, and the handler table. */
#ifndef TAFEL_DISPATCH_H
#define TAFEL_DISPATCH_H

#include "tafel.pb-c.h"

struct conn;

/* Handler flags. */
#define REQ_PRELOGIN	0x01	/* allowed before login */
#define REQ_WRITE	0x02	/* changes the register: needs an idempotency key,
				   refused to observers */

struct validate_error;

typedef void (*request_fn)(struct conn *c, const Tafel__Envelope *env);
typedef int (*request_check_fn)(const ProtobufCMessage *req,
    struct validate_error *err);

struct request_handler {
	Tafel__Envelope__BodyCase body;	/* which request */
	request_fn fn;			/* answers it (now or asynchronously) */
	unsigned flags;			/* REQ_* */
	const char *sql;		/* request_read: the SQL; request_write:
					   the tafel_write op name */
	Tafel__Envelope__BodyCase reply;	/* body of the answer */
	request_check_fn check;		/* field checks beyond the generic ones */
};

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
