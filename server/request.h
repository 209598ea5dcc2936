/* Request plumbing: the context of an answer in flight, replies, and the generic read/write paths. */
#ifndef TAFEL_REQUEST_H
#define TAFEL_REQUEST_H

#include <stdint.h>

#include "db.h"
#include "tafel.pb-c.h"

struct conn;

/* What an asynchronous answer needs to find its way back. */
struct req {
	struct conn *c;			/* referenced while the request runs */
	uint64_t request_id;
	Tafel__Envelope__BodyCase reply;	/* body of a successful answer */
};

/* Starts a request context for env on c (takes a reference on c). */
struct req *req_new(struct conn *c, const Tafel__Envelope *env,
    Tafel__Envelope__BodyCase reply);

/* Ends it (drops the reference).  Returns nothing; r is gone after. */
void req_free(struct req *r);

/* True when the connection went away while the request ran. */
int req_gone(const struct req *r);

/* Sends env's body as the answer to r (request_id filled in). */
void req_reply(struct req *r, Tafel__Envelope *env);

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

/* Sets the oneof body of env to msg (descriptor-driven). */
void envelope_set_body(Tafel__Envelope *env, Tafel__Envelope__BodyCase body,
    ProtobufCMessage *msg);

/* The request message inside env's body. */
const ProtobufCMessage *envelope_get_body(const Tafel__Envelope *env);

/* Descriptor of the message type carried by a body case. */
const ProtobufCMessageDescriptor *body_descriptor(
    Tafel__Envelope__BodyCase body);

/*
 * Generic handlers driven by the handler table: a read calls an SQL
 * function with ($1 user id, $2 request as JSON) and returns its jsonb; a
 * write goes through tafel_write(user, key, op, args).
 */
void request_read(struct conn *c, const Tafel__Envelope *env);
void request_write(struct conn *c, const Tafel__Envelope *env);

#endif
