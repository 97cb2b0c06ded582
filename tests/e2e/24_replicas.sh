#!/bin/sh
# Replicas of a database kept in shards, kept current by Xapian's own
# replication (README, "Scaling out"): the indexer writes changesets
# (XAPIAN_MAX_CHANGESETS), xapian-replicate-server serves the shard
# folder, xapian-replicate pulls each shard and the lexicon into a replica
# folder; the replica answers exactly as the master, before and after an
# incremental run; two front ends, one per copy, behind one nginx
# upstream share the reads. Skipped without xapian-tools; the nginx part
# without nginx.
. tests/e2e/lib.inc
for t in xapian-replicate xapian-replicate-server; do
    command -v $t >/dev/null 2>&1 || { echo "  skip [$NAME]: no $t (Debian: xapian-tools)"; exit 0; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$TMP"' EXIT

MASTER=$TMP/master/news.db
REPLICA=$TMP/replica
mkdir -p "$TMP/master" "$REPLICA" "$TMP/in" "$TMP/later"
for f in corpus/*.txt; do
    case $f in */02[5-9]_*|*/030_*) cp "$f" "$TMP/later/" ;; *) cp "$f" "$TMP/in/" ;; esac
done
export XAPIAN_MAX_CHANGESETS=10
"$BIN/indexer" -q --db "$MASTER" --shards 2 "$TMP/in" || fail "indexing the master"

RPORT=$(free_port)
# Its own session: stopping, it signals its whole process group, which
# would take this test (and make) with it.
# (always run in the background: exec makes $! the server's own pid, so
# the trap's kill reaches it, not a subshell that leaves it running)
own_session() { exec python3 -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
own_session xapian-replicate-server --interface 127.0.0.1 --port "$RPORT" "$TMP/master/news.db" \
    >"$TMP/replicate-server.log" 2>&1 &
PIDS="$PIDS $!"

# replicate: one pass over every shard and the lexicon; their messages
# into $TMP/replicate.log.
replicate() {
    : >"$TMP/replicate.log"
    for d in shard-0 shard-1 lexicon; do
        _i=0
        until xapian-replicate -v -h 127.0.0.1 -p "$RPORT" -m "$d" -o "$REPLICA/$d" \
                >>"$TMP/replicate.log" 2>&1; do
            _i=$((_i + 1))
            [ $_i -lt 50 ] || return 1
            sleep 0.1
        done
    done
}
replicate || fail "first replication: $(tail -3 "$TMP/replicate.log")"
printf 'auto shard-0\nauto shard-1\n# tigris-lexicon: lexicon\n' >"$REPLICA/XAPIANDB"

# answer DB QUERY: ids, rounded scores and what the query was widened to.
answer() {
    "$BIN/searcher" --db "$1" --json -n 20 "$2" | python3 -c '
import json, sys
j = json.load(sys.stdin)
print(j["total"], [(r["id"], round(r["score"], 6)) for r in j["results"]],
      j["expansions"], j["showing_results_for"], j["suggestion"])'
}
QUERIES="kataib_hezbollah KH camp_liberty hizbolah mujahedin badr_organization"
same_answers() {   # WHEN
    for q in $QUERIES; do
        q=$(echo "$q" | tr _ ' ')
        a=$(answer "$MASTER" "$q")
        b=$(answer "$REPLICA" "$q")
        expect_eq "$1: replica answers '$q' as the master" "$b" "$a"
    done
}
same_answers "after the first copy"
n=$(answer "$REPLICA" "kataib hezbollah" | cut -d' ' -f1)
[ "$n" -gt 0 ] || fail "the replica finds nothing for kataib hezbollah"

# An incremental run on the master reaches the replica as changesets.
"$BIN/indexer" -q --db "$MASTER" "$TMP/later" || fail "adding to the master"
replicate || fail "second replication: $(tail -3 "$TMP/replicate.log")"
expect_contains "the shards travel as changesets" "$(cat "$TMP/replicate.log")" "1 changesets"
docs() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }
expect_eq "the replica has every article" "$(docs "$REPLICA")" "$(docs "$MASTER")"
expect_eq "the master has every article" "$(docs "$MASTER")" 30
same_answers "after an incremental run"
late=$(basename "$(ls "$TMP"/later/*.txt | tail -1)" .txt)
expect_contains "the new article is in the replica" \
    "$("$BIN/searcher" --db "$REPLICA" --json "id:$late")" "\"id\":\"$late\""

# ---- a front end per copy, nginx spreading the reads over them
if ! command -v nginx >/dev/null 2>&1; then
    echo "  skip [$NAME]: no nginx"
    finish
fi
start_server "$MASTER" --per-ip 0 || fail "searcher --serve on the master did not start"
P1=$PORT
PIDS="$PIDS $SRV_PID"
mv "$TMP/server.log" "$TMP/server1.log"
start_server "$REPLICA" --per-ip 0 || fail "searcher --serve on the replica did not start"
P2=$PORT
PIDS="$PIDS $SRV_PID"
NPORT=$(free_port)
mkdir -p "$TMP/nginx/logs"
user=""
[ "$(id -u)" = 0 ] && user="user root;"
cat >"$TMP/nginx/nginx.conf" <<CONF
$user
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    upstream tigris_replicas {
        server 127.0.0.1:$P1;
        server 127.0.0.1:$P2;
    }
    server {
        listen 127.0.0.1:$NPORT;
        location / { proxy_pass http://tigris_replicas; }
    }
}
CONF
own_session nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" >"$TMP/nginx/out" 2>&1 &
PIDS="$PIDS $!"
i=0
until curl -s -o /dev/null "http://127.0.0.1:$NPORT/api/search?q=x" || [ $i -ge 50 ]; do
    sleep 0.1; i=$((i + 1))
done
first=""
k=0
while [ $k -lt 10 ]; do
    body=$(curl -s "http://127.0.0.1:$NPORT/api/search?q=kataib+hezbollah&n=5" |
           python3 -c 'import json,sys; j=json.load(sys.stdin); print([r["id"] for r in j["results"]])')
    [ -n "$first" ] || first=$body
    expect_eq "request $k through nginx" "$body" "$first"
    k=$((k + 1))
done
a1=$(grep -c 'GET /api/search' "$TMP/server1.log" || true)
a2=$(grep -c 'GET /api/search' "$TMP/server.log" || true)
[ "$a1" -ge 3 ] && [ "$a2" -ge 3 ] && ok ||
    fail "reads not spread over both copies (master $a1, replica $a2 of 10)"
expect_not_contains "an answer" "$first" "[]"
finish
