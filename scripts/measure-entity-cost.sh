#!/bin/sh
# What learning names, aliases and spelling data costs the indexer: indexes
# news.jsonl with and without --no-entities, alternating, RUNS times each
# (default 3), and prints the median wall times and the slowdown.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
NEWS=$SHARED/corpus/news-jsonl/news.jsonl
RUNS=${RUNS:-3}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/tigris-cost.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
for i in $(seq "$RUNS"); do
    for mode in plain entities; do
        flag=; [ $mode = plain ] && flag=--no-entities
        rm -rf "$OUT/db"
        s=$(date +%s.%N)
        bin/indexer -q $flag --db "$OUT/db" "$NEWS" 2>/dev/null || true
        e=$(date +%s.%N)
        echo "$mode $(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", b - a }')" | tee -a "$OUT/times"
    done
done
median() { grep "^$1 " "$OUT/times" | cut -d' ' -f2 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
p=$(median plain); e=$(median entities)
awk -v p="$p" -v e="$e" 'BEGIN { printf "median: plain %.1f s, with entities %.1f s, slowdown %.1f%%\n", p, e, (e / p - 1) * 100 }'
