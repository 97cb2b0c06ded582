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
#   small    small-mixed, small-upper, small-lower: for each set its own
#            archive of 500 articles drawn from news.jsonl (up to 3
#            relevant articles per query, the rest non-relevant fill, fixed
#            seeds; scripts/entity-small.py), judgements restricted to it,
#            in the three cases: a name in two or three articles, the
#            indexer's statistics thin (an old magazine's archive)
#   dev2     a second development set, not run by default: the names of
#            eval/entity-names-dev2.tsv (79 other names, mostly rare and
#            romanised spellings), built by the same script and rules
#            with query ids V001...; both its halves are development data,
#            so look at them freely (SETS=dev2 PER_QUERY=1).
#   dev3     a third development set, the same way: eval/entity-names-dev3.tsv
#            (113 other names of all five kinds), query ids W001...
#            (SETS=dev3).
#   dev4     a fourth, eval/entity-names-dev4.tsv (97 names), ids X...
#            (SETS=dev4).
#   dev5     a fifth, eval/entity-names-dev5.tsv (119 names), ids Y...
#            (SETS=dev5).
#   dev6     a sixth, eval/entity-names-dev6.tsv: compounds typed with a
#            hyphen where the archive writes one word (co-operation),
#            alone and in names; ids Z... (SETS=dev6).
#            The small-* variants draw a sample for each development set
#            asked for, by the same procedure.
# VARIANTS="mixed" (or "small-mixed small-upper small-lower") and
# SYSTEMS="tigris bm25" run a subset; SETS="dev tune" reports only those
# sets (what to look at while tuning; SETS="dev tune dev2" adds the second
# development set), PER_QUERY=1 each query (scripts/entity-report.py);
# BIN=dir takes indexer and searcher from another build (before and
# after).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
EVAL=$SHARED/eval
NEWS=$SHARED/corpus/news-jsonl/news.jsonl
BIN=${BIN:-bin}
VARIANTS=${VARIANTS:-mixed upper lower small-mixed small-upper small-lower}
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
# The further development sets (SETS=dev2 ... dev6): each list's
# two halves as one set, query ids V..., W..., X..., Y... so that runs can
# share a file.
DEVX=
DEVSETS=
for d in dev2:V dev3:W dev4:X dev5:Y dev6:Z; do
    name=${d%:*}
    case " ${SETS:-} " in *" $name "*) ;; *) continue ;; esac
    DEVX="$DEVX $ENT/$name.queries.tsv"
    DEVSETS="$DEVSETS $name"
    list=eval/entity-names-$name.tsv
    mkdir -p "$ENT/$name"
    if [ ! -f "$ENT/$name/entities.tsv" ] || [ scripts/entity-set.py -nt "$ENT/$name/entities.tsv" ] ||
       [ $list -nt "$ENT/$name/entities.tsv" ] || [ "$NEWS" -nt "$ENT/$name/entities.tsv" ]; then
        python3 scripts/entity-set.py "$NEWS" $list "$ENT/$name" ${d#*:}
    fi
    cat "$ENT/$name/tune.queries.tsv" "$ENT/$name/test.queries.tsv" > "$ENT/$name.queries.tsv.tmp"
    update "$ENT/$name.queries.tsv.tmp" "$ENT/$name.queries.tsv"
    cat "$ENT/$name/tune.qrels" "$ENT/$name/test.qrels" > "$ENT/$name.qrels.tmp"
    update "$ENT/$name.qrels.tmp" "$ENT/$name.qrels"
done
cat "$ENT/dev.queries.tsv" "$ENT/tune.queries.tsv" "$ENT/test.queries.tsv" $DEVX > "$ENT/all.queries.tsv.tmp"
update "$ENT/all.queries.tsv.tmp" "$ENT/all.queries.tsv"
case " $VARIANTS " in
*" small-"*)
    # a sample per set (the development sets' only when asked for), made
    # again when its judgements or the sampling script change
    for q in dev tune test $DEVSETS; do
        if [ ! -f "$ENT/small/$q.qrels" ] || [ scripts/entity-small.py -nt "$ENT/small/$q.qrels" ] ||
           [ "$ENT/$q.qrels" -nt "$ENT/small/$q.qrels" ]; then
            python3 scripts/entity-small.py "$NEWS" "$ENT" $q
            touch "$ENT/small/$q.qrels"
        fi
    done ;;
esac

key=$(sha256sum "$BIN/indexer" | cut -c1-12)
# run SYSTEM ARCHIVE QUERIES RUN INDEXNAME: one system's run of the queries
# on one archive (the index made once per indexer build).
run() {
    case $1 in
    tigris|bm25)
        db=$OUT/idx/$5-$key.db
        # a new indexer, or an archive made again since (the small
        # samples follow the entity set's judgements)
        if [ ! -d "$db" ] || [ "$2" -nt "$db" ]; then
            echo "eval-entities: indexing $5..." >&2
            rm -rf "$OUT/idx/$5-"*.db
            "$BIN/indexer" -q --db "$db.tmp" "$2" 2>/dev/null || [ $? -eq 1 ]
            mv "$db.tmp" "$db"
        fi
        if [ $1 = tigris ]; then
            "$BIN/searcher" --db "$db" --batch "$3" --trec tigris > "$4"
        else
            "$BIN/searcher" --db "$db" --batch "$3" --trec bm25 --no-entities > "$4"
        fi ;;
    minisearch)
        ms=eval/minisearch
        if [ ! -d $ms/node_modules/minisearch ] || [ $ms/package-lock.json -nt $ms/node_modules ]; then
            (cd $ms && npm ci --no-audit --no-fund --silent) >&2
        fi
        if [ ! -f "$4" ] || [ "$3" -nt "$4" ] || [ $ms/run.mjs -nt "$4" ] ||
           [ "$2" -nt "$4" ] || [ $ms/node_modules -nt "$4" ]; then
            echo "eval-entities: MiniSearch on $5..." >&2
            node --max-old-space-size=8192 $ms/run.mjs "$2" "$3" minisearch > "$4.tmp"
            mv "$4.tmp" "$4"
        fi ;;
    *) echo "eval-entities: unknown system $1 (tigris, bm25, minisearch)" >&2; exit 2 ;;
    esac
}
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
    small-mixed|small-upper|small-lower) ;;
    *) echo "eval-entities: unknown variant $v (mixed, upper, lower, small-mixed, small-upper, small-lower)" >&2; exit 2 ;;
    esac
    for s in $SYSTEMS; do
        case $v in
        small-*)
            # one archive per set; the set's runs, one after the other
            case $v in small-mixed) c= ;; *) c=.${v#small-} ;; esac
            : > "$OUT/runs/$v.$s.run.tmp"
            for q in dev tune test $DEVSETS; do
                run $s "$ENT/small/$q$c.jsonl" "$ENT/small/$q.queries.tsv" \
                    "$OUT/runs/$v-$q.$s.run" "$v-$q"
                cat "$OUT/runs/$v-$q.$s.run" >> "$OUT/runs/$v.$s.run.tmp"
            done
            mv "$OUT/runs/$v.$s.run.tmp" "$OUT/runs/$v.$s.run" ;;
        *) run $s "$arc" "$ENT/all.queries.tsv" "$OUT/runs/$v.$s.run" "$v" ;;
        esac
    done
done
python3 scripts/entity-report.py "$EVAL/trec_eval.py" "$ENT" "$OUT/runs" "$VARIANTS" "$SYSTEMS"
