#!/bin/sh
# searcher --batch FILE --latency: one JSON line with the query count and
# nearest-rank percentiles. Only the shape and the order of the figures are
# checked, never a time: this machine is shared and noisy.
. tests/e2e/lib.inc
DB=$TMP/db
"$BIN/indexer" --db "$DB" corpus/ >/dev/null 2>&1

printf 'q1\tCamp Liberty\nq2\tSadr City\nq3\t"Kataib Hezbollah"\n\nq4\tIraq 2014..2015\nq5\txyzzyplugh\n' > "$TMP/q.tsv"
out=$("$BIN/searcher" --db "$DB" --batch "$TMP/q.tsv" --latency)
expect_status "latency" "$?" 0
expect_eq "one line" "$(printf '%s\n' "$out" | wc -l)" "1"
expect_eq "keys" "$(json_get "$out" 'sorted(j)')" '["block_hits", "block_misses", "first_p50_ms", "first_p99_ms", "mean_ms", "n", "p50_ms", "p95_ms", "p99_ms"]'
expect_eq "n counts the queries" "$(json_get "$out" 'j["n"]')" "5"
expect_eq "figures are numbers" \
    "$(json_get "$out" 'all(isinstance(j[k],(int,float)) and j[k]>=0 for k in ("p50_ms","p95_ms","p99_ms","mean_ms"))')" "True"
expect_eq "p50 <= p95 <= p99" "$(json_get "$out" 'j["p50_ms"]<=j["p95_ms"]<=j["p99_ms"]')" "True"
expect_eq "first pass: 0 < p50 <= p99" "$(json_get "$out" '0<j["first_p50_ms"]<=j["first_p99_ms"]')" "True"

# The block cache (on by default) answers the warm-up's blocks again; off,
# nothing is counted; on or off, every answer is the same, byte for byte.
expect_eq "the block cache is used" "$(json_get "$out" 'j["block_hits"] > 0 and j["block_misses"] > 0')" "True"
off=$("$BIN/searcher" --db "$DB" --batch "$TMP/q.tsv" --latency --block-cache 0)
expect_eq "--block-cache 0 reads every block" "$(json_get "$off" '(j["block_hits"], j["block_misses"])')" "(0, 0)"
same=0
for q in "Camp Liberty" '"Kataib Hezbollah"' "Iraq 2014..2015" "Sadr City -Baghdad" "KH OR Hizballah"; do
    a=$("$BIN/searcher" --db "$DB" --json -n 20 "$q")
    b=$("$BIN/searcher" --db "$DB" --json -n 20 --block-cache 0 "$q")
    [ "$a" = "$b" ] && [ -n "$a" ] && same=$((same + 1))
done
expect_eq "answers with and without the block cache" "$same" 5
"$BIN/searcher" --db "$DB" --block-cache lots Iraq >/dev/null 2>&1
expect_status "--block-cache needs a number" "$?" 2

# -n and the query file on stdin are honoured; n follows the file.
out=$(head -n 2 "$TMP/q.tsv" | "$BIN/searcher" --db "$DB" --batch - --latency -n 3)
expect_status "latency from stdin" "$?" 0
expect_eq "n from stdin" "$(json_get "$out" 'j["n"]')" "2"

"$BIN/searcher" --db "$DB" --latency >/dev/null 2>&1
expect_status "--latency without --batch" "$?" 2
"$BIN/searcher" --db "$DB" --batch "$TMP/q.tsv" --latency --trec t >/dev/null 2>&1
expect_status "--latency with --trec" "$?" 2
out=$("$BIN/searcher" --help)
expect_contains "--help documents --latency" "$out" "--latency"
finish
