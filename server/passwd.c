/* Password hashing with Argon2id (libsodium), shared by tafeld and tafelctl. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

/*
 * Tests only (docs/admin.md, "A controllable today"): with
 * TAFEL_TEST_FAST_HASH=1, a build with the test hooks hashes at
 * libsodium's minimum cost, so that the ~150 servers and the demo data
 * of a test run do not each spend an interactive-cost hash (about a
 * tenth of CI's CPU).  Checking a password is unchanged: it takes the
 * cost the stored hash names.  A build without the hooks ignores it.
 */
int
auth_fast_hash(void)
{
#ifdef TAFEL_TEST_HOOKS
	const char *v = getenv("TAFEL_TEST_FAST_HASH");

	return v != NULL && strcmp(v, "1") == 0;
#else
	return 0;
#endif
}

int
auth_hash_password(const char *password, char *out, size_t outlen)
{
	int fast = auth_fast_hash();

	if (outlen < crypto_pwhash_STRBYTES || sodium_init() < 0)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password),
	    fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE);
}
