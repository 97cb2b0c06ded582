#!/bin/sh
# Rankings over kept shards equal those of one database holding the same
# articles, on a judged collection (Cranfield, from $SHARED/eval; skipped
# without it): every query of the collection, its top 100 with feedback
# on (the queries are long), the same scores rank by rank (1e-9
# relative) and the same articles in the same order but for ties (equal
# scores, which Xapian orders by docid, and shards number documents
# otherwise); and the same MAP. The one database is built with -j N,
# whose N build shards take the same articles as --shards N, so both
# learn the same names. The 2 shards also through two xapian-tcpsrv
# (remote shards, the lexicon beside): the same again.
. tests/e2e/lib.inc
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
[ -r "$EVAL/cranfield.jsonl" ] || { echo "  skip [$NAME]: no $EVAL/cranfield.jsonl"; exit 0; }

run() {   # DB OUT: --complete, so that a shard not answering fails the run
    "$BIN/searcher" --db "$1" --complete --batch "$EVAL/cranfield.queries.tsv" --trec t -k 100 \
        >"$2" 2>"$TMP/err" ||
        fail "searching $1: $(head -3 "$TMP/err")"
}
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
# (always run in the background: exec makes $! the server's own pid, so
# the trap's kill reaches it, not a subshell that leaves it running)
own_session() { exec python3 -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for n in 2 3 remote; do
    if [ "$n" = remote ]; then
        command -v xapian-tcpsrv >/dev/null 2>&1 || { echo "  skip [$NAME]: no xapian-tcpsrv"; break; }
        : >"$TMP/shards-remote.stub"
        for k in 0 1; do
            port=$(free_port)
            own_session xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$TMP/shards-2/shard-$k" \
                >"$TMP/tcpsrv-$k.log" 2>&1 &
            PIDS="$PIDS $!"
            echo "remote 127.0.0.1:$port" >>"$TMP/shards-remote.stub"
        done
        echo "# tigris-lexicon: shards-2/lexicon" >>"$TMP/shards-remote.stub"
        i=0
        # (both servers up: a search that is not partial)
        until "$BIN/searcher" --db "$TMP/shards-remote.stub" --complete -n 1 wing >/dev/null 2>&1 ||
              [ $i -ge 50 ]; do
            sleep 0.2; i=$((i + 1))
        done
        cp "$TMP/one-2.run" "$TMP/one-remote.run"
        run "$TMP/shards-remote.stub" "$TMP/shards-remote.run"
    else
        "$BIN/indexer" -q -j "$n" --db "$TMP/one-$n" "$EVAL/cranfield.jsonl" 2>/dev/null
        [ -f "$TMP/one-$n/iamglass" ] || fail "indexing one database (-j $n)"
        "$BIN/indexer" -q --shards "$n" --db "$TMP/shards-$n" "$EVAL/cranfield.jsonl" 2>/dev/null
        [ -f "$TMP/shards-$n/shard-$((n - 1))/iamglass" ] || fail "indexing $n shards"
        run "$TMP/one-$n" "$TMP/one-$n.run"
        run "$TMP/shards-$n" "$TMP/shards-$n.run"
    fi
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
