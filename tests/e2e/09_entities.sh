#!/bin/sh
# Entity-aware search on corpus/: names in every spelling, acronyms defined
# in the archive, names as phrases, precision against look-alikes, related
# names, explain, did-you-mean, and --no-entities as the plain baseline.
. tests/e2e/lib.inc
DB=$TMP/db
"$BIN/indexer" --db "$DB" corpus/ >/dev/null 2>&1

KH=008_e717b696cb72e66f          # the article that introduces KH
KH_PHRASE="is the most secretive of the Iranian-backed militias in Iraq"
MEK=024_b4d3836a6025fd7b         # the MEK's departure from Camp Liberty
MEK_PHRASE="completed their long exit from Iraq"

top() {  # top QUERY [OPTIONS...] -> "id<TAB>passage"
    q=$1; shift
    "$BIN/searcher" --db "$DB" --json -n 5 "$@" "$q" | python3 -c '
import json, sys
j = json.load(sys.stdin)
r = j["results"]
print(r[0]["id"] + "\t" + r[0]["passage"]["text"].replace("\n", " ") if r else "\t")'
}
check_top() {  # check_top QUERY ID PHRASE
    t=$(top "$1")
    expect_eq "top article for '$1'" "${t%%	*}" "$2"
    expect_contains "best passage for '$1'" "${t#*	}" "$3"
}

# Every spelling and the acronym lead to the passage that introduces KH.
check_top "KH" $KH "$KH_PHRASE"
check_top "Kataib Hezbollah" $KH "$KH_PHRASE"
check_top "Hizballah" $KH "$KH_PHRASE"
check_top "Kata'ib Hizbollah" $KH "$KH_PHRASE"
check_top "kataib hezbollah" $KH "$KH_PHRASE"
# ... and to the departure of the MEK.
check_top "MEK Albania" $MEK "$MEK_PHRASE"
check_top "Mujahedin-e Khalq" $MEK "$MEK_PHRASE"
check_top "Camp Liberty" $MEK "$MEK_PHRASE"

# Results say which alias or variant matched.
j=$("$BIN/searcher" --db "$DB" --json -n 3 KH)
expect_contains "alias named" "$(json_get "$j" 'j["expansions"]')" "KH = Kataib Hezbollah"
expect_contains "alias matched in hit" "$(json_get "$j" 'j["results"][0]["matched"]')" "KH = Kataib Hezbollah"
j=$("$BIN/searcher" --db "$DB" --json -n 3 Hizballah)
expect_contains "variant named" "$(json_get "$j" 'j["expansions"]')" "Hizballah ~ Hezbollah"

# Acronyms are learnt from this archive's own definitions, both ways.
j=$("$BIN/searcher" --db "$DB" --json -n 10 "Popular Mobilization Units")
expect_contains "long form finds acronym" "$(json_get "$j" 'j["expansions"]')" "= PMU"
j=$("$BIN/searcher" --db "$DB" --json -n 50 "AAH")
expect_contains "AAH learnt from 'Asaib Ahl al-Haq (AAH)'" "$(json_get "$j" 'j["expansions"]')" "Asaib Ahl al Haq"

# Precision: Hamas is not Hama, Homs or hams; Golan-like look-alikes stay out.
j=$("$BIN/searcher" --db "$DB" --json -n 50 Hamas)
ids=$(json_get "$j" '" ".join(r["id"] for r in j["results"])')
for id in $ids; do
    if grep -q "Hamas" "corpus/$id.txt"; then ok; else fail "Hamas matched $id, which has no Hamas"; fi
done
expect_eq "Hamas expands to nothing" "$(json_get "$j" 'len(j["expansions"])')" "0"
j=$("$BIN/searcher" --db "$DB" --json -n 50 Hama)
expect_eq "Hama ranks Hama first" "$(json_get "$j" 'j["results"][0]["id"]')" "001_ce338880663e8ce4"

# A name is a unit: the article about Camp Liberty outranks one that has
# "camp" and "liberty" apart; the name is matched as a phrase.
j=$("$BIN/searcher" --db "$DB" --json -n 30 "camp liberty")
expect_contains "name as phrase" "$(json_get "$j" 'j["expansions"]')" "as one name"
rank005=$(json_get "$j" '[r["id"] for r in j["results"]].index("005_5e16dfca687f850c")')
rank015=$(json_get "$j" '[r["id"] for r in j["results"]].index("015_d7308e88445925fd")')
[ "$rank015" -lt "$rank005" ] && ok || fail "camp+liberty apart (005) ranks above Camp Liberty (015)"

# Related names: what stands beside Camp Liberty.
rel=$("$BIN/searcher" --db "$DB" --json -n 5 --related=10 "Camp Liberty")
names=$(json_get "$rel" '", ".join(x["name"] for x in j["related"])')
expect_contains "related: MEK" "$names" "MEK"
expect_contains "related: Albania" "$names" "Albania"
expect_contains "related: Baghdad" "$names" "Baghdad"
txt=$("$BIN/searcher" --db "$DB" --color=never --related "Camp Liberty")
expect_contains "related on the command line" "$txt" "Related: "

# Explain shows the expansion and the scoring.
txt=$("$BIN/searcher" --db "$DB" --color=never --explain -n 1 KH)
expect_contains "explain: expansion" "$txt" "Also searched: KH = Kataib Hezbollah"
expect_contains "explain: xapian query" "$txt" "xapian: "
expect_contains "explain: scores" "$txt" "article"

# A misspelt word no article has is searched as the archive spells it,
# and says so; --literal searches it as typed, with "did you mean".
j=$("$BIN/searcher" --db "$DB" --json "refrendum Kirkuk")
expect_eq "showing results for" "$(json_get "$j" 'j["showing_results_for"]')" "referendum Kirkuk"
expect_eq "no did-you-mean when it searched the fix" "$(json_get "$j" 'j["suggestion"]')" "None"
expect_contains "results for the fix" "$(json_get "$j" 'j["total"]')" "4"
j=$("$BIN/searcher" --db "$DB" --json --literal "refrendum Kirkuk")
expect_eq "literal: did you mean" "$(json_get "$j" 'j["suggestion"]')" "referendum Kirkuk"
expect_eq "literal: nothing replaced" "$(json_get "$j" 'j["showing_results_for"]')" "None"

# --no-entities is plain BM25 on the words typed: the variant is not found.
j=$("$BIN/searcher" --db "$DB" --json -n 50 --no-entities "Hizbollah")
expect_eq "no-entities: literal only" "$(json_get "$j" 'len(j["results"])')" "$(grep -l 'Hizbollah' corpus/*.txt | wc -l | tr -d ' ')"
expect_eq "no-entities: no expansions" "$(json_get "$j" 'len(j["expansions"])')" "0"
finish
