#!/bin/sh
# Bad input: one clear line naming the file (and line) and the reason; the
# rest is indexed; exit status 1; what was indexed before is kept.
. tests/e2e/lib.inc
DB=$TMP/db
cat > "$TMP/good.jsonl" <<'J'
{"id": "g1", "title": "Falcons of the Marshes", "date": "2012-04-01", "body": "The marsh falcons returned to the Hawizeh wetlands."}
{"id": "g2", "title": "Date Palms", "body": "Basra once had millions of date palms along the Shatt al-Arab."}
J
"$BIN/indexer" --db "$DB" "$TMP/good.jsonl" >/dev/null 2>&1
expect_status "good input" "$?" 0

cat > "$TMP/mixed.jsonl" <<'J'
{"id": "m1", "title": "Ferries", "body": "River ferries crossed the Tigris at Mosul."}
{"id": "m2", "title": "Broken", "body": "this line is not JSON
{"title": "No identity", "body": "an object without an id"}
{"id": "m3", "title": "Bridges", "body": "The old bridges of Mosul were rebuilt after 2017."}
J
python3 -c "
import gzip
data = gzip.compress(b'{\"id\": \"t1\", \"title\": \"Truncated\", \"body\": \"lost\"}\n' * 200)
open('$TMP/trunc.jsonl.gz', 'wb').write(data[:len(data)//2])
"
out=$("$BIN/indexer" --db "$DB" "$TMP/mixed.jsonl" "$TMP/trunc.jsonl.gz" "$TMP/missing.jsonl" 2>&1); rc=$?
expect_status "mixed input" "$rc" 1
expect_contains "invalid JSON named with line" "$out" "mixed.jsonl:2"
expect_contains "missing id named with line" "$out" "mixed.jsonl:3"
expect_contains "truncated gzip named" "$out" "trunc.jsonl.gz"
expect_contains "truncated gzip reason" "$out" "truncated"
expect_contains "missing file named" "$out" "missing.jsonl"
j=$("$BIN/searcher" --db "$DB" --json -n 10 'Mosul OR falcons OR palms')
ids=$(json_get "$j" '",".join(sorted(r["id"] for r in j["results"]))')
expect_eq "good articles all indexed, old ones kept" "$ids" "g1,g2,m1,m3"

# A database that cannot be opened is a clear error, exit 3.
echo "not a database" > "$TMP/notadb"
out=$("$BIN/searcher" --db "$TMP/notadb" anything 2>&1); rc=$?
expect_status "bogus database" "$rc" 3
expect_contains "bogus database message" "$out" "notadb"
out=$("$BIN/searcher" --db "$TMP/nowhere" anything 2>&1); rc=$?
expect_status "missing database" "$rc" 3
expect_contains "missing database hint" "$out" "bin/indexer --db"
finish
