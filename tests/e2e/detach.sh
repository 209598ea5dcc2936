#!/bin/bash
# A follower goes its own way with the arrow keys, browses, and is back on the chair's item with f.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
cur=$(current_line chair | awk '{print $3}')
wait_for pol "volgt voorzitter" || fail "follower: not following"
wait_for pol "Casus $cur" || fail "follower: not on $cur"

keys pol Down
wait_for pol "eigen weg — f om te volgen" || fail "follower: Down did not detach"
wait_gone pol "Casus $cur" || fail "follower: still shows $cur after Down"
keys pol Down
keys pol Up
# read the case shown once the screen has settled (a loaded machine
# draws the two moves a little later)
other= prev=x deadline=$((SECONDS + 10))
while [ $SECONDS -lt $deadline ] && [ "$other" != "$prev" ]; do
	prev=$other
	sleep 0.5
	other=$(screen pol | sed -n 's/^Casus \([0-9-]*\) .*/\1/p')
done
[ -n "$other" ] && [ "$other" != "$cur" ] || fail "follower: browsing shows no other case"
# the chair's moves no longer move a detached follower
keys chair n
wait_re chair '^▶ +2 ' || fail "chair: n did not move"
cur=$(current_line chair | awk '{print $3}')
if [ "$cur" != "$other" ]; then
	sleep 1
	screen pol | grep -q "^Casus $other " || fail "follower: moved although detached"
fi
keys pol f
wait_for pol "volgt voorzitter" || fail "follower: f did not follow again"
wait_for pol "Casus $cur" || fail "follower: not back on the chair's item $cur"
wait_re pol "^▶ +2 +$cur " || fail "follower: current marker not on $cur"
ok
