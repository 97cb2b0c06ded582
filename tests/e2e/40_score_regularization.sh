#!/bin/sh
# Score regularization of long queries (issue 13): articles alike score
# alike. In tests/data/regularize five articles treat turbine blade
# cooling in the same words (coolant, film, heat transfer), three of them
# matching the query weakly; one about a dairy barn matches three of its
# words by chance and resembles none of them. With regularization (the
# default) the weak blade articles gain from their strong neighbours and
# the dairy article, unlike the others, loses; --regularize M,K,0 is off.
. tests/e2e/lib.inc
arc=tests/data/regularize/archive.jsonl
db=$TMP/reg.db
"$BIN/indexer" -q --db "$db" "$arc" 2>/dev/null
q="cooling of turbine blades by air flow"

# article_score of each result, "id=score" sorted by id
scores() {
    "$BIN/searcher" --db "$db" --json -n 20 "$@" "$q" |
        python3 -c 'import json,sys; print(" ".join("%s=%.4f" % (r["id"], r["article_score"]) for r in sorted(json.load(sys.stdin)["results"], key=lambda r: r["id"])))'
}
on=$(scores)
off=$(scores --regularize 50,10,0)
cmp() {   # cmp ID OP: on's score OP off's
    python3 - "$on" "$off" "$1" "$2" <<'PY'
import sys
on = dict(x.split("=") for x in sys.argv[1].split())
off = dict(x.split("=") for x in sys.argv[2].split())
a, b = float(on[sys.argv[3]]), float(off[sys.argv[3]])
print("yes" if (a > b if sys.argv[4] == "gt" else a < b) else "no: %s against %s" % (a, b))
PY
}
for id in blade2 blade3 blade4; do
    expect_eq "$id, like the strong blade articles, gains" "$(cmp $id gt)" "yes"
done
expect_eq "dairy, like none, loses" "$(cmp dairy lt)" "yes"
expect_eq "the same articles either way" \
    "$(printf '%s\n' $on | cut -d= -f1 | tr '\n' ' ')" "$(printf '%s\n' $off | cut -d= -f1 | tr '\n' ' ')"
# A pool smaller than M (a top 10 re-ranks a pool of 30, an evaluation's
# top 1000 one of 3,000) keeps the neighbours' share K/M: here the pool is
# every matching article, p of them, so M,K regularizes as p,K*p/M would,
# whatever M,K of the same share, and a top 3 scores as the top 20 does.
p=$("$BIN/searcher" --db "$db" --json -n 20 "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
k=$(( (20 * p + 50) / 100 ))
[ "$k" -ge 1 ] || k=1
expect_eq "100,20 on a pool of $p is $p,$k" "$(scores --regularize 100,20,0.4)" "$(scores --regularize "$p,$k,0.4")"
expect_eq "50,10 (the same share) alike" "$(scores --regularize 50,10,0.4)" "$(scores --regularize 100,20,0.4)"
expect_ne "more neighbours ($p,$((p - 1))) differ" "$(scores --regularize "$p,$((p - 1)),0.4")" "$(scores --regularize 100,20,0.4)"
top() {   # the first N results' "id=score", in rank order
    "$BIN/searcher" --db "$db" --json -n "$1" "$q" |
        python3 -c 'import json,sys; print(" ".join("%s=%.4f" % (r["id"], r["article_score"]) for r in json.load(sys.stdin)["results"]))'
}
expect_eq "a top 3 scores as the top 20's first 3" "$(top 3)" "$(top 20 | cut -d' ' -f1-3)"
# a short query is left as it is (no feedback, no regularization)
expect_eq "short query unchanged" "$(result_top "$db" "turbine blades" 6)" \
    "$("$BIN/searcher" --db "$db" --json -n 6 --regularize 50,10,0 "turbine blades" |
       python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["results"]))')"
# every article carries its signature (what regularization compares)
n=$("$BIN/searcher" --db "$db" --stats | sed -n 's/^articles //p')
expect_eq "--stats: every article has a signature" \
    "$("$BIN/searcher" --db "$db" --stats 2>"$TMP/err" | sed -n 's/^signatures //p')" "$n"
expect_eq "--stats: no note on a database with signatures" "$(cat "$TMP/err")" ""
expect_eq "--stats --json: signatures" \
    "$("$BIN/searcher" --db "$db" --stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signatures"])')" "$n"
# bad values are refused
"$BIN/searcher" --db "$db" --regularize 50,10,2 "$q" >/dev/null 2>"$TMP/err"
expect_status "--regularize weight 2" "$?" 2
expect_contains "--regularize weight 2: says why" "$(cat "$TMP/err")" "--regularize"
for bad in -1 0.25,0 0.25,99 x; do
    "$BIN/searcher" --db "$db" --proximity "$bad" "$q" >/dev/null 2>"$TMP/err"
    expect_status "--proximity $bad" "$?" 2
    expect_contains "--proximity $bad: says why" "$(cat "$TMP/err")" "--proximity"
done
"$BIN/searcher" --db "$db" --proximity 0.5,4 --family 3,0.4 "$q" >/dev/null 2>"$TMP/err"
expect_status "--proximity 0.5,4 --family 3,0.4" "$?" 0
"$BIN/searcher" --db "$db" --family 3,2 "$q" >/dev/null 2>"$TMP/err"
expect_status "--family 3,2 (share over 1)" "$?" 2
finish
