#!/bin/bash
# b (a contribution) by an organisation not involved in the case asks first, since contributing makes it involved and shows it the case in full (docs/security.md rule 7): n sends nothing and asks no facts, j goes on; once involved, b asks no more.
. "$(dirname "$0")/lib.sh"

# wait_line SESSION TEXT: TEXT on the bottom lines, a question wrapped over
# two lines read as one
wait_line() {
	local deadline=$((SECONDS + 20))
	while [ $SECONDS -lt $deadline ]; do
		screen "$1" | tail -n 5 | tr '\n' ' ' | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

start_server
# the police sees 2026-0012 (on today's agenda) without being involved
start_client pol politie
wait_for pol "Overleggen" || fail "politie: no meetings list"
open_case pol 2026-0012
wait_for pol "niet betrokken bij deze casus" || fail "politie: 2026-0012 is not shown as not involved: $(screen pol)"
keys pol b
wait_line pol "Met inbreng wordt uw organisatie betrokken bij deze casus en ziet zij de casus volledig (dat wordt vastgelegd)." ||
	fail "b did not say that contributing involves the organisation: $(screen pol | tail -n 4)"
wait_for pol "Inbreng bij casus 2026-0012: doorgaan? (j/n)" ||
	fail "b did not ask before involving the organisation: $(screen pol | tail -n 4)"
screen pol | grep -qF "(feiten)" && fail "the facts were asked before the question"
type_text pol "n"
wait_for pol "Geen inbreng gegeven; uw organisatie is nog steeds niet betrokken." ||
	fail "n did not say nothing was given: $(screen pol | tail -n 4)"
screen pol | grep -qF "(feiten)" && fail "n went on to the facts"
wait_for pol "niet betrokken bij deze casus" || fail "politie: the case is no longer shown as not involved after n"
# j: the facts, the judgement, recorded; the case then shows in full
keys pol b
wait_for pol "Inbreng bij casus 2026-0012: doorgaan? (j/n)" || fail "b did not ask again"
type_text pol "j"
wait_for pol "Wat uw organisatie weet van casus 2026-0012 (feiten):" || fail "j did not ask the facts: $(screen pol | tail -n 4)"
type_text pol "Twee meldingen overlast"; keys pol Enter
wait_for pol "Uw oordeel over casus 2026-0012:" || fail "no judgement prompt"
type_text pol "Zorgelijk"; keys pol Enter
wait_for pol "Inbreng van uw organisatie bij casus 2026-0012 vastgelegd." || fail "contribution not recorded: $(screen pol | tail -n 4)"
wait_gone pol "niet betrokken bij deze casus" || fail "politie: the case still shows as not involved: $(screen pol)"
# involved now: b edits without asking
keys pol b
wait_for pol "Wat uw organisatie weet van casus 2026-0012 (feiten): Twee meldingen overlast" ||
	fail "b asked again once involved: $(screen pol | tail -n 4)"
screen pol | grep -qF "doorgaan? (j/n)" && fail "b asked the question once involved"
keys pol Escape
ok
