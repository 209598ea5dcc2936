/* TLS 1.3 contexts for bufferevents, session resumption, peer checks and readable OpenSSL errors. */
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/util.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "log.h"

/* libevent 2.1.12 stores SSL_get_error() codes among real errors. */
#define TLS_BOGUS_ERROR(e) ((e) == SSL_ERROR_SSL || (e) == SSL_ERROR_SYSCALL)

void
tls_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		fatal("sigaction(SIGPIPE)");
	if (!OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS |
	    OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL))
		fatalx("OpenSSL initialisation failed");
}

/* Appends "sep text" to buf at *off, truncating quietly. */
static void
append(char *buf, size_t len, size_t *off, const char *text)
{
	int n;

	if (*off >= len)
		return;
	n = snprintf(buf + *off, len - *off, "%s%s", *off > 0 ? "; " : "",
	    text);
	if (n < 0)
		return;
	*off += (size_t)n < len - *off ? (size_t)n : len - *off - 1;
}

/* Formats one packed OpenSSL error code as "library: reason (data)". */
static void
append_error(char *buf, size_t len, size_t *off, unsigned long e,
    const char *data)
{
	const char *lib, *reason;
	char line[256], raw[128];

	lib = ERR_lib_error_string(e);
	if (ERR_SYSTEM_ERROR(e))
		reason = strerror(ERR_GET_REASON(e));
	else
		reason = ERR_reason_error_string(e);
	if (reason == NULL) {
		ERR_error_string_n(e, raw, sizeof raw);
		reason = raw;
	}
	if (data != NULL && *data != '\0')
		snprintf(line, sizeof line, "%s%s%s (%s)", lib ? lib : "",
		    lib ? ": " : "", reason, data);
	else
		snprintf(line, sizeof line, "%s%s%s", lib ? lib : "",
		    lib ? ": " : "", reason);
	append(buf, len, off, line);
}

void
tls_err_string(char *buf, size_t len)
{
	unsigned long e;
	const char *data;
	size_t off = 0;
	int flags;

	if (len == 0) {
		ERR_clear_error();
		return;
	}
	buf[0] = '\0';
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		if (TLS_BOGUS_ERROR(e))
			continue;
		append_error(buf, len, &off, e,
		    (flags & ERR_TXT_STRING) ? data : NULL);
	}
	if (off == 0)
		snprintf(buf, len, "unknown TLS error");
}

void
tls_bev_err_string(struct bufferevent *bev, char *buf, size_t len)
{
	unsigned long e;
	SSL *ssl;
	long vr;
	size_t off = 0;
	int sockerr = EVUTIL_SOCKET_ERROR();
	char line[160];

	if (len == 0)
		return;
	buf[0] = '\0';
	while ((e = bufferevent_get_openssl_error(bev)) != 0) {
		if (!TLS_BOGUS_ERROR(e))
			append_error(buf, len, &off, e, NULL);
	}
	ssl = bufferevent_openssl_get_ssl(bev);
	if (ssl != NULL && (vr = SSL_get_verify_result(ssl)) != X509_V_OK) {
		snprintf(line, sizeof line, "certificate verification: %s",
		    X509_verify_cert_error_string(vr));
		append(buf, len, &off, line);
	}
	if (off == 0) {
		if (sockerr != 0 && sockerr != EAGAIN && sockerr != EINTR)
			snprintf(buf, len, "%s",
			    evutil_socket_error_to_string(sockerr));
		else
			snprintf(buf, len, "connection closed");
	}
}

/* Fills err with "what path: <OpenSSL errors>"; drains the queue. */
static void
set_err(char *err, size_t errlen, const char *what, const char *path)
{
	char ossl[512];

	tls_err_string(ossl, sizeof ossl);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s%s%s: %s", what, path ? " " : "",
		    path ? path : "", ossl);
}

/* Common part of both contexts: TLS 1.3 only, no surprises on EOF. */
static SSL_CTX *
ctx_new(const SSL_METHOD *method, char *err, size_t errlen)
{
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(method)) == NULL) {
		set_err(err, errlen, "SSL_CTX_new", NULL);
		return NULL;
	}
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)) {
		set_err(err, errlen, "setting TLS 1.3", NULL);
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* Peer closing without close_notify is EOF, not an error. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF |
	    SSL_OP_NO_RENEGOTIATION);
	return ctx;
}

/* Loads a certificate chain and its key, and checks that they match. */
static int
ctx_use_pair(SSL_CTX *ctx, const char *cert_file, const char *key_file,
    char *err, size_t errlen)
{
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
		set_err(err, errlen, "loading certificate", cert_file);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
		set_err(err, errlen, "loading key", key_file);
		return -1;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		set_err(err, errlen, "key does not match certificate",
		    key_file);
		return -1;
	}
	return 0;
}

SSL_CTX *
tls_server_ctx(const char *cert_file, const char *key_file,
    const char *client_ca_file, char *err, size_t errlen)
{
	STACK_OF(X509_NAME) *names;
	SSL_CTX *ctx;

	if ((ctx = ctx_new(TLS_server_method(), err, errlen)) == NULL)
		return NULL;
	/*
	 * Session resumption for reconnecting clients: one stateless TLS 1.3
	 * ticket per handshake, sealed with a key that lives only in this
	 * process (a restart makes the old tickets useless; the next
	 * handshake is a full one).  Resumption keeps the client certificate
	 * of the original handshake (it is in the sealed session), which the
	 * context id ties to this server's verification settings.
	 */
	SSL_CTX_set_num_tickets(ctx, 1);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER |
	    SSL_SESS_CACHE_NO_INTERNAL);
	SSL_CTX_set_timeout(ctx, TLS_SESSION_LIFETIME);
	if (!SSL_CTX_set_session_id_context(ctx, (const unsigned char *)
	    (client_ca_file != NULL ? "tafeld/mtls" : "tafeld"),
	    client_ca_file != NULL ? 11 : 6)) {
		set_err(err, errlen, "setting the session id context", NULL);
		goto fail;
	}
	if (ctx_use_pair(ctx, cert_file, key_file, err, errlen) != 0)
		goto fail;
	if (client_ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, client_ca_file,
		    NULL) != 1) {
			set_err(err, errlen, "loading client CA",
			    client_ca_file);
			goto fail;
		}
		if ((names = SSL_load_client_CA_file(client_ca_file)) == NULL) {
			set_err(err, errlen, "reading client CA names",
			    client_ca_file);
			goto fail;
		}
		SSL_CTX_set_client_CA_list(ctx, names);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
		    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	return ctx;

fail:
	SSL_CTX_free(ctx);
	return NULL;
}

SSL_CTX *
tls_client_ctx(const char *ca_file, const char *cert_file,
    const char *key_file, char *err, size_t errlen)
{
	SSL_CTX *ctx;

	if (ca_file == NULL || (cert_file == NULL) != (key_file == NULL)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "tls_client_ctx: %s",
			    ca_file == NULL ? "no CA file" :
			    "certificate and key must be given together");
		return NULL;
	}
	if ((ctx = ctx_new(TLS_client_method(), err, errlen)) == NULL)
		return NULL;
	if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
		set_err(err, errlen, "loading CA", ca_file);
		goto fail;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (cert_file != NULL &&
	    ctx_use_pair(ctx, cert_file, key_file, err, errlen) != 0)
		goto fail;
	return ctx;

fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* The client's newest resumable session, kept as ex_data of its context. */
static int session_index = -1;

static void
session_slot_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
    long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	SSL_SESSION_free(ptr);
}

/* OpenSSL hands over each session ticket the server sends. */
static int
session_new_cb(SSL *ssl, SSL_SESSION *sess)
{
	SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);

	if (!SSL_SESSION_is_resumable(sess))
		return 0;
	SSL_SESSION_free(SSL_CTX_get_ex_data(ctx, session_index));
	SSL_CTX_set_ex_data(ctx, session_index, sess);
	return 1;	/* we keep the reference */
}

int
tls_client_keep_sessions(SSL_CTX *ctx)
{
	if (session_index < 0)
		session_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL,
		    session_slot_free);
	if (session_index < 0)
		return -1;
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(ctx, session_new_cb);
	return 0;
}

int
tls_client_offer_session(SSL_CTX *ctx, SSL *ssl)
{
	SSL_SESSION *sess;

	if (session_index < 0 ||
	    (sess = SSL_CTX_get_ex_data(ctx, session_index)) == NULL)
		return 0;
	if (!SSL_SESSION_is_resumable(sess) ||
	    SSL_SESSION_get_time(sess) + (long)SSL_SESSION_get_timeout(sess) <=
	    (long)time(NULL)) {
		tls_client_forget_session(ctx);
		return 0;
	}
	return SSL_set_session(ssl, sess) == 1;
}

void
tls_client_forget_session(SSL_CTX *ctx)
{
	if (session_index < 0)
		return;
	SSL_SESSION_free(SSL_CTX_get_ex_data(ctx, session_index));
	SSL_CTX_set_ex_data(ctx, session_index, NULL);
}

SSL *
tls_client_ssl(SSL_CTX *ctx, const char *host)
{
	unsigned char addr[sizeof(struct in6_addr)];
	SSL *ssl;

	if (host == NULL || *host == '\0')
		return NULL;
	if ((ssl = SSL_new(ctx)) == NULL)
		return NULL;
	if (inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1) {
		/* No SNI for IP literals (RFC 6066 section 3). */
		if (!X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host))
			goto fail;
	} else {
		if (!SSL_set_tlsext_host_name(ssl, host))
			goto fail;
		SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (!SSL_set1_host(ssl, host))
			goto fail;
	}
	return ssl;

fail:
	SSL_free(ssl);
	return NULL;
}

int
tls_cert_fingerprint(X509 *cert, char *hex, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n, i;

	if (cert == NULL || X509_digest(cert, EVP_sha256(), md, &n) != 1)
		return -1;
	if (n == 0 || len < (size_t)n * 3)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(hex + i * 3, 4, "%02x%s", md[i], i + 1 < n ? ":" : "");
	return 0;
}
