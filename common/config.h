/* Table-driven configuration: one table per program drives parsing, defaults, validation and docs. */
#ifndef TAFEL_CONFIG_H
#define TAFEL_CONFIG_H

#include <stddef.h>
#include <sys/socket.h>

enum conf_type {
	CONF_STRING,	/* char * (heap, owned by the config) */
	CONF_INT,	/* long long, within [min, max] */
	CONF_BOOL,	/* int: yes/no/true/false/on/off/1/0 */
	CONF_DURATION,	/* long long milliseconds: "250ms", "10s", "5m", "2h", "7d" */
	CONF_ENUM,	/* char * (heap): one of the words listed in def */
	CONF_ADDRESS	/* char * (heap): a numeric IP address and a port to
			 * listen on ("127.0.0.1:7410", "[::1]:7410"; port 0:
			 * any free one), checked as conf_parse_address does */
};

struct conf_param {
	const char *name;	/* key in the file, also `--set name=value` */
	enum conf_type type;
	size_t offset;		/* offsetof() into the program's config struct */
	int reloadable;		/* applied on SIGHUP without a restart */
	const char *def;	/* default, as it would be written in the file;
				 * CONF_ENUM: the allowed words separated by
				 * '|', the default first ("info|debug") */
	long long min, max;	/* CONF_INT / CONF_DURATION bounds (ms) */
	const char *help;	/* one line for docs/config.md and --help */
};

/*
 * A table ends with a row whose name is NULL; its def names the one
 * section header a file of these settings may hold ("tafeld": [tafeld]),
 * or is NULL when none is allowed.
 */

/* Sets every parameter of `cfg` to its default. */
void conf_defaults(const struct conf_param *tab, void *cfg);

/*
 * Sets one parameter from text after checking it (syntax, range, allowed
 * words).  Returns 0, or -1 with a message naming the key in err (the
 * value is then unchanged).
 */
int conf_set(const struct conf_param *tab, void *cfg, const char *name,
    const char *value, char *err, size_t errlen);

/*
 * Reads an INI-style file ("key = value", '#' or ';' comments, optionally
 * the table's own [section] header, see above; any other header is an
 * error) into cfg.  A key given twice is an
 * error (naming both lines), as are an unknown key and a bad value.
 * Returns 0, or -1 with "file:line: message" in err; cfg may then be
 * partly set.  A missing file is an error unless missing_ok.
 */
int conf_load_file(const struct conf_param *tab, void *cfg, const char *path,
    int missing_ok, char *err, size_t errlen);

/* Frees the strings held by cfg. */
void conf_free(const struct conf_param *tab, void *cfg);

/* Looks a parameter up by name; NULL if unknown. */
const struct conf_param *conf_find(const struct conf_param *tab,
    const char *name);

/* Renders the value of one parameter as text into buf. */
void conf_format(const struct conf_param *p, const void *cfg, char *buf,
    size_t len);

/* Compares one parameter's value in two configs: 0 if equal. */
int conf_differs(const struct conf_param *p, const void *a, const void *b);

/* Copies one parameter's value from src to dst (strings duplicated). */
void conf_copy(const struct conf_param *p, void *dst, const void *src);

/* Prints the Markdown reference table of all parameters to stdout. */
void conf_print_markdown(const struct conf_param *tab);

/* Parses a duration like "10s" into milliseconds; -1 on bad syntax. */
long long conf_parse_duration(const char *s);

/*
 * Parses a CONF_ADDRESS value into ss (*sslen: its size in, the address's
 * length out).  Returns 0, or -1 with what is wrong in why (may be NULL;
 * without the key's name).
 */
int conf_parse_address(const char *text, struct sockaddr_storage *ss,
    int *sslen, char *why, size_t whylen);

#endif
