#!/bin/sh
# Short-query check for the ranking defaults: for 200 random articles of
# each judged collection (seed 42), a query of 2 or 3 of its title words
# (shuffled, no stopwords), the article itself the one relevant answer;
# MAP over those known-item queries, with the indexes `make eval` cached.
# KNOWN_FROM=body takes the words from one sentence of the body instead
# (a check that favouring titles does not bury articles found by their
# text; NPL, which has no titles, is then included).
# Usage: [KNOWN_FROM=title|body] scripts/eval-known-item.sh [searcher options...]
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
[ -f "$EVAL/trec_eval.py" ] || { echo "eval-known-item: $EVAL not found" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tigris-known.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
line=""
FROM=${KNOWN_FROM:-title}
case $FROM in
title) list="cranfield cisi cacm lisa" ;;
body) list="cranfield cisi cacm lisa npl" ;;
*) echo "eval-known-item: KNOWN_FROM is title or body, not '$FROM'" >&2; exit 2 ;;
esac
for c in $list; do
    [ -d "eval/cache/$c.db" ] || { echo "eval-known-item: run make eval first" >&2; exit 2; }
    python3 - "$EVAL/$c.jsonl" "$WORK/$c.q" "$WORK/$c.qrels" "$FROM" <<'PY'
import json, random, sys
stop = set("""a about above after again against all also am an and any are as at be because
been before being below between both but by can cannot could did do does doing down during each
few for from further had has have having he her here hers him his how i if in into is it its
itself let may me might more most must my no nor not of off on once only or other ought our
ours out over own same shall she should so some such than that the their them then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your""".split())
docs = [json.loads(l) for l in open(sys.argv[1])]
random.seed(42)
with open(sys.argv[2], "w") as q, open(sys.argv[3], "w") as r:
    n = 0
    for d in random.sample(docs, 200):
        text = d.get("title") or ""
        if sys.argv[4] == "body":
            sents = [x for x in (d.get("body") or "").split(". ") if len(x.split()) >= 6]
            text = random.choice(sents) if sents else ""
        words = [w.strip(".,:;()'\"").lower() for w in text.split()]
        words = [w for w in words if w.isalpha() and w not in stop and len(w) > 2]
        if len(words) < 2:
            continue
        k = random.choice([2, 3]) if len(words) >= 3 else 2
        random.shuffle(words)
        n += 1
        q.write("K%d\t%s\n" % (n, " ".join(words[:k])))
        r.write("K%d 0 %s 1\n" % (n, d["id"]))
PY
    bin/searcher --db "eval/cache/$c.db" --batch "$WORK/$c.q" --trec known -k 100 "$@" > "$WORK/$c.run"
    m=$(python3 "$EVAL/trec_eval.py" "$WORK/$c.qrels" "$WORK/$c.run" | awk '$1 == "map" { print $3 }')
    line="$line $c $m"
done
echo "known-item MAP ($FROM words):$line"
