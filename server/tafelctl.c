/* tafelctl: the administrator's tool: CA certificate, demo data, organisations, users, series, meetings. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "auth.h"
#include "certgen.h"
#include "config.h"
#include "conninfo.h"
#include "ctl-ops.h"
#include "log.h"
#include "migrate.h"
#include "minutes.h"
#include "paths.h"
#include "pgembed.h"
#include "privdrop.h"
#include "proto.h"
#include "report-csv.h"
#include "report-pdf.h"
#include "server-config.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

struct ctl {
	struct server_config cfg;
	char data_dir[4096];
	struct pgembed pg;
	int pg_started;		/* we started the embedded cluster */
	PGconn *db;
	const char *password_file;
	char password[1100];	/* from password_file, read at start-up */
	char conninfo[8192];	/* of the schema owner, once connected */
	int no_migrate;		/* restore: connect to an empty database */
	int migrated;		/* schema migrations open_db() applied */
	int dir_given;		/* --data-dir on the command line */
	int db_given;		/* --db on the command line */
	const char *config;	/* the configuration file (may be missing) */
	int any_schema;		/* backup: also a schema newer than ours */
};

static struct ctl ctl;

struct ctl_cmd {
	const char *name;	/* "user add" */
	const char *args;	/* usage of the arguments */
	int min_args, max_args;
	int needs_db;
	int (*fn)(int argc, char **argv);
	const char *help;
	const char *report;	/* cmd_report: the query; $1.. = the arguments */
};

static const struct ctl_cmd *current_cmd;	/* the command being run */

static int open_db(void);
static void close_db(void);

/*
 * The output files of report and minutes, opened in main before tafelctl
 * gives up root for the embedded cluster (a root shell's directory stays
 * writable, as for backup), and handed to the command by path.
 */
static const struct {
	const char *cmd;
	const char *opt[3];	/* the options naming a file */
} output_opts[] = {
	{ "report", { "-o", "--pdf", NULL } },
	{ "minutes", { "-o", NULL, NULL } },
};
static struct {
	const char *path;
	FILE *f;
} outputs[4];
static size_t n_outputs;

/* Opens the files the command's arguments name (not "-"), when tafelctl
 * runs as root and will give that up for the embedded cluster; -1
 * printed.  (Like a shell's redirection, a command that then fails leaves
 * the file empty.) */
static int
outputs_open(const char *cmd, int argc, char **argv)
{
	if (geteuid() != 0 || ctl.cfg.db[0] != '\0')
		return 0;
	for (size_t k = 0; k < sizeof output_opts / sizeof output_opts[0]; k++) {
		if (strcmp(output_opts[k].cmd, cmd) != 0)
			continue;
		for (int i = 0; i + 1 < argc; i++)
			for (size_t o = 0; output_opts[k].opt[o] != NULL; o++) {
				const char *path = argv[i + 1];
				FILE *f;

				if (strcmp(argv[i], output_opts[k].opt[o]) != 0 ||
				    strcmp(path, "-") == 0 ||
				    n_outputs == sizeof outputs / sizeof outputs[0])
					continue;
				/* minutes hold personal data: 0600 */
				f = strcmp(cmd, "minutes") == 0 ?
				    minutes_fopen(path) : fopen(path, "w");
				if (f == NULL) {
					fprintf(stderr, "tafelctl: %s: %s\n", path,
					    strerror(errno));
					return -1;
				}
				outputs[n_outputs].path = path;
				outputs[n_outputs++].f = f;
			}
	}
	return 0;
}

/* The stream of an output file (opened by outputs_open, else now: 0600
 * when private, for minutes); NULL
 * printed.  The caller closes it. */
static FILE *
output_file(const char *path, int private)
{
	FILE *f;

	for (size_t i = 0; i < n_outputs; i++)
		if (outputs[i].f != NULL && strcmp(outputs[i].path, path) == 0) {
			f = outputs[i].f;
			outputs[i].f = NULL;
			return f;
		}
	if ((f = private ? minutes_fopen(path) : fopen(path, "w")) == NULL)
		fprintf(stderr, "tafelctl: %s: %s\n", path, strerror(errno));
	return f;
}

/* Closes the output files a command left unused. */
static void
outputs_close(void)
{
	for (size_t i = 0; i < n_outputs; i++)
		if (outputs[i].f != NULL)
			fclose(outputs[i].f);
	n_outputs = 0;
}

/* Runs a parameterised statement; prints the error and returns NULL on failure. */
static PGresult *
q(const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(ctl.db, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

		fprintf(stderr, "tafelctl: %s\n", msg ? msg :
		    PQerrorMessage(ctl.db));
		ctl_disk_full_hint(r, 0);
		PQclear(r);
		return NULL;
	}
	return r;
}

/* One cell padded to w characters (code points, not bytes: "Sûdwest-Fryslân"
 * or "Zoë" in a column pushed the columns after it left). */
static void
print_cell(const char *s, int w, int last)
{
	int n = (int)utf8_length(s);

	fputs(s, stdout);
	for (; n < w; n++)
		putchar(' ');
	fputs(last ? "\n" : "  ", stdout);
}

/* Prints a result as aligned columns. */
static void
print_table(PGresult *r)
{
	int rows = PQntuples(r), cols = PQnfields(r), i, j;
	int w[32] = { 0 };

	for (j = 0; j < cols && j < 32; j++) {
		w[j] = (int)utf8_length(PQfname(r, j));
		for (i = 0; i < rows; i++)
			if ((int)utf8_length(PQgetvalue(r, i, j)) > w[j])
				w[j] = (int)utf8_length(PQgetvalue(r, i, j));
	}
	for (j = 0; j < cols && j < 32; j++)
		print_cell(PQfname(r, j), w[j], j + 1 == cols);
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols && j < 32; j++)
			print_cell(PQgetvalue(r, i, j), w[j], j + 1 == cols);
}

/*
 * A password a login can carry (docs/protocol.md 5.5): at most
 * TAFEL_MAX_PASSWORD bytes of UTF-8 on a single line without control
 * characters.  Anything else was stored, and every login with it was
 * refused (STRING_TOO_LONG, INVALID_ARGUMENT); a line longer than the
 * buffer was cut short without a word.
 */
static int
password_usable(const char *pw, const char *from)
{
	size_t len = strlen(pw);

	if (len > TAFEL_MAX_PASSWORD) {
		fprintf(stderr, "tafelctl: the password from %s is longer than "
		    "%d bytes: no login could use it\n", from,
		    TAFEL_MAX_PASSWORD);
		return -1;
	}
	if (utf8_check(pw, len, 0) != UTF8_OK) {
		fprintf(stderr, "tafelctl: the password from %s is not valid "
		    "UTF-8 or holds a control character (a tab, an escape): no "
		    "login could use it\n", from);
		return -1;
	}
	return 0;
}

/*
 * The terminal's settings while the password prompt has echo off: a ^C
 * (or a hangup, a kill) there gives them back before tafelctl dies of the
 * signal.  A shell without line editing (sh, a script's) was left with
 * echo off, every command typed after unseen.
 */
static struct termios prompt_tty;
static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void
prompt_restore(int sig)
{
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &prompt_tty);
	(void)!write(STDERR_FILENO, "\n", 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads a password from --password-file, or twice from the terminal. */
static int
read_password(char *buf, size_t len)
{
	struct termios old, noecho;
	struct sigaction sa, saved[4];
	char again[1100];
	int tty = isatty(STDIN_FILENO);
	size_t i;

	if (ctl.password_file != NULL) {
		/* Read before privileges were dropped (see main). */
		if (ctl.password[0] == '\0') {
			fprintf(stderr, "tafelctl: %s holds no password\n",
			    ctl.password_file);
			return -1;
		}
		snprintf(buf, len, "%s", ctl.password);
		if (strlen(buf) < 4) {
			fprintf(stderr, "tafelctl: the password in %s is too "
			    "short (minimum 4)\n", ctl.password_file);
			return -1;
		}
		return password_usable(buf, ctl.password_file);
	}
	if (tty) {
		tcgetattr(STDIN_FILENO, &old);
		prompt_tty = old;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = prompt_restore;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < 4; i++)
			sigaction(prompt_signals[i], &sa, &saved[i]);
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
		fprintf(stderr, "New password: ");
	}
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (tty) {
		fprintf(stderr, "\nRepeat: ");
		if (fgets(again, sizeof again, stdin) == NULL)
			again[0] = '\0';
		again[strcspn(again, "\r\n")] = '\0';
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		for (i = 0; i < 4; i++)
			sigaction(prompt_signals[i], &saved[i], NULL);
		fprintf(stderr, "\n");
		if (strcmp(buf, again) != 0) {
			fprintf(stderr, "tafelctl: passwords differ\n");
			return -1;
		}
	}
	if (buf[0] == '\0' && !tty) {
		/* stdin at its end (</dev/null, cron): "too short" misled */
		fprintf(stderr, "tafelctl: no password on standard input: give "
		    "it on its first line, or use --password-file FILE (before "
		    "the command)\n");
		return -1;
	}
	if (strlen(buf) < 4) {
		fprintf(stderr, "tafelctl: password too short (minimum 4)%s\n",
		    tty ? "" : " (read from standard input)");
		return -1;
	}
	return password_usable(buf, tty ? "the terminal" :
	    "standard input");
}

static int
cmd_ca_cert(int argc, char **argv)
{
	char path[4200], line[1024];
	FILE *f;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "%s/tls/ca.crt", ctl.data_dir);
	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "tafelctl: %s: %s (has tafeld started once with "
		    "this data directory?)\n", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof line, f) != NULL)
		fputs(line, stdout);
	fclose(f);
	return 0;
}

/*
 * demo-data [--force]: the demo safety house (85_demo.sql).  It adds 16
 * users whose password is "demo", one of them an admin, and fictional
 * cases: meant for an empty register (a test or demonstration), so a
 * register that holds anything else is refused unless --force.  On a
 * register that has the demo already, nothing is loaded (and said so).
 */
static int
cmd_demo_data(int argc, char **argv)
{
	char hash[256];
	const char *p[1] = { hash };
	PGresult *r;
	int present, force = 0, pms;
	long orgs, users, cases, series;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--force") != 0) {
			fprintf(stderr, "usage: tafelctl %s %s\n",
			    current_cmd->name, current_cmd->args);
			return 2;
		}
		force = 1;
	}
	/* the same test as tafel_demo_data's: the demo's (fictional)
	 * municipality */
	if ((r = q("SELECT EXISTS (SELECT 1 FROM organisations WHERE name = "
	    "'Gemeente Eemland-Twente'), (SELECT count(*) FROM organisations), "
	    "(SELECT count(*) FROM users), (SELECT count(*) FROM cases), "
	    "(SELECT count(*) FROM series)", 0, NULL)) == NULL)
		return 1;
	present = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	orgs = atol(PQgetvalue(r, 0, 1));
	users = atol(PQgetvalue(r, 0, 2));
	cases = atol(PQgetvalue(r, 0, 3));
	series = atol(PQgetvalue(r, 0, 4));
	PQclear(r);
	if (!present && orgs + users + cases + series > 0 && !force) {
		fprintf(stderr, "tafelctl: this register is not empty (%ld "
		    "organisation(s), %ld user(s), %ld case(s), %ld meeting "
		    "series) and holds no demo data: demo-data would add 16 "
		    "users with the password \"demo\", one of them an admin, "
		    "and fictional cases to it; nothing was loaded.  Load the "
		    "demo into an empty data directory (tafelctl -d DIR "
		    "demo-data), or give --force to add it here anyway\n",
		    orgs, users, cases, series);
		return 1;
	}
	if (!present) {
		if (auth_hash_password("demo", hash, sizeof hash) != 0) {
			fprintf(stderr, "tafelctl: cannot hash the demo "
			    "password\n");
			return 1;
		}
		r = PQexecParams(ctl.db, "SELECT tafel_demo_data($1)", 1, NULL,
		    p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			const char *state = PQresultErrorField(r,
			    PG_DIAG_SQLSTATE);
			const char *msg = PQresultErrorField(r,
			    PG_DIAG_MESSAGE_PRIMARY);
			const char *detail = PQresultErrorField(r,
			    PG_DIAG_MESSAGE_DETAIL);

			/* --force beside a record named as one of the
			 * demo's: "duplicate key value violates unique
			 * constraint", which said nothing of what to do */
			if (state != NULL && strcmp(state, "23505") == 0)
				fprintf(stderr, "tafelctl: this register already "
				    "holds a record named as one of the demo's "
				    "(%s), so the demo cannot be added beside it; "
				    "nothing was loaded.  Load the demo into an "
				    "empty data directory (tafelctl -d DIR "
				    "demo-data)\n", detail != NULL ? detail :
				    msg != NULL ? msg : "a unique name");
			else
				fprintf(stderr, "tafelctl: %s\n", msg != NULL ?
				    msg : PQerrorMessage(ctl.db));
			PQclear(r);
			return 1;
		}
		PQclear(r);
	}
	if ((r = q("SELECT count(*) FROM tafel_pm_list()", 0, NULL)) == NULL)
		return 1;
	pms = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (present)
		printf("demo data already present, nothing changed (passwords "
		    "changed since are kept; tafelctl user list shows the "
		    "users)\n");
	else
		printf("demo data loaded: 16 users (tafelctl user list), every "
		    "one with the password \"demo\"; the login admin has the "
		    "admin role\n");
	if (pms == 0)
		printf("no process manager is assigned yet, so nobody screens "
		    "the demo's signals: make one with `tafelctl pm add "
		    "voorzitter DISTRICT` for Enschede, Enschede-Noord and "
		    "Eemland\n");
	return 0;
}

static int
cmd_org_add(int argc, char **argv)
{
	const char *p[3] = { argv[0], argv[1], argc > 2 ? argv[2] : NULL };
	PGresult *r;

	r = q("SELECT tafel_admin_org_add($1, $2, $3)", 3, p);
	if (r == NULL)
		return 1;
	printf("organisation %s added (id %s)\n", argv[0], PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int
cmd_org_disable(int argc, char **argv)
{
	const char *p[1] = { argv[0] };
	PGresult *r;

	(void)argc;
	r = q("SELECT tafel_admin_org_disable($1)", 1, p);
	if (r == NULL)
		return 1;
	printf("organisation %s disabled: no user of it can log in (%s user(s) "
	    "disabled now)\n", argv[0], PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int
cmd_org_enable(int argc, char **argv)
{
	const char *p[1] = { argv[0] };
	PGresult *r;

	(void)argc;
	r = q("SELECT tafel_admin_org_enable($1)", 1, p);
	if (r == NULL)
		return 1;
	printf("organisation %s %s; its users stay disabled until each is "
	    "enabled (tafelctl user enable LOGIN)\n", argv[0],
	    strcmp(PQgetvalue(r, 0, 0), "t") == 0 ? "enabled" :
	    "was not disabled");
	PQclear(r);
	return 0;
}

/*
 * report [orgs|areas] FROM TO|--quarter YYYYQN [-o FILE] [--pdf FILE
 * [--for WHOM]]: the report's totals as CSV (one table) and/or as the
 * steering group's PDF (both tables, bar charts; common/report-pdf.c).
 */
static int
cmd_report_csv(int argc, char **argv)
{
	const char *out = NULL, *pdf = NULL, *who = "Stuurgroep", *quarter = NULL;
	const char *pos[3], *p[2];
	char qfrom[11], qto[11], err[1200];
	int npos = 0, t = -1, rc = 0;
	struct json_object *r;
	PGresult *res;
	FILE *f;

	for (int i = 0; i < argc; i++) {
		const char **opt = strcmp(argv[i], "-o") == 0 ? &out :
		    strcmp(argv[i], "--pdf") == 0 ? &pdf :
		    strcmp(argv[i], "--for") == 0 ? &who :
		    strcmp(argv[i], "--quarter") == 0 ? &quarter : NULL;

		if (opt != NULL && i + 1 < argc)
			*opt = argv[++i];
		else if (opt == NULL && argv[i][0] != '-' && npos < 3)
			pos[npos++] = argv[i];
		else
			goto usage;
	}
	if (npos > 0 && strcmp(pos[0], "orgs") == 0)
		t = REPORT_ORGS;
	else if (npos > 0 && strcmp(pos[0], "areas") == 0)
		t = REPORT_AREAS;
	if (t >= 0) {
		memmove(pos, pos + 1, sizeof pos[0] * 2);
		npos--;
	}
	/* what is wrong, before the usage line */
	if (quarter != NULL && report_quarter(quarter, qfrom, qto) != 0) {
		fprintf(stderr, "tafelctl: %s: not a quarter (e.g. 2026Q4)\n",
		    quarter);
		return 2;
	}
	if (t < 0 && pdf == NULL) {
		fprintf(stderr, "tafelctl: report: which table, orgs or areas "
		    "(as CSV), or --pdf FILE (both tables)?\n");
		goto usage;
	}
	if ((t < 0 && out != NULL) || npos != (quarter != NULL ? 0 : 2) ||
	    who[0] == '\0')
		goto usage;
	if (quarter != NULL) {
		p[0] = qfrom;
		p[1] = qto;
	} else {
		/* exactly YYYY-MM-DD: the database's own reading would take
		 * 03-12-2026 as 12 March, "today" or "July 1 2026" */
		struct validate_error ve;

		for (int i = 0; i < 2; i++)
			if (validate_date(i == 0 ? "FROM" : "TO", pos[i], 1,
			    &ve) != 0) {
				fprintf(stderr, "tafelctl: %s: '%s'\n",
				    ve.message, pos[i]);
				return 2;
			}
		if (strcmp(pos[1], pos[0]) < 0) {
			fprintf(stderr, "tafelctl: TO (%s) lies before FROM "
			    "(%s)\n", pos[1], pos[0]);
			return 2;
		}
		p[0] = pos[0];
		p[1] = pos[1];
	}
	res = q("SELECT tafel_report_build($1::date, $2::date)::text", 2, p);
	if (res == NULL)
		return 1;
	r = json_tokener_parse(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (r == NULL)
		return 1;
	if (t >= 0) {
		if (out == NULL)
			out = "-";
		f = strcmp(out, "-") == 0 ? stdout : output_file(out, 0);
		if (f == NULL) {
			json_object_put(r);
			return 1;
		}
		errno = 0;
		rc = report_write_csv(r, (enum report_table)t, f);
		if ((f != stdout && fclose(f) != 0) || (f == stdout &&
		    fflush(f) != 0))
			rc = -1;
		if (rc != 0)
			fprintf(stderr, "tafelctl: %s: cannot write: %s\n", out,
			    errno != 0 ? strerror(errno) : "write failed");
	}
	if (rc == 0 && pdf != NULL) {
		if ((f = output_file(pdf, 0)) == NULL) {
			json_object_put(r);
			return 1;
		}
		rc = report_write_pdf_to(r, who, f, pdf, err, sizeof err);
		if (fclose(f) != 0 && rc == 0) {
			snprintf(err, sizeof err, "%s: %s", pdf, strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			fprintf(stderr, "tafelctl: %s\n", err);
		else
			printf("report %s to %s for %s written to %s\n", p[0],
			    p[1], who, pdf);
	}
	json_object_put(r);
	return rc == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: tafelctl report [orgs|areas] FROM TO|--quarter "
	    "YYYYQN [-o FILE] [--pdf FILE [--for WHOM]]\n");
	return 2;
}

/* org escalation-contact ORG LOGIN|-: who hears of overdue action points. */
static int
cmd_org_escalation(int argc, char **argv)
{
	const char *p[2] = { argv[0], argv[1] };
	PGresult *r;

	(void)argc;
	r = q("SELECT tafel_set_escalation_contact($1, $2)", 2, p);
	if (r == NULL)
		return 1;
	if (strcmp(argv[1], "-") == 0)
		printf("%s has no escalation contact now\n", PQgetvalue(r, 0, 0));
	else
		printf("escalation contact of %s: %s\n", PQgetvalue(r, 0, 0),
		    argv[1]);
	PQclear(r);
	return 0;
}

/* Runs the command's report query with its arguments and prints a table. */
static int
cmd_report(int argc, char **argv)
{
	const char *params[8] = { NULL };
	const char *p;
	int n = 0, i;
	PGresult *r;

	/* Optional arguments left out are passed as NULL ($N up to 8). */
	for (p = current_cmd->report; (p = strchr(p, '$')) != NULL; p++)
		if (p[1] >= '1' && p[1] <= '8' && p[1] - '0' > n)
			n = p[1] - '0';
	for (i = 0; i < argc && i < 8; i++)
		params[i] = argv[i];
	r = q(current_cmd->report, n, params);
	if (r == NULL)
		return 1;
	print_table(r);
	PQclear(r);
	return 0;
}

static int
cmd_user_add(int argc, char **argv)
{
	char pw[1100], hash[256];
	const char *p[5];
	PGresult *r;

	if (read_password(pw, sizeof pw) != 0)
		return 1;
	if (auth_hash_password(pw, hash, sizeof hash) != 0)
		return 1;
	explicit_bzero(pw, sizeof pw);
	p[0] = argv[0];
	p[1] = argv[1];
	p[2] = argv[2];
	p[3] = argc > 3 ? argv[3] : "member";
	p[4] = hash;
	r = q("SELECT tafel_admin_user_add($1, $2, $3, $4, $5)", 5, p);
	if (r == NULL)
		return 1;
	printf("user %s added (id %s)\n", argv[0], PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

/*
 * user roles LOGIN ROLES: replaces a user's roles (checked as for user
 * add).  The server reads the roles at every request, so the rights
 * change at once.  A user who can no longer chair but is a series' usual
 * chair or chairs meetings still to come is named: those need another
 * chair.
 */
static int
cmd_user_roles(int argc, char **argv)
{
	const char *p[2] = { argv[0], argv[1] };
	PGresult *r;
	char *was;

	(void)argc;
	if ((r = q("SELECT tafel_admin_user_roles($1, $2)", 2, p)) == NULL)
		return 1;
	was = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	if ((r = q("SELECT array_to_string(roles, ','), roles && "
	    "ARRAY['chair', 'admin'], (SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM series s WHERE "
	    "s.usual_chair_id = u.id), (SELECT count(*) FROM meetings m WHERE "
	    "m.chair_id = u.id AND m.state = 'planned' AND m.scheduled_start >= "
	    "now()) FROM users u WHERE login = $1", 1, p)) == NULL ||
	    PQntuples(r) != 1) {
		PQclear(r);
		free(was);
		return 1;
	}
	if (strcmp(was, PQgetvalue(r, 0, 0)) == 0)
		printf("user %s: roles %s (unchanged)\n", argv[0],
		    PQgetvalue(r, 0, 0));
	else
		printf("user %s: roles %s (were %s)\n", argv[0],
		    PQgetvalue(r, 0, 0), was);
	if (strcmp(PQgetvalue(r, 0, 1), "t") != 0 &&
	    (!PQgetisnull(r, 0, 2) || atol(PQgetvalue(r, 0, 3)) > 0))
		fprintf(stderr, "tafelctl: note: %s can no longer chair, but is "
		    "the usual chair of %s and chairs %s planned meeting(s): "
		    "give those another chair (tafelctl series chair SERIES "
		    "LOGIN, tafelctl meeting chair ID LOGIN; tafelctl meeting "
		    "list shows them)\n", argv[0],
		    PQgetisnull(r, 0, 2) ? "no series" : PQgetvalue(r, 0, 2),
		    PQgetvalue(r, 0, 3));
	PQclear(r);
	free(was);
	return 0;
}

/* Sets users.disabled for one login. */
static int
set_disabled(const char *login, const char *value)
{
	const char *p[2] = { login, value };
	PGresult *r;
	int n;

	r = q("UPDATE users SET disabled = $2::boolean, version = version + 1 "
	    "WHERE login = $1", 2, p);
	if (r == NULL)
		return 1;
	n = atoi(PQcmdTuples(r));
	PQclear(r);
	if (n == 0) {
		fprintf(stderr, "tafelctl: no user '%s' (tafelctl user "
		    "list)\n", login);
		return 1;
	}
	printf("user %s %s\n", login, strcmp(value, "true") == 0 ? "disabled" :
	    "enabled");
	return 0;
}

/*
 * user disable LOGIN (someone who left): what the user still holds for
 * others is named, or it stays with an account nobody can use -- a
 * series' usual chair (the meetings planned without --chair), the chair
 * of meetings to come, a process manager (the district's new signals),
 * an organisation's escalation contact.
 */
static int
cmd_user_disable(int argc, char **argv)
{
	const char *p[1] = { argv[0] };
	PGresult *r;
	long meetings;

	(void)argc;
	if (set_disabled(argv[0], "true") != 0)
		return 1;
	if ((r = q("SELECT (SELECT string_agg(s.name, ', ' ORDER BY s.name) "
	    "FROM series s WHERE s.usual_chair_id = u.id), (SELECT count(*) "
	    "FROM meetings m WHERE m.chair_id = u.id AND (m.state = 'open' OR "
	    "(m.state = 'planned' AND m.scheduled_start >= now()))), (SELECT "
	    "string_agg(p.district || CASE WHEN p.theme = '' THEN '' ELSE ' ' "
	    "|| p.theme END, ', ' ORDER BY p.district, p.theme) FROM "
	    "process_managers p WHERE p.user_id = u.id), (SELECT "
	    "string_agg(o.name, ', ' ORDER BY o.name) FROM organisations o "
	    "WHERE o.escalation_contact_id = u.id) FROM users u WHERE login = "
	    "$1", 1, p)) == NULL || PQntuples(r) != 1) {
		PQclear(r);
		return 1;
	}
	meetings = atol(PQgetvalue(r, 0, 1));
	if (!PQgetisnull(r, 0, 0))
		fprintf(stderr, "tafelctl: note: %s is the usual chair of "
		    "the series %s (the chair of its meetings planned without "
		    "--chair): give each series another (tafelctl series chair "
		    "SERIES LOGIN)\n", argv[0], PQgetvalue(r, 0, 0));
	if (meetings > 0)
		fprintf(stderr, "tafelctl: note: %s chairs %ld planned or open "
		    "meeting(s): give each another chair (tafelctl meeting "
		    "chair ID LOGIN; tafelctl meeting list shows them)\n",
		    argv[0], meetings);
	if (!PQgetisnull(r, 0, 2))
		fprintf(stderr, "tafelctl: note: %s is process manager of %s, "
		    "and screens no signals while disabled: make another "
		    "(tafelctl pm add LOGIN DISTRICT [THEME]) and end this one "
		    "(tafelctl pm remove %s DISTRICT [THEME])\n", argv[0],
		    PQgetvalue(r, 0, 2), argv[0]);
	if (!PQgetisnull(r, 0, 3))
		fprintf(stderr, "tafelctl: note: %s is the escalation contact of "
		    "%s: its overdue action points reach nobody now (tafelctl "
		    "org escalation-contact ORG LOGIN)\n", argv[0],
		    PQgetvalue(r, 0, 3));
	PQclear(r);
	return 0;
}

static int
cmd_user_enable(int argc, char **argv)
{
	(void)argc;
	return set_disabled(argv[0], "false");
}

/* Whether sql (one parameter, arg) finds a row: 1 or 0, -1 when the
 * query failed (q() said why). */
static int
row_exists(const char *sql, const char *arg)
{
	const char *p[1] = { arg };
	PGresult *r = q(sql, 1, p);
	int n;

	if (r == NULL)
		return -1;
	n = PQntuples(r) > 0;
	PQclear(r);
	return n;
}

static int
cmd_user_passwd(int argc, char **argv)
{
	char pw[1100], hash[256];
	const char *p[2] = { argv[0], hash };
	PGresult *r;
	int n;

	(void)argc;
	/* an unknown login is named before the password is asked for */
	if ((n = row_exists("SELECT 1 FROM users WHERE login = $1",
	    argv[0])) <= 0) {
		if (n == 0)
			fprintf(stderr, "tafelctl: no user '%s' (tafelctl user "
			    "list)\n", argv[0]);
		return 1;
	}
	if (read_password(pw, sizeof pw) != 0)
		return 1;
	if (auth_hash_password(pw, hash, sizeof hash) != 0)
		return 1;
	explicit_bzero(pw, sizeof pw);
	r = q("UPDATE users SET password_hash = $2, version = version + 1 "
	    "WHERE login = $1", 2, p);
	if (r == NULL)
		return 1;
	n = atoi(PQcmdTuples(r));
	PQclear(r);
	if (n == 0) {
		fprintf(stderr, "tafelctl: no user '%s' (tafelctl user "
		    "list)\n", argv[0]);
		return 1;
	}
	printf("password of %s set\n", argv[0]);
	return 0;
}

/* The note for a theme or district used for the first time
 * (tafel_admin_new_words; a typo would otherwise make a new one), looked
 * up before the command adds it and printed (note_print) only once the
 * command succeeded; NULL when there is none. */
static char *
note_new_words(const char *themes, const char *district)
{
	const char *p[2] = { themes, district };
	PGresult *r = q("SELECT tafel_admin_new_words($1, $2)", 2, p);
	char *note = NULL;

	if (r == NULL)
		return NULL;
	if (PQgetvalue(r, 0, 0)[0] != '\0')
		note = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return note;
}

static void
note_print(char *note)
{
	if (note != NULL)
		fprintf(stderr, "tafelctl: note: %s\n", note);
	free(note);
}

static int
cmd_series_add(int argc, char **argv)
{
	const char *p[5] = { argv[0], argv[1], argv[2], argc > 3 ? argv[3] :
	    "", argc > 4 ? argv[4] : NULL };
	PGresult *r;

	char *note = note_new_words(p[2], p[3]);

	r = q("SELECT tafel_admin_series_add($1, $2, $3, $4, $5)", 5, p);
	if (r == NULL) {
		free(note);
		return 1;
	}
	printf("meeting series %s added (id %s)\n", argv[0],
	    PQgetvalue(r, 0, 0));
	PQclear(r);
	note_print(note);
	return 0;
}

static int
cmd_series_member(int argc, char **argv)
{
	const char *p[2] = { argv[0], argv[1] };
	PGresult *r;

	(void)argc;
	r = q("SELECT tafel_admin_series_member($1, $2)", 2, p);
	if (r == NULL)
		return 1;
	printf("%s is a member of %s%s\n", argv[1], argv[0],
	    strcmp(PQgetvalue(r, 0, 0), "t") == 0 ? "" : " (it was already)");
	PQclear(r);
	return 0;
}

static int
cmd_user_unlock(int argc, char **argv)
{
	const char *p[1] = { argv[0] };
	PGresult *r;

	(void)argc;
	if ((r = q("SELECT tafel_unlock($1)", 1, p)) == NULL)
		return 1;
	PQclear(r);
	printf("user %s unlocked\n", argv[0]);
	return 0;
}

/* Revokes every resume ticket of a user: their sessions need the password again. */
static int
cmd_user_revoke_tickets(int argc, char **argv)
{
	const char *p[1] = { argv[0] };
	PGresult *r;

	(void)argc;
	if ((r = q("SELECT tafel_revoke_tickets($1)", 1, p)) == NULL)
		return 1;
	printf("revoked %s resume ticket(s) of %s\n", PQgetvalue(r, 0, 0),
	    argv[0]);
	PQclear(r);
	return 0;
}

/* 1 when an organisation is named org (or has that id); else says so. */
static int
org_known(const char *org)
{
	int found = row_exists("SELECT 1 FROM organisations WHERE name = $1 "
	    "OR id::text = $1", org);

	if (found == 0)
		fprintf(stderr, "tafelctl: no organisation named '%s' (tafelctl "
		    "org list)\n", org);
	return found > 0;
}

/*
 * cert issue: the organisation must exist and the login be an enabled user
 * of it.  Checked in a child process, which opens the database (and gives
 * up root for the embedded cluster), so that this one keeps the right to
 * write the files where the administrator is.  0 when it holds.
 */
static int
cert_check(const char *org, const char *login)
{
	const char *p[2] = { org, login };
	PGresult *r;
	pid_t pid;
	int st, rc = 1;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "tafelctl: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* the organisation first: "Nope" is no organisation, not
		 * one the user happens not to belong to */
		if (open_db() == 0 && org_known(org) &&
		    (r = q("SELECT u.disabled, o.name = $1 OR "
		    "o.id::text = $1, o.name FROM users u JOIN organisations o ON "
		    "o.id = u.org_id WHERE u.login = $2", 2, p)) != NULL) {
			if (PQntuples(r) == 0)
				fprintf(stderr, "tafelctl: no user '%s' (tafelctl "
				    "user list)\n", login);
			else if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
				fprintf(stderr, "tafelctl: %s is a user of %s, not "
				    "of %s\n", login, PQgetvalue(r, 0, 2), org);
			else if (strcmp(PQgetvalue(r, 0, 0), "t") == 0)
				fprintf(stderr, "tafelctl: %s is disabled: "
				    "enable the user first (tafelctl user enable "
				    "%s)\n", login, login);
			else
				rc = 0;
			PQclear(r);
		}
		close_db();
		fflush(NULL);
		_exit(rc);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int
cmd_cert_issue(int argc, char **argv)
{
	char tlsdir[4200], cert[4300], key[4300], err[512], *end;
	long days = 365;
	struct stat st;

	if (argc > 2) {
		errno = 0;
		days = strtol(argv[2], &end, 10);
		if (errno != 0 || end == argv[2] || *end != '\0' || days < 1 ||
		    days > 3650) {
			fprintf(stderr, "tafelctl: DAYS \"%s\": a number of days "
			    "from 1 to 3650\n", argv[2]);
			return 2;
		}
	}
	snprintf(tlsdir, sizeof tlsdir, "%s/tls", ctl.data_dir);
	snprintf(cert, sizeof cert, "%s.crt", argv[1]);
	snprintf(key, sizeof key, "%s.key", argv[1]);
	/* an issued key is the user's: never overwritten */
	if (stat(cert, &st) == 0 || stat(key, &st) == 0) {
		fprintf(stderr, "tafelctl: %s exists here: move it away first "
		    "(tafelctl never overwrites an issued certificate or key)\n",
		    stat(cert, &st) == 0 ? cert : key);
		return 1;
	}
	if (cert_check(argv[0], argv[1]) != 0)
		return 1;
	/* as ca-cert says it: a data directory no tafeld started on (or
	 * the wrong one) has no CA yet */
	{
		char ca[4300];

		snprintf(ca, sizeof ca, "%s/ca.crt", tlsdir);
		if (access(ca, F_OK) != 0 && errno == ENOENT) {
			fprintf(stderr, "tafelctl: %s: %s (has tafeld started "
			    "once with this data directory?)\n", ca,
			    strerror(ENOENT));
			return 1;
		}
	}
	if (certgen_issue_client(tlsdir, argv[0], argv[1], cert, key, (int)days,
	    err, sizeof err) != 0) {
		fprintf(stderr, "tafelctl: %s\n", err);
		return 1;
	}
	printf("issued %s and %s for %s of %s (%ld days)\n", cert, key, argv[1],
	    argv[0], days);
	return 0;
}

/* The least retention the configuration accepts, in ms (server-config.c). */
static long long
retention_min(void)
{
	for (const struct conf_param *p = server_params; p->name != NULL; p++)
		if (strcmp(p->name, "retention") == 0)
			return p->min;
	return 86400000;
}

static int
cmd_purge(int argc, char **argv)
{
	char secs[32];
	const char *p[2] = { secs, "false" };
	PGresult *r;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			p[1] = "true";
		else {
			long long ms = conf_parse_duration(argv[i]);

			if (ms < 0) {
				fprintf(stderr, "tafelctl: purge: \"%s\" is "
				    "neither --dry-run nor a duration such as "
				    "1826d\n", argv[i]);
				return 2;
			}
			/* the retention setting's range: "0" (a slip for
			 * --dry-run?) would anonymise every case closed */
			if (ms < retention_min()) {
				fprintf(stderr, "tafelctl: purge: OLDER-THAN "
				    "\"%s\" is less than 1d, the least the "
				    "retention setting allows: it would anonymise "
				    "cases closed moments ago; nothing was done "
				    "(give e.g. 1826d)\n", argv[i]);
				return 2;
			}
			ctl.cfg.retention = ms;
		}
	}
	snprintf(secs, sizeof secs, "%lld", ctl.cfg.retention / 1000);
	r = q("SELECT case_number, to_char(closed_at, 'YYYY-MM-DD') AS closed, "
	    "action FROM tafel_purge(make_interval(secs => $1::bigint), "
	    "$2::boolean)", 2, p);
	if (r == NULL)
		return 1;
	print_table(r);
	{
		int done = 0, held = 0;

		for (i = 0; i < PQntuples(r); i++)
			if (strcmp(PQgetvalue(r, i, 2), "skipped_legal_hold") == 0)
				held++;
			else
				done++;
		printf("%d case(s) %s, %d kept under legal hold\n", done,
		    strcmp(p[1], "true") == 0 ? "would be anonymised (dry run)" :
		    "anonymised", held);
	}
	PQclear(r);
	return 0;
}

static int
set_hold(const char *number, const char *on)
{
	const char *p[2] = { number, on };
	PGresult *r;

	if ((r = q("SELECT tafel_set_legal_hold($1, $2::boolean)", 2, p)) ==
	    NULL)
		return 1;
	PQclear(r);
	printf("case %s: legal hold %s\n", number, strcmp(on, "true") == 0 ?
	    "on" : "off");
	return 0;
}

static int
cmd_case_hold(int argc, char **argv)
{
	(void)argc;
	return set_hold(argv[0], "true");
}

static int
cmd_case_release(int argc, char **argv)
{
	(void)argc;
	return set_hold(argv[0], "false");
}

/* A whole number from lo to hi in s; 0 and *out, or -1. */
static int
parse_days(const char *s, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && *out >= lo &&
	    *out <= hi ? 0 : -1;
}

/*
 * clock-kind set NAME LABEL DAYS MAX-TOTAL|- yes|no [ORG-KIND
 * DAYS-BEFORE]: the numbers checked here, each named (the table's own
 * checks would only name a constraint), then tafel_clock_kind_set.
 */
static int
cmd_clock_kind_set(int argc, char **argv)
{
	long days, max = 0, before;
	int i;

	for (i = 0; argv[0][i] != '\0'; i++)
		if (!((argv[0][i] >= 'a' && argv[0][i] <= 'z') || (i > 0 &&
		    ((argv[0][i] >= '0' && argv[0][i] <= '9') ||
		    argv[0][i] == '_'))))
			break;
	if (i == 0 || argv[0][i] != '\0') {
		fprintf(stderr, "tafelctl: NAME '%s': lowercase letters, digits "
		    "and _, starting with a letter (e.g. huisverbod)\n",
		    argv[0]);
		return 2;
	}
	if (argv[1][strspn(argv[1], " \t")] == '\0') {
		fprintf(stderr, "tafelctl: LABEL: give the name users see (e.g. "
		    "huisverbod)\n");
		return 2;
	}
	if (parse_days(argv[2], 0, 3650, &days) != 0) {
		fprintf(stderr, "tafelctl: DAYS '%s': a number of days from 0 to "
		    "3650 (0: the end is given per clock)\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[3], "-") != 0 &&
	    parse_days(argv[3], 1, 3650, &max) != 0) {
		fprintf(stderr, "tafelctl: MAX-TOTAL '%s': a number of days from "
		    "1 to 3650, or - (no extension)\n", argv[3]);
		return 2;
	}
	if (max > 0 && max < days) {
		fprintf(stderr, "tafelctl: MAX-TOTAL %ld is less than DAYS %ld: "
		    "extensions reach at most MAX-TOTAL days in all, the first "
		    "period included; give at least %ld, or - (no extension)\n",
		    max, days, days);
		return 2;
	}
	if (argc == 6) {
		fprintf(stderr, "tafelctl: ORG-KIND needs DAYS-BEFORE (the days "
		    "before the end it is told)\n");
		return 2;
	}
	if (argc == 7 && parse_days(argv[6], 0, 365, &before) != 0) {
		fprintf(stderr, "tafelctl: DAYS-BEFORE '%s': a number of days "
		    "from 0 to 365\n", argv[6]);
		return 2;
	}
	return cmd_report(argc, argv);
}

/* Process managers of a district (THEME "" or omitted: every theme). */
static int
cmd_pm_add(int argc, char **argv)
{
	const char *p[3] = { argv[0], argv[1], argc > 2 ? argv[2] : "" };
	PGresult *r;

	char *note = note_new_words(p[2], p[1]);

	if ((r = q("SELECT tafel_pm_add($1, $2, $3)", 3, p)) == NULL) {
		free(note);
		return 1;
	}
	PQclear(r);
	printf("%s is process manager of %s, %s\n", p[0], p[1],
	    p[2][0] ? p[2] : "every theme");
	note_print(note);
	return 0;
}

static int
cmd_pm_remove(int argc, char **argv)
{
	const char *p[3] = { argv[0], argv[1], argc > 2 ? argv[2] : "" };
	PGresult *r;
	int found;

	if ((r = q("SELECT tafel_pm_remove($1, $2, $3)", 3, p)) == NULL)
		return 1;
	found = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!found) {
		fprintf(stderr, "tafelctl: %s is no process manager of %s, %s\n",
		    p[0], p[1], p[2][0] ? p[2] : "every theme");
		return 1;
	}
	printf("%s is no longer process manager of %s, %s\n", p[0], p[1],
	    p[2][0] ? p[2] : "every theme");
	return 0;
}

static int
cmd_access_set(int argc, char **argv)
{
	const char *p[2] = { argv[0], argc > 1 ? argv[1] : "" };
	PGresult *r;

	r = q("SELECT array_to_string(tafel_admin_access_set($1, $2), ',')", 2,
	    p);
	if (r == NULL)
		return 1;
	printf("%s may see: %s\n", argv[0], PQgetvalue(r, 0, 0)[0] ?
	    PQgetvalue(r, 0, 0) : "(nothing)");
	PQclear(r);
	return 0;
}

/*
 * Meetings (planning): through tafel_write, as a user (--as LOGIN; by
 * default the series' usual chair or the meeting's chair), so that the
 * rules, the change log and the live push are those of the client.
 */

/*
 * The acting user's id as text, or NULL (printed).  Without --as it is the
 * one fallback_sql finds (who: "the series' usual chair", "the meeting's
 * chair"); when that user is disabled (left the organisation) the write
 * would be refused as "unknown or disabled user", which named nobody and
 * no way out: said here, with what to do (hint).  who NULL: no such check
 * (meeting chair hands a departed chair's meeting on as that chair).
 */
static char *
acting_user(const char *login, const char *fallback_sql, const char *arg,
    const char *who, const char *hint)
{
	const char *p[1];
	PGresult *r;
	char *id;

	if (login != NULL) {
		p[0] = login;
		r = q("SELECT id FROM users WHERE login = $1 AND NOT disabled",
		    1, p);
	} else {
		p[0] = arg;
		r = q(fallback_sql, 1, p);
	}
	if (r == NULL)
		return NULL;
	if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0)) {
		if (login != NULL)
			fprintf(stderr, "tafelctl: --as %s: no such user, or the "
			    "user is disabled (tafelctl user list)\n", login);
		else
			fprintf(stderr, "tafelctl: no user to act as; give --as "
			    "LOGIN\n");
		PQclear(r);
		return NULL;
	}
	id = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (login == NULL && who != NULL) {
		p[0] = id;
		if ((r = q("SELECT login FROM users WHERE id::text = $1 AND "
		    "disabled", 1, p)) == NULL) {
			free(id);
			return NULL;
		}
		if (PQntuples(r) > 0) {
			fprintf(stderr, "tafelctl: %s, %s, is disabled, and "
			    "tafelctl acts as them without --as: give --as "
			    "LOGIN (an enabled chair or admin)%s\n", who,
			    PQgetvalue(r, 0, 0), hint);
			PQclear(r);
			free(id);
			return NULL;
		}
		PQclear(r);
	}
	return id;
}

/* A fresh idempotency key for one write of this run. */
static const char *
ctl_key(void)
{
	static char key[64];
	static unsigned n;

	snprintf(key, sizeof key, "tafelctl-%ld-%d-%u", (long)time(NULL),
	    (int)getpid(), n++);
	return key;
}

/* The value of option NAME (--name VALUE) in argv, or NULL. */
static const char *
opt_value(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* Every argument is a known --option followed by its value. */
static int
opts_valid(int argc, char **argv, const char *const *known)
{
	for (int i = 0; i < argc; i += 2) {
		const char *const *k;

		for (k = known; *k != NULL; k++)
			if (strcmp(argv[i], *k) == 0)
				break;
		if (*k == NULL || i + 1 >= argc) {
			fprintf(stderr, "tafelctl: %s: %s\n", argv[i], *k == NULL ?
			    "unknown option" : "needs a value");
			return -1;
		}
	}
	return 0;
}

#define SERIES_SQL "tafel_admin_plan_series($1)"

/* YYYY-MM-DD, a date of the calendar (2027-02-30 is not). */
#define DATE_FORM "an existing date as YYYY-MM-DD"
static int
is_iso_date(const char *s)
{
	struct validate_error e;

	return validate_date("date", s, 1, &e) == 0;
}

/* HH:MM, 00:00 to 23:59. */
static int
is_hhmm(const char *s)
{
	return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' &&
	    s[1] >= '0' && s[1] <= '9' && s[3] >= '0' && s[3] <= '5' &&
	    s[4] >= '0' && s[4] <= '9' && (s[0] < '2' || s[1] <= '3');
}

/* The dates and the time of a plan or a move in their one form; 0 or
 * printed and -1. */
static int
check_when(const char *what, const char *value, int (*ok)(const char *),
    const char *form)
{
	if (value == NULL || ok(value))
		return 0;
	fprintf(stderr, "tafelctl: %s \"%s\": give %s\n", what, value, form);
	return -1;
}

/* The columns a meeting row (m, a Meeting's JSON) is printed with. */
#define MEETING_COLS "to_char(to_timestamp((m ->> 'scheduled_start')::" \
	"bigint) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI Dy') " \
	"AS start, m ->> 'id' AS id, m ->> 'series_name' AS series"

/* --chair LOGIN: an enabled user with the chair (or admin) role, said in
 * tafelctl's terms (the write's own refusal names no command); 0 or
 * printed and -1. */
static int
check_chair(const char *login)
{
	const char *p[1] = { login };
	PGresult *r;
	int rc = -1;

	if (login == NULL)
		return 0;
	if ((r = q("SELECT disabled, roles && ARRAY['chair', 'admin'] FROM "
	    "users WHERE login = $1", 1, p)) == NULL)
		return -1;
	if (PQntuples(r) == 0)
		fprintf(stderr, "tafelctl: --chair: no user '%s' (tafelctl user "
		    "list)\n", login);
	else if (strcmp(PQgetvalue(r, 0, 0), "t") == 0)
		fprintf(stderr, "tafelctl: --chair: %s is disabled (tafelctl "
		    "user enable %s)\n", login, login);
	else if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
		fprintf(stderr, "tafelctl: --chair: %s cannot chair meetings: "
		    "give the user the chair role first (tafelctl user roles %s "
		    "chair,member)\n", login, login);
	else
		rc = 0;
	PQclear(r);
	return rc;
}

static const char *const weekdays[] = { "mon", "tue", "wed", "thu", "fri",
    "sat", "sun", NULL };

static int
cmd_meeting_plan(int argc, char **argv)
{
	static const char *const known[] = { "--series", "--time", "--date",
	    "--weekday", "--from", "--every", "--until", "--chair", "--as",
	    NULL };
	const char *series = opt_value(argc, argv, "--series");
	const char *tm = opt_value(argc, argv, "--time");
	const char *date = opt_value(argc, argv, "--date");
	const char *wd = opt_value(argc, argv, "--weekday");
	const char *every = opt_value(argc, argv, "--every");
	const char *until = opt_value(argc, argv, "--until");
	const char *p[10];
	char *uid, weeks[16];
	PGresult *r;
	long n = 0;
	char *end;

	if (opts_valid(argc, argv, known) != 0)
		return 2;
	if (series == NULL || tm == NULL || (date == NULL) == (wd == NULL)) {
		fprintf(stderr, "tafelctl: meeting plan needs --series, --time "
		    "and one of --date and --weekday\n");
		return 2;
	}
	if (check_when("--time", tm, is_hhmm, "HH:MM, e.g. 09:30") != 0 ||
	    check_when("--date", date, is_iso_date, DATE_FORM) != 0 ||
	    check_when("--from", opt_value(argc, argv, "--from"), is_iso_date,
	    DATE_FORM) != 0 ||
	    check_when("--until", until, is_iso_date, DATE_FORM) != 0)
		return 2;
	if (wd != NULL) {
		const char *const *w;

		for (w = weekdays; *w != NULL && strcmp(*w, wd) != 0; w++)
			;
		if (*w == NULL) {
			fprintf(stderr, "tafelctl: --weekday \"%s\": give mon, "
			    "tue, wed, thu, fri, sat or sun\n", wd);
			return 2;
		}
	}
	if (every != NULL) {
		n = strtol(every, &end, 10);
		if (end == every || strcmp(end, "w") != 0 ||
		    n < 1 || n > 52 || until == NULL) {
			fprintf(stderr, "tafelctl: --every takes 1w..52w (weeks) "
			    "and needs --until\n");
			return 2;
		}
	}
	if (check_chair(opt_value(argc, argv, "--chair")) != 0)
		return 1;
	snprintf(weeks, sizeof weeks, "%ld", n);
	/* the meetings' chair without --chair: the series' usual chair,
	 * refused as "the chair must be an active user with the chair
	 * role" when disabled, naming neither */
	if (opt_value(argc, argv, "--chair") == NULL) {
		p[0] = series;
		if ((r = q("SELECT u.login FROM series s JOIN users u ON u.id = "
		    "s.usual_chair_id WHERE s.id = " SERIES_SQL " AND "
		    "u.disabled", 1, p)) == NULL)
			return 1;
		if (PQntuples(r) > 0) {
			fprintf(stderr, "tafelctl: the series' usual chair, %s, "
			    "is disabled, and chairs the meetings planned "
			    "without --chair: give --chair LOGIN (and --as "
			    "LOGIN), or the series another usual chair "
			    "(tafelctl series chair SERIES LOGIN)\n",
			    PQgetvalue(r, 0, 0));
			PQclear(r);
			return 1;
		}
		PQclear(r);
	}
	uid = acting_user(opt_value(argc, argv, "--as"),
	    "SELECT coalesce(s.usual_chair_id, (SELECT min(id) FROM users "
	    "WHERE 'admin' = ANY (roles) AND NOT disabled)) FROM series s "
	    "WHERE s.id = " SERIES_SQL, series, "the series' usual chair",
	    ", or the series another usual chair (tafelctl series chair "
	    "SERIES LOGIN)");
	if (uid == NULL)
		return 1;
	p[0] = series;
	p[1] = uid;
	p[2] = ctl_key();
	p[3] = date != NULL ? date : "";
	p[4] = wd != NULL ? wd : "";
	p[5] = opt_value(argc, argv, "--from");
	p[6] = tm;
	p[7] = weeks;
	p[8] = until != NULL ? until : "";
	p[9] = opt_value(argc, argv, "--chair");
	/* --weekday: the first such day from --from (today) still ahead */
	r = q("WITH a AS (SELECT " SERIES_SQL " AS series_id, CASE WHEN $4 <> "
	    "'' THEN $4::date ELSE (SELECT d::date FROM generate_series("
	    "greatest($6::date, current_date), greatest($6::date, current_date) "
	    "+ 13, interval '1 day') d WHERE to_char(d, 'FMdy') = $5 AND "
	    "(d::date + $7::text::time) AT TIME ZONE 'Europe/Amsterdam' > "
	    "now() "
	    "ORDER BY d LIMIT 1) END AS first) "
	    "SELECT " MEETING_COLS ", m ->> 'chair_name' "
	    "AS chair FROM a, jsonb_array_elements(tafel_write($2::bigint, $3, "
	    "'plan_meetings', jsonb_build_object('series_id', coalesce("
	    "a.series_id, 0), 'first_date', coalesce(a.first::text, ''), 'time', "
	    "$7::text, 'every_weeks', $8::int, 'until', $9::text, 'chair_id', "
	    "CASE WHEN $10::text IS NULL THEN 0 ELSE coalesce((SELECT id FROM "
	    "users WHERE login = $10), -1) END)) -> 'meetings') m", 10, p);
	free(uid);
	if (r == NULL)
		return 1;
	if (PQntuples(r) == 0)
		printf("no meeting planned: the series has a meeting at each "
		    "of those times already (tafelctl meeting list)\n");
	else {
		print_table(r);
		printf("%d meeting(s) planned (times in Europe/Amsterdam)\n",
		    PQntuples(r));
	}
	PQclear(r);
	return 0;
}

/* Whether meeting id exists; if not, says so (printed). */
static int
meeting_exists(const char *id)
{
	int found = row_exists("SELECT 1 FROM meetings WHERE id::text = $1",
	    id);

	if (found == 0)
		fprintf(stderr, "tafelctl: no meeting with id %s (tafelctl "
		    "meeting list shows the ids)\n", id);
	return found > 0;
}

/* move / cancel: the meeting's current version, as its chair or --as. */
static int
meeting_write(const char *op, const char *id, const char *args_sql,
    const char *a3, const char *a4, const char *as)
{
	char sql[1024];
	const char *p[5];
	char *uid;
	PGresult *r;

	if (!meeting_exists(id))
		return 1;
	uid = acting_user(as, "SELECT chair_id FROM meetings WHERE id::text = "
	    "$1", id, "the meeting's chair", ", or the meeting another chair "
	    "first (tafelctl meeting chair ID LOGIN)");
	if (uid == NULL)
		return 1;
	p[0] = id;
	p[1] = uid;
	p[2] = ctl_key();
	p[3] = a3;
	p[4] = a4;
	snprintf(sql, sizeof sql, "SELECT " MEETING_COLS ", m ->> 'state' "
	    "AS state FROM tafel_write("
	    "$2::bigint, $3, '%s', jsonb_build_object('meeting_id', "
	    "$1::text::bigint, 'version', coalesce((SELECT version FROM meetings "
	    "WHERE id::text = $1::text), 0)) || %s) m", op, args_sql);
	r = q(sql, 5, p);
	free(uid);
	if (r == NULL)
		return 1;
	print_table(r);
	PQclear(r);
	return 0;
}

/* Splits off a trailing --as LOGIN. */
static const char *
take_as(int *argc, char **argv)
{
	if (*argc >= 2 && strcmp(argv[*argc - 2], "--as") == 0) {
		*argc -= 2;
		return argv[*argc + 1];
	}
	return NULL;
}

static int
cmd_meeting_move(int argc, char **argv)
{
	const char *as = take_as(&argc, argv);

	if (argc != 3) {
		fprintf(stderr, "usage: tafelctl meeting move ID DATE HH:MM "
		    "[--as LOGIN]\n");
		return 2;
	}
	if (check_when("DATE", argv[1], is_iso_date, DATE_FORM) != 0 ||
	    check_when("HH:MM", argv[2], is_hhmm, "HH:MM, e.g. 09:30") != 0)
		return 2;
	return meeting_write("move_meeting", argv[0], "jsonb_build_object("
	    "'scheduled_start', extract(epoch FROM ($4::date + $5::time) AT "
	    "TIME ZONE 'Europe/Amsterdam')::bigint)", argv[1], argv[2], as);
}

/* meeting chair ID LOGIN [--as LOGIN]: another chair for a planned or
 * open meeting (a change every client sees), as its chair so far or --as. */
static int
cmd_meeting_chair(int argc, char **argv)
{
	const char *as = take_as(&argc, argv);
	const char *p[3];
	char *uid;
	PGresult *r;

	if (argc != 2) {
		fprintf(stderr, "usage: tafelctl meeting chair ID LOGIN "
		    "[--as LOGIN]\n");
		return 2;
	}
	if (!meeting_exists(argv[0]))
		return 1;
	uid = acting_user(as, "SELECT chair_id FROM meetings WHERE id::text = "
	    "$1", argv[0], NULL, NULL);
	if (uid == NULL)
		return 1;
	p[0] = argv[0];
	p[1] = argv[1];
	p[2] = uid;
	r = q("SELECT " MEETING_COLS ", m ->> 'chair_name' AS chair FROM "
	    "tafel_admin_meeting_chair($1::bigint, $2, $3::bigint) m", 3, p);
	free(uid);
	if (r == NULL)
		return 1;
	print_table(r);
	PQclear(r);
	return 0;
}

static int
cmd_meeting_cancel(int argc, char **argv)
{
	const char *as = take_as(&argc, argv);
	char reason[2048] = "";

	if (argc < 1) {
		fprintf(stderr, "usage: tafelctl meeting cancel ID [REASON...] "
		    "[--as LOGIN]\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		snprintf(reason + strlen(reason), sizeof reason - strlen(reason),
		    "%s%s", i > 1 ? " " : "", argv[i]);
	return meeting_write("cancel_meeting", argv[0], "jsonb_build_object("
	    "'reason', $4::text || $5::text)", reason, "", as);
}

/* minutes MEETING --org ORG [--format pdf|txt] -o FILE: the minutes of a
 * closed meeting as the organisation receives them (58_minutes.sql). */
static int
cmd_minutes(int argc, char **argv)
{
	const char *org = NULL, *format = "pdf", *out = NULL;
	const char *p[2];
	struct json_object *m;
	char err[512];
	PGresult *r;
	FILE *f;
	int rc;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--org") == 0)
			org = argv[i + 1];
		else if (strcmp(argv[i], "--format") == 0)
			format = argv[i + 1];
		else if (strcmp(argv[i], "-o") == 0)
			out = argv[i + 1];
		else
			org = NULL, i = argc;
	}
	if (argc % 2 != 1 || org == NULL || out == NULL ||
	    (strcmp(format, "pdf") != 0 && strcmp(format, "txt") != 0)) {
		fprintf(stderr, "usage: tafelctl minutes MEETING_ID --org ORG "
		    "[--format pdf|txt] -o FILE\n");
		return 2;
	}
	if (!meeting_exists(argv[0]) || !org_known(org))
		return 1;
	/* the meeting's state before the organisation's membership: a
	 * planned meeting has no minutes for anyone yet */
	p[0] = argv[0];
	r = q("SELECT state FROM meetings WHERE id::text = $1", 1, p);
	if (r == NULL)
		return 1;
	if (strcmp(PQgetvalue(r, 0, 0), "closed") != 0) {
		fprintf(stderr, "tafelctl: meeting %s is %s: a meeting has "
		    "minutes once it is closed\n", argv[0], PQgetvalue(r, 0, 0));
		PQclear(r);
		return 1;
	}
	PQclear(r);
	p[0] = org;
	p[1] = argv[0];
	r = q("SELECT tafel_minutes_for_org((tafel_admin_org($1)).id, "
	    "$2::bigint)::text", 2, p);
	if (r == NULL)
		return 1;
	m = json_tokener_parse(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (m == NULL) {
		fprintf(stderr, "tafelctl: minutes: bad JSON from the database\n");
		return 1;
	}
	/* the document's times are Amsterdam's, as everywhere in Tafel */
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	f = strcmp(out, "-") == 0 ? stdout : output_file(out, 1);
	if (f == NULL) {
		json_object_put(m);
		return 1;
	}
	if (strcmp(format, "pdf") == 0) {
		rc = minutes_write_pdf_to(m, f, out, err, sizeof err);
		if ((f != stdout && fclose(f) != 0) || (f == stdout &&
		    fflush(f) != 0)) {
			if (rc == 0)
				snprintf(err, sizeof err, "%s: %s", out,
				    strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			fprintf(stderr, "tafelctl: %s\n", err);
	} else {
		errno = 0;
		rc = minutes_write_text(m, f);
		if ((f != stdout && fclose(f) != 0) || (f == stdout &&
		    fflush(f) != 0) || rc != 0) {
			fprintf(stderr, "tafelctl: %s: cannot write: %s\n", out,
			    errno != 0 ? strerror(errno) : "write failed");
			rc = -1;
		}
	}
	json_object_put(m);
	if (rc == 0 && strcmp(out, "-") != 0)
		printf("minutes of meeting %s for %s written to %s\n", argv[0],
		    org, out);
	return rc == 0 ? 0 : 1;
}

static int
cmd_migrate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (ctl.migrated > 0)
		printf("applied %d migration(s); the schema is now at version "
		    "%zu\n", ctl.migrated, n_migrations);
	else
		printf("schema is up to date (%zu migrations)\n",
		    n_migrations);
	return 0;
}

/* Operations (ctl-ops.c): they need no database connection of their own. */
static int
cmd_status(int argc, char **argv)
{
	return ctl_status(&ctl.cfg, ctl.data_dir, ctl.dir_given, argc, argv);
}

/*
 * Which database backup and restore act on, said before they begin: the
 * embedded cluster in the data directory, or the external one (`db`, or
 * `db_owner` when set: its host, port, database and user as given, never
 * its password) and where that came from.  With db set, --data-dir names
 * only the state directory, as for tafeld: a note says so when both are
 * given, and how to use the data directory's own cluster instead.
 */
static void
say_target(int restore, const char *file)
{
	static const char *const keys[] = { "service", "host", "hostaddr",
	    "port", "dbname", "user" };
	const char *conn = ctl.cfg.db_owner[0] ? ctl.cfg.db_owner : ctl.cfg.db;
	char where[1200] = "", target[8192];
	size_t i, n = 0;

	if (ctl.cfg.db[0] == '\0') {
		snprintf(target, sizeof target, "the embedded PostgreSQL "
		    "cluster in %s", ctl.data_dir);
		goto say;
	}
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char *v = conninfo_value(conn, keys[i]);

		if (v != NULL && v[0] != '\0' && n < sizeof where)
			n += (size_t)snprintf(where + n, sizeof where - n,
			    "%s%s=%s", n ? " " : "", keys[i], v);
		free(v);
	}
	if (ctl.db_given)
		snprintf(target, sizeof target, "the external database %s "
		    "(--db)", n ? where : "of libpq's defaults (PGHOST, ...)");
	else
		snprintf(target, sizeof target, "the external database %s "
		    "(%s in %s)", n ? where : "of libpq's defaults (PGHOST, "
		    "...)", ctl.cfg.db_owner[0] ? "db_owner" : "db",
		    ctl.config);
say:
	if (restore)
		fprintf(stderr, "tafelctl: restoring %s into %s\n", file,
		    target);
	else
		fprintf(stderr, "tafelctl: backing up %s to %s\n", target,
		    file);
	if (ctl.cfg.db[0] != '\0' && ctl.dir_given && !ctl.db_given)
		fprintf(stderr, "tafelctl: note: with db set in %s, --data-dir "
		    "%s names only the state directory (as for tafeld), not a "
		    "database; to use the embedded cluster in it instead, give "
		    "--db '' (or --config /dev/null)\n", ctl.config,
		    ctl.data_dir);
}

/*
 * backup [--force] FILE.  The backup goes to a temporary file beside FILE,
 * made here as the invoking user; a child process connects (open_db()
 * gives up root for the embedded cluster) and runs pg_dump into it, and
 * this process, still the invoking user, puts it in place once complete:
 * the service user need not be able to write FILE's directory.
 */
static int
cmd_backup(int argc, char **argv)
{
	struct ctl_backup_file b;
	struct sigaction ign, old_int, old_quit;
	const char *file = NULL;
	int force = 0, st = 0, rc, i;
	pid_t pid;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strncmp(argv[i], "--", 2) == 0 || file != NULL) {
			fprintf(stderr, "usage: tafelctl %s %s\n",
			    current_cmd->name, current_cmd->args);
			return 2;
		} else
			file = argv[i];
	}
	if (file == NULL) {
		fprintf(stderr, "usage: tafelctl %s %s\n", current_cmd->name,
		    current_cmd->args);
		return 2;
	}
	/* "-" is standard output for report -o and minutes -o: here it
	 * made a file named "-" in the current directory */
	if (strcmp(file, "-") == 0) {
		fprintf(stderr, "tafelctl: backup writes a file, not standard "
		    "output (it is renamed into place once complete): give a "
		    "file name (./- for a file named -)\n");
		return 2;
	}
	if (ctl_backup_begin(&b, file, force) != 0)
		return 1;
	say_target(0, file);
	/* as system(): ^C stops the child; this one removes what it left */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "tafelctl: fork: %s\n", strerror(errno));
		rc = -1;
	} else if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		ctl.any_schema = 1;
		rc = open_db() != 0 ? 1 : ctl_backup(ctl.db, ctl.conninfo, b.fd,
		    file);
		close_db();
		fflush(NULL);
		_exit(rc);
	} else
		while ((rc = (int)waitpid(pid, &st, 0)) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (rc < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (rc >= 0 && WIFSIGNALED(st))
			fprintf(stderr, "tafelctl: the backup was interrupted "
			    "(signal %d); no backup was written to %s\n",
			    WTERMSIG(st), file);
		ctl_backup_abandon(&b);
		return 1;
	}
	return ctl_backup_commit(&b) == 0 ? 0 : 1;
}

static int
cmd_restore(int argc, char **argv)
{
	int fd, rc;
	long top = 0;

	(void)argc;
	if (strcmp(argv[0], "-") == 0) {
		fprintf(stderr, "tafelctl: restore reads a file: give its name "
		    "(/dev/stdin to read standard input, ./- for a file named "
		    "-)\n");
		return 2;
	}
	if ((fd = ctl_open_backup_file(argv[0])) < 0)
		return 1;
	/* before anything is made: a schema we do not know would restore
	 * into a register neither this tafelctl nor this tafeld can use.
	 * Only a file can be read twice: from a pipe the restore itself
	 * reads it once, and the register refuses such a schema after */
	if (lseek(fd, 0, SEEK_CUR) >= 0 &&
	    ctl_backup_schema(fd, argv[0], &top) != 0) {
		close(fd);
		return 1;
	}
	if (top > (long)n_migrations) {
		fprintf(stderr, "tafelctl: %s was made by a newer Tafel: its "
		    "database schema is at version %ld, but this tafelctl (%s) "
		    "knows versions up to %zu; restore it with the tafelctl of "
		    "the version that made it (or newer). Nothing was restored; "
		    "the target was not touched\n", argv[0], top, TAFEL_VERSION,
		    n_migrations);
		close(fd);
		return 1;
	}
	say_target(1, argv[0]);
	ctl.no_migrate = 1;
	rc = open_db() != 0 ? 1 : ctl_restore(ctl.db, ctl.conninfo,
	    ctl.cfg.db[0] != '\0' ? NULL : &ctl.pg, fd, argv[0]);
	close(fd);
	return rc;
}

static const struct ctl_cmd commands[] = {
	{ "status", "[--json]", 0, 1, 0, cmd_status,
	  "what the running tafeld is doing: version, uptime, connections, "
	  "sessions per organisation, subscriptions per meeting, push lag, "
	  "database pool, recent errors (--json for monitoring)", NULL },
	{ "backup", "[--force] FILE", 1, 2, 0, cmd_backup,
	  "write a consistent backup of the register (cases, audit log, purge "
	  "records, change-log position) to FILE (pg_dump custom format); "
	  "tafeld may keep running; an existing FILE is refused unless "
	  "--force, which replaces it only once the new backup is complete; "
	  "also a schema a newer tafeld has upgraded", NULL },
	{ "restore", "FILE", 1, 1, 0, cmd_restore,
	  "restore a backup into an empty data directory (or an empty "
	  "database given with --db); start tafeld afterwards", NULL },
	{ "ca-cert", "", 0, 0, 0, cmd_ca_cert,
	  "print the private CA certificate clients need (PEM)", NULL },
	{ "demo-data", "[--force]", 0, 1, 1, cmd_demo_data,
	  "load the demo safety house (16 users with the password \"demo\", "
	  "one an admin; fictional cases) into an empty register; --force: "
	  "also into one that holds other data", NULL },
	{ "migrate", "", 0, 0, 1, cmd_migrate,
	  "apply pending schema migrations and exit", NULL },
	{ "org list", "", 0, 0, 1, cmd_report, "list organisations",
	  "SELECT id, name, kind, covenant_signed AS signed, "
	  "coalesce(covenant_since::text, '') AS since, disabled FROM "
	  "organisations ORDER BY name" },
	{ "org add", "NAME KIND [COVENANT-DATE]", 2, 3, 1, cmd_org_add,
	  "add an organisation (KIND: police, prosecutor, probation, "
	  "municipality, child_protection, veilig_thuis, youth_care, "
	  "mental_health, addiction_care, housing, victim_support, other)", NULL },
	{ "org escalation-contact", "ORG LOGIN|-", 2, 2, 1, cmd_org_escalation,
	  "the user (of that organisation) told when its action points are "
	  "overdue for escalation_after days; - for none", NULL },
	{ "org disable", "NAME", 1, 1, 1, cmd_org_disable,
	  "disable an organisation: none of its users, present or added later, "
	  "can log in, and their open connections end", NULL },
	{ "org enable", "NAME", 1, 1, 1, cmd_org_enable,
	  "lift an organisation's disabling (its users stay disabled until "
	  "each is enabled)", NULL },
	{ "user list", "", 0, 0, 1, cmd_report, "list users",
	  "SELECT u.id, u.login, u.display_name AS name, o.name AS "
	  "organisation, array_to_string(u.roles, ',') AS roles, u.disabled, "
	  "coalesce(u.locked_until > now(), false) AS locked FROM users u JOIN "
	  "organisations o ON o.id = u.org_id ORDER BY u.login" },
	{ "user add", "LOGIN DISPLAY-NAME ORGANISATION [ROLES]", 3, 4, 1,
	  cmd_user_add, "add a user (ROLES: comma-separated admin, chair, "
	  "member, observer, steering (reports only); default member); asks "
	  "for the password", NULL },
	{ "user roles", "LOGIN ROLES", 2, 2, 1, cmd_user_roles,
	  "replace a user's roles (as for user add, e.g. chair,member); the "
	  "rights change at once", NULL },
	{ "user disable", "LOGIN", 1, 1, 1, cmd_user_disable,
	  "end a user's open connections and refuse further logins", NULL },
	{ "user enable", "LOGIN", 1, 1, 1, cmd_user_enable, "enable a user", NULL },
	{ "user passwd", "LOGIN", 1, 1, 1, cmd_user_passwd,
	  "set a user's password (its open connections end)", NULL },
	{ "user unlock", "LOGIN", 1, 1, 1, cmd_user_unlock,
	  "end the lock of an account after repeated failed logins", NULL },
	{ "user revoke-tickets", "LOGIN", 1, 1, 1, cmd_user_revoke_tickets,
	  "revoke a user's resume tickets: each of their clients must log in "
	  "with the password again after its next disconnect", NULL },
	{ "cert issue", "ORGANISATION LOGIN [DAYS]", 2, 3, 0, cmd_cert_issue,
	  "issue a client certificate (LOGIN.crt, LOGIN.key) signed by the "
	  "private CA, for client_certs = yes", NULL },
	{ "audit case", "CASE-NUMBER", 1, 1, 1, cmd_report,
	  "who saw the personal data of a case, when (Europe/Amsterdam: first "
	  "and last time, and how often), in which meeting",
	  "SELECT tafel_audit_time(a.first_at) AS first, "
	  "tafel_audit_time(a.last_at) AS last, count, login, "
	  "organisation, array_to_string(categories, ',') AS categories, "
	  "coalesce(meeting, '') AS meeting, context FROM tafel_audit_case($1) "
	  "a ORDER BY a.first_at, a.last_at" },
	{ "audit user", "LOGIN [FROM] [TO]", 1, 3, 1, cmd_report,
	  "which personal data a user saw (FROM/TO: dates or times in "
	  "Europe/Amsterdam)",
	  "SELECT tafel_audit_time(a.first_at) AS first, "
	  "tafel_audit_time(a.last_at) AS last, count, case_number, "
	  "array_to_string(categories, ',') AS categories, "
	  "coalesce(meeting, '') AS meeting, context FROM tafel_audit_user($1, "
	  "tafel_admin_time($2, 'FROM'), tafel_admin_time($3, 'TO')) a ORDER "
	  "BY a.first_at, a.last_at" },
	{ "purge", "[--dry-run] [OLDER-THAN]", 0, 2, 1, cmd_purge,
	  "anonymise cases closed longer ago than the retention period "
	  "(default: the retention setting, five years; OLDER-THAN at least "
	  "1d)", NULL },
	{ "case hold", "CASE-NUMBER", 1, 1, 1, cmd_case_hold,
	  "put a case under legal hold: purge keeps it", NULL },
	{ "case release", "CASE-NUMBER", 1, 1, 1, cmd_case_release,
	  "end the legal hold of a case", NULL },
	{ "pm list", "", 0, 0, 1, cmd_report,
	  "list the process managers of each district and theme",
	  "SELECT district, CASE WHEN theme = '' THEN '(every theme)' ELSE "
	  "theme END AS theme, login, display_name AS name FROM tafel_pm_list()" },
	{ "pm add", "LOGIN DISTRICT [THEME]", 2, 3, 1, cmd_pm_add,
	  "make a user process manager of a district's cases (of one theme, "
	  "or of every theme): new signals appear on their list", NULL },
	{ "pm remove", "LOGIN DISTRICT [THEME]", 2, 3, 1, cmd_pm_remove,
	  "end a process manager assignment", NULL },
	{ "clock-kind list", "", 0, 0, 1, cmd_report,
	  "list the kinds of legal clock and their rules",
	  "SELECT * FROM tafel_clock_kind_list()" },
	{ "clock-kind set", "NAME LABEL DAYS MAX-TOTAL|- yes|no [ORG-KIND "
	  "DAYS-BEFORE]", 5, 7, 1, cmd_clock_kind_set,
	  "add or change a kind of legal clock: DAYS from the start (0: the end "
	  "is given per clock), MAX-TOTAL days by extension (-: none), yes: it "
	  "has a hearing date, ORG-KIND to notify DAYS-BEFORE its end",
	  "SELECT name, label, initial_days, max_total_days, has_hearing, "
	  "notify_org_kind, notify_days_before FROM tafel_clock_kind_set($1, "
	  "$2, $3, $4, $5, $6, $7)" },
	{ "clock-kind disable", "NAME", 1, 1, 1, cmd_report,
	  "offer a kind no longer for new clocks (running ones keep running)",
	  "SELECT name, label, active FROM tafel_clock_kind_disable($1)" },
	{ "access list", "", 0, 0, 1, cmd_report,
	  "which categories of personal data each organisation kind may see",
	  "SELECT kind, categories FROM tafel_admin_access_list()" },
	{ "access set", "KIND [CATEGORIES]", 1, 2, 1, cmd_access_set,
	  "set the categories a kind may see (comma-separated: person_names, "
	  "birth_dates, case_summary, free_text; none when omitted)", NULL },
	{ "series list", "", 0, 0, 1, cmd_report, "list meeting series",
	  "SELECT s.id, s.name, s.kind, s.district, array_to_string(s.themes, "
	  "',') AS themes FROM series s ORDER BY s.name" },
	{ "series add", "NAME KIND THEMES [DISTRICT] [CHAIR-LOGIN]", 3, 5, 1,
	  cmd_series_add, "add a meeting series (KIND e.g. wzt, sso, "
	  "casusoverleg_hg; THEMES comma-separated)", NULL },
	{ "series member", "SERIES ORGANISATION", 2, 2, 1, cmd_series_member,
	  "make an organisation a fixed member of a series", NULL },
	{ "series publish-days", "SERIES DAYS", 2, 2, 1, cmd_report,
	  "publish a series' agendas this many working days before the "
	  "meeting (default 1: the working day before; 0: the day itself)",
	  "SELECT id, name, publish_days_before FROM "
	  "tafel_admin_publish_days($1, $2)" },
	{ "series chair", "SERIES LOGIN|-", 2, 2, 1, cmd_report,
	  "the series' usual chair, who chairs the meetings planned without "
	  "another (- for none); meetings planned already keep theirs "
	  "(meeting chair)",
	  "SELECT series, usual_chair FROM tafel_admin_series_chair($1, $2)" },
	{ "meeting list", "[SERIES]", 0, 1, 1, cmd_report,
	  "list the meetings from today on (times in Europe/Amsterdam)",
	  "SELECT id, start, series, state, chair, reason FROM "
	  "tafel_admin_meeting_list($1) WITH ORDINALITY ORDER BY ordinality" },
	{ "meeting plan", "--series SERIES --time HH:MM (--date DATE | "
	  "--weekday DAY [--from DATE]) [--every Nw --until DATE] "
	  "[--chair LOGIN] [--as LOGIN]", 4, 18, 1, cmd_meeting_plan,
	  "plan one meeting or a recurrence in one go (SERIES: name, kind or "
	  "id; DAY: mon..sun; times in Europe/Amsterdam); e.g. --series wzt "
	  "--every 2w --weekday tue --time 13:30 --until 2027-03-01", NULL },
	{ "meeting move", "ID DATE HH:MM [--as LOGIN]", 3, 5, 1,
	  cmd_meeting_move, "move a planned meeting (Europe/Amsterdam)", NULL },
	{ "meeting chair", "ID LOGIN [--as LOGIN]", 2, 4, 1,
	  cmd_meeting_chair, "give a planned meeting another chair (every "
	  "client sees it at once)", NULL },
	{ "meeting cancel", "ID [REASON...] [--as LOGIN]", 1, 40, 1,
	  cmd_meeting_cancel, "cancel a planned meeting", NULL },
	{ "report", "[orgs|areas] FROM TO|--quarter YYYYQN [-o FILE] "
	  "[--pdf FILE [--for WHOM]]", 2, 9, 1, cmd_report_csv,
	  "the report's totals (FROM, TO: YYYY-MM-DD, both included, or a "
	  "quarter, e.g. --quarter 2026Q4) as CSV: per partner organisation "
	  "(orgs), or per theme/district and routing phase (areas); --pdf: "
	  "the steering group's report with both tables and bar charts, made "
	  "for WHOM (an organisation or role, default Stuurgroep) on every page",
	  NULL },
	{ "minutes", "MEETING_ID --org ORG [--format pdf|txt] -o FILE", 5, 7, 1,
	  cmd_minutes, "write the minutes of a closed meeting as the "
	  "organisation (name or id) receives them; -o - for text on stdout",
	  NULL },
	{ NULL, NULL, 0, 0, 0, NULL, NULL, NULL }
};

static void
usage(FILE *f)
{
	const struct ctl_cmd *c;

	fprintf(f, "usage: tafelctl [options] COMMAND [ARGS]\n\n"
	    "Administers a Tafel server: its database, users and certificates.\n"
	    "Uses the same configuration as tafeld (data directory, database).\n\n"
	    "options:\n"
	    "  -c, --config FILE       tafeld configuration (default %s)\n"
	    "  -d, --data-dir DIR      tafeld's data directory\n"
	    "      --db CONNINFO       PostgreSQL connection string\n"
	    "      --password-file F   read the password from F instead of "
	    "the terminal\n"
	    "  -h, --help              show this help\n"
	    "  -V, --version           show the version\n\ncommands:\n",
	    paths_default_server_config());
	for (c = commands; c->name != NULL; c++)
		fprintf(f, "  %s %s\n      %s\n", c->name, c->args, c->help);
}

/*
 * A database a newer tafeld has migrated: this tafelctl does not know its
 * schema, so no command may change it (said here in tafelctl's words,
 * not migrate_apply's tafeld ones), but a backup takes it as it is (a
 * pg_dump needs no knowledge of the schema).  1 when newer and that is
 * fine (backup), 0 when not newer, -1 when refused (printed).
 */
static int
schema_newer(void)
{
	PGresult *r = PQexec(ctl.db, "SELECT max(version) FROM "
	    "schema_migrations");
	long top;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		/* no table yet (a new database): the migrations make it */
		PQclear(r);
		return 0;
	}
	top = PQntuples(r) == 1 ? atol(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	if (top <= (long)n_migrations)
		return 0;
	if (ctl.any_schema) {
		fprintf(stderr, "tafelctl: note: the database schema is at "
		    "version %ld, newer than this tafelctl (%zu): it is backed "
		    "up as it is; restore it with tafelctl of that version or "
		    "newer\n", top, n_migrations);
		return 1;
	}
	fprintf(stderr, "tafelctl: the database schema is at version %ld but "
	    "this tafelctl only knows up to %zu: a newer tafeld has upgraded "
	    "it; use the tafelctl of that version (tafelctl backup still "
	    "works)\n", top, n_migrations);
	return -1;
}

/*
 * Connects with a connect_timeout of 15 s unless the conninfo (or
 * PGCONNECT_TIMEOUT) names one: a database that hangs makes tafelctl say
 * so ("timeout expired") instead of waiting for ever, as a cron job would.
 */
static PGconn *
connect_db(const char *conninfo)
{
	const char *const keys[] = { "dbname", "connect_timeout", NULL };
	const char *values[] = { conninfo, "15", NULL };
	char *theirs = conninfo_value(conninfo, "connect_timeout");

	if (theirs != NULL || getenv("PGCONNECT_TIMEOUT") != NULL)
		values[1] = NULL;
	free(theirs);
	return PQconnectdbParams(keys, values, 1);
}

/* Connects to the configured database or the embedded cluster. */
static int
open_db(void)
{
	char conninfo[8192], err[2048];
	int applied = 0;
	struct stat st;

	if (ctl.cfg.db[0] != '\0')
		snprintf(conninfo, sizeof conninfo, "%s", ctl.cfg.db_owner[0] ?
		    ctl.cfg.db_owner : ctl.cfg.db);
	else {
		if (!ctl.no_migrate && stat(ctl.data_dir, &st) != 0) {
			if (ctl.dir_given)
				fprintf(stderr, "tafelctl: no data directory %s "
				    "(--data-dir): check the path; tafeld makes "
				    "it on its first start\n", ctl.data_dir);
			else
				fprintf(stderr, "tafelctl: no data directory %s: "
				    "start tafeld once first, or give --data-dir"
				    "\n", ctl.data_dir);
			return -1;
		}
		if (privdrop_prepare(ctl.cfg.user, ctl.data_dir, err,
		    sizeof err) != 0) {
			fprintf(stderr, "tafelctl: %s\n", err);
			return -1;
		}
		/* restore (no_migrate): also into one a restore was cut off */
		if ((ctl.no_migrate ? pgembed_start_restore(&ctl.pg,
		    ctl.data_dir, err, sizeof err) : pgembed_start(&ctl.pg,
		    ctl.data_dir, err, sizeof err)) != 0) {
			fprintf(stderr, "tafelctl: embedded PostgreSQL: %s\n",
			    err);
			return -1;
		}
		ctl.pg_started = ctl.pg.started;
		pgembed_conninfo(&ctl.pg, PGEMBED_DBNAME, conninfo,
		    sizeof conninfo);
	}
	snprintf(ctl.conninfo, sizeof ctl.conninfo, "%s", conninfo);
	ctl.db = connect_db(conninfo);
	if (PQstatus(ctl.db) != CONNECTION_OK) {
		fprintf(stderr, "tafelctl: cannot connect to PostgreSQL: %s",
		    PQerrorMessage(ctl.db));
		return -1;
	}
	if (ctl.no_migrate)
		return 0;
	switch (schema_newer()) {
	case -1:
		return -1;
	case 1:
		return 0;
	}
	if (migrate_apply(ctl.db, migrations, n_migrations, &applied, err,
	    sizeof err) != 0) {
		fprintf(stderr, "tafelctl: schema: %s\n", err);
		return -1;
	}
	ctl.migrated = applied;
	/* Any command upgrades the schema; only migrate says so on stdout. */
	if (applied > 0 && strcmp(current_cmd->name, "migrate") != 0)
		fprintf(stderr, "tafelctl: note: applied %d schema "
		    "migration(s) first; the schema is now at version %zu "
		    "(tafelctl %s): run tafeld %s too\n", applied, n_migrations,
		    TAFEL_VERSION, TAFEL_VERSION);
	return 0;
}

static void
close_db(void)
{
	char err[512];

	if (ctl.db != NULL)
		PQfinish(ctl.db);
	if (ctl.pg_started && pgembed_stop(&ctl.pg, err, sizeof err) != 0)
		fprintf(stderr, "tafelctl: stopping PostgreSQL: %s\n", err);
}

/*
 * The arguments of a command that goes to the register (names, districts,
 * reasons) are text as a request's are (docs/protocol.md 5.4): valid UTF-8,
 * no control character, at most TAFEL_MAX_TEXT bytes.  An escape sequence
 * stored in a name came back raw out of `user list` and `pm list`; a
 * district of 100 000 bytes was stored.  The argument is named by its
 * position, not echoed: it may hold what would drive the terminal.
 */
static int
args_check(const struct ctl_cmd *c, int argc, char **argv)
{
	static const char *const why[] = {
		[UTF8_BAD_ENCODING] = "is not valid UTF-8",
		[UTF8_CONTROL] = "holds a control character (a tab, a line "
		    "break or an escape sequence)",
		[UTF8_NUL] = "holds a NUL character",
	};
	enum utf8_status st;
	size_t len;

	if (!c->needs_db)
		return 0;
	for (int i = 0; i < argc; i++) {
		/* a file name (report, minutes) is the file system's business */
		if (i > 0 && (strcmp(argv[i - 1], "-o") == 0 ||
		    strcmp(argv[i - 1], "--pdf") == 0))
			continue;
		len = strlen(argv[i]);
		if (len > TAFEL_MAX_TEXT) {
			fprintf(stderr, "tafelctl %s: argument %d is longer "
			    "than %d bytes\n", c->name, i + 1, TAFEL_MAX_TEXT);
			return -1;
		}
		if ((st = utf8_check(argv[i], len, 0)) != UTF8_OK) {
			fprintf(stderr, "tafelctl %s: argument %d %s\n",
			    c->name, i + 1, why[st]);
			return -1;
		}
	}
	return 0;
}

/* "user add ... --password-file F": tafelctl's own options come before
 * the command (getopt stops there); say so rather than print a usage line
 * or take the option for an argument. */
static const char *const global_options[] = {
	"--config", "--data-dir", "--db", "--password-file", NULL
};

static int
global_option_late(const char *cmd, int nargs, char **args)
{
	int i;
	size_t k, len;

	for (i = 0; i < nargs; i++)
		for (k = 0; global_options[k] != NULL; k++) {
			len = strlen(global_options[k]);
			if (strncmp(args[i], global_options[k], len) != 0 ||
			    (args[i][len] != '\0' && args[i][len] != '='))
				continue;
			fprintf(stderr, "tafelctl: %s is an option of tafelctl "
			    "itself: give it before the command (tafelctl %s "
			    "... %s ...)\n", global_options[k],
			    global_options[k], cmd);
			return 1;
		}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "db", required_argument, NULL, 'D' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config = paths_default_server_config();
	const char *data_dir = NULL, *db = NULL;
	int explicit_config = 0, ch, nargs, rc;
	const struct ctl_cmd *c, *best = NULL;
	size_t words = 0;
	char err[512];

	log_set_prefix("tafelctl");
	log_set_level(LOG_LVL_WARN);
	while ((ch = getopt_long(argc, argv, "+c:d:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			explicit_config = 1;
			break;
		case 'd':
			data_dir = optarg;
			break;
		case 'D':
			db = optarg;
			break;
		case 'p':
			ctl.password_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tafelctl %s (protocol %d)\n", TAFEL_VERSION,
			    TAFEL_PROTOCOL_VERSION);
			return 0;
		default:
			/* getopt named the option; the full help would bury it */
			fprintf(stderr, "usage: tafelctl [options] COMMAND "
			    "[ARGS] (tafelctl --help lists the options and "
			    "commands)\n");
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	/* Longest command name matching the leading words. */
	for (c = commands; c->name != NULL; c++) {
		size_t n = 1, i;
		const char *p;
		char buf[64];

		for (p = c->name; *p; p++)
			if (*p == ' ')
				n++;
		if ((size_t)(argc - optind) < n)
			continue;
		buf[0] = '\0';
		for (i = 0; i < n; i++)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    "%s%s", i ? " " : "", argv[optind + (int)i]);
		if (strcmp(buf, c->name) == 0 && n > words) {
			best = c;
			words = n;
		}
	}
	if (best == NULL) {
		/* "user frobnicate": name the commands of that first word */
		size_t len = strlen(argv[optind]), o = 0;
		char known[512] = "";

		for (c = commands; c->name != NULL && o < sizeof known; c++)
			if (strncmp(c->name, argv[optind], len) == 0 &&
			    c->name[len] == ' ')
				o += (size_t)snprintf(known + o, sizeof known - o,
				    "%s%s", o ? ", " : "", c->name + len + 1);
		if (o > 0 && optind + 1 < argc)
			fprintf(stderr, "tafelctl: unknown command \"%s %s\" (%s "
			    "commands: %s)\n", argv[optind], argv[optind + 1],
			    argv[optind], known);
		else if (o > 0)
			fprintf(stderr, "tafelctl: \"%s\" needs a command: %s "
			    "(tafelctl --help)\n", argv[optind], known);
		else
			fprintf(stderr, "tafelctl: unknown command \"%s\" (see "
			    "tafelctl --help)\n", argv[optind]);
		return 2;
	}
	nargs = argc - optind - (int)words;
	if (global_option_late(best->name, nargs, argv + optind + words))
		return 2;
	if (nargs < best->min_args || nargs > best->max_args) {
		fprintf(stderr, "usage: tafelctl %s %s\n", best->name,
		    best->args);
		return 2;
	}
	if (args_check(best, nargs, argv + optind + words) != 0)
		return 2;

	/* The password file may be readable only by the invoking user. */
	if (ctl.password_file != NULL) {
		FILE *pf = fopen(ctl.password_file, "r");

		if (pf == NULL) {
			fprintf(stderr, "tafelctl: %s: %s\n", ctl.password_file,
			    strerror(errno));
			return 1;
		}
		if (fgets(ctl.password, sizeof ctl.password, pf) == NULL)
			ctl.password[0] = '\0';
		fclose(pf);
		ctl.password[strcspn(ctl.password, "\r\n")] = '\0';
	}

	conf_defaults(server_params, &ctl.cfg);
	if (conf_load_file(server_params, &ctl.cfg, config, !explicit_config,
	    err, sizeof err) != 0) {
		fprintf(stderr, "tafelctl: %s\n", err);
		return 1;
	}
	if (data_dir != NULL) {
		conf_set(server_params, &ctl.cfg, "data_dir", data_dir, err,
		    sizeof err);
		ctl.dir_given = 1;
	}
	if (db != NULL) {
		/* the database given, not the file's db_owner (of another) */
		conf_set(server_params, &ctl.cfg, "db", db, err, sizeof err);
		conf_set(server_params, &ctl.cfg, "db_owner", "", err,
		    sizeof err);
		ctl.db_given = 1;
	}
	ctl.config = config;
	snprintf(ctl.data_dir, sizeof ctl.data_dir, "%s", ctl.cfg.data_dir[0] ?
	    ctl.cfg.data_dir : privdrop_default_data_dir());

	current_cmd = best;
	if (outputs_open(best->name, nargs, argv + optind + words) != 0)
		return 1;
	if (best->needs_db && open_db() != 0) {
		outputs_close();
		close_db();
		return 1;
	}
	rc = best->fn(nargs, argv + optind + words);
	outputs_close();
	close_db();
	conf_free(server_params, &ctl.cfg);
	explicit_bzero(ctl.password, sizeof ctl.password);
	return rc;
}
