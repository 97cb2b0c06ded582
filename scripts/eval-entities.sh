#!/bin/sh
# Entity search evaluation: the entities-dev queries over news.jsonl, with
# Tigris's entity features and with --no-entities (plain BM25 on the words
# typed), scored with trec_eval.py: MAP and Recall@1000 per query.
# The index is cached in eval/cache/news.db (rebuilt when bin/indexer or
# the data change).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
NEWS=$SHARED/corpus/news-jsonl/news.jsonl
for f in "$EVAL/trec_eval.py" "$EVAL/entities-dev.queries.tsv" "$NEWS"; do
    [ -f "$f" ] || { echo "eval-entities: $f not found (set SHARED=path/to/shared)" >&2; exit 2; }
done
CACHE=eval/cache
mkdir -p "$CACHE"
db=$CACHE/news.db
if [ ! -d "$db" ] || [ bin/indexer -nt "$db" ] || [ "$NEWS" -nt "$db" ]; then
    echo "eval-entities: indexing $NEWS (about a minute and a half)..." >&2
    rm -rf "$db"
    bin/indexer -q --db "$db" "$NEWS" 2>/dev/null || [ $? -eq 1 ]
    touch "$db"
fi
Q=$EVAL/entities-dev.queries.tsv
bin/searcher --db "$db" --batch "$Q" --trec tigris > "$CACHE/entities.run"
bin/searcher --db "$db" --batch "$Q" --trec plain --no-entities > "$CACHE/entities-plain.run"
python3 - "$EVAL/trec_eval.py" "$EVAL/entities-dev.qrels" "$Q" "$CACHE/entities.run" "$CACHE/entities-plain.run" <<'PY'
import subprocess, sys
te, qrels, queries, run, plain = sys.argv[1:6]
def scores(path):
    out = subprocess.run([sys.executable, te, "-q", qrels, path], capture_output=True, text=True, check=True).stdout
    s = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[0] in ("map", "recall_1000"):
            s[(p[0], p[1])] = float(p[2])
    return s
a, b = scores(run), scores(plain)
names = dict(l.rstrip("\n").split("\t", 1) for l in open(queries, encoding="utf-8") if "\t" in l)
print(f"{'query':<6} {'text':<36} {'MAP':>7} {'plain':>7} {'R@1000':>7} {'plain':>7}")
worse = 0
for q in list(names) + ["all"]:
    if ("map", q) not in a:
        continue
    m, pm = a[("map", q)], b.get(("map", q), 0)
    r, pr = a[("recall_1000", q)], b.get(("recall_1000", q), 0)
    worse += q != "all" and m < pm - 1e-9
    print(f"{q:<6} {names.get(q, '(all)'):<36.36} {m:7.4f} {pm:7.4f} {r:7.4f} {pr:7.4f}")
print(f"queries worse than plain BM25: {worse}")
PY
