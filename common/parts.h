/* Answers larger than one frame: a message's lists split over parts, and joined again. */
#ifndef TAFEL_PARTS_H
#define TAFEL_PARTS_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

/* At most this many frames to one answer (docs/protocol.md 3.2). */
#define PARTS_MAX 8

/*
 * The body of an answer: where m keeps its first set message field (a
 * SubscribeResponse's snapshot, actions, ...), or NULL when none is set.
 */
ProtobufCMessage **parts_body(ProtobufCMessage *m);

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
