#!/bin/sh
# `make bench-shards`: what keeping an archive in shards costs and gives,
# on $SHARED/corpus/news-jsonl/news.jsonl and the 2,000-query log
# $SHARED/eval/latency.queries.tsv, all measured in the same run.
#
#   - indexing the whole file into a fresh directory: one database built
#     serially (-j 1), one database built by 2 threads and merged (the
#     default on this machine), and kept shards: --shards 2 and 4 (each
#     shard its own thread; the lexicon written at the end); wall time,
#     peak RSS, size on disk (and of the lexicon);
#   - query latency over the log (searcher --batch --latency: a warm-up
#     pass, then every query timed in-process, top 10 with snippets): the
#     one database, 2 and 4 local shards behind their stub, and the same 2
#     shards served by two xapian-tcpsrv on loopback, searched through a
#     stub of "remote" lines with the lexicon beside it.
# Each figure is the median of BENCH_RUNS runs (default 3), the variants
# interleaved within a run so that the machine's noise falls on all.
# Prints a table and writes bench/out/shards.json.
#
# Environment: SHARED (../shared), BENCH_RUNS (3), TMPDIR (about 1 GB).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
RUNS=${BENCH_RUNS:-3}
NEWS=$SHARED/corpus/news-jsonl/news.jsonl
QUERIES=$SHARED/eval/latency.queries.tsv
BB=build/bench

die() { echo "bench-shards: $*" >&2; exit 2; }
say() { echo "bench-shards: $*" >&2; }

for f in "$NEWS" "$QUERIES"; do
    [ -r "$f" ] || die "$f not found: the benchmark reads the shared data (set SHARED=path/to/shared)"
done
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS wants a positive number, not '$RUNS'" ;; esac
[ -x bin/indexer ] && [ -x bin/searcher ] || die "bin/indexer and bin/searcher are missing: run make first"
command -v xapian-tcpsrv >/dev/null || die "xapian-tcpsrv not found (Debian: xapian-tools; scripts/install-deps.sh)"
BB=$BB sh bench/build-peers.sh >&2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tigris-bench-shards.XXXXXX")
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
RAW=$WORK/raw.tsv
LOG=$WORK/log
: > "$RAW"
record() { printf '%s\t%s\t%s\t%s\n' "$@" >> "$RAW"; }

# A free loopback port (the kernel's choice).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

build() {   # VARIANT RUN ARGS...
    v=$1; r=$2; shift 2
    rm -rf "$WORK/$v.db"
    $BB/runstat "$WORK/stat" bin/indexer -q --db "$WORK/$v.db" "$@" "$NEWS" >"$LOG" 2>&1 ||
        { rc=$?; [ $rc -eq 1 ] || { tail -n 20 "$LOG" >&2; die "indexing $v failed ($rc)"; }; }
    set -- $(tail -n 1 "$WORK/stat")
    record "$v" index_s "$r" "$1"
    record "$v" rss_mib "$r" "$(echo "$2" | awk '{printf "%.1f", $1/1024}')"
    record "$v" size_mib "$r" "$(du -sk "$WORK/$v.db" | awk '{printf "%.1f", $1/1024}')"
    if [ -d "$WORK/$v.db/lexicon" ]; then
        record "$v" lexicon_mib "$r" "$(du -sk "$WORK/$v.db/lexicon" | awk '{printf "%.1f", $1/1024}')"
    fi
    say "run $r: indexed $v in $(awk -v w="$1" 'BEGIN{printf "%.1f", w}') s"
}

latency() { # VARIANT RUN DB...
    v=$1; r=$2; shift 2
    line=$(bin/searcher "$@" --batch "$QUERIES" --latency 2>"$LOG") ||
        { tail -n 20 "$LOG" >&2; die "latency $v failed"; }
    for k in p50_ms p99_ms mean_ms; do
        record "$v" "$k" "$r" "$(printf '%s' "$line" | python3 -c "import json,sys; print(json.load(sys.stdin)['$k'])")"
    done
    say "run $r: latency $v $line"
}

r=1
while [ $r -le "$RUNS" ]; do
    build one-serial "$r" -j 1
    build one "$r" -j 2
    build shards-2 "$r" --shards 2
    build shards-4 "$r" --shards 4
    r=$((r + 1))
done

# Remote: the two shards of shards-2, each behind its own server.
P1=$(free_port); P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
# Each in its own session: xapian-tcpsrv stopping signals its whole
# process group, which would take this script with it.
own_session() { python3 -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
own_session xapian-tcpsrv --interface 127.0.0.1 --port "$P1" "$WORK/shards-2.db/shard-0" \
    >"$WORK/tcp1.log" 2>&1 &
PIDS="$PIDS $!"
own_session xapian-tcpsrv --interface 127.0.0.1 --port "$P2" "$WORK/shards-2.db/shard-1" \
    >"$WORK/tcp2.log" 2>&1 &
PIDS="$PIDS $!"
cat > "$WORK/remote.stub" <<EOF
remote 127.0.0.1:$P1
remote 127.0.0.1:$P2
# tigris-lexicon: $WORK/shards-2.db/lexicon
EOF
n=0
until bin/searcher --db "$WORK/remote.stub" -n 1 liberty >/dev/null 2>&1; do
    n=$((n + 1)); [ $n -lt 50 ] || die "the shard servers did not answer: $(cat "$WORK"/tcp*.log)"
    sleep 0.2
done

r=1
while [ $r -le "$RUNS" ]; do
    latency one "$r" --db "$WORK/one.db"
    latency local-2 "$r" --db "$WORK/shards-2.db"
    latency local-4 "$r" --db "$WORK/shards-4.db"
    latency remote-2 "$r" --db "$WORK/remote.stub"
    r=$((r + 1))
done

mkdir -p bench/out
python3 - "$RAW" bench/out/shards.json "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$RUNS" <<'EOF'
import json, statistics, sys, os, platform
raw, out, rev, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
vals = {}
for line in open(raw):
    v, k, r, x = line.rstrip('\n').split('\t')
    vals.setdefault(v, {}).setdefault(k, []).append(float(x))
med = {v: {k: statistics.median(x) for k, x in d.items()} for v, d in vals.items()}
json.dump({"rev": rev, "runs": runs, "cpus": os.cpu_count(), "machine": platform.machine(),
           "median": med, "raw": vals}, open(out, "w"), indent=1)
print(f"Shards on news.jsonl (40,424 articles), commit {rev}, {os.cpu_count()} cores, "
      f"median of {runs} run(s)\n")
print("| build | wall s | vs one db -j2 | peak RSS MiB | on disk MiB | lexicon MiB |")
print("|---|---:|---:|---:|---:|---:|")
base = med["one"]["index_s"]
for v in ["one-serial", "one", "shards-2", "shards-4"]:
    m = med.get(v)
    if not m:
        continue
    print(f"| {v} | {m['index_s']:.1f} | {m['index_s']/base:.2f}x | {m['rss_mib']:.0f} | "
          f"{m['size_mib']:.0f} | {m.get('lexicon_mib', 0):.1f} |")
print("\n| search over | p50 ms | p99 ms | mean ms | p50 vs one db | p99 vs one db |")
print("|---|---:|---:|---:|---:|---:|")
b = med["one"]
for v in ["one", "local-2", "local-4", "remote-2"]:
    m = med.get(v)
    if not m:
        continue
    print(f"| {v} | {m['p50_ms']:.2f} | {m['p99_ms']:.2f} | {m['mean_ms']:.2f} | "
          f"{m['p50_ms']/b['p50_ms']:.2f}x | {m['p99_ms']/b['p99_ms']:.2f}x |")
EOF
