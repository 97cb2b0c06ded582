#!/bin/sh
# The web search in a real browser: tests/browser/run.mjs drives the system
# Chromium (playwright-core from npm, no browser download) against
# `searcher --serve` on corpus/: results as you type, autocomplete, pager,
# year bars, "more passages", the article page, phone layout, the widget on
# a second origin (CORS) and the page with JavaScript off. Screenshots are
# kept in build/screenshots/. Skips when node, Chromium or the npm package
# cannot be had.
. tests/e2e/lib.inc
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
SHOTS=$ROOT/build/screenshots

skip() { echo "  skip [$NAME]: $*"; exit 0; }

command -v node >/dev/null 2>&1 || skip "node is not installed"
[ -x "$CHROMIUM" ] || skip "$CHROMIUM is not installed (apt-get install chromium)"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    command -v npm >/dev/null 2>&1 || skip "npm is not installed, tests/browser/node_modules is missing"
    echo "  [$NAME] installing playwright-core in tests/browser"
    if ! (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
            npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1); then
        tail -n 5 "$TMP/npm.log"
        skip "npm could not install tests/browser (see above)"
    fi
fi

DB=$TMP/db
"$BIN/indexer" --db "$DB" corpus/ >/dev/null 2>&1
expect_status "index corpus" "$?" 0

# Two free loopback ports: the server's and the widget host page's (the
# server lets that second origin call its API).
ports=$(python3 -c 'import socket
a=socket.socket(); b=socket.socket()
a.bind(("127.0.0.1",0)); b.bind(("127.0.0.1",0))
print(a.getsockname()[1], b.getsockname()[1])')
PORT=${ports% *}
PORT2=${ports#* }
BASE=http://127.0.0.1:$PORT

"$BIN/searcher" --db "$DB" --serve "127.0.0.1:$PORT" --cors "http://127.0.0.1:$PORT2" -q \
    >"$TMP/server.log" 2>&1 &
SPID=$!
trap 'kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT

# Up to 20 s for /healthz (ASan builds start slowly).
up=0
i=0
while [ $i -lt 80 ]; do
    if node -e 'fetch(process.argv[1]).then(r => r.json()).then(j => process.exit(j.status === "ok" ? 0 : 1), () => process.exit(1))' \
            "$BASE/healthz" 2>/dev/null; then
        up=1
        break
    fi
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.25
    i=$((i + 1))
done
if [ $up -ne 1 ]; then
    fail "server did not answer /healthz on $BASE: $(tail -n 5 "$TMP/server.log")"
    finish
fi
ok

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
out=$(cd tests/browser && node run.mjs "$BASE" "$SHOTS" "$PORT2" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
expect_status "browser test (tests/browser/run.mjs)" "$rc" 0
expect_contains "browser test summary" "$out" " 0 failed"
kill -0 "$SPID" 2>/dev/null
expect_status "server still running after the browser test" "$?" 0
for f in desktop-results.png phone-results.png widget.png nojs-results.png; do
    if [ -s "$SHOTS/$f" ]; then ok; else fail "screenshot $f missing in $SHOTS"; fi
done
finish
