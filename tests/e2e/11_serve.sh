#!/bin/sh
# The HTTP server: every endpoint, paging, filters, sort, suggest, errors,
# escaping, caching headers, CORS, a commit seen without a restart, and a
# clean stop on SIGTERM. Talks to a real server with curl.
. tests/e2e/lib.inc
if ! command -v curl >/dev/null 2>&1; then
    echo "  skip [$NAME]: curl is not installed (scripts/install-deps.sh installs it)"
    exit 0
fi
DB=$TMP/db
# A small feed-like archive with web urls and tags beside corpus/.
cat >"$TMP/blog.jsonl" <<'J'
{"id":"b1","url":"https://blog.example.org/2014/ramadi","title":"Notes from Ramadi","date":"2014-05-02","body":"The Anbar tribes met in Ramadi to talk about the zanzibarite question and about water.","tags":["Anbar","Field notes"]}
{"id":"b2","url":"https://blog.example.org/2018/basra","title":"Basra in summer","date":"2018-07-20","body":"Protests over water and power spread across Basra; the zanzibarite question came up again.","tags":["Basra"]}
{"id":"b3","url":"https://blog.example.org/2018/basra-2","title":"Basra again","date":"2018-08-01","body":"Water shortages in Basra again; nobody mentioned the zanzibarite question this time, but it was there.","tags":["Basra","Field notes"]}
J
"$BIN/indexer" --db "$DB" corpus/ "$TMP/blog.jsonl" >/dev/null 2>&1
ARTICLES=$(( $(ls corpus/*.txt | wc -l) + 3 ))

if ! start_server "$DB" --cors http://other.example:9000 --access-log "$TMP/access.log"; then
    fail "server did not start: $(cat "$TMP/server.log")"
    finish
fi

j=$(http_get /healthz)
expect_eq "healthz status" "$(http_status)" 200
expect_eq "healthz articles" "$(json_get "$j" 'j["articles"]')" "$ARTICLES"

# --- /api/search
j=$(http_get '/api/search?q=Camp+Liberty&size=3')
expect_eq "api status" "$(http_status)" 200
expect_eq "api version" "$(json_get "$j" 'j["version"]')" 1
expect_eq "api page size" "$(json_get "$j" 'len(j["results"])')" 3
expect_contains "api best title" "$(json_get "$j" 'j["results"][0]["title"]')" "Camp Liberty"
expect_contains "api passage html marks" "$(json_get "$j" 'j["results"][0]["passage"]["html"]')" "<mark>Camp Liberty</mark>"
expect_eq "api no file paths as url" "$(json_get "$j" 'j["results"][0]["url"]')" "None"
expect_contains "api article_url" "$(json_get "$j" 'j["results"][0]["article_url"]')" "/article/"
expect_eq "api page fields" "$(json_get "$j" '(j["page"], j["size"], j["pages"] >= 1)')" "(1, 3, True)"
expect_eq "api understood" "$(json_get "$j" 'any("Camp Liberty" in e for e in j["expansions"])')" "True"
expect_eq "api related names" "$(json_get "$j" 'len(j["related"]) > 0')" "True"
expect_eq "api years cover the total" "$(json_get "$j" 'sum(y["count"] for y in j["years"]) == j["total"]')" "True"
all=$(http_get '/api/search?q=Iraq&size=6')
p2=$(http_get '/api/search?q=Iraq&size=3&page=2')
expect_eq "api paging" "$(json_get "$p2" '[r["id"] for r in j["results"]]')" \
    "$(json_get "$all" '[r["id"] for r in j["results"]][3:6]')"
pages=""
for pg in 1 2 3; do
    pages="$pages $(json_get "$(http_get "/api/search?q=Iraq&page=$pg")" '" ".join(r["id"] for r in j["results"])')"
done
expect_eq "pages never overlap" "$(printf '%s\n' $pages | sort | uniq -d | wc -l)" 0
expect_eq "pages cover the list" "$(printf '%s\n' $pages | wc -l)" \
    "$(json_get "$(http_get '/api/search?q=Iraq&size=30')" 'len(j["results"])')"
expect_eq "api ranks on page 2" "$(json_get "$p2" '[r["rank"] for r in j["results"]]')" "[4, 5, 6]"
j=$(http_get '/api/search?q=%22Basra%22+OR+water&sort=date')
expect_eq "sort=date newest first" "$(json_get "$j" 'all((a["date"] or "") >= (b["date"] or "") for a,b in zip(j["results"],j["results"][1:]))')" "True"
j=$(http_get '/api/search?q=zanzibarite&from=2018&to=2018')
expect_eq "from/to filter" "$(json_get "$j" 'sorted(r["id"] for r in j["results"])')" '["b2", "b3"]'
j=$(http_get '/api/search?q=zanzibarite&tag=field+notes')
expect_eq "tag filter" "$(json_get "$j" 'sorted(r["id"] for r in j["results"])')" '["b1", "b3"]'
expect_eq "web url kept" "$(json_get "$j" '[r["url"] for r in j["results"] if r["id"]=="b1"][0]')" "https://blog.example.org/2014/ramadi"
j=$(http_get '/api/search?q=zanzibarite')
expect_eq "years per year" "$(json_get "$j" '[(y["year"], y["count"]) for y in j["years"]]')" "[[2014, 1], [2018, 2]]"

# --- errors: JSON with a reason, the right status
for bad in 'q=x&size=1000' 'q=x&page=0' 'q=x&page=abc' 'q=%ZZ' 'q=%FF' 'q=x&sort=random' 'q=x&page=100000'; do
    j=$(http_get "/api/search?$bad")
    expect_eq "400 for $bad" "$(http_status)" 400
    expect_eq "error text for $bad" "$(json_get "$j" 'len(j["error"]) > 5')" "True"
done
j=$(http_get '/api/search?q=%FF')
expect_contains "invalid UTF-8 said" "$(json_get "$j" 'j["error"]')" "UTF-8"
long=$(python3 -c 'print("word+" * 2000)')
http_get "/api/search?q=$long" >/dev/null
expect_eq "over-long query" "$(http_status)" 400
http_get '/api/search' >/dev/null
expect_eq "missing q" "$(http_status)" 400
http_get '/no/such/page' >/dev/null
expect_eq "unknown path" "$(http_status)" 404
http_get '/static/page.html' >/dev/null
expect_eq "templates are not served" "$(http_status)" 404
http_get '/static/../../etc/passwd' >/dev/null
expect_eq "no files outside the assets" "$(http_status)" 404
http_get '/api/search?q=x' -X POST -d 'a=b' >/dev/null
expect_eq "POST refused" "$(http_status)" 405

# --- the page: form, results, escaping
h=$(http_get '/?q=Camp+Liberty')
expect_eq "page status" "$(http_status)" 200
expect_contains "page has the form" "$h" 'id="tg-form"'
expect_contains "page marks matches" "$h" "<mark>Camp Liberty</mark>"
expect_contains "page query in the box" "$h" 'value="Camp Liberty"'
expect_contains "page chart" "$h" 'class="tg-chart"'
h=$(http_get '/?q=Iraq&size=3&page=2')
expect_contains "pager previous" "$h" 'rel="prev"'
expect_contains "pager next" "$h" 'rel="next"'
h=$(http_get '/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')
expect_not_contains "script escaped" "$h" "<script>alert"
expect_contains "script shown as text" "$h" "&lt;script&gt;alert(1)"
h=$(http_get '/?q=%22%3E%3Cb+onmouseover%3D%22x')
expect_not_contains "quote cannot leave the attribute" "$h" '"><b onmouseover'
expect_contains "quote escaped" "$h" '&quot;&gt;&lt;b onmouseover'
h=$(http_get '/?q=Camp+Liberty&fragment=1')
expect_not_contains "fragment has no layout" "$h" '<html'
expect_contains "fragment has the hits" "$h" 'class="tg-hits"'
h=$(http_get '/?q=camp+li&fragment=1&partial=1')
expect_contains "as you type: the last word completed" "$h" "Also words beginning with “li”: Liberty"
expect_contains "as you type: the name found" "$h" "<mark>Camp Liberty</mark>"
h=$(http_get '/?q=camp+li&fragment=1')
expect_not_contains "a submitted search is taken as typed" "$h" "Also words beginning"
h=$(http_get '/?q=camp+liberty+&fragment=1&partial=1')
expect_not_contains "a finished word is not completed" "$h" "Also words beginning"
curl -s -D "$TMP/h.txt" -o /dev/null "$BASE/?q=Iraq"
expect_contains "page CSP" "$(cat "$TMP/h.txt")" "Content-Security-Policy: default-src 'none'"
h=$(http_get '/?q=%FF')
expect_eq "page 400 on bad UTF-8" "$(http_status)" 400
expect_contains "page says why" "$h" "UTF-8"

# --- article view
id=$(json_get "$(http_get '/api/search?q=Camp+Liberty&size=1')" 'j["results"][0]["id"]')
j=$(http_get "/api/article/$id?q=Camp+Liberty")
expect_eq "api article" "$(http_status)" 200
expect_eq "api article id" "$(json_get "$j" 'j["id"]')" "$id"
expect_eq "api article marks" "$(json_get "$j" 'j["matching"] >= 1 and any("<mark>" in p["html"] for p in j["passages"] if p["match"])')" "True"
h=$(http_get "/article/$id?q=Camp+Liberty")
expect_eq "article page" "$(http_status)" 200
expect_contains "article page marks" "$h" "tg-p-match"
http_get "/api/article/no-such-id" >/dev/null
expect_eq "unknown article" "$(http_status)" 404

# --- suggest
j=$(http_get '/api/suggest?q=hez')
expect_eq "suggest" "$(json_get "$j" 'any(s["text"].lower().startswith("hez") for s in j["suggestions"])')" "True"
j=$(http_get '/api/suggest?q=camp+li')
expect_eq "suggest a name" "$(json_get "$j" 'any(s["text"]=="Camp Liberty" and s["name"] for s in j["suggestions"])')" "True"

# --- caching and CORS
curl -s -D "$TMP/h.txt" -o /dev/null "$BASE/api/search?q=Iraq"
etag=$(sed -n 's/^ETag: *//Ip' "$TMP/h.txt" | tr -d '\r')
expect_contains "etag" "$etag" '"r'
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/api/search?q=Iraq")
expect_eq "304 on the same revision" "$code" 304
curl -s -D "$TMP/h.txt" -o /dev/null -H 'Origin: http://other.example:9000' "$BASE/api/search?q=Iraq"
expect_contains "CORS for an allowed origin" "$(cat "$TMP/h.txt")" "Access-Control-Allow-Origin: http://other.example:9000"
curl -s -D "$TMP/h.txt" -o /dev/null -H 'Origin: http://evil.example' "$BASE/api/search?q=Iraq"
expect_not_contains "no CORS for others" "$(cat "$TMP/h.txt")" "Access-Control-Allow-Origin"

# --- a commit while serving is seen without a restart
j=$(http_get '/api/search?q=quokkaburger')
expect_eq "not there yet" "$(json_get "$j" 'j["total"]')" 0
printf '%s\n' '{"id":"new1","title":"Quokkaburger day","date":"2020-01-01","body":"The quokkaburger stand opened in Erbil."}' >"$TMP/new.jsonl"
"$BIN/indexer" --db "$DB" "$TMP/new.jsonl" >/dev/null 2>&1
j=$(http_get '/api/search?q=quokkaburger')
expect_eq "new article appears" "$(json_get "$j" '[r["id"] for r in j["results"]]')" '["new1"]'
curl -s -D "$TMP/h.txt" -o /dev/null "$BASE/api/search?q=Iraq"
expect_not_contains "etag changed with the revision" "$(cat "$TMP/h.txt")" "$etag"

# --- answers from the cache are the answers computed
a=$(http_get '/api/search?q=Mosul&size=4')
b=$(http_get '/api/search?q=Mosul&size=4')
expect_eq "cached answer is the same" "$b" "$a"

# --- access log, clean stop
expect_contains "access log line" "$(cat "$TMP/access.log")" '"GET /api/search?q=Camp+Liberty&size=3 HTTP/1.1" 200'
t0=$(date +%s)
stop_server
expect_eq "stops cleanly on SIGTERM" "$SRV_RC" 0
expect_eq "stops within 3 s" "$(( $(date +%s) - t0 <= 3 ))" 1

# Without the cache the same answers (and the commit still seen).
if start_server "$DB" --cache 0 -q; then
    c=$(http_get '/api/search?q=Mosul&size=4')
    expect_eq "uncached answer is the same" "$c" "$a"
    stop_server
else
    fail "server with --cache 0 did not start"
fi
"$BIN/searcher" --db "$DB" --serve 127.0.0.1:0 --cache lots >/dev/null 2>&1
expect_status "bad --cache" "$?" 2

"$BIN/searcher" --db "$TMP/nothing" --serve 127.0.0.1:0 >/dev/null 2>&1
expect_status "no database" "$?" 3
"$BIN/searcher" --db "$DB" --serve 127.0.0.1:99999 >/dev/null 2>&1
expect_status "bad port" "$?" 2
finish
