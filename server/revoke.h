/* Ending the live sessions of an account the administrator disabled or gave a new password. */
#ifndef TAFEL_REVOKE_H
#define TAFEL_REVOKE_H

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

#endif
