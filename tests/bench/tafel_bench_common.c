/* tafel_bench: what the modes share — statistics, clocks, bench users, the demo meeting, reading events of many clients at once. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <sodium.h>

#include "envelope.h"
#include "frame.h"
#include "tafel_bench.h"

struct tafeld srv;
const char *const *bench_tafeld_args;
struct tclient chair;
int64_t meeting, items[2], chair_id, series_id;

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

struct stats
stats_of(long long *v, size_t n)
{
	struct stats s = { 0, 0, 0 };

	if (n == 0)
		return s;
	qsort(v, n, sizeof *v, cmp_ll);
	s.p50 = v[(size_t)(0.5 * (double)(n - 1) + 0.5)];
	s.p99 = v[(size_t)(0.99 * (double)(n - 1) + 0.5)];
	s.max = v[n - 1];
	return s;
}

long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long
status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t n = strlen(field);
	FILE *f;
	long kib = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			kib = atol(line + n + 1);
	fclose(f);
	return kib;
}

Tafel__Envelope *
must(Tafel__Envelope *m, Tafel__Envelope__BodyCase body, const char *what)
{
	if (m == NULL || m->body_case != body) {
		fprintf(stderr, "tafel_bench: %s failed: %s\n", what,
		    m != NULL && m->body_case == B(ERROR) ?
		    m->error->message : "no answer");
		exit(1);
	}
	return m;
}

Tafel__Envelope *
bench_write(struct tclient *c, Tafel__Envelope__BodyCase body, void *msg,
    Tafel__Envelope__BodyCase want, const char *what, int *retries)
{
	long long give_up = now_us() + 60000000;
	Tafel__Envelope *m;
	char key[64];
	unsigned wait;

	bench_key(key, sizeof key);
	for (;;) {
		m = tclient_req(c, body, msg, key);
		if (m == NULL || m->body_case != B(ERROR) ||
		    (m->error->code != TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE &&
		    m->error->code != TAFEL__ERROR_CODE__OVERLOADED) ||
		    now_us() > give_up)
			return must(m, want, what);
		wait = m->error->retry_after_ms > 0 ?
		    m->error->retry_after_ms : 200;
		frame_free(m);
		(*retries)++;
		usleep(wait * 1000);
	}
}

void
print_stats(const char *label, long long *v, int n, const char *target)
{
	struct stats s = stats_of(v, (size_t)n);

	printf("  %-26s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%s%s\n",
	    label, (double)s.p50 / 1000.0, (double)s.p99 / 1000.0,
	    (double)s.max / 1000.0, target != NULL ? "   " : "",
	    target != NULL ? target : "");
}

void
print_push_timing(struct tafeld *t)
{
	print_status_line(t, "push timing, ");
}

void
print_status_line(struct tafeld *t, const char *what)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char cmd[1200], line[600], *p;
	FILE *f;

	snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir '%s' "
	    "status 2>/dev/null", bin, t->dir);
	if ((f = popen(cmd, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if ((p = strstr(line, what)) == NULL)
			continue;
		printf("  server: %s", p);
	}
	pclose(f);
}

void
print_load(void)
{
	double l[3];

	if (getloadavg(l, 3) == 3)
		printf("  load average       %.2f %.2f %.2f (2-core machines "
		    "shared with other work give noisy figures)\n",
		    l[0], l[1], l[2]);
}

const char *
bench_key(char *buf, size_t len)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static unsigned n;
	unsigned k;

	pthread_mutex_lock(&mu);
	k = ++n;
	pthread_mutex_unlock(&mu);
	snprintf(buf, len, "b-%ld-%lld-%u", (long)getpid(), now_us(), k);
	return buf;
}

void
open_meeting(void)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__MeetingStateRequest open = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;
	char key[64];
	size_t i;

	if (tclient_login(&chair, &srv, "voorzitter", "demo") != 0)
		exit(1);
	m = must(tclient_req(&chair, B(LIST_MEETINGS), &lm, NULL),
	    B(MEETING_LIST), "list_meetings");
	for (i = 0; i < m->meeting_list->n_meetings; i++)
		if (m->meeting_list->meetings[i]->state ==
		    TAFEL__MEETING_STATE__MEETING_PLANNED) {
			meeting = m->meeting_list->meetings[i]->id;
			chair_id = m->meeting_list->meetings[i]->chair_id;
			series_id = m->meeting_list->meetings[i]->series_id;
			open.meeting_id = meeting;
			open.version = m->meeting_list->meetings[i]->version;
			break;
		}
	frame_free(m);
	frame_free(must(tclient_req(&chair, B(OPEN_MEETING), &open,
	    bench_key(key, sizeof key)), B(MEETING), "open_meeting"));
	s.meeting_id = meeting;
	m = must(tclient_req(&chair, B(SUBSCRIBE), &s, NULL), B(SUBSCRIBED),
	    "subscribe");
	items[0] = m->subscribed->snapshot->agenda[0]->id;
	items[1] = m->subscribed->snapshot->agenda[1]->id;
	frame_free(m);
}

int64_t
bench_meeting_start(void)
{
	static int64_t next;

	if (next == 0)
		next = (int64_t)time(NULL);
	return next++;
}

void
bench_users(const char *prefix, int n, int cheap)
{
	char sql[2048], hash[crypto_pwhash_STRBYTES], expr[400], *p;

	if (cheap) {
		/* '$' would be expanded by the shell harness_psql runs */
		if (sodium_init() < 0 || crypto_pwhash_str(hash, "demo", 4,
		    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0) {
			fprintf(stderr, "tafel_bench: hashing failed\n");
			exit(1);
		}
		for (p = hash; *p != '\0'; p++)
			if (*p == '$')
				*p = '~';
		snprintf(expr, sizeof expr, "translate('%s', '~', chr(36))",
		    hash);
	} else
		snprintf(expr, sizeof expr, "(SELECT password_hash FROM users "
		    "WHERE login = 'voorzitter')");
	snprintf(sql, sizeof sql,
	    "WITH o AS (SELECT array_agg(sm.org_id ORDER BY sm.org_id) a "
	    "FROM series_members sm JOIN meetings m ON m.series_id = "
	    "sm.series_id WHERE m.id = %lld) "
	    "INSERT INTO users (login, display_name, org_id, password_hash, "
	    "roles) SELECT '%s' || g, 'Bench ' || g, o.a[1 + g %% "
	    "array_length(o.a, 1)], %s, '{member}' "
	    "FROM generate_series(1, %d) g, o",
	    (long long)meeting, prefix, expr, n);
	if (harness_psql(&srv, sql) != 0) {
		fprintf(stderr, "tafel_bench: creating users failed\n");
		exit(1);
	}
}

void
bench_cases(const char *tag, int n, int64_t *ids)
{
	char q[1400], *v, *p;
	size_t cap = (size_t)n * 24 + 64;
	int k = 0;

	snprintf(q, sizeof q, "WITH s AS (SELECT theme, approach, district, "
	    "submitter_org_id, summary, row_number() OVER (ORDER BY id) rn, "
	    "count(*) OVER () n FROM cases), c AS (INSERT INTO cases (number, "
	    "theme, approach, district, submitter_org_id, status, summary) "
	    "SELECT '%s-' || lpad(g::text, 5, '0'), s.theme, s.approach, "
	    "s.district, s.submitter_org_id, 'in_progress', s.summary FROM "
	    "generate_series(1, %d) g JOIN s ON s.rn = 1 + (g - 1) %% s.n "
	    "RETURNING id, submitter_org_id, number), p AS (INSERT INTO persons "
	    "(case_id, role, name, name_key, birth_date) SELECT c.id, r.role, "
	    "r.role || ' ' || c.number, r.role || c.number, date '1980-01-01' "
	    "+ (c.id %% 9000)::int FROM c, (VALUES ('victim'), ('suspect')) "
	    "r(role)), o AS (INSERT INTO case_involved_orgs (case_id, org_id) "
	    "SELECT id, submitter_org_id FROM c UNION SELECT c.id, u.org_id "
	    "FROM c, users u WHERE u.login = 'voorzitter' ON CONFLICT DO "
	    "NOTHING) "
	    "SELECT string_agg(id::text, ',' ORDER BY number) FROM c",
	    tag, n);
	v = malloc(cap);
	if (harness_psql_value(&srv, q, v, cap) != 0) {
		fprintf(stderr, "tafel_bench: creating cases failed\n");
		exit(1);
	}
	for (p = v; k < n && *p != '\0'; k++) {
		ids[k] = strtoll(p, &p, 10);
		if (*p == ',')
			p++;
	}
	free(v);
	if (k != n) {
		fprintf(stderr, "tafel_bench: %d of %d cases made\n", k, n);
		exit(1);
	}
}

void
bench_login(struct tclient *c, struct tafeld *t, const char *prefix, int k)
{
	char login[64];

	snprintf(login, sizeof login, "%s%d", prefix, k);
	if (tclient_login(c, t, login, "demo") != 0) {
		fprintf(stderr, "tafel_bench: login %s failed\n", login);
		exit(1);
	}
}

void
bench_nonblock(struct tclient *c)
{
	int fl = fcntl(c->fd, F_GETFL);

	if (fl >= 0)
		fcntl(c->fd, F_SETFL, fl | O_NONBLOCK);
}

/* Reads what a non-blocking socket holds into c's buffer; -1 at its end. */
static int
pump(struct tclient *c)
{
	int r, e;

	for (;;) {
		if (c->cap - c->len < 65536) {
			c->cap = c->cap ? c->cap * 2 : 131072;
			c->buf = realloc(c->buf, c->cap);
		}
		r = SSL_read(c->ssl, c->buf + c->len, (int)(c->cap - c->len));
		if (r > 0) {
			c->len += (size_t)r;
			continue;
		}
		e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ)
			return 0;
		c->eof = 1;
		return -1;
	}
}

/* The next event among c's queued events and whole frames; NULL: none yet. */
static Tafel__Envelope *
next_event(struct tclient *c)
{
	Tafel__Envelope *m;

	if (c->n_queued > 0) {
		m = c->queued[0];
		memmove(c->queued, c->queued + 1, --c->n_queued *
		    sizeof c->queued[0]);
		return m;
	}
	while ((m = tclient_take(c)) != NULL) {
		if (m->body_case == B(EVENT))
			return m;
		frame_free(m);
	}
	return NULL;
}

int
bench_pump(struct tclient *c)
{
	return pump(c);
}

int
wait_events(struct tclient **cs, int n, long long *arrive, int timeout_ms)
{
	struct pollfd *pfd = calloc((size_t)n, sizeof *pfd);
	int *who = calloc((size_t)n, sizeof *who), left = n, np, k, i, r;
	char *done = calloc((size_t)n, 1);
	long long deadline = now_us() + (long long)timeout_ms * 1000, wait;
	Tafel__Envelope *m;

	for (;;) {
		np = 0;
		for (k = 0; k < n; k++) {
			if (done[k])
				continue;
			if ((m = next_event(cs[k])) != NULL) {
				arrive[k] = now_us();
				frame_free(m);
				done[k] = 1;
				left--;
				continue;
			}
			if (cs[k]->eof)
				continue;
			pfd[np].fd = cs[k]->fd;
			pfd[np].events = POLLIN;
			who[np++] = k;
		}
		wait = (deadline - now_us()) / 1000;
		if (left == 0 || np == 0 || wait <= 0)
			break;
		r = poll(pfd, (nfds_t)np, (int)wait);
		if (r < 0 && errno != EINTR)
			break;
		for (i = 0; i < np && r > 0; i++)
			if (pfd[i].revents != 0)
				pump(cs[who[i]]);
	}
	free(pfd);
	free(who);
	free(done);
	return left;
}
