/* Ending the live sessions of an account the administrator disabled or gave a new password. */
#ifndef TAFEL_REVOKE_H
#define TAFEL_REVOKE_H

#include <stdint.h>

/*
 * A notification on the change channel that is not a seq: "end-sessions
 * USER_ID disabled|password" (the users trigger, 88_triggers.sql).
 * Returns 1 when payload was one (handled), 0 otherwise.
 */
int revoke_notice(const char *payload);

/*
 * After the listener (re)connected: a notice sent while it was down is
 * lost, so the logged-in users are asked about once (disabled ones'
 * sessions end).
 */
void revoke_sweep(void);

/*
 * A login the database checked before an account's change committed, but
 * whose session starts after the notice came, would miss it (the notice
 * finds no session of that user yet).  So a login takes revoke_mark()
 * before each database check, and before its session starts asks
 * revoke_missed(): whether a notice for user_id came since (a listener
 * reconnect, which may have lost notices, counts as one for every user;
 * so does a mark that RECENT notices overtook).  If so, the login reads
 * the account again (h-session.c), which tells what changed.
 */
uint64_t revoke_mark(void);
int revoke_missed(int64_t user_id, uint64_t mark);

#endif
