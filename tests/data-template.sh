#!/bin/bash
# Fills a new, empty tafeld data directory from a template made once per tafeld binary (initdb and the migrations).
#
# Usage: data-template.sh DIR   (TAFELD names the binary; TAFEL_TEST_USER the user tafeld drops to)
#
# A first start of tafeld on an empty directory runs initdb, generates the TLS
# files and applies every migration: about 1.5 s, and the test suites start
# some 150 servers per build. The template is exactly such a directory after
# one first start and a clean stop (SIGTERM), made by this tafeld binary
# (the key is its SHA-256 with TZ and the user, so a rebuilt tafeld with
# other migrations gets a new template); a copy takes a tenth of a second and starts like a restart.
# TAFEL_TEST_TEMPLATE=0 leaves DIR empty, for tests of the first start itself
# (test_server_basic). Exit status 0 also when DIR was left empty on purpose.
# TAFEL_TEST_TEMPLATE_DIR (default /tmp) holds the templates; a run that
# changes its template (tests/bench/function-profile.sh) uses its own.
set -euo pipefail
dir=${1:?usage: data-template.sh DIR}
: "${TAFELD:?TAFELD not set}"
[ "${TAFEL_TEST_TEMPLATE:-1}" != 0 ] || exit 0
[ -d "$dir" ] && [ -z "$(ls -A "$dir")" ] || { echo "data-template: $dir is not an empty directory" >&2; exit 1; }

# initdb takes the cluster's time zone from TZ: part of the key, with the user
key=$( { sha256sum <"$TAFELD"; printf '%s\n' "${TZ:-}" "${TAFEL_TEST_USER:-tafel}"; } | sha256sum | cut -c1-16)
base=${TAFEL_TEST_TEMPLATE_DIR:-/tmp}
tpl=$base/tafel-template-$key
exec 9>"$tpl.lock"
flock 9
if [ ! -f "$tpl/.complete" ]; then
	# templates of earlier builds of this same binary path are of no more use
	for old in "$base"/tafel-template-*/; do
		old=${old%/}
		[ "$old" != "$tpl" ] && [ "$(cat "$old/.tafeld" 2>/dev/null)" = "$TAFELD ${TZ:-}" ] &&
			rm -rf "$old" "$old.lock" "$old.log"
	done
	rm -rf "$tpl"
	mkdir -m 0700 "$tpl"
	"$TAFELD" --data-dir "$tpl" --listen 127.0.0.1:0 --config /dev/null \
		--set "user=${TAFEL_TEST_USER:-tafel}" >"$tpl.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 1200); do
		grep -q "listening on" "$tpl.log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q "listening on" "$tpl.log"; then
		kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
		echo "data-template: tafeld did not start on $tpl:" >&2
		tail -n 20 "$tpl.log" >&2
		exit 1
	fi
	kill -TERM "$pid"
	wait "$pid" || { echo "data-template: tafeld did not stop cleanly:" >&2; tail -n 20 "$tpl.log" >&2; exit 1; }
	[ ! -e "$tpl/pg/data/postmaster.pid" ] || { echo "data-template: PostgreSQL still running in $tpl" >&2; exit 1; }
	printf '%s\n' "$TAFELD ${TZ:-}" >"$tpl/.tafeld"
	touch "$tpl/.complete"
fi
cp -a "$tpl/." "$dir/"
rm -f "$dir/.complete" "$dir/.tafeld"
# TAFEL_TEST_FSYNC=off (the tests' environment, tests/meson.build; not the
# benchmarks'): this copy's PostgreSQL does not fsync. The tests kill
# processes (tafeld, PostgreSQL, clients), never the machine, and what
# PostgreSQL has written to the kernel survives a killed process; each commit's
# WAL flush costs about 3 ms on CI's disk, a shutdown's checkpoint up to a second.
if [ "${TAFEL_TEST_FSYNC:-on}" = off ]; then
	printf '\n# tests/data-template.sh, TAFEL_TEST_FSYNC=off\nfsync = off\n' >>"$dir/pg/data/postgresql.conf"
fi
