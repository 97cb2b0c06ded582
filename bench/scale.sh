#!/bin/sh
# `make bench-scale`: how indexing and search cost grow with the archive.
#
# For each size in SCALE_SIZES (default "40000 400000 2000000" articles)
# bench/scale_archive.py builds an archive from the real collections in
# $SHARED (copies with new ids and dates, sentences and paragraphs
# reordered, some names made new per copy: see its header for what it
# does and cannot imitate), into $SCALE_DIR (default $TMPDIR/tigris-scale;
# never in the project; kept between runs, since it is deterministic).
# Each is indexed into a fresh database
#   serial        bin/indexer -j 1
#   parallel      bin/indexer -j $(nproc)   (merged into one database)
#   shards        bin/indexer --shards $(nproc)
# and measured: wall time, MB/s, peak RSS, size on disk; the time to add
# one new article to it and commit (the whole command, median of 3); and
# query latency p50/p99 over the 2,000-query log (top 10 with snippets,
# searcher --batch --latency) on the parallel and the sharded database.
# Then each figure's growth exponent k (figure ~ size^k, fitted over the
# sizes run) and what the largest size predicts for 50 million articles.
# Prints a table; raw figures in bench/out/scale.json.
#
# SCALE_VARIANTS (default "serial parallel shards") picks the builds;
# the largest sizes take long (2M articles: about half an hour a build on
# 2 cores), so SCALE_SIZES="40000 400000" is the quick form.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
SIZES=${SCALE_SIZES:-40000 400000 2000000}
VARIANTS=${SCALE_VARIANTS:-serial parallel shards}
SCALE_DIR=${SCALE_DIR:-${TMPDIR:-/tmp}/tigris-scale}
QUERIES=$SHARED/eval/latency.queries.tsv
BB=build/bench
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

die() { echo "bench-scale: $*" >&2; exit 2; }
say() { echo "bench-scale: $*" >&2; }

[ -r "$SHARED/corpus/news-jsonl/news.jsonl" ] && [ -r "$QUERIES" ] ||
    die "the shared data is missing (set SHARED=path/to/shared)"
[ -x bin/indexer ] && [ -x bin/searcher ] || die "run make first"
for s in $SIZES; do case $s in ''|*[!0-9]*|0) die "SCALE_SIZES: '$s' is not a size" ;; esac; done
BB=$BB sh bench/build-peers.sh >&2
mkdir -p "$SCALE_DIR" bench/out
WORK=$(mktemp -d "$SCALE_DIR/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
RAW=$WORK/raw.tsv
: > "$RAW"
record() { printf '%s\t%s\t%s\t%s\n' "$@" >> "$RAW"; }

# One new article for the add-one test.
printf '{"id":"scale-new-1","title":"A new article","date":"2030-01-01","body":"Added to the large archive to time one article and a commit."}\n' \
    > "$WORK/one.jsonl"

for n in $SIZES; do
    src=$SCALE_DIR/archive-$n.jsonl
    [ -s "$src" ] || python3 bench/scale_archive.py "$SHARED" "$n" "$src"
    bytes=$(wc -c < "$src")
    record all bytes "$n" "$bytes"
    for v in $VARIANTS; do
        case $v in
            serial) args="-j 1" ;;
            parallel) args="-j $NCPU" ;;
            shards) args="--shards $NCPU" ;;
            *) die "unknown variant '$v'" ;;
        esac
        db=$WORK/$v.db
        rm -rf "$db"
        # shellcheck disable=SC2086
        $BB/runstat "$WORK/stat" bin/indexer -q $args --db "$db" "$src" >"$WORK/log" 2>&1 ||
            { rc=$?; [ $rc -eq 1 ] || { tail -n 20 "$WORK/log" >&2; die "indexing $n ($v) failed"; }; }
        set -- $(tail -n 1 "$WORK/stat")
        record "$v" index_s "$n" "$1"
        record "$v" rss_mib "$n" "$(echo "$2" | awk '{printf "%.1f", $1/1024}')"
        record "$v" size_mib "$n" "$(du -sk "$db" | awk '{printf "%.1f", $1/1024}')"
        say "$n articles, $v: $1 s, peak RSS $2 KiB"
        # three rounds, each a new id (the database grows by three)
        : > "$WORK/add"
        for i in 1 2 3; do
            sed "s/scale-new-1/scale-new-$i/" "$WORK/one.jsonl" > "$WORK/one-$i.jsonl"
            $BB/runstat "$WORK/add" bin/indexer -q --db "$db" "$WORK/one-$i.jsonl" >/dev/null 2>&1 ||
                die "adding one article ($n, $v) failed"
        done
        record "$v" add_one_ms "$n" "$(awk '{print $1 * 1000}' "$WORK/add" | sort -n | sed -n 2p)"
        # every figure also on stderr as it comes: a long run stopped early keeps them
        say "$n articles, $v: $(du -sk "$db" | awk '{printf "%.1f", $1/1024}') MiB, add one $(awk '{print $1 * 1000}' "$WORK/add" | sort -n | sed -n 2p) ms"
        if [ "$v" != serial ]; then
            line=$(bin/searcher --db "$db" --batch "$QUERIES" --latency 2>"$WORK/log") ||
                { tail -n 20 "$WORK/log" >&2; die "latency ($n, $v) failed"; }
            for k in p50_ms p99_ms; do
                record "$v" "$k" "$n" "$(printf '%s' "$line" | python3 -c "import json,sys; print(json.load(sys.stdin)['$k'])")"
            done
            say "$n articles, $v: latency $line"
        fi
        rm -rf "$db"
    done
done

python3 - "$RAW" bench/out/scale.json "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$NCPU" <<'EOF'
import json, math, sys
raw, out, rev, ncpu = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
vals = {}
for line in open(raw):
    v, k, n, x = line.rstrip("\n").split("\t")
    vals.setdefault(v, {}).setdefault(k, {})[int(n)] = float(x)
sizes = sorted(vals["all"]["bytes"])
def exponent(series):
    pts = [(math.log(n), math.log(y)) for n, y in sorted(series.items()) if y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts); my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else None
report = {"rev": rev, "cpus": ncpu, "sizes": sizes, "figures": vals, "exponents": {}}
print(f"Scale (commit {rev}, {ncpu} cores): each cell is the figure at that many articles; "
      "k is its growth exponent (figure ~ size^k); 50M is what the largest size predicts\n")
metrics = [("index_s", "index wall s"), ("mbps", "MB/s"), ("rss_mib", "peak RSS MiB"),
           ("size_mib", "size MiB"), ("add_one_ms", "add one + commit ms"),
           ("p50_ms", "query p50 ms"), ("p99_ms", "query p99 ms")]
print("| build | figure | " + " | ".join(f"{n:,}" for n in sizes) + " | k | 50M |")
print("|---|---|" + "---:|" * (len(sizes) + 2))
for v in [x for x in ("serial", "parallel", "shards") if x in vals]:
    d = vals[v]
    d["mbps"] = {n: vals["all"]["bytes"][n] / 1e6 / d["index_s"][n] for n in d.get("index_s", {})}
    for key, label in metrics:
        s = d.get(key)
        if not s:
            continue
        k = exponent(s)
        report["exponents"].setdefault(v, {})[key] = k
        big = max(s)
        pred = s[big] * (50e6 / big) ** k if k is not None else None
        cells = " | ".join(f"{s[n]:.3g}" if n in s else "-" for n in sizes)
        print(f"| {v} | {label} | {cells} | {k:.2f} | {pred:.3g} |" if k is not None
              else f"| {v} | {label} | {cells} | - | - |")
json.dump(report, open(out, "w"), indent=1)
EOF
