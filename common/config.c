/* Table-driven configuration: one table per program drives parsing, defaults, validation and docs. */
#include "config.h"

#include <errno.h>
#include <event2/util.h>
#include <ini.h>
#include <netinet/in.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "xmalloc.h"

#define FIELD(cfg, p, T) ((T *)(void *)((char *)(cfg) + (p)->offset))

const struct conf_param *
conf_find(const struct conf_param *tab, const char *name)
{
	for (; tab->name != NULL; tab++)
		if (strcmp(tab->name, name) == 0)
			return tab;
	return NULL;
}

long long
conf_parse_duration(const char *s)
{
	static const struct {
		const char *suffix;
		long long ms;
	} units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 }, { "", 1000 },
	};
	char *end;
	long long v;
	size_t i;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno != 0 || v < 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			if (v > LLONG_MAX / units[i].ms)
				return -1;
			return v * units[i].ms;
		}
	}
	return -1;
}

/*
 * conf_parse_address, its messages showing the text (quote) or not: a
 * value read from a file is not echoed (the file may be any file given to
 * --config, /etc/shadow say).
 */
static int
parse_address(const char *text, int quote, struct sockaddr_storage *ss,
    int *sslen, char *why, size_t whylen)
{
	static const char example[] = "for example 127.0.0.1:7410, "
	    "[::1]:7410, or 0.0.0.0:7410 for every IPv4 address";
	char buf[256], junk[1], shown[210] = "the value";
	const char *colon = strrchr(text, ':'), *port;
	size_t n = strlen(text), hostlen;
	long v;

	if (why == NULL || whylen == 0) {
		why = junk;
		whylen = sizeof junk;
	}
	if (quote)
		snprintf(shown, sizeof shown, "\"%.200s\"", text);
	if (colon == NULL || colon == text || n >= sizeof buf - 1) {
		snprintf(why, whylen, "%s is not an address:port (%s)", shown,
		    example);
		return -1;
	}
	port = colon + 1;
	hostlen = (size_t)(colon - text);
	if (port[0] == '\0' || strspn(port, "0123456789") != strlen(port) ||
	    strlen(port) > 5) {
		snprintf(why, whylen, "%s has no port after its last ':' (%s)",
		    shown, example);
		return -1;
	}
	v = strtol(port, NULL, 10);
	if (v > 65535) {
		if (quote)
			snprintf(why, whylen, "%s: port %ld is out of range "
			    "(0..65535)", shown, v);
		else
			snprintf(why, whylen, "the port is out of range "
			    "(0..65535)");
		return -1;
	}
	if (memchr(text, ':', hostlen) != NULL && text[0] != '[') {
		snprintf(why, whylen, "%s: an IPv6 address goes in brackets, "
		    "for example [::1]:7410", shown);
		return -1;
	}
	/* libevent refuses port 0 (any free port, for tests): parse with 1. */
	snprintf(buf, sizeof buf, "%.*s:%ld", (int)hostlen, text, v ? v : 1);
	memset(ss, 0, sizeof *ss);
	if (evutil_parse_sockaddr_port(buf, (struct sockaddr *)ss, sslen) != 0) {
		if (quote)
			snprintf(why, whylen, "\"%.*s\" is not an IP address (a "
			    "host name will not do; %s)", (int)hostlen, text,
			    example);
		else
			snprintf(why, whylen, "the part before the port is not "
			    "an IP address (a host name will not do; %s)",
			    example);
		return -1;
	}
	if (v == 0 && ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = 0;
	else if (v == 0)
		((struct sockaddr_in *)(void *)ss)->sin_port = 0;
	return 0;
}

int
conf_parse_address(const char *text, struct sockaddr_storage *ss,
    int *sslen, char *why, size_t whylen)
{
	return parse_address(text, 1, ss, sslen, why, whylen);
}

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/*
 * Word i (from 0) of a CONF_ENUM list "a|b|c" into out; -1 past the last
 * one (or when it does not fit).
 */
static int
enum_word(const char *list, size_t i, char *out, size_t len)
{
	size_t n;

	for (; i > 0; i--) {
		list = strchr(list, '|');
		if (list == NULL)
			return -1;
		list++;
	}
	n = strcspn(list, "|");
	if (n >= len)
		return -1;
	memcpy(out, list, n);
	out[n] = '\0';
	return 0;
}

/* The words of a CONF_ENUM list for a message: "a, b or c". */
static void
enum_describe(const char *list, char *out, size_t len)
{
	char word[64];
	size_t i, n = 0, used = 0;

	while (enum_word(list, n, word, sizeof word) == 0)
		n++;
	out[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		enum_word(list, i, word, sizeof word);
		used += (size_t)snprintf(out + used, len - used, "%s%s",
		    i == 0 ? "" : i + 1 < n ? ", " : " or ", word);
	}
}

/*
 * A duration in ms as an administrator writes it: the largest unit that
 * divides it (d, h, m, s, ms), so that a range reads "1d..36500d".
 */
static void
duration_text(long long ms, char *buf, size_t len)
{
	static const struct { long long ms; const char *unit; } units[] = {
		{ 86400000LL, "d" }, { 3600000LL, "h" }, { 60000LL, "m" },
		{ 1000LL, "s" },
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (ms != 0 && ms % units[i].ms == 0) {
			snprintf(buf, len, "%lld%s", ms / units[i].ms,
			    units[i].unit);
			return;
		}
	snprintf(buf, len, "%lld%s", ms, ms != 0 ? "ms" : "");
}

/* The range of an integer or duration setting: "1..64", "1s..7d". */
static void
range_text(const struct conf_param *p, char *buf, size_t len)
{
	char lo[32], hi[32];

	if (p->type == CONF_DURATION) {
		duration_text(p->min, lo, sizeof lo);
		duration_text(p->max, hi, sizeof hi);
		snprintf(buf, len, "%s..%s", lo, hi);
	} else
		snprintf(buf, len, "%lld..%lld", p->min, p->max);
}

/*
 * Parses and checks one value (syntax, range, allowed words), then stores
 * it.  The message quotes the value when quote is set; a value read from a
 * file is not echoed (any file may be given to --config).
 */
static int
set_value(const struct conf_param *p, void *cfg, const char *value,
    int quote, char *err, size_t errlen)
{
	long long v;
	char *end, word[256], got[220] = "";
	size_t i;
	int b;

	if (quote)
		snprintf(got, sizeof got, ", got \"%.200s\"", value);
	switch (p->type) {
	case CONF_ADDRESS: {
		struct sockaddr_storage ss;
		int sslen = sizeof ss;

		if (parse_address(value, quote, &ss, &sslen, word,
		    sizeof word) != 0) {
			snprintf(err, errlen, "%s: %s", p->name, word);
			return -1;
		}
	}
		/* FALLTHROUGH */
	case CONF_STRING:
		free(*FIELD(cfg, p, char *));
		*FIELD(cfg, p, char *) = xstrdup(value);
		return 0;
	case CONF_BOOL:
		if (parse_bool(value, &b) != 0) {
			snprintf(err, errlen, "%s: expected yes or no%s",
			    p->name, got);
			return -1;
		}
		*FIELD(cfg, p, int) = b;
		return 0;
	case CONF_INT:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (end == value || *end != '\0' || errno != 0) {
			snprintf(err, errlen, "%s: expected a whole number%s",
			    p->name, got);
			return -1;
		}
		break;
	case CONF_DURATION:
		v = conf_parse_duration(value);
		if (v < 0) {
			snprintf(err, errlen, "%s: expected a duration such "
			    "as 500ms, 10s, 5m, 2h or 7d%s", p->name, got);
			return -1;
		}
		break;
	case CONF_ENUM:
		for (i = 0; enum_word(p->def, i, word, sizeof word) == 0; i++) {
			if (strcasecmp(value, word) == 0) {
				free(*FIELD(cfg, p, char *));
				*FIELD(cfg, p, char *) = xstrdup(word);
				return 0;
			}
		}
		enum_describe(p->def, word, sizeof word);
		snprintf(err, errlen, "%s: expected one of %s%s", p->name, word,
		    got);
		return -1;
	default:
		snprintf(err, errlen, "%s: bad parameter type", p->name);
		return -1;
	}
	if (v < p->min || v > p->max) {
		char range[80];

		range_text(p, range, sizeof range);
		if (quote)
			snprintf(err, errlen, "%s: %s is out of range (%s)",
			    p->name, value, range);
		else
			snprintf(err, errlen, "%s: out of range (%s)", p->name,
			    range);
		return -1;
	}
	*FIELD(cfg, p, long long) = v;
	return 0;
}

/*
 * set_value, and a value refused that holds a '#' is said to be read with
 * its comment: "idle_timeout = 1h # an hour" is a common line, and the
 * reader (inih) takes only whole-line comments, so "expected a duration"
 * alone left the administrator looking at a valid-looking 1h.
 */
static int
set_param(const struct conf_param *p, void *cfg, const char *value,
    int quote, char *err, size_t errlen)
{
	size_t n;

	if (set_value(p, cfg, value, quote, err, errlen) == 0)
		return 0;
	n = strlen(err);
	if (!quote && strchr(value, '#') != NULL && n < errlen)
		snprintf(err + n, errlen - n, " (a # comment goes on a line of "
		    "its own: after a value it is read as part of the value)");
	return -1;
}

/* The default of p as it would be written in the file; -1 if it does not fit. */
static int
conf_default_text(const struct conf_param *p, char *buf, size_t len)
{
	int n;

	if (p->type == CONF_ENUM)
		return enum_word(p->def, 0, buf, len);
	n = snprintf(buf, len, "%s", p->def);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

void
conf_defaults(const struct conf_param *tab, void *cfg)
{
	char err[256], def[256];

	for (; tab->name != NULL; tab++) {
		if (tab->type == CONF_STRING || tab->type == CONF_ENUM ||
		    tab->type == CONF_ADDRESS)
			*FIELD(cfg, tab, char *) = NULL;
		if (conf_default_text(tab, def, sizeof def) != 0)
			snprintf(err, sizeof err, "%s: too long", tab->name);
		else if (set_param(tab, cfg, def, 1, err, sizeof err) == 0)
			continue;
		fprintf(stderr, "bad default: %s\n", err);
		abort();
	}
}

int
conf_set(const struct conf_param *tab, void *cfg, const char *name,
    const char *value, char *err, size_t errlen)
{
	const struct conf_param *p = conf_find(tab, name);

	if (p == NULL) {
		snprintf(err, errlen, "unknown setting \"%s\"", name);
		return -1;
	}
	return set_param(p, cfg, value, 1, err, errlen);
}

/*
 * Whether a file's text may be echoed as a setting's name: lower-case
 * letters, digits and '_', a letter first, at most 64 long.  Anything else
 * (a line of /etc/shadow given to --config) is not repeated in a message.
 */
static int
plausible_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

struct load_ctx {
	const struct conf_param *tab;
	void *cfg;
	const char *path;
	char *err;
	size_t errlen;
	int failed;
	FILE *f;
	int line;		/* line of the text being parsed */
	int next_line;		/* line the next read starts on */
	int indented;		/* that line starts with a blank */
	int *seen;		/* per parameter: the line that set it, or 0 */
};

/* The section header the table allows (its end row's def); NULL: none. */
static const char *
conf_section(const struct conf_param *tab)
{
	while (tab->name != NULL)
		tab++;
	return tab->def;
}

/*
 * A line that is a section header ("[name]", blanks and a comment around
 * it) must name the table's own section: inih would take any other and
 * read the keys under it as if it were not there.  0, or -1 with the
 * message in ctx.
 */
static int
conf_check_header(struct load_ctx *ctx, const char *s)
{
	const char *want = conf_section(ctx->tab), *end;
	size_t n;

	s += strspn(s, " \t");
	if (*s != '[' || (end = strchr(s, ']')) == NULL)
		return 0;	/* not a header (or inih's syntax error) */
	s++;
	n = (size_t)(end - s);
	if (want != NULL && strlen(want) == n && strncasecmp(s, want, n) == 0)
		return 0;
	if (!plausible_name(s, n))
		snprintf(ctx->err, ctx->errlen, "%s:%d: this line is a section "
		    "header and not %s%s%s: %s", ctx->path, ctx->line,
		    want != NULL ? "[" : "a setting", want != NULL ? want : "",
		    want != NULL ? "] (or a setting, name = value)" : "",
		    want != NULL ? "remove or rename it" : "remove it");
	else if (want != NULL)
		snprintf(ctx->err, ctx->errlen, "%s:%d: section [%.*s]: this "
		    "file takes only a [%s] header (or none): remove or rename "
		    "it", ctx->path, ctx->line, (int)n, s, want);
	else
		snprintf(ctx->err, ctx->errlen, "%s:%d: section [%.*s]: this "
		    "file takes no section headers: remove it",
		    ctx->path, ctx->line, (int)n, s);
	ctx->failed = 1;
	return -1;
}

/* inih's reader: fgets, counting lines for the messages. */
static char *
conf_read_line(char *str, int num, void *stream)
{
	struct load_ctx *ctx = stream;
	char *s;

	if (ctx->line != ctx->next_line) {	/* a line begins */
		ctx->line = ctx->next_line;
		ctx->indented = -1;
	}
	if (ctx->failed)
		return NULL;
	s = fgets(str, num, ctx->f);
	if (s == NULL)
		return NULL;
	if (ctx->indented < 0) {
		ctx->indented = s[0] == ' ' || s[0] == '\t';
		if (conf_check_header(ctx, s) != 0)
			return NULL;
	}
	if (strchr(s, '\n') != NULL)
		ctx->next_line++;
	else if (!feof(ctx->f) && strspn(s, " \t") < strlen(s) &&
	    strchr("#;", s[strspn(s, " \t")]) != NULL) {
		/* a long comment: the rest of it is skipped */
		int ch;

		while ((ch = fgetc(ctx->f)) != EOF && ch != '\n')
			;
		ctx->next_line++;
		s[strlen(s) - 1] = '\n';
	} else if (!feof(ctx->f)) {
		/*
		 * inih reads at most num - 1 bytes of a line and would take
		 * the rest for a line of its own ("unknown setting ..."):
		 * say what is wrong instead.
		 */
		snprintf(ctx->err, ctx->errlen, "%s:%d: the line is longer than "
		    "%d characters, more than the configuration reader takes "
		    "(a long db connection string can go in a PostgreSQL "
		    "service file: db = service=tafel)", ctx->path, ctx->line,
		    num - 2);
		ctx->failed = 1;
		return NULL;
	}
	return s;
}

static int
conf_ini_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct load_ctx *ctx = user;
	const struct conf_param *p;
	char msg[512];
	int *seen;

	(void)section;
	if (ctx->failed)
		return 0;
	p = conf_find(ctx->tab, name);
	seen = p != NULL ? &ctx->seen[p - ctx->tab] : NULL;
	if (seen != NULL && *seen != 0) {
		/*
		 * One rule at start-up and on reload: a key is given once.
		 * (inih reads an indented line as the continuation of the
		 * value above it, which sets that key again.)
		 */
		snprintf(ctx->err, ctx->errlen, "%s:%d: \"%s\" is given twice "
		    "(lines %d and %d)%s", ctx->path, ctx->line, name, *seen,
		    ctx->line, ctx->indented ? "; this line is indented, "
		    "which makes it continue the value above it: remove the "
		    "indentation" : "; remove one of them");
		ctx->failed = 1;
		return 0;
	}
	if (p == NULL) {
		/* the name only when it may be one: never a value */
		if (plausible_name(name, strlen(name)))
			snprintf(ctx->err, ctx->errlen, "%s:%d: unknown setting "
			    "\"%s\"", ctx->path, ctx->line, name);
		else
			snprintf(ctx->err, ctx->errlen, "%s:%d: line %d is not a "
			    "setting (name = value, the name in lower-case "
			    "letters, digits and _)", ctx->path, ctx->line,
			    ctx->line);
		ctx->failed = 1;
		return 0;
	}
	if (set_param(p, ctx->cfg, value, 0, msg, sizeof msg) != 0) {
		snprintf(ctx->err, ctx->errlen, "%s:%d: %s", ctx->path,
		    ctx->line, msg);
		ctx->failed = 1;
		return 0;
	}
	if (seen != NULL)
		*seen = ctx->line;
	return 1;
}

int
conf_load_file(const struct conf_param *tab, void *cfg, const char *path,
    int missing_ok, char *err, size_t errlen)
{
	struct load_ctx ctx = { tab, cfg, path, err, errlen, 0, NULL, 0, 1, 0,
	    NULL };
	struct stat st;
	size_t n = 0;
	int r;

	ctx.f = fopen(path, "r");
	if (ctx.f == NULL) {
		if (errno == ENOENT && missing_ok)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* a directory opens, and reads as an empty file: no settings at all */
	if (fstat(fileno(ctx.f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(ctx.f);
		snprintf(err, errlen, "%s: is a directory, not a configuration "
		    "file", path);
		return -1;
	}
	while (tab[n].name != NULL)
		n++;
	ctx.seen = xcalloc(n + 1, sizeof *ctx.seen);
	r = ini_parse_stream(conf_read_line, &ctx, conf_ini_handler, &ctx);
	fclose(ctx.f);
	free(ctx.seen);
	if (ctx.failed)
		return -1;
	if (r != 0) {
		snprintf(err, errlen, "%s:%d: line %d is not a setting (name "
		    "= value)", path, r, r);
		return -1;
	}
	return 0;
}

void
conf_free(const struct conf_param *tab, void *cfg)
{
	for (; tab->name != NULL; tab++) {
		if (tab->type == CONF_STRING || tab->type == CONF_ENUM ||
		    tab->type == CONF_ADDRESS) {
			free(*FIELD(cfg, tab, char *));
			*FIELD(cfg, tab, char *) = NULL;
		}
	}
}

void
conf_format(const struct conf_param *p, const void *cfg, char *buf, size_t len)
{
	const void *c = cfg;

	switch (p->type) {
	case CONF_STRING:
	case CONF_ENUM:
	case CONF_ADDRESS:
		snprintf(buf, len, "%s", *FIELD(c, p, char *const) ?
		    *FIELD(c, p, char *const) : "");
		break;
	case CONF_BOOL:
		snprintf(buf, len, "%s", *FIELD(c, p, const int) ? "yes" : "no");
		break;
	case CONF_INT:
		snprintf(buf, len, "%lld", *FIELD(c, p, const long long));
		break;
	case CONF_DURATION:
		snprintf(buf, len, "%lldms", *FIELD(c, p, const long long));
		break;
	}
}

int
conf_differs(const struct conf_param *p, const void *a, const void *b)
{
	char x[1024], y[1024];

	conf_format(p, a, x, sizeof x);
	conf_format(p, b, y, sizeof y);
	return strcmp(x, y) != 0;
}

void
conf_copy(const struct conf_param *p, void *dst, const void *src)
{
	char err[256], buf[4096];

	conf_format(p, src, buf, sizeof buf);
	(void)set_param(p, dst, buf, 1, err, sizeof err);
}

void
conf_print_markdown(const struct conf_param *tab)
{
	static const char *const types[] = { "string", "integer", "boolean",
	    "duration", "one of", "address:port" };
	char def[256], word[64];
	size_t i;

	printf("| key | type | default | reload | meaning |\n");
	printf("| --- | --- | --- | --- | --- |\n");
	for (; tab->name != NULL; tab++) {
		printf("| `%s` | %s", tab->name, types[tab->type]);
		if (tab->type == CONF_INT || tab->type == CONF_DURATION) {
			range_text(tab, def, sizeof def);
			printf(" (%s)", def);
		}
		for (i = 0; tab->type == CONF_ENUM &&
		    enum_word(tab->def, i, word, sizeof word) == 0; i++)
			printf("%s`%s`", i == 0 ? " " : ", ", word);
		if (conf_default_text(tab, def, sizeof def) != 0)
			def[0] = '\0';
		printf(" | `%s` | %s | %s |\n", def[0] ? def : "\"\"",
		    tab->reloadable ? "yes" : "no (restart)", tab->help);
	}
}
