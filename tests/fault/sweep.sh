# Fault injection (make fault, part of make check): the indexer and the
# searcher linked with a wrapper built with TG_FAULT_INJECT, whose Nth
# call that reaches a database throws a Xapian DatabaseError
# (TG_FAULT_XAPIAN_AT=N), as a failing disk would. Each run is made once
# without a fault, logging its calls (TG_FAULT_XAPIAN_LOG), then once per
# chosen call with that call failing. Every failed run must exit with an
# error that names the database and what Xapian said, never crash, and
# print no results; a failed index run must leave a database that the
# next run completes to the same searches as a run that never failed.
#
# Searches: every call (fault_search.c). Index runs: every call of the rarer
# functions, and the first, middle and last of the others (the per-word
# spelling and synonym entries: a thousand calls for three files).
# TG_LONG=1 (make check-long): every call of the index runs too.
. tests/e2e/lib.inc
NAME=fault_sweep
FB=${FAULT_BIN:-build/fault}
case "$FB" in /*) ;; *) FB="$ROOT/$FB" ;; esac
IX="$BIN/indexer"; SX="$BIN/searcher"
FIX="$FB/indexer"; FSX="$FB/searcher"
CORPUS="$ROOT/corpus"
FIRST3=$(ls -d "$CORPUS"/* | sed -n 1,3p)
NEXT3=$(ls -d "$CORPUS"/* | sed -n 3,5p)
REFQ="camp liberty"
POINTS=0
# Index runs of the test build skip fsync (it is what takes their time).
TG_FAULT_XAPIAN_NOSYNC=1
export TG_FAULT_XAPIAN_NOSYNC

# crashed RC ERRFILE: a signal, or a sanitizer's report.
crashed() { [ "$1" -ge 128 ] || grep -q 'Sanitizer\|runtime error' "$2"; }

# picks LOG: the call numbers to fail, one a line.
picks() {
    awk -v all="${TG_LONG:-0}" '{ n[$2]++; at[$2, n[$2]] = $1 }
         END { for (f in n) {
                 if (all == 1 || n[f] <= 5) { for (i = 1; i <= n[f]; i++) print at[f, i] }
                 else for (k = 0; k <= 2; k++) print at[f, 1 + int(k * (n[f] - 1) / 2)]
               } }' "$1" | sort -n | uniq
}

# index_sweep WHAT BASE FILES...: index FILES into a copy of BASE (none:
# a new database), failing each call in turn.
index_sweep() {
    what=$1 base=$2
    shift 2
    rm -rf "$TMP/clean"
    [ -n "$base" ] && cp -r "$base" "$TMP/clean"
    TG_FAULT_XAPIAN_LOG="$TMP/log" "$FIX" -q -j 1 --db "$TMP/clean" "$@" 2>"$TMP/err"
    expect_status "$what: run without a fault" $? 0
    want=$("$SX" --db "$TMP/clean" --json -n 5 "$REFQ")
    calls=$(wc -l < "$TMP/log")
    for n in $(picks "$TMP/log"); do
        POINTS=$((POINTS + 1))
        rm -rf "$TMP/d"
        [ -n "$base" ] && cp -r "$base" "$TMP/d"
        TG_FAULT_XAPIAN_AT=$n "$FIX" -q -j 1 --db "$TMP/d" "$@" 2>"$TMP/err"
        rc=$?
        fn=$(sed -n "${n}p" "$TMP/log" | cut -d' ' -f2)
        if crashed $rc "$TMP/err"; then
            fail "$what: call $n of $calls ($fn) failing: crashed ($rc): $(head -c 300 "$TMP/err")"
            continue
        fi
        expect_status "$what: call $n of $calls ($fn) failing" $rc 3
        err=$(cat "$TMP/err")
        expect_contains "$what: call $n ($fn): the message" "$err" "injected fault"
        expect_contains "$what: call $n ($fn): the database named" "$err" "$TMP/d"
        # The next run, without a fault, completes the database.
        "$FIX" -q -j 1 --db "$TMP/d" "$@" 2>"$TMP/err2"
        expect_status "$what: call $n ($fn): the next run" $? 0
        got=$("$SX" --db "$TMP/d" --json -n 5 "$REFQ")
        expect_eq "$what: call $n ($fn): searches after the next run" "$got" "$want"
    done
    echo "  $what: $calls calls, $(picks "$TMP/log" | wc -l) failed in turn"
}

index_sweep "new database" "" $FIRST3
rm -rf "$TMP/base"
"$FIX" -q -j 1 --db "$TMP/base" $FIRST3 2>/dev/null
index_sweep "incremental run" "$TMP/base" $NEXT3

# Searches over the whole corpus. In process (fault_search): every call
# of some searches, completions and an article view fails in turn, on a
# fresh searcher and on one asked again. Through the command line: the
# exit status and output of the searcher, for the calls of one search.
DB="$TMP/db"
"$FIX" -q --db "$DB" "$CORPUS" 2>/dev/null
expect_status "index the corpus" $? 0
"$FB/fault_search" "$DB"
expect_status "fault_search" $? 0
q="camp liberty"
want=$("$SX" --db "$DB" --json -n 3 "$q" 2>&1)
got=$(TG_FAULT_XAPIAN_LOG="$TMP/log" "$FSX" --db "$DB" --json -n 3 "$q" 2>&1)
expect_eq "searcher '$q': the test build without a fault" "$got" "$want"
calls=$(wc -l < "$TMP/log")
for n in $(picks "$TMP/log"); do
    POINTS=$((POINTS + 1))
    TG_FAULT_XAPIAN_AT=$n "$FSX" --db "$DB" --json -n 3 "$q" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    fn=$(sed -n "${n}p" "$TMP/log" | cut -d' ' -f2)
    what="searcher '$q': call $n of $calls ($fn) failing"
    if crashed $rc "$TMP/err"; then
        fail "$what: crashed ($rc): $(head -c 300 "$TMP/err")"
        continue
    fi
    [ $rc -ne 0 ] && ok || fail "$what: exit status 0 (the failure was swallowed)"
    err=$(cat "$TMP/err")
    expect_contains "$what: the message" "$err" "injected fault"
    expect_contains "$what: the database named" "$err" "$DB"
    expect_eq "$what: results printed" "$(wc -c < "$TMP/out")" 0
done
echo "  searcher '$q': $calls calls, $(picks "$TMP/log" | wc -l) failed in turn"
echo "  $POINTS injection points by the command line"
finish
