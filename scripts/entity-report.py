#!/usr/bin/env python3
"""Tables for scripts/eval-entities.sh (issue 19).

usage: entity-report.py TREC_EVAL.py ENTDIR RUNDIR "VARIANTS" "SYSTEMS"

Prints MAP and Recall@1000 per query set (dev, tune, test) x archive variant
x system; then, on tune+test together, the same per kind of spelling; then
how many queries each system answers with nothing. A small-* variant is
judged by ENTDIR/small/SET.qrels (its own archive per set, queries whose
relevant articles are not in it dropped; scripts/entity-small.py).

SETS="dev tune" (environment) reports only those sets, and the kinds over
the tune half alone: what to look at while tuning, the test half being run
once for the report. PER_QUERY=1 adds each query's figures (of those sets).
SETS may name dev2 to dev6, the further development sets (ENTDIR/devN.qrels,
kinds in ENTDIR/devN/entities.tsv; not in the default): their kinds are
shown apart.
"""
import os
import subprocess
import sys
from collections import defaultdict

te, ent, runs, variants, systems = sys.argv[1:6]
variants, systems = variants.split(), systems.split()
ALL_SETS = ("dev", "tune", "test", "dev2", "dev3", "dev4", "dev5", "dev6")
SETS = tuple(s for s in ALL_SETS if s in os.environ.get("SETS", "dev tune test").split())
DEVX = tuple(s for s in ("dev2", "dev3", "dev4", "dev5", "dev6") if s in SETS)
NAMES = {"tigris": "Tigris", "bm25": "BM25", "minisearch": "MiniSearch"}


def per_query(qrels, run):
    out = subprocess.run([sys.executable, te, "-q", qrels, run],
                         capture_output=True, text=True, check=True).stdout
    s = defaultdict(dict)
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[0] in ("map", "recall_1000"):
            s[p[1]][p[0]] = float(p[2])
    return s


def judged(qrels):
    return sorted({line.split()[0] for line in open(qrels) if line.strip()})


kind = {}
for f in [f"{ent}/entities.tsv"] + [f"{ent}/{s}/entities.tsv" for s in DEVX]:
    for line in open(f, encoding="utf-8").read().splitlines()[1:]:
        c = line.split("\t")
        kind[c[0]] = c[2]


def qrels_of(s, v):
    return f"{ent}/small/{s}.qrels" if v.startswith("small-") else f"{ent}/{s}.qrels"


qsets = {(s, v): judged(qrels_of(s, v)) for s in SETS for v in variants}
res = {}  # (set, variant, system) -> per-query scores
ret = {}  # (variant, system) -> qids with at least one result
for v in variants:
    for sy in systems:
        run = f"{runs}/{v}.{sy}.run"
        ret[v, sy] = {line.split()[0] for line in open(run) if line.strip()}
        for s in SETS:
            if (s, v) in qsets:
                res[s, v, sy] = per_query(qrels_of(s, v), run)


def mean(qids, scores, m):
    return sum(scores.get(q, {}).get(m, 0.0) for q in qids) / len(qids) if qids else 0.0


head = "".join(f" {NAMES[sy] + ' MAP':>15} {'R@1000':>7}" for sy in systems)
print(f"{'set':<5} {'n':>3} {'archive':<11}{head}")
for s in SETS:
    for v in variants:
        if (s, v) not in qsets:
            continue
        row = "".join(f" {mean(qsets[s, v], res[s, v, sy], 'map'):15.3f} "
                      f"{mean(qsets[s, v], res[s, v, sy], 'recall_1000'):7.3f}" for sy in systems)
        print(f"{s:<5} {len(qsets[s, v]):>3} {v:<11}{row}")

kinds = ["rare", "roman", "joinsplit", "diacritics", "longform"]
head = "".join(f" {NAMES[sy]:>15}" for sy in systems)
for KSETS in (tuple(s for s in ("tune", "test") if s in SETS),) + tuple((s,) for s in DEVX):
    if not KSETS:
        continue
    print()
    print("+".join(KSETS), "by kind of spelling (MAP / R@1000):")
    print(f"{'kind':<11} {'n':>3} {'archive':<11}{head}")
    for k in kinds:
        for v in variants:
            if any((s, v) not in qsets for s in KSETS):
                continue
            qids = [q for s in KSETS for q in qsets[s, v] if kind.get(q) == k]
            if not qids:
                continue
            cells = []
            for sy in systems:
                sc = {q: x for s in KSETS for q, x in res[s, v, sy].items()}
                cells.append(f" {mean(qids, sc, 'map'):7.3f}/{mean(qids, sc, 'recall_1000'):.3f}")
            print(f"{k:<11} {len(qids):>3} {v:<11}{''.join(cells)}")

print()
print(f"queries answered with nothing ({' / '.join(SETS)}):")
for v in variants:
    cells = []
    for sy in systems:
        n = [sum(q not in ret[v, sy] for q in qsets.get((s, v), [])) for s in SETS]
        cells.append(f"{NAMES[sy]} " + "/".join(map(str, n)))
    print(f"  {v:<11} " + "   ".join(cells))
if "tigris" in systems:
    for v in variants:
        empty = [q for s in SETS for q in qsets.get((s, v), []) if q not in ret[v, "tigris"]]
        if empty:
            print(f"  Tigris, {v}, empty: " + " ".join(empty))
if os.environ.get("PER_QUERY") == "1":
    print()
    print("per query (MAP / R@1000):")
    for s in SETS:
        for q in sorted(set().union(*(qsets.get((s, v), []) for v in variants))):
            cells = "".join(f" {sy}.{v} {res[s, v, sy].get(q, {}).get('map', 0):.3f}/"
                            f"{res[s, v, sy].get(q, {}).get('recall_1000', 0):.3f}"
                            if q in qsets.get((s, v), []) else f" {sy}.{v} -"
                            for v in variants for sy in systems)
            print(f"  {s} {q} {kind.get(q, '-'):<10}{cells}")
