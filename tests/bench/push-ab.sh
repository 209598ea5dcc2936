#!/bin/bash
# A/B of one push's cost in the database: tafel_push_events for 101 viewers (TAFEL_AB_VIEWERS + 1), with the installed functions and with SQL files loaded over them.
#
# Usage: tests/bench/push-ab.sh BUILD [FILE.sql...]   (as root, like tafel_bench)
# TAFEL_AB_VIEWERS=N (default 100, at most 5000): N bench users instead of 100; those past 100 are added by SQL
# in each measurement's transaction, spread over the organisations as tafel_bench spreads its own.
# TAFEL_AB_PROFILE=1: then one more run of the installed functions with track_functions = all, printing the 15
# functions of the most own time per tafel_push_events call (pg_stat_xact_user_functions: calls, total, self, ms).
# Runs `tafel_bench fanout 100` and keeps its cluster (kept-cluster.sh). Then, in one psql session per measurement,
# times tafel_push_events for the chair and the 100 bench users (each following the meeting) over the last 40
# set_current_item changes, three passes, the first not counted, and prints the p50 / p90 in milliseconds: "A" with
# the functions as installed, "B" with FILE.sql loaded first (e.g. the function as it was: `git show
# REV:sql/functions/30_covenant.sql`, cut to the one CREATE OR REPLACE). A and B alternate, three times each. Every
# measurement runs in a transaction it rolls back, so B's functions and the audit rows never stay.
set -euo pipefail
# shellcheck source=kept-cluster.sh
. "$(dirname "$0")/kept-cluster.sh"
kept_cluster_setup "${1:?usage: push-ab.sh BUILD [FILE.sql...]}"
shift
viewers=${TAFEL_AB_VIEWERS:-100}
case $viewers in '' | *[!0-9]*) echo "push-ab: TAFEL_AB_VIEWERS must be a number" >&2; exit 2 ;; esac
[ "$viewers" -ge 1 ] && [ "$viewers" -le 5000 ] || { echo "push-ab: TAFEL_AB_VIEWERS: 1..5000" >&2; exit 2; }
kept_cluster_run fanout 100 >/dev/null

for f in "$@"; do cat "$f"; done >"$work/b.sql"
{
printf '\\set QUIET on\n'
# bench101..benchN as bench_users (tafel_bench_common.c) makes them; no password: no login
[ "$viewers" -le 100 ] || cat <<EOF
WITH o AS (SELECT array_agg(sm.org_id ORDER BY sm.org_id) a FROM series_members sm
    JOIN meetings m ON m.series_id = sm.series_id WHERE m.id = (SELECT meeting_id
    FROM changelog WHERE op = 'set_current_item' ORDER BY seq DESC LIMIT 1))
INSERT INTO users (login, display_name, org_id, password_hash, roles)
SELECT 'bench' || g, 'Bench ' || g, o.a[1 + g % array_length(o.a, 1)], '!', '{member}'
FROM generate_series(101, $viewers) g, o;
EOF
printf "SET ab.viewers = '%d';\n" "$viewers"
cat <<'EOF'
CREATE TEMP TABLE ab_ms(ms float8);
DO $$
DECLARE
	v_meeting bigint := (SELECT meeting_id FROM changelog
	    WHERE op = 'set_current_item' ORDER BY seq DESC LIMIT 1);
	v_viewers jsonb := (SELECT jsonb_agg(jsonb_build_object('user_id', u.id,
	    'presentation_meeting', 0, 'meeting_id', v_meeting) ORDER BY u.id)
	    FROM users u WHERE (u.login ~ '^bench[0-9]+$'
		AND substr(u.login, 6)::int <= current_setting('ab.viewers')::int)
		OR u.id = (SELECT chair_id FROM meetings WHERE id = v_meeting));
	v_seq bigint;
	t0 timestamptz;
BEGIN
	FOR pass IN 1..3 LOOP
		FOR v_seq IN SELECT seq FROM changelog WHERE op = 'set_current_item'
		    ORDER BY seq DESC LIMIT 40 LOOP
			t0 := clock_timestamp();
			PERFORM count(*) FROM tafel_push_events(v_seq, v_viewers);
			IF pass > 1 THEN
				INSERT INTO ab_ms VALUES (extract(epoch FROM
				    clock_timestamp() - t0) * 1000);
			END IF;
		END LOOP;
	END LOOP;
END $$;
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) || ' / ' ||
    round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::numeric, 2) FROM ab_ms;
ROLLBACK;
EOF
} >"$work/time.sql"
chmod -R a+rX "$work"
echo "tafel_push_events for $((viewers + 1)) viewers, p50 / p90 ms over 80 calls (40 changes, twice):"
for round in 1 2 3; do
	printf 'A%d  %s\n' "$round" "$("${psql_as[@]}" -At -c BEGIN -f "$work/time.sql" | tail -n 1)"
	[ $# -gt 0 ] || continue
	printf 'B%d  %s\n' "$round" "$("${psql_as[@]}" -At -v ON_ERROR_STOP=1 -c BEGIN -f "$work/b.sql" \
		-f "$work/time.sql" | tail -n 1)"
done
[ "${TAFEL_AB_PROFILE:-0}" = 1 ] || exit 0
# the same run, its functions counted in the transaction before it rolls back
sed 's/^ROLLBACK;$//' "$work/time.sql" >"$work/profile.sql"
cat >>"$work/profile.sql" <<'EOF'
\echo function  calls per push  total ms per push  self ms per push
SELECT f.funcname, round(f.calls::numeric / p.calls, 1),
    round((f.total_time / p.calls)::numeric, 3), round((f.self_time / p.calls)::numeric, 3)
FROM pg_stat_xact_user_functions f,
    (SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'tafel_push_events') p
ORDER BY f.self_time DESC LIMIT 15;
ROLLBACK;
EOF
chmod a+r "$work/profile.sql"
echo "profile (track_functions = all, which slows every call):"
"${psql_as[@]}" -At -F '  ' -c BEGIN -c "SET LOCAL track_functions = 'all'" -f "$work/profile.sql" | tail -n 16
