#!/bin/sh
# contrib/: the systemd units pass `systemd-analyze verify` (with the
# programs' paths pointed at this build) and their command lines, expanded
# from /etc/default/tigris, run; the nginx site passes `nginx -t` and,
# in front of a real searcher, serves /search, /api/search and a cached
# /api/suggest. Each part is skipped when its tool is absent.
. tests/e2e/lib.inc
DB=$TMP/db
"$BIN/indexer" -q --db "$DB" corpus/ || fail "indexing corpus/"

# ---- systemd
grep -q '^ProtectSystem=strict$' contrib/systemd/tigris.service || fail "ProtectSystem=strict"
grep -q '^NoNewPrivileges=yes$' contrib/systemd/tigris.service || fail "NoNewPrivileges"
grep -q '^User=tigris$' contrib/systemd/tigris.service || fail "User=tigris"
grep -q '^ReadOnlyPaths=/var/lib/tigris$' contrib/systemd/tigris.service || fail "ReadOnlyPaths"
grep -q '^EnvironmentFile=-/etc/default/tigris$' contrib/systemd/tigris.service ||
    fail "EnvironmentFile"
if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir -p "$TMP/units"
    for u in tigris.service tigris-reindex.service tigris-reindex.timer; do
        sed "s|/usr/bin/|$BIN/|" "contrib/systemd/$u" >"$TMP/units/$u"
    done
    out=$(cd "$TMP/units" && systemd-analyze verify --man=no tigris.service \
          tigris-reindex.service tigris-reindex.timer 2>&1)
    expect_eq "systemd-analyze verify" "$out" ""
else
    echo "  skip [$NAME]: no systemd-analyze"
fi
# The command lines as systemd runs them: the settings file read, ${VAR}
# one word, $VAR split on spaces.
(
    . contrib/systemd/tigris.default
    TIGRIS_DB=$DB
    "$BIN/indexer" -q --prune --db "$TIGRIS_DB" corpus/ || exit 1
    # shellcheck disable=SC2086
    "$BIN/searcher" --db "$TIGRIS_DB" --serve 127.0.0.1:0 $TIGRIS_OPTS >"$TMP/unit.out" 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 50 ] && ! grep -q "^Serving" "$TMP/unit.out"; do sleep 0.1; i=$((i + 1)); done
    kill $pid; wait $pid
    grep -q "^Serving" "$TMP/unit.out"
) || fail "the units' command lines do not run: $(cat "$TMP/unit.out" 2>/dev/null | head -3)"
ok

# ---- nginx
if ! command -v nginx >/dev/null 2>&1; then
    echo "  skip [$NAME]: no nginx"
    finish
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_server "$DB" --per-ip 0 || fail "searcher --serve did not start"
NPORT=$(free_port)
mkdir -p "$TMP/nginx/logs"
sed -e "s|/var/cache/nginx/tigris|$TMP/nginx/cache|" -e "s|127.0.0.1:8080|127.0.0.1:$PORT|" \
    -e "s|listen 80;|listen 127.0.0.1:$NPORT;|" -e '/listen \[::\]:80;/d' \
    contrib/nginx/tigris.conf >"$TMP/nginx/tigris.conf"
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
    include $TMP/nginx/tigris.conf;
}
CONF
out=$(nginx -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>&1)
expect_contains "nginx -t" "$out" "test is successful"
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/stderr" &
NGINX_PID=$!
NBASE="http://127.0.0.1:$NPORT"
i=0
while [ $i -lt 50 ] && ! curl -s -o /dev/null "$NBASE/healthz"; do sleep 0.1; i=$((i + 1)); done
H="Host: search.example.org"
out=$(curl -s -H "$H" "$NBASE/search?q=Hezbollah")
expect_contains "nginx /search is the search page" "$out" "Hezbollah"
expect_contains "nginx /search is HTML" "$out" "<html"
out=$(curl -s -H "$H" "$NBASE/api/search?q=Hezbollah")
expect_eq "nginx /api/search JSON" "$(json_get "$out" 'j["version"]')" "1"
c1=$(curl -s -D - -o /dev/null -H "$H" "$NBASE/api/suggest?q=hez" | tr -d '\r' |
     sed -n 's/^X-Cache-Status: //p')
c2=$(curl -s -D - -o /dev/null -H "$H" "$NBASE/api/suggest?q=hez" | tr -d '\r' |
     sed -n 's/^X-Cache-Status: //p')
expect_eq "nginx /api/suggest first" "$c1" "MISS"
expect_eq "nginx /api/suggest again, from the cache" "$c2" "HIT"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$H" "$NBASE/")
expect_eq "nginx refuses POST to the page" "$code" "403"
kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null
kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null
finish
