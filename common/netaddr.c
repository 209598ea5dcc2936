/* Client addresses as text: the host for logs, and the network per-address limits count. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "netaddr.h"

/* The IPv4 address inside an IPv4-mapped IPv6 one, or 0 if it is not one. */
static int
mapped_v4(const struct sockaddr_in6 *in6, struct in_addr *v4)
{
	if (!IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
		return 0;
	memcpy(&v4->s_addr, &in6->sin6_addr.s6_addr[12], 4);
	return 1;
}

int
netaddr_host(const struct sockaddr *sa, char *out, size_t n)
{
	struct in_addr v4;

	snprintf(out, n, "?");
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)n);
		return ntohs(in->sin_port);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (mapped_v4(in6, &v4))
			inet_ntop(AF_INET, &v4, out, (socklen_t)n);
		else
			inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)n);
		return ntohs(in6->sin6_port);
	}
	return 0;
}

void
netaddr_limit_key(const struct sockaddr *sa, char *out, size_t n)
{
	const struct sockaddr_in6 *in6 = (const void *)sa;
	struct in6_addr prefix;
	struct in_addr v4;
	char text[INET6_ADDRSTRLEN];

	if (sa->sa_family != AF_INET6 || mapped_v4(in6, &v4)) {
		netaddr_host(sa, out, n);
		return;
	}
	memset(&prefix, 0, sizeof prefix);
	memcpy(prefix.s6_addr, in6->sin6_addr.s6_addr, 8);
	inet_ntop(AF_INET6, &prefix, text, sizeof text);
	snprintf(out, n, "%s/64", text);
}
