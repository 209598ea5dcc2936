/* Descriptor-driven conversion between protobuf-c messages and json-c objects. */
#include "pbjson.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "log.h"
#include "xmalloc.h"

/* Per protobuf type: its name in error messages and the size of one C value. */
static const struct {
	const char	*name;
	size_t		 size;
} pb_types[] = {
	[PROTOBUF_C_TYPE_INT32] =	{ "int32", sizeof(int32_t) },
	[PROTOBUF_C_TYPE_SINT32] =	{ "sint32", sizeof(int32_t) },
	[PROTOBUF_C_TYPE_SFIXED32] =	{ "sfixed32", sizeof(int32_t) },
	[PROTOBUF_C_TYPE_INT64] =	{ "int64", sizeof(int64_t) },
	[PROTOBUF_C_TYPE_SINT64] =	{ "sint64", sizeof(int64_t) },
	[PROTOBUF_C_TYPE_SFIXED64] =	{ "sfixed64", sizeof(int64_t) },
	[PROTOBUF_C_TYPE_UINT32] =	{ "uint32", sizeof(uint32_t) },
	[PROTOBUF_C_TYPE_FIXED32] =	{ "fixed32", sizeof(uint32_t) },
	[PROTOBUF_C_TYPE_UINT64] =	{ "uint64", sizeof(uint64_t) },
	[PROTOBUF_C_TYPE_FIXED64] =	{ "fixed64", sizeof(uint64_t) },
	[PROTOBUF_C_TYPE_FLOAT] =	{ "float", sizeof(float) },
	[PROTOBUF_C_TYPE_DOUBLE] =	{ "double", sizeof(double) },
	[PROTOBUF_C_TYPE_BOOL] =	{ "bool", sizeof(protobuf_c_boolean) },
	[PROTOBUF_C_TYPE_ENUM] =	{ "enum", sizeof(int32_t) },
	[PROTOBUF_C_TYPE_STRING] =	{ "string", sizeof(char *) },
	[PROTOBUF_C_TYPE_BYTES] =	{ "bytes", sizeof(ProtobufCBinaryData) },
	[PROTOBUF_C_TYPE_MESSAGE] =	{ "message", sizeof(ProtobufCMessage *) },
};

/* Short names of one enum's values, built on first use and kept for good. */
struct enum_names {
	const ProtobufCEnumDescriptor	*desc;
	char				**names;	/* parallel to desc->values */
	struct enum_names		*next;
};

static struct enum_names	*enum_cache;
static pthread_mutex_t		 enum_lock = PTHREAD_MUTEX_INITIALIZER;

/* One JSON-to-message conversion: where we are and where errors go. */
struct reader {
	char		 path[256];	/* "snapshot.agenda[3].position" */
	size_t		 pathlen;
	const char	*root;		/* full name of the outermost type */
	char		*err;
	size_t		 errlen;
	int		 depth;		/* message levels entered */
};

enum { INT_OK, INT_NOT, INT_RANGE };

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int	read_message(struct reader *, const ProtobufCMessageDescriptor *,
		    struct json_object *, ProtobufCMessage **);
static int	read_table(struct reader *, ProtobufCMessage *,
		    const ProtobufCFieldDescriptor *, struct json_object *);
static struct json_object *write_message(const ProtobufCMessage *, int);
static int	fail(struct reader *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Dies if json-c could not allocate o. */
static struct json_object *
jcheck(struct json_object *o)
{
	if (o == NULL)
		fatalx("json-c: out of memory");
	return o;
}

/* Length of the '_'-terminated prefix all value names share (and none is). */
static size_t
enum_prefix_len(const ProtobufCEnumDescriptor *d)
{
	const char *first;
	size_t common, i, k;

	if (d->n_values == 0)
		return 0;
	first = d->values[0].name;
	common = strlen(first);
	for (i = 1; i < d->n_values; i++) {
		for (k = 0; k < common && d->values[i].name[k] == first[k]; k++)
			;
		common = k;
	}
	for (k = common; k > 0; k--) {
		if (first[k - 1] != '_')
			continue;
		for (i = 0; i < d->n_values; i++)
			if (d->values[i].name[k] == '\0')
				break;
		if (i == d->n_values)
			return k;
	}
	return 0;
}

/* The short names of d's values, parallel to d->values; cached per descriptor. */
static char **
enum_short_names(const ProtobufCEnumDescriptor *d)
{
	struct enum_names *e;
	size_t skip, i;
	char **names, *p;

	pthread_mutex_lock(&enum_lock);
	for (e = enum_cache; e != NULL; e = e->next)
		if (e->desc == d)
			break;
	if (e == NULL) {
		skip = enum_prefix_len(d);
		names = xcalloc(d->n_values, sizeof *names);
		for (i = 0; i < d->n_values; i++) {
			names[i] = xstrdup(d->values[i].name + skip);
			for (p = names[i]; *p != '\0'; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p += 'a' - 'A';
		}
		e = xmalloc(sizeof *e);
		e->desc = d;
		e->names = names;
		e->next = enum_cache;
		enum_cache = e;
	}
	names = e->names;
	pthread_mutex_unlock(&enum_lock);
	return names;
}

/* Short name of value in d, from the cache; NULL if d has no such value. */
const char *
pbjson_enum_name(const ProtobufCEnumDescriptor *d, int value)
{
	char **names = enum_short_names(d);
	size_t i;

	for (i = 0; i < d->n_values; i++)
		if (d->values[i].value == value)
			return names[i];
	return NULL;
}

/* Value of a short ("in_progress") or full ("CASE_IN_PROGRESS") name. */
int
pbjson_enum_value(const ProtobufCEnumDescriptor *d, const char *name, int *out)
{
	char **names = enum_short_names(d);
	size_t i;

	for (i = 0; i < d->n_values; i++) {
		if (strcmp(names[i], name) == 0 ||
		    strcmp(d->values[i].name, name) == 0) {
			*out = d->values[i].value;
			return 0;
		}
	}
	return -1;
}

/* Strict UTF-8: no overlong forms, surrogates or code points above U+10FFFF. */
static int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t v, min;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 2; v = p[i] & 0x1f; min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 3; v = p[i] & 0x0f; min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 4; v = p[i] & 0x07; min = 0x10000;
		} else
			return 0;
		if (len - i < n)
			return 0;
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			v = (v << 6) | (p[i + k] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 0;
		i += n;
	}
	return 1;
}

/* Base64 (RFC 4648, padded) of n bytes at p, as a malloc'd string. */
static char *
base64_encode(const uint8_t *p, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1), *q = out;
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*q++ = b64_alphabet[v >> 18];
		*q++ = b64_alphabet[(v >> 12) & 0x3f];
		*q++ = b64_alphabet[(v >> 6) & 0x3f];
		*q++ = b64_alphabet[v & 0x3f];
	}
	if (n - i > 0) {
		v = (uint32_t)p[i] << 16;
		if (n - i == 2)
			v |= (uint32_t)p[i + 1] << 8;
		*q++ = b64_alphabet[v >> 18];
		*q++ = b64_alphabet[(v >> 12) & 0x3f];
		*q++ = n - i == 2 ? b64_alphabet[(v >> 6) & 0x3f] : '=';
		*q++ = '=';
	}
	*q = '\0';
	return out;
}

/* Decodes padded base64 into a malloc'd buffer (NULL when empty); -1 if malformed. */
static int
base64_decode(const char *s, size_t n, uint8_t **out, size_t *outlen)
{
	const char *c;
	uint8_t *buf;
	uint32_t v;
	size_t i, k, o = 0, pad = 0;

	*out = NULL;
	*outlen = 0;
	if (n % 4 != 0)
		return -1;
	if (n == 0)
		return 0;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	buf = xmalloc(n / 4 * 3);
	for (i = 0; i < n; i += 4) {
		v = 0;
		for (k = 0; k < 4; k++) {
			v <<= 6;
			if (i + 4 == n && k >= 4 - pad)
				continue;
			if (s[i + k] == '\0' ||
			    (c = strchr(b64_alphabet, s[i + k])) == NULL) {
				free(buf);
				return -1;
			}
			v |= (uint32_t)(c - b64_alphabet);
		}
		buf[o++] = v >> 16;
		if (i + 4 < n || pad < 2)
			buf[o++] = (v >> 8) & 0xff;
		if (i + 4 < n || pad < 1)
			buf[o++] = v & 0xff;
	}
	*out = buf;
	*outlen = o;
	return 0;
}

/*
 * Appends n bytes of s to the path, cut at its end as snprintf would cut it
 * (no printf per field: a 250 KB snapshot has some 13 000 of them).
 */
static void
path_append(struct reader *r, const char *s, size_t n)
{
	size_t room = sizeof r->path - r->pathlen;

	if (n >= room)
		n = room - 1;
	memcpy(r->path + r->pathlen, s, n);
	r->pathlen += n;
	r->path[r->pathlen] = '\0';
}

/* Appends ".name" (just "name" at the top) to the path; returns the old length. */
static size_t
path_push_field(struct reader *r, const char *name)
{
	size_t old = r->pathlen;

	if (old > 0)
		path_append(r, ".", 1);
	path_append(r, name, strlen(name));
	return old;
}

/* Appends "[i]" to the path; returns the old length. */
static size_t
path_push_index(struct reader *r, size_t i)
{
	char buf[24];
	size_t old = r->pathlen, k = sizeof buf;

	buf[--k] = ']';
	do {
		buf[--k] = (char)('0' + i % 10);
		i /= 10;
	} while (i > 0);
	buf[--k] = '[';
	path_append(r, buf + k, sizeof buf - k);
	return old;
}

/* Cuts the path back to what path_push_* returned. */
static void
path_pop(struct reader *r, size_t old)
{
	r->pathlen = old;
	r->path[old] = '\0';
}

/* Writes "path: message" to the caller's buffer; returns -1 for convenience. */
static int
fail(struct reader *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (r->err == NULL || r->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s: %s",
	    r->pathlen > 0 ? r->path : r->root, msg);
	return -1;
}

/* Whether f has a has_ flag (proto2 optional scalars and bytes). */
static int
has_presence_flag(const ProtobufCFieldDescriptor *f)
{
	return f->label == PROTOBUF_C_LABEL_OPTIONAL &&
	    (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) == 0 &&
	    f->type != PROTOBUF_C_TYPE_STRING &&
	    f->type != PROTOBUF_C_TYPE_MESSAGE;
}

/*
 * Reads a JSON integer, or (from_string) a string of decimal digits with an
 * optional '-'.  Values above INT64_MAX go to *u with *big set, others to *i.
 */
static int
get_integer(struct json_object *v, int from_string, int64_t *i, uint64_t *u,
    int *big)
{
	const char *s, *digits;
	size_t len;

	*big = 0;
	if (json_object_is_type(v, json_type_int)) {
		*i = json_object_get_int64(v);
		if (*i == INT64_MAX && json_object_get_uint64(v) > INT64_MAX) {
			*u = json_object_get_uint64(v);
			*big = 1;
		}
		return INT_OK;
	}
	if (!from_string || !json_object_is_type(v, json_type_string))
		return INT_NOT;
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	digits = s + (*s == '-');
	if (*digits == '\0' || strlen(s) != len ||
	    strspn(digits, "0123456789") != strlen(digits))
		return INT_NOT;
	errno = 0;
	if (*s == '-') {
		*i = strtoll(s, NULL, 10);
		if (errno == ERANGE)
			return INT_RANGE;
	} else {
		*u = strtoull(s, NULL, 10);
		if (errno == ERANGE)
			return INT_RANGE;
		if (*u > INT64_MAX)
			*big = 1;
		else
			*i = (int64_t)*u;
	}
	return INT_OK;
}

/* Reads any integer-typed field, checking the range of its C type. */
static int
read_integer(struct reader *r, const ProtobufCFieldDescriptor *f,
    struct json_object *v, void *dst)
{
	int64_t i = 0;
	uint64_t u = 0;
	int big, wide, rc;

	wide = pb_types[f->type].size == 8;
	rc = get_integer(v, wide, &i, &u, &big);
	if (rc == INT_NOT)
		return fail(r, "expected an integer");
	if (rc == INT_RANGE)
		goto range;
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		if (big || i < INT32_MIN || i > INT32_MAX)
			goto range;
		*(int32_t *)dst = (int32_t)i;
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		if (big || i < 0 || i > UINT32_MAX)
			goto range;
		*(uint32_t *)dst = (uint32_t)i;
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		if (big)
			goto range;
		*(int64_t *)dst = i;
		break;
	default:
		if (!big && i < 0)
			goto range;
		*(uint64_t *)dst = big ? u : (uint64_t)i;
		break;
	}
	return 0;
range:
	return fail(r, "out of range for %s", pb_types[f->type].name);
}

/* Reads an enum from its short or full name or its integer value. */
static int
read_enum(struct reader *r, const ProtobufCFieldDescriptor *f,
    struct json_object *v, void *dst)
{
	const ProtobufCEnumDescriptor *ed = f->descriptor;
	const char *s;
	int64_t i = 0;
	uint64_t u;
	int big, value;

	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (strlen(s) != (size_t)json_object_get_string_len(v) ||
		    pbjson_enum_value(ed, s, &value) != 0)
			return fail(r, "unknown %s value \"%.64s\"", ed->name, s);
	} else if (json_object_is_type(v, json_type_int)) {
		get_integer(v, 0, &i, &u, &big);
		if (big || i < INT32_MIN || i > INT32_MAX)
			return fail(r, "out of range for %s", ed->name);
		value = (int)i;
	} else
		return fail(r, "expected a %s name", ed->name);
	*(int32_t *)dst = value;
	return 0;
}

/* Reads a UTF-8 string without NUL bytes into a malloc'd copy. */
static int
read_string(struct reader *r, struct json_object *v, char **dst)
{
	const char *s;
	size_t len;
	char *copy;

	if (!json_object_is_type(v, json_type_string))
		return fail(r, "expected a string");
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if (memchr(s, '\0', len) != NULL)
		return fail(r, "string contains a NUL character");
	if (!utf8_valid(s, len))
		return fail(r, "invalid UTF-8 in string");
	copy = xmalloc(len + 1);
	memcpy(copy, s, len + 1);
	*dst = copy;
	return 0;
}

/* Reads a base64 string into a malloc'd buffer. */
static int
read_bytes(struct reader *r, struct json_object *v, ProtobufCBinaryData *dst)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(r, "expected a base64 string");
	if (base64_decode(json_object_get_string(v),
	    json_object_get_string_len(v), &dst->data, &dst->len) != 0)
		return fail(r, "invalid base64");
	return 0;
}

/* Reads one value of f's type from v into dst (a member or an array slot). */
static int
read_value(struct reader *r, const ProtobufCFieldDescriptor *f,
    struct json_object *v, void *dst)
{
	double d;

	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return read_integer(r, f, v, dst);
	case PROTOBUF_C_TYPE_FLOAT:
	case PROTOBUF_C_TYPE_DOUBLE:
		if (!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int))
			return fail(r, "expected a number");
		d = json_object_get_double(v);
		if (f->type == PROTOBUF_C_TYPE_FLOAT)
			*(float *)dst = (float)d;
		else
			*(double *)dst = d;
		return 0;
	case PROTOBUF_C_TYPE_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return fail(r, "expected true or false");
		*(protobuf_c_boolean *)dst = json_object_get_boolean(v) ? 1 : 0;
		return 0;
	case PROTOBUF_C_TYPE_ENUM:
		return read_enum(r, f, v, dst);
	case PROTOBUF_C_TYPE_STRING:
		return read_string(r, v, dst);
	case PROTOBUF_C_TYPE_BYTES:
		return read_bytes(r, v, dst);
	case PROTOBUF_C_TYPE_MESSAGE:
		return read_message(r, f->descriptor, v, dst);
	}
	return fail(r, "field type %d not supported", (int)f->type);
}

/* Reads an array into a repeated field; the count grows as elements succeed. */
static int
read_repeated(struct reader *r, ProtobufCMessage *m,
    const ProtobufCFieldDescriptor *f, struct json_object *v)
{
	size_t *count = (size_t *)((char *)m + f->quantifier_offset);
	void **array = (void **)((char *)m + f->offset);
	size_t size = pb_types[f->type].size, n, i, old;
	int rc;

	if (f->type == PROTOBUF_C_TYPE_MESSAGE &&
	    json_object_is_type(v, json_type_object))
		return read_table(r, m, f, v);
	if (!json_object_is_type(v, json_type_array))
		return fail(r, "expected an array");
	n = json_object_array_length(v);
	if (n == 0)
		return 0;
	*array = xcalloc(n, size);
	for (i = 0; i < n; i++) {
		old = path_push_index(r, i);
		rc = read_value(r, f, json_object_array_get_idx(v, i),
		    (char *)*array + i * size);
		path_pop(r, old);
		if (rc != 0)
			return -1;
		(*count)++;
	}
	return 0;
}

/* Reads value v (not null) into field f of m. */
static int
read_field_value(struct reader *r, ProtobufCMessage *m,
    const ProtobufCFieldDescriptor *f, struct json_object *v)
{
	const ProtobufCFieldDescriptor *other;
	char *base = (char *)m;
	uint32_t *which;
	size_t old;
	int rc;

	old = path_push_field(r, f->name);
	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		rc = read_repeated(r, m, f, v);
	else if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		which = (uint32_t *)(base + f->quantifier_offset);
		if (*which != 0) {
			other = protobuf_c_message_descriptor_get_field(
			    m->descriptor, *which);
			rc = fail(r, "\"%s\" of the same oneof is set too",
			    other != NULL ? other->name : "?");
		} else if ((rc = read_value(r, f, v, base + f->offset)) == 0)
			*which = f->id;
	} else {
		rc = read_value(r, f, v, base + f->offset);
		if (rc == 0 && has_presence_flag(f))
			*(protobuf_c_boolean *)(base + f->quantifier_offset) = 1;
	}
	path_pop(r, old);
	return rc;
}

/* Reads field f of m from object o, when o has it and it is not null. */
static int
read_field(struct reader *r, ProtobufCMessage *m,
    const ProtobufCFieldDescriptor *f, struct json_object *o)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, f->name, &v) || v == NULL)
		return 0;
	return read_field_value(r, m, f, v);
}

/*
 * Reads a table {"columns": [names], "rows": [[values], ...]} into the
 * repeated message field f of m: one message per row, each value into the
 * field its column names (as an object's key would).  A column the
 * descriptor does not know is ignored, a null value leaves the field at its
 * default; a field named twice, or a row of another length than the
 * columns, is an error.
 */
static int
read_table(struct reader *r, ProtobufCMessage *m,
    const ProtobufCFieldDescriptor *f, struct json_object *v)
{
	const ProtobufCMessageDescriptor *d = f->descriptor;
	size_t *count = (size_t *)((char *)m + f->quantifier_offset);
	ProtobufCMessage ***array = (ProtobufCMessage ***)((char *)m +
	    f->offset);
	const ProtobufCFieldDescriptor **fields = NULL;
	struct json_object *cols, *rows, *row, *x;
	size_t ncols, n, i, j, k, old;
	ProtobufCMessage *e;
	int rc = -1;

	if (!json_object_object_get_ex(v, "columns", &cols) ||
	    !json_object_is_type(cols, json_type_array) ||
	    !json_object_object_get_ex(v, "rows", &rows) ||
	    !json_object_is_type(rows, json_type_array))
		return fail(r, "expected an array, or a table of \"columns\" "
		    "and \"rows\"");
	ncols = json_object_array_length(cols);
	if (ncols == 0 || ncols > d->n_fields)
		return fail(r, "a table of %zu columns (1 to %u)", ncols,
		    d->n_fields);
	fields = xcalloc(ncols, sizeof *fields);
	for (j = 0; j < ncols; j++) {
		x = json_object_array_get_idx(cols, j);
		if (!json_object_is_type(x, json_type_string)) {
			fail(r, "column %zu: expected a field name", j);
			goto out;
		}
		fields[j] = protobuf_c_message_descriptor_get_field_by_name(d,
		    json_object_get_string(x));
		for (k = 0; fields[j] != NULL && k < j; k++)
			if (fields[k] == fields[j]) {
				fail(r, "column \"%s\" twice", fields[j]->name);
				goto out;
			}
	}
	n = json_object_array_length(rows);
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (r->depth >= PBJSON_MAX_DEPTH) {
		fail(r, "messages nested more than %d deep", PBJSON_MAX_DEPTH);
		goto out;
	}
	*array = xcalloc(n, sizeof **array);
	for (i = 0; i < n; i++) {
		old = path_push_index(r, i);
		row = json_object_array_get_idx(rows, i);
		if (!json_object_is_type(row, json_type_array) ||
		    json_object_array_length(row) != ncols) {
			fail(r, "expected a row of %zu values", ncols);
			goto out;
		}
		e = xmalloc(d->sizeof_message);
		protobuf_c_message_init(d, e);
		r->depth++;
		for (j = 0; j < ncols; j++) {
			x = json_object_array_get_idx(row, j);
			if (fields[j] == NULL || x == NULL)
				continue;
			if (read_field_value(r, e, fields[j], x) != 0)
				break;
		}
		r->depth--;
		if (j < ncols) {
			protobuf_c_message_free_unpacked(e, NULL);
			goto out;
		}
		path_pop(r, old);
		(*array)[(*count)++] = e;
	}
	rc = 0;
out:
	free(fields);
	return rc;
}

/* Reads object v as a new message of type d into *out (left alone on failure). */
static int
read_message(struct reader *r, const ProtobufCMessageDescriptor *d,
    struct json_object *v, ProtobufCMessage **out)
{
	ProtobufCMessage *m;
	unsigned i;
	int rc = 0;

	if (!json_object_is_type(v, json_type_object))
		return fail(r, "expected an object");
	if (r->depth >= PBJSON_MAX_DEPTH)
		return fail(r, "messages nested more than %d deep",
		    PBJSON_MAX_DEPTH);
	m = xmalloc(d->sizeof_message);
	protobuf_c_message_init(d, m);
	r->depth++;
	for (i = 0; i < d->n_fields && rc == 0; i++)
		rc = read_field(r, m, &d->fields[i], v);
	r->depth--;
	if (rc != 0) {
		protobuf_c_message_free_unpacked(m, NULL);
		return -1;
	}
	*out = m;
	return 0;
}

/* One value of f's type at src as JSON; NULL only if messages nest too deep. */
static struct json_object *
write_value(const ProtobufCFieldDescriptor *f, const void *src, int depth)
{
	const ProtobufCBinaryData *b;
	const char *s;
	char *text;
	struct json_object *o;
	int32_t e;

	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return jcheck(json_object_new_int64(*(const int32_t *)src));
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return jcheck(json_object_new_int64(*(const uint32_t *)src));
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return jcheck(json_object_new_int64(*(const int64_t *)src));
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return jcheck(json_object_new_uint64(*(const uint64_t *)src));
	case PROTOBUF_C_TYPE_FLOAT:
		return jcheck(json_object_new_double(*(const float *)src));
	case PROTOBUF_C_TYPE_DOUBLE:
		return jcheck(json_object_new_double(*(const double *)src));
	case PROTOBUF_C_TYPE_BOOL:
		return jcheck(json_object_new_boolean(
		    *(const protobuf_c_boolean *)src));
	case PROTOBUF_C_TYPE_ENUM:
		e = *(const int32_t *)src;
		s = pbjson_enum_name(f->descriptor, e);
		if (s == NULL)
			return jcheck(json_object_new_int64(e));
		return jcheck(json_object_new_string(s));
	case PROTOBUF_C_TYPE_STRING:
		s = *(char *const *)src;
		return jcheck(json_object_new_string(s != NULL ? s : ""));
	case PROTOBUF_C_TYPE_BYTES:
		b = src;
		text = base64_encode(b->data, b->len);
		o = jcheck(json_object_new_string(text));
		free(text);
		return o;
	case PROTOBUF_C_TYPE_MESSAGE:
		return write_message(*(ProtobufCMessage *const *)src, depth + 1);
	}
	fatalx("%s: field type %d not supported", f->name, (int)f->type);
}

/* A repeated field as an array; NULL only if messages nest too deep. */
static struct json_object *
write_repeated(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    int depth)
{
	const char *base = (const char *)m;
	size_t n = *(const size_t *)(base + f->quantifier_offset);
	const char *array = *(char *const *)(base + f->offset);
	size_t size = pb_types[f->type].size, i;
	struct json_object *a, *v;

	a = jcheck(json_object_new_array());
	for (i = 0; i < n; i++) {
		v = NULL;
		if (f->type != PROTOBUF_C_TYPE_MESSAGE ||
		    *(ProtobufCMessage *const *)(array + i * size) != NULL) {
			v = write_value(f, array + i * size, depth);
			if (v == NULL) {
				json_object_put(a);
				return NULL;
			}
		}
		if (json_object_array_add(a, v) != 0)
			fatalx("json-c: out of memory");
	}
	return a;
}

/* m as a JSON object (depth counts m itself); NULL if nested too deep. */
static struct json_object *
write_message(const ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	const char *base = (const char *)m;
	struct json_object *o, *v;
	unsigned i;

	if (depth > PBJSON_MAX_DEPTH)
		return NULL;
	o = jcheck(json_object_new_object());
	for (i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			if (*(const uint32_t *)(base + f->quantifier_offset) !=
			    f->id)
				continue;
		} else if (has_presence_flag(f) &&
		    !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED)
			v = write_repeated(m, f, depth);
		else {
			if ((f->type == PROTOBUF_C_TYPE_MESSAGE ||
			    (f->type == PROTOBUF_C_TYPE_STRING &&
			    f->label == PROTOBUF_C_LABEL_OPTIONAL)) &&
			    *(void *const *)(base + f->offset) == NULL)
				continue;
			v = write_value(f, base + f->offset, depth);
		}
		if (v == NULL) {
			json_object_put(o);
			return NULL;
		}
		if (json_object_object_add_ex(o, f->name, v,
		    JSON_C_OBJECT_ADD_KEY_IS_NEW |
		    JSON_C_OBJECT_KEY_IS_CONSTANT) != 0)
			fatalx("json-c: out of memory");
	}
	return o;
}

/* m as a new JSON object owned by the caller. */
struct json_object *
pbjson_from_message(const ProtobufCMessage *m)
{
	return write_message(m, 1);
}

/* m as malloc'd compact JSON text. */
char *
pbjson_to_string(const ProtobufCMessage *m)
{
	struct json_object *o;
	const char *s;
	char *copy;

	if ((o = pbjson_from_message(m)) == NULL)
		return NULL;
	s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s == NULL)
		fatalx("json-c: out of memory");
	copy = xstrdup(s);
	json_object_put(o);
	return copy;
}

/* j as a new message of type d (plain malloc, as free_unpacked expects). */
ProtobufCMessage *
pbjson_to_message(const ProtobufCMessageDescriptor *d, struct json_object *j,
    char *err, size_t errlen)
{
	struct reader r;
	ProtobufCMessage *m = NULL;

	memset(&r, 0, sizeof r);
	r.root = d->name;
	r.err = err;
	r.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (read_message(&r, d, j, &m) != 0)
		return NULL;
	return m;
}

/*
 * Offset of the first integer literal outside the 64-bit range in valid
 * JSON text, or SIZE_MAX.  json-c silently clamps such literals to
 * INT64_MIN or UINT64_MAX, so they have to be caught in the text.
 */
static size_t
int_overflow(const char *s, size_t len)
{
	const char *limit;
	size_t i = 0, start, first, digits;

	while (i < len) {
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (s[i] != '-' && (s[i] < '0' || s[i] > '9')) {
			i++;
			continue;
		}
		start = i;
		limit = "18446744073709551615";
		if (s[i] == '-') {
			limit = "9223372036854775808";
			i++;
		}
		while (i < len && s[i] == '0')
			i++;
		first = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		digits = i - first;
		if (i < len && (s[i] == '.' || s[i] == 'e' || s[i] == 'E')) {
			while (i < len && s[i] != '\0' &&
			    strchr("0123456789.eE+-", s[i]) != NULL)
				i++;
			continue;
		}
		if (digits > strlen(limit) || (digits == strlen(limit) &&
		    memcmp(s + first, limit, digits) > 0))
			return start;
	}
	return SIZE_MAX;
}

/* Offset of the first byte at or after i that is not JSON white space. */
static size_t
skip_space(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	return i;
}

/* JSON text as a new message of type d: tokenise strictly, then convert. */
ProtobufCMessage *
pbjson_parse(const ProtobufCMessageDescriptor *d, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *j;
	enum json_tokener_error e;
	ProtobufCMessage *m = NULL;
	size_t end, at;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (len > INT_MAX) {
		snprintf(err, errlen, "%s: JSON text too long", d->name);
		return NULL;
	}
	if ((tok = json_tokener_new_ex(PBJSON_PARSE_DEPTH)) == NULL)
		fatalx("json-c: out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	j = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if ((e = json_tokener_get_error(tok)) == json_tokener_continue) {
		/* A NUL tells json-c the text is over: "5" or "null" ends. */
		j = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
	}
	if (e == json_tokener_continue || e == json_tokener_error_parse_eof)
		snprintf(err, errlen, "%s: JSON text ends early", d->name);
	else if (e != json_tokener_success)
		snprintf(err, errlen, "%s: JSON error at offset %zu: %s",
		    d->name, end, json_tokener_error_desc(e));
	else if ((end = skip_space(text, end, len)) < len)
		snprintf(err, errlen, "%s: trailing data at offset %zu",
		    d->name, end);
	else if ((at = int_overflow(text, len)) != SIZE_MAX)
		snprintf(err, errlen, "%s: integer out of range at offset %zu",
		    d->name, at);
	else
		m = pbjson_to_message(d, j, err, errlen);
	json_object_put(j);
	json_tokener_free(tok);
	return m;
}
