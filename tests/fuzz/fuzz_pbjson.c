/* libFuzzer target: JSON text (as the server reads it from its database) to an Envelope. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbjson.h"
#include "tafel.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: JSON text, not NUL-terminated (pbjson_parse must not read past
 * size).  A message that parses is also packed, as the server does before
 * sending it, and written back to JSON, which must parse again.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProtobufCMessage *m, *again;
	char err[256], *json;
	uint8_t *buf;
	size_t n;

	m = pbjson_parse(&tafel__envelope__descriptor, (const char *)data,
	    size, err, sizeof err);
	if (m == NULL)
		return 0;
	n = protobuf_c_message_get_packed_size(m);
	if ((buf = malloc(n + 1)) == NULL)
		abort();
	if (protobuf_c_message_pack(m, buf) != n) {
		fprintf(stderr, "fuzz_pbjson: packed size mismatch\n");
		abort();
	}
	free(buf);
	json = pbjson_to_string(m);
	if (json == NULL)
		abort();
	again = pbjson_parse(&tafel__envelope__descriptor, json, strlen(json),
	    err, sizeof err);
	if (again == NULL) {
		fprintf(stderr, "fuzz_pbjson: own output does not parse: %s\n"
		    "JSON: %s\n", err, json);
		abort();
	}
	protobuf_c_message_free_unpacked(again, NULL);
	free(json);
	protobuf_c_message_free_unpacked(m, NULL);
	return 0;
}
