#!/bin/bash
# The covenant on screen: the shared-screen layout with a non-signatory present pseudonymises
# every case, and a partner's own screen says in Dutch why something is hidden; a partner who
# records itself present while a hidden case is under discussion is told it opens when the chair opens it again.
. "$(dirname "$0")/lib.sh"

start_server
# Today's WZT: the GP practice (no covenant) attends, remotely.
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"

# The chair's own view shows the names, and warns what the beamer will hide.
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for chair "gedeelde scherm" || fail "chair: no shared-screen warning"

# The chair opens the meeting and takes the first item.
chair_start chair

# The beamer: a second chair session in the presentation layout.
start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_re beamer "2026-00" || fail "beamer: no case shown"
wait_for beamer "verborgen op het gedeelde scherm" ||
	fail "beamer: case not pseudonymised with the GP present"
# Initials, and no dates of birth, on the shared screen.
wait_re beamer '(verdachte|slachtoffer|kind|overig): [A-Z]\. ' ||
	fail "beamer: persons not shown as initials"
if screen beamer | grep -Eq '(verdachte|slachtoffer|kind|overig): .*[0-9]{4}-[0-9]{2}-[0-9]{2}'; then
	screen beamer >&2
	fail "beamer: a date of birth is on the shared screen"
fi

# The police sees case 2026-0012 (municipality only, police absent) pseudonymised, and why.
start_client pol politie --meeting "$MEETING"
wait_re pol "^ +# +Casus" || fail "politie: meeting not shown"
keys pol Down Down Down
wait_for pol "Casus 2026-0012" || fail "politie: could not select 2026-0012"
wait_for pol "verborgen: uw organisatie is niet betrokken bij deze casus" ||
	fail "politie: no reason for the hidden data"

# The police comes in late: 2026-0012 is under discussion before it records
# itself present, so it stays hidden; the confirmation says so and when it
# opens (before, only "aanwezig", under a case still "niet betrokken"), and
# it opens when the chair opens it again.
for i in 2 3 4; do
	keys chair n
	wait_re chair "^▶ +$i " || fail "chair: n did not reach item $i"
done
keys pol f
wait_re pol '^▶ +4 ' || fail "politie: not following to item 4"
keys pol A
wait_for pol "Is Sanne Jansen aanwezig? (j/n)" || fail "politie: A did not ask"
keys pol j
wait_for pol "op afstand" || fail "politie: remote? not asked"
keys pol n
wait_joined pol "Aanwezigheid vastgelegd: Sanne Jansen aanwezig. Casus 2026-0012 was al in bespreking voordat u kwam: u ziet hem als de voorzitter hem opnieuw opent." ||
	fail "politie: present, but not told the current case stays hidden: $(screen pol | tail -n 4)"
keys chair p
wait_re chair '^▶ +3 ' || fail "chair: p did not go back"
keys chair n
wait_re chair '^▶ +4 ' || fail "chair: n did not reopen item 4"
wait_gone pol "verborgen: uw organisatie is niet betrokken bij deze casus" ||
	fail "politie: 2026-0012 still hidden after the chair opened it again: $(screen pol)"
ok
