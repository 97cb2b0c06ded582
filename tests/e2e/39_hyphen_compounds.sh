#!/bin/sh
# A compound typed with a hyphen where the archive writes one word
# (co-operation: cooperation; buy-out: buyout), alone, in a name, in a long
# form and in a long query (issue 19, "joins and splits ... or a hyphen").
# The archive (tests/data/hyphen) also has a company "Gulf Co", whose
# name must not take the "Co" of "Gulf Co-operation Council".
. tests/e2e/lib.inc
arc=tests/data/hyphen/archive.jsonl
db=$TMP/hyphen.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

explain() { "$BIN/searcher" --db "$db" --explain "$1" 2>&1 | grep '^Also searched' || true; }

# A name takes a compound whole: no "Gulf Co"; the council's articles
# written with the joined word, and with its acronym alone, come before the
# company's.
exp=$(explain "Gulf Co-operation Council")
expect_not_contains "Gulf Co-operation Council: no name Gulf Co" "$exp" '"Gulf Co" as one name'
expect_contains "Gulf Co-operation Council: its acronym" "$exp" "Gulf Co-operation Council = GCC"
top=$(result_top "$db" "Gulf Co-operation Council" 8 | tr ' ' '\n' | sort | tr '\n' ' ')
expect_eq "Gulf Co-operation Council: the council's 8 first" "$top" \
    "gcc1 gcc2 gcc3 gcc4 gcchyph gcconly1 gcconly2 gcconly3 "

# A long form's acronym takes one initial per compound (CMCT, not CMCOT),
# and its evidence counts the joined word's articles.
exp=$(explain "Council for Mutual Co-operation and Trade")
expect_contains "long form with a compound: its acronym" "$exp" "= CMCT (in 3 of the 3 articles"
top=$(result_top "$db" "Council for Mutual Co-operation and Trade" 6 | tr ' ' '\n' | sort | tr '\n' ' ')
expect_eq "long form with a compound: its 6 articles first" "$top" \
    "cmct1 cmct2 cmct3 cmctonly1 cmctonly2 cmctonly3 "

# In a long query (a description) the compound is still one word.
exp=$(explain "talks on economic co-operation between both nations")
expect_contains "long query: co-operation joined" "$exp" "co-operation ~ Cooperation"
expect_contains "long query: the joined word's articles" \
    "$(result_ids "$db" "talks on economic co-operation between both nations")" \
    "coop1 coop2 coop3 coop4 coop5 coop6"

# A grammar word's compound joins (buy-out: buyout) ...
expect_eq "buy-out: buyout too" "$(result_ids "$db" "buy-out")" \
    "buyhyph buyout1 buyout2 buyout3 buyout4"
# ... but not a one-letter one (i-g is no IG).
expect_not_contains "i-g: no join" "$(explain "i-g spice")" "~ Ig"
expect_eq "i-g spice: only spice" "$(result_ids "$db" "i-g spice")" "spice1"
finish
