#!/bin/bash
# The demo's nominations and proposals, as a new user meets them: the police sees its pending nomination of case 0001 for the SSO under 5 (an organisation that nominated nothing sees none); in today's WZT the chair's v proposes case 0002, nominated by addiction care, and a puts it on the agenda (the nomination accepted with it); under 5 the chair accepts the police's nomination, the case goes on today's SSO agenda and the police sees the outcome live.
. "$(dirname "$0")/lib.sh"

start_server
WZT=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
SSO=$(meeting_id "SSO Enschede") || fail "no SSO meeting in the demo data"
Y='20[0-9]{2}'

# the nominating organisation sees its nomination, with its reason in full
start_client pol politie
wait_for pol "Tafel · Overleggen" || fail "pol: no meetings list"
keys pol 5
wait_for pol "Tafel · Voordrachten" || fail "pol: 5 did not open the nominations: $(screen pol)"
wait_re pol "^ $Y-0001 +SSO Enschede +Politie Eenheid" || fail "pol: the demo's nomination not listed: $(screen pol)"
wait_re pol "^  Voorgedragen door: Politie Eenheid Oost-Nederland \(Kevin Wolters\)" ||
	fail "pol: who nominated not shown: $(screen pol)"
wait_for pol "strafrechtelijk" || fail "pol: the whole reason not in the pane: $(screen pol)"
# (only addiction care's nomination is of the WZT: not the police's to see)
screen pol | grep -qE "^ $Y-0002 " && fail "pol sees another organisation's nomination: $(screen pol)"

# the public prosecutor nominated nothing and decides nothing: none
start_client om om
wait_for om "Tafel · Overleggen" || fail "om: no meetings list"
keys om 5
wait_for om "Geen voordrachten" || fail "om: sees nominations it may not: $(screen om)"

# the chair in today's WZT (planned): v proposes the nominated case
start_client chair voorzitter --meeting "$WZT"
wait_re chair "^ +# +Casus" || fail "chair: WZT not shown: $(screen chair)"
screen chair | grep -qE "^ +[0-9]+  $Y-0002 " && fail "0002 already on the WZT agenda: $(screen chair)"
keys chair v
wait_for chair "Tafel · Voorstellen" || fail "v did not open the proposals: $(screen chair)"
wait_re chair "^  $Y-0002 .*voorgedragen" || fail "the nominated case not proposed: $(screen chair)"
nr=$(screen chair | grep -oE "^  $Y-0002" | tr -d ' ')
row=$(screen chair | grep -E "^[! ] $Y-" | grep -nE "^  $nr " | head -n 1 | cut -d: -f1)
for _ in 1 2 3 4 5; do keys chair k; done
for _ in $(seq 2 "$row"); do keys chair j; done
keys chair a
wait_for chair "Casus $nr staat op de agenda." || fail "a did not put $nr on the agenda: $(screen chair)"
keys chair q
wait_re chair "^ +# +Casus" || fail "q did not go back to the meeting: $(screen chair)"
wait_re chair "^ +5  $nr " || fail "$nr not the WZT's fifth item: $(screen chair)"
# the nomination was settled with it: addiction care reads the outcome
printf 'nominations 0 all\nquit\n' | batch verslavingszorg | grep -q '"state":"accepted"' ||
	fail "addiction care's nomination not accepted"

# the chair's 5: the police's nomination of 0001 for the SSO is left; a
# accepts it onto today's SSO
keys chair 5
wait_for chair "Tafel · Voordrachten" || fail "chair: 5 did not open: $(screen chair)"
wait_re chair "^ $Y-0001 +SSO Enschede +Politie" || fail "chair: the police's nomination not listed: $(screen chair)"
screen chair | grep -qE "^ $Y-0002 " && fail "chair: the accepted nomination still pending: $(screen chair)"
wait_for chair "Reden: Derde melding" || fail "chair: its reason not shown: $(screen chair)"
keys chair a
wait_re chair "Casus $Y-0001 staat op de agenda van SSO Enschede" ||
	fail "chair: a did not accept onto the SSO: $(screen chair)"
# none left for the chair: the empty list says where the decided ones are
# (not "open or recently decided", which the chair had just decided)
wait_for chair "Geen openstaande voordrachten. (Besloten voordrachten staan bij de" ||
	fail "chair: the empty list does not say where decided ones go: $(screen chair)"
# the police sees the outcome at once, with the meeting
wait_re pol "^ $Y-0001 .*aangenomen: $Y-" || fail "pol: the acceptance not shown live: $(screen pol)"
wait_re pol "^  aangenomen: $Y-[0-9]{2}-[0-9]{2} 13:00 \(SSO Enschede\)" ||
	fail "pol: the meeting not named: $(screen pol)"
# and the case is on the SSO's agenda, last
start_client sso voorzitter --meeting "$SSO"
wait_re sso "^ +# +Casus" || fail "SSO not shown: $(screen sso)"
wait_re sso "^ +4  $Y-0001 " || fail "0001 not on the SSO's agenda: $(screen sso)"
# once the SSO is held, the outcome names it by the time it was opened, as the meetings list does (not 13:00)
t1=$(date +%H:%M)
chair_start sso
t2=$(date +%H:%M)
wait_re pol "^  aangenomen: $Y-[0-9]{2}-[0-9]{2} ($t1|$t2) \(SSO Enschede\)" ||
	fail "pol: the held SSO not named by its opening time ($t1): $(screen pol)"
ok
