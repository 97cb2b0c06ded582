#!/usr/bin/env python3
"""bench/report.py RAW.tsv META.tsv OUT.json - the table of `make bench`.
   bench/report.py --json bench/out/latest.json  - the same table again.

RAW has one line per measurement, "system<TAB>metric<TAB>size<TAB>run<TAB>value"
(bench/run.sh writes it, runs in order); META is "key<TAB>value". Prints the
tables in Markdown (so they can go into README.md as they are) and writes
every raw figure, the medians and the ratios to OUT.json.

Figures are medians over the runs. A ratio Tigris/peer is the median of the
per-run ratios (run i of Tigris against run i of the peer, measured minutes
apart), which cancels most of a noisy machine's drift; a figure measured
once (compaction) is compared as it is.
"""
import json
import statistics
import sys

SYSTEMS = ("tigris", "xapian", "fts5")
NAMES = {"tigris": "Tigris", "xapian": "Xapian", "fts5": "FTS5"}
MIB = 1024.0


def load(raw_path, meta_path):
    raw = {}
    for line in open(raw_path, encoding="utf-8"):
        system, metric, size, run, value = line.rstrip("\n").split("\t", 4)
        if metric == "latency":
            for k, v in json.loads(value).items():
                raw.setdefault((system, k, size), []).append(v)
        else:
            raw.setdefault((system, metric, size), []).append(float(value))
    meta = dict(line.rstrip("\n").split("\t", 1) for line in open(meta_path, encoding="utf-8"))
    return raw, meta


def load_json(path):
    j = json.load(open(path, encoding="utf-8"))
    raw = {(r["system"], r["metric"], r["size"]): r["values"] for r in j["raw"]}
    return raw, j["meta"]


def fmt(v, digits=None):
    if v is None:
        return "-"
    if digits is None:
        digits = 0 if abs(v) >= 100 else 1 if abs(v) >= 10 else 2 if abs(v) >= 1 else 3
    return f"{v:,.{digits}f}"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--json":
        raw, meta = load_json(sys.argv[2])
        out_path = None
    elif len(sys.argv) == 4:
        raw, meta = load(sys.argv[1], sys.argv[2])
        out_path = sys.argv[3]
    else:
        sys.exit("usage: report.py RAW.tsv META.tsv OUT.json | report.py --json LATEST.json")

    def med(system, metric, size="full"):
        v = raw.get((system, metric, size))
        return statistics.median(v) if v else None

    sizes = sorted({k[2] for k in raw if k[2] != "full"}, key=int) + ["full"]
    fig = {s: {} for s in SYSTEMS}      # medians, full input
    scale = {s: {} for s in SYSTEMS}    # per input size
    for s in SYSTEMS:
        for size in sizes:
            t = med(s, "index_s", size)
            if t is None:
                continue
            nbytes = float(meta[f"bytes_{size}"])
            lines = float(meta[f"lines_{size}"])
            scale[s][size] = {
                "articles": int(lines), "index_s": t, "mb_per_s": nbytes / 1e6 / t,
                "articles_per_s": lines / t, "peak_rss_mib": med(s, "rss_kib", size) / MIB,
                "index_mib": med(s, "size_kib", size) / MIB,
            }
        f = dict(scale[s]["full"])
        c = med(s, "compact_kib")
        f["index_compacted_mib"] = c / MIB if c is not None else None
        # Tigris keeps each article's text: its peer here is Xapian
        # keeping each article's JSON line.
        cj = med(s, "compact_json_kib") if s == "xapian" else c if s == "tigris" else None
        f["index_compacted_json_mib"] = cj / MIB if cj is not None else None
        for k in ("p50_ms", "p95_ms", "p99_ms", "mean_ms", "first_p50_ms", "first_p99_ms"):
            f[k] = med(s, k)
        f["add_one_ms"] = med(s, "add_s") * 1e3
        f["peak_rss_max_mib"] = max(v["peak_rss_mib"] for v in scale[s].values())
        fig[s] = f

    # Per-run series behind each figure of the full input, for paired ratios.
    def series(s, k):
        def get(metric):
            return raw.get((s, metric, "full"))
        if k in ("mb_per_s", "articles_per_s"):
            v = get("index_s")
            return [1.0 / x for x in v] if v else None
        if k == "index_compacted_json_mib":
            return get("compact_json_kib" if s == "xapian" else "compact_kib")
        return get({"peak_rss_mib": "rss_kib", "index_mib": "size_kib",
                    "index_compacted_mib": "compact_kib", "add_one_ms": "add_s"}.get(k, k))

    def ratio(k, peer):
        a, b = series("tigris", k), series(peer, k)
        if a and b and len(a) == len(b) and all(b):
            return statistics.median(x / y for x, y in zip(a, b))
        a, b = fig["tigris"].get(k), fig[peer].get(k)
        return a / b if a is not None and b else None

    rows = [
        ("indexing wall time (s)", "index_s"),
        ("indexing MB/s", "mb_per_s"),
        ("indexing articles/s", "articles_per_s"),
        ("peak RSS while indexing (MiB)", "peak_rss_mib"),
        ("index size on disk (MiB)", "index_mib"),
        ("index size after xapian-compact (MiB)", "index_compacted_mib"),
        ("  the same, Xapian keeping each JSON line as data (MiB)", "index_compacted_json_mib"),
        ("query p50, top 10 (ms)", "p50_ms"),
        ("query p95 (ms)", "p95_ms"),
        ("query p99 (ms)", "p99_ms"),
        ("query mean (ms)", "mean_ms"),
        # The warm-up pass: each query new to the process, as a server
        # answering new searches meets them (the timed pass repeats them,
        # which flatters every cache: the OS's, Xapian's, Tigris's).
        ("query p50, each query new (ms)", "first_p50_ms"),
        ("query p99, each query new (ms)", "first_p99_ms"),
        ("add 1 article + commit, full index (ms)", "add_one_ms"),
    ]
    ratios = {peer: {k: ratio(k, peer) for _, k in rows} for peer in ("xapian", "fts5")}

    def each_run(k, peer="xapian"):
        """The per-run ratios behind a median, for the targets: on a noisy
        machine one run's ratio can sit on either side of a target."""
        a, b = series("tigris", k), series(peer, k)
        if not a or not b or len(a) != len(b) or len(a) < 2 or not all(b):
            return ""
        return " (runs: " + ", ".join(f"{x / y:.2f}" for x, y in zip(a, b)) + ")"

    n_full = int(meta["lines_full"])
    mb_full = int(meta["bytes_full"]) / 1e6
    print()
    runs = f"median of {meta['runs']} runs" if meta["runs"] != "1" else "one run"
    print(f"news.jsonl: {n_full:,} articles, {mb_full:.2f} MB; {int(meta['query_count']):,} queries; "
          f"{runs} (add: median of {meta['add_runs']})")
    print(f"{meta['date']}; {meta['nproc']} cores, {meta['cpu']}, "
          f"{int(meta['mem_kib']) / MIB / MIB:.1f} GiB RAM; Xapian {meta['xapian']}, "
          f"SQLite {meta['sqlite']}; Tigris {meta['commit']}")
    print()
    print("Figures: medians. Ratios: medians of the per-run ratios (same run, minutes apart).")
    print()
    print("| | Tigris | Xapian | FTS5 | Tigris/Xapian | Tigris/FTS5 |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, k in rows:
        cells = [fmt(fig[s].get(k)) for s in SYSTEMS]
        rx, rf = ratios["xapian"][k], ratios["fts5"][k]
        print(f"| {label} | " + " | ".join(cells) +
              f" | {fmt(rx, 2) if rx else '-'} | {fmt(rf, 2) if rf else '-'} |")

    print()
    print("Indexing as the input grows (wall s / MB/s / peak RSS MiB; the first 21,578 lines")
    print("are Reuters, shorter than the 20 Newsgroups messages after them):")
    print()
    print("| articles | " + " | ".join(NAMES[s] for s in SYSTEMS) + " | Tigris/Xapian MB/s |")
    print("|---:|" + "---:|" * (len(SYSTEMS) + 1))
    for size in sizes:
        cells = []
        for s in SYSTEMS:
            v = scale[s].get(size)
            cells.append(f"{fmt(v['index_s'])} / {fmt(v['mb_per_s'])} / {fmt(v['peak_rss_mib'], 0)}"
                         if v else "-")
        tv, xv = raw.get(("tigris", "index_s", size)), raw.get(("xapian", "index_s", size))
        r = fmt(statistics.median(x / t for t, x in zip(tv, xv)), 2) \
            if tv and xv and len(tv) == len(xv) else "-"
        print(f"| {int(meta[f'lines_{size}']):,} | " + " | ".join(cells) + f" | {r} |")

    t, x, f = fig["tigris"], fig["xapian"], fig["fts5"]
    targets = [
        ("indexing throughput >= 2.5x Xapian", f"{ratios['xapian']['mb_per_s']:.2f}x{each_run('mb_per_s')}",
         ratios["xapian"]["mb_per_s"] >= 2.5),
        ("peak RSS while indexing < 256 MiB, every size", f"{t['peak_rss_max_mib']:.0f} MiB",
         t["peak_rss_max_mib"] < 256),
        ("index size <= compacted Xapian with each JSON line as data (issue 20)",
         f"{t['index_mib'] / x['index_compacted_json_mib']:.2f}x "
         f"({t['index_mib'] / x['index_compacted_mib']:.2f}x Xapian with ids only, "
         f"{t['index_mib'] / f['index_mib']:.2f}x FTS5)",
         t["index_mib"] <= x["index_compacted_json_mib"]),
        ("query p50 <= 1.5x Xapian", f"{ratios['xapian']['p50_ms']:.2f}x{each_run('p50_ms')}",
         ratios["xapian"]["p50_ms"] <= 1.5),
        ("query p99 <= 2x Xapian", f"{ratios['xapian']['p99_ms']:.2f}x{each_run('p99_ms')}",
         ratios["xapian"]["p99_ms"] <= 2),
        ("query p99 >= 5x faster than FTS5", f"FTS5/Tigris {1 / ratios['fts5']['p99_ms']:.2f}x",
         1 / ratios["fts5"]["p99_ms"] >= 5),
        ("add 1 article + commit < 100 ms", f"{t['add_one_ms']:.0f} ms", t["add_one_ms"] < 100),
    ]
    print()
    print("| target | measured | met |")
    print("|---|---:|:---:|")
    for name, got, met in targets:
        print(f"| {name} | {got} | {'yes' if met else 'no'} |")
    print()

    result = {
        "meta": meta, "figures": fig, "scaling": scale, "ratios": ratios,
        "targets": [{"target": n, "measured": g, "met": m} for n, g, m in targets],
        "raw": [{"system": k[0], "metric": k[1], "size": k[2], "values": v}
                for k, v in sorted(raw.items())],
    }
    if out_path:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=1)
            fh.write("\n")
        print(f"raw figures: {out_path}")


if __name__ == "__main__":
    main()
