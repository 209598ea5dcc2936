/* Schema migrations (sql/NNNN_name.sql) and function files (sql/functions/), embedded, applied at start-up. */
#include "migrate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* pg_advisory_xact_lock key: "tafel\0\0\1" as a big-endian bigint. */
#define MIGRATE_LOCK_KEY	"8386096566930243585"

/* The server's error for res (or the connection's), without trailing space. */
static const char *
migrate_pgerror(PGconn *conn, const PGresult *res, char *buf, size_t len)
{
	const char *msg;
	size_t n;

	msg = (res != NULL) ? PQresultErrorMessage(res) : "";
	if (*msg == '\0')
		msg = PQerrorMessage(conn);
	if (*msg == '\0')
		msg = "unknown error";
	snprintf(buf, len, "%s", msg);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

/* Runs a statement that returns no rows; -1 with a message on failure. */
static int
migrate_exec(PGconn *conn, const char *sql, char *err, size_t errlen)
{
	PGresult *res;
	char msg[1024];
	int rc = 0;

	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = errbuf_fail(err, errlen, "%s: %s", sql,
		    migrate_pgerror(conn, res, msg, sizeof msg));
	PQclear(res);
	return rc;
}

/* 1-based line of the 1-based character position pos in UTF-8 text. */
static int
migrate_line_of(const char *text, long pos)
{
	const unsigned char *p;
	long chars = 0;
	int line = 1;

	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;	/* continuation byte */
		if (++chars >= pos)
			break;
		if (*p == '\n')
			line++;
	}
	return line;
}

/* Runs one file's text (what: "migration 0003_x" or "function file 10_x.sql"). */
static int
migrate_run_text(PGconn *conn, const char *what, const char *sql, char *err,
    size_t errlen)
{
	PGresult *res;
	ExecStatusType st;
	const char *pos;
	char msg[2048], where[32];

	res = PQexec(conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		where[0] = '\0';
		pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
		if (pos != NULL)
			snprintf(where, sizeof where, " at line %d",
			    migrate_line_of(sql, strtol(pos, NULL, 10)));
		migrate_pgerror(conn, res, msg, sizeof msg);
		PQclear(res);
		return errbuf_fail(err, errlen, "%s failed%s: %s", what, where,
		    msg);
	}
	PQclear(res);
	if (PQtransactionStatus(conn) != PQTRANS_INTRANS)
		return errbuf_fail(err, errlen, "%s ended the transaction (it "
		    "must not COMMIT or ROLLBACK)", what);
	return 0;
}

/* Runs one migration's text and records it in schema_migrations. */
static int
migrate_one(PGconn *conn, const struct migration *m, char *err, size_t errlen)
{
	PGresult *res;
	const char *params[2];
	char msg[2048], what[160], version[16];

	log_info("applying migration %04d_%s", m->version, m->name);
	snprintf(what, sizeof what, "migration %04d_%s", m->version, m->name);
	if (migrate_run_text(conn, what, m->sql, err, errlen) != 0)
		return -1;

	snprintf(version, sizeof version, "%d", m->version);
	params[0] = version;
	params[1] = m->name;
	res = PQexecParams(conn, "INSERT INTO schema_migrations (version, name)"
	    " VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		migrate_pgerror(conn, res, msg, sizeof msg);
		PQclear(res);
		return errbuf_fail(err, errlen, "cannot record migration "
		    "%04d_%s: %s", m->version, m->name, msg);
	}
	PQclear(res);
	return 0;
}

/*
 * The function files: applied, all of them in order, when their hash is not
 * the one schema_code records; then hash and the schema version n recorded.
 * 1 when applied, 0 when already current, -1 on error.
 */
static int
migrate_code(PGconn *conn, const struct sql_code *code, size_t n_code,
    const char *hash, size_t n, char *err, size_t errlen)
{
	PGresult *res;
	const char *params[2];
	char msg[1024], what[160], version[16];
	size_t i;
	int current;

	if (migrate_exec(conn, "CREATE TABLE IF NOT EXISTS schema_code ("
	    "id integer PRIMARY KEY CHECK (id = 1), "
	    "hash text NOT NULL, "
	    "schema_version integer NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", err, errlen) != 0)
		return -1;
	params[0] = hash;
	res = PQexecParams(conn, "SELECT hash = $1 FROM schema_code WHERE id = 1",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		migrate_pgerror(conn, res, msg, sizeof msg);
		PQclear(res);
		return errbuf_fail(err, errlen, "cannot read schema_code: %s",
		    msg);
	}
	current = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (current)
		return 0;

	log_info("applying the SQL functions (%zu files, %.12s)", n_code, hash);
	for (i = 0; i < n_code; i++) {
		snprintf(what, sizeof what, "function file %s", code[i].name);
		if (migrate_run_text(conn, what, code[i].sql, err, errlen) != 0)
			return -1;
	}
	snprintf(version, sizeof version, "%zu", n);
	params[1] = version;
	res = PQexecParams(conn, "INSERT INTO schema_code (id, hash, "
	    "schema_version) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET "
	    "hash = EXCLUDED.hash, schema_version = EXCLUDED.schema_version, "
	    "applied_at = now()", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		migrate_pgerror(conn, res, msg, sizeof msg);
		PQclear(res);
		return errbuf_fail(err, errlen, "cannot record the functions' "
		    "hash: %s", msg);
	}
	PQclear(res);
	return 1;
}

/*
 * Reads schema_migrations into have[1..n] (1 if applied) and returns the
 * highest version in the database (0 if none), or -1 on error.
 */
static long
migrate_read_applied(PGconn *conn, const struct migration *list, size_t n,
    char *have, char *err, size_t errlen)
{
	PGresult *res;
	char msg[1024];
	long v, top = 0;
	int i;

	res = PQexec(conn, "SELECT version, name FROM schema_migrations "
	    "ORDER BY version");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		migrate_pgerror(conn, res, msg, sizeof msg);
		PQclear(res);
		return errbuf_fail(err, errlen, "cannot read "
		    "schema_migrations: %s", msg);
	}
	for (i = 0; i < PQntuples(res); i++) {
		v = strtol(PQgetvalue(res, i, 0), NULL, 10);
		if (v > top)
			top = v;
		if (v < 1 || (size_t)v > n)
			continue;
		have[v] = 1;
		if (strcmp(PQgetvalue(res, i, 1), list[v - 1].name) != 0)
			log_warn("migration %ld is recorded as \"%s\" but "
			    "this tafeld calls it \"%s\"", v,
			    PQgetvalue(res, i, 1), list[v - 1].name);
	}
	PQclear(res);
	return top;
}

int
migrate_apply(PGconn *conn, const struct migration *list, size_t n,
    int *applied_out, char *err, size_t errlen)
{
	return migrate_apply_code(conn, list, n, sql_code, n_sql_code,
	    sql_code_hash, applied_out, err, errlen);
}

/*
 * Migration 0005 creates the server's login role tafel_app when it is
 * missing.  On an existing PostgreSQL the schema owner usually may not
 * create roles: say what the database administrator has to do, instead of
 * PostgreSQL's bare "permission denied to create role" from inside 0005.
 */
static int
migrate_check_app_role(PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	int ok;

	res = PQexec(conn, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE "
	    "rolname = 'tafel_app') OR (SELECT rolcreaterole OR rolsuper FROM "
	    "pg_roles WHERE rolname = current_user), current_user");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		char msg[1024];

		errbuf_fail(err, errlen, "checking the role tafel_app: %s",
		    migrate_pgerror(conn, res, msg, sizeof msg));
		PQclear(res);
		return -1;
	}
	ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	if (!ok)
		errbuf_fail(err, errlen, "the role tafel_app does not exist and "
		    "%s, the schema owner, may not create roles: have the "
		    "database's superuser create it once (CREATE ROLE tafel_app "
		    "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; "
		    "README.md, \"Pointing Tafel at an existing PostgreSQL\"), "
		    "then start again", PQgetvalue(res, 0, 1));
	PQclear(res);
	return ok ? 0 : -1;
}

int
migrate_apply_code(PGconn *conn, const struct migration *list, size_t n,
    const struct sql_code *code, size_t n_code, const char *hash,
    int *applied_out, char *err, size_t errlen)
{
	PGresult *res;
	char *have = NULL;
	long top;
	size_t i;
	int applied = 0;

	if (applied_out != NULL)
		*applied_out = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	for (i = 0; i < n; i++) {
		if (list[i].version != (int)i + 1 || list[i].name == NULL ||
		    list[i].sql == NULL)
			return errbuf_fail(err, errlen, "migration list is not "
			    "numbered 1..%zu (entry %zu)", n, i);
	}
	if (PQstatus(conn) != CONNECTION_OK ||
	    PQtransactionStatus(conn) != PQTRANS_IDLE)
		return errbuf_fail(err, errlen, "migrate_apply: connection "
		    "not idle");

	if (migrate_exec(conn, "BEGIN", err, errlen) != 0)
		return -1;
	if (migrate_exec(conn, "SET LOCAL client_min_messages = warning", err,
	    errlen) != 0 ||
	    migrate_exec(conn, "SELECT pg_advisory_xact_lock("
	    MIGRATE_LOCK_KEY ")", err, errlen) != 0 ||
	    migrate_exec(conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, "
	    "name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", err,
	    errlen) != 0)
		goto fail;

	have = xcalloc(n + 1, 1);
	if ((top = migrate_read_applied(conn, list, n, have, err,
	    errlen)) < 0)
		goto fail;
	if ((size_t)top > n) {
		errbuf_fail(err, errlen, "database schema is at version %ld "
		    "but this tafeld only knows up to %zu: upgrade tafeld "
		    "(refusing to start)", top, n);
		goto fail;
	}
	if (n >= 5 && !have[5] && migrate_check_app_role(conn, err,
	    errlen) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if (have[i + 1])
			continue;
		if ((size_t)top > i + 1)
			log_warn("migration %04d_%s is missing below version "
			    "%ld; applying it now", list[i].version,
			    list[i].name, top);
		if (migrate_one(conn, &list[i], err, errlen) != 0)
			goto fail;
		applied++;
	}
	if (hash != NULL && migrate_code(conn, code, n_code, hash, n, err,
	    errlen) < 0)
		goto fail;

	res = PQexec(conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK ||
	    strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		char msg[1024];

		errbuf_fail(err, errlen, "cannot commit migrations: %s",
		    migrate_pgerror(conn, res, msg, sizeof msg));
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	free(have);
	if (applied > 0)
		log_info("schema now at version %zu (%d migration%s applied)",
		    n, applied, applied == 1 ? "" : "s");
	if (applied_out != NULL)
		*applied_out = applied;
	return 0;

fail:
	free(have);
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
	return -1;
}
