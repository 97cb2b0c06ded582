#!/bin/sh
# Searching shards (issue 15): two shards of corpus/, searched through a
# local stub and through two xapian-tcpsrv shard servers with a lexicon,
# rank exactly as one database of the same articles and give the same
# entity answers (aliases, variants, "Showing results for"), on the
# command line and through the HTTP API. With one shard server stopped,
# the answer comes from the other shard within a deadline and says
# partial; --complete fails naming the shard.
. tests/e2e/lib.inc

if ! command -v xapian-tcpsrv >/dev/null 2>&1; then
    echo "  skip [$NAME]: xapian-tcpsrv not installed (Debian: xapian-tools)"
    exit 0
fi

TCP_PIDS=""
cleanup() {
    for p in $TCP_PIDS; do kill "$p" 2>/dev/null; done
    [ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

# The databases: FULL holds every article of corpus/ in one database,
# $TMP/sharded.db the same in two kept shards (indexer --shards 2: shard-0,
# shard-1 and the lexicon the remote shards are read with). FULL is built
# with -j 2, whose two build shards take the same articles as the kept
# ones (the same id hash), so both learn the same names.
build_dbs() {
    set -- corpus/*.txt
    "$BIN/indexer" -q -j 2 --db "$TMP/full.db" "$@" || fail "indexing corpus/"
    "$BIN/indexer" -q --shards 2 --db "$TMP/sharded.db" "$@" || fail "indexing corpus/ in 2 shards"
    FULL=$TMP/full.db
    SHARD0=$TMP/sharded.db/shard-0
    SHARD1=$TMP/sharded.db/shard-1
    LEX=$TMP/sharded.db/lexicon
}
build_dbs

# start_tcpsrv DB [PORT]: serves DB on PORT, else on a free loopback
# port; sets TCP_PID and TCP_PORT. A port another process took between
# the look and the bind makes xapian-tcpsrv exit: then another port.
start_tcpsrv() {
    TCP_PID="" TCP_PORT=""
    for _try in 1 2 3 4 5; do
        if [ $# -gt 1 ]; then
            _port=$2
        else
            _port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        fi
        # Its own process group: xapian-tcpsrv stopping signals its whole
        # group (its connection processes), which would take this test.
        python3 -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' \
            xapian-tcpsrv --interface 127.0.0.1 --port "$_port" "$1" \
            >"$TMP/tcpsrv.$_port.log" 2>&1 &
        _pid=$!
        _i=0
        while [ $_i -lt 50 ]; do
            kill -0 "$_pid" 2>/dev/null || break
            if python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$_port" 2>/dev/null; then
                sleep 0.2
                if kill -0 "$_pid" 2>/dev/null; then
                    TCP_PID=$_pid TCP_PORT=$_port
                    TCP_PIDS="$TCP_PIDS $_pid"
                    return 0
                fi
                break
            fi
            sleep 0.1
            _i=$((_i + 1))
        done
        kill "$_pid" 2>/dev/null
        wait "$_pid" 2>/dev/null
    done
    return 1
}

start_tcpsrv "$SHARD0" || { fail "xapian-tcpsrv for shard 0 did not start"; finish; }
PID0=$TCP_PID PORT0=$TCP_PORT
start_tcpsrv "$SHARD1" || { fail "xapian-tcpsrv for shard 1 did not start"; finish; }
PID1=$TCP_PID PORT1=$TCP_PORT

mkdir -p "$TMP/stubs"
LOCAL=$TMP/stubs/local
printf '# two local shards\nauto ../sharded.db/shard-0\nglass ../sharded.db/shard-1\n' >"$LOCAL"
REMOTE=$TMP/stubs/remote
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n# tigris-lexicon: ../full.db\n' \
    "$PORT0" "$PORT1" >"$REMOTE"
DEAD="remote 127.0.0.1:$PORT1"

# same WHAT JSON_A JSON_B: the same ids in the same order, scores equal
# within 1e-6 relative, the same expansions and "Showing results for"
# (not the same estimated total: Xapian estimates it otherwise for remote
# shards).
same() {
    printf '%s\n%s\n' "$2" "$3" | python3 -c '
import json, sys
a, b = (json.loads(l) for l in sys.stdin.read().split("\n")[:2])
ia = [h["id"] for h in a["results"]]; ib = [h["id"] for h in b["results"]]
if ia != ib: sys.exit("ids %s vs %s" % (ia, ib))
for x, y in zip(a["results"], b["results"]):
    if abs(x["score"] - y["score"]) > 1e-6 * max(abs(x["score"]), abs(y["score"]), 1e-9):
        sys.exit("score of %s: %r vs %r" % (x["id"], x["score"], y["score"]))
for k in ("expansions", "showing_results_for", "suggestion"):
    if a.get(k) != b.get(k): sys.exit("%s: %r vs %r" % (k, a.get(k), b.get(k)))
if not ia: sys.exit("no results")
' 2>"$TMP/same.err" && ok || fail "$1: $(cat "$TMP/same.err")"
}

QUERIES="kataib_hezbollah hizbolah KH camp_liberty Hizballah iran_militias
why_did_the_militias_attack_camp_liberty_in_iraq"
for q in $QUERIES; do
    q=$(printf '%s' "$q" | tr _ ' ')
    one=$("$BIN/searcher" --db "$FULL" --json -n 8 "$q")
    loc=$("$BIN/searcher" --db "$LOCAL" --json -n 8 "$q")
    rem=$("$BIN/searcher" --db "$REMOTE" --json -n 8 "$q" 2>"$TMP/rem.err")
    two=$("$BIN/searcher" --db "$SHARD0" --db "$SHARD1" --json -n 8 "$q")
    dir=$("$BIN/searcher" --db "$TMP/sharded.db" --json -n 8 "$q")
    same "the indexer's shard folder vs one database, '$q'" "$one" "$dir"
    same "local stub vs one database, '$q'" "$one" "$loc"
    same "remote shards + lexicon vs one database, '$q'" "$one" "$rem"
    same "two --db vs one database, '$q'" "$one" "$two"
    expect_eq "remote: partial, '$q'" "$(json_get "$rem" 'j["partial"]')" "False"
    expect_eq "remote: shards_failed, '$q'" "$(json_get "$rem" 'j["shards_failed"]')" "[]"
    expect_eq "remote: nothing on stderr, '$q'" "$(cat "$TMP/rem.err")" ""
done
# --complete with every shard up answers as usual.
rem=$("$BIN/searcher" --db "$REMOTE" --complete --json -n 8 KH)
expect_status "--complete, every shard up" $? 0
same "--complete, every shard up" "$("$BIN/searcher" --db "$FULL" --json -n 8 KH)" "$rem"
# The entity answers are there (not merely equal for lack of them).
rem=$("$BIN/searcher" --db "$REMOTE" --json KH)
expect_contains "remote: KH's alias" "$(json_get "$rem" 'j["expansions"]')" "KH = Kataib Hezbollah"
rem=$("$BIN/searcher" --db "$REMOTE" --json hizbolah)
expect_eq "remote: showing results for" "$(json_get "$rem" 'j["showing_results_for"]')" "hizbollah"

# Remote shards without a lexicon: a warning, and no aliases.
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$PORT0" "$PORT1" >"$TMP/stubs/nolex"
"$BIN/searcher" --db "$TMP/stubs/nolex" --json KH >/dev/null 2>"$TMP/nolex.err"
expect_contains "no lexicon: warning" "$(cat "$TMP/nolex.err")" "without a lexicon"
rem=$("$BIN/searcher" --db "$TMP/stubs/nolex" --lexicon "$LEX" --json KH 2>"$TMP/nolex.err")
same "--lexicon vs one database, 'KH'" "$("$BIN/searcher" --db "$FULL" --json KH)" "$rem"
expect_eq "--lexicon: no warning" "$(cat "$TMP/nolex.err")" ""

# A bad stub line is an error naming the file and the line.
printf 'auto ../sharded.db/shard-0\nremot 127.0.0.1:1\n' >"$TMP/stubs/bad"
out=$("$BIN/searcher" --db "$TMP/stubs/bad" KH 2>&1)
expect_status "bad stub" $? 3
expect_contains "bad stub: file and line" "$out" "$TMP/stubs/bad:2:"

# The same through the HTTP API, before a shard server stops.
start_server "$FULL" -q || fail "server on the single database did not start"
api_one_kh=$(http_get "/api/search?q=KH")
api_one_cl=$(http_get "/api/search?q=camp+liberty")
stop_server
start_server "$REMOTE" -q --shard-timeout 1000 --shard-retry 500 ||
    fail "server on the remote shards did not start"
same "API: remote shards vs one database, 'KH'" "$api_one_kh" "$(http_get "/api/search?q=KH")"
same "API: remote shards vs one database, 'camp liberty'" "$api_one_cl" \
    "$(http_get "/api/search?q=camp+liberty")"

# Shard 0's server is frozen (SIGSTOP: slow, not down): a new search
# gives up on it after --shard-timeout and answers from shard 1, partial.
kill -STOP "$PID0"
start=$(date +%s)
got=$(timeout 20 "$BIN/searcher" --db "$REMOTE" --shard-timeout 1000 --json -n 8 KH 2>/dev/null)
took=$(($(date +%s) - start))
kill -CONT "$PID0"
[ "$took" -le 6 ] && ok || fail "a frozen shard held the answer ${took}s (timeout 1s)"
expect_eq "frozen shard: partial" "$(json_get "$got" 'j["partial"]')" "True"
expect_eq "frozen shard: named" "$(json_get "$got" 'j["shards_failed"][0]["shard"]')" \
    "remote 127.0.0.1:$PORT0"

# Shard 1's server stops. The answer is shard 0's alone (as searched
# alone with the same lexicon), says partial and which shard, and comes
# within the deadline.
kill "$PID1"
wait "$PID1" 2>/dev/null
alone=$("$BIN/searcher" --db "$SHARD0" --lexicon "$LEX" --json -n 8 KH)
start=$(date +%s)
got=$(timeout 20 "$BIN/searcher" --db "$REMOTE" --shard-timeout 1000 --json -n 8 KH \
      2>"$TMP/partial.err")
expect_status "partial search" $? 0
took=$(($(date +%s) - start))
[ "$took" -le 10 ] && ok || fail "partial answer took ${took}s (deadline 10s)"
same "partial: shard 0's answer" "$alone" "$got"
expect_eq "partial flag" "$(json_get "$got" 'j["partial"]')" "True"
expect_eq "failed shard" "$(json_get "$got" 'j["shards_failed"][0]["shard"]')" "$DEAD"
expect_eq "one failed shard" "$(json_get "$got" 'len(j["shards_failed"])')" "1"
expect_contains "partial: stderr" "$(cat "$TMP/partial.err")" \
    "searcher: partial results: shard $DEAD failed:"
# Text output says so on stderr too.
"$BIN/searcher" --db "$REMOTE" KH >/dev/null 2>"$TMP/partial.err"
expect_contains "partial: text stderr" "$(cat "$TMP/partial.err")" "partial results: shard $DEAD"
# --complete: exit 3, naming the shard.
out=$(timeout 20 "$BIN/searcher" --db "$REMOTE" --complete --json KH 2>&1)
expect_status "--complete" $? 3
expect_contains "--complete names the shard" "$out" "$DEAD"

# The running server had both shards open: its next answer is partial.
start=$(date +%s)
api=$(http_get "/api/search?q=KH")
expect_eq "API partial: status" "$(http_status)" "200"
took=$(($(date +%s) - start))
[ "$took" -le 10 ] && ok || fail "API partial answer took ${took}s"
same "API partial: shard 0's answer" "$alone" "$api"
expect_eq "API partial flag" "$(json_get "$api" 'j["partial"]')" "True"
expect_eq "API failed shard" "$(json_get "$api" 'j["shards_failed"][0]["shard"]')" "$DEAD"
page=$(http_get "/?q=KH")
expect_contains "page: partial notice" "$page" "Partial results"
expect_contains "page: names the shard" "$page" "$DEAD"
# Shard 1 comes back on its port: after --shard-retry the answers are
# whole again.
if start_tcpsrv "$SHARD1" "$PORT1" 2>/dev/null; then
    PID1=$TCP_PID
    _i=0
    api=""
    while [ $_i -lt 40 ]; do
        api=$(http_get "/api/search?q=KH")
        [ "$(json_get "$api" 'j["partial"]')" = "False" ] && break
        sleep 0.25
        _i=$((_i + 1))
    done
    same "API after the shard came back" "$api_one_kh" "$api"
    expect_eq "API after the shard came back: shards_failed" \
        "$(json_get "$api" 'j["shards_failed"]')" "[]"
    # An article added to the shards while they serve: the running
    # front end sees it at its next request (what it remembered of
    # the shards' terms goes with the old revision), its name included.
    mkdir -p "$TMP/late"
    printf 'Monday, May 4, 2020\n\nQuxbridge Relief Convoy\n\nThe Quxbridge relief convoy reached Camp Liberty on Monday.\n' \
        >"$TMP/late/999_quxbridge.txt"
    # (a shard server slower than --shard-timeout on this loaded machine
    # gives a partial answer: asked again once it is back; the count
    # before the addition too, or a partial count makes the check fail)
    whole() {
        _i=0
        while [ $_i -lt 40 ]; do
            _a=$(http_get "$1")
            [ "$(json_get "$_a" 'j["partial"]')" = "False" ] && break
            sleep 0.25
            _i=$((_i + 1))
        done
        printf '%s' "$_a"
    }
    before=$(json_get "$(whole "/api/search?q=camp+liberty")" 'j["total"]')
    "$BIN/indexer" -q --db "$TMP/sharded.db" "$TMP/late" || fail "adding to the served shards"
    api=$(whole "/api/search?q=quxbridge")
    expect_eq "API: a new article on a served shard" "$(json_get "$api" '[r["id"] for r in j["results"]]')" \
        '["999_quxbridge"]'
    after=$(json_get "$(whole "/api/search?q=camp+liberty")" 'j["total"]')
    expect_eq "API: the new article counts for a name" "$after" "$((before + 1))"
    kill "$PID1"
    wait "$PID1" 2>/dev/null
else
    echo "  note [$NAME]: port $PORT1 taken again, the shard's return not tested"
fi
stop_server
expect_status "server stops cleanly" "$SRV_RC" 0

# A server with --complete answers 503 naming the shard.
start_server "$REMOTE" -q --complete --shard-timeout 1000 ||
    fail "server with --complete did not start"
api=$(http_get "/api/search?q=KH")
expect_eq "API --complete: status" "$(http_status)" "503"
expect_contains "API --complete names the shard" "$api" "$DEAD"
stop_server
SRV_PID=""

finish
