#!/bin/bash
# A client that cannot get in says why on the status line, instead of only counting down: the server's address does not
# answer ("server HOST:PORT niet bereikbaar"), or TLS fails because --ca is not the server's CA ("verbinding niet
# vertrouwd: klopt het CA-bestand (--ca)?"); a server that dies mid-session is "niet bereikbaar" while it is away,
# and the client is connected again (the problem gone from the status line) when it is back.
. "$(dirname "$0")/lib.sh"

start_server
port=$E2E_PORT

# a CA that did not sign the server's certificate
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$E2E_DIR.otherkey" \
	-out "$E2E_DIR.otherca" -subj /CN=other -days 2 >/dev/null 2>&1 || fail "openssl could not make a CA"
tm new-session -d -s badca -x 80 -y 24 "$(client_cmd politie) --ca $E2E_DIR.otherca; sleep 600" || fail "tmux badca"
wait_for badca "verbinding niet vertrouwd: klopt het CA-bestand (--ca)? — opnieuw over" ||
	fail "wrong CA not explained: $(screen badca)"

# nothing listens on that port
tm new-session -d -s badport -x 80 -y 24 "$(client_cmd politie) --server 127.0.0.1:1; sleep 600" || fail "tmux badport"
wait_for badport "server 127.0.0.1:1 niet bereikbaar — opnieuw over" || fail "unreachable server not explained: $(screen badport)"

# the server goes away during the meeting and comes back
start_client pol politie
wait_for pol "verbonden · vertraging" || fail "pol: not connected: $(screen pol)"
tafeld_kill	# no "server stopped" notice: the connection just breaks
wait_for pol "server 127.0.0.1:$port niet bereikbaar — opnieuw over" 40 || fail "pol: the server's absence not explained: $(screen pol)"
tafeld_start "$port"
wait_for pol "verbonden · vertraging" 60 || fail "pol: not connected again: $(screen pol)"
screen pol | grep -q "niet bereikbaar" && fail "pol: the old problem is still shown: $(screen pol)"
rm -f "$E2E_DIR.otherkey" "$E2E_DIR.otherca"
ok
