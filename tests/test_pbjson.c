/* Message <-> JSON conversion: generic round trips of every type, exact text, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "pbjson.h"
#include "tafel.pb-c.h"
#include "xmalloc.h"

#define MAX_TYPES	256
#define FILL_DEPTH	6	/* sub-messages filled in this deep */

/* Every message type reachable from Envelope, filled in by collect(). */
static const ProtobufCMessageDescriptor *types[MAX_TYPES];
static size_t ntypes;

/*
 * A hand-written type for what tafel.proto lacks: recursion (to reach the
 * depth limit) and the scalar types the protocol does not use.
 */
typedef struct Node Node;
struct Node {
	ProtobufCMessage	 base;
	Node			*child;
	ProtobufCBinaryData	 data;
	size_t			 n_list;
	ProtobufCBinaryData	*list;
	int32_t			 s32;
	int64_t			 s64;
	int32_t			 sf32;
	int64_t			 sf64;
	uint32_t		 f32;
	uint64_t		 f64;
	float			 fl;
	double			 db;
};

static const ProtobufCMessageDescriptor node_descriptor;

#define NODE_FIELD(name, id, label, type, q, desc) \
	{ #name, id, PROTOBUF_C_LABEL_##label, PROTOBUF_C_TYPE_##type, q, \
	    offsetof(Node, name), desc, NULL, 0, 0, NULL, NULL }

static const ProtobufCFieldDescriptor node_fields[] = {
	NODE_FIELD(child, 1, NONE, MESSAGE, 0, &node_descriptor),
	NODE_FIELD(data, 2, NONE, BYTES, 0, NULL),
	NODE_FIELD(list, 3, REPEATED, BYTES, offsetof(Node, n_list), NULL),
	NODE_FIELD(s32, 4, NONE, SINT32, 0, NULL),
	NODE_FIELD(s64, 5, NONE, SINT64, 0, NULL),
	NODE_FIELD(sf32, 6, NONE, SFIXED32, 0, NULL),
	NODE_FIELD(sf64, 7, NONE, SFIXED64, 0, NULL),
	NODE_FIELD(f32, 8, NONE, FIXED32, 0, NULL),
	NODE_FIELD(f64, 9, NONE, FIXED64, 0, NULL),
	NODE_FIELD(fl, 10, NONE, FLOAT, 0, NULL),
	NODE_FIELD(db, 11, NONE, DOUBLE, 0, NULL),
};
static const unsigned node_by_name[] = { 0, 1, 10, 7, 8, 9, 2, 3, 4, 5, 6 };
static const ProtobufCIntRange node_ranges[] = { { 1, 0 }, { 0, 11 } };

/* message_init for Node. */
static void
node_init(ProtobufCMessage *m)
{
	static const Node init = { .base = PROTOBUF_C_MESSAGE_INIT(&node_descriptor) };

	*(Node *)m = init;
}

static const ProtobufCMessageDescriptor node_descriptor = {
	PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC, "test.Node", "Node", "Node", "test",
	sizeof(Node), 11, node_fields, node_by_name, 1, node_ranges,
	node_init, NULL, NULL, NULL
};

/* Size of one C value of a protobuf type, as in a repeated field's array. */
static size_t
elem_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	default:
		return 4;
	}
}

/* Adds d and every message type reachable from it to types[]. */
static void
collect(const ProtobufCMessageDescriptor *d)
{
	size_t i;

	for (i = 0; i < ntypes; i++)
		if (types[i] == d)
			return;
	assert_true(ntypes < MAX_TYPES);
	types[ntypes++] = d;
	for (i = 0; i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
			collect(d->fields[i].descriptor);
}

/* Members in the oneof f belongs to (*n) and f's index among them. */
static void
oneof_pos(const ProtobufCMessageDescriptor *d, const ProtobufCFieldDescriptor *f,
    unsigned *idx, unsigned *n)
{
	unsigned i;

	*idx = *n = 0;
	for (i = 0; i < d->n_fields; i++) {
		if ((d->fields[i].flags & PROTOBUF_C_FIELD_FLAG_ONEOF) == 0 ||
		    d->fields[i].quantifier_offset != f->quantifier_offset)
			continue;
		if (&d->fields[i] == f)
			*idx = *n;
		(*n)++;
	}
}

/* The most members any oneof of d has (1 if none). */
static unsigned
max_oneof(const ProtobufCMessageDescriptor *d)
{
	unsigned i, idx, n, max = 1;

	for (i = 0; i < d->n_fields; i++) {
		if ((d->fields[i].flags & PROTOBUF_C_FIELD_FLAG_ONEOF) == 0)
			continue;
		oneof_pos(d, &d->fields[i], &idx, &n);
		if (n > max)
			max = n;
	}
	return max;
}

static ProtobufCMessage *new_filled(const ProtobufCMessageDescriptor *,
    unsigned, int);

/* Stores the k-th non-default test value of f's type at dst. */
static void
fill_value(const ProtobufCFieldDescriptor *f, unsigned k, void *dst,
    unsigned variant, int depth)
{
	const ProtobufCEnumDescriptor *ed;
	ProtobufCBinaryData *b;
	char buf[128];
	size_t i;

	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		*(int32_t *)dst = k ? INT32_MAX : INT32_MIN;
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		*(uint32_t *)dst = k ? 7 : UINT32_MAX;
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		/* 2^53 + 1 does not survive a trip through a double. */
		*(int64_t *)dst = k ? INT64_C(9007199254740993) : INT64_MIN;
		break;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		*(uint64_t *)dst = k ? (uint64_t)INT64_MAX + 1 : UINT64_MAX;
		break;
	case PROTOBUF_C_TYPE_FLOAT:
		*(float *)dst = k ? 1.5f : -0.25f;
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		*(double *)dst = k ? 1e300 : -0.125;
		break;
	case PROTOBUF_C_TYPE_BOOL:
		*(protobuf_c_boolean *)dst = 1;
		break;
	case PROTOBUF_C_TYPE_ENUM:
		ed = f->descriptor;
		*(int32_t *)dst = ed->values[(ed->n_values - 1 - k) %
		    ed->n_values].value;
		break;
	case PROTOBUF_C_TYPE_STRING:
		snprintf(buf, sizeof buf, "%s#%u \"q\" \\ / é ✓ 𝄞\t\n\x01",
		    f->name, k);
		*(char **)dst = xstrdup(buf);
		break;
	case PROTOBUF_C_TYPE_BYTES:
		b = dst;
		b->len = 4 + k + variant % 3;
		b->data = xmalloc(b->len);
		for (i = 0; i < b->len; i++)
			b->data[i] = (uint8_t)(0xff - 0x3b * i);
		b->data[1] = 0;
		break;
	case PROTOBUF_C_TYPE_MESSAGE:
		*(ProtobufCMessage **)dst = depth < FILL_DEPTH ?
		    new_filled(f->descriptor, variant, depth + 1) : NULL;
		break;
	}
}

/* A new message of type d with every field set; variant picks the oneof members. */
static ProtobufCMessage *
new_filled(const ProtobufCMessageDescriptor *d, unsigned variant, int depth)
{
	const ProtobufCFieldDescriptor *f;
	ProtobufCMessage *m = xmalloc(d->sizeof_message);
	unsigned i, k, idx, n;
	char *base = (char *)m, *array;

	protobuf_c_message_init(d, m);
	for (i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			oneof_pos(d, f, &idx, &n);
			if (variant % n != idx)
				continue;
			*(uint32_t *)(base + f->quantifier_offset) = f->id;
		}
		if (f->label != PROTOBUF_C_LABEL_REPEATED) {
			fill_value(f, 0, base + f->offset, variant, depth);
			continue;
		}
		if (f->type == PROTOBUF_C_TYPE_MESSAGE && depth >= FILL_DEPTH)
			continue;
		array = xcalloc(2, elem_size(f->type));
		for (k = 0; k < 2; k++)
			fill_value(f, k, array + k * elem_size(f->type),
			    variant, depth);
		*(void **)(base + f->offset) = array;
		*(size_t *)(base + f->quantifier_offset) = 2;
	}
	return m;
}

/* Packs m into a malloc'd buffer. */
static uint8_t *
pack(const ProtobufCMessage *m, size_t *len)
{
	uint8_t *buf;

	*len = protobuf_c_message_get_packed_size(m);
	buf = xmalloc(*len);
	assert_int_equal(protobuf_c_message_pack(m, buf), *len);
	return buf;
}

/* Asserts that two messages pack to the same bytes. */
static void
assert_same_packed(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
	uint8_t *pa, *pb;
	size_t la, lb;

	pa = pack(a, &la);
	pb = pack(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	free(pa);
	free(pb);
}

/* m -> text -> message and m -> object -> message both give m again. */
static void
roundtrip(const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	ProtobufCMessage *back, *back2;
	struct json_object *j;
	char err[512], *text, *text2;

	text = pbjson_to_string(m);
	assert_non_null(text);
	back = pbjson_parse(d, text, strlen(text), err, sizeof err);
	if (back == NULL)
		fail_msg("%s: %s\n%s", d->name, err, text);
	assert_same_packed(m, back);
	text2 = pbjson_to_string(back);
	assert_string_equal(text, text2);

	j = pbjson_from_message(m);
	assert_non_null(j);
	back2 = pbjson_to_message(d, j, err, sizeof err);
	if (back2 == NULL)
		fail_msg("%s: %s", d->name, err);
	assert_same_packed(m, back2);

	json_object_put(j);
	protobuf_c_message_free_unpacked(back2, NULL);
	protobuf_c_message_free_unpacked(back, NULL);
	free(text2);
	free(text);
}

/* Every type, fully populated once per oneof member, and empty. */
static void
test_roundtrip_all(void **state)
{
	ProtobufCMessage *m;
	char err[512];
	unsigned v, n;
	size_t i;

	collect(&tafel__envelope__descriptor);
	assert_true(ntypes >= 40);
	for (i = 0; i < ntypes; i++) {
		n = max_oneof(types[i]);
		for (v = 0; v < n; v++) {
			m = new_filled(types[i], v, 1);
			roundtrip(m);
			protobuf_c_message_free_unpacked(m, NULL);
		}

		m = xmalloc(types[i]->sizeof_message);
		protobuf_c_message_init(types[i], m);
		roundtrip(m);
		free(m);

		m = pbjson_parse(types[i], "{}", 2, err, sizeof err);
		assert_non_null(m);
		protobuf_c_message_free_unpacked(m, NULL);
	}
}

/* The scalar types tafel.proto lacks, and bytes of every padding length. */
static void
test_roundtrip_other_types(void **state)
{
	ProtobufCMessage *m;
	unsigned v;

	for (v = 0; v < 3; v++) {
		m = new_filled(&node_descriptor, v, FILL_DEPTH - 2);
		roundtrip(m);
		protobuf_c_message_free_unpacked(m, NULL);
	}
}

/* Every top-level message in the .proto is reachable from Envelope (else the walk misses it). */
static void
test_all_types_reached(void **state)
{
	const char *path = getenv("TAFEL_PROTO");
	char line[512], name[128], full[160];
	FILE *f;
	size_t i, seen = 0;

	if (path == NULL)
		skip();
	collect(&tafel__envelope__descriptor);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "message %127[A-Za-z0-9_]", name) != 1)
			continue;
		snprintf(full, sizeof full, "tafel.%s", name);
		for (i = 0; i < ntypes; i++)
			if (strcmp(types[i]->name, full) == 0)
				break;
		if (i == ntypes)
			fail_msg("%s is not reachable from tafel.Envelope", full);
		seen++;
	}
	fclose(f);
	assert_int_equal(seen, ntypes);
}

/* Exact text of a hand-built ActionPoint: field order, defaults, enum, int64. */
static void
test_expected_action_point(void **state)
{
	Tafel__ActionPoint ap = TAFEL__ACTION_POINT__INIT;
	ProtobufCMessage *back;
	char err[256], *text;
	static const char want[] =
	    "{\"id\":42,\"case_id\":7,\"meeting_id\":0,"
	    "\"description\":\"Huisbezoek plannen\",\"owner_org_id\":3,"
	    "\"owner_user_id\":0,\"due_date\":\"2026-12-01\","
	    "\"state\":\"done\",\"completion_note\":\"\","
	    "\"version\":9007199254740993,\"updated_by\":5,"
	    "\"updated_at\":1764410400,\"case_number\":\"2026-0042\","
	    "\"owner_org_name\":\"Politie\",\"owner_user_name\":\"\","
	    "\"overdue\":false,\"goal_id\":0}";

	ap.id = 42;
	ap.case_id = 7;
	ap.description = "Huisbezoek plannen";
	ap.owner_org_id = 3;
	ap.due_date = "2026-12-01";
	ap.state = TAFEL__ACTION_STATE__ACTION_DONE;
	ap.version = INT64_C(9007199254740993);
	ap.updated_by = 5;
	ap.updated_at = 1764410400;
	ap.case_number = "2026-0042";
	ap.owner_org_name = "Politie";
	text = pbjson_to_string(&ap.base);
	assert_string_equal(text, want);

	back = pbjson_parse(&tafel__action_point__descriptor, want,
	    strlen(want), err, sizeof err);
	assert_non_null(back);
	assert_same_packed(&ap.base, back);
	protobuf_c_message_free_unpacked(back, NULL);
	free(text);
}

/* Exact text of an Event carrying a Case with two Persons (key "case", not "case_"). */
static void
test_expected_event_case(void **state)
{
	Tafel__Event ev = TAFEL__EVENT__INIT;
	Tafel__Case c = TAFEL__CASE__INIT;
	Tafel__Person p1 = TAFEL__PERSON__INIT, p2 = TAFEL__PERSON__INIT;
	Tafel__Person *persons[] = { &p1, &p2 };
	Tafel__Event *back;
	char err[256], *text;
	static const char want_case[] =
	    "{\"id\":12,\"number\":\"2026-0042\",\"theme\":\"domestic_violence\","
	    "\"approach\":\"system\",\"district\":\"Noord\","
	    "\"submitter_org_id\":1,\"submitter_user_id\":2,"
	    "\"case_manager_id\":-3,\"status\":\"in_progress\","
	    "\"summary\":\"Zorgen om \\\"veiligheid\\\"\\nthuis\","
	    "\"persons\":["
	    "{\"id\":1,\"case_id\":12,\"role\":\"victim\",\"name\":\"A.B.\","
	    "\"birth_date\":\"\",\"version\":1},"
	    "{\"id\":2,\"case_id\":12,\"role\":\"child\",\"name\":\"Zoë\","
	    "\"birth_date\":\"2015-03-04\",\"version\":-9223372036854775808}],"
	    "\"version\":9223372036854775807,\"redacted\":true,"
	    "\"redaction_reason\":\"\",\"submitter_org_name\":\"Politie\","
	    "\"case_manager_name\":\"\",\"hidden_categories\":[],\"beamer_redacted\":false,\"beamer_reason\":\"\","
	    "\"reason\":\"\",\"lead_org_id\":0,\"lead_org_name\":\"\","
	    "\"end_date\":\"\",\"review_date\":\"\",\"closing_reason\":\"\","
	    "\"evaluation\":\"\",\"earlier_discussed\":false,"
	    "\"process_manager_ids\":[],\"clocks\":[]}";
	char want[2048];

	p1.id = 1;
	p1.case_id = 12;
	p1.role = TAFEL__PERSON_ROLE__PERSON_VICTIM;
	p1.name = "A.B.";
	p1.version = 1;
	p2.id = 2;
	p2.case_id = 12;
	p2.role = TAFEL__PERSON_ROLE__PERSON_CHILD;
	p2.name = "Zoë";
	p2.birth_date = "2015-03-04";
	p2.version = INT64_MIN;
	c.id = 12;
	c.number = "2026-0042";
	c.theme = "domestic_violence";
	c.approach = TAFEL__APPROACH__APPROACH_SYSTEM;
	c.district = "Noord";
	c.submitter_org_id = 1;
	c.submitter_user_id = 2;
	c.case_manager_id = -3;
	c.status = TAFEL__CASE_STATUS__CASE_IN_PROGRESS;
	c.summary = "Zorgen om \"veiligheid\"\nthuis";
	c.n_persons = 2;
	c.persons = persons;
	c.version = INT64_MAX;
	c.redacted = 1;
	c.submitter_org_name = "Politie";

	text = pbjson_to_string(&c.base);
	assert_string_equal(text, want_case);
	free(text);

	ev.seq = UINT64_MAX;
	ev.at = 1764410400;
	ev.by_user_id = 2;
	ev.by_user_name = "Chair";
	ev.case_ = &c;
	snprintf(want, sizeof want, "{\"seq\":18446744073709551615,"
	    "\"at\":1764410400,\"by_user_id\":2,\"by_user_name\":\"Chair\","
	    "\"agenda_items\":[],\"case\":%s,\"resync\":false,\"actions\":[],"
	    "\"gone\":false,\"list_only\":false}", want_case);
	text = pbjson_to_string(&ev.base);
	assert_string_equal(text, want);

	back = (Tafel__Event *)pbjson_parse(&tafel__event__descriptor, want,
	    strlen(want), err, sizeof err);
	assert_non_null(back);
	assert_non_null(back->case_);
	assert_int_equal(back->case_->n_persons, 2);
	assert_string_equal(back->case_->persons[1]->name, "Zoë");
	assert_int_equal(back->case_->persons[1]->role,
	    TAFEL__PERSON_ROLE__PERSON_CHILD);
	assert_true(back->case_->persons[1]->version == INT64_MIN);
	assert_true(back->seq == UINT64_MAX);
	assert_null(back->meeting);
	assert_same_packed(&ev.base, &back->base);
	protobuf_c_message_free_unpacked(&back->base, NULL);
	free(text);
}

/* Short names strip the prefix common to all values; full names and misses. */
static void
test_enum_names(void **state)
{
	int v = -1;

	assert_string_equal(pbjson_enum_name(&tafel__case_status__descriptor,
	    TAFEL__CASE_STATUS__CASE_SIGNAL), "signal");
	assert_string_equal(pbjson_enum_name(&tafel__case_status__descriptor,
	    TAFEL__CASE_STATUS__CASE_INFO_ROUND), "info_round");
	assert_string_equal(pbjson_enum_name(&tafel__org_kind__descriptor,
	    TAFEL__ORG_KIND__ORG_CHILD_PROTECTION), "child_protection");
	assert_string_equal(pbjson_enum_name(&tafel__error_code__descriptor,
	    TAFEL__ERROR_CODE__VERSION_MISMATCH), "version_mismatch");
	assert_string_equal(pbjson_enum_name(&tafel__error_code__descriptor,
	    TAFEL__ERROR_CODE__ERROR_UNSPECIFIED), "error_unspecified");
	assert_string_equal(pbjson_enum_name(&tafel__subscribe_topic__descriptor,
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS), "org_actions");
	assert_null(pbjson_enum_name(&tafel__case_status__descriptor, 99));

	assert_int_equal(pbjson_enum_value(&tafel__case_status__descriptor,
	    "in_progress", &v), 0);
	assert_int_equal(v, TAFEL__CASE_STATUS__CASE_IN_PROGRESS);
	assert_int_equal(pbjson_enum_value(&tafel__case_status__descriptor,
	    "CASE_CLOSED", &v), 0);
	assert_int_equal(v, TAFEL__CASE_STATUS__CASE_CLOSED);
	assert_int_equal(pbjson_enum_value(&tafel__error_code__descriptor,
	    "conflict", &v), 0);
	assert_int_equal(v, TAFEL__ERROR_CODE__CONFLICT);
	assert_int_equal(pbjson_enum_value(&tafel__case_status__descriptor,
	    "IN_PROGRESS", &v), -1);
	assert_int_equal(pbjson_enum_value(&tafel__case_status__descriptor,
	    "In_progress", &v), -1);
	assert_int_equal(pbjson_enum_value(&tafel__case_status__descriptor,
	    "", &v), -1);
}

/* What reading accepts beyond what writing produces. */
static void
test_lenient_input(void **state)
{
	static const char case_json[] =
	    " {\"id\":\"9223372036854775807\",\"version\":\"-9223372036854775808\","
	    "\"submitter_org_id\":-9223372036854775808,"
	    "\"status\":5,\"approach\":\"APPROACH_AREA\",\"persons\":null,"
	    "\"theme\":null,\"summary\":\"\",\"future\":{\"x\":[1,2.5e400]},"
	    "\"redacted\":true}\n";
	static const char pong_json[] =
	    "{\"nonce\":18446744073709551615,\"server_seq\":\"18446744073709551615\"}";
	static const char env_json[] =
	    "{\"request_id\":\"1\",\"ping\":{\"nonce\":\"007\"},\"hello\":null,"
	    "\"error\":null}";
	Tafel__Case *c;
	Tafel__PongResponse *p;
	Tafel__Envelope *e;
	Tafel__Person person = TAFEL__PERSON__INIT;
	ProtobufCMessage *m;
	char err[256], *text;

	c = (Tafel__Case *)pbjson_parse(&tafel__case__descriptor, case_json,
	    strlen(case_json), err, sizeof err);
	if (c == NULL)
		fail_msg("%s", err);
	assert_true(c->id == INT64_MAX);
	assert_true(c->version == INT64_MIN);
	assert_true(c->submitter_org_id == INT64_MIN);
	assert_int_equal(c->status, TAFEL__CASE_STATUS__CASE_IN_PROGRESS);
	assert_int_equal(c->approach, TAFEL__APPROACH__APPROACH_AREA);
	assert_int_equal(c->n_persons, 0);
	assert_string_equal(c->theme, "");
	assert_string_equal(c->summary, "");
	assert_true(c->redacted);
	protobuf_c_message_free_unpacked(&c->base, NULL);

	p = (Tafel__PongResponse *)pbjson_parse(&tafel__pong_response__descriptor,
	    pong_json, strlen(pong_json), err, sizeof err);
	assert_non_null(p);
	assert_true(p->nonce == UINT64_MAX);
	assert_true(p->server_seq == UINT64_MAX);
	protobuf_c_message_free_unpacked(&p->base, NULL);

	e = (Tafel__Envelope *)pbjson_parse(&tafel__envelope__descriptor,
	    env_json, strlen(env_json), err, sizeof err);
	assert_non_null(e);
	assert_int_equal(e->body_case, TAFEL__ENVELOPE__BODY_PING);
	assert_int_equal(e->ping->nonce, 7);
	assert_int_equal(e->request_id, 1);
	protobuf_c_message_free_unpacked(&e->base, NULL);

	/* Enums are open: a value this build does not know survives as a number. */
	person.role = 42;
	text = pbjson_to_string(&person.base);
	assert_non_null(strstr(text, "\"role\":42,"));
	m = pbjson_parse(&tafel__person__descriptor, text, strlen(text), err,
	    sizeof err);
	assert_non_null(m);
	assert_same_packed(&person.base, m);
	protobuf_c_message_free_unpacked(m, NULL);
	free(text);
}

/*
 * A repeated message field read from a table ({"columns", "rows"}) gives
 * the same message as the array of objects; nested messages, nulls and
 * unknown columns as an object's keys would; bad tables name the place.
 */
static void
test_table(void **state)
{
	static const char objects[] =
	    "{\"snapshot\":{\"actions\":["
	    "{\"id\":7,\"state\":\"open\",\"description\":\"Bellen\",\"overdue\":true},"
	    "{\"id\":8,\"state\":\"ACTION_DONE\",\"description\":\"\"}],"
	    "\"cases\":[{\"id\":3,\"persons\":[{\"id\":1,\"name\":\"A. B.\"}]}]}}";
	static const char table[] =
	    "{\"snapshot\":{\"actions\":{\"columns\":[\"id\",\"state\","
	    "\"description\",\"overdue\",\"not_a_field\"],\"rows\":["
	    "[7,\"open\",\"Bellen\",true,{\"x\":1}],"
	    "[\"8\",\"ACTION_DONE\",null,null,2]]},"
	    "\"cases\":{\"columns\":[\"persons\",\"id\"],\"rows\":"
	    "[[[{\"id\":1,\"name\":\"A. B.\"}],3]]}}}";
	static const char empty[] =
	    "{\"snapshot\":{\"actions\":{\"columns\":[\"id\"],\"rows\":[]}}}";
	static const struct {
		const char	*json;
		const char	*want;
	} bad[] = {
		{ "{\"snapshot\":{\"actions\":{\"columns\":[\"id\",\"state\"],"
		    "\"rows\":[[1,\"open\"],[2]]}}}",
		    "snapshot.actions[1]: expected a row of 2 values" },
		{ "{\"snapshot\":{\"actions\":{\"columns\":[\"id\",\"state\"],"
		    "\"rows\":[[1,\"open\"],{\"id\":2}]}}}",
		    "snapshot.actions[1]: expected a row of 2 values" },
		{ "{\"snapshot\":{\"actions\":{\"columns\":[\"id\",\"id\"],"
		    "\"rows\":[]}}}",
		    "snapshot.actions: column \"id\" twice" },
		{ "{\"snapshot\":{\"actions\":{\"columns\":[\"id\",5],"
		    "\"rows\":[]}}}",
		    "snapshot.actions: column 1: expected a field name" },
		{ "{\"snapshot\":{\"actions\":{\"columns\":[],\"rows\":[]}}}",
		    "snapshot.actions: a table of 0 columns" },
		{ "{\"snapshot\":{\"actions\":{\"rows\":[[1]]}}}",
		    "snapshot.actions: expected an array, or a table of" },
		{ "{\"snapshot\":{\"actions\":{\"columns\":[\"id\"],"
		    "\"rows\":[[1],[\"x\"]]}}}",
		    "snapshot.actions[1].id: expected an integer" },
		{ "{\"snapshot\":{\"member_org_ids\":{\"columns\":[\"id\"],"
		    "\"rows\":[[1]]}}}",
		    "snapshot.member_org_ids: expected an array" },
	};
	ProtobufCMessage *a, *b;
	Tafel__SubscribeResponse *s;
	char err[256];
	size_t i;

	(void)state;
	a = pbjson_parse(&tafel__subscribe_response__descriptor, objects,
	    strlen(objects), err, sizeof err);
	if (a == NULL)
		fail_msg("%s", err);
	b = pbjson_parse(&tafel__subscribe_response__descriptor, table,
	    strlen(table), err, sizeof err);
	if (b == NULL)
		fail_msg("%s", err);
	s = (Tafel__SubscribeResponse *)b;
	assert_int_equal(s->snapshot->n_actions, 2);
	assert_int_equal(s->snapshot->actions[1]->id, 8);
	assert_int_equal(s->snapshot->actions[1]->state,
	    TAFEL__ACTION_STATE__ACTION_DONE);
	assert_string_equal(s->snapshot->actions[1]->description, "");
	assert_true(s->snapshot->actions[0]->overdue);
	assert_string_equal(s->snapshot->cases[0]->persons[0]->name, "A. B.");
	assert_same_packed(a, b);
	protobuf_c_message_free_unpacked(a, NULL);
	protobuf_c_message_free_unpacked(b, NULL);

	b = pbjson_parse(&tafel__subscribe_response__descriptor, empty,
	    strlen(empty), err, sizeof err);
	assert_non_null(b);
	assert_int_equal(((Tafel__SubscribeResponse *)b)->snapshot->n_actions, 0);
	protobuf_c_message_free_unpacked(b, NULL);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_null(pbjson_parse(&tafel__subscribe_response__descriptor,
		    bad[i].json, strlen(bad[i].json), err, sizeof err));
		if (strstr(err, bad[i].want) == NULL)
			fail_msg("table %zu: got \"%s\", want \"%s\"", i, err,
			    bad[i].want);
	}
}

/* Bad input: NULL, and an error naming the field (or the offset in the text). */
static void
test_errors(void **state)
{
	static const struct {
		const ProtobufCMessageDescriptor	*d;
		const char				*json;
		const char				*want;
	} bad[] = {
		{ &tafel__subscribe_response__descriptor,
		    "{\"snapshot\":{\"agenda\":[{},{},{},{\"position\":\"x\"}]}}",
		    "snapshot.agenda[3].position: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"position\":2147483648}",
		    "position: out of range for int32" },
		{ &tafel__agenda_item__descriptor, "{\"position\":-2147483649}",
		    "position: out of range for int32" },
		{ &tafel__agenda_item__descriptor, "{\"position\":\"5\"}",
		    "position: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":1.0}",
		    "id: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":\"12x\"}",
		    "id: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":\" 12\"}",
		    "id: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":\"+12\"}",
		    "id: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":\"-\"}",
		    "id: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":\"\"}",
		    "id: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":true}",
		    "id: expected an integer" },
		{ &tafel__agenda_item__descriptor, "{\"id\":9223372036854775808}",
		    "id: out of range for int64" },
		{ &tafel__agenda_item__descriptor, "{\"id\":\"9223372036854775808\"}",
		    "id: out of range for int64" },
		{ &tafel__agenda_item__descriptor, "{\"id\":\"-9223372036854775809\"}",
		    "id: out of range for int64" },
		{ &tafel__agenda_item__descriptor, "{\"id\":-99999999999999999999}",
		    "tafel.AgendaItem: integer out of range at offset 6" },
		{ &tafel__pong_response__descriptor, "{\"nonce\":99999999999999999999}",
		    "tafel.PongResponse: integer out of range at offset 9" },
		{ &tafel__pong_response__descriptor, "{\"nonce\":\"18446744073709551616\"}",
		    "nonce: out of range for uint64" },
		{ &tafel__pong_response__descriptor, "{\"nonce\":-1}",
		    "nonce: out of range for uint64" },
		{ &tafel__pong_response__descriptor, "{\"nonce\":\"-1\"}",
		    "nonce: out of range for uint64" },
		{ &tafel__hello__descriptor, "{\"max_frame\":4294967296}",
		    "max_frame: out of range for uint32" },
		{ &tafel__hello__descriptor, "{\"max_frame\":-1}",
		    "max_frame: out of range for uint32" },
		{ &tafel__attendance__descriptor, "{\"present\":1}",
		    "present: expected true or false" },
		{ &tafel__attendance__descriptor, "{\"user_name\":5}",
		    "user_name: expected a string" },
		{ &tafel__attendance__descriptor, "{\"user_name\":[]}",
		    "user_name: expected a string" },
		{ &tafel__case__descriptor, "{\"status\":\"bogus\"}",
		    "status: unknown tafel.CaseStatus value \"bogus\"" },
		{ &tafel__case__descriptor, "{\"status\":\"IN_PROGRESS\"}",
		    "status: unknown tafel.CaseStatus value" },
		{ &tafel__case__descriptor, "{\"status\":2147483648}",
		    "status: out of range for tafel.CaseStatus" },
		{ &tafel__case__descriptor, "{\"status\":true}",
		    "status: expected a tafel.CaseStatus name" },
		{ &tafel__case__descriptor, "{\"persons\":[{\"name\":\"\xff\"}]}",
		    "persons[0].name: invalid UTF-8" },
		{ &tafel__case__descriptor, "{\"summary\":\"\xed\xa0\x80\"}",
		    "summary: invalid UTF-8" },
		{ &tafel__case__descriptor, "{\"summary\":\"\xc0\xae\"}",
		    "summary: invalid UTF-8" },
		{ &tafel__case__descriptor, "{\"summary\":\"a\\u0000b\"}",
		    "summary: string contains a NUL" },
		{ &tafel__case__descriptor, "{\"persons\":{}}",
		    "persons: expected an array" },
		{ &tafel__case__descriptor, "{\"persons\":[{},null]}",
		    "persons[1]: expected an object" },
		{ &tafel__series__descriptor, "{\"themes\":[\"a\",7]}",
		    "themes[1]: expected a string" },
		{ &tafel__envelope__descriptor, "{\"hello\":{},\"ping\":{}}",
		    "ping: \"hello\" of the same oneof is set too" },
		{ &tafel__envelope__descriptor,
		    "{\"error\":{\"current_case\":{},\"current_person\":{\"id\":1}}}",
		    "error.current_person: \"current_case\" of the same oneof" },
		{ &tafel__envelope__descriptor, "{\"event\":[]}",
		    "event: expected an object" },
		{ &tafel__envelope__descriptor,
		    "{\"event\":{\"case\":{\"persons\":[{\"role\":\"judge\"}]}}}",
		    "event.case.persons[0].role: unknown tafel.PersonRole value" },
		{ &tafel__envelope__descriptor, "[]",
		    "tafel.Envelope: expected an object" },
		{ &tafel__envelope__descriptor, "null",
		    "tafel.Envelope: expected an object" },
		{ &tafel__envelope__descriptor, "{} x",
		    "tafel.Envelope: JSON error at offset 3" },
		{ &tafel__envelope__descriptor, "{}{}",
		    "tafel.Envelope: JSON error at offset 2" },
		{ &tafel__envelope__descriptor, "{\"hello\":{}",
		    "tafel.Envelope: JSON text ends early" },
		{ &tafel__envelope__descriptor, "",
		    "tafel.Envelope: JSON text ends early" },
		{ &tafel__envelope__descriptor, "{\"hello\":{,}}",
		    "tafel.Envelope: JSON error at offset" },
		{ &tafel__envelope__descriptor, "{\"request_id\":01}",
		    "tafel.Envelope: JSON error at offset" },
	};
	ProtobufCMessage *m;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(err, "untouched");
		m = pbjson_parse(bad[i].d, bad[i].json, strlen(bad[i].json),
		    err, sizeof err);
		if (m != NULL)
			fail_msg("accepted %s", bad[i].json);
		if (strstr(err, bad[i].want) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].json, err,
			    bad[i].want);
	}

	/* The length is what counts, not a NUL. */
	assert_null(pbjson_parse(&tafel__envelope__descriptor, "{} \0{}", 6,
	    err, sizeof err));
	assert_non_null(strstr(err, "offset 3"));
	m = pbjson_parse(&tafel__envelope__descriptor, "{}\n\0", 3, err,
	    sizeof err);
	assert_non_null(m);
	protobuf_c_message_free_unpacked(m, NULL);
}

/* Raw bytes in a json-c string (json-c does not check them) are still refused. */
/* An error names where it is: fields and array indexes of any size. */
static void
test_error_path(void **state)
{
	const char *text = "{\"seq\":5,\"snapshot\":{\"agenda\":["
	    "{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4},{\"id\":5},"
	    "{\"id\":6},{\"id\":7},{\"id\":8},{\"id\":9},{\"id\":10},"
	    "{\"id\":11,\"position\":\"x\"}]}}";
	char err[256];
	ProtobufCMessage *m;

	(void)state;
	m = pbjson_parse(&tafel__subscribe_response__descriptor, text,
	    strlen(text), err, sizeof err);
	assert_null(m);
	assert_non_null(strstr(err, "snapshot.agenda[10].position: "));
}

static void
test_invalid_utf8_object(void **state)
{
	struct json_object *j;
	char err[256];

	/* json-c's own tokener takes raw invalid UTF-8 without complaint. */
	j = json_tokener_parse("{\"name\":\"\xfe\xff\"}");
	assert_non_null(j);
	json_object_put(j);

	j = json_object_new_object();
	json_object_object_add(j, "name", json_object_new_string_len("ok\x80", 3));
	assert_null(pbjson_to_message(&tafel__person__descriptor, j, err,
	    sizeof err));
	assert_string_equal(err, "name: invalid UTF-8 in string");
	json_object_put(j);
}

/* JSON text of n nested Nodes, innermost empty. */
static char *
nested_nodes(int n)
{
	char *s = xmalloc((size_t)n * 12 + 3), *p = s;
	int i;

	p += sprintf(p, "{");
	for (i = 1; i < n; i++)
		p += sprintf(p, "\"child\":{");
	for (i = 0; i < n; i++)
		*p++ = '}';
	*p = '\0';
	return s;
}

/* Messages nest at most PBJSON_MAX_DEPTH deep; JSON text at most PBJSON_PARSE_DEPTH. */
static void
test_depth(void **state)
{
	ProtobufCMessage *m;
	struct json_object *j;
	Node nodes[PBJSON_MAX_DEPTH + 1];
	char err[512], want[512], *text, *deep;
	int i;

	text = nested_nodes(PBJSON_MAX_DEPTH);
	m = pbjson_parse(&node_descriptor, text, strlen(text), err, sizeof err);
	assert_non_null(m);
	protobuf_c_message_free_unpacked(m, NULL);
	free(text);

	text = nested_nodes(PBJSON_MAX_DEPTH + 1);
	assert_null(pbjson_parse(&node_descriptor, text, strlen(text), err,
	    sizeof err));
	want[0] = '\0';
	for (i = 0; i < PBJSON_MAX_DEPTH; i++)
		strcat(want, i == 0 ? "child" : ".child");
	strcat(want, ": messages nested more than 16 deep");
	assert_string_equal(err, want);
	free(text);

	deep = xmalloc(PBJSON_PARSE_DEPTH * 2 + 16);
	strcpy(deep, "{\"x\":");
	for (i = 0; i < PBJSON_PARSE_DEPTH; i++)
		strcat(deep, "[");
	for (i = 0; i < PBJSON_PARSE_DEPTH; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	assert_null(pbjson_parse(&node_descriptor, deep, strlen(deep), err,
	    sizeof err));
	assert_non_null(strstr(err, "test.Node: JSON error at offset"));
	assert_non_null(strstr(err, "nesting too deep"));
	free(deep);

	for (i = 0; i <= PBJSON_MAX_DEPTH; i++) {
		node_init(&nodes[i].base);
		if (i > 0)
			nodes[i - 1].child = &nodes[i];
	}
	assert_null(pbjson_from_message(&nodes[0].base));
	assert_null(pbjson_to_string(&nodes[0].base));
	j = pbjson_from_message(&nodes[1].base);
	assert_non_null(j);
	json_object_put(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_all),
		cmocka_unit_test(test_roundtrip_other_types),
		cmocka_unit_test(test_all_types_reached),
		cmocka_unit_test(test_expected_action_point),
		cmocka_unit_test(test_expected_event_case),
		cmocka_unit_test(test_enum_names),
		cmocka_unit_test(test_lenient_input),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_error_path),
		cmocka_unit_test(test_invalid_utf8_object),
		cmocka_unit_test(test_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
