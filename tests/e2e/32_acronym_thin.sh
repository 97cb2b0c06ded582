#!/bin/sh
# A long form linked to its acronym on its initials alone (too few
# articles to show the two together): the article naming the long form
# comes before those with only the acronym, which may be some other SEL
# (a player's); and an acronym that is a common word's plural is no
# acronym (ons: the archive's add-ons), issue 19. Typed in lower case,
# the words are words: no link on initials alone. A word the archive also
# writes as two gives both parts' initials (Extraterrestrial: SETI).
. tests/e2e/lib.inc
arc=tests/data/acronym-thin/archive.jsonl
db=$TMP/at.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

q="Society for Eastern Lighthouses"
expect_contains "SEL linked on its initials" "$("$BIN/searcher" --db "$db" --explain -n 1 "$q")" "= SEL (initials only"
expect_eq "the long form's article first" "$(result_top "$db" "$q" 1)" "lf1"
expect_eq "the acronym's articles still found" "$(result_ids "$db" "$q" | tr ' ' '\n' | grep -c '^sp')" "2"

q="society for eastern lighthouses"
expect_not_contains "lower case: no link on initials alone" "$("$BIN/searcher" --db "$db" --explain -n 1 "$q")" "initials only"
expect_eq "lower case: the long form's article first" "$(result_top "$db" "$q" 1)" "lf1"

q="Search for Extraterrestrial Intelligence"
expect_contains "SETI from extra-terrestrial" "$("$BIN/searcher" --db "$db" --explain -n 1 "$q")" "= SETI (initials only"
expect_eq "SETI's articles found" "$(result_ids "$db" "$q" | tr ' ' '\n' | grep -c '^se')" "2"

q="Office for National Statistics"
expect_not_contains "no ONS from add-ons" "$("$BIN/searcher" --db "$db" --explain -n 1 "$q")" "= ONS"
expect_eq "the add-ons article not found" "$(result_ids "$db" "$q" | tr ' ' '\n' | grep -c '^on1')" "0"
expect_not_contains "lower case: no ONS from add-ons" "$("$BIN/searcher" --db "$db" --explain -n 1 "office for national statistics")" "= ONS"
finish
