#!/bin/bash
# What PostgreSQL's planning costs a snapshot: one session builds the join bench's 50-item snapshot cold, warm, after ANALYZE and so on.
#
# Usage: tests/bench/plan-cost.sh BUILD   (as root, like tafel_bench)
# Runs `tafel_bench join 3` (its fixture: 50 agenda items, 500 action points), then, on the cluster it leaves and in
# one psql session, times tafel_snapshot_parts for one of its users: the session's first call (every statement
# planned, the catalogue read), the second, the call after a full ANALYZE (it changes the tables' sizes, which
# invalidates the cached plans), the next, and the call after an ANALYZE that leaves the sizes alone. The figures
# are docs/benchmarks.md's, "Session 8".
set -euo pipefail
# shellcheck source=kept-cluster.sh
. "$(dirname "$0")/kept-cluster.sh"
kept_cluster_setup "${1:?usage: plan-cost.sh BUILD}"
kept_cluster_run join 3 >/dev/null

ids=$("${psql_as[@]}" -At -c "SELECT (SELECT max(id) FROM meetings) || ' ' || (SELECT id FROM users WHERE login = 'join1')")
read -r meeting user <<<"$ids"
call="SELECT length(p::text) FROM tafel_snapshot_parts($user, $meeting, 0, 0) p;"
{
	echo '\timing on'
	for step in "first call" "second call" "ANALYZE" "after ANALYZE" "next call" "ANALYZE action_points" \
		"after ANALYZE action_points"; do
		echo "\\echo $step"
		case $step in
		ANALYZE*) echo "${step};" ;;
		*) echo "$call" ;;
		esac
	done
} | "${psql_as[@]}" -q -t 2>&1 | awk '/^Time:/ { printf "%s ms\n", $2; next } NF && $1 !~ /^[0-9]+$/ { printf "  %-28s ", $0 }'
