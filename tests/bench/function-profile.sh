#!/bin/bash
# The SQL functions' cost during a tafel_bench run: the run on a cluster with track_functions = 'all', then the top of pg_stat_user_functions.
#
# Usage: tests/bench/function-profile.sh BUILD [TAFEL_BENCH ARGS...]   (default: fanout 1 100; as root)
# Prints, per function: calls, total and self milliseconds, and the self microseconds of an average call
# (each session's first call, which compiles and plans, included). track_functions itself slows every call a little.
# TAFEL_PROFILE=statements instead logs every statement's duration in the cluster (log_min_duration_statement = 0)
# and prints, per statement the server sent, how many ran and their execution p50 / p90 / max in milliseconds
# (the database's part of a write or a push, without the network and tafeld).
set -euo pipefail
# shellcheck source=kept-cluster.sh
. "$(dirname "$0")/kept-cluster.sh"
kept_cluster_setup "${1:?usage: function-profile.sh BUILD [tafel_bench args]}"
shift
[ $# -gt 0 ] || set -- fanout 1 100

# a template of this run's own (tests/data-template.sh) with the setting in it
export TAFEL_TEST_TEMPLATE_DIR=$work
chmod 0755 "$TAFEL_TEST_TEMPLATE_DIR"
first=$(mktemp -d "$TAFEL_TEST_TEMPLATE_DIR/first-XXXXXX")
bash "$src/tests/data-template.sh" "$first"
mode=${TAFEL_PROFILE:-functions}
case $mode in
functions) setting="track_functions = 'all'" ;;
statements) setting="log_min_duration_statement = 0" ;;
*) echo "function-profile.sh: TAFEL_PROFILE is functions or statements, not '$mode'" >&2; exit 2 ;;
esac
for t in "$TAFEL_TEST_TEMPLATE_DIR"/tafel-template-*/; do
	echo "$setting" >>"$t/pg/data/postgresql.auto.conf"
done

# the statistics were written when the bench's tafeld stopped its cluster
kept_cluster_run "$@"
if [ "$mode" = statements ]; then
	echo "Statements during tafel_bench $*, execution time in the database (ms):"
	# "duration: 8.512 ms  execute <unnamed>: SELECT idx, event, same_as FROM tafel_push_events(...)"
	sed -n 's/.*duration: \([0-9.]*\) ms  execute [^:]*: \(.*\)$/\1\t\2/p' "$kept/pg/postgres.log" |
		awk -F '\t' '{ name = $2; if (match(name, /tafel_[a-z_]+\(/)) name = substr(name, RSTART, RLENGTH - 1)
			else name = substr(name, 1, 50); print name "\t" $1 }' |
		sort -t "$(printf '\t')" -k1,1 -k2,2n |
		awk -F '\t' 'function out() { if (n > 0) printf "  %-34s %6d  p50 %8.3f  p90 %8.3f  max %8.3f\n",
				name, n, v[int((n + 1) / 2)], v[int((n * 9 + 9) / 10)], v[n] }
			$1 != name { out(); name = $1; n = 0 } { v[++n] = $2 } END { out() }' |
		sort -k2,2nr
	exit 0
fi
echo "SQL functions during tafel_bench $*, by self time:"
"${psql_as[@]}" -c "SELECT funcname, calls,
    round(total_time::numeric, 1) AS total_ms, round(self_time::numeric, 1) AS self_ms,
    round((self_time / calls)::numeric * 1000, 1) AS self_us_a_call
    FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT ${TAFEL_PROFILE_TOP:-40}"
