#!/usr/bin/env python3
"""Fails when the files of a directory include each other in a circle.

A module is a file name without its extension (ui.c and ui.h are one
module); module A depends on module B when A.c or A.h has
#include "B.h".  Any cycle in that graph is printed and fails the test.
Usage: check-include-cycles.py DIR
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def graph(directory):
    files = [f for f in os.listdir(directory) if f.endswith(('.c', '.h'))]
    modules = {os.path.splitext(f)[0] for f in files}
    deps = {m: set() for m in modules}
    for f in files:
        with open(os.path.join(directory, f), encoding='utf-8') as fh:
            text = fh.read()
        mod = os.path.splitext(f)[0]
        for inc in INCLUDE.findall(text):
            target = os.path.splitext(os.path.basename(inc))[0]
            if target in modules and target != mod:
                deps[mod].add(target)
    return deps


def cycles(deps):
    """Each cycle once, found by depth-first search (white/grey/black)."""
    state = {m: 0 for m in deps}
    stack, found = [], []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(deps[m]):
            if state[d] == 1:
                found.append(stack[stack.index(d):] + [d])
            elif state[d] == 0:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(deps):
        if state[m] == 0:
            visit(m)
    return found


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    deps = graph(sys.argv[1])
    found = cycles(deps)
    for c in found:
        print('include cycle: ' + ' -> '.join(c))
    if found:
        return 1
    print('%d modules, no include cycle' % len(deps))
    return 0


if __name__ == '__main__':
    sys.exit(main())
