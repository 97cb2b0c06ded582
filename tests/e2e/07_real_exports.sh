#!/bin/sh
# The real exports in $SHARED/corpus/blog-exports (skipped when the shared
# data is absent): each file is indexed on its own and every article the
# searcher lists - id, title, date, tags - is compared with what Python's
# xml.etree reads from the same file by the rules of the issue (Blogger:
# entries of kind post or page, not drafts; WordPress: items of type post
# or page with status publish, dated by the GMT field). Third-party data is
# only read, never copied.
. tests/e2e/lib.inc
EXPORTS=${SHARED:-../shared}/corpus/blog-exports
if [ ! -d "$EXPORTS" ]; then
    echo "  skip [$NAME]: $EXPORTS not present"
    exit 0
fi

cat > "$TMP/expect.py" <<'PY'
# Prints the expected articles of one export as JSON: {id: [title, date, tags]}.
import email.utils, json, re, sys
import xml.etree.ElementTree as ET

A = "{http://www.w3.org/2005/Atom}"
KIND = "http://schemas.google.com/g/2005#kind"

def line(s):
    s = " ".join((s or "").split())
    return s or None

def add_tag(tags, t):
    t = (t or "").strip()
    if t and t.encode().lower() not in [x.encode().lower() for x in tags]:
        tags.append(t)

def parse(path):
    text = open(path, encoding="utf-8").read()
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        # The Pelican fixture uses app: without declaring it.
        return ET.fromstring(text.replace("<feed ", '<feed xmlns:app="http://purl.org/atom/app#" ', 1))

def blogger(root):
    out = {}
    for e in root.findall(A + "entry"):
        kind, tags = None, []
        for c in e.findall(A + "category"):
            if c.get("scheme") == KIND:
                kind = c.get("term").split("#")[1]
            else:
                add_tag(tags, c.get("term"))
        draft = any((d.text or "").strip() == "yes" for d in e.iter("{http://purl.org/atom/app#}draft"))
        if kind in ("post", "page") and not draft:
            out[e.find(A + "id").text.strip()] = [line(e.find(A + "title").text),
                                                   e.find(A + "published").text.strip()[:10], tags]
    return out

def wordpress(root):
    channel = root.find("channel")
    site = None
    for c in channel:
        name = c.tag.split("}")[-1]
        if name in ("base_blog_url", "base_site_url", "link") and c.text and c.text.strip():
            rank = ("base_blog_url", "base_site_url", "link").index(name)
            if site is None or rank < site[0]:
                site = (rank, c.text.strip().rstrip("/"))
    out = {}
    for it in channel.iter("item"):
        f, tags = {}, []
        for c in it:
            name = c.tag.split("}")[-1]
            if name == "category":
                if c.get("domain") in (None, "category", "post_tag"):
                    add_tag(tags, c.text)
            elif name not in f:
                f[name] = (c.text or "").strip()
        if f.get("post_type", "post") not in ("post", "page") or f.get("status", "publish") != "publish":
            continue
        date = None
        for k in ("post_date_gmt", "post_date"):
            if re.match(r"[0-9]{4}-(0[1-9]|1[0-2])-", f.get(k, "")):
                date = f[k][:10]
                break
        if date is None and f.get("pubDate"):
            t = email.utils.parsedate(f["pubDate"])
            date = "%04d-%02d-%02d" % t[:3]
        if f.get("post_id") and site:
            ident = "%s/?p=%s" % (site[1], f["post_id"])
        else:
            ident = f.get("guid") or f.get("link")
        out[ident] = [line(f.get("title")), date, tags]  # a later duplicate wins
    return out

root = parse(sys.argv[1])
print(json.dumps(blogger(root) if root.tag == A + "feed" else wordpress(root)))
PY

cat > "$TMP/compare.py" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))
# The searcher shows a missing title as "".
want = {k: [v[0] or "", v[1], v[2]] for k, v in want.items()}
got = {r["id"]: [r["title"] or "", r["date"], r["tags"]] for r in json.load(open(sys.argv[2]))["results"]}
bad = [k for k in want if got.get(k) != want[k]] + [k for k in got if k not in want]
for k in bad[:5]:
    print("  %s: want %s, got %s" % (k, want.get(k), got.get(k)))
print("%d %d %d" % (len(want), len(got), len(bad)))
PY

# file, format, articles, exit status (1: the file has problems worth a
# message: undeclared namespace prefixes, duplicate post ids)
n=0
while read -r file fmt count status; do
    n=$((n + 1))
    DB=$TMP/db.$n
    out=$("$BIN/indexer" --db "$DB" "$EXPORTS/$file" 2>&1); rc=$?
    expect_status "$file" "$rc" "$status"
    expect_contains "$file: $count articles" "$out" "holds $count article"
    python3 "$TMP/expect.py" "$EXPORTS/$file" > "$TMP/want.json"
    cp "$TMP/want.json" "$TMP/want.$n.json"
    "$BIN/searcher" --db "$DB" --json -n 1000 '1000..2999' > "$TMP/got.json"
    res=$(python3 "$TMP/compare.py" "$TMP/want.json" "$TMP/got.json")
    expect_eq "$file: every article's id, title, date and tags" "$(printf '%s' "$res" | tail -n 1)" "$count $count 0"
    case "$res" in *want*) printf '%s\n' "$res" | head -n 5 ;; esac
done <<'LIST'
blogger-real/murilorebelopontes-blog-09-24-2017.xml blogger 246 0
blogger-real/yms9654-blog-11-22-2015.xml blogger 25 0
pelican-import-fixtures/bloggerexport.xml blogger 2 1
wordpress-theme-test-data/themeunittestdata.wordpress.xml wordpress 77 0
wordpress-theme-test-data/64-block-test-data.xml wordpress 62 0
wordpress-theme-test-data/theme-preview.xml wordpress 7 0
pelican-import-fixtures/wordpressexport.xml wordpress 7 1
LIST

# The undeclared namespace is reported, and what it cost (nothing).
out=$("$BIN/indexer" --db "$TMP/p" "$EXPORTS/pelican-import-fixtures/bloggerexport.xml" 2>&1)
expect_contains "undeclared app: prefix reported" "$out" \
    "bloggerexport.xml:973: entry 60: XML error: Namespace prefix app on control is not defined (and 1 more); read by local name, nothing lost"
# Its two posts and two pages: one of each is a draft.
expect_contains "drafts skipped" "$out" "1 template, 58 settings, 2 draft, 1 comment"

# Fields searchable on a real export (the second file: Korean titles).
DB=$TMP/db.2
j=$("$BIN/searcher" --db "$DB" --json 'tag:rbenv')
expect_eq "tag: on a real export" "$(json_get "$j" 'j["results"][0]["url"]')" "http://yms9654.blogspot.com/2015/11/mac-rbenv-ruby.html"
j=$("$BIN/searcher" --db "$DB" --json -n 50 'title:vim')
expect_contains "title: with Hangul" "$(json_get "$j" '"|".join(r["title"] for r in j["results"])')" "mac에 vim 제대로 설치하기"
want=$(python3 -c "import json; print(sum(1 for v in json.load(open('$TMP/want.2.json')).values() if v[1].startswith('2014-06')))")
j=$("$BIN/searcher" --db "$DB" --json '2014-06..2014-06')
expect_eq "date range on a real export" "$(json_get "$j" 'j["total"]')" "$want"
j=$("$BIN/searcher" --db "$DB" --json -n 50 'author:MinSik')
expect_eq "author: on a real export" "$(json_get "$j" 'j["total"]')" "25"
finish
