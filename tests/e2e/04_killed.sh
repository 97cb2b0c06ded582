#!/bin/sh
# A killed indexer leaves a database that opens and searches, and a re-run
# completes the work. Interrupting (SIGINT) commits what was indexed.
. tests/e2e/lib.inc
DB=$TMP/db
python3 - "$TMP/big.jsonl" <<'PY'
import random, sys
random.seed(7)
words = ("tigris euphrates baghdad mosul basra kirkuk najaf karbala samarra "
         "falluja ramadi tikrit erbil sulaymaniyah hilla kut amara nasiriya "
         "river bridge market palace mosque school army party council").split()
with open(sys.argv[1], "w") as f:
    for i in range(30000):
        body = " ".join(random.choice(words) for _ in range(120))
        f.write('{"id": "a%d", "title": "Article %d", "body": "%s uniqueword%d"}\n' % (i, i, body, i))
PY
"$BIN/indexer" --db "$DB" --commit-every 500 "$TMP/big.jsonl" >/dev/null 2>&1 &
pid=$!
# Wait until at least one commit has landed, then kill without warning.
for i in $(seq 1 100); do
    [ -f "$DB/iamglass" ] && "$BIN/searcher" --db "$DB" --json uniqueword1 >/dev/null 2>&1 && break
    sleep 0.1
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
j=$("$BIN/searcher" --db "$DB" --json -n 1 uniqueword1); rc=$?
expect_status "search after kill -9" "$rc" 0
expect_eq "article committed before the kill" "$(json_get "$j" 'j["results"][0]["id"]')" "a1"
out=$("$BIN/indexer" --db "$DB" "$TMP/big.jsonl" 2>&1); rc=$?
expect_status "re-run after kill" "$rc" 0
expect_contains "re-run completes" "$out" "holds 30000 articles"

# SIGINT: the indexer stops cleanly, says so, and keeps its work.
rm -rf "$DB"
"$BIN/indexer" --db "$DB" "$TMP/big.jsonl" 2>"$TMP/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid; rc=$?
if [ "$rc" -eq 130 ]; then
    ok
    expect_contains "interrupt message" "$(cat "$TMP/err")" "interrupted"
    "$BIN/searcher" --db "$DB" --json -n 1 uniqueword0 >/dev/null 2>&1
    expect_status "search after SIGINT" "$?" 0
else
    # The machine was fast enough to finish within a second.
    expect_status "indexer finished before SIGINT" "$rc" 0
fi
finish
