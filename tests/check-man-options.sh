#!/bin/bash
# Every option in each program's --help (and every tafelctl command) appears in its man page source.
#   tests/check-man-options.sh TAFEL TAFELD TAFELCTL MAN-SOURCE-DIR
set -euo pipefail
tafel=$1 tafeld=$2 tafelctl=$3 man=$4
fail=0

check() {  # program, page: every --long and -s option of its --help
    local prog=$1 page=$2 opt
    for opt in $("$prog" --help | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u); do
        if ! grep -qF -- "*$opt*" "$page"; then
            echo "FAIL: $(basename "$prog") $opt is not in $(basename "$page")"
            fail=1
        fi
    done
}
check "$tafel" "$man/tafel.1.scd"
check "$tafeld" "$man/tafeld.8.scd"
check "$tafelctl" "$man/tafelctl.8.scd"

# tafelctl's commands: "  org add NAME KIND ..." lines after "commands:"
while read -r cmd; do
    if ! grep -qF -- "*$cmd*" "$man/tafelctl.8.scd"; then
        echo "FAIL: tafelctl command \"$cmd\" is not in tafelctl.8.scd"
        fail=1
    fi
done < <("$tafelctl" --help | sed -n '/^commands:/,$p' | grep -E '^  [a-z]' |
         sed -E 's/^  //; s/ +([A-Z\[].*)?$//')

[ $fail -eq 0 ] && echo "ok: every option and command is documented"
exit $fail
