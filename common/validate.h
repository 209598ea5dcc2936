/* Generic checks on every decoded message: string encoding and sizes, list lengths. */
#ifndef TAFEL_VALIDATE_H
#define TAFEL_VALIDATE_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include "tafel.pb-c.h"

struct validate_error {
	Tafel__ErrorCode code;	/* 0 when valid */
	char field[128];	/* dotted path of the offending field */
	char message[256];	/* English explanation */
};

/*
 * Walks every field of m (recursively): each string must be valid UTF-8
 * without control characters (tab and newline allowed) and at most
 * TAFEL_MAX_TEXT bytes; each repeated field at most TAFEL_MAX_LIST entries.
 * Returns 0 if all is well, else -1 with the first problem in *err.
 */
int validate_message(const ProtobufCMessage *m, struct validate_error *err);

/* Per-field checks used by request handlers; each fills *err and returns -1. */
int validate_text(const char *field, const char *s, size_t max, int required,
    int multi_line, struct validate_error *err);
int validate_id(const char *field, int64_t id, int required,
    struct validate_error *err);
/* YYYY-MM-DD, a real calendar date between 1900 and 2200. */
int validate_date(const char *field, const char *s, int required,
    struct validate_error *err);
int validate_enum(const char *field, const ProtobufCEnumDescriptor *d, int v,
    struct validate_error *err);

#endif
