/* Unit tests: the host text and the per-address limit key of client addresses. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "netaddr.h"

static void
v6(const char *text, int port, struct sockaddr_in6 *in6)
{
	memset(in6, 0, sizeof *in6);
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons((unsigned short)port);
	assert_int_equal(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
}

static void
test_ipv4(void **state)
{
	struct sockaddr_in in;
	char host[NETADDR_LEN], key[NETADDR_LEN];

	(void)state;
	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_port = htons(4433);
	inet_pton(AF_INET, "192.0.2.7", &in.sin_addr);
	assert_int_equal(netaddr_host((struct sockaddr *)&in, host,
	    sizeof host), 4433);
	assert_string_equal(host, "192.0.2.7");
	netaddr_limit_key((struct sockaddr *)&in, key, sizeof key);
	assert_string_equal(key, "192.0.2.7");
}

/* Two hosts of one /64 share a key; another /64 does not. */
static void
test_ipv6_prefix(void **state)
{
	struct sockaddr_in6 a, b, c;
	char ka[NETADDR_LEN], kb[NETADDR_LEN], kc[NETADDR_LEN], host[NETADDR_LEN];

	(void)state;
	v6("2001:db8:1:2::1", 1, &a);
	v6("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 2, &b);
	v6("2001:db8:1:3::1", 3, &c);
	netaddr_limit_key((struct sockaddr *)&a, ka, sizeof ka);
	netaddr_limit_key((struct sockaddr *)&b, kb, sizeof kb);
	netaddr_limit_key((struct sockaddr *)&c, kc, sizeof kc);
	assert_string_equal(ka, "2001:db8:1:2::/64");
	assert_string_equal(ka, kb);
	assert_string_not_equal(ka, kc);
	/* the logs keep the whole address */
	assert_int_equal(netaddr_host((struct sockaddr *)&b, host, sizeof host),
	    2);
	assert_string_equal(host, "2001:db8:1:2:aaaa:bbbb:cccc:dddd");
}

/* An IPv4 client on a dual-stack socket counts as its IPv4 address. */
static void
test_ipv4_mapped(void **state)
{
	struct sockaddr_in6 a, b;
	char ka[NETADDR_LEN], kb[NETADDR_LEN];

	(void)state;
	v6("::ffff:192.0.2.7", 5, &a);
	v6("::ffff:192.0.2.8", 5, &b);
	netaddr_limit_key((struct sockaddr *)&a, ka, sizeof ka);
	netaddr_limit_key((struct sockaddr *)&b, kb, sizeof kb);
	assert_string_equal(ka, "192.0.2.7");
	assert_string_equal(kb, "192.0.2.8");
}

static void
test_loopback_and_other(void **state)
{
	struct sockaddr_in6 lo;
	struct sockaddr un;
	char key[NETADDR_LEN];

	(void)state;
	v6("::1", 0, &lo);
	netaddr_limit_key((struct sockaddr *)&lo, key, sizeof key);
	assert_string_equal(key, "::/64");
	memset(&un, 0, sizeof un);
	un.sa_family = AF_UNIX;
	netaddr_limit_key(&un, key, sizeof key);
	assert_string_equal(key, "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6_prefix),
		cmocka_unit_test(test_ipv4_mapped),
		cmocka_unit_test(test_loopback_and_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
