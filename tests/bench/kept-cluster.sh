# Sourced by the tests/bench scripts that look into the cluster a tafel_bench run leaves (bash; set -euo pipefail).
#
# kept_cluster_run ARGS...: runs "$build/tests/tafel_bench" ARGS with TAFEL_TEST_KEEP=1, then starts a tafeld
# without warm-up on the data directory it kept (so that nothing runs in the cluster but what the caller asks),
# and sets kept (the directory), kept_pid and psql_as (psql as the service user). kept_cluster_cleanup stops and
# removes it, and the scratch directory. Needs what kept_cluster_setup sets.
#
# kept_cluster_setup BUILD: build (BUILD, absolute) and src (the source tree); TAFELD, TAFELCTL, TAFEL_SOURCE_DIR
# and TAFEL_TEST_USER exported; work, a scratch directory; an EXIT trap that runs kept_cluster_cleanup.
kept=
kept_pid=
work=
psql_as=(psql)

kept_cluster_setup() {
	build=$(cd "$1" && pwd)
	src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	export TAFELD=$build/server/tafeld TAFELCTL=$build/server/tafelctl TAFEL_SOURCE_DIR=$src
	export TAFEL_TEST_USER=${TAFEL_TEST_USER:-tafel}
	work=$(mktemp -d /tmp/tafel-bench-XXXXXX)
	trap kept_cluster_cleanup EXIT
}

kept_cluster_cleanup() {
	if [ -n "$kept_pid" ]; then kill -TERM "$kept_pid" 2>/dev/null; wait "$kept_pid" 2>/dev/null || true; fi
	[ -z "$kept" ] || rm -rf "$kept" "$kept.log"
	[ -z "$work" ] || rm -rf "$work"
}

kept_cluster_run() {
	local err
	err=$(mktemp)
	# the harness names the directory it keeps on stderr (other runs may make theirs meanwhile)
	if ! TAFEL_TEST_KEEP=1 "$build/tests/tafel_bench" "$@" 2>"$err"; then
		cat "$err" >&2
		rm -f "$err"
		return 1
	fi
	grep -v '^kept data directory: ' "$err" >&2 || true
	kept=$(sed -n 's/^kept data directory: //p' "$err" | tail -n 1)
	rm -f "$err"
	[ -n "$kept" ] || { echo "$0: the bench kept no data directory" >&2; return 1; }
	"$TAFELD" --config /dev/null --data-dir "$kept" --listen 127.0.0.1:0 --set "user=$TAFEL_TEST_USER" \
		--set db_warm_up=no >>"$kept.log" 2>&1 &
	kept_pid=$!
	for _ in $(seq 1 300); do
		[ -S "$kept/pg/run/.s.PGSQL.5432" ] && break
		sleep 0.1
	done
	[ "$(id -u)" -ne 0 ] || psql_as=(runuser -u "$TAFEL_TEST_USER" -- psql)
	psql_as+=(-X -h "$kept/pg/run" -d tafel)
}
