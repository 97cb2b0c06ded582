#!/bin/sh
# The Debian package, end to end: builds the .debs (dpkg-buildpackage -us
# -uc -b) from a copy of the tree, checks them with lintian (no errors),
# installs them, indexes the sample corpus as the nightly re-index would,
# starts the service (systemctl when systemd runs, else the unit's command
# line as the tigris user), queries it over HTTP and on the command line,
# builds the example against the installed library, then purges and checks
# that nothing is left. Needs root (dpkg -i) and dpkg-dev, debhelper,
# lintian (scripts/install-deps.sh dpkg-dev debhelper lintian fakeroot).
# Usage: sh scripts/test-deb.sh   (from the repository root)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tigris-deb.XXXXXX")
FAILS=0
SRV_PID=""
say() { echo "test-deb: $*"; }
fail() { echo "test-deb: FAIL: $*"; FAILS=$((FAILS + 1)); }
cleanup() {
    [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null
    if dpkg-query -W -f='${Status}' tigris 2>/dev/null | grep -q installed ||
       dpkg-query -W -f='${Status}' libtigris0 2>/dev/null | grep -q "ok installed"; then
        apt-get purge -y -qq tigris libtigris-dev libtigris0 >/dev/null 2>&1
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
if [ "$(id -u)" -ne 0 ]; then
    echo "test-deb: needs root (dpkg -i); skipped"
    exit 0
fi
for t in dpkg-buildpackage dh lintian curl; do
    command -v $t >/dev/null 2>&1 || { echo "test-deb: $t missing"; exit 1; }
done
if dpkg-query -W -f='${Status}' tigris 2>/dev/null | grep -q "ok installed"; then
    echo "test-deb: a tigris package is installed already; not touching it"
    exit 1
fi

# ---- build, from a copy (dpkg-buildpackage writes into the parent folder)
mkdir -p "$TMP/src/tigris-0.1.0"
(cd "$ROOT" && git ls-files -co --exclude-standard | grep -v '^debian/\.debhelper' |
    tar -cf - -T -) | tar -xf - -C "$TMP/src/tigris-0.1.0"
say "building the packages"
if ! (cd "$TMP/src/tigris-0.1.0" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
      dpkg-buildpackage -us -uc -b >"$TMP/build.log" 2>&1); then
    tail -30 "$TMP/build.log"
    fail "dpkg-buildpackage"
    exit 1
fi
DEBS=$(ls "$TMP"/src/*.deb | grep -v dbgsym)
for p in tigris libtigris0 libtigris-dev; do
    ls "$TMP/src/${p}_0.1.0_"*.deb >/dev/null 2>&1 || fail "no ${p} package"
done
lintian --fail-on error --suppress-tags-from-file /dev/null "$TMP"/src/*.changes \
    >"$TMP/lintian.log" 2>&1 || { cat "$TMP/lintian.log"; fail "lintian reports errors"; }
say "lintian: $(grep -c '^E:' "$TMP/lintian.log") errors, $(grep -c '^W:' "$TMP/lintian.log") warnings"
grep -E '^(E|W):' "$TMP/lintian.log" | head -20
dpkg-deb -c "$TMP"/src/libtigris-dev_*.deb >"$TMP/dev.list"
grep -q './usr/include/tigris.h$' "$TMP/dev.list" || fail "libtigris-dev lacks tigris.h"
grep -q 'include/tg_' "$TMP/dev.list" && fail "libtigris-dev ships internal headers"

# ---- install
say "installing"
# shellcheck disable=SC2086
apt-get install -y -qq $DEBS >"$TMP/install.log" 2>&1 ||
    { tail -20 "$TMP/install.log"; fail "apt-get install of the packages"; exit 1; }
getent passwd tigris >/dev/null || fail "no tigris user"
[ -f /etc/default/tigris ] || fail "no /etc/default/tigris"
[ -f /lib/systemd/system/tigris.service ] || [ -f /usr/lib/systemd/system/tigris.service ] ||
    fail "no tigris.service"
man -w indexer >/dev/null 2>&1 || fail "man indexer"
indexer --version | grep -q "0.1.0" || fail "indexer --version"

# ---- index the sample, as the nightly re-index does (user tigris)
cp -r "$ROOT/corpus/." /var/lib/tigris/sources/
chown -R tigris:tigris /var/lib/tigris/sources
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    say "systemd runs: the units themselves"
    sed -i "s|^TIGRIS_LISTEN=.*|TIGRIS_LISTEN=127.0.0.1:$PORT|" /etc/default/tigris
    systemctl start tigris-reindex.service || fail "tigris-reindex.service"
    systemctl start tigris.service || fail "tigris.service"
else
    say "no systemd: the units' command lines, as user tigris"
    # shellcheck disable=SC1091
    . /etc/default/tigris
    runuser -u tigris -- indexer -q --prune --db "$TIGRIS_DB" $TIGRIS_SOURCES ||
        fail "indexing as tigris"
    # shellcheck disable=SC2086
    runuser -u tigris -- searcher --db "$TIGRIS_DB" --serve "127.0.0.1:$PORT" $TIGRIS_OPTS \
        >"$TMP/serve.log" 2>&1 &
    SRV_PID=$!
fi
n=$(searcher --db /var/lib/tigris/db --stats | sed -n 's/^articles //p')
[ "$n" = 30 ] || fail "database holds '$n' articles, want 30"
[ "$(stat -c %U /var/lib/tigris/db)" = tigris ] || fail "database not owned by tigris"
i=0
while [ $i -lt 100 ] && ! curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do
    sleep 0.1; i=$((i + 1))
done
out=$(curl -sf "http://127.0.0.1:$PORT/api/search?q=Kataib+Hezbollah")
total=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null)
[ -n "$total" ] && [ "$total" -ge 1 ] || fail "the service's /api/search: '$(printf '%s' "$out" | head -c 200)'"
curl -sf "http://127.0.0.1:$PORT/search?q=x" >/dev/null 2>&1 # (nginx's route; the server's is /)
searcher --db /var/lib/tigris/db -n 1 Hezbollah | grep -q "Hezbollah" || fail "searcher CLI"

# ---- the library, as another program uses it
cc -std=c11 -Wall -Wextra -Werror /usr/share/doc/libtigris-dev/examples/index_and_search.c \
   $(pkg-config --cflags --libs tigris) -o "$TMP/demo" 2>"$TMP/cc.log" ||
    { cat "$TMP/cc.log"; fail "the example does not build against the package"; }
[ -x "$TMP/demo" ] && { "$TMP/demo" "$TMP/demo.db" "river flood" | grep -q "2 hits" ||
    fail "the example against the package"; }

# ---- stop, purge
if [ -n "$SRV_PID" ]; then
    kill "$SRV_PID"; wait "$SRV_PID" 2>/dev/null; SRV_PID=""
else
    systemctl stop tigris.service tigris-reindex.timer
fi
say "purging"
apt-get purge -y -qq tigris libtigris-dev libtigris0 >"$TMP/purge.log" 2>&1 || fail "purge"
for f in /usr/bin/indexer /usr/bin/searcher /usr/include/tigris.h /etc/default/tigris \
         /var/lib/tigris /usr/share/man/man1/indexer.1.gz; do
    [ -e "$f" ] && fail "$f left after purge"
done
ls /usr/lib/*/libtigris* >/dev/null 2>&1 && fail "libtigris left after purge"
if [ "$FAILS" -eq 0 ]; then
    say "ok: built ($(echo $DEBS | wc -w) packages), lintian without errors, installed, indexed, served, purged"
    exit 0
fi
say "$FAILS failures"
exit 1
