#!/bin/sh
# A long form's acronym may take some of its connectors and skip others
# (United Nations Conference on Trade and Development: UNCTAD skips "on"
# and takes "and"), also where a long query drops them as stopwords: the
# acronym-only articles are found, as plain BM25 on the words never could
# (issue 19).
. tests/e2e/lib.inc
arc=tests/data/acronym-connectors/archive.jsonl
db=$TMP/ac.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

q="Lake Council on Fisheries and Navigation"
expect_contains "the acronym linked" "$("$BIN/searcher" --db "$db" --explain -n 1 "$q")" "= LCFAN"
expect_eq "the acronym-only articles found" "$(result_ids "$db" "$q")" "b1 b2 b3 b4 b5 b6"
# The long form's own articles still lead.
expect_eq "the long form's articles first" \
    "$(result_top "$db" "$q" 2 | tr ' ' '\n' | sort | tr '\n' ' ')" "b1 b2 "
finish
