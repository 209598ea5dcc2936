#!/bin/bash
# The chair records attendance by choosing a person by name from a list of the series' members first (expected, present, remote, absent), then the others; the prompts name the person and the message says what was recorded. An account that only administers is not expected.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
# the chair counts as present from the moment she opens the meeting
wait_for chair "· 1 aanwezig" || fail "the chair is not counted present after opening"

keys chair A
wait_for chair "Tafel · Persoon kiezen" || fail "A did not open the person picker"
wait_for chair "Aanwezigheid vastleggen: kies een persoon" || fail "picker does not say what it is for"
# the series' members come first: the chair present, the police's people
# expected (nothing recorded yet); others follow with "-"
wait_re chair "Sanne Jansen +Politie[^ ]* .* verwacht" || fail "picker does not list Sanne Jansen as expected"
wait_re chair "Anouk de Vries +.* aanwezig" || fail "picker does not show the chair present"
screen chair >"$E2E_DIR/picker.txt"
python3 - "$E2E_DIR/picker.txt" <<'PY' || fail "picker: members not first: $(cat "$E2E_DIR/picker.txt")"
import re, sys
rows = [l.rstrip() for l in open(sys.argv[1]) if re.search(r"(verwacht|aanwezig|op afstand|afwezig| -)$", l.rstrip())]
labels = ["-" if r.endswith(" -") else "m" for r in rows]
assert "m" in labels, rows
# no member after a non-member
assert "".join(labels).find("-m") < 0, rows
PY
# an account that only administers (the demo's admin, of the municipality, a
# member organisation) is not expected at the table
keys chair /
type_text chair "Erik"
keys chair Enter
wait_for chair "/Erik" || fail "search for Erik not applied"
wait_re chair "Erik Smit +Gemeente.* -$" || fail "the admin-only account is listed as expected: $(screen chair)"
keys chair /
type_text chair "sanne"
keys chair Enter
wait_for chair "/sanne" || fail "search not applied"
keys chair Enter
wait_for chair "Is Sanne Jansen aanwezig? (j/n):" || fail "present? does not name the person"
wait_re chair "^ +# +Casus" || fail "not back on the meeting"
type_text chair "j"
wait_for chair "Neemt Sanne Jansen op afstand deel (video)? (j/n):" || fail "remote? not asked"
type_text chair "n"
wait_for chair "Aanwezigheid vastgelegd: Sanne Jansen aanwezig." || fail "not confirmed"
wait_for chair "· 2 aanwezig" || fail "header does not count the person present"

# the picker shows what is recorded; Esc leaves it without a change
keys chair A
wait_re chair "Sanne Jansen +Politie.* aanwezig" || fail "picker does not show the recorded attendance"
keys chair Escape
wait_re chair "^ +# +Casus" || fail "Esc did not go back to the meeting"
screen chair | grep -q "aanwezig? (j/n)" && fail "Esc asked a question anyway"
ok
