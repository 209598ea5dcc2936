#!/bin/bash
# The minutes on screen (b) and the text file (tafel --batch minutes ID txt) hold the same lines in the same words, dated when the meeting was held (not its planned start), for an involved, a partly hidden and an absent uninvolved organisation; neither names a case's persons or birth dates, and the minutes' read audit records no names or birth dates. An action point edited after the meeting closed, and one completed since, say so. Each absent organisation is named once, and an item lists its case's action points agreed earlier and still open ("Eerder afgesproken, open").
. "$(dirname "$0")/lib.sh"

start_server
mid=$(printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "meeting_list":
        print([m["id"] for m in o["meeting_list"]["meetings"] if m.get("state") == "closed"][0])')
[ -n "$mid" ] || fail "no closed meeting in the demo"
# held a day after it was planned, 15:05 to 15:13: the minutes' date is when
# it was held, not the planned start (findings s15-C 5)
held=$(sql -At -c "UPDATE meetings SET opened_at = h, closed_at = h + interval '8 minutes'
	FROM (SELECT ((scheduled_start AT TIME ZONE 'Europe/Amsterdam')::date + 1
	    + time '15:05') AT TIME ZONE 'Europe/Amsterdam' AS h
	    FROM meetings WHERE id = $mid) x
	WHERE id = $mid RETURNING to_char(h AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')")
[ -n "$held" ] || fail "could not move the meeting's held times"
# an action point on case 2026-0001 agreed before the meeting, outside it,
# still open: its item lists it as agreed earlier (the minutes are the list
# of agreements everyone is held to), in each copy as its view shows it
case1=$(sql -At -c "SELECT id FROM cases WHERE number = '2026-0001'")
raad=$(sql -At -c "SELECT id FROM organisations WHERE kind = 'child_protection'")
printf 'action %s 0 %s %s Raadsonderzoek naar de kinderen\nquit\n' "$case1" "$raad" \
	"$(date -d '+20 days' +%Y-%m-%d)" | batch wijkagent | grep -q '"action_point"' ||
	fail "no earlier action point"
sql -q -c "UPDATE action_points SET created_at = m.opened_at - interval '1 day'
	FROM meetings m WHERE m.id = $mid AND description = 'Raadsonderzoek naar de kinderen'" ||
	fail "could not date the earlier action point"

# an action point agreed at the meeting whose agreement was edited after it
# closed (edited_at: update_action's mark, SQL test 21), and one completed
# since: each copy says so, on screen as in the file
edited=$(sql -At -c "UPDATE action_points SET edited_at = m.closed_at + interval '1 hour'
	FROM meetings m WHERE m.id = $mid AND action_points.meeting_id = m.id
	AND action_points.id = (SELECT min(id) FROM action_points WHERE meeting_id = $mid AND state = 'open')
	RETURNING action_points.description")
[ -n "$edited" ] || fail "no action point of the closed meeting to mark as edited"
done_id=$(sql -At -c "SELECT id || ' ' || version FROM action_points WHERE meeting_id = $mid AND state = 'open'
	AND edited_at IS NULL ORDER BY id LIMIT 1")
[ -n "$done_id" ] || fail "no second action point of the closed meeting"
printf 'complete %s Afgerond in de e2e-test\nquit\n' "$done_id" | batch voorzitter | grep -q '"action_point"' ||
	fail "could not complete an action point of the closed meeting"
done_desc=$(sql -At -c "SELECT description FROM action_points WHERE id = ${done_id%% *}")

# A screen tall and wide enough for the whole of the minutes, unwrapped.
E2E_COLS=300 E2E_ROWS=150
# The lines of a rendering, compared without indentation and blank lines,
# and without the minute each was made in (the two may fall on either side
# of a minute's turn).
norm() { sed -E 's/^ +//; s/ +$//; s/^(Opgesteld voor: .*) \(op [0-9-]+ [0-9:]+\)$/\1/' | grep -v '^$'; }

for who in wijkagent woningcorporatie verslavingszorg; do
	batch "$who" >/dev/null <<-IN || fail "$who: batch minutes"
	minutes $mid txt $E2E_DIR/$who.txt
	quit
	IN
	[ -s "$E2E_DIR/$who.txt" ] || fail "$who: no text file"
	start_client "$who" "$who" --meeting "$mid"
	wait_re "$who" "^ +# +Casus" || fail "$who: the closed meeting did not open: $(screen "$who")"
	keys "$who" b
	wait_for "$who" "Openstaande afspraken uit eerdere overleggen" ||
		fail "$who: the minutes did not load: $(screen "$who")"
	# the pager's lines: below the title bar, above the status and key lines
	screen "$who" | sed '1d' | head -n -2 | norm >"$E2E_DIR/$who.screen"
	# the file: without the title's underline and the closing line
	grep -vE '^=+$|^-- Opgesteld voor .* --$' "$E2E_DIR/$who.txt" | norm >"$E2E_DIR/$who.file"
	diff -u "$E2E_DIR/$who.file" "$E2E_DIR/$who.screen" >"$E2E_DIR/$who.diff" ||
		fail "$who: screen and file differ: $(cat "$E2E_DIR/$who.diff")"
	# the case by its number: not its persons (the WZT case's three, whose
	# names a decision's own text may still use) nor their birth dates
	for secret in "Betrokkene" "geboren" "Daan Bakker" "1986-04-12" \
		"1989-09-03" "2016-01-22"; do
		grep -qF -- "$secret" "$E2E_DIR/$who.file" && fail "$who: the file names '$secret'"
	done
	tm kill-session -t "$who"
done
# the edited and the completed action point, marked in the police's copy
grep -qF -- "$edited (na sluiten gewijzigd)" "$E2E_DIR/wijkagent.file" ||
	fail "police: the action point edited after closing is not marked: $(grep -F -- "$edited" "$E2E_DIR/wijkagent.file")"
grep -qF -- "$done_desc (afgerond)" "$E2E_DIR/wijkagent.file" ||
	fail "police: the completed action point is not marked: $(grep -F -- "$done_desc" "$E2E_DIR/wijkagent.file")"
# what each organisation's copy says differs as its view does
grep -qF "Besluit: Huisverbod verlengen" "$E2E_DIR/wijkagent.file" || fail "police: no decision"
grep -qF "(geboortedata" "$E2E_DIR/woningcorporatie.file" || fail "housing: hidden birth dates not named"
grep -qF "Besluit: (verborgen, zie boven)" "$E2E_DIR/verslavingszorg.file" ||
	fail "addiction care (absent, not involved): decision not hidden"
# the case's action point agreed earlier and still open: in full for the
# police, without its text for addiction care (absent, not involved)
grep -A1 -xF "Eerder afgesproken, open:" "$E2E_DIR/wijkagent.file" |
	grep -qF "Raad voor de Kinderbescherming, regio Oost: Raadsonderzoek naar de kinderen" ||
	fail "police: the earlier action point is not listed: $(cat "$E2E_DIR/wijkagent.file")"
grep -A1 -xF "Eerder afgesproken, open:" "$E2E_DIR/verslavingszorg.file" |
	grep -qF "Raad voor de Kinderbescherming, regio Oost: (tekst verborgen)" ||
	fail "addiction care: the earlier action point is not listed without text"
grep -qF "Raadsonderzoek" "$E2E_DIR/verslavingszorg.file" &&
	fail "addiction care: the earlier action point's text is shown"
# expected but absent: each organisation once (GGZ and addiction care were
# recorded absent: named with their member, not again on their own)
for who in wijkagent woningcorporatie verslavingszorg; do
	absent=$(sed -n '/^Verwacht maar afwezig$/,/^Agenda en besluiten$/p' "$E2E_DIR/$who.file")
	for org in "GGZ Eemland-Twente" "Tavenier Verslavingszorg"; do
		[ "$(echo "$absent" | grep -cF "$org")" -eq 1 ] ||
			fail "$who: '$org' is not named once as absent: $absent"
	done
	echo "$absent" | grep -qxF "Bram Peters (Tavenier Verslavingszorg)" ||
		fail "$who: the absent member is not named: $absent"
done
# one date format: the meeting's date as the due dates, YYYY-MM-DD
grep -qE '^Datum: 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} tot ' "$E2E_DIR/wijkagent.file" ||
	fail "the date is not YYYY-MM-DD: $(grep Datum "$E2E_DIR/wijkagent.file")"

# the date: when it was held (opened .. closed), on screen as in the file
grep -qxF "Datum: $held tot 15:13 · Voorzitter: Anouk de Vries" "$E2E_DIR/wijkagent.file" ||
	fail "the minutes are not dated when the meeting was held ($held): $(grep Datum "$E2E_DIR/wijkagent.file")"

# the audit of the minutes records what they hold: no names or birth dates
cats=$(sql -At -c "SELECT coalesce(string_agg(DISTINCT c, ','), '')
	FROM audit_log, unnest(categories) c WHERE context = 'minutes'")
[ -n "$cats" ] || fail "no minutes audited"
case ",$cats," in
*,person_names,*|*,birth_dates,*|*,case_summary,*)
	fail "the minutes' audit records '$cats', which the minutes do not show" ;;
esac
ok
