#!/usr/bin/env python3
"""Builds a larger archive from the real collections, for `make bench-scale`.

    scale_archive.py SHARED N OUT.jsonl

Writes N articles as JSON Lines (the indexer's jsonl format) to OUT.jsonl,
made from $SHARED/corpus/news-jsonl/news.jsonl (40,424 Reuters and 20
Newsgroups articles) and the judged collections' articles in
$SHARED/eval/*.jsonl (about 15,000 more), taken in turn, then again as
copies 1, 2, ... until N are written. Copy 0 is the articles as they are.
In copy c > 0 each article:

  - gets a new id ("<id>~c<c>") and url, and its date moved c * 397 days
    later (so dates spread over the years instead of repeating);
  - has its sentences reordered, and its paragraphs too, by a random
    order fixed by (id, c): positions, phrases across sentences, passage
    boundaries and the term lists' order all change, while each sentence
    stays readable text;
  - has about one in eight of its capitalised words that are not the
    first of a sentence turned into a name of copy c ("Basra" ->
    "Basrakov" in one copy, "Basraline" in another; the suffix chosen by
    the word and c): the vocabulary of names grows with every copy, and
    so do the lexicon's variants, aliases and spelling data.

What it cannot imitate: new words other than those names (a real archive
ten times larger has new topics, typos and languages; here the common
vocabulary stays that of the source, so Heaps' law is flatter than real
text); new entities with their own contexts (a made-up name shares its
source's contexts); and articles longer or shorter than the sources'.
Deterministic: the same N gives the same file.
"""
import hashlib
import json
import os
import random
import re
import sys
from datetime import date, timedelta

SUFFIXES = ["kov", "line", "stad", "mere", "ovic", "ani", "berg", "ez", "ska", "ton",
            "ari", "wick", "ul", "essa", "ford", "ino"]
SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
CAPWORD = re.compile(r"(?<=\s)([A-Z][a-z]{2,})\b")


def sources(shared):
    news = os.path.join(shared, "corpus", "news-jsonl", "news.jsonl")
    paths = [news]
    ev = os.path.join(shared, "eval")
    if os.path.isdir(ev):
        paths += sorted(os.path.join(ev, f) for f in os.listdir(ev) if f.endswith(".jsonl"))
    for p in paths:
        tag = os.path.splitext(os.path.basename(p))[0]
        with open(p, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    o = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(o, dict) or not (o.get("body") or o.get("title")):
                    continue
                if p != news:
                    o["id"] = "%s-%s" % (tag, o.get("id"))
                yield o


def seeded(*parts):
    h = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8)
    return random.Random(int.from_bytes(h.digest(), "little"))


def new_name(word, c):
    h = hashlib.blake2b(("%s\x1f%d" % (word, c)).encode(), digest_size=2).digest()
    return word + SUFFIXES[(h[0] + h[1]) % len(SUFFIXES)]


def reorder(text, rng, c):
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for p in paras:
        sents = SENT.split(p.strip())
        rng.shuffle(sents)
        s = " ".join(sents)
        s = CAPWORD.sub(lambda m: new_name(m.group(1), c) if rng.random() < 0.125 else m.group(1),
                        " " + s)[1:]
        out.append(s)
    rng.shuffle(out)
    return "\n\n".join(out)


def shift_date(d, days):
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", d or "")
    if not m:
        return d
    try:
        return (date(int(m.group(1)), int(m.group(2)), int(m.group(3))) + timedelta(days=days)).isoformat()
    except ValueError:
        return d


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    shared, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    base = list(sources(shared))
    if not base:
        sys.exit("scale_archive: no articles under %s" % shared)
    tmp = out + ".tmp"
    written = 0
    with open(tmp, "w", encoding="utf-8") as f:
        c = 0
        while written < n:
            for o in base:
                if written >= n:
                    break
                a = dict(o)
                if c:
                    rng = seeded(o.get("id"), c)
                    a["id"] = "%s~c%d" % (o.get("id"), c)
                    if a.get("url"):
                        a["url"] = "%s~c%d" % (a["url"], c)
                    a["date"] = shift_date(a.get("date"), 397 * c)
                    a["body"] = reorder(a.get("body") or "", rng, c)
                f.write(json.dumps(a, ensure_ascii=False) + "\n")
                written += 1
            c += 1
    os.replace(tmp, out)
    print("scale_archive: %d articles (%d sources, %d copies) -> %s" % (written, len(base), c, out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
