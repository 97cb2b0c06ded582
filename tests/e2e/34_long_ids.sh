#!/bin/sh
# An article id longer than Xapian's terms allow (a feed item's link with
# its tracking parameters, 312 bytes here) is named by its hash: the
# article is indexed, found, found by id:, recognised as unchanged and
# as changed on the next runs (it used to be refused: "article id is
# longer than 239 bytes").
. tests/e2e/lib.inc
db=$TMP/long.db
arc=tests/data/long-ids/archive.jsonl
long=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["id"])' "$arc")
[ ${#long} -gt 300 ] || fail "the test id is only ${#long} bytes"

out=$("$BIN/indexer" --db "$db" "$arc" 2>&1); rc=$?
expect_status "first run (parallel build)" "$rc" 0
expect_contains "both articles new" "$out" "2 new"
out=$("$BIN/indexer" --db "$db" "$arc" 2>&1); rc=$?
expect_status "second run (serial)" "$rc" 0
expect_contains "both unchanged" "$out" "0 new, 0 changed, 2 unchanged"
out=$("$BIN/indexer" --db "$db" tests/data/long-ids/changed.jsonl 2>&1)
expect_contains "the long-id article changed, not added again" "$out" "0 new, 1 changed"
expect_contains "still two articles" "$out" "holds 2 articles"

json=$("$BIN/searcher" --db "$db" --json Qayyarah)
expect_eq "found, with its whole id" "$(json_get "$json" 'j["results"][0]["id"]')" "$long"
expect_contains "the changed text" "$(json_get "$json" 'j["results"][0]["passage"]["text"]')" "six weeks"
json=$("$BIN/searcher" --db "$db" --json "id:$long")
expect_eq "found by id:" "$(json_get "$json" 'j["total"]')" "1"
finish
