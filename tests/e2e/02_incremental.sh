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
finish
