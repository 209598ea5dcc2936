#!/bin/bash
# Checks that docs/config.md holds the current generated settings table.
set -euo pipefail
tafeld=$1
doc=$2
diff <(sed -n '/<!-- BEGIN tafeld -->/,/<!-- END tafeld -->/p' "$doc" | sed '1d;$d') \
     <("$tafeld" --print-config-doc) || {
    echo "docs/config.md is out of date: regenerate with tafeld --print-config-doc" >&2
    exit 1
}
