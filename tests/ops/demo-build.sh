#!/bin/bash
# scripts/demo.sh's build step: quiet when the build works; when meson setup or ninja fails, the end of the build's output (the compiler's error) and a clear message on stderr, exit status 1, nothing started.
#   tests/ops/demo-build.sh SCRIPTS/DEMO.SH
# A copy of the script runs in a scratch tree whose install-deps.sh does
# nothing and whose meson, ninja and tafeld are stand-ins on PATH and in
# build/ (no real build, no server).
set -uo pipefail
DEMO=$1
T=$(mktemp -d /tmp/tafel-demobuild-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$T/repo/scripts" "$T/repo/build/server" "$T/bin" "$T/tmp"
cp "$DEMO" "$T/repo/scripts/demo.sh"
printf '#!/bin/bash\nexit 0\n' > "$T/repo/scripts/install-deps.sh"
cat > "$T/bin/ninja" <<EOF
#!/bin/bash
if [ -e "$T/ninja-fails" ]; then
	echo "[3/187] Compiling C object libtafelcommon.a.p/common_log.c.o"
	echo "FAILED: libtafelcommon.a.p/common_log.c.o"
	echo "../common/log.c:2:24: error: 'undeclared_name' undeclared here (not in a function)"
	echo "ninja: build stopped: subcommand failed."
	exit 1
fi
echo "[187/187] Linking target server/tafeld"
EOF
cat > "$T/bin/meson" <<EOF
#!/bin/bash
echo "The Meson build system"
echo "../meson.build:3:0: ERROR: deliberate setup error"
exit 1
EOF
# a tafeld that dies at once: the script stops there, after the build
printf '#!/bin/bash\necho "stand-in tafeld"\nexit 3\n' > "$T/repo/build/server/tafeld"
chmod +x "$T/bin/ninja" "$T/bin/meson" "$T/repo/build/server/tafeld"

demo() {
	PATH="$T/bin:$PATH" TMPDIR="$T/tmp" TAFEL_DATA_DIR="$T/data" \
	    TAFEL_DEMO_ADDR=127.0.0.1:1 bash "$T/repo/scripts/demo.sh" \
	    >"$T/out" 2>"$T/err"
}

# ninja fails: its error shown, said so, nothing started
touch "$T/repo/build/build.ninja" "$T/ninja-fails"
demo
rc=$?
[ $rc -eq 1 ] || fail "a failed build: exit status $rc, not 1"
grep -qF "error: 'undeclared_name' undeclared" "$T/err" ||
	fail "the compiler's error not shown: $(cat "$T/err")"
grep -qF "scripts/demo.sh: the build failed" "$T/err" ||
	fail "no message that the build failed: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "a failed build printed on stdout: $(cat "$T/out")"
grep -q "starting tafeld" "$T/out" "$T/err" && fail "tafeld started after a failed build"
# the whole output is kept where the message says
kept=$(sed -n 's/.*all of it in \(.*\))\.$/\1/p' "$T/err")
[ -n "$kept" ] && grep -qF "ninja: build stopped" "$kept" ||
	fail "the build's output not kept where said: '$kept'"

# meson setup fails (no build directory yet): the same
rm -f "$T/repo/build/build.ninja"
demo
rc=$?
[ $rc -eq 1 ] || fail "a failed setup: exit status $rc, not 1"
grep -qF "ERROR: deliberate setup error" "$T/err" ||
	fail "meson's error not shown: $(cat "$T/err")"
grep -qF "scripts/demo.sh: the build failed" "$T/err" ||
	fail "no message that the setup failed: $(cat "$T/err")"

# the build works: nothing of it shown, the script goes on (to the
# stand-in tafeld, which dies) and leaves no build output behind
touch "$T/repo/build/build.ninja"
rm -f "$T/ninja-fails" "$T"/tmp/tafel-demo-build.*
demo
grep -q "starting tafeld" "$T/out" || fail "a working build did not go on: $(cat "$T/out" "$T/err")"
grep -q "Linking target\|build failed" "$T/out" "$T/err" &&
	fail "a working build was not quiet: $(cat "$T/out" "$T/err")"
ls "$T"/tmp/tafel-demo-build.* >/dev/null 2>&1 && fail "a working build left its output file"
echo "ok"
