#!/bin/sh
# `make bench-http` (and the end of `make bench`): the HTTP server under
# load, with wrk on loopback (127.0.0.1 only), over the 2,000-query log
# $SHARED/eval/latency.queries.tsv against an index of
# $SHARED/corpus/news-jsonl/news.jsonl. Prints one table and writes the
# figures to bench/out/http.json (bench/http-report.py).
#
# Measured, in one run:
#   - /api/search (default size 10) at 1, 16 and 256 connections: one
#     different query per request (bench/http-queries.lua), wrk -t2, after
#     a short warm-up: requests/s, p50/p99 latency, errors (socket errors
#     and statuses >= 400), and the server's CPU time per request (utime +
#     stime from /proc/PID/stat over the run);
#   - with the answer cache off (--cache 0: every answer computed, what a
#     query never asked before costs), then /api/search at 16 connections
#     with the cache on, as served by default, after a warm-up that walks
#     the log (answers already given at this index revision);
#   - the HTML page: /?q= over the same queries, and the bare / (no search:
#     the HTTP floor), at 16 connections;
#   - the command line's own latency over the same log (searcher --batch
#     --latency: in-process, no HTTP, no rendering), plain and with the 8
#     related names the server adds to every search, to see the HTTP
#     overhead beside it;
#   - a soak: /api/search at 16 connections for BENCH_SOAK_S seconds, the
#     server's VmRSS sampled before, every 30 s during, and after. Memory is
#     "flat" when the last sample under load is within 10% of the one at
#     1 minute.
#
# The index is built once (bin/indexer -j2, 1-2 min) and kept under
# build/bench/ keyed by the indexer binary and the input, so re-runs start
# at once. Every wrk run is bounded by its duration (and by timeout(1) as
# a guard); the server is stopped on exit.
#
# Usage: bench/http.sh
# Environment: SHARED (../shared), BENCH_HTTP_S (20: seconds per
#   measurement), BENCH_HTTP_WARMUP_S (5), BENCH_SOAK_S (300; 0 skips the
#   soak), BENCH_HTTP_CACHE_WARM_S (15: the cached server's warm-up),
#   BENCH_HTTP_THREADS (server threads; default: its own, one per
#   core), BENCH_HTTP_CONNS ("1 16 256"), BENCH_REV (names what is measured).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
DUR=${BENCH_HTTP_S:-20}
WARM=${BENCH_HTTP_WARMUP_S:-5}
SOAK=${BENCH_SOAK_S:-300}
CONNS=${BENCH_HTTP_CONNS:-1 16 256}
SRV_THREADS=${BENCH_HTTP_THREADS:-}
NEWS=$SHARED/corpus/news-jsonl/news.jsonl
QUERIES=$SHARED/eval/latency.queries.tsv
LUA=bench/http-queries.lua
WRK_THREADS=2

die() { echo "bench-http: $*" >&2; exit 2; }
say() { echo "bench-http: $*" >&2; }

for f in "$NEWS" "$QUERIES"; do
    [ -r "$f" ] || die "$f not found: the benchmark reads the shared data (set SHARED=path/to/shared)"
done
for v in "$DUR" "$WARM" "$SOAK" $CONNS $SRV_THREADS; do
    case $v in ''|*[!0-9]*) die "BENCH_HTTP_S, BENCH_HTTP_WARMUP_S, BENCH_SOAK_S, BENCH_HTTP_CONNS and BENCH_HTTP_THREADS want numbers, not '$v'" ;; esac
done
[ "$DUR" -gt 0 ] || die "BENCH_HTTP_S must be at least 1"
[ -x bin/indexer ] && [ -x bin/searcher ] || die "bin/indexer and bin/searcher are missing: run make first"
command -v wrk >/dev/null 2>&1 || sh scripts/install-bench-deps.sh >&2
command -v wrk >/dev/null 2>&1 || die "wrk is missing (Debian package wrk: scripts/install-bench-deps.sh)"

# ---- the index, cached ----------------------------------------------------
key=$( (cksum < bin/indexer; wc -c < "$NEWS") | cksum | cut -d' ' -f1)
CACHE=build/bench/http-db-$key
DB=$CACHE/db
if [ ! -f "$CACHE/done" ]; then
    say "indexing $NEWS into $CACHE (once per indexer build; 1-2 min)"
    rm -rf build/bench/http-db-*       # older builds' indexes
    mkdir -p "$CACHE"
    # Status 1: an entry skipped (the file has one empty article).
    bin/indexer -q -j2 --db "$DB" "$NEWS" || [ $? -eq 1 ] || die "indexing failed"
    : > "$CACHE/done"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tigris-bench-http.XXXXXX")
SRV_PID=
stop_server() {
    if [ -n "$SRV_PID" ]; then
        kill "$SRV_PID" 2>/dev/null || true
        # SIGTERM stops it cleanly within a second or two; then insist.
        i=0
        while kill -0 "$SRV_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$SRV_PID" 2>/dev/null || true
        wait "$SRV_PID" 2>/dev/null || true
        SRV_PID=
    fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
RAW=$WORK/raw.tsv
: > "$RAW"

# ---- the server -------------------------------------------------------------
# start_server [ARGS...]: the server on a free port, URL set.
start_server() {
    # --per-ip 0: wrk's 256 connections all come from 127.0.0.1, as a
    # reverse proxy's would; the default limit (64 from one address)
    # would refuse the rest, which wrk counts as read errors.
    set -- bin/searcher --db "$DB" --serve 127.0.0.1:0 -q --per-ip 0 "$@"
    [ -z "$SRV_THREADS" ] || set -- "$@" --threads "$SRV_THREADS"
    "$@" > "$WORK/server.out" 2> "$WORK/server.err" &
    SRV_PID=$!
    PORT=
    i=0
    while [ $i -lt 300 ]; do     # up to 30 s to open the index and listen
        PORT=$(sed -n 's|^Serving .* at http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/server.out")
        [ -z "$PORT" ] || break
        kill -0 "$SRV_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; die "the server did not start"; }
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$PORT" ] || die "the server printed no port within 30 s"
    URL=http://127.0.0.1:$PORT
    say "server pid $SRV_PID at $URL ($(grep -c '	' "$QUERIES") queries) $*"
}
# First every answer computed (--cache 0: what a query never asked before
# costs), then with the answer cache as served by default.
start_server --cache 0

# The server must live through the whole run: a crash (or a kill from
# outside) would otherwise show only as socket errors.
alive() {
    kill -0 "$SRV_PID" 2>/dev/null && return 0
    cat "$WORK/server.err" >&2
    SRV_PID=
    die "the server (pid $1) exited during the run ($2)"
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SRV_PID/status"; }
# The server's CPU time so far, in clock ticks (utime + stime).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SRV_PID/stat"; }
TICKS=$(getconf CLK_TCK)

# wrk_run LABEL CONNS SECONDS PREFIX: one bounded wrk run; records its
# figures (and the server's CPU ms per request) under LABEL.
wrk_run() {
    label=$1 c=$2 d=$3 prefix=$4
    t=$WRK_THREADS
    [ "$c" -ge "$t" ] || t=$c
    c0=$(cpu_ticks)
    timeout $((d + 60)) wrk -t"$t" -c"$c" -d"${d}s" --timeout 10s --latency -s "$LUA" "$URL" \
        -- "$QUERIES" "$prefix" "$t" > "$WORK/wrk.out" 2>&1 \
        || { cat "$WORK/wrk.out" >&2; die "wrk failed ($label)"; }
    alive "$SRV_PID" "$label, $c connections"
    c1=$(cpu_ticks)
    line=$(sed -n 's/^WRK_RESULT //p' "$WORK/wrk.out")
    [ -n "$line" ] || { cat "$WORK/wrk.out" >&2; die "wrk printed no result ($label)"; }
    cpu_ms=$(( (c1 - c0) * 1000 / TICKS ))
    printf '%s\t%s\t%s\t%s\n' "$label" "$c" "$cpu_ms" "$line" >> "$RAW"
    say "$label c=$c: $line (server CPU ${cpu_ms} ms)"
}
warm() {
    [ "$WARM" -eq 0 ] || timeout $((WARM + 60)) wrk -t1 -c"$1" -d"${WARM}s" -s "$LUA" "$URL" \
        -- "$QUERIES" "$2" 1 > /dev/null 2>&1 || die "wrk warm-up failed"
}

warm 16 "/api/search?q="
for c in $CONNS; do
    wrk_run api "$c" "$DUR" "/api/search?q="
done
warm 16 "/?q="
wrk_run page 16 "$DUR" "/?q="
wrk_run root 16 "$DUR" "-"

# With the cache (the default): the warm-up walks the whole log once, so
# these rows measure answers already given at this index revision, as a
# site's repeated searches are.
stop_server
start_server
RSS_START=$(rss_kib)
# 15 s (BENCH_HTTP_CACHE_WARM_S) at over 1,000 answers a second walks the
# 2,000 queries of the log several times.
CWARM=${BENCH_HTTP_CACHE_WARM_S:-15}
timeout $((CWARM + 60)) wrk -t1 -c16 -d"${CWARM}s" -s "$LUA" "$URL" -- "$QUERIES" "/api/search?q=" 1 \
    > /dev/null 2>&1 || die "wrk warm-up of the cache failed"
wrk_run api-cached 16 "$DUR" "/api/search?q="

# ---- the soak ---------------------------------------------------------------
SAMPLES=$WORK/rss.tsv
: > "$SAMPLES"
if [ "$SOAK" -gt 0 ]; then
    printf '0\t%s\n' "$(rss_kib)" >> "$SAMPLES"
    say "soak: /api/search at 16 connections for $SOAK s"
    timeout $((SOAK + 60)) wrk -t$WRK_THREADS -c16 -d"${SOAK}s" --timeout 10s --latency -s "$LUA" "$URL" \
        -- "$QUERIES" "/api/search?q=" $WRK_THREADS > "$WORK/soak.out" 2>&1 &
    WRK_PID=$!
    c0=$(cpu_ticks)
    # A sample every 30 s while wrk runs (bounded: SOAK/30 + 2 samples).
    n=1
    while [ $n -le $((SOAK / 30 + 2)) ] && kill -0 $WRK_PID 2>/dev/null; do
        s=0
        while [ $s -lt 30 ] && kill -0 $WRK_PID 2>/dev/null; do sleep 1; s=$((s + 1)); done
        kill -0 $WRK_PID 2>/dev/null || break
        alive "$SRV_PID" soak
        printf '%s\t%s\n' $((n * 30)) "$(rss_kib)" >> "$SAMPLES"
        say "soak: ${n}x30 s, VmRSS $(rss_kib) KiB"
        n=$((n + 1))
    done
    wait $WRK_PID || { cat "$WORK/soak.out" >&2; die "wrk failed (soak)"; }
    alive "$SRV_PID" soak
    c1=$(cpu_ticks)
    sleep 1
    printf 'end\t%s\n' "$(rss_kib)" >> "$SAMPLES"
    line=$(sed -n 's/^WRK_RESULT //p' "$WORK/soak.out")
    [ -n "$line" ] || { cat "$WORK/soak.out" >&2; die "wrk printed no result (soak)"; }
    printf '%s\t%s\t%s\t%s\n' soak 16 $(( (c1 - c0) * 1000 / TICKS )) "$line" >> "$RAW"
fi
RSS_END=$(rss_kib)
stop_server
[ ! -s "$WORK/server.err" ] || { say "the server's stderr:"; head -n 20 "$WORK/server.err" >&2; }

# ---- the command line, same queries, no HTTP ----------------------------------
# As it stands (no related names), and with the 8 related names the
# server computes for every search (serve_routes.c, RELATED_MAX).
# Each prints its JSON line, a tab and its CPU time in seconds (user +
# system: two passes over the log), which the machine's load disturbs far
# less than the wall times.
cpu_of() {
    python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%s\t%.3f" % (r.stdout.strip(), u.ru_utime + u.ru_stime))
sys.exit(r.returncode)' "$@"
}
CLI=$(cpu_of bin/searcher --db "$DB" --batch "$QUERIES" --latency 2> "$WORK/cli.err") \
    || { cat "$WORK/cli.err" >&2; die "searcher --latency failed"; }
say "command line: $CLI"
CLI_R=$(cpu_of bin/searcher --db "$DB" --batch "$QUERIES" --latency --related=8 2> "$WORK/cli.err") \
    || { cat "$WORK/cli.err" >&2; die "searcher --latency --related=8 failed"; }
say "command line, --related=8: $CLI_R"

META=$WORK/meta.tsv
{
    printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'nproc\t%s\n' "$(nproc)"
    printf 'cpu\t%s\n' "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    printf 'loadavg\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
    if [ "$rev" != '?' ] && ! git diff --quiet HEAD -- 2>/dev/null; then rev="$rev+changes"; fi
    printf 'commit\t%s\n' "${BENCH_REV:-$rev}"
    printf 'wrk\t%s\n' "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f2)"
    printf 'wrk_threads\t%s\n' "$WRK_THREADS"
    printf 'server_threads\t%s\n' "${SRV_THREADS:-default (one per core)}"
    printf 'duration_s\t%s\n' "$DUR"
    printf 'warmup_s\t%s\n' "$WARM"
    printf 'soak_s\t%s\n' "$SOAK"
    printf 'queries\t%s\n' "$QUERIES"
    printf 'query_count\t%s\n' "$(grep -c '	' "$QUERIES")"
    printf 'input\t%s\n' "$NEWS"
    printf 'rss_start_kib\t%s\n' "$RSS_START"
    printf 'rss_end_kib\t%s\n' "$RSS_END"
    printf 'cli\t%s\n' "$CLI"
    printf 'cli_related\t%s\n' "$CLI_R"
} > "$META"

mkdir -p bench/out
python3 bench/http-report.py "$RAW" "$SAMPLES" "$META" bench/out/http.json
