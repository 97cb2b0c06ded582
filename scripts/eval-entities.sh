#!/bin/sh
# Names in every spelling (issue 19): entity search measured on three query
# sets over news.jsonl, each on three case variants of the archive, for
# three systems, scored with trec_eval.py (MAP, Recall@1000).
#   sets     dev  = ../shared/eval/entities-dev (8 hand-made queries)
#            tune, test = the two halves of the set scripts/entity-set.py
#                   builds from eval/entity-names.tsv (fixed rules, seed 19)
#   archive  mixed (as published), UPPER and lower (title and body case-
#            folded copies, made here)
#   systems  Tigris; plain BM25 (--no-entities); MiniSearch 7.2.0 (npm,
#            pinned in eval/minisearch/package-lock.json; default options
#            plus {fuzzy: 0.2, prefix: true}, eval/minisearch/run.mjs)
# Everything generated (entity set, archive copies, indexes keyed by the
# indexer's hash, runs) goes under build/eval/: it is derived from
# third-party data and stays out of the repository.
# VARIANTS="mixed" and SYSTEMS="tigris bm25" run a subset; SETS="dev tune"
# reports only those sets (what to look at while tuning), PER_QUERY=1 each
# query (scripts/entity-report.py).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
NEWS=$SHARED/corpus/news-jsonl/news.jsonl
VARIANTS=${VARIANTS:-mixed upper lower}
SYSTEMS=${SYSTEMS:-tigris bm25 minisearch}
for f in "$EVAL/trec_eval.py" "$EVAL/entities-dev.queries.tsv" "$NEWS"; do
    [ -f "$f" ] || { echo "eval-entities: $f not found (set SHARED=path/to/shared)" >&2; exit 2; }
done
OUT=build/eval
ENT=$OUT/entities
mkdir -p "$ENT" "$OUT/idx" "$OUT/runs"

# The entity set, rebuilt when its script, its list or the archive change.
if [ ! -f "$ENT/entities.tsv" ] || [ scripts/entity-set.py -nt "$ENT/entities.tsv" ] ||
   [ eval/entity-names.tsv -nt "$ENT/entities.tsv" ] || [ "$NEWS" -nt "$ENT/entities.tsv" ]; then
    echo "eval-entities: building the entity set (about a minute)..." >&2
    python3 scripts/entity-set.py "$NEWS" eval/entity-names.tsv "$ENT"
fi
# Files are replaced only when they change, so that cached runs stay valid.
update() { if cmp -s "$1" "$2"; then rm -f "$1"; else mv "$1" "$2"; fi; }
cp "$EVAL/entities-dev.queries.tsv" "$ENT/dev.queries.tsv.tmp"
update "$ENT/dev.queries.tsv.tmp" "$ENT/dev.queries.tsv"
cp "$EVAL/entities-dev.qrels" "$ENT/dev.qrels.tmp"
update "$ENT/dev.qrels.tmp" "$ENT/dev.qrels"
cat "$ENT/dev.queries.tsv" "$ENT/tune.queries.tsv" "$ENT/test.queries.tsv" > "$ENT/all.queries.tsv.tmp"
update "$ENT/all.queries.tsv.tmp" "$ENT/all.queries.tsv"

key=$(sha256sum bin/indexer | cut -c1-12)
for v in $VARIANTS; do
    case $v in
    mixed) arc=$NEWS ;;
    upper|lower)
        arc=$OUT/news-$v.jsonl
        if [ ! -f "$arc" ] || [ "$NEWS" -nt "$arc" ]; then
            python3 - "$NEWS" "$arc" "$v" <<'PY'
import json, sys
src, dst, how = sys.argv[1:4]
with open(src, encoding="utf-8") as f, open(dst + ".tmp", "w", encoding="utf-8") as g:
    for line in f:
        if line.strip():
            a = json.loads(line)
            for k in ("title", "body"):
                if isinstance(a.get(k), str):
                    a[k] = getattr(a[k], how)()
            g.write(json.dumps(a, ensure_ascii=False) + "\n")
PY
            mv "$arc.tmp" "$arc"
        fi ;;
    *) echo "eval-entities: unknown variant $v (mixed, upper, lower)" >&2; exit 2 ;;
    esac
    for s in $SYSTEMS; do
        run=$OUT/runs/$v.$s.run
        case $s in
        tigris|bm25)
            db=$OUT/idx/$v-$key.db
            if [ ! -d "$db" ]; then
                echo "eval-entities: indexing $v (about a minute)..." >&2
                rm -rf "$OUT/idx/$v-"*.db
                bin/indexer -q --db "$db.tmp" "$arc" 2>/dev/null || [ $? -eq 1 ]
                mv "$db.tmp" "$db"
            fi
            if [ $s = tigris ]; then
                bin/searcher --db "$db" --batch "$ENT/all.queries.tsv" --trec tigris > "$run"
            else
                bin/searcher --db "$db" --batch "$ENT/all.queries.tsv" --trec bm25 --no-entities > "$run"
            fi ;;
        minisearch)
            ms=eval/minisearch
            if [ ! -d $ms/node_modules/minisearch ] || [ $ms/package-lock.json -nt $ms/node_modules ]; then
                (cd $ms && npm ci --no-audit --no-fund --silent) >&2
            fi
            if [ ! -f "$run" ] || [ "$ENT/all.queries.tsv" -nt "$run" ] || [ $ms/run.mjs -nt "$run" ] ||
               [ "$arc" -nt "$run" ] || [ $ms/node_modules -nt "$run" ]; then
                echo "eval-entities: MiniSearch on $v (about a minute)..." >&2
                node --max-old-space-size=8192 $ms/run.mjs "$arc" "$ENT/all.queries.tsv" minisearch > "$run.tmp"
                mv "$run.tmp" "$run"
            fi ;;
        *) echo "eval-entities: unknown system $s (tigris, bm25, minisearch)" >&2; exit 2 ;;
        esac
    done
done
python3 scripts/entity-report.py "$EVAL/trec_eval.py" "$ENT" "$OUT/runs" "$VARIANTS" "$SYSTEMS"
