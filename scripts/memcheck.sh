#!/bin/sh
# make memcheck: the end-to-end paths under valgrind's memcheck. Indexes
# corpus/ and the reader fixtures (serially, in parallel, gzipped, again
# incrementally), runs a handful of searches on the command line, then
# serves MEMCHECK_REQUESTS requests (default 300) over every route with
# curl and stops the server with SIGTERM. Fails on any memcheck error:
# an invalid read or write, a use of uninitialised memory, or a leak
# ("definitely lost" or "indirectly lost" above 0). Memory still reachable
# at exit (libraries' caches) is not a leak. Searches get a 60 s deadline:
# valgrind runs them 20 to 50 times slower. Logs: build/memcheck/.
#   usage: BIN=bin sh scripts/memcheck.sh
set -u
BIN=${BIN:-bin}
N=${MEMCHECK_REQUESTS:-300}
OUT=build/memcheck
command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
command -v curl >/dev/null || { echo "memcheck: curl is not installed" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tg_memcheck_XXXXXX")
SRV=
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

# tests/memcheck.supp: third-party noise only (see the file).
VG="valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --track-fds=no --num-callers=30 \
--suppressions=tests/memcheck.supp"
runs=0 fails=0
# run NAME CMD...: one program under memcheck; its log is $OUT/NAME.log.
run() {
    name=$1; shift
    runs=$((runs + 1))
    $VG --log-file="$OUT/$name.log" "$@" > "$OUT/$name.out" 2>&1
    rc=$?
    check "$name" "$rc"
}
check() {
    if [ "$2" -eq 99 ] || grep -q 'ERROR SUMMARY: [1-9]' "$OUT/$1.log" 2>/dev/null ||
       grep -qE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Mismatched)' "$OUT/$1.log"; then
        fails=$((fails + 1))
        echo "memcheck: $1: FAILED (rc $2), see $OUT/$1.log:"
        grep -m 12 -E '^==[0-9]+== ([A-Z]|   (at|by) )' "$OUT/$1.log" | sed 's/^/    /'
    else
        echo "memcheck: $1: clean (rc $2)"
    fi
}

gzip -c tests/data/reader/wordpress.xml > "$TMP/wordpress.xml.gz"
run index       "$BIN/indexer" --db "$TMP/db" corpus tests/data/reader "$TMP/wordpress.xml.gz"
run index-again "$BIN/indexer" --db "$TMP/db" --prune corpus tests/data/reader "$TMP/wordpress.xml.gz"
run index-jobs  "$BIN/indexer" --db "$TMP/pdb" -j 2 --comments corpus tests/data/reader
i=0
for q in 'tigris floods' '"Camp Liberty" OR KH' '+museum -iran title:looted' 'Hizballah 2015..2017' \
         'zzzqqqxyz' 'id:2018-03-05-iraq-museum'; do
    i=$((i + 1))
    run "search$i" "$BIN/searcher" --db "$TMP/db" --timeout 60000 --explain --related "$q"
    i=$((i + 1))
    run "search$i" "$BIN/searcher" --db "$TMP/pdb" --timeout 60000 --json --passages --from 2000 "$q"
done

# The server: port 0 picks a free one, printed on its first line.
$VG --log-file="$OUT/serve.log" "$BIN/searcher" --db "$TMP/db" --serve 127.0.0.1:0 --threads 2 --timeout 60000 \
    --cache 1 --access-log "$OUT/access.log" > "$OUT/serve.out" 2>&1 &
SRV=$!
runs=$((runs + 1))
port=
for _ in $(seq 1 300); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$OUT/serve.out")
    [ -n "$port" ] && break
    sleep 0.2
done
[ -n "$port" ] || { echo "memcheck: the server did not start:"; cat "$OUT/serve.out"; exit 1; }
U=http://127.0.0.1:$port
set -- "/" "/?q=tigris+floods" "/?q=camp+li&partial=1&fragment=1" \
    "/search?q=%22Kataib+Hezbollah%22&page=2&size=5&sort=date&from=2015&to=2017-12" \
    "/api/search?q=museum&years=0&related=0" "/api/search?q=flood&tag=iraq" "/api/suggest?q=hez" \
    "/api/article/2018-03-05-iraq-museum?q=museum" "/article/2018-03-05-iraq-museum?q=looted" \
    "/healthz" "/static/style.css" "/widget.js" "/api/search?q=x&page=99999999" "/api/nothing" \
    "/%zz?q=%C3%28" "/api/search?q=%FF" "/article/no-such-id"
sent=0 ok=0
while [ $sent -lt "$N" ]; do
    for path in "$@"; do
        [ $sent -lt "$N" ] || break
        # a distinct query now and then, so the cache does not answer all
        case $((sent % 3)),$path in 0,*q=*) path=$(printf '%s' "$path" | sed "s/q=/q=w$sent+/") ;; esac
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$U$path")
        sent=$((sent + 1))
        case $code in [2345]??) ok=$((ok + 1)) ;; esac
    done
done
kill -TERM "$SRV"
wait "$SRV"
rc=$?
SRV=
check serve "$rc"
echo "memcheck: server answered $ok of $sent requests"
[ "$ok" -eq "$sent" ] || fails=$((fails + 1))
echo "memcheck: $runs runs, $fails failed"
[ "$fails" -eq 0 ]
