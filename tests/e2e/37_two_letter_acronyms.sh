#!/bin/sh
# A long form typed as the whole query links its two-letter acronym on the
# archive's evidence (the two in the same articles: United Kingdom, UK;
# Hewlett-Packard, HP), so that the articles with the acronym alone are
# found; a two-letter acronym of part of a longer name is chance (American
# Medical Association: not AM, the radio band), and a part's or an
# after-"of" tail's two letters are never tried (issue 19).
. tests/e2e/lib.inc
arc=tests/data/acr2/archive.jsonl
db=$TMP/acr2.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

expect_eq "United Kingdom: the UK articles too" "$(result_ids "$db" "United Kingdom")" \
    "both1 both2 both3 uk1 uk2 uk3 uk4 uk5 uk6"
ama=$(result_ids "$db" "American Medical Association")
expect_contains "American Medical Association: its articles" "$ama" "ama1 ama2 ama3"
expect_eq "American Medical Association: its own first" \
    "$(result_top "$db" "American Medical Association" 3 | tr ' ' '\n' | sort | tr '\n' ' ')" "ama1 ama2 ama3 "
exp=$("$BIN/searcher" --db "$db" --explain "American Medical Association" 2>&1 | grep '^Also searched' || true)
expect_not_contains "no AM link" "$exp" "= AM"
finish
