#!/usr/bin/env python3
"""Puts the screens kept by an e2e test (E2E_CAPTURE=DIR) into a guide: the
code block after each "<!-- capture: NAME -->" line becomes DIR/NAME.txt.

usage: tests/e2e/guide-splice.py DIR docs/user-guide.md
"""
import os
import re
import sys


def main():
    shots, guide = sys.argv[1], sys.argv[2]
    lines = open(guide, encoding="utf-8").read().split("\n")
    out, i, done = [], 0, []
    while i < len(lines):
        out.append(lines[i])
        m = re.fullmatch(r"<!-- capture: (\S+) -->", lines[i])
        path = m and os.path.join(shots, m.group(1) + ".txt")
        if m and os.path.exists(path):
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(lines[i])    # text between the mark and the block
                i += 1
            out.append(lines[i])        # the opening fence
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                i += 1                  # the old capture goes
            shot = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
            out.extend(s.rstrip() for s in shot)
            out.append(lines[i])        # the closing fence
            done.append(m.group(1))
        i += 1
    open(guide, "w", encoding="utf-8").write("\n".join(out))
    print("replaced:", " ".join(done) if done else "(none)")


if __name__ == "__main__":
    main()
