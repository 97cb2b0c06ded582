#!/bin/sh
# Crash safety. The indexer is killed with SIGKILL at random moments (fixed
# seed), in serial and parallel builds and builds kept in shards (--shards
# 2, completed by a serial run into the shards); after each kill the
# database opens,
# searches and holds exactly the articles of a commit the indexer made
# durable (indexer --log-commits says which: per writer, its last
# "durable" count or a "begun" one after it, the commit in flight), and a
# re-run then completes to the full, exact article count, each id once.
# Then a full disk (a small tmpfs, when we may mount one) and two indexers
# on one database.
#
# Input: the first lines of $SHARED/corpus/news-jsonl/news.jsonl (all of
# it with TG_LONG=1), else a generated JSON Lines archive. Kills: 3 serial
# and 2 parallel by default; TG_LONG=1 (make check-long): 12 and 10.
. tests/e2e/lib.inc
NEWS=${SHARED:-../shared}/corpus/news-jsonl/news.jsonl
LONG=${TG_LONG:-0}
if [ -r "$NEWS" ]; then
    if [ "$LONG" = 1 ]; then cp_lines=0; else cp_lines=2000; fi
    echo "  [$NAME]: input: $NEWS${cp_lines:+ (first $cp_lines lines)}" | sed 's/ (first 0 lines)//'
    if [ "$cp_lines" = 0 ]; then ARCHIVE=$NEWS; else head -n $cp_lines "$NEWS" >"$TMP/in.jsonl"; ARCHIVE=$TMP/in.jsonl; fi
    WORD=market
else
    n=3000; [ "$LONG" = 1 ] && n=8000
    echo "  [$NAME]: input: a generated archive of $n articles ($NEWS absent)"
    python3 - "$TMP/in.jsonl" "$n" <<'PY'
import random, sys
random.seed(14)
words = ("tigris euphrates baghdad mosul basra kirkuk najaf karbala samarra falluja "
         "ramadi tikrit erbil river bridge market palace mosque school army party "
         "council water power oil harvest").split()
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        body = " ".join(random.choice(words) for _ in range(150))
        f.write('{"id": "g%d", "title": "Article %d", "body": "%s uniq%d"}\n' % (i, i, body, i))
PY
    ARCHIVE=$TMP/in.jsonl
    WORD=market
fi

# The kills: the whole protocol is in Python (timing, parsing the commit
# log, the checks); it prints "ok ..." / "FAIL ..." lines and a summary.
python3 - "$BIN" "$ARCHIVE" "$TMP" "$LONG" "$WORD" >"$TMP/kills.out" 2>&1 <<'PY'
import itertools, json, os, random, re, shutil, signal, subprocess, sys, time
BIN, ARCHIVE, TMP, LONG, WORD = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1", sys.argv[5]
rng = random.Random(20141)
def read_ids(path):
    out, seen = [], set()
    for line in open(path, encoding="utf-8", errors="replace"):
        try:
            o = json.loads(line)
        except ValueError:
            continue
        i = o.get("id")
        # The reader skips an entry with neither title nor body, with a note.
        if not (o.get("title") or "").strip() and not (o.get("body") or "").strip():
            continue
        if i is not None and i not in seen:
            seen.add(i)
            out.append(i)
    return out
# The parallel kills each need a complete build: on at most 6000 articles.
SOURCES = {1: ARCHIVE, 2: ARCHIVE, "s": ARCHIVE}
if len(read_ids(ARCHIVE)) > 6000:
    SOURCES[2] = SOURCES["s"] = TMP + "/par.jsonl"
    with open(ARCHIVE, encoding="utf-8") as f, open(SOURCES[2], "w", encoding="utf-8") as g:
        for _, line in zip(range(6000), f):
            g.write(line)
# How each mode runs the indexer, and how many writers log commits.
ARGS = {1: ["--jobs", "1"], 2: ["--jobs", "2"], "s": ["--shards", "2"]}
WRITERS = {1: 1, 2: 2, "s": 2}
fails = 0
def check(what, cond, detail=""):
    global fails
    if cond:
        print("ok", what)
    else:
        fails += 1
        print("FAIL", what, detail)

COMMIT = re.compile(r"^indexer: commit: shard (\d+), (\d+) documents, (begun|durable)$")
def allowed_counts(log, jobs, start):
    """Per writer: its last durable count and a commit begun after it."""
    per = [{"durable": start if jobs == 1 else 0, "begun": None} for _ in range(WRITERS[jobs])]
    for line in log.splitlines():
        m = COMMIT.match(line)
        if not m:
            continue
        s, n, kind = int(m.group(1)), int(m.group(2)), m.group(3)
        if kind == "durable":
            per[s] = {"durable": n, "begun": None}
        else:
            per[s]["begun"] = n
    choices = [{p["durable"]} | ({p["begun"]} if p["begun"] is not None else set()) for p in per]
    return {sum(c) for c in itertools.product(*choices)}, sum(p["durable"] for p in per)

def stats(db):
    r = subprocess.run([BIN + "/searcher", "--db", db, "--stats", "--json"], capture_output=True, text=True)
    if r.returncode:
        return None, r.stderr.strip()
    return json.loads(r.stdout)["articles"], ""

def integrity(db):
    """xapian-check on the database or each shard (xapian-tools; optional)."""
    if not shutil.which("xapian-check"):
        return True, "xapian-check absent"
    parts = [db] if os.path.exists(db + "/iamglass") else sorted(
        os.path.join(db, d) for d in os.listdir(db) if re.fullmatch(r"shard-\d+", d))
    for p in parts:
        r = subprocess.run(["xapian-check", p], capture_output=True, text=True)
        if r.returncode or "No errors found" not in r.stdout:
            return False, p + ": " + (r.stdout + r.stderr)[-300:]
    return True, ""

def run_until_killed(db, jobs, start, min_durable):
    """Starts the indexer, kills it after min_durable+ commits and a random
    moment more. Returns (killed, log, rc)."""
    logf = open(TMP + "/commit.log", "w+")
    p = subprocess.Popen([BIN + "/indexer", "--db", db] + ARGS[jobs] + ["--commit-every",
                          "200", "--log-commits", "-q", ARCHIVE], stdout=subprocess.DEVNULL, stderr=logf)
    deadline = time.time() + 300
    extra = rng.uniform(0.0, 0.6)
    while p.poll() is None and time.time() < deadline:
        logf.seek(0)
        if logf.read().count("durable") >= min_durable:
            break
        time.sleep(0.01)
    time.sleep(extra)
    killed = p.poll() is None
    if killed:
        p.send_signal(signal.SIGKILL)
    rc = p.wait()
    logf.seek(0)
    log = logf.read()
    logf.close()
    return killed, log, rc

def after_kill(tag, db, jobs, log, start):
    ok_all = True
    allowed, durable = allowed_counts(log, jobs, start)
    n, err = stats(db)
    good = n is not None and n in allowed
    check("%s: the database opens and holds a commit's articles (%s of %s)" % (tag, n, sorted(allowed)),
          good, err)
    ok_all &= good
    r = subprocess.run([BIN + "/searcher", "--db", db, "--json", "-n", "3", WORD], capture_output=True, text=True)
    found = r.returncode == 0 and len(json.loads(r.stdout)["results"]) > 0
    check("%s: it searches" % tag, found or n == 0, r.stderr.strip()[:200])
    ok_all &= found or n == 0
    good, why = integrity(db)
    check("%s: xapian-check finds no error" % tag, good, why)
    ok_all &= good
    return ok_all, n if n is not None else 0

def complete(tag, db):
    r = subprocess.run([BIN + "/indexer", "--db", db, "-q", ARCHIVE], capture_output=True, text=True)
    # 1: some entries were skipped (each says so), the rest indexed
    notes = [l for l in r.stderr.splitlines() if l.strip()]
    check("%s: the re-run completes" % tag, r.returncode == 0 or
          (r.returncode == 1 and all(l.endswith("skipped") for l in notes)), r.stderr[-300:])
    n, err = stats(db)
    check("%s: the full, exact article count (%s of %d)" % (tag, n, EXPECTED), n == EXPECTED, err)
    if shutil.which("xapian-delve"):
        out = subprocess.run(["xapian-delve", "-A", "Q", "-v", "-1", db], capture_output=True,
                             text=True).stdout.split("\n")
        terms = {}
        for line in out:
            if line.startswith("Q"):
                t, _, tf = line.rpartition(" ")
                terms[t[1:]] = tf
        dup = [t for t, tf in terms.items() if tf != "1"]
        check("%s: each id once (%d ids, %d more than once)" % (tag, len(terms), len(dup)),
              not dup and set(terms) == set(ids), str(dup[:5]))
    return n == EXPECTED

kills = {1: 12 if LONG else 3, 2: 10 if LONG else 2, "s": 10 if LONG else 2}
summary = {}
for jobs in (1, 2, "s"):
    ARCHIVE = SOURCES[jobs]
    ids = read_ids(ARCHIVE)
    EXPECTED = len(ids)
    print("jobs %s: %d articles" % (jobs, EXPECTED))
    made = survived = 0
    db = TMP + "/crash-j%s" % jobs
    shutil.rmtree(db, ignore_errors=True)
    start = 0
    while made < kills[jobs]:
        if jobs != 1:
            # A parallel build happens on a new database only: each kill
            # gets its own, and a re-run that completes it.
            shutil.rmtree(db, ignore_errors=True)
            start = 0
        # Kills spread over the whole run: after 1 to about twice the
        # commits a kill's share of the run makes, and a moment more.
        share = max(3, EXPECTED // 200 // kills[jobs])
        killed, log, rc = run_until_killed(db, jobs, start, rng.randint(1, 2 * share))
        if not killed:
            # Finished before the moment came: start again from scratch.
            shutil.rmtree(db, ignore_errors=True)
            start = 0
            continue
        made += 1
        tag = "jobs %s, kill %d" % (jobs, made)
        good, start = after_kill(tag, db, jobs, log, start)
        if jobs != 1:
            good = complete(tag, db) and good
        survived += good
    if jobs == 1:
        # The serial kills were chained (each re-run was killed in turn):
        # the last re-run completes them all.
        if not complete("jobs 1, after %d chained kills" % made, db):
            survived = 0
    summary[jobs] = (survived, made)
print("SUMMARY serial %d/%d parallel %d/%d shards %d/%d" % (summary[1] + summary[2] + summary["s"]))
sys.exit(1 if fails else 0)
PY
rc=$?
grep -v '^ok' "$TMP/kills.out" | sed 's/^/  /'
expect_status "kills (details above)" "$rc" 0
CHECKS=$((CHECKS + $(grep -c '^ok' "$TMP/kills.out")))

head -n 2000 "$ARCHIVE" >"$TMP/small.jsonl"
SMALL=$TMP/small.jsonl
# --- two indexers on one database: the second is refused at once, naming
# the first's PID; nothing is damaged.
for jobs in 1 2; do
    DB=$TMP/lock-j$jobs
    "$BIN/indexer" --db "$DB" --jobs $jobs --commit-every 100 --log-commits "$SMALL" >/dev/null 2>"$TMP/first.err" &
    first=$!
    for i in $(seq 1 300); do grep -q durable "$TMP/first.err" && break; sleep 0.05; done
    t0=$(date +%s)
    err=$("$BIN/indexer" --db "$DB" "$SMALL" 2>&1 >/dev/null); rc=$?
    t1=$(date +%s)
    expect_status "jobs $jobs: second indexer" "$rc" 3
    expect_contains "jobs $jobs: second indexer names the first" "$err" "locked by PID $first"
    expect_eq "jobs $jobs: refused at once" "$([ $((t1 - t0)) -le 2 ] && echo yes)" yes
    wait $first; rc=$?
    expect_status "jobs $jobs: the first indexer finishes undisturbed" "$rc" 0
    n=$("$BIN/searcher" --db "$DB" --stats | sed -n 's/^articles //p')
    expect_eq "jobs $jobs: all articles after two indexers" "$n" "$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$SMALL")"
    [ "$LONG" = 1 ] || break   # the parallel case in the long run only
done

# --- a full disk: a 10 MiB tmpfs. Needs root and permission to mount.
FULL=$TMP/full
mkdir -p "$FULL"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=10m tmpfs "$FULL" 2>/dev/null; then
    echo "  skip [$NAME]: full disk: cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)"
else
    trap 'umount "$FULL" 2>/dev/null; rm -rf "$TMP"' EXIT
    DB=$FULL/db
    # Articles of random words: a vocabulary that fills the disk fast.
    python3 - "$TMP/disk.jsonl" <<'PY'
import random, string, sys
r = random.Random(3)
with open(sys.argv[1], "w") as f:
    for i in range(4000):
        body = " ".join("".join(r.choice(string.ascii_lowercase) for _ in range(8)) for _ in range(120))
        f.write('{"id": "d%d", "title": "Disk %d", "body": "market %s"}\n' % (i, i, body))
PY
    head -n 300 "$TMP/disk.jsonl" >"$TMP/first.jsonl"
    "$BIN/indexer" --db "$DB" --jobs 1 -q "$TMP/first.jsonl"
    expect_status "full disk: the first 300 fit" "$?" 0
    # The same 300 again and more, until the disk is full (same file name,
    # so the first 300 stay unchanged).
    cp "$TMP/disk.jsonl" "$TMP/first.jsonl"
    err=$("$BIN/indexer" --db "$DB" --jobs 1 --commit-every 100 --log-commits "$TMP/first.jsonl" 2>&1); rc=$?
    expect_status "full disk: indexer exit status" "$rc" 3
    expect_contains "full disk: the error names the database" "$err" "database $DB:"
    expect_contains "full disk: and the reason" "$err" "No space left on device"
    last=$(printf '%s\n' "$err" | sed -n 's/^indexer: commit: shard 0, \([0-9]*\) documents, durable$/\1/p' | tail -1)
    n=$("$BIN/searcher" --db "$DB" --stats | sed -n 's/^articles //p')
    expect_eq "full disk: the last commit is intact" "$n" "${last:-300}"
    "$BIN/searcher" --db "$DB" -n 1 market >/dev/null
    expect_status "full disk: it searches" "$?" 0
    if command -v xapian-check >/dev/null 2>&1; then
        expect_contains "full disk: xapian-check" "$(xapian-check "$DB" 2>&1)" "No errors found"
    fi
    printf "%s\n" "$err" | grep -v "^indexer: commit" | sed "s/^/    /"
    umount "$FULL"
    echo "  [$NAME]: full disk: exit $rc, $n articles kept (the last commit: ${last:-the first run's 300})"
fi
finish
