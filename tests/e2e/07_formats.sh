#!/bin/sh
# Blog archives end to end: a folder of Blogger and WordPress exports,
# feeds and saved pages (some gzipped, with pictures beside them) indexes
# in one run; fields are searchable and link back; re-running changes
# nothing. Then every kind of bad input: one message naming the file (and
# line or entry) and the reason, the rest indexed, exit status 1.
. tests/e2e/lib.inc
D=$ROOT/tests/data/reader
DB=$TMP/db

# ---- a good archive -------------------------------------------------------
mkdir -p "$TMP/arch/pages"
cp "$D/blogger.xml" "$D/feed-rss.xml" "$D/feed-atom.xml" "$TMP/arch/"
gzip -c "$D/wordpress.xml" > "$TMP/arch/wordpress.xml.gz"
for p in blogger-post jsonld-post time-post og-post archive latin1; do
    cp "$D/html/$p.html" "$TMP/arch/pages/"
done
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' > "$TMP/arch/pages/photo.png"
echo 'body { color: #333 }' > "$TMP/arch/pages/style.css"

out=$("$BIN/indexer" --db "$DB" "$TMP/arch" 2>&1); rc=$?
expect_status "good archive" "$rc" 0
# 3 Blogger + 3 WordPress + 2 RSS + 3 Atom + 5 pages (the archive page is not one)
expect_contains "articles" "$out" "16 new, 0 changed, 0 unchanged"
expect_contains "index page skipped" "$out" "archive.html: index page listing 3 posts, skipped"
expect_contains "picture skipped" "$out" "photo.png: skipped: binary file"
expect_contains "stylesheet skipped" "$out" "style.css: skipped: does not look like an article file"
expect_contains "blogger skips told" "$out" "blogger.xml: entries skipped (not posts or pages"
expect_contains "wordpress skips told" "$out" "1 draft, 1 revision, 1 attachment, 1 nav_menu_item"

search() { "$BIN/searcher" --db "$DB" --json -n 50 "$@"; }
ids() { json_get "$1" '",".join(sorted(r["id"] for r in j["results"]))'; }

j=$(search 'title:Ctesiphon')
expect_eq "title: search" "$(json_get "$j" 'j["results"][0]["title"]')" "A Winter at Ctesiphon"
expect_eq "a page without canonical url links to its file" \
    "$(json_get "$j" 'j["results"][0]["url"]')" "$TMP/arch/pages/time-post.html"
expect_eq "date of a <time> page" "$(json_get "$j" 'j["results"][0]["date"]')" "2014-03-02"

j=$(search 'author:"Hamid Reed"')
expect_eq "author: across WordPress and a page" "$(ids "$j")" \
    "https://marshdiary.example.com/2015/07/sluice-gates-of-kut/,https://marshdiary.example.com/?p=11,https://marshdiary.example.com/?p=16,https://marshdiary.example.com/?p=2"

j=$(search 'tag:bridges')
expect_eq "tag: across an export and a page" "$(ids "$j")" \
    "http://rivernotes.example.org/2016/09/old-bridge.html,tag:blogger.com,1999:blog-1111.post-2001"
expect_eq "tags shown" "$(json_get "$j" 'sorted(j["results"][0]["tags"])')" '["Mosul", "bridges"]'

j=$(search 'date:2016-09-13')
expect_eq "date: a Blogger post and a saved page" "$(json_get "$j" 'j["total"]')" "2"
j=$(search '2017-05-01..2017-05-31')
expect_eq "date range: RSS pubDate" "$(ids "$j")" \
    "https://letters.example.net/2017/05/bitumen-and-boats/,https://letters.example.net/?p=301"
j=$(search 'title:Chibayish')
expect_eq "WordPress GMT date" "$(json_get "$j" 'j["results"][0]["date"]')" "2016-10-02"
expect_eq "WordPress permalink" "$(json_get "$j" 'j["results"][0]["url"]')" \
    "https://marshdiary.example.com/2016/10/reed-boats/"
j=$(search 'Rashid')
expect_eq "declared Latin-1 page" "$(json_get "$j" 'j["results"][0]["title"]')" "Cafés of Rashid Street"

# What is not article text is not searchable.
for w in templatemarker settingsmarker draftmarker sidebarmarker commentmarker footermarker \
         scriptmarker excerptmarker menumarker attachmentmarker; do
    "$BIN/searcher" --db "$DB" "$w" >/dev/null 2>&1
    expect_status "not indexed: $w" "$?" 1
done

out=$("$BIN/indexer" --db "$DB" "$TMP/arch" 2>&1)
expect_contains "re-run: nothing new" "$out" "0 new, 0 changed, 16 unchanged"

# ---- comments -------------------------------------------------------------
out=$("$BIN/indexer" --db "$TMP/cdb" --comments "$D/blogger.xml" "$D/wordpress.xml" 2>&1); rc=$?
expect_status "--comments" "$rc" 0
j=$("$BIN/searcher" --db "$TMP/cdb" --json 'grandfather donkey')
expect_eq "a comment is found under its post" "$(json_get "$j" 'j["results"][0]["id"]')" \
    "tag:blogger.com,1999:blog-1111.post-2001"
expect_contains "as a passage of its own" "$(json_get "$j" 'j["results"][0]["passage"]["text"]')" \
    "Comment by Yusuf Al-Mawsili (2016-09-15):"
j=$("$BIN/searcher" --db "$TMP/cdb" --json 'calves')
expect_eq "WordPress comment" "$(json_get "$j" 'j["results"][0]["id"]')" "https://marshdiary.example.com/?p=11"
"$BIN/searcher" --db "$TMP/cdb" spammarker >/dev/null 2>&1
expect_status "unapproved comment not indexed" "$?" 1
"$BIN/searcher" --db "$DB" grandfather >/dev/null 2>&1
expect_status "no comments without --comments" "$?" 1

# ---- bad input ------------------------------------------------------------
B=$TMP/bad
mkdir -p "$B"
cp "$D/broken.xml" "$D/html/truncated.html" "$B/"
python3 - "$D" "$B" <<'PY'
import gzip, sys
d, b = sys.argv[1], sys.argv[2]
x = open(d + "/blogger.xml", "rb").read()
open(b + "/cut.xml", "wb").write(x[:x.index(b"Irrigation canals")])
posts = b"".join(b"<entry><id>p%d</id><title>Gauge reading %d</title><updated>2019-01-01T00:00:00Z</updated><content>Water level at Baiji %d</content></entry>\n" % (i, i, i) for i in range(4000))
g = gzip.compress(b"<feed xmlns='http://www.w3.org/2005/Atom'>\n" + posts + b"</feed>\n")
open(b + "/gauges.xml.gz", "wb").write(g[:len(g) // 2])
open(b + "/legacy.txt", "wb").write(b"Monday, March 5, 2018\n\nCaf\xe9 Qahwa\n\nThe caf\xe9 by the Shabandar bookshop.\n")
open(b + "/legacy.jsonl", "wb").write(b'{"id": "lj1", "title": "Na\xefve Painting", "body": "Sketches of Kadhimiya"}\n')
open(b + "/dups.jsonl", "w").write('{"id": "d1", "title": "First", "body": "An early zebrafinch note"}\n'
                                   '{"id": "d2", "title": "Other", "body": "Nothing here"}\n'
                                   '{"id": "d1", "title": "Second", "body": "A later quetzal note"}\n')
open(b + "/binary.dat", "wb").write(b"\x00\x01\x02\x03 not text \x00")
open(b + "/empty.xml", "wb").write(b"")
PY
out=$("$BIN/indexer" --db "$DB" "$B/broken.xml" "$B/cut.xml" "$B/truncated.html" \
      "$B/gauges.xml.gz" "$B/legacy.txt" "$B/legacy.jsonl" "$B/dups.jsonl" "$B/binary.dat" \
      "$B/empty.xml" 2>&1); rc=$?
expect_status "bad input" "$rc" 1
expect_contains "malformed XML: recovered entry" "$out" \
    "broken.xml:14: entry 2: XML error: Opening and ending tag mismatch: b line 14 and i; recovered"
expect_contains "malformed XML: lost entry" "$out" \
    "broken.xml:20: entry 3 (from line 16): XML error the parser cannot get past: StartTag: invalid element name: the entry was dropped; reading went on at line 22"
expect_contains "truncated XML" "$out" "cut.xml:6: the file ends inside entry 4: the file looks truncated; that entry was dropped"
expect_contains "truncated HTML" "$out" "truncated.html: the page ends without </html>: it looks truncated"
expect_contains "truncated gzip" "$out" "gauges.xml.gz: truncated gzip data"
expect_contains "Latin-1 text" "$out" "legacy.txt: invalid UTF-8 in title, body: the bad bytes were read as Latin-1"
expect_contains "Latin-1 JSON line" "$out" "legacy.jsonl:1: invalid UTF-8: the bad bytes were read as Latin-1"
expect_contains "duplicate id" "$out" "dups.jsonl:3: duplicate id \"d1\" (first seen at $B/dups.jsonl:1); the later one is kept"
expect_contains "binary file" "$out" "binary.dat: binary file, skipped"
expect_contains "empty file" "$out" "empty.xml: empty file, nothing to index"

j=$(search 'otters OR storks OR kingfishers OR islands')
expect_eq "broken XML: the sound entries" "$(ids "$j")" "urn:broken:1,urn:broken:2,urn:broken:4,urn:broken:5"
j=$(search 'Baiji')
total=$(json_get "$j" 'j["total"]')
[ "$total" -gt 100 ] && [ "$total" -lt 4000 ] && ok || fail "truncated gzip: $total articles before the cut"
j=$(search 'Shabandar')
expect_eq "Latin-1 text indexed as UTF-8" "$(json_get "$j" 'j["results"][0]["title"]')" "Café Qahwa"
j=$(search 'Kadhimiya')
expect_eq "Latin-1 JSON indexed" "$(json_get "$j" 'j["results"][0]["title"]')" "Naïve Painting"
j=$(search 'quetzal OR zebrafinch')
expect_eq "duplicate id: the later kept" "$(json_get "$j" '[r["title"] for r in j["results"]]')" '["Second"]'
j=$(search 'theodolite')
expect_eq "truncated page: the text before the cut" "$(json_get "$j" 'j["total"]')" "1"

# The same id in two files is one article reached twice: told, not failed.
printf '{"id": "x1", "title": "Once", "body": "An ibis"}\n' > "$B/one.jsonl"
printf '{"id": "x1", "title": "Twice", "body": "An ibis again"}\n' > "$B/two.jsonl"
out=$("$BIN/indexer" --db "$DB" "$B/one.jsonl" "$B/two.jsonl" 2>&1); rc=$?
expect_status "same id in two files" "$rc" 0
expect_contains "same id in two files told" "$out" "two.jsonl:1: id \"x1\" was read before, from $B/one.jsonl:1"

# A gzip bomb, with a small cap on decompressed size.
python3 -c "
import gzip
open('$B/bomb.xml.gz', 'wb').write(gzip.compress(b'<rss><channel>' + b' ' * (32 << 20)))
"
out=$("$BIN/indexer" --db "$DB" --max-size 1M "$B/bomb.xml.gz" 2>&1); rc=$?
expect_status "gzip bomb" "$rc" 1
expect_contains "gzip bomb message" "$out" "bomb.xml.gz: decompressed size exceeds 1048576 bytes (gzip bomb?)"

# An article far larger than any post: capped, with a message.
python3 -c "
import json
print(json.dumps({'id': 'big1', 'title': 'Huge', 'body': ('The bulbul sings. ' * 60 + '\n\n') * 200}))
" > "$B/huge.jsonl"
out=$("$BIN/indexer" --db "$DB" --max-article-size 10K "$B/huge.jsonl" 2>&1); rc=$?
expect_status "oversized article" "$rc" 1
expect_contains "oversized article message" "$out" "huge.jsonl:1: article \"big1\" has a body of 216400 bytes, over the cap of 10240 (--max-article-size)"
j=$(search 'bulbul')
expect_eq "oversized article indexed" "$(json_get "$j" 'j["results"][0]["id"]')" "big1"

# ---- the command line -----------------------------------------------------
out=$("$BIN/indexer" --help)
for w in html blogger wordpress rss atom --comments --max-article-size Examples; do
    expect_contains "--help mentions $w" "$out" "$w"
done
out=$("$BIN/indexer" --db "$DB" --format xml "$B/one.jsonl" 2>&1); rc=$?
expect_status "unknown format" "$rc" 2
expect_contains "unknown format lists the names" "$out" "auto, text, jsonl, html, blogger, wordpress (or wxr), rss, atom"
out=$("$BIN/indexer" --db "$TMP/fdb" --format wxr "$D/wordpress.xml" 2>&1); rc=$?
expect_status "--format wxr" "$rc" 0
expect_contains "--format wxr indexes" "$out" "3 new"
finish
