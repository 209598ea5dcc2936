/* tafelctl's operations commands: status (through tafeld's admin socket). */
#include "ctl-ops.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "admin.h"
#include "xmalloc.h"

/* Most a status document may be (many organisations, meetings, errors). */
#define STATUS_MAX (4 * 1024 * 1024)
#define STATUS_TIMEOUT_MS 10000

/* Connects to path; the fd or -1 with errno. */
static int
connect_unix(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Sends one command line and reads the whole answer (malloc'ed), or NULL. */
static char *
ask(int fd, const char *cmd)
{
	size_t len = 0, cap = 8192;
	char *buf = xmalloc(cap);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		free(buf);
		return NULL;
	}
	for (;;) {
		if (poll(&p, 1, STATUS_TIMEOUT_MS) <= 0) {
			free(buf);
			errno = ETIMEDOUT;
			return NULL;
		}
		if (len + 1 >= cap) {
			if (cap >= STATUS_MAX) {
				free(buf);
				errno = EMSGSIZE;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static long long
jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    (long long)json_object_get_int64(v) : 0;
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_string(v) : "";
}

static json_object *
jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* The status document as text, in the manner of pgbouncer's SHOW. */
static void
print_status(json_object *o)
{
	json_object *c = jget(o, "connections"), *a, *e, *by;
	long long up = jint(o, "uptime_s");
	size_t i;

	printf("tafeld %s (protocol %lld), pid %lld, up %lldd %02lldh %02lldm "
	    "(since %s)%s\n", jstr(o, "version"), jint(o, "protocol"),
	    jint(o, "pid"), up / 86400, up % 86400 / 3600, up % 3600 / 60,
	    jstr(o, "started"), json_object_get_boolean(jget(o, "stopping")) ?
	    ", STOPPING" : "");
	printf("listening on %s\n\n", jstr(o, "listen"));

	printf("connections: %lld of at most %lld (%lld not logged in)\n",
	    jint(c, "total"), jint(c, "max"), jint(c, "unauthenticated"));
	by = jget(c, "by_state");
	if (by != NULL) {
		printf(" ");
		json_object_object_foreach(by, k, v)
			printf(" %s %lld", k, (long long)json_object_get_int64(v));
		printf("\n");
	}

	a = jget(o, "sessions");
	printf("\nsessions per organisation:\n");
	if (json_object_array_length(a) == 0)
		printf("  (none)\n");
	else
		printf("  %-44s %8s\n", "ORGANISATION", "SESSIONS");
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		printf("  %-44s %8lld\n", jstr(e, "organisation"),
		    jint(e, "sessions"));
	}

	a = jget(o, "subscriptions");
	printf("\nsubscriptions per meeting:\n");
	if (json_object_array_length(a) == 0)
		printf("  (none)\n");
	else
		printf("  %-22s %13s %6s %12s\n", "MEETING", "SUBSCRIPTIONS",
		    "LIVE", "PRESENTATION");
	for (i = 0; i < json_object_array_length(a); i++) {
		char name[32];

		e = json_object_array_get_idx(a, i);
		if (jget(e, "meeting_id") != NULL)
			snprintf(name, sizeof name, "%lld",
			    jint(e, "meeting_id"));
		else
			snprintf(name, sizeof name, "(own action points)");
		printf("  %-22s %13lld %6lld %12lld\n", name,
		    jint(e, "subscriptions"), jint(e, "live"),
		    jint(e, "presentation"));
	}

	e = jget(o, "push");
	printf("\npush: last committed seq %lld, last delivered %lld, lag %lld "
	    "(resume window %lld changes)\n", jint(e, "last_committed_seq"),
	    jint(e, "last_delivered_seq"), jint(e, "lag"),
	    jint(e, "resume_window"));
	e = jget(o, "database");
	printf("database: %s; pool %lld: %lld idle, %lld busy, %lld "
	    "connecting, %lld waiting to reconnect; %lld queued; LISTEN %s\n",
	    jstr(e, "mode"), jint(e, "pool_size"), jint(e, "idle"),
	    jint(e, "busy"), jint(e, "connecting"), jint(e, "backoff"),
	    jint(e, "queued"), json_object_get_boolean(jget(e, "listen")) ?
	    "up" : "DOWN");

	a = jget(o, "recent_errors");
	printf("\nrecent warnings and errors:\n");
	if (json_object_array_length(a) == 0)
		printf("  (none)\n");
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		printf("  %s %-5s %s\n", jstr(e, "at"), jstr(e, "level"),
		    jstr(e, "message"));
	}
}

int
ctl_status(const struct server_config *cfg, const char *data_dir, int argc,
    char **argv)
{
	char paths[3][4200], *answer;
	const char *tried[3];
	size_t n = 0, i;
	int fd = -1, json = 0, err = 0;
	json_object *o;

	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--json") != 0) {
			fprintf(stderr, "usage: tafelctl status [--json]\n");
			return 2;
		}
		json = 1;
	}
	/* admin_socket, else the data directory's, else systemd's /run/tafel */
	if (cfg->admin_socket[0] != '\0')
		snprintf(paths[n++], sizeof paths[0], "%s", cfg->admin_socket);
	else {
		if (admin_socket_path(cfg, data_dir, paths[n],
		    sizeof paths[0]) == 0)
			n++;
		snprintf(paths[n++], sizeof paths[0], "/run/tafel/admin.sock");
	}
	for (i = 0; i < n && fd < 0; i++) {
		tried[i] = paths[i];
		fd = connect_unix(paths[i]);
		if (fd < 0)
			err = errno;
	}
	if (fd < 0) {
		fprintf(stderr, "tafelctl: cannot reach tafeld's admin socket (");
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", tried[i]);
		fprintf(stderr, "): %s; is tafeld running?\n", strerror(err));
		return 1;
	}
	answer = ask(fd, "status\n");
	close(fd);
	if (answer == NULL || answer[0] == '\0') {
		fprintf(stderr, "tafelctl: no answer from tafeld (%s)\n",
		    answer == NULL ? strerror(errno) :
		    "refused: not root, tafeld's user or its admin group?");
		free(answer);
		return 1;
	}
	if (json) {
		fputs(answer, stdout);
		free(answer);
		return 0;
	}
	o = json_tokener_parse(answer);
	free(answer);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		fprintf(stderr, "tafelctl: tafeld's answer is not JSON\n");
		json_object_put(o);
		return 1;
	}
	print_status(o);
	json_object_put(o);
	return 0;
}
