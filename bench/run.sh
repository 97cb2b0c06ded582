#!/bin/sh
# `make bench`: Tigris beside two peers measured in the same run - Xapian
# out of the box (bench/xapian_baseline.cc) and SQLite FTS5
# (bench/fts5_baseline.c) - on $SHARED/corpus/news-jsonl/news.jsonl and the
# 2,000-query log $SHARED/eval/latency.queries.tsv. Prints one table and
# writes every raw figure to bench/out/latest.json (bench/report.py).
#
# Measured, each the median of BENCH_RUNS runs (default 3), the systems
# interleaved within a run so the machine's noise falls on all three:
#   - indexing of the first 10,000 and 20,000 articles and of the whole
#     file, each into a fresh directory: wall time, MB/s (input bytes,
#     10^6), articles/s (input lines), peak RSS (wait4's ru_maxrss, via
#     bench/runstat.c), index size on disk (du); Xapian's (and Tigris's)
#     also after xapian-compact;
#   - query latency over the log, top 10: each program runs a warm-up pass,
#     then times every query in-process (Tigris: searcher --latency, with
#     best passage and snippets);
#   - adding one new article to the full index and committing: the wall
#     time of the whole command (start, open, add, commit, exit), median of
#     BENCH_ADD_RUNS (default 5).
#
# Usage: bench/run.sh            (from anywhere; `make bench` runs it)
# Environment: SHARED (../shared), BENCH_RUNS (3; 1 for a quick run),
#   BENCH_ADD_RUNS (5), BENCH_SIZES ("10000 20000": the smaller inputs),
#   TMPDIR (where the work directory goes; about 1.5 GB is needed),
#   BENCH_REV (names the Tigris measured; default: git's HEAD).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
RUNS=${BENCH_RUNS:-3}
ADD_RUNS=${BENCH_ADD_RUNS:-5}
SIZES=${BENCH_SIZES:-10000 20000}
NEWS=$SHARED/corpus/news-jsonl/news.jsonl
QUERIES=$SHARED/eval/latency.queries.tsv
BB=build/bench

die() { echo "bench: $*" >&2; exit 2; }
say() { echo "bench: $*" >&2; }

for f in "$NEWS" "$QUERIES"; do
    [ -r "$f" ] || die "$f not found: the benchmark reads the shared data (set SHARED=path/to/shared)"
done
for v in "$RUNS" "$ADD_RUNS" $SIZES; do
    case $v in ''|*[!0-9]*|0) die "BENCH_RUNS, BENCH_ADD_RUNS and BENCH_SIZES want positive numbers, not '$v'" ;; esac
done
[ -x bin/indexer ] && [ -x bin/searcher ] || die "bin/indexer and bin/searcher are missing: run make first"

sh scripts/install-bench-deps.sh >&2

# The peers and the timing helper, rebuilt when their source changes.
BB=$BB sh bench/build-peers.sh

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tigris-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
RAW=$WORK/raw.tsv
LOG=$WORK/log
: > "$RAW"

# record SYSTEM METRIC SIZE RUN VALUE
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RAW"; }

# runstat OK-STATUSES COMMAND...: runs COMMAND, its output to $LOG; sets
# WALL (s), RSS (KiB). A status outside OK-STATUSES stops the benchmark.
runstat() {
    ok=$1; shift
    rm -f "$WORK/stat"
    set +e
    $BB/runstat "$WORK/stat" "$@" >"$LOG" 2>&1
    rc=$?
    set -e
    case " $ok " in *" $rc "*) ;; *)
        tail -n 20 "$LOG" >&2
        die "'$*' exited with status $rc" ;;
    esac
    read -r WALL RSS _ < "$WORK/stat"
}

NEWS_LINES=$(wc -l < "$NEWS" | tr -d ' ')
for n in $SIZES; do
    [ "$n" -lt "$NEWS_LINES" ] || die "BENCH_SIZES: $n is not smaller than the file ($NEWS_LINES articles)"
    head -n "$n" "$NEWS" > "$WORK/news-$n.jsonl"
done
input() { if [ "$1" = full ]; then echo "$NEWS"; else echo "$WORK/news-$1.jsonl"; fi; }
INPUTS="$SIZES full"

# index SYSTEM INPUT DB
index() {
    case $1 in
    tigris) runstat "0 1" bin/indexer -q --db "$3" "$2" ;;  # 1: an entry skipped
    xapian) runstat 0 $BB/xapian_baseline index "$3" "$2" ;;
    fts5)   runstat 0 $BB/fts5_baseline index "$3" "$2" ;;
    esac
}

SYSTEMS="tigris xapian fts5"
r=1
while [ "$r" -le "$RUNS" ]; do
    for n in $INPUTS; do
        in=$(input "$n")
        for s in $SYSTEMS; do
            d=$WORK/$s-$n
            rm -rf "$d"; mkdir -p "$d"
            index $s "$in" "$d/db"
            size=$(du -sk "$d/db" | cut -f1)
            record $s index_s "$n" $r "$WALL"
            record $s rss_kib "$n" $r "$RSS"
            record $s size_kib "$n" $r "$size"
            say "run $r/$RUNS: indexed $n with $s in ${WALL%????} s, peak RSS $((RSS / 1024)) MiB, $((size / 1024)) MiB"
            [ "$n" = full ] || rm -rf "$d"
        done
    done
    r=$((r + 1))
done

# Compaction (deterministic: once, on the last run's full indexes). And
# Xapian keeping each article's JSON line as its data (as a search that
# shows snippets must keep the text), compacted: the size target.
for s in xapian tigris; do
    xapian-compact "$WORK/$s-full/db" "$WORK/$s-compact" >/dev/null
    record $s compact_kib full 1 "$(du -sk "$WORK/$s-compact" | cut -f1)"
    rm -rf "$WORK/$s-compact"
done
$BB/xapian_baseline index-json "$WORK/xapian-json" "$NEWS" 2>/dev/null ||
    die "xapian_baseline index-json failed"
xapian-compact "$WORK/xapian-json" "$WORK/xapian-json-compact" >/dev/null
record xapian compact_json_kib full 1 "$(du -sk "$WORK/xapian-json-compact" | cut -f1)"
rm -rf "$WORK/xapian-json" "$WORK/xapian-json-compact"

# Query latency on the full indexes.
r=1
while [ "$r" -le "$RUNS" ]; do
    for s in $SYSTEMS; do
        db=$WORK/$s-full/db
        case $s in
        tigris) line=$(bin/searcher --db "$db" --batch "$QUERIES" --latency 2>"$LOG") ;;
        xapian) line=$($BB/xapian_baseline search "$db" "$QUERIES" 10 2>"$LOG") ;;
        fts5)   line=$($BB/fts5_baseline search "$db" "$QUERIES" 10 2>"$LOG") ;;
        esac || { cat "$LOG" >&2; die "$s: the latency run failed"; }
        record $s latency full $r "$line"
        say "run $r/$RUNS: $s latency $line"
    done
    r=$((r + 1))
done

# Adding one new article (the file's first, under a new id) and committing.
i=1
while [ "$i" -le "$ADD_RUNS" ]; do
    head -n 1 "$NEWS" | python3 -c '
import json, sys
a = json.loads(sys.stdin.readline())
a["id"] = "bench/add-" + sys.argv[1]
print(json.dumps(a))' "$i" > "$WORK/add.jsonl"
    for s in $SYSTEMS; do
        db=$WORK/$s-full/db
        case $s in
        tigris) runstat 0 bin/indexer -q --db "$db" "$WORK/add.jsonl" ;;
        xapian) runstat 0 $BB/xapian_baseline add "$db" "$WORK/add.jsonl" ;;
        fts5)   runstat 0 $BB/fts5_baseline add "$db" "$WORK/add.jsonl" ;;
        esac
        record $s add_s full $i "$WALL"
    done
    i=$((i + 1))
done
say "added one article $ADD_RUNS times to each full index"

# What the figures came from.
META=$WORK/meta.tsv
{
    printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'nproc\t%s\n' "$(nproc)"
    printf 'cpu\t%s\n' "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    printf 'mem_kib\t%s\n' "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"
    printf 'kernel\t%s\n' "$(uname -r)"
    printf 'xapian\t%s\n' "$(xapian-config --version | awk '{ print $NF }')"
    printf 'sqlite\t%s\n' "$(dpkg-query -W -f='${Version}' libsqlite3-0 2>/dev/null || echo '?')"
    rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
    if [ "$rev" != '?' ] && ! git diff --quiet HEAD -- 2>/dev/null; then rev="$rev+changes"; fi
    printf 'commit\t%s\n' "${BENCH_REV:-$rev}"
    printf 'runs\t%s\n' "$RUNS"
    printf 'add_runs\t%s\n' "$ADD_RUNS"
    printf 'queries\t%s\n' "$QUERIES"
    printf 'query_count\t%s\n' "$(grep -c '	' "$QUERIES")"
    for n in $INPUTS; do
        in=$(input "$n")
        printf 'bytes_%s\t%s\n' "$n" "$(wc -c < "$in" | tr -d ' ')"
        printf 'lines_%s\t%s\n' "$n" "$(wc -l < "$in" | tr -d ' ')"
    done
    printf 'input\t%s\n' "$NEWS"
} > "$META"

mkdir -p bench/out
python3 bench/report.py "$RAW" "$META" bench/out/latest.json
