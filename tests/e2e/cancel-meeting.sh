#!/bin/bash
# Cancelling a meeting (X) needs a reason and a last yes: an empty reason is refused with a message and the prompt stays, n keeps the meeting, a reason longer than 500 characters is refused with the limit, j cancels it with the reason typed; the meeting then shows that reason to the chair and to a partner who opens it.
. "$(dirname "$0")/lib.sh"

start_server
start_client ch voorzitter
wait_re ch '^ +[0-9]+  20[0-9-]+ [0-9:]+  .*gepland' || fail "chair: no planned meeting listed: $(screen ch)"
# the first planned meeting (the list starts at the top)
row=$(screen ch | grep -nE '^ +[0-9]+  20[0-9-]+ [0-9:]+  .*gepland' | head -n 1 | cut -d: -f1)
line=$(screen ch | sed -n "${row}p")
when=$(echo "$line" | grep -oE '20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{5}')
for _ in $(seq 4 "$row"); do keys ch j; done
wait_re ch "^ +[0-9]+  $when .*gepland" || fail "no meeting at $when"

keys ch X
wait_for ch "aflassen, reden:" || fail "X did not ask a reason: $(screen ch | tail -n 3)"
# the question names the meeting: a series name of up to 20 columns whole
# (the demo's WZT Enschede-Noord was cut to "WZT Enschede-Noo…")
series=$(echo "$line" | sed -E 's/^ +[0-9]+  [0-9-]+ [0-9:]+  (.*[^ ]) +gepland.*/\1/')
if [ "${#series}" -le 20 ]; then
	screen ch | grep -qF "Overleg '$series' $when aflassen, reden:" ||
		fail "X does not name '$series' whole: $(screen ch | tail -n 3)"
fi
# an empty Enter (or only spaces) cancels nothing: it says a reason is needed
# and asks again
keys ch Enter
wait_for ch "Een reden is verplicht" || fail "an empty reason: no message: $(screen ch | tail -n 3)"
screen ch | grep -q "aflassen, reden:" || fail "the reason prompt closed: $(screen ch | tail -n 3)"
screen ch | grep -q "afgelast\." && fail "cancelled without a reason"
# a reason, then the last question: n keeps the meeting
type_text ch "Voorzitter ziek"; keys ch Enter
wait_for ch "definitief aflassen? (j/n)" || fail "no last question: $(screen ch | tail -n 3)"
keys ch n
wait_for ch "niet afgelast." || fail "n: not said: $(screen ch | tail -n 3)"
sleep 0.5
wait_re ch "^ +[0-9]+  $when .*gepland" || fail "n: the meeting is no longer planned: $(screen ch)"
# a reason longer than the server takes (500 characters): the refusal says
# the limit, and the reason is offered again to shorten
keys ch X
wait_for ch "aflassen, reden:" || fail "X did not ask (long reason)"
type_text ch "$(printf 'Voorzitter ziek %.0s' $(seq 1 40))"; keys ch Enter
wait_for ch "definitief aflassen? (j/n)" || fail "no last question (long reason)"
keys ch j
wait_for ch "De tekst is te lang: hoogstens 500 tekens. Kort hem in." ||
	fail "a too long reason: the limit is not said: $(screen ch | tail -n 4)"
wait_for ch "aflassen, reden:" || fail "the long reason is not offered again: $(screen ch | tail -n 3)"
keys ch Escape
wait_gone ch "aflassen, reden:" || fail "Esc did not close the reason: $(screen ch | tail -n 4)"
sleep 0.5
wait_re ch "^ +[0-9]+  $when .*gepland" || fail "the long reason cancelled the meeting: $(screen ch)"
# again, and j cancels it, with the reason
keys ch X
wait_for ch "aflassen, reden:" || fail "X did not ask again"
type_text ch "Voorzitter ziek"; keys ch Enter
wait_for ch "definitief aflassen? (j/n)" || fail "no last question the second time"
keys ch j
wait_re ch "Overleg '.*' $when afgelast;" || fail "j: not cancelled: $(screen ch | tail -n 3)"
wait_re ch "^ +[0-9]+  $when .*vervallen" || fail "the meeting is not shown cancelled: $(screen ch)"
[ "$(sql -tAc "select count(*) from meetings where state = 'cancelled' and cancel_reason = 'Voorzitter ziek'")" = 1 ] ||
	fail "the cancellation with its reason is not stored once"
# the reason is what every partner reads: under the meeting's header, for
# the chair (Enter on the cancelled meeting) and for a partner (politie,
# whose organisation takes part in every demo series)
id=$(sql -tAc "select id from meetings where state = 'cancelled' and cancel_reason = 'Voorzitter ziek'")
keys ch Enter
wait_re ch "· $when · vervallen ·" || fail "Enter: not the cancelled meeting: $(screen ch | head -n 3)"
wait_for ch "Afgelast: Voorzitter ziek" || fail "the chair is not shown the reason: $(screen ch | head -n 4)"
start_client po politie --meeting "$id"
wait_for po "Afgelast: Voorzitter ziek" || fail "the partner is not shown the reason: $(screen po | head -n 4)"
ok
