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
 * revoke_missed(): the notices for user_id that came since (REVOKE_*
 * bits; a listener reconnect, which may have lost notices, counts as
 * REVOKE_DISABLED for every user).  Any: the login checks the account
 * again (h-session.c).
 */
#define REVOKE_DISABLED	1u
#define REVOKE_PASSWORD	2u
uint64_t revoke_mark(void);
unsigned revoke_missed(int64_t user_id, uint64_t mark);

#endif
