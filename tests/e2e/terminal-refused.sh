#!/bin/bash
# A terminal the screen cannot work on (TERM unknown, unset or dumb; a locale that is not UTF-8) is refused at once with the reason and exit status 2, not a silent exit 1 or a garbled screen; the reason is in the first language of LANGUAGE that tafel has.
. "$(dirname "$0")/lib.sh"

E2E_DIR=$(mktemp -d /tmp/tafel-e2e-XXXXXX) || fail "mktemp"
# settings good enough to get as far as the screen (no server needed)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$E2E_DIR.cakey" \
	-out "$E2E_DIR.ca" -subj /CN=ca -days 2 >/dev/null 2>&1 || fail "openssl could not make a CA"
printf 'x\n' >"$E2E_DIR.pw"

# run NAME ENV...: tafel in a tmux session under ENV (on top of Dutch),
# its exit status printed after it
run() {
	local s=$1
	shift
	tm new-session -d -s "$s" -x 160 -y 10 \
		"env -u LC_ALL -u TERM LANG=C.UTF-8 LANGUAGE=nl TAFEL_LOCALEDIR=$TAFEL_LOCALEDIR $* $TAFEL --config /dev/null --server 127.0.0.1:1 --user politie --ca $E2E_DIR.ca --password-file $E2E_DIR.pw; echo '[tafel exited]' \$?; sleep 600" ||
		fail "tmux new-session $s"
}

run unknown TERM=tafel-no-such-terminal
run unset
run dumb TERM=dumb
wait_joined unknown "het terminaltype TERM=tafel-no-such-terminal is hier onbekend (geen terminfo-beschrijving)" ||
	fail "unknown TERM not explained: $(screen unknown)"
wait_for unknown "[tafel exited] 2" || fail "unknown TERM: not exit status 2: $(screen unknown)"
# the reason in the language asked for: LANGUAGE's first language that
# tafel has (en:nl is English, though gettext alone would take Dutch)
run en TERM=tafel-no-such-terminal LANGUAGE=en:nl
run de TERM=tafel-no-such-terminal LANGUAGE=de:nl LANG=en_GB.UTF-8
wait_joined en "the terminal type TERM=tafel-no-such-terminal is unknown here (no terminfo entry)" ||
	fail "LANGUAGE=en:nl is not English: $(screen en)"
wait_joined de "het terminaltype TERM=tafel-no-such-terminal is hier onbekend" ||
	fail "LANGUAGE=de:nl is not Dutch: $(screen de)"
wait_joined unset "TERM is niet gezet" || fail "unset TERM not explained: $(screen unset)"
wait_for unset "[tafel exited] 2" || fail "unset TERM: not exit status 2: $(screen unset)"
wait_joined dumb "de terminal TERM=dumb kan de cursor niet verplaatsen" ||
	fail "TERM=dumb not explained: $(screen dumb)"
wait_for dumb "[tafel exited] 2" || fail "TERM=dumb: not exit status 2: $(screen dumb)"

# Latin-1: a locale of its own (LOCPATH), when the locale sources are here
if localedef -i nl_NL -f ISO-8859-1 "$E2E_DIR/nl_NL.ISO-8859-1" >/dev/null 2>&1; then
	run latin1 TERM=xterm LOCPATH=$E2E_DIR LANG=nl_NL.ISO-8859-1
	wait_joined latin1 "het scherm heeft een UTF-8-terminal nodig, en de locale nl_NL.ISO-8859-1 is ISO-8859-1" ||
		fail "a Latin-1 locale not refused: $(screen latin1)"
	wait_for latin1 "[tafel exited] 2" || fail "Latin-1: not exit status 2: $(screen latin1)"
	# the reason in ASCII: the only text such a terminal shows right
	screen latin1 | grep -qP '[^\x00-\x7f]' && fail "Latin-1: the reason is not ASCII: $(screen latin1)"
else
	echo "(no locale sources: the Latin-1 part is skipped)"
fi
ok
