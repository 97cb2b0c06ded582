#!/bin/sh
# Words inside e-mail addresses and host names name machines, not the
# word: a signature's lin@szechuan.lab.example.edu is no mention of
# Szechuan, nor berger@informatik.tu-muenchen.de of Muenchen (issue 19).
. tests/e2e/lib.inc
arc=tests/data/typed-first/archive.jsonl
db=$TMP/addr.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

expect_eq "Szechuan: the prose mention only" "$(result_ids "$db" Szechuan)" "sz1"
expect_eq "Muenchen: the prose mention only" "$(result_ids "$db" Muenchen)" "tm1"
# The rest of a signature is text as before.
expect_eq "graphics lab" "$(result_ids "$db" '"graphics lab"')" "sz2"
finish
