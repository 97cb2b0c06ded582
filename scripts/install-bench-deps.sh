#!/bin/sh
# Installs the Debian packages `make bench` needs beyond the build's own
# (scripts/install-deps.sh): SQLite with FTS5 for the FTS5 peer, Xapian's
# headers and tools (xapian-compact) for the Xapian peer, jansson for both,
# g++ and python3 (the report). A no-op when they are all present; runs
# `apt-get update` only when an install is needed.
set -eu

PACKAGES="build-essential pkg-config python3 libsqlite3-dev libxapian-dev \
xapian-tools libjansson-dev"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-bench-deps: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-bench-deps: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi

echo "install-bench-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
