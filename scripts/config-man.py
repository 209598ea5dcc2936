#!/usr/bin/env python3
"""Builds tafeld.conf(5)'s scdoc source: the template with @KEYS@ replaced by every key of `tafeld --print-config-doc`."""
import re
import subprocess
import sys


def esc(text):
    """scdoc text: `code` in bold, every other * _ \\ literal."""
    out = []
    for i, part in enumerate(text.split('`')):
        part = part.replace('\\', '\\\\').replace('*', '\\*').replace('_', '\\_')
        out.append('*' + part + '*' if i % 2 and part else part)
    return ''.join(out)


def main():
    tafeld, template, output = sys.argv[1:4]
    doc = subprocess.run([tafeld, '--print-config-doc'], check=True,
                         capture_output=True, text=True).stdout
    keys = []
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 5 or not cells[0].startswith('`'):
            continue
        key, typ, default, reload, meaning = cells
        keys.append('*%s* (%s; default %s; reload: %s)\n\t%s\n' % (
            esc(key.strip('`')), esc(typ), esc(default), esc(reload), esc(meaning)))
    if not keys:
        sys.exit('config-man.py: no keys in tafeld --print-config-doc')
    with open(template) as f:
        text = f.read()
    with open(output, 'w') as f:
        f.write(text.replace('@KEYS@', '\n'.join(keys).rstrip('\n')))


main()
