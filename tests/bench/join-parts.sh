#!/bin/bash
# A join's snapshot in the database, in one warm session: the parts and the whole snapshot, and what the access of N cases costs one by one and at once.
#
# Usage: tests/bench/join-parts.sh BUILD   (as root, like tafel_bench)
# Runs `tafel_bench join 3` (50 agenda items, 500 action points) and keeps its cluster (kept-cluster.sh). Then, in one
# psql session each, prints the p50 in milliseconds of 25 calls after 5 unmeasured ones:
#   - tafel_snapshot_parts and tafel_snapshot_json for user join1 and the 50-item meeting;
#   - tafel_cases_access for 1, 4, 6, 8, 12 and 16 of its agenda's cases, for join1 (a member) and for the chair
#     with its beamer flags, once as installed and once with the switch to tafel_access_many moved out of reach
#     (every case one by one), so that the two ways can be compared at each size (docs/benchmarks.md, session 22).
set -euo pipefail
# shellcheck source=kept-cluster.sh
. "$(dirname "$0")/kept-cluster.sh"
kept_cluster_setup "${1:?usage: join-parts.sh BUILD}"
kept_cluster_run join 3 >/dev/null

cat >"$work/snapshot.sql" <<'EOF'
\set QUIET on
CREATE TEMP TABLE jp_ms(k text, ms float8);
DO $$
DECLARE
	v_user bigint := (SELECT id FROM users WHERE login = 'join1');
	v_meeting bigint := (SELECT max(id) FROM meetings);
	t0 timestamptz;
	x text;
BEGIN
	FOR i IN 1..30 LOOP
		t0 := clock_timestamp();
		x := (SELECT p FROM tafel_snapshot_parts(v_user, v_meeting, 0, 0) p)::text;
		IF i > 5 THEN INSERT INTO jp_ms VALUES ('tafel_snapshot_parts',
		    extract(epoch FROM clock_timestamp() - t0) * 1000); END IF;
		t0 := clock_timestamp();
		x := tafel_snapshot_json(v_user, v_meeting, false)::text;
		IF i > 5 THEN INSERT INTO jp_ms VALUES ('tafel_snapshot_json',
		    extract(epoch FROM clock_timestamp() - t0) * 1000); END IF;
	END LOOP;
END $$;
SELECT k || '  ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2)
FROM jp_ms GROUP BY k ORDER BY k DESC;
ROLLBACK;
EOF

cat >"$work/access.sql" <<'EOF'
\set QUIET on
CREATE TEMP TABLE jp_ms(who text, n int, ms float8);
DO $$
DECLARE
	v_meeting bigint := (SELECT max(id) FROM meetings);
	v_ids bigint[];
	v_user bigint;
	v_beamer bigint;
	v_n int;
	t0 timestamptz;
	x jsonb;
BEGIN
	FOR v_user, v_beamer IN SELECT id, 0 FROM users WHERE login = 'join1'
	    UNION ALL SELECT chair_id, id FROM meetings WHERE id = v_meeting LOOP
		FOREACH v_n IN ARRAY ARRAY[1, 4, 6, 8, 12, 16] LOOP
			v_ids := ARRAY(SELECT case_id FROM agenda_items
			    WHERE meeting_id = v_meeting ORDER BY position LIMIT v_n);
			FOR i IN 1..30 LOOP
				t0 := clock_timestamp();
				x := tafel_cases_access(v_user, 0, v_beamer, v_ids);
				IF i > 5 THEN INSERT INTO jp_ms VALUES (CASE WHEN v_beamer > 0
				    THEN 'chair' ELSE 'member' END, v_n,
				    extract(epoch FROM clock_timestamp() - t0) * 1000); END IF;
			END LOOP;
		END LOOP;
	END LOOP;
END $$;
SELECT who || '  ' || n || '  ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2)
FROM jp_ms GROUP BY who, n ORDER BY who DESC, n;
ROLLBACK;
EOF
# tafel_cases_access as installed, and with its switch to the bulk function out of reach; both loaded in the
# measuring transaction, so that both runs start from the same state
awk '/FUNCTION tafel_cases_access\(/,/^\$\$;/' "$src/sql/functions/62_bulk.sql" >"$work/installed.sql"
sed -E 's/ELSIF cardinality\(v_ids\) >= [0-9]+ THEN/ELSIF cardinality(v_ids) >= 1000000 THEN/' \
	"$work/installed.sql" >"$work/one-by-one.sql"
grep -q '>= 1000000' "$work/one-by-one.sql" || { echo "join-parts.sh: tafel_cases_access's switch not found" >&2; exit 1; }
chmod -R a+rX "$work"

echo "p50 ms of 25 calls, user join1, the 50-item meeting:"
"${psql_as[@]}" -At -c BEGIN -f "$work/snapshot.sql" | sed -n 's/^tafel/  tafel/p'
echo "tafel_cases_access, p50 ms of 25 calls: who, cases, as installed"
"${psql_as[@]}" -At -v ON_ERROR_STOP=1 -c BEGIN -f "$work/installed.sql" -f "$work/access.sql" |
	sed -n 's/^\(member\|chair\)/  \1/p'
echo "the same, every case one by one (tafel_access)"
"${psql_as[@]}" -At -v ON_ERROR_STOP=1 -c BEGIN -f "$work/one-by-one.sql" -f "$work/access.sql" |
	sed -n 's/^\(member\|chair\)/  \1/p'
