#!/usr/bin/env python3
"""Small archives for the issue-19 entity sets: names where evidence is thin.

usage: entity-small.py NEWS.jsonl ENTDIR [SET...]

For each query set S of ENTDIR (dev, tune, test, or the SETs named, such as
dev2 ... dev5: S.queries.tsv, S.qrels)
writes ENTDIR/small/S.jsonl (the sample archive, as published), its
S.upper.jsonl and S.lower.jsonl copies (title and body case-folded), and
S.queries.tsv and S.qrels restricted to the sample. Like entity-set.py, the
output is derived from third-party data: write it under build/, never into
the repository.

The procedure, fixed so that nobody tunes the sample to the engine:

1. For each query of S in file order, up to PER_QUERY (3) of its relevant
   articles, drawn by random.Random("small-19-" + S) from its relevant
   articles in qrels order (all of them when it has fewer).
2. Fill: articles relevant to no query of S, drawn by the same generator
   from news.jsonl's order, until the sample has SIZE (500) articles.
3. The sample keeps news.jsonl's order. Its judgements are S.qrels
   restricted to the sample (an article drawn for one query counts for
   every query it is relevant to); queries left with no relevant article
   are dropped (none are, since each query draws its own).

A 1960s all-capitals news magazine of a few hundred articles is what this
stands for: a name in two or three articles, its other spellings in one
or none, and too few articles for the indexer's statistics.
"""
import json
import os
import random
import sys

PER_QUERY = 3
SIZE = 500


def main():
    news, ent = sys.argv[1:3]
    sets = sys.argv[3:] or ["dev", "tune", "test"]
    lines, ids = [], []
    for line in open(news, encoding="utf-8"):
        if line.strip():
            lines.append(line)
            ids.append(json.loads(line)["id"])
    at = {d: i for i, d in enumerate(ids)}
    os.makedirs(f"{ent}/small", exist_ok=True)
    for s in sets:
        queries = [l.rstrip("\n").split("\t", 1) for l in open(f"{ent}/{s}.queries.tsv", encoding="utf-8")
                   if l.strip()]
        rel = {}
        for l in open(f"{ent}/{s}.qrels", encoding="utf-8"):
            p = l.split()
            if len(p) == 4 and int(p[3]) > 0 and p[2] in at:
                rel.setdefault(p[0], []).append(p[2])
        rng = random.Random(f"small-19-{s}")
        chosen = set()
        for qid, _ in queries:
            r = rel.get(qid, [])
            chosen.update(rng.sample(r, min(PER_QUERY, len(r))))
        relevant = set().union(*rel.values()) if rel else set()
        pool = [d for d in ids if d not in relevant]
        fill = rng.sample(pool, max(0, SIZE - len(chosen)))
        sample = sorted(chosen | set(fill), key=at.get)
        base = f"{ent}/small/{s}"
        with open(base + ".jsonl.tmp", "w", encoding="utf-8") as f:
            for d in sample:
                f.write(lines[at[d]])
        for how in ("upper", "lower"):
            with open(f"{base}.{how}.jsonl.tmp", "w", encoding="utf-8") as f:
                for d in sample:
                    a = json.loads(lines[at[d]])
                    for k in ("title", "body"):
                        if isinstance(a.get(k), str):
                            a[k] = getattr(a[k], how)()
                    f.write(json.dumps(a, ensure_ascii=False) + "\n")
        insample = set(sample)
        kept = 0
        with open(base + ".queries.tsv.tmp", "w", encoding="utf-8") as fq, \
                open(base + ".qrels.tmp", "w", encoding="utf-8") as fr:
            for qid, text in queries:
                r = [d for d in rel.get(qid, []) if d in insample]
                if not r:
                    continue
                kept += 1
                fq.write(f"{qid}\t{text}\n")
                for d in r:
                    fr.write(f"{qid} 0 {d} 1\n")
        print(f"entity-small: {s}: {len(sample)} articles ({len(chosen)} drawn for "
              f"{kept} of {len(queries)} queries)", file=sys.stderr)
        # Files change only when their content does: cached runs stay valid.
        for suffix in (".jsonl", ".upper.jsonl", ".lower.jsonl", ".queries.tsv", ".qrels"):
            new, old = base + suffix + ".tmp", base + suffix
            try:
                same = open(new, "rb").read() == open(old, "rb").read()
            except FileNotFoundError:
                same = False
            if same:
                os.remove(new)
            else:
                os.replace(new, old)


if __name__ == "__main__":
    main()
