#!/bin/bash
# The input line has a cursor: ← and → move by a character (a wide one takes two columns), Home/Ctrl-A and End/Ctrl-E jump, typing inserts at the cursor, Backspace deletes before it, Delete and Ctrl-D at it, Ctrl-K to the end; a long text scrolls to keep the cursor in sight, "…" where it is cut; the terminal's cursor stands where one types.
. "$(dirname "$0")/lib.sh"

# status SESSION: the input line (the status line, above the keys' line)
status() {
	screen "$1" | tail -n 2 | head -n 1
}
# cursor SESSION: the terminal cursor's column
cursor() {
	tm display-message -p -t "$1" '#{cursor_x}'
}
# expect_line SESSION TEXT COLUMN: the input line reads "Zoeken: TEXT" with
# the cursor in COLUMN
expect_line() {
	local s=$1 text=$2 col=$3 deadline=$((SECONDS + 10))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(status "$s" | sed 's/ *$//')" = "Zoeken: $text" ] &&
			[ "$(cursor "$s")" = "$col" ] && return 0
		sleep 0.1
	done
	fail "expected 'Zoeken: $text' with the cursor in column $col, saw '$(status "$s")' at $(cursor "$s")"
}

start_server
start_client pol politie
wait_for pol "Overleggen" || fail "no meetings list"
keys pol /
wait_for pol "Zoeken:" || fail "/ did not ask for a search"
# "Zoeken: " is 8 columns: the text starts in column 8
type_text pol "abcdef"
expect_line pol "abcdef" 14
keys pol Left Left
expect_line pol "abcdef" 12
type_text pol "X"
expect_line pol "abcdXef" 13
keys pol Home
expect_line pol "abcdXef" 8
type_text pol "Y"
expect_line pol "YabcdXef" 9
keys pol End
expect_line pol "YabcdXef" 16
keys pol BSpace
expect_line pol "YabcdXe" 15
keys pol C-a
type_text pol "Z"
expect_line pol "ZYabcdXe" 9
keys pol DC
expect_line pol "ZabcdXe" 9
keys pol Right C-d
expect_line pol "ZacdXe" 10
keys pol C-e Left C-k
expect_line pol "ZacdX" 13
keys pol Left BSpace
expect_line pol "ZacX" 11
# wide characters: one step of the cursor is one character, two columns
keys pol End
type_text pol "日本"
expect_line pol "ZacX日本" 16
keys pol Left
expect_line pol "ZacX日本" 14
keys pol Left BSpace
expect_line pol "Zac日本" 11
keys pol Enter
wait_for pol "/Zac日本" || fail "the edited search text was not taken: $(screen pol | tail -n 3)"

# a text longer than the line: Home shows its start, "…" where its end is cut
keys pol /
wait_for pol "Zoeken:" || fail "/ did not ask again"
keys pol C-u
long="begin-$(printf 'x%.0s' $(seq 1 90))-einde$$"
type_text pol "$long"
wait_for pol "-einde$$" || fail "the end of the typed text is not on screen"
keys pol Home
wait_re pol "^Zoeken: begin-x+…" || fail "Home did not show the start: $(status pol)"
[ "$(cursor pol)" = 8 ] || fail "cursor not at the start after Home: $(cursor pol)"
type_text pol "A"
wait_re pol "^Zoeken: Abegin-x+…" || fail "typed at the start not shown: $(status pol)"
# moving right past the line's end scrolls the text
keys pol End
wait_re pol "^Zoeken: …x+-einde$$ *\$" || fail "End did not show the end: $(status pol)"
keys pol Enter
wait_for pol "/Abegin-xxx" || fail "the long text was not kept whole"
ok
