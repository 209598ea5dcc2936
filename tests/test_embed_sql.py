#!/usr/bin/env python3
"""Tests scripts/embed-sql.py: bad names, duplicates, gaps and functions defined twice or in a migration fail; awkward SQL survives a C compiler byte for byte.

Usage: test_embed_sql.py PATH/TO/embed-sql.py   (CC from the environment, default cc)
"""

import os
import shutil
import subprocess
import sys
import tempfile

SCRIPT = None
FAILURES = []

STUB_HEADER = """\
#include <stddef.h>
struct migration { int version; const char *name; const char *sql; };
struct sql_code { const char *name; const char *sql; };
extern const struct migration migrations[];
extern const size_t n_migrations;
extern const struct sql_code sql_code[];
extern const size_t n_sql_code;
extern const char sql_code_hash[];
"""

DUMP_MAIN = """\
#include <stdio.h>
#include <string.h>
#include "migrate.h"
int main(int argc, char **argv) {
	size_t i;
	for (i = 0; i < n_migrations && (int)i + 1 < argc; i++) {
		FILE *f = fopen(argv[i + 1], "wb");
		if (f == NULL) return 2;
		fprintf(f, "%d %s\\n", migrations[i].version, migrations[i].name);
		fwrite(migrations[i].sql, 1, strlen(migrations[i].sql), f);
		fclose(f);
	}
	return n_migrations == (size_t)(argc - 1) ? 0 : 3;
}
"""


def run(tmp, files):
    """Writes files {name: bytes} into a fresh dir (names may start with
    functions/), runs the script on them."""
    d = tempfile.mkdtemp(dir=tmp)
    os.mkdir(os.path.join(d, "functions"))
    paths = []
    for name, data in files.items():
        p = os.path.join(d, name)
        with open(p, "wb") as f:
            f.write(data)
        paths.append(p)
    out = os.path.join(d, "out.c")
    r = subprocess.run([sys.executable, SCRIPT, out] + paths,
                       capture_output=True, text=True)
    return r, out, d


def expect_fail(tmp, label, files, needle):
    r, out, _ = run(tmp, files)
    if r.returncode == 0:
        FAILURES.append("%s: succeeded, expected failure" % label)
    elif needle not in r.stderr:
        FAILURES.append("%s: message %r lacks %r" % (label, r.stderr, needle))
    elif os.path.exists(out):
        FAILURES.append("%s: wrote %s anyway" % (label, out))


def test_round_trip(tmp):
    files = {
        "0002_quotes.sql": b"SELECT 'it''s', E'\\\\x', \"col\" FROM t; -- ??= ??/ ?\n",
        "0001_first.sql": b"CREATE TABLE t (x text);\n",
        "0003_utf8.sql": "-- caf\u00e9 \u2014 \u00fcber \U0001F600\nSELECT 'Gr\u00fc\u00dfe';\n\ttab\r\n".encode(),
        "0004_long.sql": (b"SELECT '" + b"x\\" * 30000 + b"';") ,  # one 60 KB line, no newline
        "0005_empty.sql": b"",
        "0006_digits_after_octal.sql": "\u00e97\u00e90".encode(),
    }
    r, out, d = run(tmp, files)
    if r.returncode != 0:
        FAILURES.append("round trip: script failed: %s" % r.stderr)
        return
    with open(out, encoding="ascii") as f:
        text = f.read()
    if max(len(line) for line in text.splitlines()) > 4000:
        FAILURES.append("round trip: a line of the C file exceeds 4000 characters")
    cc = os.environ.get("CC", "cc")
    if shutil.which(cc) is None:
        print("note: no C compiler (%s); skipping the compile check" % cc)
        return
    with open(os.path.join(d, "migrate.h"), "w") as f:
        f.write(STUB_HEADER)
    with open(os.path.join(d, "main.c"), "w") as f:
        f.write(DUMP_MAIN)
    exe = os.path.join(d, "dump")
    r = subprocess.run([cc, "-std=c17", "-Wall", "-Wextra", "-Werror",
                        "-pedantic", "-o", exe, os.path.join(d, "main.c"), out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        FAILURES.append("round trip: generated C does not compile:\n" + r.stderr)
        return
    names = sorted(files)
    dumps = [os.path.join(d, "dump%d" % i) for i in range(len(names))]
    r = subprocess.run([exe] + dumps)
    if r.returncode != 0:
        FAILURES.append("round trip: dump program exit %d" % r.returncode)
        return
    for i, name in enumerate(names):
        with open(dumps[i], "rb") as f:
            got = f.read()
        want = ("%d %s\n" % (i + 1, name[5:-4])).encode() + files[name]
        if got != want:
            FAILURES.append("round trip: %s differs after compiling" % name)


def main():
    global SCRIPT
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    SCRIPT = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="tafel-embed-")
    try:
        ok = b"SELECT 1;\n"
        expect_fail(tmp, "gap", {"0001_a.sql": ok, "0003_c.sql": ok}, "gap")
        expect_fail(tmp, "not from 1", {"0002_b.sql": ok}, "gap")
        expect_fail(tmp, "duplicate", {"0001_a.sql": ok, "0001_b.sql": ok},
                    "duplicate")
        expect_fail(tmp, "bad name", {"1_a.sql": ok}, "bad migration file name")
        expect_fail(tmp, "upper case", {"0001_Foo.sql": ok},
                    "bad migration file name")
        expect_fail(tmp, "no suffix", {"0001_a.txt": ok},
                    "bad migration file name")
        expect_fail(tmp, "nul byte", {"0001_a.sql": b"SELECT\0 1;"}, "NUL")
        expect_fail(tmp, "bad utf-8", {"0001_a.sql": b"SELECT '\xff';"},
                    "UTF-8")
        fn = b"CREATE OR REPLACE FUNCTION f(p_a bigint, p_b text DEFAULT '')\n" \
            b"RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
        expect_fail(tmp, "function in a migration",
                    {"0001_a.sql": ok, "0002_b.sql": fn}, "belong in sql/functions")
        expect_fail(tmp, "function defined twice",
                    {"0001_a.sql": ok, "functions/10_a.sql": fn,
                     "functions/20_b.sql": fn.replace(b"p_a bigint", b"x BIGINT")},
                    "f(bigint,text) is already defined at")
        expect_fail(tmp, "function defined twice in one file",
                    {"0001_a.sql": ok, "functions/10_a.sql": fn + fn},
                    "already defined")
        expect_fail(tmp, "bad function file name",
                    {"0001_a.sql": ok, "functions/1_a.sql": ok},
                    "bad function file name")
        # overloads and pg_temp helpers in migrations are fine
        r, _, _ = run(tmp, {"0001_a.sql": b"CREATE FUNCTION pg_temp.h() "
                            b"RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
                            "functions/10_a.sql": fn,
                            "functions/20_b.sql": fn.replace(b"p_b text", b"p_b int")})
        if r.returncode != 0:
            FAILURES.append("overloads: failed: %s" % r.stderr)
        r = subprocess.run([sys.executable, SCRIPT, os.path.join(tmp, "x.c")],
                           capture_output=True, text=True)
        if r.returncode == 0:
            FAILURES.append("no inputs: succeeded, expected failure")
        test_round_trip(tmp)
    finally:
        shutil.rmtree(tmp)
    for f in FAILURES:
        print("FAIL: " + f)
    if not FAILURES:
        print("ok: embed-sql.py")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
