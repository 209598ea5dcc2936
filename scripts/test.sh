#!/bin/bash
# Builds Tafel twice (normal, and with AddressSanitizer + UndefinedBehaviorSanitizer): every test in the sanitizer build, all but the end-to-end suite in the normal one.
# The last line is the summary "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp

status=0
# dir:meson options:which tests.  The end-to-end suite (tmux, real clients,
# fault injection) runs once, in the sanitizer build: the same code with
# ASan and UBSan checking every run; running it twice took a third of
# CI's 30 minutes.  TAFEL_E2E_BOTH=1 runs it in the normal build too.
builds=("build-test::${TAFEL_E2E_BOTH:+all}" "build-asan:-Db_sanitize=address,undefined -Db_lundef=false:all")
for spec in "${builds[@]}"; do
    dir=${spec%%:*}
    rest=${spec#*:}
    opts=${rest%%:*}
    which=${rest#*:}
    suites=()
    [ "$which" = all ] || suites=(--no-suite e2e)
    echo "== $dir ($opts), at ${SECONDS} s"
    if [ ! -d "$dir" ]; then
        # shellcheck disable=SC2086
        meson setup "$dir" $opts >/dev/null || { echo "meson setup $dir failed"; status=1; continue; }
    fi
    if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
        tail -50 "$dir.build.log"
        echo "build $dir failed"
        status=1
        continue
    fi
    # each test has its own tafeld, cluster and port (tests/meson.build): two
    # at a time, three in the run with the e2e tests, which mostly wait on a
    # screen (on the 2-core CI machine: 926 s instead of 1020 s, all passing)
    jobs=2
    [ "$which" = all ] && jobs=3
    meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "${suites[@]}" ${TAFEL_TEST_ARGS:-} || status=1
done

# The libFuzzer targets under ASan+UBSan: replay the corpus and every past
# crash, then fuzz each target for a bounded time.
fuzz_log=build-fuzz.results
: > "$fuzz_log"
if [ "${TAFEL_FUZZ_SECONDS:-20}" != 0 ]; then
    echo "== fuzzing (${TAFEL_FUZZ_SECONDS:-20}s per target), at ${SECONDS} s"
    bash scripts/fuzz.sh --regress 2>&1 | tee -a "$fuzz_log.out" | grep -E '^(ok|FAIL) ' | sed 's/^/regress /' >> "$fuzz_log"
    bash scripts/fuzz.sh "${TAFEL_FUZZ_SECONDS:-20}" 2>&1 | tee -a "$fuzz_log.out" | grep -E '^(ok|FAIL) ' | sed 's/^/fuzz /' >> "$fuzz_log"
    cat "$fuzz_log"
    [ -s "$fuzz_log" ] || echo "FAIL fuzz (no result; see $fuzz_log.out)" >> "$fuzz_log"
fi

# The Debian package, once: build it, install it, start the unit's tafeld, purge it (about a minute).
if [ "${TAFEL_PACKAGE_TEST:-1}" != 0 ]; then
    echo "== package (scripts/build-deb.sh, tests/ops/deb-install.sh), at ${SECONDS} s"
    bash tests/ops/package.sh 2>&1 | tee build-package.results.out | grep -E '^(ok|FAIL) package' >> "$fuzz_log"
fi

echo "== counting, at ${SECONDS} s"
# Count every test of both builds from meson's JSON logs, and the fuzz runs.
python3 - build-test build-asan <<'PY'
import json, os, sys
passed = failed = skipped = 0
failures = []
if os.path.exists("build-fuzz.results"):
    for line in open("build-fuzz.results"):
        parts = line.split()
        if "ok" in parts[:2]:
            passed += 1
        else:
            failed += 1
            print("fuzz: " + line.strip())
for d in sys.argv[1:]:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        failed += 1
        print(f"{d}: no test log (build failed)")
        continue
    for line in open(log):
        r = json.loads(line)
        res = r.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            skipped += 1
        else:
            failed += 1
            failures.append((d, r))
# Only the end of CI's output may be kept: repeat why each test failed here,
# just above the summary (the full logs are in DIR/meson-logs/testlog.txt).
for d, r in failures:
    print(f"-- {d}: {r.get('name')}: {r.get('result')} (exit {r.get('returncode')}), last lines:")
    out = ((r.get("stdout") or "") + (r.get("stderr") or "")).splitlines()
    marks = ("FAIL", "ERROR", "error", "Sanitizer", "#0 ", "#1 ", "--- screen")
    keep = [l for l in out[:-30] if any(m in l for m in marks)][-10:]
    for line in keep + (["..."] if keep else []) + out[-30:]:
        print("   " + line[:240])
for d, r in failures:
    print(f"{d}: {r.get('name')}: {r.get('result')}")
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
