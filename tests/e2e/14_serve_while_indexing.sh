#!/bin/sh
# Reading while writing: the server answers a client loop of searches while
# the indexer commits batch after batch into the same database. No request
# may fail, none may see a half-written state (every article has the word
# "everyone", batches are committed whole: the count of "everyone" is
# always a whole number of batches, never goes back for a client, and
# agrees with the batch words of the same answer), and the new articles
# appear. Prints the requests served and failed.
. tests/e2e/lib.inc
DB=$TMP/db
# Long variant: many small batches, committed as fast as they come, so
# readers meet revisions that moved on under them (DatabaseModifiedError,
# reopen and retry in lib/xapian_c.cc).
if [ "${TG_LONG:-0}" = 1 ]; then BATCH=10 NBATCH=300 PAUSE=0; else BATCH=100 NBATCH=15 PAUSE=0.25; fi
# The first batch, then the server, then the rest through a pipe, a batch
# at a time, so the indexer commits while the searches run.
python3 - "$TMP" "$BATCH" "$NBATCH" <<'PY'
import random, sys
tmp, B, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(11)
words = ("river bridge market palace mosque school army party council water power oil "
         "harvest trade bank price coffee grain gold rate").split()
for k in range(N):
    with open("%s/batch%d.jsonl" % (tmp, k), "w") as f:
        for i in range(B):
            body = " ".join(r.choice(words) for _ in range(200))
            f.write('{"id": "b%d-%d", "title": "Batch %d article %d", "body": "everyone batchword%d %s"}\n'
                    % (k, i, k, i, k, body))
PY
"$BIN/indexer" --db "$DB" --jobs 1 -q "$TMP/batch0.jsonl"
if ! start_server "$DB" -q --threads 2 --cache 0; then
    fail "server did not start: $(cat "$TMP/server.log")"
    finish
fi
mkfifo "$TMP/feed"
"$BIN/indexer" --db "$DB" --jobs 1 --commit-every $BATCH --log-commits "$TMP/feed" 2>"$TMP/indexer.err" &
IDX=$!
python3 - "$PORT" "$TMP" "$BATCH" "$NBATCH" "$PAUSE" >"$TMP/rw.out" 2>&1 <<'PY'
import http.client, json, random, sys, threading, time
PORT, TMP, B, N = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
PAUSE = float(sys.argv[5])
stop = False
lock = threading.Lock()
served = failed = torn = backwards = 0
errors = []
seen_max = 0

def writer():
    # Batch after batch into the pipe, a pause between: each is a commit.
    with open(TMP + "/feed", "w") as f:
        for k in range(1, N):
            f.write(open("%s/batch%d.jsonl" % (TMP, k)).read())
            f.flush()
            time.sleep(PAUSE)

def client(seed):
    global served, failed, torn, backwards, seen_max
    r = random.Random(seed)
    last = 0
    c = None
    while not stop:
        k = r.randrange(N)
        # One answer: the total of "everyone" (all articles) and the years
        # and related names computed over it, and the result page.
        path = "/api/search?q=everyone&size=%d&page=1" % r.choice((10, 50, 100))
        if r.random() < 0.3:
            path = "/api/search?q=batchword%d+market&size=20" % k
        try:
            if c is None:
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            c.request("GET", path)
            resp = c.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise RuntimeError("status %d: %s" % (resp.status, body[:200]))
            j = json.loads(body)
        except Exception as e:
            with lock:
                failed += 1
                errors.append("%s: %s" % (path, e))
            c = None
            continue
        with lock:
            served += 1
            if path.startswith("/api/search?q=everyone"):
                total = j["total"]
                # whole batches only, never fewer than this client saw
                if total % B or total < B:
                    torn += 1
                    errors.append("total %d is not whole batches" % total)
                if total < last:
                    backwards += 1
                    errors.append("total went back from %d to %d" % (last, total))
                last = max(last, total)
                seen_max = max(seen_max, total)
                # every result of the page is a real, whole article
                for res in j["results"]:
                    if not res.get("title", "").startswith("Batch "):
                        torn += 1
                        errors.append("result without its record: %r" % res)

w = threading.Thread(target=writer)
clients = [threading.Thread(target=client, args=(s,)) for s in range(3)]
t0 = time.monotonic()
for t in clients:
    t.start()
w.start()
w.join()
wrote = time.monotonic() - t0
time.sleep(1.5)   # the last commit, then a few more searches
stop = True
for t in clients:
    t.join()
print("SERVED %d FAILED %d TORN %d BACKWARDS %d MAXSEEN %d SECONDS %.1f" %
      (served, failed, torn, backwards, seen_max, wrote))
for e in errors[:10]:
    print("ERROR", e)
PY
wait $IDX
expect_status "indexer fed through a pipe" "$?" 0
commits=$(grep -c 'durable$' "$TMP/indexer.err")
out=$(cat "$TMP/rw.out")
echo "  [$NAME]: $(head -1 "$TMP/rw.out"), $commits commits"
printf '%s\n' "$out" | grep '^ERROR' | sed 's/^/  /'
set -- $(head -1 "$TMP/rw.out")
expect_eq "requests failed" "$4" 0
expect_eq "answers of a half-written state" "$6" 0
expect_eq "answers going back in time" "$8" 0
expect_eq "requests served (many)" "$([ "$2" -ge 100 ] && echo yes)" yes
expect_eq "the commits went on meanwhile (one a batch)" "$([ "$commits" -ge $((NBATCH - 2)) ] && echo yes)" yes
# The new articles appear: all of them, and the last batch by its word.
j=$(http_get "/api/search?q=everyone&size=1")
expect_eq "every article in the end" "$(json_get "$j" 'j["total"]')" $((BATCH * NBATCH))
j=$(http_get "/api/search?q=batchword$((NBATCH - 1))&size=1")
expect_eq "the last batch appears" "$(json_get "$j" 'j["total"]')" $BATCH
j=$(http_get /healthz)
expect_eq "healthz counts them" "$(json_get "$j" 'j["articles"]')" $((BATCH * NBATCH))
stop_server
expect_status "clean stop" "$SRV_RC" 0

# A parallel build served while it runs: searches read its shards through
# the stub, then the merge swaps a new directory in at the path; the
# server's workers notice and open it (the old handles' files are gone).
DB2=$TMP/db2
cat "$TMP"/batch*.jsonl >"$TMP/all.jsonl"
"$BIN/indexer" --db "$DB2" --jobs 2 --commit-every $BATCH --log-commits "$TMP/all.jsonl" 2>"$TMP/par.err" &
IDX=$!
for i in $(seq 1 400); do grep -q durable "$TMP/par.err" && break; sleep 0.05; done
if ! start_server "$DB2" -q --threads 2; then
    fail "server on a parallel build did not start: $(cat "$TMP/server.log")"
    finish
fi
python3 - "$PORT" "$IDX" >"$TMP/par.out" 2>&1 <<'PY'
import http.client, json, os, sys, time
PORT, IDX = int(sys.argv[1]), int(sys.argv[2])
served = failed = 0
err = ""
end = None
while end is None or time.monotonic() < end:
    if end is None and not os.path.exists("/proc/%d" % IDX):
        end = time.monotonic() + 1.0
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        c.request("GET", "/api/search?q=everyone&size=5")
        r = c.getresponse()
        body = r.read()
        c.close()
        if r.status != 200:
            raise RuntimeError("status %d: %s" % (r.status, body[:200]))
        served += 1
    except Exception as e:
        failed += 1
        err = str(e)
    time.sleep(0.01)
print("SERVED %d FAILED %d %s" % (served, failed, err))
PY
wait $IDX
expect_status "parallel build while served" "$?" 0
echo "  [$NAME]: parallel build, merged while served: $(cat "$TMP/par.out")"
set -- $(cat "$TMP/par.out")
expect_eq "parallel build: requests failed" "$4" 0
j=$(http_get "/api/search?q=everyone&size=1")
expect_eq "parallel build: every article after the merge" "$(json_get "$j" 'j["total"]')" $((BATCH * NBATCH))
stop_server
finish
