#!/bin/bash
# Installs everything Tafel needs to build, run and test on Debian 12, and the service user.
set -euo pipefail

PACKAGES=(
    # build
    build-essential meson ninja-build pkg-config python3 protobuf-c-compiler gettext
    # libraries
    libevent-dev libprotobuf-c-dev libncurses-dev libpq-dev libssl-dev libsodium-dev
    libinih-dev libjson-c-dev libsystemd-dev libcairo2-dev libfontconfig-dev zlib1g-dev
    fonts-dejavu-core
    # docs and packages: man pages from scdoc sources, the Debian package
    scdoc debhelper dpkg-dev fakeroot
    # run: the embedded cluster needs the server binaries (initdb, pg_ctl)
    postgresql-15 postgresql-client-15 locales
    # the client, the server and the tests keep dates in Europe/Amsterdam
    tzdata
    # test
    libcmocka-dev tmux clang libclang-rt-14-dev poppler-utils
    # test: the independent Python client of tests/outside (protoc --python_out)
    python3-protobuf protobuf-compiler
    # benchmark only: tafel_bench compares live push with Redis pub/sub
    libhiredis-dev redis-server
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${missing[*]}" >&2
        echo "run as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Debian's postgresql package would start a system cluster; we do not need it.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# tafeld refuses to run PostgreSQL as root: as root it switches to this user.
if [ "$(id -u)" -eq 0 ] && ! getent passwd tafel >/dev/null; then
    useradd --system --home-dir /var/lib/tafel --shell /usr/sbin/nologin tafel
fi

# The UI speaks Dutch: make sure a UTF-8 locale exists.
if [ "$(id -u)" -eq 0 ] && ! locale -a 2>/dev/null | grep -qi '^C.utf8$'; then
    echo "C.UTF-8 locale missing" >&2
fi
