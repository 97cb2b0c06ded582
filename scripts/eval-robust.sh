#!/bin/sh
# Robustness of the ranking defaults (scripts/eval_robust.py): MAP on each
# full collection and on random ~400-article subsets with 1 to 5 relevant
# articles per query, beside the peers; feedback's per-query wins and
# losses; leave-one-collection-out selection of the feedback settings.
# Needs the peers (bench/build-peers.sh) and writes under build/eval-robust.
# Usage: scripts/eval-robust.sh [--loo] [COLLECTION...]
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
[ -f "$SHARED/eval/trec_eval.py" ] || { echo "eval-robust: $SHARED/eval not found (set SHARED=path/to/shared)" >&2; exit 2; }
sh scripts/install-bench-deps.sh >/dev/null
BB=build/bench sh bench/build-peers.sh
SHARED=$SHARED exec python3 scripts/eval_robust.py "$@"
