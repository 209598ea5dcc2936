#!/bin/bash
# Every UI string the client marks for translation has a Dutch text in nl.po, and every source file that marks one is in POTFILES.
#   tests/check-po.sh SOURCE-ROOT
# (A string marked but not translated shows English in the Dutch UI; a file
# missing from POTFILES has none of its strings extracted at all.)
set -euo pipefail
root=$1 po=$1/client/po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

cd "$root"
# files with a literal _("...") or N_("...") (the headers only declare them)
for f in $(grep -l -E '\bN?_\("[^"]' client/*.c common/*.c 2>/dev/null || true); do
    if ! grep -qxF "$f" "$po/POTFILES"; then
        echo "FAIL: $f marks UI strings but is not in client/po/POTFILES"
        fail=1
    fi
done

xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ -o "$tmp/tafel.pot" -f "$po/POTFILES"
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po/nl.po" "$tmp/tafel.pot"
# "N translated messages[, N fuzzy translations][, N untranslated messages]."
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
if echo "$stats" | grep -qE '[0-9]+ (untranslated|fuzzy)'; then
    echo "FAIL: strings without a (checked) Dutch text in client/po/nl.po: $stats"
    msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po" | grep -A1 '^msgid "[^"]' | head -40
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po" | grep -A1 '^msgid "[^"]' | head -40
    fail=1
fi
obsolete=$(msgattrib --only-obsolete "$tmp/merged.po" | grep -c '^#~ msgid' || true)
if [ "$obsolete" -gt 0 ]; then
    echo "FAIL: entries in client/po/nl.po that no source marks any more (remove them):"
    msgattrib --only-obsolete --no-wrap "$tmp/merged.po" | grep -A1 '^#~ msgid' | head -40
    fail=1
fi
# the formats (%s, %d) as the source has them: a msgstr that differs would
# make printf read the wrong argument
msgfmt --check -o /dev/null "$tmp/merged.po" || fail=1
[ $fail = 0 ] && echo "ok: $stats"
exit $fail
