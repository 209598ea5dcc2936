/* libFuzzer target: one frame payload through unpack, the server's request checks and JSON both ways. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "envelope.h"
#include "frame.h"
#include "pbjson.h"
#include "server.h"
#include "validate.h"

/*
 * tafeld defines this in server/main.c, which is not in libtafeld; the
 * connection code linked in with dispatch.c refers to it.  The checks
 * fuzzed here never touch it.
 */
struct server srv;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: one payload, without the 4-byte length prefix.  Whatever unpacks is
 * run through dispatch_validate() (what the server does before any handler)
 * and the envelope helpers.  Then it is converted to JSON and back: for an
 * envelope that passed validate_message() that must succeed and give the
 * same JSON again (the server stores requests as JSON in its database).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct validate_error verr, gerr;
	Tafel__Envelope *env;
	ProtobufCMessage *back;
	char *json, *json2, perr[256];
	const char *name;
	int valid;

	if ((env = frame_unpack(data, size)) == NULL)
		return 0;
	name = envelope_body_name(env->body_case);
	if (name == NULL)
		abort();
	(void)envelope_body_kind(env->body_case);
	if (dispatch_validate(env, &verr) != 0 && verr.code == 0) {
		fprintf(stderr, "fuzz_request: dispatch_validate failed "
		    "without an error code\n");
		abort();
	}
	valid = validate_message(&env->base, &gerr) == 0;

	json = pbjson_to_string(&env->base);
	if (json == NULL) {
		/* Only for messages nested deeper than PBJSON_MAX_DEPTH,
		 * which the schema cannot express. */
		fprintf(stderr, "fuzz_request: pbjson_to_string gave NULL "
		    "(body %s)\n", name);
		abort();
	}
	back = pbjson_parse(&tafel__envelope__descriptor, json, strlen(json),
	    perr, sizeof perr);
	if (back == NULL && valid) {
		fprintf(stderr, "fuzz_request: valid %s envelope does not "
		    "survive JSON: %s\nJSON: %s\n", name, perr, json);
		abort();
	}
	if (back != NULL && valid) {
		json2 = pbjson_to_string(back);
		if (json2 == NULL || strcmp(json, json2) != 0) {
			fprintf(stderr, "fuzz_request: JSON round trip "
			    "differs\n1: %s\n2: %s\n", json,
			    json2 ? json2 : "(null)");
			abort();
		}
		free(json2);
	}
	if (back != NULL)
		protobuf_c_message_free_unpacked(back, NULL);
	free(json);
	frame_free(env);
	return 0;
}
