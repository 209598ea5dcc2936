/* Generic checks on every decoded message: string encoding and sizes, list lengths. */
#include "validate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "utf8.h"

#define VALIDATE_MAX_DEPTH 8
#define STR(x) #x
#define XSTR(x) STR(x)

/* Records the first problem: "field: what". */
static int
fail(struct validate_error *err, Tafel__ErrorCode code, const char *field,
    const char *what)
{
	err->code = code;
	snprintf(err->field, sizeof err->field, "%s", field);
	if (field[0] == '\0')
		snprintf(err->message, sizeof err->message, "%s", what);
	else
		snprintf(err->message, sizeof err->message, "%s: %s", field,
		    what);
	return -1;
}

int
validate_text(const char *field, const char *s, size_t max, int required,
    int multi_line, struct validate_error *err)
{
	size_t len = s ? strlen(s) : 0, i;
	char lim[48];

	if (len == 0) {
		if (required)
			return fail(err, TAFEL__ERROR_CODE__INVALID_ARGUMENT,
			    field, "must not be empty");
		return 0;
	}
	if (len > max) {
		/* a NUL on the wire came as C0 80, one byte longer: said as
		 * such, not as a string over a limit it kept to */
		for (i = 0; i + 1 < len; i++)
			if ((unsigned char)s[i] == 0xc0 &&
			    (unsigned char)s[i + 1] == 0x80)
				return fail(err,
				    TAFEL__ERROR_CODE__INVALID_ARGUMENT, field,
				    "contains a NUL character");
		snprintf(lim, sizeof lim, "longer than %zu bytes", max);
		return fail(err, TAFEL__ERROR_CODE__STRING_TOO_LONG, field,
		    lim);
	}
	switch (utf8_check(s, len, multi_line)) {
	case UTF8_OK:
		return 0;
	case UTF8_BAD_ENCODING:
		return fail(err, TAFEL__ERROR_CODE__INVALID_UTF8, field,
		    "not valid UTF-8");
	case UTF8_CONTROL:
		return fail(err, TAFEL__ERROR_CODE__INVALID_ARGUMENT, field,
		    multi_line ? "contains a control character (only tab and "
		    "line feed are allowed)" : "contains a control character "
		    "(a single line without tabs is expected)");
	case UTF8_NUL:
		return fail(err, TAFEL__ERROR_CODE__INVALID_ARGUMENT, field,
		    "contains a NUL character");
	}
	return 0;
}

int
validate_text_chars(const char *field, const char *s, size_t max_chars,
    int required, int multi_line, struct validate_error *err)
{
	char lim[48];

	if (validate_text(field, s, TAFEL_MAX_TEXT, required, multi_line,
	    err) != 0)
		return -1;
	if (s != NULL && utf8_length(s) > max_chars) {
		snprintf(lim, sizeof lim, "longer than %zu characters",
		    max_chars);
		return fail(err, TAFEL__ERROR_CODE__STRING_TOO_LONG, field,
		    lim);
	}
	return 0;
}

int
validate_id(const char *field, int64_t id, int required,
    struct validate_error *err)
{
	if (id < 0 || (required && id == 0))
		return fail(err, TAFEL__ERROR_CODE__OUT_OF_RANGE, field,
		    required ?
		    "must be a positive id" : "must be 0 or a positive id");
	return 0;
}

int
validate_time(const char *field, int64_t t, int required,
    struct validate_error *err)
{
	if (t < 0 || (required && t == 0))
		return fail(err, TAFEL__ERROR_CODE__OUT_OF_RANGE, field,
		    required ? "must be a Unix time in seconds, above 0" :
		    "must be 0 or a Unix time in seconds");
	if (t > TAFEL_MAX_UNIX_TIME)
		return fail(err, TAFEL__ERROR_CODE__OUT_OF_RANGE, field,
		    "must be a Unix time in seconds up to 253402300799 "
		    "(the end of the year 9999)");
	return 0;
}

int
validate_version(const char *field, int64_t v, struct validate_error *err)
{
	if (v <= 0)
		return fail(err, TAFEL__ERROR_CODE__OUT_OF_RANGE, field,
		    "must be the record's version, 1 or more");
	return 0;
}

int
validate_date(const char *field, const char *s, int required,
    struct validate_error *err)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d, n = 0;
	size_t i;

	if (s == NULL || s[0] == '\0') {
		if (required)
			return fail(err, TAFEL__ERROR_CODE__INVALID_ARGUMENT,
			    field, "a date (YYYY-MM-DD) is required");
		return 0;
	}
	/* digits exactly where YYYY-MM-DD has them: sscanf alone would take
	 * a sign or blanks ("2027-+1-05", "2027- 1-05") */
	for (i = 0; s[i] != '\0' && i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			break;
	if (i != 10 || s[10] != '\0' ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return fail(err, TAFEL__ERROR_CODE__INVALID_ARGUMENT, field,
		    "not a date (YYYY-MM-DD)");
	if (y < 1900 || y > 2200)
		return fail(err, TAFEL__ERROR_CODE__OUT_OF_RANGE, field,
		    "the year must be between 1900 and 2200");
	if (m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0)))
		return fail(err, TAFEL__ERROR_CODE__OUT_OF_RANGE, field,
		    "not a valid calendar date");
	return 0;
}

int
validate_enum(const char *field, const ProtobufCEnumDescriptor *d, int v,
    struct validate_error *err)
{
	if (protobuf_c_enum_descriptor_get_value(d, v) == NULL)
		return fail(err, TAFEL__ERROR_CODE__OUT_OF_RANGE, field,
		    "unknown value");
	return 0;
}

void
validate_path(char *buf, size_t len, const char *parent, const char *name,
    long index)
{
	const char *dot = parent[0] != '\0' ? "." : "";

	if (index < 0)
		snprintf(buf, len, "%s%s%s", parent, dot, name);
	else
		snprintf(buf, len, "%s%s%s[%ld]", parent, dot, name, index);
}

static int validate_at(const ProtobufCMessage *m, const char *path, int depth,
    struct validate_error *err);

/* Checks one field value (one element of a repeated field). */
static int
validate_value(const ProtobufCFieldDescriptor *f, const void *value,
    const char *path, int depth, struct validate_error *err)
{
	const char *s;
	const ProtobufCMessage *sub;

	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		s = *(char *const *)value;
		return validate_text(path, s, TAFEL_MAX_TEXT, 0, 1, err);
	case PROTOBUF_C_TYPE_MESSAGE:
		sub = *(const ProtobufCMessage *const *)value;
		if (sub == NULL)
			return 0;
		return validate_at(sub, path, depth + 1, err);
	case PROTOBUF_C_TYPE_BYTES:
		if (((const ProtobufCBinaryData *)value)->len > TAFEL_MAX_TEXT)
			return fail(err, TAFEL__ERROR_CODE__STRING_TOO_LONG,
			    path, "too long");
		return 0;
	default:
		return 0;
	}
}

/* Size in bytes of one element of a repeated field of type t. */
static size_t
element_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32: case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32: case PROTOBUF_C_TYPE_FLOAT:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	default:
		return 8;
	}
}

static int
validate_at(const ProtobufCMessage *m, const char *parent, int depth,
    struct validate_error *err)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	char path[sizeof err->field];
	unsigned i;
	size_t j, n, esz;

	if (depth > VALIDATE_MAX_DEPTH)
		return fail(err, TAFEL__ERROR_CODE__INVALID_ARGUMENT, parent,
		    "nested too deeply");
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const void *member = base + f->offset;

		validate_path(path, sizeof path, parent, f->name, -1);
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			n = *(const size_t *)(const void *)(base +
			    f->quantifier_offset);
			if (n > TAFEL_MAX_LIST)
				return fail(err, TAFEL__ERROR_CODE__LIST_TOO_LONG,
				    path, "more than " XSTR(TAFEL_MAX_LIST) " entries");
			esz = element_size(f->type);
			for (j = 0; j < n; j++) {
				const char *arr = *(char *const *)member;

				validate_path(path, sizeof path, parent,
				    f->name, (long)j);
				if (validate_value(f, arr + j * esz, path,
				    depth, err) != 0)
					return -1;
			}
			continue;
		}
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t which = *(const uint32_t *)(const void *)(base +
			    f->quantifier_offset);
			if (which != f->id)
				continue;
			/* The request body is the root of every path. */
			if (d == &tafel__envelope__descriptor)
				path[0] = '\0';
		}
		if (validate_value(f, member, path, depth, err) != 0)
			return -1;
	}
	return 0;
}

int
validate_message(const ProtobufCMessage *m, struct validate_error *err)
{
	memset(err, 0, sizeof *err);
	return validate_at(m, "", 0, err);
}

/* --- embedded NUL on the wire ------------------------------------------- */

#define WIRE_MAX_DEPTH 32
#define WIRE_MAX_COUNTED 64	/* fields whose occurrences are counted */

/* Reads a varint at *p; -1 if it runs past end or over 10 bytes. */
static int
wire_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	unsigned shift;
	uint8_t b;

	*v = 0;
	for (shift = 0; *p < end && shift < 70; shift += 7) {
		b = *(*p)++;
		*v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
		if ((b & 0x80) == 0)
			return 0;
	}
	return -1;
}

/*
 * The slot in m holding occurrence k of field f (k counts a repeated
 * field's occurrences on the wire); NULL when the value was not kept (a
 * oneof member another member replaced).
 */
static void *
wire_slot(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, size_t k)
{
	char *base = (char *)m;
	size_t n;

	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		n = *(const size_t *)(const void *)(base + f->quantifier_offset);
		if (k >= n)
			return NULL;
		return *(char **)(void *)(base + f->offset) + k * sizeof(void *);
	}
	if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
	    *(const uint32_t *)(const void *)(base + f->quantifier_offset) !=
	    f->id)
		return NULL;
	return base + f->offset;
}

/* Replaces *slot by the n wire bytes at s, each NUL written as C0 80. */
static int
wire_keep_string(char **slot, const ProtobufCFieldDescriptor *f,
    const uint8_t *s, size_t n, ProtobufCAllocator *a)
{
	size_t i, nul = 0, o = 0;
	char *copy;

	for (i = 0; i < n; i++)
		nul += s[i] == 0;
	if ((copy = a->alloc(a->allocator_data, n + nul + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == 0) {
			copy[o++] = (char)0xc0;
			copy[o++] = (char)0x80;
		} else
			copy[o++] = (char)s[i];
	}
	copy[o] = '\0';
	if (*slot != NULL && *slot != (const char *)f->default_value)
		a->free(a->allocator_data, *slot);
	*slot = copy;
	return 0;
}

/* Walks the wire bytes of m (depth levels down), fixing truncated strings. */
static int
wire_walk(ProtobufCMessage *m, const uint8_t *p, size_t len,
    ProtobufCAllocator *a, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	const uint8_t *end = p + len;
	size_t seen[WIRE_MAX_COUNTED] = { 0 }, k, fi;
	uint64_t tag, n;
	void *slot;

	if (depth > WIRE_MAX_DEPTH)
		return -1;
	while (p < end) {
		if (wire_varint(&p, end, &tag) != 0)
			return -1;
		switch (tag & 7) {
		case 0:
			if (wire_varint(&p, end, &n) != 0)
				return -1;
			continue;
		case 1:
			n = 8;
			break;
		case 5:
			n = 4;
			break;
		case 2:
			if (wire_varint(&p, end, &n) != 0)
				return -1;
			break;
		default:
			return -1;	/* groups: protobuf-c refused them */
		}
		if (n > (uint64_t)(end - p))
			return -1;
		f = (tag & 7) != 2 || tag >> 3 > UINT32_MAX ? NULL :
		    protobuf_c_message_descriptor_get_field(d,
		    (unsigned)(tag >> 3));
		if (f == NULL || (f->type != PROTOBUF_C_TYPE_STRING &&
		    f->type != PROTOBUF_C_TYPE_MESSAGE)) {
			p += n;
			continue;
		}
		fi = (size_t)(f - d->fields);
		k = 0;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			if (fi >= WIRE_MAX_COUNTED)
				return -1;
			k = seen[fi]++;
		}
		slot = wire_slot(m, f, k);
		if (slot != NULL && f->type == PROTOBUF_C_TYPE_STRING &&
		    memchr(p, 0, (size_t)n) != NULL) {
			if (wire_keep_string(slot, f, p, (size_t)n, a) != 0)
				return -1;
		} else if (slot != NULL && f->type == PROTOBUF_C_TYPE_MESSAGE &&
		    *(ProtobufCMessage **)slot != NULL) {
			if (wire_walk(*(ProtobufCMessage **)slot, p, (size_t)n,
			    a, depth + 1) != 0)
				return -1;
		}
		p += n;
	}
	return 0;
}

int
validate_keep_nul(ProtobufCMessage *m, const uint8_t *wire, size_t len,
    ProtobufCAllocator *a)
{
	if (len == 0 || memchr(wire, 0, len) == NULL)
		return 0;	/* no zero byte: no string holds a NUL */
	return wire_walk(m, wire, len, a, 0);
}
