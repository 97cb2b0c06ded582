#!/bin/sh
# A long form typed as a name whose words are common together but which
# the archive writes as a phrase only once, and an acronym of its
# initials that the archive writes alone (issue 19: Reuters writes EEC in
# a dozen articles, European Economic Community in four, never in one).
# The archive cannot show the two together, so the initials are linked;
# the acronym's articles rank above articles that merely have the words,
# after the one naming the long form. A long form the archive writes
# often, never beside its initials, is not linked to them.
. tests/e2e/lib.inc
arc=tests/data/acronym/archive.jsonl
db=$TMP/acr.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

sorted() { tr ' ' '\n' | sort | tr '\n' ' '; }

expect_eq "long form first" "$(result_top "$db" "Baltic Fisheries Council" 1)" "bf1"
expect_eq "then the acronym's articles, before the words scattered" \
    "$(result_top "$db" "Baltic Fisheries Council" 7 | sorted)" "a1 a2 a3 a4 a5 a6 bf1 "
expect_contains "evidence shown" \
    "$("$BIN/searcher" --db "$db" --explain -n 1 "Baltic Fisheries Council")" "= BFC (initials only"
# Written often as a phrase, never beside NRB: the archive says they differ.
got=$(result_top "$db" "Northern Rail Board" 20)
expect_eq "common long form: its own articles" "$(echo "$got" | sorted)" "nr1 nr2 nr3 nr4 nr5 "
expect_not_contains "common long form: no link" \
    "$("$BIN/searcher" --db "$db" --explain -n 1 "Northern Rail Board")" "= NRB"
finish
