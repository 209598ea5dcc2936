/* Helpers of tafel's options: the server address, the connection options, password sources, remembering the last login. */
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "utf8.h"
#include "proto.h"
#include "xmalloc.h"

/* "host:port", "[v6]:port", "host" → host and port. */
int
client_split_server(const char *s, char *host, size_t hl, char *port, size_t pl)
{
	const char *colon;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL || (size_t)(end - s - 1) >= hl)
			return -1;
		snprintf(host, hl, "%.*s", (int)(end - s - 1), s + 1);
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		colon = strrchr(s, ':');
		if (colon != NULL && strchr(s, ':') != colon)
			colon = NULL;	/* bare IPv6 */
		if ((colon ? (size_t)(colon - s) : strlen(s)) >= hl)
			return -1;
		snprintf(host, hl, "%.*s", colon ? (int)(colon - s) : (int)strlen(s),
		    s);
	}
	if (colon != NULL)
		snprintf(port, pl, "%s", colon + 1);
	else
		snprintf(port, pl, "%d", TAFEL_DEFAULT_PORT);
	/* a port past 65535 went to the resolver, which said "cannot
	 * resolve 127.0.0.1: nodename nor servname provided" */
	if (host[0] == '\0' || port[0] == '\0' ||
	    strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    atoi(port) < 1 || atoi(port) > 65535)
		return -1;
	return 0;
}

static const char *
nonempty(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

void
client_net_opts(const struct client_opts *o, struct net_opts *no,
    int retry_first)
{
	memset(no, 0, sizeof *no);
	no->host = o->host;
	no->port = o->port;
	no->ca_file = o->cfg.ca_file;
	no->cert_file = nonempty(o->cfg.cert_file);
	no->key_file = nonempty(o->cfg.key_file);
	no->login = o->cfg.user;
	no->retry_first = retry_first;
}

char *
client_read_password_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char buf[TAFEL_MAX_PASSWORD + 2];
	size_t len;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fgets(buf, sizeof buf, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	/* a UTF-8 byte order mark (Notepad) is not part of the password */
	return xstrdup(buf + utf8_bom_len(buf));
}

void
client_remember(const struct client_opts *o)
{
	char err[300];

	if (client_config_save(&o->cfg, o->config_path, err, sizeof err) != 0)
		log_warn("cannot save settings: %s", err);
}

static volatile sig_atomic_t prompt_signal;

static void
on_prompt_signal(int sig)
{
	prompt_signal = sig;
}

/* Reads the password from the terminal with echo off.  A signal that ends
 * the program (^C, a hangup) first gives the terminal its echo back; ^D
 * gives up (NULL). */
char *
client_ask_password(const struct client_opts *o)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGHUP, SIGTERM };
	struct sigaction sa, old_sa[sizeof sigs / sizeof sigs[0]];
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	struct termios old, noecho;
	char buf[1100], prompt[400];
	ssize_t n = 0;
	size_t len = 0;
	char c;

	if (fd < 0)
		return NULL;
	snprintf(prompt, sizeof prompt, _("Password for %s at %s: "),
	    o->cfg.user, o->cfg.server);
	if (write(fd, prompt, strlen(prompt)) < 0) {
		close(fd);
		return NULL;
	}
	tcgetattr(fd, &old);
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	/* no SA_RESTART: the signal ends the read below */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_prompt_signal;
	sigemptyset(&sa.sa_mask);
	prompt_signal = 0;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		sigaction(sigs[i], &sa, &old_sa[i]);
		if (old_sa[i].sa_handler == SIG_IGN)	/* nohup: stays so */
			sigaction(sigs[i], &old_sa[i], NULL);
	}
	tcsetattr(fd, TCSAFLUSH, &noecho);
	while (!prompt_signal && (n = read(fd, &c, 1)) == 1 && c != '\n')
		if (len + 1 < sizeof buf)
			buf[len++] = c;
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* nothing to do */
	}
	close(fd);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &old_sa[i], NULL);
	buf[len] = '\0';
	if (prompt_signal != 0) {	/* now as it would have ended us */
		explicit_bzero(buf, sizeof buf);
		raise(prompt_signal);
		return NULL;
	}
	if (n != 1) {			/* ^D, an error */
		explicit_bzero(buf, sizeof buf);
		return NULL;
	}
	return xstrdup(buf);
}
