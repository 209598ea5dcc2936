/* Descriptor-driven conversion between protobuf-c messages and json-c objects. */
#ifndef TAFEL_PBJSON_H
#define TAFEL_PBJSON_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

struct json_object;

/*
 * The mapping, the same in both directions:
 *
 * - keys are the .proto field names ("case", not the C member "case_");
 * - integers are JSON integers; 64-bit fields are also read from a JSON
 *   string holding a decimal integer;
 * - enums are the value name without the prefix common to all values of
 *   the enum, lower-cased ("info_round" for CASE_INFO_ROUND); reading also
 *   takes the full name ("CASE_INFO_ROUND") or the integer value;
 * - bytes are base64; strings must be valid UTF-8 without NUL bytes;
 * - sub-messages are objects, omitted (or null) when not set;
 * - repeated fields are arrays, written even when empty, read as empty
 *   from null; a repeated message field is also read from a table,
 *   {"columns": ["id", "state", ...], "rows": [[1, "open", ...], ...]}:
 *   one message per row, each value read as the value of its column's key
 *   would be (the database sends its largest lists so: no key repeated in
 *   every element, half the text to parse);
 * - of a oneof only the set member is written; reading sets the case from
 *   the one member key present.
 *
 * Every other field is written even when it has its default value.  When
 * reading, keys the descriptor does not know are ignored and a null value
 * leaves the field at its default.  Messages nest at most PBJSON_MAX_DEPTH
 * levels.
 */
#define PBJSON_MAX_DEPTH	16	/* message levels, the outermost included */
#define PBJSON_PARSE_DEPTH	32	/* JSON object/array levels in text */

/* Message to a new JSON object (the caller json_object_put()s it); NULL only if nested too deeply. */
struct json_object *pbjson_from_message(const ProtobufCMessage *m);

/* Message to malloc'd compact JSON text (the caller frees it); NULL as above. */
char *pbjson_to_string(const ProtobufCMessage *m);

/*
 * JSON object to a new message of type d, to be released with
 * protobuf_c_message_free_unpacked(m, NULL).  On failure returns NULL and
 * writes a message naming the field ("snapshot.agenda[3].position: expected
 * an integer") to err.
 */
ProtobufCMessage *pbjson_to_message(const ProtobufCMessageDescriptor *d,
    struct json_object *j, char *err, size_t errlen);

/*
 * JSON text (len bytes, no NUL needed) to a new message, as
 * pbjson_to_message.  Rejects syntax errors, trailing data other than
 * white space, nesting deeper than PBJSON_PARSE_DEPTH and integer literals
 * beyond the 64-bit range.
 */
ProtobufCMessage *pbjson_parse(const ProtobufCMessageDescriptor *d,
    const char *text, size_t len, char *err, size_t errlen);

/* Short name of an enum value ("in_progress") in static storage, or NULL if unknown. */
const char *pbjson_enum_name(const ProtobufCEnumDescriptor *d, int value);

/* Looks up a short or full enum value name; 0 and *out set, or -1 if unknown. */
int pbjson_enum_value(const ProtobufCEnumDescriptor *d, const char *name,
    int *out);

#endif
