#!/bin/bash
# Builds the libFuzzer targets (build-fuzz, clang, ASan+UBSan) and fuzzes each for a bounded time, or replays corpora.
#
#   scripts/fuzz.sh [SECONDS]   fuzz every target SECONDS (default 60) on a
#                               copy of its seeds; non-zero exit on a crash
#   scripts/fuzz.sh --regress   run every target once over each file of its
#                               seed corpus and regressions directory
#   scripts/fuzz.sh --seeds     regenerate tests/fuzz/corpus and pbjson.dict
#
# Needs clang and libclang-rt-14-dev; installs nothing.  FUZZ_TARGETS limits
# the targets ("frame request").  See tests/fuzz/README.md.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=build-fuzz
TARGETS=(${FUZZ_TARGETS:-frame request pbjson})
FUZZ_DIR=tests/fuzz
ARTIFACTS=$BUILD/artifacts

mode=fuzz
seconds=60
case "${1:-}" in
--regress) mode=regress ;;
--seeds) mode=seeds ;;
"") ;;
*[!0-9]* | 0)
	echo "usage: $0 [SECONDS | --regress | --seeds]" >&2
	exit 2 ;;
*) seconds=$1 ;;
esac

# UBSan reports are crashes, not warnings; leaks are crashes too.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1

command -v clang >/dev/null || { echo "fuzz.sh: clang not found" >&2; exit 1; }
if ! grep -q "subdir('tests/fuzz')" meson.build; then
	echo "fuzz.sh: meson.build does not include tests/fuzz (see tests/fuzz/README.md)" >&2
	exit 1
fi
if [ ! -d "$BUILD" ]; then
	CC=clang meson setup "$BUILD" -Db_sanitize=address,undefined \
	    -Db_lundef=false -Dfuzz=true -Dtests=false >"$BUILD.setup.log" 2>&1 ||
	    { cat "$BUILD.setup.log"; echo "fuzz.sh: meson setup failed" >&2; exit 1; }
fi
if ! ninja -C "$BUILD" >"$BUILD.build.log" 2>&1; then
	tail -40 "$BUILD.build.log"
	echo "fuzz.sh: build failed" >&2
	exit 1
fi

if [ "$mode" = seeds ]; then
	rm -rf "$FUZZ_DIR/corpus"
	mkdir -p "$FUZZ_DIR/corpus"
	"$BUILD/tests/fuzz/make-seeds" "$FUZZ_DIR/corpus" "$FUZZ_DIR/pbjson.dict" || exit 1
	du -sb "$FUZZ_DIR/corpus"
	exit 0
fi

# Extra libFuzzer flags per target.
target_flags() {
	case $1 in
	pbjson) echo "-dict=$FUZZ_DIR/pbjson.dict" ;;
	esac
}

mkdir -p "$ARTIFACTS"
status=0
for t in "${TARGETS[@]}"; do
	exe=$BUILD/tests/fuzz/fuzz_$t
	log=$BUILD/fuzz_$t.log
	[ -x "$exe" ] || { echo "fuzz.sh: no $exe" >&2; status=1; continue; }
	common=(-timeout=10 -rss_limit_mb=2048 -max_len=65536
	    "-artifact_prefix=$ARTIFACTS/$t-" $(target_flags "$t"))
	if [ "$mode" = regress ]; then
		mapfile -t inputs < <(find "$FUZZ_DIR/corpus/$t" \
		    "$FUZZ_DIR/regressions/$t" -type f ! -name 'README*' | sort)
		echo "== $t: replaying ${#inputs[@]} inputs"
		"$exe" "${common[@]}" "${inputs[@]}" >"$log" 2>&1
		rc=$?
	else
		# Fuzz a scratch copy, so the committed corpus never grows.
		work=$BUILD/corpus/$t
		rm -rf "$work"
		mkdir -p "$work"
		cp "$FUZZ_DIR/corpus/$t"/* "$work"/
		find "$FUZZ_DIR/regressions/$t" -type f ! -name 'README*' \
		    -exec cp {} "$work"/ \;
		echo "== $t: fuzzing ${seconds}s"
		"$exe" "${common[@]}" -max_total_time="$seconds" \
		    -print_final_stats=1 "$work" >"$log" 2>&1
		rc=$?
		grep -E '^#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb' \
		    "$log" | sed 's/^/   /'
	fi
	if [ $rc -ne 0 ]; then
		status=1
		grep -E 'ERROR: |SUMMARY: |^fuzz_[a-z]+: |^Running: ' "$log" |
		    tail -6 | sed 's/^/   /'
		crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		if [ -z "$crash" ] && [ "$mode" = regress ]; then
			crash=$(sed -n 's/^Running: //p' "$log" | tail -1)
		fi
		echo "FAIL $t (exit $rc); input: ${crash:-unknown}; log: $log"
	else
		echo "ok   $t"
	fi
done
exit $status
