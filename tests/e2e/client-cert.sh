#!/bin/bash
# With client_certs = yes, tafel logs in with --cert/--key (or cert_file/key_file in its settings) and not without.
. "$(dirname "$0")/lib.sh"

tafeld_start 0 --set client_certs=yes
demo_data
(cd "$E2E_DIR" && "$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" \
	cert issue "Politie Eenheid Oost-Nederland" politie 30 >>"$E2E_DIR.log" 2>&1) ||
	fail "tafelctl cert issue"
crt=$E2E_DIR/politie.crt key=$E2E_DIR/politie.key
[ -s "$crt" ] && [ -s "$key" ] || fail "no certificate issued"

# without a certificate the TLS handshake fails
printf 'ping\nquit\n' | batch politie >/dev/null 2>&1 && fail "logged in without a certificate"

# one without the other is refused before connecting
out=$(printf 'quit\n' | batch politie --cert "$crt" 2>&1) && fail "--cert without --key accepted"
printf '%s\n' "$out" | grep -q -- "--key" || fail "--cert without --key: unclear message: $out"

# batch with --cert/--key
printf 'ping\nquit\n' | batch politie --cert "$crt" --key "$key" | grep -q '"pong"' ||
	fail "batch: no login with --cert/--key"
# without: told that the server wants a certificate, not only OpenSSL's alert
out=$(printf 'ping\nquit\n' | batch politie 2>&1) && fail "a login without a certificate worked"
# (OpenSSL's alert, or the close that TLS 1.3 may show instead of it)
printf '%s\n' "$out" | grep -qE "requires a client certificate of your organisation \(--cert and --key\)|requiring a client certificate \(--cert and --key\)" ||
	fail "no certificate: unclear message: $out"

# the settings file's cert_file/key_file
printf 'cert_file = %s\nkey_file = %s\n' "$crt" "$key" >"$E2E_DIR.certconf"
printf 'ping\nquit\n' | LANG=C.UTF-8 "$TAFEL" --batch --config "$E2E_DIR.certconf" \
	--server "127.0.0.1:$E2E_PORT" --user politie --ca "$E2E_DIR/tls/ca.crt" \
	--password-file "$E2E_DIR.pw" | grep -q '"pong"' ||
	fail "batch: no login with cert_file/key_file"
rm -f "$E2E_DIR.certconf"

# the terminal UI
start_client pol politie --cert "$crt" --key "$key"
wait_for pol "Overleggen" || fail "UI: no login with --cert/--key"
wait_for pol "Sanne Jansen" || fail "UI: not logged in as politie"
ok
