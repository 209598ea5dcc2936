/* Envelope helpers shared by every peer: body names and kinds, error names, hello. */
#ifndef TAFEL_ENVELOPE_H
#define TAFEL_ENVELOPE_H

#include <stddef.h>

#include "tafel.pb-c.h"

enum body_kind {
	BODY_NONE,	/* not set, or a field number this build does not know */
	BODY_HELLO,
	BODY_ERROR,
	BODY_REQUEST,	/* field numbers 10..99 */
	BODY_RESPONSE,	/* 100..199 */
	BODY_EVENT	/* 200.. */
};

/* Field name of the body ("login", "event", ...) or "none". */
const char *envelope_body_name(Tafel__Envelope__BodyCase c);

/* Classifies a body by its field number range (see proto/tafel.proto). */
enum body_kind envelope_body_kind(Tafel__Envelope__BodyCase c);

/*
 * For an Envelope without a body this build knows: "unknown message (field
 * N)" naming the first unknown field on the wire, or "the frame has no
 * message body".
 */
void envelope_describe_unknown(const Tafel__Envelope *env, char *buf,
    size_t len);

/* Stable name of an error code ("CONFLICT") or "UNKNOWN". */
const char *error_code_name(Tafel__ErrorCode code);

/* Looks an error code up by name; 0 (unspecified) if unknown. */
Tafel__ErrorCode error_code_by_name(const char *name);

/* Descriptor of the message type carried by a body case, or NULL. */
const ProtobufCMessageDescriptor *body_descriptor(
    Tafel__Envelope__BodyCase body);

/*
 * Sets the oneof body of env to msg (descriptor-driven: no switch over the
 * bodies).  Returns -1, changing nothing, when body carries no message or
 * msg is of another type.
 */
int envelope_set_body(Tafel__Envelope *env, Tafel__Envelope__BodyCase body,
    ProtobufCMessage *msg);

/* The message inside env's body, or NULL. */
const ProtobufCMessage *envelope_get_body(const Tafel__Envelope *env);

/* Fills env/hello (stack storage owned by the caller) with our Hello. */
void envelope_hello(Tafel__Envelope *env, Tafel__Hello *hello,
    const char *software, uint32_t max_frame);

/* Fills env/err with an Error echoing request_id. */
void envelope_error(Tafel__Envelope *env, Tafel__Error *err,
    uint64_t request_id, Tafel__ErrorCode code, const char *message,
    const char *field);



/*
 * Replaces a string field of a heap-allocated message (one that will be
 * released with free_unpacked): frees the old value unless it is
 * protobuf-c's shared empty default, then stores a copy of value.
 */
void pb_string_set(char **field, const char *value);

/*
 * The sub-messages held by field f of m, for the descriptor walks that
 * visit every message nested in another (frame.c, privacy.c): returns
 * where they are and sets *n.  A repeated message field gives its array, a
 * set singular one its one pointer (*n = 1); an unset one, a oneof member
 * other than the set one, or a field that is not a message gives *n = 0.
 * The messages are m's own (not copies): a walk may change them.
 */
ProtobufCMessage *const *pb_field_messages(const ProtobufCMessage *m,
    const ProtobufCFieldDescriptor *f, size_t *n);
#endif
