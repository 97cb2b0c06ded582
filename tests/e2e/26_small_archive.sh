#!/bin/sh
# Names in every spelling on a tiny archive in capitals (issue 19: an old
# news magazine's few hundred articles), where nothing is in enough
# articles for the archive's statistics: a long form typed whose acronym
# the archive writes alone (never beside it) finds the acronym's articles,
# after the long form's own; a name finds its rarer spelling (Muhammad:
# Mohamed); look-alikes stay apart (Iran, Oran; Golan, colon).
. tests/e2e/lib.inc
arc=tests/data/small-caps/archive.jsonl
db=$TMP/caps.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

# The long form's initials are all there is to go on: its acronym's
# articles follow the one with the long form, before those with a word.
expect_eq "long form first" "$(result_top "$db" "Central Intelligence Agency" 1)" "ci1"
expect_eq "then its acronym's articles" \
    "$(result_top "$db" "Central Intelligence Agency" 4 | tr ' ' '\n' | sort | tr '\n' ' ')" "ci1 ci2 ci3 ci4 "
expect_contains "evidence shown" "$("$BIN/searcher" --db "$db" --explain -n 1 "Central Intelligence Agency")" \
    "= CIA (initials only"
# Typed as words, not as a name: no link on initials alone.
expect_eq "words typed in lower case" "$(result_top "$db" "central intelligence agency" 1)" "ci1"
got=$(result_ids "$db" "central intelligence agency")
expect_not_contains "lower case: not the acronym" " $got " " ci2 "

# A name's rarer spelling, with no capitals or contexts to learn it from.
expect_eq "Muhammad finds Mohamed" "$(result_ids "$db" Muhammad)" "mo1 mu1 mu2"
expect_eq "Mohamed finds Muhammad" "$(result_ids "$db" Mohamed)" "mo1 mu1 mu2"

# Look-alikes stay apart.
expect_eq "Iran is not Oran" "$(result_ids "$db" Iran)" "ir1"
expect_eq "Golan is not colon" "$(result_ids "$db" Golan)" "go1"
expect_eq "colon is not Golan" "$(result_ids "$db" colon)" "co1"
finish
