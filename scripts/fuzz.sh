#!/bin/sh
# Runs libFuzzer targets (make fuzz): each for FUZZ_S seconds, one after
# another, from the seeds of tests/fuzz/seeds.sh, the inputs kept under
# tests/data/fuzz-regress/<target>/ and its own growing corpus under
# build/fuzz/corpus/<target>/. A crash, leak, timeout (FUZZ_TIMEOUT s for
# one input) or out-of-memory leaves its input in build/fuzz/crashes/ and
# fails the run. Prints a table of executions per target.
#   usage: scripts/fuzz.sh BINDIR [TARGET...]   (FUZZ_S=60 FUZZ_TIMEOUT=10)
set -u
BINDIR=$1; shift
S=${FUZZ_S:-60}
TIMEOUT=${FUZZ_TIMEOUT:-10}
OUT=build/fuzz
targets=${*:-$(ls "$BINDIR")}
mkdir -p "$OUT/corpus" "$OUT/seeds" "$OUT/crashes" "$OUT/logs"
stats="$OUT/stats.tsv"
[ -f "$stats" ] || printf 'target\tseconds\texecutions\tcorpus\tresult\n' > "$stats"
fail=0
printf '%-16s %8s %12s %8s  %s\n' target seconds executions corpus result
for t in $targets; do
    seeds="$OUT/seeds/$t"; rm -rf "$seeds"; mkdir -p "$seeds" "$OUT/corpus/$t" "$OUT/crashes/$t"
    # Seeds are links to the fixtures (no copies), gzipped for the gzip path.
    for f in $(sh tests/fuzz/seeds.sh "$t"); do
        if [ "$t" = reader_gzip ]; then gzip -c "$f" > "$seeds/$(basename "$f").gz"
        else ln -sf "$PWD/$f" "$seeds/$(basename "$f")"; fi
    done
    regress=tests/data/fuzz-regress/$t
    [ -d "$regress" ] || regress=
    log="$OUT/logs/$t.log"
    # libFuzzer ends with _Exit, so the targets' temporary database
    # (tests/fuzz/support.c) is removed here.
    tmp="$OUT/tmp/$t"; rm -rf "$tmp"; mkdir -p "$tmp"
    t0=$(date +%s)
    TMPDIR=$PWD/$tmp "$BINDIR/$t" -max_total_time="$S" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$OUT/crashes/$t/" \
        "$OUT/corpus/$t" "$seeds" $regress > "$log" 2>&1
    rc=$?
    rm -rf "$tmp"
    secs=$(( $(date +%s) - t0 ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    ncorp=$(ls "$OUT/corpus/$t" | wc -l)
    if [ $rc -eq 0 ]; then result=ok; else result="FAILED (rc $rc, $log)"; fail=1; fi
    printf '%-16s %8s %12s %8s  %s\n' "$t" "$secs" "${execs:-?}" "$ncorp" "$result"
    printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$secs" "${execs:-?}" "$ncorp" "$result" >> "$stats"
    [ $rc -eq 0 ] || grep -m3 -E 'ERROR|SUMMARY|oracle|Test unit written' "$log" | sed 's/^/    /'
done
exit $fail
