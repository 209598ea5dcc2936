#!/bin/bash
# A pick list narrows while its search is typed (new users typed a name, saw the whole list and did not know the Enter searched it): R's organisation list shows only what matches the letters typed so far, Esc (and j on "discard?") brings the whole list back, Enter keeps the search and a second Enter chooses.
. "$(dirname "$0")/lib.sh"

start_server
start_client vz voorzitter
wait_for vz "verbonden" || fail "client not connected: $(screen vz)"
open_case vz 2026-0002
keys vz R
wait_for vz "Regieorganisatie van casus 2026-0002" || fail "R did not open the picker: $(screen vz)"
wait_for vz "Politie Eenheid Oost-Nederland" || fail "the picker does not list the police: $(screen vz)"
# typed, not yet Enter: the list shows only what matches
type_text vz "veil"
wait_for vz "Zoeken: veil" || fail "the letters did not start a search: $(screen vz | tail -n 3)"
wait_gone vz "Politie Eenheid Oost-Nederland" 5 || fail "the list did not narrow while typing: $(screen vz)"
screen vz | grep -qF "Veilig Thuis Eemland-Twente" || fail "the match is not listed: $(screen vz)"
# Backspace widens it again as it is typed
keys vz BSpace BSpace BSpace
wait_for vz "Zoeken: v" || fail "Backspace: $(screen vz | tail -n 3)"
wait_for vz "Tavenier Verslavingszorg" 5 || fail "the list did not widen after Backspace: $(screen vz)"
# Esc, j: the search is dropped, the whole list is back
keys vz Escape
wait_for vz "Getypte tekst weggooien? (j/n):" || fail "Esc did not ask: $(screen vz | tail -n 3)"
keys vz j
wait_for vz "Politie Eenheid Oost-Nederland" 5 || fail "Esc: the whole list did not come back: $(screen vz)"
screen vz | grep -qF "Regieorganisatie van casus 2026-0002" || fail "Esc on the search left the picker: $(screen vz)"
# Enter keeps the search (one line), a second Enter chooses it
type_text vz "veil"
keys vz Enter
wait_for vz "q zoeken wissen" || fail "Enter did not keep the search: $(screen vz | tail -n 3)"
keys vz Enter
wait_for vz "Casusregisseur van 2026-0002" || fail "the second Enter did not choose: $(screen vz)"
screen vz | grep -qF "Veilig Thuis Eemland-Twente" || fail "not Veilig Thuis chosen: $(screen vz)"
ok
