/* tafel_bench: the link mode — a partner on a poor link (150 ms each way, 1 Mbit/s: tbf on a veth pair into a network namespace, and a delaying TCP relay in a thread): login, meeting on screen and live changes, counted in the link's round trips. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* setns */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "envelope.h"
#include "frame.h"
#include "proto.h"
#include "tafel_bench.h"

#define DELAY_US 150000		/* each way */
#define RATE "1mbit"
#define MAX_PAIRS 8

/* Bytes read on one side, held until due, then written to the other. */
struct chunk {
	struct chunk *next;
	long long due;
	size_t len, off;	/* len 0: the end of the stream */
	char data[];
};

struct half {
	int from, to, eof_read, done;
	struct chunk *head, *tail;
};

struct pair {
	struct half h[2];	/* 0: client -> tafeld, 1: tafeld -> client */
	int used;
};

static struct pair pairs[MAX_PAIRS];
static int relay_listen = -1, relay_port, relay_stop;
static char ns_name[32], veth[32], far_ip[32];
static int have_ns;

static void
sh(const char *what, int *ok)
{
	char cmd[600];

	if (!*ok)
		return;
	snprintf(cmd, sizeof cmd, "%s >/dev/null 2>&1", what);
	if (system(cmd) != 0) {
		printf("  netns set-up failed at: %s\n", what);
		*ok = 0;
	}
}

static void
netns_down(void)
{
	char cmd[128];

	if (ns_name[0] == '\0')
		return;
	snprintf(cmd, sizeof cmd, "ip netns del %s >/dev/null 2>&1", ns_name);
	if (system(cmd) != 0)
		fprintf(stderr, "tafel_bench: ip netns del %s failed\n",
		    ns_name);
	ns_name[0] = '\0';
}

/*
 * A veth pair into a new network namespace, both ends shaped to RATE by
 * tbf (each end shapes what it sends).  The relay listens inside it, so
 * the client's traffic crosses the pair both ways.  0, or -1 (undone).
 */
static int
netns_up(void)
{
	char c[300];
	int ok = 1, pid = (int)getpid() % 1000000, net = pid % 250;

	snprintf(ns_name, sizeof ns_name, "tafelbench%d", pid);
	snprintf(veth, sizeof veth, "tbA%d", pid);
	snprintf(far_ip, sizeof far_ip, "10.213.%d.2", net);
	snprintf(c, sizeof c, "ip netns add %s", ns_name);
	sh(c, &ok);
	if (!ok) {
		ns_name[0] = '\0';
		return -1;
	}
	snprintf(c, sizeof c, "ip link add %s type veth peer name tbB%d", veth,
	    pid);
	sh(c, &ok);
	snprintf(c, sizeof c, "ip link set tbB%d netns %s", pid, ns_name);
	sh(c, &ok);
	snprintf(c, sizeof c, "ip addr add 10.213.%d.1/30 dev %s", net, veth);
	sh(c, &ok);
	snprintf(c, sizeof c, "ip link set %s up", veth);
	sh(c, &ok);
	snprintf(c, sizeof c, "ip -n %s addr add %s/30 dev tbB%d", ns_name,
	    far_ip, pid);
	sh(c, &ok);
	snprintf(c, sizeof c, "ip -n %s link set tbB%d up", ns_name, pid);
	sh(c, &ok);
	snprintf(c, sizeof c, "ip -n %s link set lo up", ns_name);
	sh(c, &ok);
	/* burst just over one packet: no 64 KiB bursts at line speed */
	snprintf(c, sizeof c, "tc qdisc add dev %s root tbf rate " RATE
	    " burst 4kb limit 1mb", veth);
	sh(c, &ok);
	snprintf(c, sizeof c, "ip netns exec %s tc qdisc add dev tbB%d root "
	    "tbf rate " RATE " burst 4kb limit 1mb", ns_name, pid);
	sh(c, &ok);
	if (!ok) {
		netns_down();
		return -1;
	}
	return 0;
}

/* The relay's listening socket: inside the namespace when there is one. */
static int
relay_open(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	char path[128];
	int host = -1, ns = -1, one = 1;

	if (have_ns) {
		snprintf(path, sizeof path, "/var/run/netns/%s", ns_name);
		host = open("/proc/thread-self/ns/net", O_RDONLY);
		ns = open(path, O_RDONLY);
		if (host < 0 || ns < 0 || setns(ns, CLONE_NEWNET) != 0)
			return -1;
	}
	relay_listen = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(relay_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	inet_pton(AF_INET, have_ns ? far_ip : "127.0.0.1", &a.sin_addr);
	if (bind(relay_listen, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(relay_listen, 16) != 0 ||
	    getsockname(relay_listen, (struct sockaddr *)&a, &len) != 0)
		return -1;
	relay_port = ntohs(a.sin_port);
	/* back to the host's namespace: tafeld is on its loopback */
	if (have_ns && setns(host, CLONE_NEWNET) != 0)
		return -1;
	if (host >= 0)
		close(host);
	if (ns >= 0)
		close(ns);
	fcntl(relay_listen, F_SETFL, O_NONBLOCK);
	return 0;
}

static void
relay_accept(void)
{
	struct sockaddr_in a;
	int down, up, one = 1, i;

	if ((down = accept(relay_listen, NULL, NULL)) < 0)
		return;
	for (i = 0; i < MAX_PAIRS && pairs[i].used; i++)
		;
	up = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)srv.port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (i == MAX_PAIRS || connect(up, (struct sockaddr *)&a, sizeof a)) {
		close(down);
		close(up);
		return;
	}
	setsockopt(down, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(up, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(down, F_SETFL, O_NONBLOCK);
	fcntl(up, F_SETFL, O_NONBLOCK);
	memset(&pairs[i], 0, sizeof pairs[i]);
	pairs[i].used = 1;
	pairs[i].h[0].from = pairs[i].h[1].to = down;
	pairs[i].h[0].to = pairs[i].h[1].from = up;
}

static void
half_read(struct half *h)
{
	char buf[65536];
	struct chunk *c;
	ssize_t r = read(h->from, buf, sizeof buf);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r < 0)
		r = 0;
	c = malloc(sizeof *c + (size_t)r);
	c->next = NULL;
	c->due = now_us() + DELAY_US;
	c->len = (size_t)r;
	c->off = 0;
	memcpy(c->data, buf, (size_t)r);
	if (h->tail != NULL)
		h->tail->next = c;
	else
		h->head = c;
	h->tail = c;
	if (r == 0)
		h->eof_read = 1;
}

/* Writes what is due, in order; the end of the stream as a shutdown. */
static void
half_write(struct half *h)
{
	struct chunk *c;
	ssize_t w;

	while ((c = h->head) != NULL && c->due <= now_us()) {
		if (c->len == 0) {
			shutdown(h->to, SHUT_WR);
			h->done = 1;
		} else {
			w = write(h->to, c->data + c->off, c->len - c->off);
			if (w < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			if (w < 0) {
				h->done = 1;
				h->eof_read = 1;
			} else if ((c->off += (size_t)w) < c->len)
				return;
		}
		h->head = c->next;
		if (h->head == NULL)
			h->tail = NULL;
		free(c);
	}
}

static void
pair_close(struct pair *p)
{
	struct chunk *c;
	int i;

	for (i = 0; i < 2; i++)
		while ((c = p->h[i].head) != NULL) {
			p->h[i].head = c->next;
			free(c);
		}
	close(p->h[0].from);
	close(p->h[0].to);
	p->used = 0;
}

/* The relay: every chunk is held DELAY_US in each direction, order kept. */
static void *
relay_run(void *arg)
{
	struct pollfd pfd[1 + 4 * MAX_PAIRS];
	struct { struct half *h; int out; } what[1 + 4 * MAX_PAIRS];
	long long wait, next;
	int np, i, j;

	(void)arg;
	while (!relay_stop) {
		np = 0;
		pfd[np].fd = relay_listen;
		pfd[np].events = POLLIN;
		what[np++].h = NULL;
		next = now_us() + 50000;
		for (i = 0; i < MAX_PAIRS; i++) {
			if (!pairs[i].used)
				continue;
			if (pairs[i].h[0].done && pairs[i].h[1].done) {
				pair_close(&pairs[i]);
				continue;
			}
			for (j = 0; j < 2; j++) {
				struct half *h = &pairs[i].h[j];

				if (!h->eof_read) {
					pfd[np].fd = h->from;
					pfd[np].events = POLLIN;
					what[np].h = h;
					what[np++].out = 0;
				}
				if (h->head != NULL && h->head->due <= now_us()) {
					pfd[np].fd = h->to;
					pfd[np].events = POLLOUT;
					what[np].h = h;
					what[np++].out = 1;
				} else if (h->head != NULL && h->head->due < next)
					next = h->head->due;
			}
		}
		wait = (next - now_us() + 999) / 1000;
		if (poll(pfd, (nfds_t)np, wait > 0 ? (int)wait : 0) < 0 &&
		    errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			relay_accept();
		for (i = 1; i < np; i++)
			if (pfd[i].revents != 0) {
				if (what[i].out)
					half_write(what[i].h);
				else
					half_read(what[i].h);
			}
		/* chunks that fell due while polling */
		for (i = 0; i < MAX_PAIRS; i++)
			for (j = 0; j < 2 && pairs[i].used; j++)
				half_write(&pairs[i].h[j]);
	}
	for (i = 0; i < MAX_PAIRS; i++)
		if (pairs[i].used)
			pair_close(&pairs[i]);
	return NULL;
}

/* Sends a request without waiting; returns its request id. */
static uint64_t
send_req(struct tclient *c, Tafel__Envelope__BodyCase body, void *msg)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	const ProtobufCFieldDescriptor *f;

	f = protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)body);
	*(void **)(void *)((char *)&env + f->offset) = msg;
	*(uint32_t *)(void *)((char *)&env + f->quantifier_offset) = f->id;
	env.idempotency_key = (char *)"";
	env.request_id = c->next_id++;
	if (tclient_send(c, &env) != 0) {
		fprintf(stderr, "tafel_bench: send over the link failed\n");
		exit(1);
	}
	return env.request_id;
}

/* The answer to request id (events and other answers dropped); its size. */
static Tafel__Envelope *
answer(struct tclient *c, uint64_t id, size_t *bytes)
{
	Tafel__Envelope *m;

	for (;;) {
		if ((m = tclient_recv(c, 60000)) == NULL) {
			fprintf(stderr, "tafel_bench: no answer over the link\n");
			exit(1);
		}
		if (m->request_id == id) {
			if (bytes != NULL)
				*bytes += tafel__envelope__get_packed_size(m) + 4;
			return m;
		}
		frame_free(m);
	}
}

struct login_times {
	long long tcp, tls, hello, login, snap;	/* us after connect() */
	size_t bytes;		/* the answers, inflated */
	size_t wire;		/* the same on the wire (Compressed frames) */
};

#define LINK_LISTS 1	/* tafel's six list subscriptions after the login */
#define LINK_EAGER 2	/* the login sent with our Hello, not after the server's */

/*
 * Connects through the relay as link1 and sends its Hello at once; the
 * login once the server's Hello is in, as tafel does (or at once with
 * LINK_EAGER, which docs/protocol.md 4.2 allows).  With LINK_LISTS it sends
 * tafel's list subscriptions together after the login, then meeting mid
 * once the meeting list is in; without, only the meeting after the login.
 */
static void
link_login(struct tclient *c, int64_t mid, int flags, struct login_times *lt)
{
	static const Tafel__SubscribeTopic lists[] = {
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS,
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST,
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST,
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASES,
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS,
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX };
	Tafel__SubscribeRequest sub[7];
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	Tafel__Envelope env, *m;
	Tafel__Hello h;
	struct sockaddr_in sa;
	uint64_t ids[7] = { 0 };
	char ca[400];
	long long t0;
	int all = (flags & LINK_LISTS) != 0, one = 1;
	size_t i, n = all ? 6 : 0, left;

	memset(c, 0, sizeof *c);
	memset(lt, 0, sizeof *lt);
	c->next_id = 1;
	snprintf(ca, sizeof ca, "%s/tls/ca.crt", srv.dir);
	c->ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_3_VERSION);
	SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_load_verify_locations(c->ctx, ca, NULL);
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)relay_port);
	inet_pton(AF_INET, have_ns ? far_ip : "127.0.0.1", &sa.sin_addr);
	t0 = now_us();
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		perror("tafel_bench: connect to the relay");
		exit(1);
	}
	lt->tcp = now_us() - t0;
	c->ssl = SSL_new(c->ctx);
	SSL_set1_host(c->ssl, "127.0.0.1");
	SSL_set_fd(c->ssl, c->fd);
	if (SSL_connect(c->ssl) != 1) {
		ERR_print_errors_fp(stderr);
		exit(1);
	}
	lt->tls = now_us() - t0;
	envelope_hello(&env, &h, "tafel_bench", TAFEL_MAX_FRAME);
	h.accept_zlib = harness_accept_zlib;	/* TAFEL_BENCH_ZLIB, main() */
	if (tclient_send(c, &env) != 0)
		exit(1);
	l.login = (char *)"link1";
	l.password = (char *)"demo";
	if (flags & LINK_EAGER)
		ids[0] = send_req(c, B(LOGIN), &l);
	m = tclient_recv(c, 60000);
	if (m == NULL || m->body_case != B(HELLO)) {
		fprintf(stderr, "tafel_bench: no Hello over the link\n");
		exit(1);
	}
	frame_free(m);
	lt->hello = now_us() - t0;
	if (!(flags & LINK_EAGER))
		ids[0] = send_req(c, B(LOGIN), &l);
	m = answer(c, ids[0], &lt->bytes);
	must(m, B(LOGIN_OK), "login over the link");
	frame_free(m);
	lt->login = now_us() - t0;
	for (i = 0; i < n; i++) {
		tafel__subscribe_request__init(&sub[i]);
		sub[i].topic = lists[i];
		ids[i] = send_req(c, B(SUBSCRIBE), &sub[i]);
	}
	tafel__subscribe_request__init(&sub[6]);
	sub[6].meeting_id = mid;
	if (!all)
		ids[6] = send_req(c, B(SUBSCRIBE), &sub[6]);
	/* the answers in any order; the meeting once the meeting list is in */
	for (left = n + (all ? 0 : 1); left > 0 || ids[6] == 0;) {
		if ((m = tclient_recv(c, 60000)) == NULL) {
			fprintf(stderr, "tafel_bench: no answer over the link\n");
			exit(1);
		}
		if (m->body_case == B(EVENT) || m->request_id == 0) {
			frame_free(m);
			continue;
		}
		lt->bytes += tafel__envelope__get_packed_size(m) + 4;
		left--;
		if (all && m->request_id == ids[1]) {
			ids[6] = send_req(c, B(SUBSCRIBE), &sub[6]);
			left++;
		}
		if (m->request_id == ids[6]) {
			must(m, B(SUBSCRIBED), "subscribe over the link");
			if (m->subscribed->snapshot == NULL) {
				fprintf(stderr, "tafel_bench: no snapshot\n");
				exit(1);
			}
			lt->snap = now_us() - t0;
		}
		frame_free(m);
	}
	lt->wire = lt->bytes - (c->zlib_plain - c->zlib_wire);
}

/* The link's own round trip: p50 of n pings through the relay (us). */
static long long
link_rtt(struct tclient *c, int n)
{
	Tafel__PingRequest p = TAFEL__PING_REQUEST__INIT;
	long long v[32], t0;
	int i;

	for (i = 0; i < n && i < 32; i++) {
		t0 = now_us();
		frame_free(must(answer(c, send_req(c, B(PING), &p), NULL),
		    B(PONG), "ping"));
		v[i] = now_us() - t0;
	}
	return stats_of(v, (size_t)i).p50;
}

static void
print_times(const char *what, const struct login_times *lt, long long rtt)
{
	double r = (double)rtt;

	printf("  %s\n", what);
	printf("    TCP connect           %7.1f ms  (the relay adds no delay "
	    "to the kernel's handshake: +1 RTT on a real link)\n",
	    (double)lt->tcp / 1000.0);
	printf("    TLS 1.3 handshake     %7.1f ms  %4.1f RTT\n",
	    (double)(lt->tls - lt->tcp) / 1000.0,
	    (double)(lt->tls - lt->tcp) / r);
	printf("    server Hello          %7.1f ms  %4.1f RTT after the "
	    "handshake\n",
	    (double)(lt->hello - lt->tls) / 1000.0,
	    (double)(lt->hello - lt->tls) / r);
	printf("    login answered        %7.1f ms  %4.1f RTT after the "
	    "handshake (one Argon2id check included)\n",
	    (double)(lt->login - lt->tls) / 1000.0,
	    (double)(lt->login - lt->tls) / r);
	printf("    meeting on screen     %7.1f ms  %4.1f RTT after the login "
	    "(%zu bytes of answers, %zu on the wire)   target <= 3 RTT\n",
	    (double)(lt->snap - lt->login) / 1000.0,
	    (double)(lt->snap - lt->login) / r, lt->bytes, lt->wire);
	printf("    connect -> meeting    %7.1f ms  %4.1f RTT\n",
	    (double)lt->snap / 1000.0, (double)lt->snap / r);
}

int
mode_link(int argc, char **argv)
{
	Tafel__SetCurrentItemRequest cur = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	int writes = argc > 0 ? atoi(argv[0]) : 50, w, missed = 0;
	int retries = 0;
	int64_t big = 0;
	struct login_times one, all;
	struct tclient c, *cs[1];
	long long rtt, *lat, arrive, t0;
	pthread_t th;
	char target[96];
	struct stats s;

	if (writes < 1)
		writes = 1;
	printf("tafel_bench link: one partner on a poor link, %d ms each way "
	    "(a delaying TCP relay) and " RATE "/s each way (tbf), the chair "
	    "on loopback writing (set_current_item) %d times\n",
	    DELAY_US / 1000, writes);
	have_ns = netns_up() == 0;
	if (have_ns) {
		atexit(netns_down);	/* also when a step fails with exit() */
		printf("  link: veth %s into network namespace %s, tbf " RATE
		    " on both ends, the relay listening at %s inside (if the "
		    "bench is killed: ip netns del %s)\n", veth, ns_name,
		    far_ip, ns_name);
	}
	else
		printf("  link: NO RATE LIMIT (network namespace or tbf not "
		    "available: run as root with ip and tc); delay only, "
		    "the relay on 127.0.0.1\n");
	if (relay_open() != 0) {
		perror("tafel_bench: relay");
		netns_down();
		return 1;
	}
	pthread_create(&th, NULL, relay_run, NULL);
	/* a partner with a real Argon2id password hash */
	bench_users("link", 1, 0);
	if (argc > 1 && strcmp(argv[1], "big") == 0)
		big = big_meeting(50, 500);
	print_load();
	link_login(&c, meeting, 0, &one);
	rtt = link_rtt(&c, 10);
	tclient_close(&c);
	printf("  the link's round trip (10 pings through the relay, p50): "
	    "%.1f ms\n", (double)rtt / 1000.0);
	print_times("the demo meeting; login, then only the meeting:", &one,
	    rtt);
	if (big > 0) {
		link_login(&c, big, 0, &one);
		tclient_close(&c);
		print_times("a meeting of 50 items and 500 action points; login, "
		    "then only the meeting:", &one, rtt);
	}
	link_login(&c, meeting, LINK_EAGER, &one);
	tclient_close(&c);
	print_times("the demo meeting, the login sent with the Hello "
	    "(protocol.md 4.2 allows it; tafel waits for the server's):", &one,
	    rtt);
	link_login(&c, meeting, LINK_LISTS, &all);
	print_times("the demo meeting as tafel starts: login, its six list "
	    "subscriptions together, the meeting once the meeting list is "
	    "in:", &all, rtt);
	fflush(stdout);
	/* write -> that screen */
	bench_nonblock(&c);
	cs[0] = &c;
	lat = calloc((size_t)writes, sizeof *lat);
	cur.meeting_id = meeting;
	for (w = 0; w < writes; w++) {
		cur.item_id = items[w % 2];
		t0 = now_us();
		frame_free(bench_write(&chair, B(SET_CURRENT_ITEM), &cur,
		    B(MEETING), "set_current_item", &retries));
		if (wait_events(cs, 1, &arrive, 30000) != 0) {
			missed++;
			arrive = now_us();
		}
		lat[w] = arrive - t0;
		frame_free(tclient_event(&chair, 30000));
		usleep(100000);
	}
	s = stats_of(lat, (size_t)writes);
	snprintf(target, sizeof target, "target p99 <= 1 RTT + 10 ms = %.0f "
	    "ms", (double)rtt / 1000.0 + 10);
	print_stats("write -> partner's screen", lat, writes, target);
	printf("  in round trips             p50 %.2f  p99 %.2f RTT\n",
	    (double)s.p50 / (double)rtt, (double)s.p99 / (double)rtt);
	if (retries > 0)
		printf("  %d writes sent again with their key (DATABASE_"
		    "UNAVAILABLE or OVERLOADED)\n", retries);
	if (missed > 0)
		printf("  %d events never arrived (30 s)\n", missed);
	print_load();
	free(lat);
	tclient_close(&c);
	relay_stop = 1;
	pthread_join(th, NULL);
	close(relay_listen);
	netns_down();
	return missed > 0 ? 1 : 0;
}
