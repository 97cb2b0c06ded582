#!/bin/sh
# Re-indexing skips unchanged articles, replaces changed ones, adds new ones.
. tests/e2e/lib.inc
DB=$TMP/db
mkdir -p "$TMP/arch"
cp corpus/*.txt "$TMP/arch/"
n=$(ls "$TMP/arch" | wc -l)
"$BIN/indexer" --db "$DB" "$TMP/arch" >/dev/null 2>&1
out=$("$BIN/indexer" --db "$DB" "$TMP/arch" 2>&1); rc=$?
expect_status "second run" "$rc" 0
expect_contains "second run skips all" "$out" "0 new, 0 changed, $n unchanged"

first=$(ls "$TMP/arch" | head -n 1)
# Change one article's body: a paragraph after the title, with a word
# nobody else uses (text after the comment line would be sidebar).
python3 - "$TMP/arch/$first" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
lines[4:4] = ["A zanzibarian preface about nothing at all.", ""]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines))
PY
cat > "$TMP/arch/999_newarticle.txt" <<'ART'
Friday, March 1, 2019

A Short Note on Quokkas in Baghdad Zoo

Nobody has ever reported a quokka in the Baghdad zoo, which is the point of this test article.

No comments:
ART
out=$("$BIN/indexer" --db "$DB" "$TMP/arch" 2>&1)
expect_contains "third run" "$out" "1 new, 1 changed, $((n - 1)) unchanged"
j=$("$BIN/searcher" --db "$DB" --json zanzibarian)
expect_eq "changed article is searchable" "$(json_get "$j" 'j["results"][0]["id"]')" "${first%.txt}"
j=$("$BIN/searcher" --db "$DB" --json quokka)
expect_eq "new article is searchable" "$(json_get "$j" 'j["results"][0]["id"]')" "999_newarticle"
expect_eq "article count" "$(json_get "$j" 'j["total"]')" "1"

# The same article reached twice (a feed entry and a page: two ids, one
# url) is indexed once, with a note.
cat > "$TMP/arch/feed.jsonl" <<'J'
{"id": "feed-1", "url": "https://blog.example/2019/quokka", "title": "Quokkas", "body": "A wombatesque marsupial visited."}
{"id": "feed-2", "url": "https://blog.example/2019/other", "title": "Other", "body": "Nothing about marsupials."}
J
cat > "$TMP/arch/page.jsonl" <<'J'
{"id": "page-1", "url": "https://blog.example/2019/quokka", "title": "Quokkas", "body": "A wombatesque marsupial visited."}
J
out=$("$BIN/indexer" --db "$DB" "$TMP/arch" 2>&1)
expect_contains "duplicate noted" "$out" "same url as article feed-1"
j=$("$BIN/searcher" --db "$DB" --json wombatesque)
expect_eq "indexed once" "$(json_get "$j" 'j["total"]')" "1"

# --prune: a file that is gone takes its articles with it; an entry a
# re-read file no longer has goes too; nothing else does.
before=$("$BIN/searcher" --db "$DB" --json -n 1 'date:2009..2020' | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
rm "$TMP/arch/999_newarticle.txt"
head -n 1 "$TMP/arch/feed.jsonl" > "$TMP/f" && mv "$TMP/f" "$TMP/arch/feed.jsonl"
out=$("$BIN/indexer" --db "$DB" "$TMP/arch" 2>&1); rc=$?
expect_status "re-run without --prune" "$rc" 0
"$BIN/searcher" --db "$DB" "id:999_newarticle" >/dev/null
expect_status "without --prune nothing is removed" "$?" 0
out=$("$BIN/indexer" --db "$DB" --prune "$TMP/arch" 2>&1)
expect_contains "prune count" "$out" "2 removed"
"$BIN/searcher" --db "$DB" "id:999_newarticle" >/dev/null
expect_status "pruned file's article gone" "$?" 1
"$BIN/searcher" --db "$DB" "id:feed-2" >/dev/null
expect_status "pruned entry gone" "$?" 1
"$BIN/searcher" --db "$DB" "id:feed-1" >/dev/null
expect_status "kept entry stays" "$?" 0
after=$("$BIN/searcher" --db "$DB" --json -n 1 'date:2009..2020' | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
expect_eq "other articles kept" "$after" "$((before - 1))"

# --compact rewrites the database smaller; it still searches and updates.
size0=$(du -sk "$DB" | cut -f1)
out=$("$BIN/indexer" --db "$DB" --compact "$TMP/arch" 2>&1)
expect_contains "compacted" "$out" "compacted"
size1=$(du -sk "$DB" | cut -f1)
[ "$size1" -le "$size0" ] && ok || fail "compact grew the database: $size0 -> $size1 KiB"
"$BIN/searcher" --db "$DB" "id:feed-1" >/dev/null
expect_status "search after compact" "$?" 0
expect_eq "no leftovers" "$(ls -d "$DB".compact-* 2>/dev/null | wc -l)" "0"
finish
