/* The private CA and server certificate made on first start, and client certificates. */
#include "certgen.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "tls.h"

#define CA_DAYS		3652	/* ten years */
#define SERVER_DAYS	730	/* two years */
#define BACKDATE_SECS	300	/* tolerate a client clock a little behind */
#define CN_MAX		64	/* ub-common-name, RFC 5280 */

/* Paths of one certificate and its key. */
struct pair {
	char	crt[PATH_MAX];
	char	key[PATH_MAX];
};

/* Fills err from fmt; with ossl set, appends OpenSSL's queued errors. */
static void __attribute__((format(printf, 4, 5)))
errf(char *err, size_t errlen, int ossl, const char *fmt, ...)
{
	char msg[512], detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ossl)
		tls_err_string(detail, sizeof detail);
	if (err == NULL || errlen == 0)
		return;
	if (ossl)
		snprintf(err, errlen, "%s: %s", msg, detail);
	else
		snprintf(err, errlen, "%s", msg);
}

/* Builds dir/name; -1 if it does not fit. */
static int
path_join(char *out, size_t len, const char *dir, const char *name)
{
	int n = snprintf(out, len, "%s/%s", dir, name);

	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* Sets both paths of a pair; -1 if too long. */
static int
pair_paths(struct pair *p, const char *dir, const char *crt, const char *key)
{
	if (path_join(p->crt, sizeof p->crt, dir, crt) != 0 ||
	    path_join(p->key, sizeof p->key, dir, key) != 0)
		return -1;
	return 0;
}

/* 1 if path exists, 0 if not, -1 on another error (in err). */
static int
exists(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	errf(err, errlen, 0, "%s: %s", path, strerror(errno));
	return -1;
}

/* Passphrase callback that refuses: our keys are never encrypted. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/*
 * Writes a key (if key is not NULL) or else a certificate to path with the
 * given mode: into path.tmp first, synced, then renamed over path.
 */
static int
write_pem(const char *path, mode_t mode, EVP_PKEY *key, X509 *cert,
    char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	FILE *fp;
	int fd, ok;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errf(err, errlen, 0, "%s: path too long", path);
		return -1;
	}
	if (unlink(tmp) != 0 && errno != ENOENT) {
		errf(err, errlen, 0, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd == -1) {
		errf(err, errlen, 0, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (fchmod(fd, mode) != 0 || (fp = fdopen(fd, "w")) == NULL) {
		errf(err, errlen, 0, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (key != NULL)
		ok = PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL);
	else
		ok = PEM_write_X509(fp, cert);
	if (!ok) {
		errf(err, errlen, 1, "writing %s", tmp);
		fclose(fp);
		unlink(tmp);
		return -1;
	}
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		errf(err, errlen, 0, "%s: %s", tmp, strerror(errno));
		fclose(fp);
		unlink(tmp);
		return -1;
	}
	if (fclose(fp) != 0) {
		errf(err, errlen, 0, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		errf(err, errlen, 0, "rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Writes a key (0600) and then its certificate (0644): the cert commits. */
static int
write_pair(const struct pair *p, EVP_PKEY *key, X509 *cert, char *err,
    size_t errlen)
{
	if (write_pem(p->key, 0600, key, NULL, err, errlen) != 0)
		return -1;
	return write_pem(p->crt, 0644, NULL, cert, err, errlen);
}

/* Reads a certificate and its key and checks they belong together. */
static int
read_pair(const struct pair *p, X509 **cert, EVP_PKEY **key, char *err,
    size_t errlen)
{
	FILE *fp;

	*cert = NULL;
	*key = NULL;
	if ((fp = fopen(p->crt, "re")) == NULL) {
		errf(err, errlen, 0, "%s: %s", p->crt, strerror(errno));
		return -1;
	}
	*cert = PEM_read_X509(fp, NULL, no_passphrase, NULL);
	fclose(fp);
	if (*cert == NULL) {
		errf(err, errlen, 1, "reading %s", p->crt);
		return -1;
	}
	if ((fp = fopen(p->key, "re")) == NULL) {
		errf(err, errlen, 0, "%s: %s", p->key, strerror(errno));
		goto fail;
	}
	*key = PEM_read_PrivateKey(fp, NULL, no_passphrase, NULL);
	fclose(fp);
	if (*key == NULL) {
		errf(err, errlen, 1, "reading %s", p->key);
		goto fail;
	}
	if (X509_check_private_key(*cert, *key) != 1) {
		errf(err, errlen, 1, "%s does not match %s", p->key, p->crt);
		goto fail;
	}
	return 0;

fail:
	X509_free(*cert);
	EVP_PKEY_free(*key);
	*cert = NULL;
	*key = NULL;
	return -1;
}

/*
 * New certificate for key: version 3, random 127-bit serial, subject
 * /O=org/CN=cn, valid from a few minutes ago for days. No issuer yet.
 */
static X509 *
cert_new(EVP_PKEY *key, const char *org, const char *cn, int days, char *err,
    size_t errlen)
{
	unsigned char rnd[16];
	ASN1_INTEGER *serial = NULL;
	X509_NAME *name;
	BIGNUM *bn = NULL;
	X509 *cert;

	if ((cert = X509_new()) == NULL)
		goto fail;
	if (!X509_set_version(cert, X509_VERSION_3))
		goto fail;
	if (RAND_bytes(rnd, sizeof rnd) != 1)
		goto fail;
	rnd[0] &= 0x7f;		/* serials are positive */
	rnd[0] |= 0x01;		/* and never zero */
	if ((bn = BN_bin2bn(rnd, sizeof rnd, NULL)) == NULL ||
	    (serial = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    !X509_set_serialNumber(cert, serial))
		goto fail;
	if (X509_gmtime_adj(X509_getm_notBefore(cert), -BACKDATE_SECS) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(cert), days, 0, NULL) == NULL)
		goto fail;
	name = X509_get_subject_name(cert);
	if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	    (const unsigned char *)org, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0))
		goto fail;
	if (!X509_set_pubkey(cert, key))
		goto fail;
	BN_free(bn);
	ASN1_INTEGER_free(serial);
	return cert;

fail:
	errf(err, errlen, 1, "making certificate /O=%s/CN=%s", org, cn);
	BN_free(bn);
	ASN1_INTEGER_free(serial);
	X509_free(cert);
	return NULL;
}

/* Adds one extension given in openssl.cnf syntax, e.g. "critical,CA:TRUE". */
static int
add_ext(X509 *cert, X509 *issuer, int nid, const char *value, char *err,
    size_t errlen)
{
	X509_EXTENSION *ext;
	X509V3_CTX ctx;
	int ok;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	if ((ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value)) == NULL) {
		errf(err, errlen, 1, "extension %s=%s", OBJ_nid2sn(nid), value);
		return -1;
	}
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	if (!ok) {
		errf(err, errlen, 1, "adding extension %s", OBJ_nid2sn(nid));
		return -1;
	}
	return 0;
}

/* 1 if s is an IPv4 or IPv6 literal. */
static int
is_ip(const char *s)
{
	unsigned char addr[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, addr) == 1 ||
	    inet_pton(AF_INET6, s, addr) == 1;
}

/* 1 if s is a plain DNS name: dot-separated labels of [A-Za-z0-9_-]. */
static int
is_dns_name(const char *s)
{
	size_t label = 0, total = 0;

	for (; *s != '\0'; s++, total++) {
		if (*s == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && total <= 253;
}

/*
 * Appends name to the subjectAltName list as IP: or DNS: (lower case),
 * skipping duplicates; also to the printable list in shown.
 */
static int
san_add(GENERAL_NAMES *gens, const char *name, char *shown, size_t shownlen,
    char *err, size_t errlen)
{
	ASN1_OCTET_STRING *ip = NULL;
	ASN1_IA5STRING *ia5 = NULL;
	GENERAL_NAME *gn;
	char lower[256];
	size_t i, used;
	int dup;

	if ((gn = GENERAL_NAME_new()) == NULL)
		goto ossl;
	if (is_ip(name)) {
		if ((ip = a2i_IPADDRESS(name)) == NULL)
			goto ossl;
		GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
	} else if (is_dns_name(name)) {
		for (i = 0; name[i] != '\0'; i++)
			lower[i] = (char)tolower((unsigned char)name[i]);
		lower[i] = '\0';
		name = lower;
		if ((ia5 = ASN1_IA5STRING_new()) == NULL ||
		    !ASN1_STRING_set(ia5, name, -1)) {
			ASN1_IA5STRING_free(ia5);
			goto ossl;
		}
		GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
	} else {
		GENERAL_NAME_free(gn);
		errf(err, errlen, 0, "\"%s\" is neither a DNS name nor an IP "
		    "address", name);
		return -1;
	}
	dup = 0;
	for (i = 0; i < (size_t)sk_GENERAL_NAME_num(gens); i++) {
		if (GENERAL_NAME_cmp(sk_GENERAL_NAME_value(gens, (int)i),
		    gn) == 0)
			dup = 1;
	}
	if (dup) {
		GENERAL_NAME_free(gn);
		return 0;
	}
	if (!sk_GENERAL_NAME_push(gens, gn)) {
		GENERAL_NAME_free(gn);
		goto ossl;
	}
	used = strlen(shown);
	if (used < shownlen)
		snprintf(shown + used, shownlen - used, "%s%s",
		    used > 0 ? ", " : "", name);
	return 0;

ossl:
	errf(err, errlen, 1, "subjectAltName %s", name);
	return -1;
}

/* Adds subjectAltName: localhost, loopback addresses, host and names. */
static int
add_san(X509 *cert, const char *host, const char *const *names,
    char *shown, size_t shownlen, char *err, size_t errlen)
{
	static const char *const fixed[] = { "localhost", "127.0.0.1", "::1" };
	GENERAL_NAMES *gens;
	size_t i;
	int rc = -1;

	shown[0] = '\0';
	if ((gens = sk_GENERAL_NAME_new_null()) == NULL) {
		errf(err, errlen, 1, "subjectAltName");
		return -1;
	}
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		if (san_add(gens, fixed[i], shown, shownlen, err, errlen) != 0)
			goto out;
	}
	if (host != NULL && san_add(gens, host, shown, shownlen, err,
	    errlen) != 0)
		goto out;
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		if (san_add(gens, names[i], shown, shownlen, err, errlen) != 0)
			goto out;
	}
	if (!X509_add1_ext_i2d(cert, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT)) {
		errf(err, errlen, 1, "adding subjectAltName");
		goto out;
	}
	rc = 0;
out:
	GENERAL_NAMES_free(gens);
	return rc;
}

/* Signs cert with the issuer's key and name. */
static int
sign(X509 *cert, X509 *issuer, EVP_PKEY *issuer_key, char *err,
    size_t errlen)
{
	if (!X509_set_issuer_name(cert, X509_get_subject_name(issuer)) ||
	    X509_sign(cert, issuer_key, EVP_sha256()) <= 0) {
		errf(err, errlen, 1, "signing certificate");
		return -1;
	}
	return 0;
}

/* New EC P-256 key. */
static EVP_PKEY *
key_new(char *err, size_t errlen)
{
	EVP_PKEY *key;

	if ((key = EVP_EC_gen("P-256")) == NULL)
		errf(err, errlen, 1, "generating EC P-256 key");
	return key;
}

/* Creates the CA pair; returns its certificate and key to the caller. */
static int
make_ca(const struct pair *p, const char *host, X509 **cert_out,
    EVP_PKEY **key_out, char *err, size_t errlen)
{
	char cn[CN_MAX + 1], fp[TLS_FINGERPRINT_LEN];
	EVP_PKEY *key;
	X509 *cert = NULL;

	snprintf(cn, sizeof cn, "Tafel private CA %.*s",
	    CN_MAX - (int)strlen("Tafel private CA "), host);
	if ((key = key_new(err, errlen)) == NULL)
		return -1;
	if ((cert = cert_new(key, "Tafel", cn, CA_DAYS, err, errlen)) == NULL)
		goto fail;
	if (add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE",
	    err, errlen) != 0 ||
	    add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign",
	    err, errlen) != 0 ||
	    add_ext(cert, cert, NID_subject_key_identifier, "hash",
	    err, errlen) != 0)
		goto fail;
	if (sign(cert, cert, key, err, errlen) != 0)
		goto fail;
	if (write_pair(p, key, cert, err, errlen) != 0)
		goto fail;
	if (tls_cert_fingerprint(cert, fp, sizeof fp) != 0)
		snprintf(fp, sizeof fp, "?");
	log_info("created private CA \"%s\" in %s (SHA-256 %s)", cn, p->crt,
	    fp);
	*cert_out = cert;
	*key_out = key;
	return 0;

fail:
	X509_free(cert);
	EVP_PKEY_free(key);
	return -1;
}

/* Creates the server pair, signed by the CA. */
static int
make_server(const struct pair *p, X509 *ca, EVP_PKEY *ca_key,
    const char *host, const char *const *names, char *err, size_t errlen)
{
	char shown[1024];
	EVP_PKEY *key;
	X509 *cert = NULL;
	int rc = -1;

	if ((key = key_new(err, errlen)) == NULL)
		return -1;
	if ((cert = cert_new(key, "Tafel", "localhost", SERVER_DAYS, err,
	    errlen)) == NULL)
		goto out;
	if (add_ext(cert, ca, NID_basic_constraints, "critical,CA:FALSE",
	    err, errlen) != 0 ||
	    add_ext(cert, ca, NID_key_usage, "critical,digitalSignature",
	    err, errlen) != 0 ||
	    add_ext(cert, ca, NID_ext_key_usage, "serverAuth",
	    err, errlen) != 0 ||
	    add_ext(cert, ca, NID_subject_key_identifier, "hash",
	    err, errlen) != 0 ||
	    add_ext(cert, ca, NID_authority_key_identifier, "keyid:always",
	    err, errlen) != 0)
		goto out;
	if (add_san(cert, host, names, shown, sizeof shown, err, errlen) != 0)
		goto out;
	if (sign(cert, ca, ca_key, err, errlen) != 0)
		goto out;
	if (write_pair(p, key, cert, err, errlen) != 0)
		goto out;
	log_info("created server certificate %s for %s", p->crt, shown);
	rc = 0;
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

/*
 * What to do with a pair: 1 = reuse, 0 = create. The certificate is
 * written last, so a key alone is the trace of an interrupted creation and
 * is replaced; a certificate without its key is an error.
 */
static int
pair_state(const struct pair *p, char *err, size_t errlen)
{
	int crt, key;

	if ((crt = exists(p->crt, err, errlen)) < 0 ||
	    (key = exists(p->key, err, errlen)) < 0)
		return -1;
	if (crt && !key) {
		errf(err, errlen, 0, "%s exists but %s is missing", p->crt,
		    p->key);
		return -1;
	}
	if (!crt && key)
		log_warn("%s without %s (interrupted start?): replacing it",
		    p->key, p->crt);
	return crt;
}

/* Opens (creating 0700 if missing) and locks the TLS directory. */
static int
open_dir(const char *dir, char *err, size_t errlen)
{
	int fd;

	if (mkdir(dir, 0700) == 0)
		log_info("created %s", dir);
	else if (errno != EEXIST) {
		errf(err, errlen, 0, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		errf(err, errlen, 0, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX) != 0) {
		errf(err, errlen, 0, "locking %s: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
certgen_ensure(const char *tls_dir, const char *const *names, char *err,
    size_t errlen)
{
	struct pair ca, srv;
	char host[256];
	const char *hostp = host;
	EVP_PKEY *ca_key = NULL;
	X509 *ca_cert = NULL;
	int dfd, have_ca, have_srv, rc = -1;

	if (pair_paths(&ca, tls_dir, CERTGEN_CA_CERT, CERTGEN_CA_KEY) != 0 ||
	    pair_paths(&srv, tls_dir, CERTGEN_SERVER_CERT,
	    CERTGEN_SERVER_KEY) != 0) {
		errf(err, errlen, 0, "%s: path too long", tls_dir);
		return -1;
	}
	if ((dfd = open_dir(tls_dir, err, errlen)) == -1)
		return -1;
	if ((have_ca = pair_state(&ca, err, errlen)) < 0 ||
	    (have_srv = pair_state(&srv, err, errlen)) < 0)
		goto out;
	if (have_ca && have_srv) {
		rc = 0;
		goto out;
	}

	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	if (!is_dns_name(host)) {
		if (host[0] != '\0')
			log_warn("host name \"%s\" is not a DNS name, not "
			    "adding it to the certificate", host);
		hostp = NULL;
	}

	if (have_ca) {
		if (read_pair(&ca, &ca_cert, &ca_key, err, errlen) != 0)
			goto out;
	} else {
		if (make_ca(&ca, hostp ? hostp : "", &ca_cert, &ca_key, err,
		    errlen) != 0)
			goto out;
		/* A server certificate from an older CA would not verify. */
		if (have_srv)
			log_warn("replacing %s: the CA is new", srv.crt);
	}
	if (make_server(&srv, ca_cert, ca_key, hostp, names, err, errlen) != 0)
		goto out;
	if (fsync(dfd) != 0)
		log_warn("fsync %s: %s", tls_dir, strerror(errno));
	rc = 0;
out:
	X509_free(ca_cert);
	EVP_PKEY_free(ca_key);
	close(dfd);		/* also releases the lock */
	return rc;
}

int
certgen_issue_client(const char *tls_dir, const char *org, const char *user,
    const char *out_cert, const char *out_key, int days, char *err,
    size_t errlen)
{
	char fp[TLS_FINGERPRINT_LEN];
	struct pair ca, out;
	EVP_PKEY *ca_key = NULL, *key = NULL;
	X509 *ca_cert = NULL, *cert = NULL;
	int rc = -1;

	if (days < 1 || days > CA_DAYS) {
		errf(err, errlen, 0, "client certificate validity %d days "
		    "is out of range 1..%d", days, CA_DAYS);
		return -1;
	}
	if (pair_paths(&ca, tls_dir, CERTGEN_CA_CERT, CERTGEN_CA_KEY) != 0 ||
	    snprintf(out.crt, sizeof out.crt, "%s", out_cert) >=
	    (int)sizeof out.crt ||
	    snprintf(out.key, sizeof out.key, "%s", out_key) >=
	    (int)sizeof out.key) {
		errf(err, errlen, 0, "path too long");
		return -1;
	}
	if (read_pair(&ca, &ca_cert, &ca_key, err, errlen) != 0)
		return -1;
	if ((key = key_new(err, errlen)) == NULL)
		goto out;
	if ((cert = cert_new(key, org, user, days, err, errlen)) == NULL)
		goto out;
	if (add_ext(cert, ca_cert, NID_basic_constraints, "critical,CA:FALSE",
	    err, errlen) != 0 ||
	    add_ext(cert, ca_cert, NID_key_usage, "critical,digitalSignature",
	    err, errlen) != 0 ||
	    add_ext(cert, ca_cert, NID_ext_key_usage, "clientAuth",
	    err, errlen) != 0 ||
	    add_ext(cert, ca_cert, NID_authority_key_identifier,
	    "keyid:always", err, errlen) != 0)
		goto out;
	if (sign(cert, ca_cert, ca_key, err, errlen) != 0)
		goto out;
	if (write_pair(&out, key, cert, err, errlen) != 0)
		goto out;
	if (tls_cert_fingerprint(cert, fp, sizeof fp) != 0)
		snprintf(fp, sizeof fp, "?");
	log_info("issued client certificate /O=%s/CN=%s to %s (SHA-256 %s)",
	    org, user, out_cert, fp);
	rc = 0;
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	X509_free(ca_cert);
	EVP_PKEY_free(ca_key);
	return rc;
}
