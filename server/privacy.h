/* What a session may see: redaction of personal data in every answer and event it receives. */
#ifndef TAFEL_PRIVACY_H
#define TAFEL_PRIVACY_H

#include <protobuf-c/protobuf-c.h>

#include "tafel.pb-c.h"

struct conn;

/*
 * Redacts, in place, every Case and Person inside msg that c's session may
 * not see in full: names become initials, birth dates and summaries are
 * removed, and the case says why.  Returns the number of redacted cases.
 */
int privacy_filter_message(struct conn *c, ProtobufCMessage *msg);

/* True when privacy_filter_message leaves c's messages as they are. */
int privacy_sees_personal_data(const struct conn *c);

/* Same for the current record attached to a CONFLICT error. */
void privacy_filter_error(struct conn *c, Tafel__Error *err);

/* Turns a name into initials ("Jeroen van Dijk" -> "J. v. D."); malloc'd. */
char *privacy_initials(const char *name);

#endif
