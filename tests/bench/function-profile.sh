#!/bin/bash
# The SQL functions' cost during a tafel_bench run: the run on a cluster with track_functions = 'all', then the top of pg_stat_user_functions.
#
# Usage: tests/bench/function-profile.sh BUILD [TAFEL_BENCH ARGS...]   (default: fanout 1 100; as root)
# Prints, per function: calls, total and self milliseconds, and the self microseconds of an average call
# (each session's first call, which compiles and plans, included). track_functions itself slows every call a little.
set -euo pipefail
build=$(cd "${1:?usage: function-profile.sh BUILD [tafel_bench args]}" && pwd)
shift
[ $# -gt 0 ] || set -- fanout 1 100
src=$(cd "$(dirname "$0")/../.." && pwd)
export TAFELD=$build/server/tafeld TAFELCTL=$build/server/tafelctl TAFEL_SOURCE_DIR=$src
export TAFEL_TEST_USER=${TAFEL_TEST_USER:-tafel}

# a template of this run's own (tests/data-template.sh) with the setting in it
export TAFEL_TEST_TEMPLATE_DIR
TAFEL_TEST_TEMPLATE_DIR=$(mktemp -d /tmp/tafel-profile-XXXXXX)
chmod 0755 "$TAFEL_TEST_TEMPLATE_DIR"
first=$(mktemp -d "$TAFEL_TEST_TEMPLATE_DIR/first-XXXXXX")
# shellcheck source=kept-cluster.sh
. "$src/tests/bench/kept-cluster.sh"
cleanup() {
	kept_cluster_cleanup
	rm -rf "$TAFEL_TEST_TEMPLATE_DIR"
}
trap cleanup EXIT
bash "$src/tests/data-template.sh" "$first"
for t in "$TAFEL_TEST_TEMPLATE_DIR"/tafel-template-*/; do
	echo "track_functions = 'all'" >>"$t/pg/data/postgresql.auto.conf"
done

# the statistics were written when the bench's tafeld stopped its cluster
kept_cluster_run "$@"
echo "SQL functions during tafel_bench $*, by self time:"
"${psql_as[@]}" -c "SELECT funcname, calls,
    round(total_time::numeric, 1) AS total_ms, round(self_time::numeric, 1) AS self_ms,
    round((self_time / calls)::numeric * 1000, 1) AS self_us_a_call
    FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT ${TAFEL_PROFILE_TOP:-40}"
