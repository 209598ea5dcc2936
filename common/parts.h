/* Answers larger than one frame: a message's lists split over parts, and joined again. */
#ifndef TAFEL_PARTS_H
#define TAFEL_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/* At most this many frames to one answer (docs/protocol.md 3.2). */
#define PARTS_MAX 8

/*
 * The body of a message: where m keeps its first set message field (an
 * Envelope's answer, a SubscribeResponse's snapshot, ...), or NULL when
 * none is set.
 */
ProtobufCMessage **parts_body(ProtobufCMessage *m);

/*
 * An answer may come in parts when its body (the Envelope's message) has
 * a uint32 field parts_left: where that field is, or NULL.
 */
uint32_t *parts_left_of(ProtobufCMessage *body);

/*
 * The message whose lists an answer in parts spreads over its parts: the
 * body itself, or, when the body has no lists of its own (a
 * SubscribeResponse), the message it carries (its snapshot, actions,
 * ...); NULL when there is none.
 */
ProtobufCMessage **parts_lists_of(ProtobufCMessage **body);

/*
 * Splits m over at most max parts whose lists (repeated fields) together
 * hold m's entries in m's order, each part packing to at most budget
 * bytes: the first part also carries m's other fields, the later ones
 * only list entries.  The parts are shallow copies that point into m's
 * arrays: m must outlive them, and each is released with free(), not
 * free_unpacked.  Returns the number of parts (1 when m fits whole), or 0
 * when m does not fit in max parts (one entry alone over the budget, or
 * too many entries).
 */
size_t parts_split(const ProtobufCMessage *m, size_t budget, size_t max,
    ProtobufCMessage **parts);

/*
 * Moves the entries of every list of src to the end of the same list of
 * dst (both of one type, unpacked by frame_decode: the frame allocator
 * owns their arrays); src keeps its other fields and empty lists.
 * Returns 0, or -1 when memory runs out (both unchanged).
 */
int parts_join(ProtobufCMessage *dst, ProtobufCMessage *src);

#endif
