#!/bin/sh
# A word the archive has, typed with spellings beside it, keeps the
# articles that have it ahead of those with only another spelling: khalif
# (two articles, once each in long letters) before caliph (four short
# articles that repeat it), which plain BM25 would not show at all. Its
# spellings still follow (issue 19: no query below plain BM25).
. tests/e2e/lib.inc
arc=tests/data/typed-first/archive.jsonl
db=$TMP/tf.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

top2=$(result_top "$db" khalif 2 | tr ' ' '\n' | sort | tr '\n' ' ')
expect_eq "khalif: its own articles first" "$top2" "kh1 kh2 "
expect_eq "khalif: the caliph articles follow" "$(result_ids "$db" khalif)" "ca1 ca2 ca3 ca4 kh1 kh2"
# The spelling typed is the common one: its articles lead as before.
expect_eq "caliph: its own articles first" \
    "$(result_top "$db" caliph 4 | tr ' ' '\n' | sort | tr '\n' ' ')" "ca1 ca2 ca3 ca4 "
finish
