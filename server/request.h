/* Request plumbing: the context of an answer in flight, replies, and the generic read/write paths. */
#ifndef TAFEL_REQUEST_H
#define TAFEL_REQUEST_H

#include <stdint.h>

#include "db.h"
#include "tafel.pb-c.h"

struct conn;
struct request_handler;
struct validate_error;

/* Handler flags. */
#define REQ_PRELOGIN	0x01	/* allowed before login */
#define REQ_WRITE	0x02	/* changes the register: needs an idempotency key,
				   refused to observers */

/*
 * A handler gets the request and its own row of the request table (the
 * row dispatch found), so it never looks itself up again.
 */
typedef void (*request_fn)(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);
typedef int (*request_check_fn)(const ProtobufCMessage *req,
    struct validate_error *err);

/* One row of the request table (server/dispatch-table.c). */
struct request_handler {
	Tafel__Envelope__BodyCase body;	/* which request */
	request_fn fn;			/* answers it (now or asynchronously) */
	unsigned flags;			/* REQ_* */
	const char *sql;		/* request_read: the SQL; request_write:
					   the tafel_write op name */
	Tafel__Envelope__BodyCase reply;	/* body of the answer */
	request_check_fn check;		/* field checks beyond the generic ones */
};

/* What an asynchronous answer needs to find its way back. */
struct req {
	struct conn *c;			/* referenced while the request runs */
	uint64_t request_id;
	Tafel__Envelope__BodyCase reply;	/* body of a successful answer */
	int read;			/* request_read's: changes nothing */
};

/* Starts a request context for env on c (takes a reference on c). */
struct req *req_new(struct conn *c, const Tafel__Envelope *env,
    Tafel__Envelope__BodyCase reply);

/* Ends it (drops the reference).  Returns nothing; r is gone after. */
void req_free(struct req *r);

/* True when the connection went away while the request ran. */
int req_gone(const struct req *r);

/*
 * Sends env's body as the answer to r (request_id filled in): one frame, or
 * in parts when it is larger (req_reply_parts), or, larger still,
 * OUT_OF_RANGE instead (returns -1).  Its size is charged to the
 * connection's rate limit (ratelimit_charge), sent or refused: the work was
 * done either way.
 */
int req_reply(struct req *r, Tafel__Envelope *env);

/*
 * Sends env, larger than one frame, in parts (docs/protocol.md 3.2): the
 * lists of its body (parts_lists_of) over up to PARTS_MAX frames, each
 * body saying how many more follow (parts_left).  Returns 0 when sent (or
 * the connection is gone), -1 when env cannot come in parts (its body has
 * no parts_left, or it needs more than PARTS_MAX frames): nothing sent.
 * req_reply uses it for every answer too large for one frame.
 */
int req_reply_parts(struct req *r, Tafel__Envelope *env);

/*
 * Refuses an answer of size bytes too large to send (for one frame, or
 * for the PARTS_MAX frames of an answer in parts): OUT_OF_RANGE saying
 * how large it was and that nothing was sent; logged as a warning.
 */
void req_error_too_large(struct req *r, Tafel__Envelope *env,
    size_t size);

/* Sends msg (of the reply body's type) as the answer. */
void req_reply_message(struct req *r, Tafel__Envelope__BodyCase body,
    ProtobufCMessage *msg);

/* Sends an Error for r. */
void req_error(struct req *r, Tafel__ErrorCode code, const char *message,
    const char *field);

/* Sends the error in a failed database result (with CONFLICT's record). */
void req_db_error(struct req *r, const struct db_result *res);

/*
 * Parses a JSON text from the database into the message type of body and
 * sends it as the answer; INTERNAL if it does not parse.
 */
void req_reply_json(struct req *r, Tafel__Envelope__BodyCase body,
    const char *json);

/*
 * Generic handlers driven by the handler table: a read calls an SQL
 * function with ($1 user id, $2 request as JSON) and returns its jsonb; a
 * write goes through tafel_write(user, key, op, args).
 */
void request_read(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);
void request_write(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);

/*
 * Push's hook for the changes a generic write committed: the `changes`
 * JSON of tafel_write_routed, after the writer's answer was queued (so
 * this lower layer does not include push.h).
 */
void request_set_changes_hook(void (*fn)(const char *changes_json));

#endif
