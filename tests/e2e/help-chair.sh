#!/bin/bash
# Help lists the chair's keys of the meeting screen; the footer shows the keys that matter in the meeting's state; a partner pressing a chair key, or a key of another screen, is told why nothing happens.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_re pol "^ +# +Casus" || fail "politie: meeting not shown"

footer() {
	screen "$1" | tail -n 1
}
# planned: o opens it; stepping and closing are not offered yet
wait_re chair "o overleg openen" || fail "planned: footer does not offer o"
footer chair | grep -q "n volgende" && fail "planned: footer offers n: $(footer chair)"
footer chair | grep -q "c sluiten" && fail "planned: footer offers c: $(footer chair)"
footer chair | grep -q "? hulp" || fail "planned: footer lacks ? hulp: $(footer chair)"
# opening with nobody present: the long hint stands in full above the status
# line, which keeps the connection state (no half message over "verbonden")
keys chair o
wait_for chair "aanwezigheid (A)." || fail "open: no attendance hint: $(screen chair)"
status=$(screen chair | tail -n 2 | head -n 1)
printf '%s\n' "$status" | grep -q '^verbonden' || fail "status line garbled by a long message: '$status'"
chair_start chair
wait_for chair "c sluiten" || fail "open: footer does not offer c: $(footer chair)"
footer chair | grep -q "n volgende" || fail "open: footer does not offer n: $(footer chair)"
footer chair | grep -q "o overleg openen" && fail "open: footer still offers o"
footer chair | grep -q "? hulp" || fail "open: footer lacks ? hulp: $(footer chair)"

# the chair's help, from the meeting screen: every chair key with its text
keys chair '?'
wait_for chair "Tafel · Toetsen" || fail "? did not show the help"
wait_re chair "\+[0-9]+ meer" || fail "help: no '+N meer' for the lines below"
# (read once the rows have scrolled: a fixed pause was too short under load)
n=$(below chair)
for i in $(seq 1 17); do keys chair j; done
wait_below chair $((n > 17 ? n - 17 : 0)) || fail "j did not scroll the help: $(screen chair)"
help=$(screen chair)
# a text wider than the screen goes on under itself, never cut with "…"
printf '%s\n' "$help" | grep -qE '^  \+ +Voorzitter: een casus aan de agenda toevoegen' &&
	printf '%s\n' "$help" | grep -qE '^ {17}lijst\)' ||
	fail "a long help text does not go on under itself: $help"
printf '%s\n' "$help" | grep -q '…' && fail "help text cut off: $help"
for k in n p o c a d A +; do
	printf '%s\n' "$help" | grep -E "^  $(printf '%s' "$k" | sed 's/+/\\+/') +Voorzitter: " >/dev/null ||
		{ printf '%s\n' "$help" >&2; fail "chair's help does not list chair key '$k'"; }
done

# a partner: no chair keys in the help, and a chair key says why it does nothing
keys pol '?'
wait_for pol "Tafel · Toetsen" || fail "politie: ? did not show the help"
n=$(below pol)
for i in $(seq 1 12); do keys pol j; done
wait_below pol $((n > 12 ? n - 12 : 0)) || fail "politie: j did not scroll the help: $(screen pol)"
screen pol | grep -q "Voorzitter:" && fail "politie's help lists chair keys"
keys pol q
wait_re pol "^ +# +Casus" || fail "politie: q did not go back to the meeting"
keys pol n
wait_for pol "n: alleen de voorzitter kan dit." || fail "politie: n said nothing"
keys pol 1
wait_for pol "Tafel · Overleggen" || fail "politie: 1 did not show the meetings"
keys pol e
wait_for pol "Toets e doet niets op dit scherm; ? toont de toetsen." ||
	fail "politie: e in the meetings list said nothing"
# a key Tafel does not use anywhere says so too
keys pol z
wait_for pol "Toets z doet niets op dit scherm; ? toont de toetsen." ||
	fail "politie: z said nothing: $(screen pol | tail -n 2)"
ok
