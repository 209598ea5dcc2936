/* Client addresses as text: the host for logs, and the network per-address limits count. */
#ifndef TAFEL_NETADDR_H
#define TAFEL_NETADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* Long enough for an IPv6 address or prefix ("…/64") and its NUL. */
#define NETADDR_LEN 64

/*
 * The address of sa without its port ("192.0.2.7", "2001:db8::1");
 * an IPv4 address mapped into IPv6 (::ffff:192.0.2.7) is given as IPv4.
 * "?" for other families.  Returns the port (0 if none).
 */
int netaddr_host(const struct sockaddr *sa, char *out, size_t n);

/*
 * What per-address limits count sa as: an IPv4 address on its own, an
 * IPv6 address by its /64 prefix ("2001:db8:1:2::/64"), since one host
 * usually holds a whole /64 and could otherwise take a fresh address for
 * every connection.  "?" for other families.
 */
void netaddr_limit_key(const struct sockaddr *sa, char *out, size_t n);

#endif
