#!/bin/sh
# The ranking gate: MAP on a quick subset of the judged collections must
# stay at or above the floors in eval/floors.tsv. Skips (exit 0, with a
# message) when the shared data is absent, so `make check` never needs it.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
if [ ! -f "$EVAL/trec_eval.py" ]; then
    echo "eval-gate: $EVAL not present: skipped"
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tigris-gate.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
pass=0 failn=0
while read -r c floor _; do
    case "$c" in ''|'#'*) continue ;; esac
    bin/indexer -q --db "$WORK/$c.db" "$EVAL/$c.jsonl" 2>/dev/null || [ $? -eq 1 ]
    bin/searcher --db "$WORK/$c.db" --batch "$EVAL/$c.queries.tsv" --trec gate > "$WORK/$c.run"
    map=$(python3 "$EVAL/trec_eval.py" "$EVAL/$c.qrels" "$WORK/$c.run" | awk '$1 == "map" { print $3 }')
    if awk -v m="$map" -v f="$floor" 'BEGIN { exit !(m + 0 >= f + 0) }'; then
        echo "eval-gate: $c MAP $map >= floor $floor: ok"
        pass=$((pass + 1))
    else
        echo "eval-gate: $c MAP $map is below the floor $floor: ranking regressed"
        failn=$((failn + 1))
    fi
done < eval/floors.tsv
echo "eval-gate: $pass passed, $failn failed"
[ "$failn" -eq 0 ]
