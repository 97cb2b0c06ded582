#!/bin/sh
# Measures the two passage designs side by side (README, "Design notes"):
#   article  - one document per article, passages scored at query time
#   passages - one document per passage, collapsed by article
# For each judged collection: MAP and nDCG@10; on news.jsonl: indexing time,
# index size and mean batch query time (top 10, 2,000-query log).
# Usage: scripts/measure-layouts.sh [SHARED]   (default ../shared)
set -eu
cd "$(dirname "$0")/.."
SHARED=${1:-${SHARED:-../shared}}
EVAL=$SHARED/eval
OUT=${TMPDIR:-/tmp}/tigris-layouts
rm -rf "$OUT"; mkdir -p "$OUT"

now() { date +%s.%N; }
metric() { python3 "$EVAL/trec_eval.py" "$1" "$2" | awk -v m="$3" '$1==m {print $3}'; }

printf '| collection | layout | MAP | nDCG@10 |\n|---|---|---|---|\n'
for c in cranfield cisi cacm lisa npl adi; do
    for layout in article passages; do
        db=$OUT/$c.$layout
        bin/indexer -q --layout $layout --db "$db" "$EVAL/$c.jsonl" 2>/dev/null || true
        bin/searcher --db "$db" --batch "$EVAL/$c.queries.tsv" --trec t > "$OUT/run"
        printf '| %s | %s | %s | %s |\n' $c $layout \
            "$(metric "$EVAL/$c.qrels" "$OUT/run" map)" "$(metric "$EVAL/$c.qrels" "$OUT/run" ndcg_cut_10)"
    done
done

NEWS=$SHARED/corpus/news-jsonl/news.jsonl
printf '\n| news.jsonl | index s | size MiB | docs | batch ms/query (top 10) |\n|---|---|---|---|---|\n'
for layout in article passages; do
    db=$OUT/news.$layout
    t0=$(now); bin/indexer -q --layout $layout --db "$db" "$NEWS" 2>/dev/null || true; t1=$(now)
    size=$(du -sm "$db" | cut -f1)
    docs=$(xapian-delve "$db" 2>/dev/null | awk '/number of documents/ {print $NF}')
    bin/searcher --db "$db" --batch "$EVAL/latency.queries.tsv" --trec t -k 10 >/dev/null
    t2=$(now); bin/searcher --db "$db" --batch "$EVAL/latency.queries.tsv" --trec t -k 10 >/dev/null; t3=$(now)
    awk -v l=$layout -v a="$t0" -v b="$t1" -v s="$size" -v d="$docs" -v c="$t2" -v e="$t3" \
        'BEGIN { printf "| %s | %.1f | %s | %s | %.2f |\n", l, b - a, s, d, (e - c) * 1000 / 2000 }'
done
rm -rf "$OUT"
