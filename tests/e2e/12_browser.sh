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

# Outside CI a machine without a browser skips; CI installs one (.ci/run),
# so there a skip would hide a missing install step: it fails instead.
skip() {
    if [ "${CI:-}" = true ]; then
        echo "  FAIL [$NAME]: cannot run in CI: $*"
        exit 1
    fi
    echo "  skip [$NAME]: $*"
    exit 0
}

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

# The widget's host page gets a free loopback port of its own; the server
# lets that second origin call its API.
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SRV_PID=
trap '[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
if ! start_server "$DB" --cors "http://127.0.0.1:$PORT2"; then
    fail "server did not start: $(tail -n 5 "$TMP/server.log")"
    finish
fi
ok

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
out=$(cd tests/browser && node run.mjs "$BASE" "$SHOTS" "$PORT2" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    /'
expect_status "browser test (tests/browser/run.mjs)" "$rc" 0
kill -0 "$SRV_PID" 2>/dev/null
expect_status "server still running after the browser test" "$?" 0
stop_server
SRV_PID=
expect_status "server stops cleanly" "$SRV_RC" 0
for f in desktop-results.png phone-results.png widget.png nojs-results.png; do
    if [ -s "$SHOTS/$f" ]; then ok; else fail "screenshot $f missing in $SHOTS"; fi
done
finish
