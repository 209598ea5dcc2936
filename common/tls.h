/* TLS 1.3 contexts and error helpers for libevent bufferevents (OpenSSL 3). */
#ifndef TAFEL_TLS_H
#define TAFEL_TLS_H

#include <stddef.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

struct bufferevent;

/* 32 bytes as "ab:cd:...": 32 * 3 - 1 characters plus the NUL. */
#define TLS_FINGERPRINT_LEN 96

/* Process-wide set-up: ignores SIGPIPE, loads OpenSSL's error strings. */
void tls_init(void);

/* How long a TLS session can be resumed (seconds). */
#define TLS_SESSION_LIFETIME 7200

/*
 * Server context: TLS 1.3 only, no renegotiation; one session ticket per
 * handshake (sealed with a per-process key) so a reconnect can resume.
 * If client_ca_file is not NULL, clients must present a certificate signed
 * by it. Returns NULL and fills err on failure; free with SSL_CTX_free.
 */
SSL_CTX *tls_server_ctx(const char *cert_file, const char *key_file,
    const char *client_ca_file, char *err, size_t errlen);

/*
 * Client context: TLS 1.3 only, the server must chain to ca_file (only that
 * file, never the system store). cert_file and key_file are both NULL or
 * both set (client certificate). Returns NULL and fills err on failure.
 */
SSL_CTX *tls_client_ctx(const char *ca_file, const char *cert_file,
    const char *key_file, char *err, size_t errlen);

/*
 * New client SSL for host: a DNS name gets SNI and name verification, an
 * IP literal (no brackets) gets IP verification only. NULL on failure.
 */
SSL *tls_client_ssl(SSL_CTX *ctx, const char *host);

/*
 * Client session resumption: keep_sessions makes ctx remember the newest
 * session ticket the server sends (in memory only); offer_session offers
 * it on a new SSL before the handshake (1 if one was offered); forget
 * drops it.  SSL_session_reused() tells whether the server took it.
 */
int tls_client_keep_sessions(SSL_CTX *ctx);
int tls_client_offer_session(SSL_CTX *ctx, SSL *ssl);
void tls_client_forget_session(SSL_CTX *ctx);

/* Drains the OpenSSL error queue of this thread into one line. */
void tls_err_string(char *buf, size_t len);

/*
 * Same for a failed bufferevent_openssl: libevent 2.1.12 moves OpenSSL's
 * errors into the bufferevent, so read them from there; adds the
 * certificate verification result, or the socket error if there was no
 * TLS error.
 */
void tls_bev_err_string(struct bufferevent *bev, char *buf, size_t len);

/* SHA-256 of the DER certificate as "ab:cd:...". 0, or -1 on error. */
int tls_cert_fingerprint(X509 *cert, char *hex, size_t len);

#endif
