#!/bin/bash
# A nomination accepted (5, a) while its series' meeting is already under way: no planned meeting takes it, and the refusal says that + in the open meeting puts the case on its agenda (the demo's police nomination for today's SSO, opened first).
. "$(dirname "$0")/lib.sh"

start_server
SSO=$(meeting_id "SSO Enschede") || fail "no SSO meeting in the demo data"
start_client chair voorzitter --meeting "$SSO"
wait_re chair "^ +# +Casus" || fail "chair: SSO not shown: $(screen chair)"
chair_start chair
keys chair 5
wait_for chair "Tafel · Voordrachten" || fail "5 did not open the nominations: $(screen chair)"
wait_re chair "^ 20[0-9]{2}-0001 +SSO Enschede +Politie" || fail "the police's nomination not listed: $(screen chair)"
keys chair a
wait_joined chair "Geen gepland overleg om de casus op te agenderen (een lopend overleg telt niet mee: daar zet + de casus erbij); plan er eerst een (N in de overleggen)." ||
	fail "the refusal does not say what to do in the open meeting: $(screen chair | tail -n 4)"
ok
