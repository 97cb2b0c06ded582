#!/bin/sh
# Installs the Debian packages Tigris needs to build and test (clang and
# libclang-rt-dev, whose libclang_rt.fuzzer is libFuzzer, for make fuzz;
# valgrind for make memcheck), and any
# further packages named as arguments (scripts/install-bench-deps.sh).
# A no-op when they are all present; runs `apt-get update` only when an
# install is needed, so a warm machine pays nothing.
set -eu

PACKAGES="build-essential pkg-config python3 \
libxapian-dev xapian-tools libstemmer-dev zlib1g-dev libutf8proc-dev \
libxml2-dev libjansson-dev libmicrohttpd-dev libcmocka-dev curl \
clang libclang-rt-dev valgrind $*"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-deps: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
