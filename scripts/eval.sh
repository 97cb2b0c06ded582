#!/bin/sh
# Relevance evaluation on the judged collections of $SHARED/eval: indexes
# each collection (cached in eval/cache, rebuilt when bin/indexer changes),
# runs its queries with `searcher --batch --trec`, and scores the run with
# trec_eval.py. Prints one table.
# Usage: scripts/eval.sh [COLLECTION...]   (default: all six)
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
if [ ! -f "$EVAL/trec_eval.py" ]; then
    echo "eval: $EVAL/trec_eval.py not found (set SHARED=path/to/shared)" >&2
    exit 2
fi
CACHE=eval/cache
mkdir -p "$CACHE"
collections=${*:-cranfield cisi cacm lisa npl adi}
printf '%-10s %7s %8s %6s %8s %8s\n' collection MAP nDCG@10 P@10 R@100 R@1000
for c in $collections; do
    db=$CACHE/$c.db
    if [ ! -d "$db" ] || [ bin/indexer -nt "$db" ] || [ "$EVAL/$c.jsonl" -nt "$db" ]; then
        rm -rf "$db"
        bin/indexer -q --db "$db" "$EVAL/$c.jsonl" 2>/dev/null || [ $? -eq 1 ]
        touch "$db"
    fi
    bin/searcher --db "$db" --batch "$EVAL/$c.queries.tsv" --trec tigris > "$CACHE/$c.run"
    python3 "$EVAL/trec_eval.py" "$EVAL/$c.qrels" "$CACHE/$c.run" | awk -v c=$c '
        { v[$1] = $3 }
        END { printf "%-10s %7.4f %8.4f %6.4f %8.4f %8.4f\n", c, v["map"], v["ndcg_cut_10"],
              v["P_10"], v["recall_100"], v["recall_1000"] }'
done
