/* Password hashing with Argon2id (libsodium), shared by tafeld and tafelctl. */
#include <sodium.h>
#include <string.h>

#include "auth.h"

int
auth_hash_password(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES || sodium_init() < 0)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
}
