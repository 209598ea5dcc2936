#!/bin/bash
# A client that cannot get in says why on the status line, instead of only counting down: the server's address does not
# answer ("server HOST:PORT niet bereikbaar"), or TLS fails because --ca is not the server's CA ("verbinding niet
# vertrouwd: klopt het CA-bestand (--ca)?"); a server that dies mid-session is "niet bereikbaar" while it is away,
# and the client is connected again (the problem gone from the status line) when it is back; a server that takes the
# connection but does not answer the TLS handshake is "niet bereikbaar" too, not blamed on the CA file; on a line too
# short for all of it, the server's name goes first and "volgt voorzitter" stays.
. "$(dirname "$0")/lib.sh"

start_server
port=$E2E_PORT

# a server that takes the connection but never answers the TLS handshake
# (frozen, or overloaded): not reachable, not "not trusted" (the CA is
# fine); started first, as the handshake takes 10 s to time out
tm new-session -d -s hung -x 80 -y 24 "python3 -c 'import socket, time
s = socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen(8)
open(\"$E2E_DIR.hungport\", \"w\").write(str(s.getsockname()[1])); time.sleep(600)'" ||
	fail "tmux hung"
for _ in $(seq 1 50); do [ -s "$E2E_DIR.hungport" ] && break; sleep 0.1; done
hung=$(cat "$E2E_DIR.hungport" 2>/dev/null)
[ -n "$hung" ] || fail "no silent listener"
tm new-session -d -s hungcl -x 80 -y 24 "$(client_cmd politie) --server 127.0.0.1:$hung; sleep 600" ||
	fail "tmux hungcl"

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
MEETING=$(meeting_id "SSO Enschede") || fail "no SSO meeting in the demo data"
start_client pol politie --meeting "$MEETING"
wait_for pol "verbonden · vertraging" || fail "pol: not connected: $(screen pol)"
wait_for pol "volgt voorzitter" || fail "pol: not following: $(screen pol)"
tafeld_kill	# no "server stopped" notice: the connection just breaks
wait_for pol "server 127.0.0.1:$port niet bereikbaar — opnieuw over" 40 || fail "pol: the server's absence not explained: $(screen pol)"
# in a narrower window (or with a long server name) the server's name goes
# first, so that whether the partner follows stays on the status line
tm resize-window -t pol -x 60
wait_re pol "^server niet bereikbaar — opnieuw over [0-9]+ s · volgt voorzitter" ||
	fail "pol: the follow state pushed off the status line: $(screen pol | tail -n 1)"
tm resize-window -t pol -x 80
tafeld_start "$port"
wait_for pol "verbonden · vertraging" 60 || fail "pol: not connected again: $(screen pol)"
screen pol | grep -q "niet bereikbaar" && fail "pol: the old problem is still shown: $(screen pol)"
wait_for hungcl "server 127.0.0.1:$hung niet bereikbaar — opnieuw over" 30 ||
	fail "a server that does not answer the handshake not explained: $(screen hungcl)"
screen hungcl | grep -qF "niet vertrouwd" && fail "a silent server blamed on the CA file: $(screen hungcl)"
rm -f "$E2E_DIR.otherkey" "$E2E_DIR.otherca"
ok
