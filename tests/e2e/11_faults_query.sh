#!/bin/sh
# The query-side faults of issue 21 (tests/data/faults, from fuzzing):
# each query over a bound ends at once with a clear usage error; queries
# within the bounds end quickly with results; passages mode with no
# match and a query that is not UTF-8 behave (README, "Limits").
. tests/e2e/lib.inc
DB=$TMP/db
F=$ROOT/tests/data/faults
"$BIN/indexer" --db "$DB" corpus/ >/dev/null 2>&1

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Generous wall bound (ASan included): the point is that nothing runs on
# for seconds, as these queries did (8 s, and over 30 s for 1 MB).
BOUND_MS=5000
expect_quick() {
    if [ "$2" -lt "$BOUND_MS" ]; then ok; else fail "$1 took $2 ms (bound $BOUND_MS)"; fi
}

for f in slow-query-10k-words slow-query-10k-ORword slow-query-title-x10000; do
    t0=$(now_ms)
    out=$("$BIN/searcher" --db "$DB" --batch "$F/$f.tsv" --trec t --k 10 2>&1); rc=$?
    expect_quick "$f" $(($(now_ms) - t0))
    expect_status "$f" "$rc" 2
    expect_contains "$f message" "$out" "bytes long, more than 4096; skipped"
    # The same query cut to the byte bound: searched, within the bound.
    python3 - "$F/$f.tsv" "$TMP/$f.cut.tsv" <<'PY'
import sys
qid, q = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\t", 1)
q = q[:4096]
if " " in q:
    q = q[:q.rfind(" ")]
open(sys.argv[2], "w", encoding="utf-8").write(qid + "\t" + q + "\n")
PY
    t0=$(now_ms)
    out=$("$BIN/searcher" --db "$DB" --batch "$TMP/$f.cut.tsv" --trec t --k 10 2>&1); rc=$?
    expect_quick "$f within the bounds" $(($(now_ms) - t0))
    expect_status "$f within the bounds" "$rc" 0
done

# A megabyte of query text: refused before it is read further.
python3 -c 'import sys; sys.stdout.write("big\t" + ("vehicles captured " * 60000) + "\n")' > "$TMP/big.tsv"
t0=$(now_ms)
out=$("$BIN/searcher" --db "$DB" --batch "$TMP/big.tsv" --trec t --k 10 2>&1); rc=$?
expect_quick "1 MB query" $(($(now_ms) - t0))
expect_status "1 MB query" "$rc" 2
expect_contains "1 MB query message" "$out" "query is 1080000 bytes long, more than 4096"
out=$("$BIN/searcher" --db "$DB" "$(head -c 5000 /dev/zero | tr '\0' 'a')" 2>&1)
expect_status "long query on the command line" "$?" 2

# Too many words typed (within the byte bound): an error naming them.
out=$("$BIN/searcher" --db "$DB" "$(python3 -c 'print("x " * 1100)')" 2>&1)
expect_status "1100 words" "$?" 2
expect_contains "1100 words message" "$out" "query has 1100 words, more than 1024"
# Expansions past the budget: results, searched as the words typed.
j=$("$BIN/searcher" --db "$DB" --json "$(python3 -c 'print("Camp Liberty " * 315)')")
expect_status "expansion budget" "$?" 0
expect_contains "expansion budget warning" "$(json_get "$j" 'j["warning"]')" \
    "terms after expansion, more than 1024: searched without names"
expect_eq "expansion budget results" "$(json_get "$j" 'len(j["results"]) > 0')" "True"

# ubsan-passages-nomatch.tsv: no match in passages mode (once qsort(NULL)).
q=$(cut -f2 "$F/ubsan-passages-nomatch.tsv")
out=$("$BIN/searcher" --db "$DB" --passages "$q" 2>&1); rc=$?
expect_status "passages, no match" "$rc" 1
j=$("$BIN/searcher" --db "$DB" --json --passages "$q")
expect_eq "passages, no match, JSON" "$(json_get "$j" 'len(j["results"])')" "0"

# json-invalid-utf8.query: a usage error that says so, not "out of memory".
for fmt in --json --passages; do
    out=$("$BIN/searcher" --db "$DB" $fmt "$(cat "$F/json-invalid-utf8.query")" 2>&1); rc=$?
    expect_status "invalid UTF-8 ($fmt)" "$rc" 2
    expect_contains "invalid UTF-8 message ($fmt)" "$out" \
        "query is not valid UTF-8 (byte 0xFF at offset 0)"
    expect_not_contains "invalid UTF-8 is no memory error ($fmt)" "$out" "out of memory"
done
printf 'q1\tcamp\nq2\t\377\nq3\tliberty\n' > "$TMP/mixed.tsv"
out=$("$BIN/searcher" --db "$DB" --batch "$TMP/mixed.tsv" --trec t --k 3 2>"$TMP/err"); rc=$?
expect_status "batch with one bad query" "$rc" 2
expect_eq "batch goes on after a bad query" "$(printf '%s\n' "$out" | cut -d' ' -f1 | sort -u | tr '\n' ' ')" "q1 q3 "
expect_contains "batch names the bad query" "$(cat "$TMP/err")" "query q2: query is not valid UTF-8"

# Options checked by the library (tg_search_opts_check).
out=$("$BIN/searcher" --db "$DB" --offset 99999 -n 5 camp 2>&1)
expect_status "window" "$?" 2
expect_contains "window message" "$out" "offset + limit is 100004, more than 100000"
out=$("$BIN/searcher" --db "$DB" --bm25 1.2,1.5 camp 2>&1)
expect_status "bm25 b" "$?" 2
expect_contains "bm25 b message" "$out" "BM25 b is 1.5"
out=$("$BIN/searcher" --db "$DB" --timeout 60001 camp 2>&1)
expect_status "timeout too long" "$?" 2
expect_contains "timeout message" "$out" "timeout is 60001 ms, more than 60000"
"$BIN/searcher" --db "$DB" --timeout 0 camp >/dev/null 2>&1
expect_status "timeout 0" "$?" 2
"$BIN/searcher" --db "$DB" --timeout 5000 camp >/dev/null 2>&1
expect_status "timeout 5000" "$?" 0
# Past the deadline: what was found, with a warning (a 538-word query
# takes far more than 1 ms).
j=$("$BIN/searcher" --db "$DB" --json --timeout 1 "$(cut -f2 "$TMP/slow-query-10k-words.cut.tsv")")
expect_status "deadline" "$?" 0
expect_contains "deadline warning" "$(json_get "$j" 'j["warning"]')" \
    "search stopped at the 1 ms deadline; results may be incomplete"
expect_eq "deadline results" "$(json_get "$j" 'len(j["results"])')" "10"
expect_contains "--help documents --timeout" "$("$BIN/searcher" --help)" "--timeout MS"
finish
