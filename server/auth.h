/* Password checks off the event loop (Argon2id worker threads) and login throttling. */
#ifndef TAFEL_AUTH_H
#define TAFEL_AUTH_H

#include <stddef.h>

/*
 * Called on the loop thread with ok = 1 when the password matched, 0 when
 * not; ok = -1 from auth_stop for a check never delivered (tafeld stops):
 * then only free arg.
 */
typedef void (*auth_verify_fn)(void *arg, int ok);

void auth_start(void);
void auth_stop(void);

/*
 * Checks password against an Argon2id hash string in a worker thread.  A
 * NULL or empty hash (unknown user) is checked against a dummy hash so the
 * answer takes as long either way; ok is then 0.  from is the client's
 * address (its limit key): the workers take turns between addresses, the
 * oldest check of the address with the fewest waiting or running first,
 * so a flood of logins from some addresses does not hold up another's.
 */
void auth_verify(const char *hash, const char *password, const char *from,
    auth_verify_fn fn, void *arg);

/* Computes a hash synchronously (tafelctl, tests); 0 on success.  At
 * libsodium's minimum cost when auth_fast_hash() (a test hook). */
int auth_hash_password(const char *password, char *out, size_t outlen);

/* 1 when TAFEL_TEST_FAST_HASH=1 applies (a build with the test hooks). */
int auth_fast_hash(void);

/* Delay (ms) to impose on a login for this user and address now. */
long long auth_throttle_delay(const char *login, const char *ip);
void auth_throttle_failure(const char *login, const char *ip);
void auth_throttle_success(const char *login, const char *ip);
/*
 * A change-channel notice "unlocked LOGIN" (tafelctl user unlock, sent by
 * tafel_unlock): the login's slow-down ends here as its lockout did, from
 * every address; an address's own record (many names failed there) stays.
 * 1 when payload was such a notice.
 */
int  auth_unlock_notice(const char *payload);

#endif
