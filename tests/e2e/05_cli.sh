#!/bin/sh
# Command-line behaviour of both programs: help, errors, exit codes, JSON,
# paging, passages mode, query syntax, batch/TREC output.
. tests/e2e/lib.inc
DB=$TMP/db
"$BIN/indexer" --db "$DB" corpus/ >/dev/null 2>&1

for p in indexer searcher; do
    out=$("$BIN/$p" --help); rc=$?
    expect_status "$p --help" "$rc" 0
    expect_contains "$p --help teaches" "$out" "Examples:"
    "$BIN/$p" --no-such-option >/dev/null 2>&1
    expect_status "$p bad option" "$?" 2
    "$BIN/$p" >/dev/null 2>&1
    expect_status "$p without arguments" "$?" 2
done
out=$("$BIN/indexer" --db "$TMP/x" --format pdf corpus 2>&1)
expect_status "unknown format" "$?" 2
expect_contains "unknown format message" "$out" "pdf"
out=$("$BIN/indexer" --db "$DB" --lang french corpus 2>&1)
expect_status "language change refused" "$?" 3
expect_contains "language change message" "$out" "english"
out=$("$BIN/indexer" --db "$TMP/y" --lang klingon corpus 2>&1)
expect_status "unknown language" "$?" 3
expect_contains "unknown language message" "$out" "klingon"
# A number that is not one is a usage error naming the option and the
# range, never silently the default.
for v in abc 0 -5 10x 10000001; do
    out=$("$BIN/indexer" --db "$TMP/z" --commit-every "$v" corpus 2>&1)
    expect_status "--commit-every $v" "$?" 2
    expect_contains "--commit-every $v message" "$out" "--commit-every: a number from 1 to 10000000"
done
for v in abc 0 9 10001 100words; do
    out=$("$BIN/indexer" --db "$TMP/z" --passage-words "$v" corpus 2>&1)
    expect_status "--passage-words $v" "$?" 2
    expect_contains "--passage-words $v message" "$out" "--passage-words: a number from 10 to 10000"
done
expect_eq "no index made by a usage error" "$(test -e "$TMP/z" && echo made || echo none)" "none"
for v in abc 0.3x -0.1 100.5 nan inf ''; do
    out=$("$BIN/searcher" --db "$DB" --passage-weight "$v" Mosul 2>&1)
    expect_status "--passage-weight '$v'" "$?" 2
    expect_contains "--passage-weight '$v' message" "$out" "--passage-weight: a number from 0 to 100"
done
"$BIN/searcher" --db "$DB" --passage-weight 0.5 Mosul >/dev/null 2>&1
expect_status "--passage-weight 0.5" "$?" 0
"$BIN/indexer" --db "$TMP/z2" --commit-every 7 --passage-words 50 corpus >/dev/null 2>&1
expect_status "--commit-every 7 --passage-words 50" "$?" 0

"$BIN/searcher" --db "$DB" xyzzyplugh >/dev/null
expect_status "no match" "$?" 1

total=$(ls corpus/*.txt | wc -l)
j=$("$BIN/searcher" --db "$DB" --json -n 3 Iraq)
expect_eq "json version" "$(json_get "$j" 'j["version"]')" "1"
expect_eq "json page size" "$(json_get "$j" 'len(j["results"])')" "3"
expect_eq "json ranks" "$(json_get "$j" '[r["rank"] for r in j["results"]]')" "[1, 2, 3]"
all=$("$BIN/searcher" --db "$DB" --json -n 6 Iraq)
page2=$("$BIN/searcher" --db "$DB" --json -n 3 --offset 3 Iraq)
expect_eq "paging" "$(json_get "$page2" '[r["id"] for r in j["results"]]')" \
    "$(json_get "$all" '[r["id"] for r in j["results"]][3:6]')"
expect_eq "scores descend" "$(json_get "$all" 'all(a["score"]>=b["score"] for a,b in zip(j["results"],j["results"][1:]))')" "True"

# Date filters keep only articles in range.
j=$("$BIN/searcher" --db "$DB" --json -n 50 'Iraq 2014..2015')
expect_eq "date range" "$(json_get "$j" 'all("2014-01-01"<=r["date"]<="2015-12-31" for r in j["results"]) and len(j["results"])>0')" "True"
j=$("$BIN/searcher" --db "$DB" --json -n 50 'date:2016')
expect_eq "date only" "$(json_get "$j" 'all(r["date"].startswith("2016") for r in j["results"]) and len(j["results"])>0')" "True"
# Exclusion removes every article with the word.
j=$("$BIN/searcher" --db "$DB" --json -n 50 'Maliki -Sadr')
ids=$(json_get "$j" '" ".join(r["id"] for r in j["results"])')
for id in $ids; do
    if grep -qi 'sadr' "corpus/$id.txt"; then fail "-Sadr kept $id"; else ok; fi
done
# title: restricts to titles.
j=$("$BIN/searcher" --db "$DB" --json -n 50 'title:Mosul')
expect_eq "title field" "$(json_get "$j" 'all("mosul" in r["title"].lower() for r in j["results"]) and len(j["results"])>0')" "True"
# Passages mode lists passages, possibly several of one article.
j=$("$BIN/searcher" --db "$DB" --json --passages -n 10 'MEK')
expect_eq "passages mode" "$(json_get "$j" 'len(j["results"])>1 and all(r["passage"] and "MEK" in r["passage"]["text"] or "Mujahedin" in r["passage"]["text"] or "Khalq" in r["passage"]["text"] for r in j["results"])')" "True"

# Batch mode writes a TREC run.
printf 'q1\tCamp Liberty\nq2\tSadr City\n' > "$TMP/q.tsv"
"$BIN/searcher" --db "$DB" --batch "$TMP/q.tsv" --trec test -k 5 > "$TMP/run"
expect_status "batch" "$?" 0
expect_eq "batch line format" "$(awk 'NF!=6 || $2!="Q0" || $6!="test"' "$TMP/run" | wc -l)" "0"
expect_eq "batch k" "$(grep -c '^q1 ' "$TMP/run")" "5"
"$BIN/searcher" --db "$DB" --batch "$TMP/q.tsv" >/dev/null 2>&1
expect_status "batch without --trec" "$?" 2
finish
