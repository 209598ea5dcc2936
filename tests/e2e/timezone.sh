#!/bin/bash
# Times are shown in Europe/Amsterdam whatever time zone the terminal's machine is set to.
. "$(dirname "$0")/lib.sh"

start_meeting
start=$(printf 'meetings\nquit\n' | batch politie | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "meeting_list":
        continue
    for mt in m["meeting_list"]["meetings"]:
        if mt["id"] == int(sys.argv[1]):
            print(mt["scheduled_start"])' "$MEETING")
[ -n "$start" ] || fail "no start time of meeting $MEETING"
ams=$(TZ=Europe/Amsterdam date -d "@$start" '+%Y-%m-%d %H:%M')
ny=$(TZ=America/New_York date -d "@$start" '+%Y-%m-%d %H:%M')
[ "$ams" != "$ny" ] || fail "test needs different local times"
E2E_ENV="TZ=America/New_York" start_client pol politie --meeting "$MEETING"
wait_re pol "^ +# +Casus" || fail "meeting not shown"
wait_for pol "SSO Enschede · $ams" || fail "meeting time not in Amsterdam time ($ams)"
screen pol | grep -qF "$ny" && fail "meeting time shown in the machine's zone ($ny)"
keys pol 1
wait_re pol "^ +[0-9]+  $ams +SSO Enschede" || fail "meetings list not in Amsterdam time ($ams)"
ok
