/* Integration: database connection loss, two tafeld processes sharing one database, tafelctl administration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"

#define T 20000

static struct tafeld a;
static int64_t meeting_id, case_id, org_id;

static int
setup(void **state)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	struct tclient c;
	Tafel__Envelope *m;

	(void)state;
	if (tafeld_start_demo(&a, NULL) != 0 || tclient_login(&c, &a, "voorzitter", "demo") != 0)
		return -1;
	m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
	if (m == NULL || m->body_case != B(MEETING_LIST) ||
	    m->meeting_list->n_meetings == 0)
		return -1;
	meeting_id = m->meeting_list->meetings[0]->id;
	frame_free(m);
	m = tclient_subscribe(&c, meeting_id, 0, 0);
	if (m == NULL || m->body_case != B(SUBSCRIBED) ||
	    m->subscribed->snapshot->n_agenda == 0)
		return -1;
	case_id = m->subscribed->snapshot->agenda[0]->case_id;
	frame_free(m);
	tclient_close(&c);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&a);
}

static Tafel__Envelope *
add_action(struct tclient *c, const char *what)
{
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__ListOrganisationsRequest lo = TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;
	Tafel__Envelope *m;

	if (org_id == 0) {
		m = tclient_req(c, B(LIST_ORGANISATIONS), &lo, NULL);
		harness_expect_body(m, B(ORGANISATION_LIST));
		org_id = m->organisation_list->organisations[0]->id;
		frame_free(m);
	}
	r.case_id = case_id;
	r.meeting_id = meeting_id;
	r.description = (char *)what;
	r.owner_org_id = org_id;
	r.due_date = "2031-05-05";
	return tclient_req(c, B(CREATE_ACTION), &r, harness_key());
}

static void
subscribe(struct tclient *c)
{
	Tafel__Envelope *m = tclient_subscribe(c, meeting_id, 0, 0);

	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
}

/* Every database connection killed: requests get an answer (never hang), then work again. */
static void
test_database_connection_loss(void **state)
{
	struct tclient c, f;
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__Envelope *m;
	long long deadline;
	int ok = 0, unavailable = 0, lost;

	(void)state;
	assert_int_equal(tclient_login(&c, &a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&f, &a, "voorzitter", "demo"), 0);
	subscribe(&f);
	lost = tafeld_log_count(&a, "database connection");
	assert_int_equal(harness_psql(&a, "SELECT pg_terminate_backend(pid) "
	    "FROM pg_stat_activity WHERE datname = 'tafel' AND pid <> "
	    "pg_backend_pid()"), 0);
	deadline = now_ms() + 30000;
	while (!ok && now_ms() < deadline) {
		m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
		assert_non_null(m);	/* answered, not hanging */
		if (m->body_case == B(MEETING_LIST))
			ok = 1;
		else {
			assert_int_equal(m->body_case, B(ERROR));
			assert_int_equal(m->error->code,
			    TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE);
			unavailable++;
			usleep(100000);
		}
		frame_free(m);
	}
	assert_true(ok);
	/* The server noticed (its answers may or may not have been errors). */
	assert_true(tafeld_log_count(&a, "database connection") > lost);
	fprintf(stderr, "database loss: %d DATABASE_UNAVAILABLE answers\n",
	    unavailable);
	/* The LISTEN connection came back too: changes reach subscribers. */
	m = add_action(&c, "Na herstel van de databaseverbinding");
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	m = tclient_event(&f, T);
	assert_non_null(m);
	assert_string_equal(m->event->action_point->description,
	    "Na herstel van de databaseverbinding");
	frame_free(m);
	tclient_close(&c);
	tclient_close(&f);
}

/* Two tafeld processes on one database: a change made on one reaches clients of the other. */
static void
test_two_servers_one_database(void **state)
{
	struct tafeld b;
	struct tclient writer, reader;
	char db[700];
	const char *args[] = { "--db", db, NULL };
	Tafel__Envelope *m;

	(void)state;
	snprintf(db, sizeof db, "host=%s/pg/run port=5432 dbname=tafel", a.dir);
	assert_int_equal(tafeld_start(&b, NULL, args), 0);
	assert_int_equal(tafeld_log_count(&b, "using the configured PostgreSQL"), 1);
	assert_int_equal(tclient_login(&reader, &b, "voorzitter", "demo"), 0);
	subscribe(&reader);
	assert_int_equal(tclient_login(&writer, &a, "voorzitter", "demo"), 0);
	m = add_action(&writer, "Via de andere server");
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	m = tclient_event(&reader, T);
	assert_non_null(m);
	assert_string_equal(m->event->action_point->description,
	    "Via de andere server");
	frame_free(m);
	tclient_close(&writer);
	tclient_close(&reader);
	tafeld_stop(&b);
	tafeld_cleanup(&b);
}

/* tafelctl adds a user with a password, refuses duplicates and unknown organisations, disables and re-enables it. */
static void
test_ctl_user_admin(void **state)
{
	char pwfile[] = "/tmp/tafel-pw-XXXXXX";
	int fd = mkstemp(pwfile);
	const char *add[] = { "--password-file", pwfile, "user", "add", "nieuw",
	    "Nieuwe Gebruiker", "Gemeente Eemland-Twente", "member", NULL };
	const char *dup[] = { "--password-file", pwfile, "user", "add", "nieuw",
	    "Nog Een", "Gemeente Eemland-Twente", NULL };
	const char *bad_org[] = { "--password-file", pwfile, "user", "add", "x",
	    "X", "Bestaat Niet", NULL };
	static const char *const disable[] = { "user", "disable", "nieuw", NULL };
	static const char *const enable[] = { "user", "enable", "nieuw", NULL };
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	Tafel__Envelope *m;
	struct tclient c;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "geheim-123\n", 11), 11);
	close(fd);
	assert_int_equal(tafelctl_run(&a, add), 0);
	assert_int_not_equal(tafelctl_run(&a, dup), 0);
	assert_int_not_equal(tafelctl_run(&a, bad_org), 0);
	assert_int_equal(tclient_login(&c, &a, "nieuw", "geheim-123"), 0);
	tclient_close(&c);
	assert_int_not_equal(tclient_login(&c, &a, "x", "geheim-123"), 0);
	tclient_close(&c);

	assert_int_equal(tafelctl_run(&a, disable), 0);
	assert_int_equal(tclient_open(&c, &a, TAFEL_PROTOCOL_VERSION), 0);
	l.login = "nieuw";
	l.password = "geheim-123";
	m = tclient_req(&c, B(LOGIN), &l, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__ACCOUNT_DISABLED);
	frame_free(m);
	tclient_close(&c);
	assert_int_equal(tafelctl_run(&a, enable), 0);
	assert_int_equal(tclient_login(&c, &a, "nieuw", "geheim-123"), 0);
	tclient_close(&c);
	unlink(pwfile);
}

/*
 * tafelctl refuses arguments for the register that a request could not
 * carry (docs/protocol.md 5.4): an escape sequence in a name (it came back
 * raw out of `user list` onto the administrator's terminal), bytes that
 * are not UTF-8, a district of 9000 bytes; nothing of them is stored.
 */
static void
test_ctl_hostile_arguments(void **state)
{
	char pwfile[] = "/tmp/tafel-pw-XXXXXX";
	int fd = mkstemp(pwfile);
	static char huge[9001];
	const char *esc_name[] = { "--password-file", pwfile, "user", "add",
	    "ontsnapt", "Bob \033[2J\033[31mRood", "Gemeente Eemland-Twente",
	    NULL };
	static const char *const esc_district[] = { "pm", "add", "voorzitter",
	    "Wijk\033]0;titel\007", NULL };
	static const char *const nl_district[] = { "pm", "add", "voorzitter",
	    "Wijk\nTwee", NULL };
	static const char *const latin1[] = { "pm", "add", "voorzitter",
	    "Wijk \xe9\xe9n", NULL };
	const char *long_district[] = { "pm", "add", "voorzitter", huge, NULL };
	static const char *const fine[] = { "pm", "add", "voorzitter",
	    "Wijk Eén", NULL };
	char n[16];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "geheim-123\n", 11), 11);
	close(fd);
	memset(huge, 'a', sizeof huge - 1);
	assert_int_equal(tafelctl_run(&a, esc_name), 2);
	assert_int_equal(tafelctl_run(&a, esc_district), 2);
	assert_int_equal(tafelctl_run(&a, nl_district), 2);
	assert_int_equal(tafelctl_run(&a, latin1), 2);
	assert_int_equal(tafelctl_run(&a, long_district), 2);
	assert_int_equal(harness_psql_value(&a, "SELECT (SELECT count(*) FROM "
	    "users WHERE login = 'ontsnapt') + (SELECT count(*) FROM "
	    "process_managers WHERE district LIKE 'Wijk%' OR length(district) "
	    "> 200)", n, sizeof n), 0);
	assert_string_equal(n, "0");
	assert_int_equal(tafelctl_run(&a, fine), 0);
	assert_int_equal(harness_psql_value(&a, "SELECT count(*) FROM "
	    "process_managers WHERE district = 'Wijk Eén'", n, sizeof n), 0);
	assert_string_equal(n, "1");

	/*
	 * A password no login could carry (a tab; over 1024 bytes, or over
	 * tafelctl's line buffer, which cut it short) is refused, not stored.
	 */
	for (int i = 0; i < 3; i++) {
		static const char *const bad_pw[] = { "geheim\tmet tab\n",
		    NULL, NULL };
		const char *pw_add[] = { "--password-file", pwfile, "user",
		    "add", "onbruikbaar", "Onbruikbaar Wachtwoord",
		    "Gemeente Eemland-Twente", NULL };
		static char big[2000];

		assert_true((fd = open(pwfile, O_WRONLY | O_TRUNC)) >= 0);
		if (bad_pw[i] == NULL) {
			memset(big, 'w', sizeof big);
			big[(i == 1 ? 1025 : sizeof big - 1)] = '\n';
			assert_true(write(fd, big, i == 1 ? 1026 : sizeof big)
			    > 0);
		} else
			assert_true(write(fd, bad_pw[i], strlen(bad_pw[i])) > 0);
		close(fd);
		assert_int_equal(tafelctl_run(&a, pw_add), 1);
	}
	assert_int_equal(harness_psql_value(&a, "SELECT count(*) FROM users "
	    "WHERE login = 'onbruikbaar'", n, sizeof n), 0);
	assert_string_equal(n, "0");
	unlink(pwfile);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_database_connection_loss),
		cmocka_unit_test(test_two_servers_one_database),
		cmocka_unit_test(test_ctl_user_admin),
		cmocka_unit_test(test_ctl_hostile_arguments),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
