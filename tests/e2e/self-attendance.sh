#!/bin/bash
# A partner following from their own office records themselves present with A (the chair's A picks anyone): the footer
# offers "A aanwezig" once the meeting is open and the status line says "niet aanwezig (A)" while that holds (in a narrow window too: the lag gives way), A asks present? and remote?, the header counts them and the chair's
# picker shows them "op afstand"; once present the footer offers "A vertrekken", and leaving (A, n) counts them out; before the meeting is open A says why not. The footer's view keys (1, 2, ...) have no
# gap where one did not fit.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re pol "^ +# +Casus" || fail "pol: meeting not shown"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"

# planned: not offered, and A says why
screen pol | tail -n 1 | grep -q "A aanwezig" && fail "A offered in a planned meeting: $(screen pol)"
keys pol A
wait_for pol "A: niet mogelijk nu het overleg gepland is." || fail "A in a planned meeting not explained: $(screen pol)"

chair_start chair
wait_for pol "· open ·" || fail "pol: meeting not open"
wait_for pol "A aanwezig" || fail "footer does not offer A to the partner: $(screen pol)"
# a partner joining the open meeting: the status line says they are not on the attendance list
start_client rec reclassering --meeting "$MEETING"
wait_for rec "volgt voorzitter · niet aanwezig (A)" ||
	fail "status line does not say the partner is not present: $(screen rec)"
# in a narrow window the lag gives way, so that what the user can act on stays
E2E_COLS=60 start_client rec60 reclassering --meeting "$MEETING"
wait_for rec60 "volgt voorzitter · niet aanwezig (A)" ||
	fail "60 columns: 'niet aanwezig (A)' cut: $(screen rec60 | tail -n 2)"
tm kill-session -t rec60
before=$(screen pol | grep -oE '· [0-9]+ aanwezig' | grep -oE '[0-9]+')
keys pol A
wait_for pol "Is Sanne Jansen aanwezig? (j/n):" || fail "A did not ask: $(screen pol)"
type_text pol "j"
wait_for pol "Neemt Sanne Jansen op afstand deel (video)? (j/n):" || fail "remote? not asked: $(screen pol)"
type_text pol "j"
wait_for pol "Aanwezigheid vastgelegd: Sanne Jansen aanwezig, op afstand." || fail "not recorded (remote): $(screen pol)"
wait_for pol "· $((before + 1)) aanwezig" || fail "header does not count the partner: $(screen pol)"
# present: the footer offers leaving instead
wait_for pol "A vertrekken" || fail "footer does not offer leaving once present: $(screen pol)"
screen pol | tail -n 1 | grep -q "A aanwezig" && fail "A still offered as present: $(screen pol | tail -n 1)"

# in English "A leave" (the same user, present) and the view keys 1, 2, ... on the footer, without a gap ("2 meeting  4 cases" left out 3)
E2E_ENV=LANGUAGE=en start_client pen politie --meeting "$MEETING"
wait_for pen "A leave" || fail "English footer does not offer A: $(screen pen)"
# present: the status line follows the chair and says nothing of the attendance list
wait_for pen "following the chair" || fail "pen: not following: $(screen pen)"
screen pen | grep -q "not present (A)" && fail "present, yet told not on the list: $(screen pen)"
nums=$(screen pen | tail -n 1 | grep -oE '(^|  )[1-9] [a-z]' | grep -oE '[1-9]' | tr -d '\n')
[ -n "$nums" ] && [ "$nums" = "$(seq -s '' 1 "${#nums}")" ] ||
	fail "footer view keys not 1.. without a gap ($nums): $(screen pen | tail -n 1)"

# the chair sees it in the attendance picker
keys chair A
wait_re chair "Sanne Jansen +Politie.* op afstand" || fail "chair's picker does not show the partner remote: $(screen chair)"
keys chair Escape

# leaving: A, n; the footer offers A aanwezig again and the header counts one fewer
keys pol A
wait_for pol "Is Sanne Jansen aanwezig? (j/n):" || fail "A did not ask when leaving: $(screen pol)"
type_text pol "n"
wait_for pol "Aanwezigheid vastgelegd: Sanne Jansen afwezig." || fail "leaving not recorded: $(screen pol)"
wait_for pol "· $before aanwezig" || fail "header still counts the partner: $(screen pol)"
wait_for pol "A aanwezig" || fail "footer does not offer A aanwezig after leaving: $(screen pol | tail -n 1)"

# the chair is never told "niet aanwezig (A)", not even when recorded absent (A records anyone for the chair)
keys chair A
wait_for chair "Tafel · Persoon kiezen" || fail "chair: A did not open the picker: $(screen chair)"
keys chair /
type_text chair "anouk"
keys chair Enter
wait_for chair "/anouk" || fail "chair: search not applied: $(screen chair)"
keys chair Enter
wait_for chair "Is Anouk de Vries aanwezig? (j/n):" || fail "chair: A did not ask about herself: $(screen chair)"
type_text chair "n"
wait_for chair "Aanwezigheid vastgelegd: Anouk de Vries afwezig." || fail "chair: absence not recorded: $(screen chair)"
wait_for chair "u leidt dit overleg" || fail "chair: status line lost: $(screen chair)"
screen chair | grep -q "niet aanwezig (A)" && fail "the chair is told it is not present: $(screen chair)"
ok
