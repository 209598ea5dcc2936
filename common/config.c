/* Table-driven configuration: one table per program drives parsing, defaults, validation and docs. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Parses and range-checks one value, then stores it. */
static int
set_param(const struct conf_param *p, void *cfg, const char *value, char *err,
    size_t errlen)
{
	long long v;
	char *end;
	int b;

	switch (p->type) {
	case CONF_STRING:
		free(*FIELD(cfg, p, char *));
		*FIELD(cfg, p, char *) = xstrdup(value);
		return 0;
	case CONF_BOOL:
		if (parse_bool(value, &b) != 0) {
			snprintf(err, errlen, "%s: expected yes or no, got "
			    "\"%s\"", p->name, value);
			return -1;
		}
		*FIELD(cfg, p, int) = b;
		return 0;
	case CONF_INT:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (end == value || *end != '\0' || errno != 0) {
			snprintf(err, errlen, "%s: expected a whole number, "
			    "got \"%s\"", p->name, value);
			return -1;
		}
		break;
	case CONF_DURATION:
		v = conf_parse_duration(value);
		if (v < 0) {
			snprintf(err, errlen, "%s: expected a duration such "
			    "as 500ms, 10s, 5m, 2h or 7d, got \"%s\"", p->name,
			    value);
			return -1;
		}
		break;
	default:
		snprintf(err, errlen, "%s: bad parameter type", p->name);
		return -1;
	}
	if (v < p->min || v > p->max) {
		snprintf(err, errlen, "%s: %s is out of range (%lld..%lld%s)",
		    p->name, value, p->min, p->max,
		    p->type == CONF_DURATION ? " ms" : "");
		return -1;
	}
	*FIELD(cfg, p, long long) = v;
	return 0;
}

void
conf_defaults(const struct conf_param *tab, void *cfg)
{
	char err[256];

	for (; tab->name != NULL; tab++) {
		if (tab->type == CONF_STRING)
			*FIELD(cfg, tab, char *) = NULL;
		if (set_param(tab, cfg, tab->def, err, sizeof err) != 0) {
			fprintf(stderr, "bad default: %s\n", err);
			abort();
		}
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
	return set_param(p, cfg, value, err, errlen);
}

struct load_ctx {
	const struct conf_param *tab;
	void *cfg;
	const char *path;
	char *err;
	size_t errlen;
	int failed;
};

static int
conf_ini_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct load_ctx *ctx = user;
	char msg[512];

	(void)section;
	if (ctx->failed)
		return 0;
	if (conf_set(ctx->tab, ctx->cfg, name, value, msg, sizeof msg) != 0) {
		snprintf(ctx->err, ctx->errlen, "%s: %s", ctx->path, msg);
		ctx->failed = 1;
		return 0;
	}
	return 1;
}

int
conf_load_file(const struct conf_param *tab, void *cfg, const char *path,
    int missing_ok, char *err, size_t errlen)
{
	struct load_ctx ctx = { tab, cfg, path, err, errlen, 0 };
	FILE *f;
	int r;

	f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT && missing_ok)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = ini_parse_file(f, conf_ini_handler, &ctx);
	fclose(f);
	if (ctx.failed)
		return -1;
	if (r != 0) {
		snprintf(err, errlen, "%s:%d: syntax error (expected "
		    "\"key = value\")", path, r);
		return -1;
	}
	return 0;
}

void
conf_free(const struct conf_param *tab, void *cfg)
{
	for (; tab->name != NULL; tab++) {
		if (tab->type == CONF_STRING) {
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
	(void)set_param(p, dst, buf, err, sizeof err);
}

void
conf_print_markdown(const struct conf_param *tab)
{
	static const char *const types[] = { "string", "integer", "boolean",
	    "duration" };

	printf("| key | type | default | reload | meaning |\n");
	printf("| --- | --- | --- | --- | --- |\n");
	for (; tab->name != NULL; tab++) {
		printf("| `%s` | %s", tab->name, types[tab->type]);
		if (tab->type == CONF_INT || tab->type == CONF_DURATION)
			printf(" (%lld..%lld%s)", tab->min, tab->max,
			    tab->type == CONF_DURATION ? " ms" : "");
		printf(" | `%s` | %s | %s |\n", tab->def[0] ? tab->def : "\"\"",
		    tab->reloadable ? "yes" : "no (restart)", tab->help);
	}
}
