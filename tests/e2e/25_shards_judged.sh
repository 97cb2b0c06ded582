#!/bin/sh
# Rankings over kept shards equal those of one database holding the same
# articles, on a judged collection (Cranfield, from $SHARED/eval; skipped
# without it): every query of the collection, its top 100 with feedback
# on (the queries are long), the same scores rank by rank (1e-9
# relative) and the same articles in the same order but for ties (equal
# scores, which Xapian orders by docid, and shards number documents
# otherwise); and the same MAP. The one database is built with -j N,
# whose N build shards take the same articles as --shards N, so both
# learn the same names.
. tests/e2e/lib.inc
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
[ -r "$EVAL/cranfield.jsonl" ] || { echo "  skip [$NAME]: no $EVAL/cranfield.jsonl"; exit 0; }

run() {   # DB OUT
    "$BIN/searcher" --db "$1" --batch "$EVAL/cranfield.queries.tsv" --trec t -k 100 >"$2" 2>"$TMP/err" ||
        fail "searching $1: $(head -3 "$TMP/err")"
}
for n in 2 3; do
    "$BIN/indexer" -q -j "$n" --db "$TMP/one-$n" "$EVAL/cranfield.jsonl" 2>/dev/null
    [ -f "$TMP/one-$n/iamglass" ] || fail "indexing one database (-j $n)"
    "$BIN/indexer" -q --shards "$n" --db "$TMP/shards-$n" "$EVAL/cranfield.jsonl" 2>/dev/null
    [ -f "$TMP/shards-$n/shard-$((n - 1))/iamglass" ] || fail "indexing $n shards"
    run "$TMP/one-$n" "$TMP/one-$n.run"
    run "$TMP/shards-$n" "$TMP/shards-$n.run"
    out=$(python3 - "$TMP/one-$n.run" "$TMP/shards-$n.run" <<'EOF'
import sys
def load(p):
    runs = {}
    for line in open(p):
        q, _, doc, rank, score, _ = line.split()
        runs.setdefault(q, []).append((doc, float(score)))
    return runs
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = []
if sorted(a) != sorted(b):
    bad.append("different queries answered")
for q in a:
    x, y = a[q], b.get(q, [])
    if len(x) != len(y):
        bad.append(f"query {q}: {len(x)} against {len(y)} results")
        continue
    for i, ((dx, sx), (dy, sy)) in enumerate(zip(x, y)):
        if abs(sx - sy) > 1e-9 * max(1.0, abs(sx)):
            bad.append(f"query {q} rank {i + 1}: score {sx} against {sy}")
            break
    # the same articles at each score, except at the cut (ties beyond it)
    last = x[-1][1]
    gx = sorted(d for d, s in x if s > last)
    gy = sorted(d for d, s in y if s > last)
    if gx != gy:
        bad.append(f"query {q}: different articles")
    order_x = [d for d, s in x if s > last]
    order_y = [d for d, s in y if s > last]
    scores = {d: s for d, s in x}
    for dx, dy in zip(order_x, order_y):
        if dx != dy and scores.get(dx) != scores.get(dy):
            bad.append(f"query {q}: {dx} against {dy}, not a tie")
            break
print(len(a), sum(len(v) for v in a.values()), "; ".join(bad[:5]))
EOF
)
    set -- $out
    [ "${1:-0}" -ge 200 ] || fail "$n shards: only ${1:-0} queries answered"
    shift 2
    expect_eq "$n shards rank as one database" "$*" ""
    m1=$(python3 "$EVAL/trec_eval.py" "$EVAL/cranfield.qrels" "$TMP/one-$n.run" 2>/dev/null | awk '$1=="map"{print $NF}')
    m2=$(python3 "$EVAL/trec_eval.py" "$EVAL/cranfield.qrels" "$TMP/shards-$n.run" 2>/dev/null | awk '$1=="map"{print $NF}')
    [ -n "$m1" ] || fail "no MAP from trec_eval.py"
    expect_eq "$n shards: MAP" "$m2" "$m1"
done
finish
