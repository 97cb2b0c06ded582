#!/bin/sh
# A word spelt the other English way (catalogue, catalog; litre, liter) in
# an archive too small to show it inflected, where nothing says it is a
# word of the language and not a name: its other English spelling is the
# same word whatever it is, and is searched too; the stemmer's derived
# words (literal, literally) are other words, and are not (issue 19).
# A name's spellings bring their inflections, not the stemmer's derived
# words either (Sceptic: skeptic, skeptics; not skeptical, skepticism).
. tests/e2e/lib.inc
arc=tests/data/english-spellings/archive.jsonl
db=$TMP/en.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

expect_eq "catalogue finds catalog" "$(result_ids "$db" catalogue)" "ca1 cg1 cg2 cg3"
expect_eq "catalog finds catalogue" "$(result_ids "$db" catalog)" "ca1 cg1 cg2 cg3"
expect_eq "litre finds liter, liters; not literal" "$(result_ids "$db" litre)" "li1 lr1 lr2"

expect_eq "Sceptic: its spellings inflected, not derived" "$(result_ids "$db" Sceptic)" "sc1 sk1 sk2"
expect_eq "Skeptic: the same" "$(result_ids "$db" Skeptic)" "sc1 sk1 sk2"
finish
