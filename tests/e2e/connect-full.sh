#!/bin/bash
# A server at its connection limit closes a new connection before the hello; the client says that it may be full (its log says why), not only "server closed the connection".
. "$(dirname "$0")/lib.sh"

tafeld_start 0 --set max_connections=1
demo_data
start_client pol politie
wait_for pol "Sanne Jansen" || fail "the first client did not log in: $(screen pol)"
out=$(printf 'ping\nquit\n' | batch voorzitter 2>&1) && fail "a second connection got in past max_connections=1: $out"
printf '%s\n' "$out" | grep -q "closed the connection before the hello (it may be at its connection limit" ||
	fail "unclear message at the connection limit: $out"
grep -q "connection limit reached" "$E2E_DIR.log" || fail "tafeld did not log the refusal"
ok
