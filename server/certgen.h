/* The private CA and server certificate made on first start, and client certificates. */
#ifndef TAFEL_CERTGEN_H
#define TAFEL_CERTGEN_H

#include <stddef.h>

/* File names inside the TLS directory. */
#define CERTGEN_CA_CERT		"ca.crt"
#define CERTGEN_CA_KEY		"ca.key"
#define CERTGEN_SERVER_CERT	"server.crt"
#define CERTGEN_SERVER_KEY	"server.key"

/*
 * Makes sure tls_dir (created 0700 if missing; its parent must exist) holds
 * a private CA (ca.crt, ca.key) and a server certificate signed by it
 * (server.crt, server.key). Existing files are reused untouched. names is
 * a NULL-terminated list of extra DNS names or IP literals for the server
 * certificate, or NULL. Returns 0, or -1 with a message in err.
 */
int certgen_ensure(const char *tls_dir, const char *const *names, char *err,
    size_t errlen);

/*
 * Issues a client certificate /O=org/CN=user (clientAuth) valid for days,
 * signed by the CA in tls_dir, to out_cert (0644) and out_key (0600),
 * replacing existing files. Returns 0, or -1 with a message in err.
 */
int certgen_issue_client(const char *tls_dir, const char *org,
    const char *user, const char *out_cert, const char *out_key, int days,
    char *err, size_t errlen);

#endif
