/* Answers larger than one frame: a message's lists split over parts, and joined again. */
#include "parts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "xmalloc.h"

/* A tag and a length prefix: field numbers under 2048, lengths under 2^28. */
#define PARTS_ENTRY_OVERHEAD 7
/* A packed list's own tag and length, once in each part that has it. */
#define PARTS_PACKED_OVERHEAD 8

/* The size in memory of one entry of a list of type t. */
static size_t
entry_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return sizeof(int64_t);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	default:	/* the 32-bit scalars and enums */
		return sizeof(int32_t);
	}
}

/* At most the bytes entry j of list f (array arr) takes on the wire. */
static size_t
entry_wire(const ProtobufCFieldDescriptor *f, const void *arr, size_t j)
{
	const char *p = (const char *)arr + j * entry_size(f->type);

	switch (f->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
		return protobuf_c_message_get_packed_size(
		    *(ProtobufCMessage *const *)(const void *)p) +
		    PARTS_ENTRY_OVERHEAD;
	case PROTOBUF_C_TYPE_STRING:
		return strlen(*(char *const *)(const void *)p) +
		    PARTS_ENTRY_OVERHEAD;
	case PROTOBUF_C_TYPE_BYTES:
		return ((const ProtobufCBinaryData *)(const void *)p)->len +
		    PARTS_ENTRY_OVERHEAD;
	default:	/* a varint or fixed value, and its tag if not packed */
		return 10 + 2;
	}
}

static size_t *
list_count(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	return (size_t *)(void *)((char *)m + f->quantifier_offset);
}

static void **
list_array(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	return (void **)(void *)((char *)m + f->offset);
}

ProtobufCMessage **
parts_body(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	ProtobufCMessage **body;
	unsigned i;

	for (i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE ||
		    f->label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		/* a oneof's members share one pointer: only the set one */
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(const void *)((const char *)m +
		    f->quantifier_offset) != f->id)
			continue;
		body = (ProtobufCMessage **)(void *)((char *)m + f->offset);
		if (*body != NULL)
			return body;
	}
	return NULL;
}

uint32_t *
parts_left_of(ProtobufCMessage *body)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(body->descriptor,
	    "parts_left");

	if (f == NULL || f->type != PROTOBUF_C_TYPE_UINT32 ||
	    f->label == PROTOBUF_C_LABEL_REPEATED)
		return NULL;
	return (uint32_t *)(void *)((char *)body + f->offset);
}

ProtobufCMessage **
parts_lists_of(ProtobufCMessage **body)
{
	const ProtobufCMessageDescriptor *d = (*body)->descriptor;
	unsigned i;

	for (i = 0; i < d->n_fields; i++)
		if (d->fields[i].label == PROTOBUF_C_LABEL_REPEATED)
			return body;
	return parts_body(*body);
}

/* A new part: a copy of m with empty lists, or (later parts) nothing else. */
static ProtobufCMessage *
part_new(const ProtobufCMessage *m, int first)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	ProtobufCMessage *p = xmalloc(d->sizeof_message);
	unsigned i;

	if (first)
		memcpy(p, m, d->sizeof_message);
	else
		d->message_init(p);
	p->n_unknown_fields = 0;
	p->unknown_fields = NULL;
	for (i = 0; i < d->n_fields; i++)
		if (d->fields[i].label == PROTOBUF_C_LABEL_REPEATED) {
			*list_count(p, &d->fields[i]) = 0;
			*list_array(p, &d->fields[i]) = NULL;
		}
	return p;
}

size_t
parts_split(const ProtobufCMessage *m, size_t budget, size_t max,
    ProtobufCMessage **parts)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	ProtobufCMessage *p;
	size_t n = 0, used, w, j, count, k;
	const char *arr;
	unsigned i;

	if (max == 0)
		return 0;
	p = parts[n++] = part_new(m, 1);
	used = protobuf_c_message_get_packed_size(p);
	if (used > budget)
		goto fail;
	for (i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->label != PROTOBUF_C_LABEL_REPEATED)
			continue;
		count = *list_count((ProtobufCMessage *)(uintptr_t)m, f);
		arr = *list_array((ProtobufCMessage *)(uintptr_t)m, f);
		for (j = 0; j < count; j++) {
			w = entry_wire(f, arr, j);
			if (*list_count(p, f) == 0)
				w += PARTS_PACKED_OVERHEAD;
			if (used + w > budget) {
				if (n == max)
					goto fail;
				p = parts[n++] = part_new(m, 0);
				used = protobuf_c_message_get_packed_size(p);
				w = entry_wire(f, arr, j) + PARTS_PACKED_OVERHEAD;
				if (used + w > budget)
					goto fail;
			}
			if (*list_count(p, f) == 0)
				*list_array(p, f) = (void *)(uintptr_t)(arr +
				    j * entry_size(f->type));
			(*list_count(p, f))++;
			used += w;
		}
	}
	return n;
fail:
	for (k = 0; k < n; k++)
		free(parts[k]);
	return 0;
}

int
parts_join(ProtobufCMessage *dst, ProtobufCMessage *src)
{
	const ProtobufCMessageDescriptor *d = dst->descriptor;
	const ProtobufCFieldDescriptor *f;
	ProtobufCAllocator *a = frame_allocator();
	void *joined[64];
	size_t nd, ns, es;
	unsigned i, k = 0;

	if (src->descriptor != d)
		return -1;
	/* first every new array, so that a failure changes nothing */
	for (i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->label != PROTOBUF_C_LABEL_REPEATED)
			continue;
		if (k == sizeof joined / sizeof joined[0])
			goto fail;
		nd = *list_count(dst, f);
		ns = *list_count(src, f);
		es = entry_size(f->type);
		joined[k] = NULL;
		if (ns > 0 && (ns > SIZE_MAX / es - nd ||
		    (joined[k] = a->alloc(a->allocator_data, (nd + ns) * es)) ==
		    NULL))
			goto fail;
		k++;
	}
	for (i = 0, k = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->label != PROTOBUF_C_LABEL_REPEATED)
			continue;
		if (joined[k] != NULL) {
			nd = *list_count(dst, f);
			ns = *list_count(src, f);
			es = entry_size(f->type);
			if (nd > 0)
				memcpy(joined[k], *list_array(dst, f), nd * es);
			memcpy((char *)joined[k] + nd * es, *list_array(src, f),
			    ns * es);
			a->free(a->allocator_data, *list_array(dst, f));
			*list_array(dst, f) = joined[k];
			*list_count(dst, f) = nd + ns;
			/* the entries are dst's now; src frees only its array */
			*list_count(src, f) = 0;
		}
		k++;
	}
	return 0;
fail:
	while (k-- > 0)
		a->free(a->allocator_data, joined[k]);
	return -1;
}
