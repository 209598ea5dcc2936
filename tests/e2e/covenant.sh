#!/bin/bash
# The covenant on screen: the shared-screen layout with a non-signatory present pseudonymises
# every case, and a partner's own screen says in Dutch why something is hidden.
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
ok
