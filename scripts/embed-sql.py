#!/usr/bin/env python3
"""Embeds the SQL migrations and function files into a C file.

Usage: embed-sql.py [--symbol NAME] [--allow-functions] OUTPUT.c INPUT.sql...

Inputs named NNNN_name.sql are the numbered schema migrations (sql/); inputs
in a directory named "functions" and named NN_name.sql are the function
files (sql/functions/), applied in name order after the migrations whenever
their content hash changes (server/migrate.c).

Writes `migrations[]` and `n_migrations` (or NAME[] and n_NAME with --symbol;
see server/migrate.h), sorted by number, and, unless --symbol is given,
`sql_code[]`, `n_sql_code` and `sql_code_hash` (SHA-256 of the function
files' names and contents, in order).

Fails on a bad file name, a duplicate number, a gap in the numbering (they
must run 1, 2, 3, ...), a NUL byte, invalid UTF-8, a function defined more
than once (same name and argument types, in any of the inputs), or a
migration that defines a function (functions belong in sql/functions/;
pg_temp functions are allowed; --allow-functions lifts this for fixtures of
old migrations).
"""

import hashlib
import os
import re
import sys

NAME_RE = re.compile(r"^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$")
CODE_RE = re.compile(r"^(\d{2})_([a-z0-9][a-z0-9_]*)\.sql$")
FUNC_RE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([A-Za-z_][\w.]*)\s*\((.*?)\)"
    r"\s*RETURNS", re.I | re.S | re.M)
CHUNK = 3000  # characters of C source per string literal, well under 4095


def fail(msg):
    sys.stderr.write("embed-sql.py: %s\n" % msg)
    sys.exit(1)


def strip_comments(text):
    """The text without -- comments (string literals are left alone)."""
    out = []
    for line in text.split("\n"):
        i, quote = 0, False
        while i < len(line):
            if line[i] == "'":
                quote = not quote
            elif not quote and line.startswith("--", i):
                line = line[:i]
                break
            i += 1
        out.append(line)
    return "\n".join(out)


def functions(text):
    """Yields (signature, line) for each function the SQL text defines."""
    body = strip_comments(text)
    for m in FUNC_RE.finditer(body):
        types = []
        for p in m.group(2).split(","):
            p = " ".join(p.split())
            if not p:
                continue
            p = re.sub(r"\s+(DEFAULT|=)\s.*$", "", p, flags=re.I)
            words = p.split(" ")
            if words[0].upper() in ("IN", "OUT", "INOUT", "VARIADIC"):
                words = words[1:]
            types.append(" ".join(words[1:] if len(words) > 1 else words).lower())
        line = body.count("\n", 0, m.start()) + 1
        yield "%s(%s)" % (m.group(1).lower(), ",".join(types)), line


def c_chunks(data):
    """Yields C string literals (with quotes) that together spell data."""
    out = []
    size = 0
    for b in data:
        if b == 0x0A:
            piece = "\\n"
        elif b == 0x09:
            piece = "\\t"
        elif b == 0x0D:
            piece = "\\r"
        elif b == 0x22:
            piece = '\\"'
        elif b == 0x5C:
            piece = "\\\\"
        elif b == 0x3F:
            piece = "\\?"  # no trigraphs, even with -std=c17
        elif 0x20 <= b < 0x7F:
            piece = chr(b)
        else:
            piece = "\\%03o" % b  # always 3 digits: never runs on
        out.append(piece)
        size += len(piece)
        if size >= CHUNK or b == 0x0A:
            yield '"' + "".join(out) + '"'
            out = []
            size = 0
    if out:
        yield '"' + "".join(out) + '"'


def read(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))
    if b"\0" in data:
        fail("%s: contains a NUL byte" % path)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("%s: not valid UTF-8 (byte %d)" % (path, e.start))
    return data


def literal(data):
    return ["\t  " + lit for lit in (list(c_chunks(data)) or ['""'])]


def main(argv):
    args = argv[1:]
    symbol, allow_functions = "migrations", False
    while args and args[0].startswith("--"):
        if args[0] == "--symbol" and len(args) > 1 and \
                re.match(r"^[a-z_][a-z0-9_]*$", args[1]):
            symbol = args[1]
            args = args[2:]
        elif args[0] == "--allow-functions":
            allow_functions = True
            args = args[1:]
        else:
            fail("unknown option %s" % args[0])
    if len(args) < 2:
        fail("usage: embed-sql.py [--symbol NAME] [--allow-functions] "
             "OUTPUT.c INPUT.sql...")
    output, inputs = args[0], args[1:]
    with_code = symbol == "migrations"

    found, code = {}, {}
    for path in inputs:
        base = os.path.basename(path)
        in_functions = os.path.basename(os.path.dirname(os.path.abspath(
            path))) == "functions"
        if in_functions:
            m = CODE_RE.match(base)
            if m is None:
                fail("%s: bad function file name (want NN_short_name.sql, "
                     "lower case, digits and '_')" % path)
            if not with_code:
                fail("%s: function files go with the migrations only" % path)
            if base in code:
                fail("%s: duplicate function file %s" % (path, base))
            code[base] = path
            continue
        m = NAME_RE.match(base)
        if m is None:
            fail("%s: bad migration file name (want NNNN_short_name.sql, "
                 "lower case, digits and '_')" % path)
        version = int(m.group(1))
        if version in found:
            fail("%s: duplicate migration number %04d (also %s)"
                 % (path, version, found[version][0]))
        found[version] = (path, m.group(2))

    versions = sorted(found)
    if not versions:
        fail("no migrations among the inputs")
    for want, have in enumerate(versions, start=1):
        if have != want:
            fail("gap in migration numbering: %04d is missing (next is %s)"
                 % (want, found[have][0]))

    # Every function is defined in exactly one place.
    seen = {}
    texts = {}
    for v in versions:
        path = found[v][0]
        texts[path] = read(path)
        for sig, line in functions(texts[path].decode("utf-8")):
            if sig.startswith("pg_temp."):
                continue
            if not allow_functions:
                fail("%s:%d: migration defines %s; functions belong in "
                     "sql/functions/ (migrations hold schema only)"
                     % (path, line, sig))
            if sig in seen and not allow_functions:
                fail("%s:%d: %s is already defined at %s"
                     % (path, line, sig, seen[sig]))
            seen.setdefault(sig, "%s:%d" % (path, line))
    for base in sorted(code):
        path = code[base]
        texts[path] = read(path)
        for sig, line in functions(texts[path].decode("utf-8")):
            if sig in seen:
                fail("%s:%d: %s is already defined at %s"
                     % (path, line, sig, seen[sig]))
            seen[sig] = "%s:%d" % (path, line)

    parts = [
        "/* Generated by scripts/embed-sql.py from sql/: do not edit. */",
        '#include "migrate.h"',
        "",
        "/* Adjacent literals make one string per file; -Wpedantic would object",
        " * to any over 4095 characters, which long files are. */",
        "#if defined(__GNUC__)",
        '#pragma GCC diagnostic ignored "-Woverlength-strings"',
        "#endif",
        "",
        "const struct migration %s[] = {" % symbol,
    ]
    for v in versions:
        path, name = found[v]
        parts.append("\t{ %d, \"%s\"," % (v, name))
        parts += literal(texts[path])
        parts.append("\t},")
    parts += ["};", "", "const size_t n_%s = %d;" % (symbol, len(versions)), ""]

    if with_code:
        h = hashlib.sha256()
        parts.append("const struct sql_code sql_code[] = {")
        for base in sorted(code):
            data = texts[code[base]]
            h.update(base.encode() + b"\0" + data + b"\0")
            parts.append("\t{ \"%s\"," % base)
            parts += literal(data)
            parts.append("\t},")
        parts += [
            "\t{ NULL, NULL }",
            "};",
            "",
            "const size_t n_sql_code = %d;" % len(code),
            "const char sql_code_hash[] = \"%s\";" % h.hexdigest(),
            "",
        ]

    tmp = output + ".tmp"
    try:
        with open(tmp, "w", encoding="ascii", newline="\n") as f:
            f.write("\n".join(parts))
        os.replace(tmp, output)
    except OSError as e:
        fail("%s: %s" % (output, e.strerror))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
