/* Password checks off the event loop (Argon2id worker threads) and login throttling. */
#include "auth.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "server.h"
#include "xmalloc.h"

/* Failures older than this no longer count. */
#define THROTTLE_WINDOW_S 900
#define THROTTLE_SLOTS 4096
/* Failed logins of one user (from any address) that cost nothing yet. */
#define THROTTLE_USER_GRACE 3
/*
 * Distinct user names that may fail from one address before the address
 * itself is slowed: a typo behind a shared (NAT) address slows only that
 * user there, a sweep over many names slows the address.
 */
#define THROTTLE_ADDR_NAMES 5
#define THROTTLE_NAMES_KEPT 16

struct auth_job {
	char *hash;		/* NULL: check against the dummy hash */
	char *password;
	size_t password_len;
	uint32_t from;		/* hash of the client's address (turns) */
	int ok;			/* result, set by the worker */
	auth_verify_fn fn;
	void *arg;
	struct auth_job *next;
};

/* Slots of the per-address count auth_pick makes (a power of two). */
#define AUTH_PICK_SLOTS 1024

struct throttle {
	char key[128];		/* "p:<ip> <login>", "u:<login>" or "a:<ip>" */
	unsigned failures;
	time_t last;
	uint32_t names[THROTTLE_NAMES_KEPT];	/* "a:": names that failed */
	unsigned n_names;
};

struct auth {
	pthread_t *threads;
	int n_threads;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct auth_job *todo, *todo_tail;	/* for the workers */
	uint32_t *running;			/* job->from per worker, or 0 */
	unsigned pick_count[AUTH_PICK_SLOTS];	/* auth_pick's scratch */
	struct auth_job *done;			/* for the loop */
	int pipe[2];				/* worker -> loop wake-up */
	struct event *ev;
	int stopping;
	char dummy[crypto_pwhash_STRBYTES];	/* for unknown users */
	struct throttle slots[THROTTLE_SLOTS];
};

/*
 * Takes the next job off the list (a->lock held): the oldest of the
 * address with the fewest jobs waiting or running.  In plain order of
 * arrival, a login from a quiet address waited behind every check a flood
 * from other addresses had queued (each some 100 ms of a worker: seconds
 * for a few hundred connections); now it waits for a free worker.  The
 * addresses are counted by a hash of their key: two that share a slot
 * count as one, which only makes the turns a little less fair.
 */
static struct auth_job *
auth_pick(struct auth *a)
{
	struct auth_job *j, *prev, *best = NULL, *best_prev = NULL;
	unsigned mask = AUTH_PICK_SLOTS - 1, n, best_n = 0;
	int i;

	memset(a->pick_count, 0, sizeof a->pick_count);
	for (i = 0; i < a->n_threads; i++)
		if (a->running[i] != 0)
			a->pick_count[a->running[i] & mask]++;
	for (j = a->todo; j != NULL; j = j->next)
		a->pick_count[j->from & mask]++;
	for (prev = NULL, j = a->todo; j != NULL; prev = j, j = j->next) {
		n = a->pick_count[j->from & mask];
		if (best == NULL || n < best_n) {
			best = j, best_prev = prev, best_n = n;
			if (n == 1)
				break;	/* alone: none is fairer */
		}
	}
	if (best == NULL)
		return NULL;
	if (best_prev != NULL)
		best_prev->next = best->next;
	else
		a->todo = best->next;
	if (a->todo_tail == best)
		a->todo_tail = best_prev;
	best->next = NULL;
	return best;
}

/* FNV-1a of an address key; never 0 (0 marks an idle worker). */
static uint32_t
auth_from_hash(const char *from)
{
	uint32_t h = 2166136261u;

	for (; from != NULL && *from != '\0'; from++)
		h = (h ^ (unsigned char)*from) * 16777619u;
	return h != 0 ? h : 1;
}

struct auth_worker_arg {
	struct auth *a;
	int index;
};

static void *
auth_worker(void *arg)
{
	struct auth *a = ((struct auth_worker_arg *)arg)->a;
	int me = ((struct auth_worker_arg *)arg)->index;
	struct auth_job *j;
	const char *h;
	char b = 1;

	free(arg);
	for (;;) {
		pthread_mutex_lock(&a->lock);
		a->running[me] = 0;
		while (a->todo == NULL && !a->stopping)
			pthread_cond_wait(&a->cond, &a->lock);
		if (a->todo == NULL) {
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
		j = auth_pick(a);
		a->running[me] = j->from;
		pthread_mutex_unlock(&a->lock);

		h = (j->hash != NULL && j->hash[0] != '\0') ? j->hash : a->dummy;
		j->ok = crypto_pwhash_str_verify(h, j->password,
		    j->password_len) == 0 && h != a->dummy;
		sodium_memzero(j->password, j->password_len);

		pthread_mutex_lock(&a->lock);
		j->next = a->done;
		a->done = j;
		pthread_mutex_unlock(&a->lock);
		if (write(a->pipe[1], &b, 1) < 0 && errno != EAGAIN)
			log_error("auth: wake-up pipe: %s", strerror(errno));
	}
}

/* Runs on the loop: delivers finished checks. */
static void
auth_done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct auth *a = arg;
	struct auth_job *list, *j;
	char buf[64];

	(void)what;
	while (read(fd, buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&a->lock);
	list = a->done;
	a->done = NULL;
	pthread_mutex_unlock(&a->lock);
	while ((j = list) != NULL) {
		list = j->next;
		j->fn(j->arg, j->ok);
		free(j->hash);
		free(j->password);
		free(j);
	}
}

void
auth_start(void)
{
	struct auth *a = xcalloc(1, sizeof *a);
	unsigned char rnd[16];
	char pw[sizeof rnd * 2 + 1];
	int i;

	if (sodium_init() < 0)
		fatalx("libsodium initialisation failed");
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
	if (auth_fast_hash())
		log_warn("TAFEL_TEST_FAST_HASH: passwords hashed here (the "
		    "dummy for unknown users) get libsodium's minimum cost "
		    "(tests only)");
	if (auth_hash_password(pw, a->dummy, sizeof a->dummy) != 0)
		fatalx("cannot compute the dummy password hash");
	if (pipe2(a->pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		fatal("pipe2");
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	a->ev = event_new(srv.base, a->pipe[0], EV_READ | EV_PERSIST,
	    auth_done_cb, a);
	event_add(a->ev, NULL);
	a->n_threads = (int)srv.cfg.hash_threads;
	a->threads = xcalloc((size_t)a->n_threads, sizeof *a->threads);
	a->running = xcalloc((size_t)a->n_threads, sizeof *a->running);
	for (i = 0; i < a->n_threads; i++) {
		struct auth_worker_arg *wa = xmalloc(sizeof *wa);

		wa->a = a;
		wa->index = i;
		if (pthread_create(&a->threads[i], NULL, auth_worker, wa) != 0)
			fatalx("cannot start password hashing thread");
	}
	srv.auth = a;
}

void
auth_stop(void)
{
	struct auth *a = srv.auth;
	struct auth_job *j;
	int i;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->stopping = 1;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	for (i = 0; i < a->n_threads; i++)
		pthread_join(a->threads[i], NULL);
	/*
	 * Jobs never delivered (the loop ended first): their owners free what
	 * they hold (ok = -1); before, each such login leaked.
	 */
	while ((j = a->todo) != NULL || (j = a->done) != NULL) {
		if (j == a->todo)
			a->todo = j->next;
		else
			a->done = j->next;
		j->fn(j->arg, -1);
		free(j->hash);
		explicit_bzero(j->password, j->password_len);
		free(j->password);
		free(j);
	}
	event_free(a->ev);
	close(a->pipe[0]);
	close(a->pipe[1]);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	free(a->threads);
	free(a->running);
	free(a);
	srv.auth = NULL;
}

void
auth_verify(const char *hash, const char *password, const char *from,
    auth_verify_fn fn, void *arg)
{
	struct auth *a = srv.auth;
	struct auth_job *j = xcalloc(1, sizeof *j);

	j->from = auth_from_hash(from);
	j->hash = hash ? xstrdup(hash) : NULL;
	j->password_len = strlen(password);
	j->password = xmalloc(j->password_len + 1);
	memcpy(j->password, password, j->password_len + 1);
	j->fn = fn;
	j->arg = arg;
	pthread_mutex_lock(&a->lock);
	if (a->todo_tail != NULL)
		a->todo_tail->next = j;
	else
		a->todo = j;
	a->todo_tail = j;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

/* Finds (or, when create, makes) the slot for key; evicts the oldest. */
static struct throttle *
throttle_slot(const char *key, int create)
{
	struct auth *a = srv.auth;
	struct throttle *oldest = &a->slots[0];
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < THROTTLE_SLOTS; i++) {
		struct throttle *t = &a->slots[i];

		if (t->key[0] != '\0' && now - t->last > THROTTLE_WINDOW_S)
			t->key[0] = '\0';	/* expired */
		if (t->key[0] != '\0' && strcmp(t->key, key) == 0)
			return t;
		if (t->key[0] == '\0' || t->last < oldest->last)
			oldest = t;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	return oldest;
}

static long long
delay_for(unsigned failures)
{
	long long d;

	if (failures == 0)
		return 0;
	d = srv.cfg.login_delay * (long long)failures;
	return d > srv.cfg.login_delay_max ? srv.cfg.login_delay_max : d;
}

/* The three records a login attempt counts against. */
static void
throttle_keys(const char *login, const char *ip, char pair[128],
    char user[128], char addr[128])
{
	snprintf(pair, 128, "p:%s %s", ip, login);
	snprintf(user, 128, "u:%s", login);
	snprintf(addr, 128, "a:%s", ip);
}

/* A small hash of a user name (FNV-1a), to count distinct names. */
static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * The delay is the largest of: the failures of this user from this
 * address; the user's failures from anywhere beyond a small grace; and,
 * for an address where many different names failed, their number beyond
 * the allowance.
 */
long long
auth_throttle_delay(const char *login, const char *ip)
{
	char kp[128], ku[128], ka[128];
	struct throttle *p, *u, *a;
	long long d = 0, x;

	throttle_keys(login, ip, kp, ku, ka);
	if ((p = throttle_slot(kp, 0)) != NULL)
		d = delay_for(p->failures);
	if ((u = throttle_slot(ku, 0)) != NULL &&
	    u->failures > THROTTLE_USER_GRACE &&
	    (x = delay_for(u->failures - THROTTLE_USER_GRACE)) > d)
		d = x;
	if ((a = throttle_slot(ka, 0)) != NULL &&
	    a->n_names >= THROTTLE_ADDR_NAMES &&
	    (x = delay_for(a->n_names - THROTTLE_ADDR_NAMES + 1)) > d)
		d = x;
	return d;
}

void
auth_throttle_failure(const char *login, const char *ip)
{
	char kp[128], ku[128], ka[128];
	struct throttle *t;
	uint32_t h = name_hash(login);
	unsigned i;

	throttle_keys(login, ip, kp, ku, ka);
	t = throttle_slot(kp, 1);
	t->failures++;
	t->last = time(NULL);
	t = throttle_slot(ku, 1);
	t->failures++;
	t->last = time(NULL);
	t = throttle_slot(ka, 1);
	t->failures++;
	t->last = time(NULL);
	for (i = 0; i < t->n_names && t->names[i] != h; i++)
		;
	if (i == t->n_names && t->n_names < THROTTLE_NAMES_KEPT)
		t->names[t->n_names++] = h;
}

#define UNLOCK_PREFIX "unlocked "

int
auth_unlock_notice(const char *payload)
{
	const char *login, *sp;
	size_t i;

	if (strncmp(payload, UNLOCK_PREFIX, strlen(UNLOCK_PREFIX)) != 0)
		return 0;
	login = payload + strlen(UNLOCK_PREFIX);
	for (i = 0; srv.auth != NULL && i < THROTTLE_SLOTS; i++) {
		struct throttle *t = &srv.auth->slots[i];

		if ((strncmp(t->key, "u:", 2) == 0 &&
		    strcmp(t->key + 2, login) == 0) ||
		    (strncmp(t->key, "p:", 2) == 0 &&
		    (sp = strchr(t->key, ' ')) != NULL &&
		    strcmp(sp + 1, login) == 0))
			t->key[0] = '\0';
	}
	log_info("login \"%s\" unlocked by an administrator: its login "
	    "slow-down ends", login);
	return 1;
}

void
auth_throttle_success(const char *login, const char *ip)
{
	char kp[128], ku[128], ka[128];
	struct throttle *t;

	/* The user proved the password; an address keeps its record. */
	throttle_keys(login, ip, kp, ku, ka);
	if ((t = throttle_slot(kp, 0)) != NULL)
		t->key[0] = '\0';
	if ((t = throttle_slot(ku, 0)) != NULL)
		t->key[0] = '\0';
}
