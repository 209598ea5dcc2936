/* Envelope helpers shared by every peer: body names and kinds, error names, hello. */
#include "envelope.h"

#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "xmalloc.h"

#include <stdlib.h>

const char *
envelope_body_name(Tafel__Envelope__BodyCase c)
{
	const ProtobufCFieldDescriptor *f;

	if (c == TAFEL__ENVELOPE__BODY__NOT_SET)
		return "none";
	f = protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)c);
	return f != NULL ? f->name : "none";
}

enum body_kind
envelope_body_kind(Tafel__Envelope__BodyCase c)
{
	unsigned n = (unsigned)c;

	if (c == TAFEL__ENVELOPE__BODY__NOT_SET ||
	    protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    n) == NULL)
		return BODY_NONE;
	if (c == TAFEL__ENVELOPE__BODY_HELLO)
		return BODY_HELLO;
	if (c == TAFEL__ENVELOPE__BODY_ERROR)
		return BODY_ERROR;
	if (n >= 10 && n < 100)
		return BODY_REQUEST;
	if (n >= 100 && n < 200)
		return BODY_RESPONSE;
	if (n >= 200)
		return BODY_EVENT;
	return BODY_NONE;
}

void
envelope_describe_unknown(const Tafel__Envelope *env, char *buf, size_t len)
{
	size_t i;

	/* protobuf-c keeps a body number it does not know as unknown field */
	for (i = 0; i < env->base.n_unknown_fields; i++) {
		if (env->base.unknown_fields[i].tag > 2) {
			snprintf(buf, len, "unknown message (field %u)",
			    (unsigned)env->base.unknown_fields[i].tag);
			return;
		}
	}
	snprintf(buf, len, "the frame has no message body");
}

const char *
error_code_name(Tafel__ErrorCode code)
{
	const ProtobufCEnumValue *v;

	v = protobuf_c_enum_descriptor_get_value(&tafel__error_code__descriptor,
	    (int)code);
	return v != NULL ? v->name : "UNKNOWN";
}

Tafel__ErrorCode
error_code_by_name(const char *name)
{
	const ProtobufCEnumValue *v;

	v = protobuf_c_enum_descriptor_get_value_by_name(
	    &tafel__error_code__descriptor, name);
	return v != NULL ? (Tafel__ErrorCode)v->value :
	    TAFEL__ERROR_CODE__ERROR_UNSPECIFIED;
}

void
envelope_hello(Tafel__Envelope *env, Tafel__Hello *hello, const char *software,
    uint32_t max_frame)
{
	tafel__envelope__init(env);
	tafel__hello__init(hello);
	hello->protocol_version = TAFEL_PROTOCOL_VERSION;
	hello->software = (char *)software;
	hello->software_version = (char *)TAFEL_VERSION;
	hello->max_frame = max_frame;
	env->body_case = TAFEL__ENVELOPE__BODY_HELLO;
	env->hello = hello;
}

void
envelope_error(Tafel__Envelope *env, Tafel__Error *err, uint64_t request_id,
    Tafel__ErrorCode code, const char *message, const char *field)
{
	tafel__envelope__init(env);
	tafel__error__init(err);
	err->code = code;
	err->message = (char *)(message ? message : "");
	err->field = (char *)(field ? field : "");
	env->request_id = request_id;
	env->body_case = TAFEL__ENVELOPE__BODY_ERROR;
	env->error = err;
}

void
pb_string_set(char **field, const char *value)
{
	if (*field != NULL && *field != protobuf_c_empty_string)
		free(*field);
	*field = xstrdup(value != NULL ? value : "");
}

ProtobufCMessage *const *
pb_field_messages(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    size_t *n)
{
	const char *base = (const char *)m;
	ProtobufCMessage *const *member =
	    (ProtobufCMessage *const *)(const void *)(base + f->offset);

	*n = 0;
	if (f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		*n = *(const size_t *)(const void *)(base + f->quantifier_offset);
		return *(ProtobufCMessage *const *const *)(const void *)member;
	}
	if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
	    *(const uint32_t *)(const void *)(base + f->quantifier_offset) !=
	    f->id)
		return NULL;
	if (*member != NULL)
		*n = 1;
	return member;
}

const ProtobufCMessageDescriptor *
body_descriptor(Tafel__Envelope__BodyCase body)
{
	const ProtobufCFieldDescriptor *f;

	f = protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)body);
	if (f == NULL || f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	return f->descriptor;
}

int
envelope_set_body(Tafel__Envelope *env, Tafel__Envelope__BodyCase body,
    ProtobufCMessage *msg)
{
	const ProtobufCFieldDescriptor *f;

	f = protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)body);
	if (f == NULL || f->type != PROTOBUF_C_TYPE_MESSAGE || msg == NULL ||
	    msg->descriptor != f->descriptor)
		return -1;
	*(ProtobufCMessage **)(void *)((char *)env + f->offset) = msg;
	*(uint32_t *)(void *)((char *)env + f->quantifier_offset) = f->id;
	return 0;
}

const ProtobufCMessage *
envelope_get_body(const Tafel__Envelope *env)
{
	const ProtobufCFieldDescriptor *f;

	f = protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)env->body_case);
	if (f == NULL || f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	return *(ProtobufCMessage *const *)(const void *)((const char *)env +
	    f->offset);
}
