#!/usr/bin/env python3
"""Fails when the files of a directory (server/) include each other in a cycle.

A file and its header are one node (conn.c + conn.h = "conn"); an edge a -> b
means a.c or a.h includes "b.h" from the same directory.  Layers call down
only, so the graph must have no cycle; the first cycle found is printed.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def graph(directory):
    nodes = {}
    for name in sorted(os.listdir(directory)):
        stem, ext = os.path.splitext(name)
        if ext in ('.c', '.h'):
            nodes.setdefault(stem, set())
    for name in sorted(os.listdir(directory)):
        stem, ext = os.path.splitext(name)
        if ext not in ('.c', '.h'):
            continue
        with open(os.path.join(directory, name), encoding='utf-8') as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            target = os.path.splitext(os.path.basename(inc))[0]
            if target != stem and target in nodes and \
                    os.path.exists(os.path.join(directory, inc)):
                nodes[stem].add(target)
    return nodes


def find_cycle(nodes):
    state = {}          # 1 = on the current path, 2 = done
    path = []

    def visit(n):
        state[n] = 1
        path.append(n)
        for m in sorted(nodes[n]):
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        path.pop()
        state[n] = 2
        return None

    for n in sorted(nodes):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def main():
    if len(sys.argv) != 2:
        print('usage: check-include-cycles.py DIR', file=sys.stderr)
        return 2
    nodes = graph(sys.argv[1])
    cycle = find_cycle(nodes)
    if cycle:
        print('include cycle in %s: %s' % (sys.argv[1], ' -> '.join(cycle)),
              file=sys.stderr)
        print('a lower layer must not include a higher one; call up '
              'through a hook it is given instead', file=sys.stderr)
        return 1
    print('%d files, no include cycle' % len(nodes))
    return 0


if __name__ == '__main__':
    sys.exit(main())
