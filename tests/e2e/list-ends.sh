#!/bin/bash
# The lists go to their first and last line with g/Home and G/End; End and Home as PuTTY and tmux send them to a terminal whose terminfo lacks them (ESC [ 4 ~, ESC [ 1 ~ under TERM=xterm-256color) act as End and Home, not as Esc, "[", "4" (the case list) and "~"; an unknown sequence is ignored whole.
. "$(dirname "$0")/lib.sh"

start_server
E2E_ENV="TERM=xterm-256color" start_client vz voorzitter
wait_re vz '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "meetings not loaded: $(screen vz)"
# the first line is a planned meeting, the last the closed one
first=$(screen vz | grep -E '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' | head -n 1)
last=$(screen vz | grep -E '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' | tail -n 1)
case $last in *gesloten*) ;; *) fail "the last meeting is not the closed one: $last" ;; esac
case $first in *gesloten*) fail "the first meeting is the closed one: $first" ;; esac

# opens the selected meeting, says which one, and goes back
opened() {
	keys vz Enter
	wait_re vz "^[^ ].* · 20[0-9-]+ [0-9:]+ · (gepland|open|gesloten)" || fail "Enter did not open a meeting: $(screen vz)"
	screen vz | sed -n 2p
	keys vz q
	wait_for vz "Tafel · Overleggen" || fail "q did not go back to the meetings"
}

# End as PuTTY sends it: the last line, and no case list
tm send-keys -t vz -l $'\e[4~'
sleep 0.5
screen vz | grep -qF "Tafel · Casussen" && fail "ESC [ 4 ~ opened the case list"
screen vz | grep -qF "Tafel · Overleggen" || fail "ESC [ 4 ~ left the meetings: $(screen vz)"
opened | grep -q "gesloten" || fail "ESC [ 4 ~ did not go to the last meeting"

# Home as PuTTY sends it: the first line
tm send-keys -t vz -l $'\e[1~'
sleep 0.3
screen vz | grep -qF "Tafel · Overleggen" || fail "ESC [ 1 ~ left the meetings: $(screen vz)"
opened | grep -q "gesloten" && fail "ESC [ 1 ~ did not go to the first meeting"

# G and g
keys vz G
opened | grep -q "gesloten" || fail "G did not go to the last meeting"
keys vz g
opened | grep -q "gesloten" && fail "g did not go to the first meeting"

# an unknown sequence is ignored whole; a plain Esc still goes back
tm send-keys -t vz -l $'\e[99~'
sleep 0.3
screen vz | grep -qF "Tafel · Overleggen" || fail "an unknown sequence left the meetings: $(screen vz)"
screen vz | grep -qF "Tafel · Casussen" && fail "an unknown sequence opened the case list"
keys vz 4
wait_for vz "Tafel · Casussen" || fail "4 did not open the case list"
keys vz Escape
wait_for vz "Tafel · Overleggen" || fail "Esc did not go back: $(screen vz)"
ok
