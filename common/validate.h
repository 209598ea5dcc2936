/* Generic checks on every decoded message: string encoding and sizes, list lengths. */
#ifndef TAFEL_VALIDATE_H
#define TAFEL_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "tafel.pb-c.h"

struct validate_error {
	Tafel__ErrorCode code;	/* 0 when valid */
	char field[128];	/* path of the offending field (see below) */
	char message[256];	/* English explanation */
};

/*
 * Field paths (Error.field, docs/protocol.md section 5.4): the field names
 * of tafel.proto from the root of the request body, joined by ".", with
 * the index of an element of a repeated field in brackets:
 * "persons[2].name", "item_ids[0]", "person.birth_date".  The Envelope's
 * own fields are "request_id" and "idempotency_key".
 *
 * validate_path() writes parent + name (+ "[index]" when index >= 0).
 */
void validate_path(char *buf, size_t len, const char *parent,
    const char *name, long index);

/*
 * Walks every field of m (recursively): each string must be valid UTF-8
 * without control characters (tab and line feed allowed; carriage return
 * and NUL never) and at most TAFEL_MAX_TEXT bytes; each repeated field at
 * most TAFEL_MAX_LIST entries.  For an Envelope, the body's fields are
 * named from the body's root.  Returns 0 if all is well, else -1 with the
 * first problem in *err.
 */
int validate_message(const ProtobufCMessage *m, struct validate_error *err);

/*
 * protobuf-c cuts a string at its first NUL byte ("Jan\0 de Vries" unpacks
 * as "Jan").  Given m, unpacked from the len bytes at wire with allocator
 * a, this puts back every string that held a NUL on the wire, each NUL as
 * the two bytes C0 80, so that validate_message() refuses it with its
 * field path instead of storing a silently shortened text.  Returns 0, or
 * -1 when out of memory (the frame is then undecodable).
 */
int validate_keep_nul(ProtobufCMessage *m, const uint8_t *wire, size_t len,
    ProtobufCAllocator *a);

/* Per-field checks used by request handlers; each fills *err and returns -1. */
int validate_text(const char *field, const char *s, size_t max, int required,
    int multi_line, struct validate_error *err);
/*
 * As validate_text() with the generic TAFEL_MAX_TEXT bytes, and at most
 * max_chars characters (Unicode code points, as PostgreSQL's length()):
 * "at most 500 characters" in docs/protocol.md means characters, so 500
 * times "é" (1000 bytes) passes and 501 is STRING_TOO_LONG.
 */
int validate_text_chars(const char *field, const char *s, size_t max_chars,
    int required, int multi_line, struct validate_error *err);
int validate_id(const char *field, int64_t id, int required,
    struct validate_error *err);
/*
 * The last second the register can store (9999-12-31 23:59:59 UTC; the
 * SQL functions use the same bound): later Unix times are OUT_OF_RANGE
 * here rather than a database error.
 */
#define TAFEL_MAX_UNIX_TIME INT64_C(253402300799)

/* A Unix time in seconds: 0..TAFEL_MAX_UNIX_TIME, and > 0 when required. */
int validate_time(const char *field, int64_t t, int required,
    struct validate_error *err);
/* A record's version (optimistic concurrency): >= 1. */
int validate_version(const char *field, int64_t v, struct validate_error *err);
/* YYYY-MM-DD, a real calendar date between 1900 and 2200. */
int validate_date(const char *field, const char *s, int required,
    struct validate_error *err);
int validate_enum(const char *field, const ProtobufCEnumDescriptor *d, int v,
    struct validate_error *err);

#endif
