# Sourced by run.sh and faults.sh: PY, the Python that has Debian's python3-protobuf (a pyenv
# python3 first in PATH may not), or exit 77 (skipped) without it or without protoc.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import google.protobuf' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "SKIP: python3-protobuf not installed"; exit 77; }
command -v protoc >/dev/null || { echo "SKIP: protoc (protobuf-compiler) not installed"; exit 77; }
