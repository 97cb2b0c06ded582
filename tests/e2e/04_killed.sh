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
# Killed twice: a parallel build of a new database (the default: shards
# behind a Xapian stub until they are merged), and serial (--jobs 1).
for jobs in 2 1; do
rm -rf "$DB"
"$BIN/indexer" --db "$DB" --jobs $jobs --commit-every 500 "$TMP/big.jsonl" >/dev/null 2>&1 &
pid=$!
# Wait until at least one commit has landed, then kill without warning.
for i in $(seq 1 200); do
    "$BIN/searcher" --db "$DB" --json uniqueword1 2>/dev/null | grep -q '"a1"' && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
j=$("$BIN/searcher" --db "$DB" --json -n 1 uniqueword1); rc=$?
expect_status "jobs $jobs: search after kill -9" "$rc" 0
expect_eq "jobs $jobs: article committed before the kill" "$(json_get "$j" 'j["results"][0]["id"]')" "a1"
if [ $jobs -gt 1 ] && [ -f "$DB/XAPIANDB" ]; then
    expect_eq "jobs $jobs: killed mid-build, the stub names the shards" "$(cat "$DB/XAPIANDB")" "auto shard-0
auto shard-1"
    out=$("$BIN/indexer" --db "$DB" "$TMP/big.jsonl" 2>&1); rc=$?
    expect_contains "jobs $jobs: re-run finishes the interrupted build" "$out" "finished an interrupted parallel build"
else
    out=$("$BIN/indexer" --db "$DB" "$TMP/big.jsonl" 2>&1); rc=$?
fi
expect_status "jobs $jobs: re-run after kill" "$rc" 0
expect_contains "jobs $jobs: re-run completes" "$out" "holds 30000 articles"
[ -f "$DB/iamglass" ] && [ ! -e "$DB/XAPIANDB" ]
expect_status "jobs $jobs: one database in the end" "$?" 0
done

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
