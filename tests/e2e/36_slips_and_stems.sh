#!/bin/sh
# Issue 19 (no query below plain BM25, MiniSearch's matches covered):
# - a word in fewer than five articles, six letters or more, is read as a
#   slip of the keys of a word ten times as common one letter away
#   (Califonia: California, a consonant dropped, which the sound rules
#   allow no short word); only the likeliest such slip, so that Hilter
#   takes Hitler (two letters swapped) and not the baseball hitter;
# - a word the archive lacks takes its slips as spellings, weighed by the
#   noisy channel like any other (Rushie: Rushdie, a consonant dropped);
# - a word in five articles or more takes such a slip too, whatever its
#   articles are about (a slip is made in any context): Amerika, in five
#   letters about music and film, takes America's trade articles after
#   its own (fifty: a common word is a slip only of one fifty times
#   rarer, so that eighth is no slip of eight);
# - a word the archive lacks but whose stem it has (Russel, the stem of
#   Russell) ranks those forms first, as plain BM25 on stems would, before
#   a rarer name its spelling widens to (Roussel, repeated in articles
#   that share Russell's hockey contexts).
. tests/e2e/lib.inc
arc=tests/data/slips/archive.jsonl
db=$TMP/slips.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null

cal=$("$BIN/searcher" --db "$db" --json -n 50 Califonia |
    python3 -c 'import json,sys; r=[x["id"] for x in json.load(sys.stdin)["results"]]; print(r[0], len([i for i in r if i.startswith("cal")]))')
expect_eq "Califonia: typed first, then California's 12" "$cal" "typo1 12"

hil=$("$BIN/searcher" --db "$db" --json -n 50 Hilter |
    python3 -c 'import json,sys; r=[x["id"] for x in json.load(sys.stdin)["results"]]; print(len([i for i in r if i.startswith("hit")]), len([i for i in r if i.startswith("bat")]))')
expect_eq "Hilter: Hitler's 12 articles, no hitter" "$hil" "12 0"

expect_eq "Russel: Russell's articles first" \
    "$(result_top "$db" Russel 6 | tr ' ' '\n' | sort | tr '\n' ' ')" "rus1 rus2 rus3 rus4 rus5 rus6 "
expect_eq "Rushie (no article): Rushdie's" "$(result_ids "$db" Rushie)" "rsh1 rsh2 rsh3 rsh4"
amk=$("$BIN/searcher" --db "$db" --json -n 100 Amerika |
    python3 -c 'import json,sys; r=[x["id"] for x in json.load(sys.stdin)["results"]]; print(" ".join(sorted(r[:5])), len([i for i in r if i.startswith("ame")]))')
expect_eq "Amerika: its own five first, then America's 50" "$amk" "amk1 amk2 amk3 amk4 amk5 50"
finish
