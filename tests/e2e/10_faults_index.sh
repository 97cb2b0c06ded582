#!/bin/sh
# Inputs that broke the indexer (issue 21; tests/data/faults): each now
# ends, quickly, with the right articles indexed. The time bounds are
# generous (ASan builds run here too): they catch hangs, not slowness.
. tests/e2e/lib.inc
F=$ROOT/tests/data/faults

# run_bounded SECONDS CMD...: runs CMD, killing it after SECONDS; sets rc
# (124 when it had to be killed) and took (whole seconds).
run_bounded() {
    lim=$1; shift
    t0=$(date +%s)
    timeout -s KILL "$lim" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?
    took=$(( $(date +%s) - t0 ))
    [ $rc -eq 137 ] && rc=124
}

# A namespace on <channel>: the full text (content:encoded), not the
# summary, is what is indexed (it was read from freed memory, and lost).
run_bounded 30 "$BIN/indexer" --db "$TMP/ns" "$F/rss-channel-ns-fulltext.xml"
expect_status "channel namespace: indexer" "$rc" 0
j=$("$BIN/searcher" --db "$TMP/ns" --json fulltextmarker)
expect_eq "channel namespace: full text searchable" "$(json_get "$j" 'j["total"]')" 1
j=$("$BIN/searcher" --db "$TMP/ns" --json summaryonly)
expect_eq "channel namespace: the summary is not what was indexed" "$(json_get "$j" 'j["total"]')" 0

# Every fault file: ends, without a crash (ASan aborts with status 1 and
# a report; a signal gives 128+), with nothing worse than bad entries.
for f in "$F"/uaf-*.xml "$F"/hang-*.xml; do
    b=$(basename "$f")
    run_bounded 30 "$BIN/indexer" --db "$TMP/db-$b" "$f"
    case $rc in 0|1) ok ;; *) fail "$b: exit status $rc: $(head -c 300 "$TMP/err")" ;; esac
    expect_not_contains "$b: no sanitizer report" "$(cat "$TMP/err")" "Sanitizer"
    lines=$(wc -l <"$TMP/err")
    [ "$lines" -lt 30 ] && ok || fail "$b: $lines lines of messages"
done

# An encoding libxml2 does not know: one note, the entry read as UTF-8.
run_bounded 30 "$BIN/indexer" --db "$TMP/enc" "$F/hang-unsupported-encoding.xml"
expect_status "unknown encoding: indexer" "$rc" 0
expect_contains "unknown encoding: the note" "$(cat "$TMP/err")" 'encoding "f" is not one this system knows'
expect_contains "unknown encoding: the entry is read" "$(cat "$TMP/err")" "1 new"
expect_eq "unknown encoding: one note" "$(grep -c 'encoding "f"' "$TMP/err")" 1

# 200,000 bare '&' before a ';' (libxml2's look-ahead made it quadratic:
# 11 s), and the article around them still indexed.
{ printf '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>amp</id><title>Ampersand storm</title><content>stormword '
  head -c 200000 /dev/zero | tr '\0' '&'
  printf ';</content></entry></feed>\n'; } >"$TMP/amp.xml"
run_bounded 10 "$BIN/indexer" --db "$TMP/amp" "$TMP/amp.xml"
expect_status "200k ampersands: indexer (within 10 s)" "$rc" 0
j=$("$BIN/searcher" --db "$TMP/amp" --json stormword)
expect_eq "200k ampersands: the article is searchable" "$(json_get "$j" 'j["total"]')" 1

# A folder with two links to its parent: walked once, one note, the
# article indexed once; a link to a file is followed, the file read once.
mkdir -p "$TMP/top/a"
cp "$ROOT/corpus/001_ce338880663e8ce4.txt" "$TMP/top/a/"
ln -s .. "$TMP/top/a/u1"
ln -s .. "$TMP/top/a/u2"
ln -s a/001_ce338880663e8ce4.txt "$TMP/top/z-link.txt"
run_bounded 30 "$BIN/indexer" --db "$TMP/cyc" "$TMP/top"
expect_status "link cycle: indexer" "$rc" 0
expect_eq "link cycle: one note" "$(grep -c 'folder already read' "$TMP/err")" 1
expect_contains "link cycle: one article" "$(cat "$TMP/err")" "1 file read"
expect_contains "link cycle: one article held" "$(cat "$TMP/err")" "holds 1 article "

# SIGTERM and SIGINT, with the reader waiting on a pipe that never ends,
# after articles were read: exit 130 promptly, those articles committed.
# Serial and parallel (--jobs 2: committed shards, merged by the next run).
for sig in TERM INT; do
for jobs in 1 2; do
    db=$TMP/sig-$sig-$jobs
    mkfifo "$TMP/pipe-$sig-$jobs"
    rm -f "$TMP/drained"
    python3 - "$TMP/pipe-$sig-$jobs" "$TMP/drained" <<'PY' &
import fcntl, struct, sys, termios, time
with open(sys.argv[1], "w") as f:
    for i in range(500):
        f.write('{"id": "p%d", "title": "Piped %d", "body": "pipedword%d flows in"}\n' % (i, i, i))
    f.flush()
    # The pipe stays open, silent; says when the indexer has read it all.
    while struct.unpack("i", fcntl.ioctl(f.fileno(), termios.FIONREAD, b"\0" * 4))[0]:
        time.sleep(0.05)
    open(sys.argv[2], "w").close()
    time.sleep(120)
PY
    wpid=$!
    "$BIN/indexer" --db "$db" --jobs $jobs "$TMP/pipe-$sig-$jobs" 2>"$TMP/err" &
    pid=$!
    i=0
    while [ ! -e "$TMP/drained" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    # Read, then indexed (500 short articles: well within a second).
    sleep 1
    t0=$(date +%s%N)
    kill -$sig $pid
    i=0
    while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if kill -0 $pid 2>/dev/null; then
        fail "SIG$sig jobs $jobs: still running 10 s after the signal"
        kill -9 $pid
    fi
    wait $pid; rc=$?
    kill $wpid 2>/dev/null; wait $wpid 2>/dev/null
    echo "  [$NAME] SIG$sig, jobs $jobs: exited in $ms ms" >&2
    expect_status "SIG$sig jobs $jobs" "$rc" 130
    [ $ms -lt 5000 ] && ok || fail "SIG$sig jobs $jobs: took $ms ms to exit"
    expect_contains "SIG$sig jobs $jobs: message" "$(cat "$TMP/err")" "interrupted; everything indexed so far is committed"
    expect_not_contains "SIG$sig jobs $jobs: no failure reported" "$(cat "$TMP/err")" "file failed"
    # Everything added before the signal is committed: the count the
    # indexer gives is what the database holds, and more than none.
    held=$(sed -n 's/.* holds \([0-9]*\) article.*/\1/p' "$TMP/err")
    [ "${held:-0}" -gt 0 ] && ok || fail "SIG$sig jobs $jobs: nothing committed: $(cat "$TMP/err")"
    j=$("$BIN/searcher" --db "$db" --json flows)
    expect_eq "SIG$sig jobs $jobs: the articles added are searchable" "$(json_get "$j" 'j["total"]')" "$held"
    j=$("$BIN/searcher" --db "$db" --json pipedword0)
    expect_eq "SIG$sig jobs $jobs: the first article is searchable" "$(json_get "$j" 'j["total"]')" 1
    [ $sig = TERM ] && [ $jobs = 2 ] && held_term2=$held
done
done
# The interrupted parallel build is merged by the next run.
run_bounded 60 "$BIN/indexer" --db "$TMP/sig-TERM-2" "$F/rss-channel-ns-fulltext.xml"
expect_contains "merged after the interrupted build" "$(cat "$TMP/err")" "finished an interrupted parallel build"
expect_contains "all articles kept, one more added" "$(cat "$TMP/err")" "holds $((held_term2 + 1)) articles"
finish
