#!/bin/bash
# The shared screen does not show the chair's own inbox count ("postvak: 1 ongelezen"), which the chair's own screen does.
. "$(dirname "$0")/lib.sh"

start_meeting
# publishing the agenda puts an entry in the chair's organisation's inbox
version=$(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("body") == "meeting_list":
        for x in m["meeting_list"]["meetings"]:
            if x["id"] == int(sys.argv[1]): print(x["version"])' "$MEETING")
[ -n "$version" ] || fail "no version of meeting $MEETING"
printf 'publish %s %s\nquit\n' "$MEETING" "$version" | batch voorzitter |
	grep -q '"published_at"' || fail "publish"

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for chair "postvak: 1 ongelezen" || fail "chair: no unread count on its own screen: $(screen chair | tail -n 2)"
start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "verbonden" || fail "beamer: not connected"
sleep 1		# the inbox count comes with the inbox subscription
screen beamer | grep -q "postvak" && fail "beamer shows the chair's inbox: $(screen beamer | tail -n 2)"
ok
