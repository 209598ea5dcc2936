/* The local admin socket: `tafelctl status` asks, tafeld answers with its state as one JSON document. */
#include "admin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "compat.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <json-c/json.h>

#include "conn.h"
#include "db.h"
#include "log.h"
#include "maint.h"
#include "pgembed.h"
#include "proto.h"
#include "push.h"
#include "snapcache.h"
#include "server.h"
#include "session.h"
#include "xmalloc.h"

/* A request is one short line; anything longer is not tafelctl. */
#define ADMIN_LINE_MAX 256
/* An admin client that says nothing for this long is closed. */
#define ADMIN_TIMEOUT_S 5

/* One admin client, from accept to close. */
struct admin_client {
	struct bufferevent *bev;
	TAILQ_ENTRY(admin_client) entry;
};
TAILQ_HEAD(admin_clients, admin_client);

static struct {
	struct evconnlistener *listener;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	gid_t gid;			/* admin_group; (gid_t)-1 if unknown */
	time_t started;
	struct admin_clients clients;	/* connected, freed by admin_free */
} adm = { .gid = (gid_t)-1, .clients = TAILQ_HEAD_INITIALIZER(adm.clients) };

/* True when pid's supplementary groups (from /proc) include gid. */
static int
pid_in_group(pid_t pid, gid_t gid)
{
	char path[64], line[4096], *p, *end;
	FILE *f;
	int found = 0;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "Groups:", 7) != 0)
			continue;
		for (p = line + 7; *p != '\0'; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			if ((gid_t)g == gid)
				found = 1;
		}
		break;
	}
	fclose(f);
	return found;
}

/* Root, tafeld's own user and members of admin_group may ask. */
static int
peer_allowed(int fd, char *who, size_t len)
{
	struct ucred cr;
	socklen_t sl = sizeof cr;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &sl) != 0) {
		snprintf(who, len, "unknown peer");
		return 0;
	}
	snprintf(who, len, "pid %d uid %u gid %u", (int)cr.pid,
	    (unsigned)cr.uid, (unsigned)cr.gid);
	if (cr.uid == 0 || cr.uid == geteuid())
		return 1;
	if (adm.gid != (gid_t)-1 && (cr.gid == adm.gid ||
	    pid_in_group(cr.pid, adm.gid)))
		return 1;
	return 0;
}

static void
iso_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Counts per key: a small list, linear search (a few dozen entries). */
struct tally {
	int64_t key;
	const char *name;
	unsigned n, live, presentation;
};

struct tallies {
	struct tally *v;
	size_t n, cap;
};

static struct tally *
tally_get(struct tallies *t, int64_t key)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].key == key)
			return &t->v[i];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	memset(&t->v[t->n], 0, sizeof t->v[t->n]);
	t->v[t->n].key = key;
	return &t->v[t->n++];
}

static int
tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/*
 * The subscriptions that are not of one meeting, by topic: each has its
 * own line in status (key: minus the topic, so that they sort before the
 * meetings; the case list's old alias TOPIC_CASES counts as the list).
 */
static const struct {
	int topic;
	const char *name;
} sub_topics[] = {
	{ TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS, "organisation actions" },
	{ TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX, "inbox" },
	{ TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST, "meeting list" },
	{ TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST, "case list" },
	{ TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASES, "case list" },
	{ TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS, "nominations" },
};

/* The name of a topic that is not a meeting ("other" if new). */
static const char *
sub_topic_name(int topic)
{
	for (size_t k = 0; k < sizeof sub_topics / sizeof sub_topics[0]; k++)
		if (sub_topics[k].topic == topic)
			return sub_topics[k].name;
	return "other";
}

static void
count_sub(void *arg, const struct push_sub_info *i)
{
	struct tallies *t = arg;
	int topic = i->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASES ?
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST : i->topic;
	struct tally *e = tally_get(t, i->meeting ? i->meeting_id :
	    -1 - (int64_t)topic);

	e->n++;
	e->live += i->live != 0;
	e->presentation += i->presentation != 0;
}

static void
count_state(const struct conn *c, void *arg)
{
	unsigned *counts = arg;
	enum conn_state st = conn_get_state(c);

	if (st <= CONN_DEAD)
		counts[st]++;
}

static void
count_session(const struct conn *c, void *arg)
{
	struct tallies *t = arg;
	struct tally *e;
	const char *name;
	int64_t org;

	if (!session_org_of(c, &org, &name))
		return;
	e = tally_get(t, org);
	e->name = name;
	e->n++;
}

static json_object *
status_connections(void)
{
	json_object *o = json_object_new_object(), *by = json_object_new_object();
	unsigned counts[CONN_DEAD + 1] = { 0 };
	int st;

	conn_foreach(count_state, counts);
	for (st = CONN_HANDSHAKE; st <= CONN_DEAD; st++)
		json_object_object_add(by, conn_state_name((enum conn_state)st),
		    json_object_new_int64(counts[st]));
	json_object_object_add(o, "total", json_object_new_int64(srv.n_conns));
	json_object_object_add(o, "unauthenticated",
	    json_object_new_int64(srv.n_unauth));
	json_object_object_add(o, "max",
	    json_object_new_int64(srv.cfg.max_connections));
	json_object_object_add(o, "by_state", by);
	return o;
}

static json_object *
status_sessions(void)
{
	json_object *a = json_object_new_array();
	struct tallies t = { 0 };
	size_t i;

	conn_foreach(count_session, &t);
	if (t.n > 0)	/* t.v is NULL when nothing was counted */
		qsort(t.v, t.n, sizeof *t.v, tally_cmp);
	for (i = 0; i < t.n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "organisation_id",
		    json_object_new_int64(t.v[i].key));
		json_object_object_add(o, "organisation",
		    json_object_new_string(t.v[i].name));
		json_object_object_add(o, "sessions",
		    json_object_new_int64(t.v[i].n));
		json_object_array_add(a, o);
	}
	free(t.v);
	return a;
}

static json_object *
status_subscriptions(void)
{
	json_object *a = json_object_new_array();
	struct tallies t = { 0 };
	size_t i;

	push_foreach_sub(count_sub, &t);
	if (t.n > 0)	/* t.v is NULL when nothing was counted */
		qsort(t.v, t.n, sizeof *t.v, tally_cmp);
	for (i = 0; i < t.n; i++) {
		json_object *o = json_object_new_object();

		if (t.v[i].key < 0)
			json_object_object_add(o, "topic",
			    json_object_new_string(sub_topic_name(
			    (int)(-1 - t.v[i].key))));
		else
			json_object_object_add(o, "meeting_id",
			    json_object_new_int64(t.v[i].key));
		json_object_object_add(o, "subscriptions",
		    json_object_new_int64(t.v[i].n));
		json_object_object_add(o, "live",
		    json_object_new_int64(t.v[i].live));
		json_object_object_add(o, "presentation",
		    json_object_new_int64(t.v[i].presentation));
		json_object_array_add(a, o);
	}
	free(t.v);
	return a;
}

/* A time in microseconds as milliseconds under key. */
static void
add_ms(json_object *o, const char *key, int64_t us)
{
	json_object_object_add(o, key, json_object_new_double((double)us /
	    1000.0));
}

/* The last changes' delivery times and the last joins', in milliseconds (see push.h). */
static json_object *
status_push_timing(void)
{
	json_object *o = json_object_new_object();
	struct push_timing t;

	push_get_timing(&t);
	json_object_object_add(o, "changes",
	    json_object_new_int64((int64_t)t.changes));
	add_ms(o, "render_p50_ms", t.render_p50_us);
	add_ms(o, "render_p99_ms", t.render_p99_us);
	add_ms(o, "sent_p50_ms", t.sent_p50_us);
	add_ms(o, "sent_p99_ms", t.sent_p99_us);
	add_ms(o, "sent_max_ms", t.sent_max_us);
	json_object_object_add(o, "viewers_avg",
	    json_object_new_double(t.viewers_avg));
	json_object_object_add(o, "in_flight",
	    json_object_new_int64((int64_t)t.in_flight));
	json_object_object_add(o, "joins",
	    json_object_new_int64((int64_t)t.joins));
	add_ms(o, "join_db_p50_ms", t.join_db_p50_us);
	add_ms(o, "join_db_p99_ms", t.join_db_p99_us);
	add_ms(o, "join_p50_ms", t.join_p50_us);
	add_ms(o, "join_p99_ms", t.join_p99_us);
	add_ms(o, "join_max_ms", t.join_max_us);
	return o;
}

/* The join snapshots kept per class of viewers (snapcache.h). */
static json_object *
status_snapshot_cache(void)
{
	json_object *o = json_object_new_object();
	struct snapcache_stats st;

	snapcache_get_stats(&st);
	json_object_object_add(o, "hits", json_object_new_int64(
	    (int64_t)st.hits));
	json_object_object_add(o, "misses", json_object_new_int64(
	    (int64_t)st.misses));
	json_object_object_add(o, "entries", json_object_new_int64(
	    (int64_t)st.entries));
	json_object_object_add(o, "bytes", json_object_new_int64(
	    (int64_t)st.bytes));
	return o;
}

/* The audit fold (maint.c): what it moved, and whether it fails. */
static json_object *
status_audit_fold(void)
{
	json_object *o = json_object_new_object();
	struct maint_fold_stats st;
	char at[32];

	maint_get_fold_stats(&st);
	json_object_object_add(o, "runs", json_object_new_int64((int64_t)st.runs));
	json_object_object_add(o, "moved",
	    json_object_new_int64((int64_t)st.moved));
	json_object_object_add(o, "failures",
	    json_object_new_int64((int64_t)st.failures));
	json_object_object_add(o, "last_moved",
	    json_object_new_int64(st.last_moved));
	if (st.last_at != 0) {
		iso_time(st.last_at, at, sizeof at);
		json_object_object_add(o, "last_at", json_object_new_string(at));
	}
	json_object_object_add(o, "last_error",
	    json_object_new_string(st.last_error));
	return o;
}

static json_object *
status_push(void)
{
	json_object *o = json_object_new_object();
	struct push_stats st;

	push_get_stats(&st);
	json_object_object_add(o, "last_committed_seq",
	    json_object_new_int64((int64_t)st.last_seq));
	json_object_object_add(o, "last_delivered_seq",
	    json_object_new_int64((int64_t)st.dispatched_seq));
	json_object_object_add(o, "lag", json_object_new_int64(
	    st.last_seq > st.dispatched_seq ?
	    (int64_t)(st.last_seq - st.dispatched_seq) : 0));
	json_object_object_add(o, "resume_window",
	    json_object_new_int64((int64_t)st.ring_count));
	json_object_object_add(o, "local_changes",
	    json_object_new_int64((int64_t)st.local));
	json_object_object_add(o, "subscriptions",
	    json_object_new_int64(st.subs));
	json_object_object_add(o, "subscriptions_live",
	    json_object_new_int64(st.subs_live));
	json_object_object_add(o, "timing", status_push_timing());
	json_object_object_add(o, "snapshot_cache", status_snapshot_cache());
	json_object_object_add(o, "audit_fold", status_audit_fold());
	return o;
}

static json_object *
status_database(void)
{
	json_object *o = json_object_new_object();
	struct db_stats st;

	db_get_stats(&st);
	json_object_object_add(o, "mode", json_object_new_string(
	    srv.cfg.db[0] != '\0' ? "external" : "embedded"));
	json_object_object_add(o, "pool_size", json_object_new_int(st.size));
	json_object_object_add(o, "idle", json_object_new_int(st.idle));
	json_object_object_add(o, "busy", json_object_new_int(st.busy));
	json_object_object_add(o, "connecting",
	    json_object_new_int(st.connecting));
	json_object_object_add(o, "backoff", json_object_new_int(st.backoff));
	json_object_object_add(o, "queued", json_object_new_int(st.queued));
	json_object_object_add(o, "queued_background",
	    json_object_new_int(st.queued_background));
	json_object_object_add(o, "listen", json_object_new_boolean(
	    st.listener_up));
	return o;
}

/*
 * Room on the data directory's file system (the embedded cluster's).
 * "full": below PGEMBED_DISK_LOW ("low_bytes"), where PostgreSQL may soon
 * fail to write; "writes_refused": it has failed (DISK_FULL) and the disk
 * is still that low (space freed ends it at once, not at the episode's
 * next 10 s look), embedded cluster only -- an external database's disk
 * is not this one.
 */
static json_object *
status_disk(void)
{
	json_object *o = json_object_new_object();
	unsigned long long avail, total;
	int embedded = srv.cfg.db[0] == '\0';

	json_object_object_add(o, "path", json_object_new_string(
	    srv.data_dir));
	if (pgembed_disk_space(srv.data_dir, &avail, &total) != 0)
		return o;
	json_object_object_add(o, "free_bytes", json_object_new_int64(
	    (int64_t)avail));
	json_object_object_add(o, "size_bytes", json_object_new_int64(
	    (int64_t)total));
	json_object_object_add(o, "full", json_object_new_boolean(
	    avail < PGEMBED_DISK_LOW));
	json_object_object_add(o, "low_bytes", json_object_new_int64(
	    (int64_t)PGEMBED_DISK_LOW));
	json_object_object_add(o, "writes_refused", json_object_new_boolean(
	    embedded && db_disk_full_since() != 0 &&
	    avail < PGEMBED_DISK_LOW));
	return o;
}

static json_object *
status_errors(void)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	struct log_recent v[LOG_RECENT_MAX];
	json_object *a = json_object_new_array();
	size_t n = log_recent_get(v, LOG_RECENT_MAX), i;
	char at[32];

	for (i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		iso_time(v[i].at, at, sizeof at);
		json_object_object_add(o, "at", json_object_new_string(at));
		json_object_object_add(o, "level",
		    json_object_new_string(names[v[i].level & 3]));
		json_object_object_add(o, "message",
		    json_object_new_string(v[i].text));
		json_object_array_add(a, o);
	}
	return a;
}

void
admin_bound_addr(char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char host[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s", srv.cfg.listen);
	if (srv.listener == NULL || getsockname(evconnlistener_get_fd(
	    srv.listener), (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		snprintf(buf, len, "%s:%d", host, ntohs(in->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		snprintf(buf, len, "[%s]:%d", host, ntohs(in6->sin6_port));
	}
}

char *
admin_status_json(void)
{
	json_object *o = json_object_new_object();
	char at[32], addr[128];
	char *out;

	iso_time(adm.started, at, sizeof at);
	admin_bound_addr(addr, sizeof addr);
	json_object_object_add(o, "version",
	    json_object_new_string(TAFEL_VERSION));
	json_object_object_add(o, "protocol",
	    json_object_new_int(TAFEL_PROTOCOL_VERSION));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "started", json_object_new_string(at));
	json_object_object_add(o, "uptime_s",
	    json_object_new_int64((int64_t)(time(NULL) - adm.started)));
	json_object_object_add(o, "listen", json_object_new_string(addr));
	json_object_object_add(o, "stopping",
	    json_object_new_boolean(srv.shutting_down));
	json_object_object_add(o, "connections", status_connections());
	json_object_object_add(o, "sessions", status_sessions());
	json_object_object_add(o, "subscriptions", status_subscriptions());
	json_object_object_add(o, "push", status_push());
	json_object_object_add(o, "database", status_database());
	json_object_object_add(o, "disk", status_disk());
	json_object_object_add(o, "recent_errors", status_errors());
	out = xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}

static void admin_event(struct bufferevent *bev, short what, void *arg);

/* Closes and frees one client. */
static void
admin_close(struct admin_client *a)
{
	TAILQ_REMOVE(&adm.clients, a, entry);
	bufferevent_free(a->bev);
	free(a);
}

/* The answer is out: close. */
static void
admin_written(struct bufferevent *bev, void *arg)
{
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		admin_close(arg);
}

static void
admin_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;

	line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);
	if (line == NULL) {
		if (evbuffer_get_length(in) > ADMIN_LINE_MAX)
			admin_close(arg);
		return;
	}
	bufferevent_disable(bev, EV_READ);
	if (strcmp(line, "status") == 0) {
		char *json = admin_status_json();

		bufferevent_write(bev, json, strlen(json));
		bufferevent_write(bev, "\n", 1);
		free(json);
	} else {
		static const char err[] = "{ \"error\": \"unknown command\" }\n";

		bufferevent_write(bev, err, sizeof err - 1);
	}
	free(line);
	/*
	 * admin_event stays: a client that left before the answer (the
	 * write fails, EPIPE) or does not read it (the write timeout) is
	 * freed there, not kept for good.
	 */
	bufferevent_setcb(bev, NULL, admin_written, admin_event, arg);
}

/* The client left, failed or timed out: close. */
static void
admin_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	admin_close(arg);
}

static void
admin_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct bufferevent *bev;
	struct admin_client *a;
	struct timeval tv = { ADMIN_TIMEOUT_S, 0 };
	char who[96];

	(void)l;
	(void)sa;
	(void)salen;
	(void)arg;
	if (!peer_allowed(fd, who, sizeof who)) {
		log_warn("admin socket: refused %s (not root, the service user "
		    "or group %s)", who, srv.cfg.admin_group);
		evutil_closesocket(fd);
		return;
	}
	bev = bufferevent_socket_new(srv.base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		evutil_closesocket(fd);
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->bev = bev;
	TAILQ_INSERT_TAIL(&adm.clients, a, entry);
	bufferevent_setcb(bev, admin_read, NULL, admin_event, a);
	bufferevent_set_timeouts(bev, &tv, &tv);
	bufferevent_enable(bev, EV_READ);
}

void
admin_start(void)
{
	struct sockaddr_un sun;
	struct stat st;
	struct group *gr;
	mode_t old;
	int fd;

	adm.started = time(NULL);
	if (admin_socket_path(&srv.cfg, srv.data_dir, adm.path,
	    sizeof adm.path) != 0) {
		log_error("admin socket: path too long; tafelctl status will "
		    "not work");
		return;
	}
	gr = getgrnam(srv.cfg.admin_group);
	adm.gid = gr != NULL ? gr->gr_gid : (gid_t)-1;
	/* Only a socket left by an earlier tafeld is removed. */
	if (lstat(adm.path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(adm.path);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, adm.path, strlen(adm.path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_error("admin socket: %s", strerror(errno));
		return;
	}
	old = umask(0117);		/* srw-rw---- from the start */
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		umask(old);
		log_error("admin socket %s: %s; tafelctl status will not work",
		    adm.path, strerror(errno));
		close(fd);
		adm.path[0] = '\0';
		return;
	}
	umask(old);
	if (adm.gid != (gid_t)-1 && chown(adm.path, (uid_t)-1, adm.gid) != 0)
		log_debug("admin socket: group %s: %s", srv.cfg.admin_group,
		    strerror(errno));
	chmod(adm.path, 0660);
	adm.listener = evconnlistener_new(srv.base, admin_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE, 16, fd);
	if (adm.listener == NULL) {
		log_error("admin socket: cannot listen");
		close(fd);
		unlink(adm.path);
		adm.path[0] = '\0';
		return;
	}
	log_info("admin socket %s (tafelctl status)", adm.path);
}

void
admin_stop(void)
{
	if (adm.listener == NULL)
		return;
	evconnlistener_free(adm.listener);
	adm.listener = NULL;
	if (adm.path[0] != '\0')
		unlink(adm.path);
}

void
admin_free(void)
{
	admin_stop();
	while (!TAILQ_EMPTY(&adm.clients))
		admin_close(TAILQ_FIRST(&adm.clients));
}
