#!/usr/bin/env python3
"""Checks the SQL layout of the source tree: migrations hold schema only, every
function is defined exactly once in sql/functions/, and the write ops of
server/dispatch-table.c and of the write_ops table (sql/functions/50_write.sql)
agree: the same names, each answer's body matching the op's kind, and a
tafel_op_<name> function for each.

Usage: test_sql_layout.py SOURCE_ROOT EMBED_SQL_PY
"""

import glob
import os
import re
import subprocess
import sys
import tempfile

# write_ops.kind for each answer body of server/dispatch-table.c
KIND_OF_REPLY = {
    "MEETING": "meeting", "ATTENDANCE": "attendance", "AGENDA": "agenda",
    "AGENDA_ITEM": "item", "ACTION_POINT": "action", "CASE_RECORD": "case",
    "PERSON": "person", "CONTRIBUTION": "contribution", "GOAL": "goal",
    "PERSON_LINK": "link",
    "PERSON": "person", "MEETING_LIST": "meetings", "NOMINATION": "nomination",
}


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    root, embed = argv[1], argv[2]
    failures = []

    migrations = sorted(glob.glob(os.path.join(root, "sql", "[0-9]*.sql")))
    code = sorted(glob.glob(os.path.join(root, "sql", "functions", "*.sql")))
    if not migrations or not code:
        failures.append("no migrations or no function files under %s/sql"
                        % root)

    # embed-sql.py refuses functions in migrations and functions defined
    # twice; run it on the real tree.
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run([sys.executable, embed, os.path.join(d, "m.c")]
                           + migrations + code, capture_output=True, text=True)
        if r.returncode != 0:
            failures.append("embed-sql.py on sql/: " + r.stderr.strip())

    # the meson list names every function file (else one would be skipped)
    with open(os.path.join(root, "server", "meson.build")) as f:
        listed = set(re.findall(r"'\.\./sql/functions/([\w.]+)'", f.read()))
    for path in code:
        if os.path.basename(path) not in listed:
            failures.append("%s is not listed in server/meson.build" % path)

    with open(os.path.join(root, "server", "dispatch-table.c")) as f:
        c_ops = {m.group(2): m.group(3) for m in re.finditer(
            r'WRITE\((\w+),\s*"(\w+)",\s*(\w+),', f.read())}
    with open(os.path.join(root, "sql", "functions", "50_write.sql")) as f:
        text = f.read()
    rows = text[text.index("INSERT INTO write_ops"):]
    rows = rows[:rows.index(";")]
    sql_ops = {m.group(1): m.group(2) for m in re.finditer(
        r"\('(\w+)',\s*'(\w+)',\s*'\{[\w,]+\}'\)", rows)}
    if not c_ops:
        failures.append("no WRITE rows found in server/dispatch-table.c")
    for op in sorted(set(c_ops) | set(sql_ops)):
        if op not in sql_ops:
            failures.append("%s: in dispatch-table.c, not in write_ops" % op)
        elif op not in c_ops:
            failures.append("%s: in write_ops, not in dispatch-table.c" % op)
        elif KIND_OF_REPLY.get(c_ops[op]) != sql_ops[op]:
            failures.append("%s: answers %s in dispatch-table.c but its kind "
                            "is %s in write_ops" % (op, c_ops[op], sql_ops[op]))
    defined = set()
    for path in code:
        with open(path) as f:
            defined |= set(re.findall(
                r"CREATE OR REPLACE FUNCTION (tafel_op_\w+)\(", f.read()))
    for op in sql_ops:
        if "tafel_op_" + op not in defined:
            failures.append("%s: no function tafel_op_%s in sql/functions/"
                            % (op, op))

    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("ok: %d migrations, %d function files, %d write ops agree"
              % (len(migrations), len(code), len(sql_ops)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
