#!/bin/sh
# Index corpus/ and check that each query of tests/e2e/expected.tsv puts
# the expected article first, showing the expected passage.
. tests/e2e/lib.inc
DB=$TMP/db

out=$("$BIN/indexer" --db "$DB" corpus/ 2>&1); rc=$?
expect_status "indexing corpus/" "$rc" 0
narticles=$(ls corpus/*.txt | wc -l)
expect_contains "indexer summary" "$out" "$narticles new, 0 changed, 0 unchanged"
expect_contains "indexer total" "$out" "holds $narticles articles"

while IFS='	' read -r query want phrase; do
    case "$query" in ''|'#'*) continue ;; esac
    json=$("$BIN/searcher" --db "$DB" --json -n 3 "$query"); rc=$?
    expect_status "search '$query'" "$rc" 0
    got=$(json_get "$json" 'j["results"][0]["id"]')
    expect_eq "top article for '$query'" "$got" "$want"
    text=$(json_get "$json" 'j["results"][0]["passage"]["text"].replace("\n"," ")')
    expect_contains "best passage for '$query'" "$text" "$phrase"
done < tests/e2e/expected.tsv

# Highlights point at the query words inside the passage.
json=$("$BIN/searcher" --db "$DB" --json -n 1 "Camp Liberty")
hl=$(json_get "$json" '",".join(sorted(set(j["results"][0]["passage"]["text"][a:b].lower() for a,b in j["results"][0]["passage"]["highlights"])))')
expect_eq "highlighted words" "$hl" "camp,liberty"

# An excluded word excludes, also next to OR: "-Iraq" is never an
# alternative to Hezbollah (it once matched the articles about Iraq).
with_or=$(result_ids "$DB" "Hezbollah OR -Iraq")
without=$(result_ids "$DB" "Hezbollah -Iraq")
iraq_all=$("$BIN/searcher" --db "$DB" --json -n 100 Iraq |
    python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["results"]))')
expect_eq "'Hezbollah OR -Iraq' is 'Hezbollah -Iraq'" "$with_or" "$without"
for id in $with_or; do
    case " $iraq_all " in *" $id "*) fail "'Hezbollah OR -Iraq' returned $id, which has Iraq" ;; esac
done
[ -n "$with_or" ] || fail "'Hezbollah OR -Iraq' returned nothing"
# Only words to leave out: every article without them, as a date range
# alone gives every article in it (it used to give nothing).
all=$(ls corpus/*.txt | sed 's|.*/||; s|\.txt$||' | sort | tr '\n' ' ' | sed 's/ $//')
rest=""
for id in $all; do
    case " $iraq_all " in *" $id "*) ;; *) rest="$rest $id" ;; esac
done
expect_eq "'-Iraq' alone: the articles without Iraq" "$("$BIN/searcher" --db "$DB" --json -n 100 -- "-Iraq" |
    python3 -c 'import json,sys; print(" ".join(sorted(r["id"] for r in json.load(sys.stdin)["results"])))')" "${rest# }"
note=$("$BIN/searcher" --db "$DB" -n 1 "Hezbollah OR -Iraq" 2>&1)
expect_contains "the note on the ignored OR" "$note" "OR next to an excluded word ignored"

# The text output names the article, shows the passage and marks matches.
txt=$("$BIN/searcher" --db "$DB" --color=never -n 2 "Sadr City")
expect_contains "text output" "$txt" "*Sadr*"
expect_contains "text output" "$txt" "article"
finish
