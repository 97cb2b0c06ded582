#!/usr/bin/env python3
"""bench/http.sh's table and JSON.

    http-report.py RAW.tsv RSS.tsv META.tsv OUT.json

RAW.tsv: label<TAB>connections<TAB>server_cpu_ms<TAB>{wrk figures as JSON}
RSS.tsv: seconds-into-soak (or "end")<TAB>VmRSS KiB
META.tsv: key<TAB>value
"""
import json
import sys

# The goals of issue 11 (/api/search at 16 connections; the soak).
GOAL_RPS = 2000
GOAL_P99_MS = 25.0
FLAT_TOLERANCE = 0.10

LABELS = {
    "api": "/api/search",
    "api-cached": "/api/search cached",
    "page": "/?q= (HTML page)",
    "root": "/ (no search)",
    "soak": "soak (cached)",
}


def load(raw_path, rss_path, meta_path):
    runs = []
    with open(raw_path, encoding="utf-8") as f:
        for line in f:
            label, conns, cpu_ms, figures = line.rstrip("\n").split("\t", 3)
            r = json.loads(figures)
            r["label"] = label
            r["path"] = LABELS.get(label, label)
            r["connections"] = int(conns)
            r["server_cpu_ms"] = int(cpu_ms)
            r["server_cpu_ms_per_request"] = (
                int(cpu_ms) / r["requests"] if r["requests"] else None)
            r["errors"] = (r["err_connect"] + r["err_read"] + r["err_write"]
                           + r["err_timeout"] + r["err_status"])
            runs.append(r)
    samples = []
    with open(rss_path, encoding="utf-8") as f:
        for line in f:
            at, kib = line.rstrip("\n").split("\t")
            samples.append({"at_s": at if at == "end" else int(at), "rss_kib": int(kib)})
    meta = {}
    with open(meta_path, encoding="utf-8") as f:
        for line in f:
            k, v = line.rstrip("\n").split("\t", 1)
            meta[k] = v
    for k in ("cli", "cli_related"):
        line, cpu_s = meta[k].split("\t")
        meta[k] = json.loads(line)
        # Two passes over the log (a warm-up and the timed one).
        meta[k]["cpu_s"] = float(cpu_s)
        meta[k]["cpu_ms_per_query"] = float(cpu_s) * 1000 / (2 * meta[k]["n"])
    return runs, samples, meta


def soak_summary(samples, meta):
    if not samples:
        return None
    kib = [s["rss_kib"] for s in samples]
    at_1min = next((s["rss_kib"] for s in samples if s["at_s"] == 60), None)
    if at_1min is None:       # a soak shorter than a minute: the first sample
        at_1min = samples[0]["rss_kib"]
    # The last sample under load (the one after wrk stops can be lower:
    # freed memory handed back).
    during = [s["rss_kib"] for s in samples if s["at_s"] != "end"]
    last = during[-1]
    return {
        "rss_server_start_kib": int(meta["rss_start_kib"]),
        "rss_before_kib": kib[0],
        "rss_at_1min_kib": at_1min,
        "rss_last_under_load_kib": last,
        "rss_after_kib": kib[-1],
        "rss_max_kib": max(kib),
        "growth_after_1min": (last - at_1min) / at_1min if at_1min else None,
        "flat": abs(last - at_1min) <= FLAT_TOLERANCE * at_1min,
        "samples": samples,
    }


def mib(kib):
    return f"{kib / 1024:.1f}"


def main():
    raw, rss, meta_path, out = sys.argv[1:5]
    runs, samples, meta = load(raw, rss, meta_path)
    soak = soak_summary(samples, meta)
    cli = meta["cli"]

    api16 = next((r for r in runs if r["label"] == "api" and r["connections"] == 16), None)
    errors = sum(r["errors"] for r in runs)
    goals = {}
    if api16:
        goals["rps_16"] = {"goal": f">= {GOAL_RPS}", "value": round(api16["rps"], 1),
                           "met": api16["rps"] >= GOAL_RPS}
        goals["p99_ms_16"] = {"goal": f"< {GOAL_P99_MS}", "value": api16["p99_ms"],
                              "met": api16["p99_ms"] < GOAL_P99_MS}
    apic = next((r for r in runs if r["label"] == "api-cached" and r["connections"] == 16), None)
    if apic:
        goals["rps_16_cached"] = {"goal": f">= {GOAL_RPS}", "value": round(apic["rps"], 1),
                                  "met": apic["rps"] >= GOAL_RPS}
        goals["p99_ms_16_cached"] = {"goal": f"< {GOAL_P99_MS}", "value": apic["p99_ms"],
                                     "met": apic["p99_ms"] < GOAL_P99_MS}
    goals["errors"] = {"goal": "0", "value": errors, "met": errors == 0}
    if soak:
        goals["memory_flat"] = {"goal": f"last within {FLAT_TOLERANCE:.0%} of 1 min",
                                "value": soak["growth_after_1min"], "met": soak["flat"]}

    report = {"meta": meta, "runs": runs, "cli_latency": cli,
              "cli_latency_related8": meta["cli_related"], "soak": soak, "goals": goals,
              "reference": {"system": "Omega behind lighttpd", "rps": 660, "p99_ms": 52}}

    print(f"\nHTTP server - commit {meta['commit']}, {meta['date']}, {meta['nproc']} cores "
          f"({meta['cpu']}), load average at the end {meta['loadavg']}")
    print(f"wrk {meta['wrk']} -t{meta['wrk_threads']} on 127.0.0.1, server threads: "
          f"{meta['server_threads']}; {meta['query_count']} queries, one per request; "
          f"{meta['duration_s']} s per row after a {meta['warmup_s']} s warm-up\n")
    hdr = (f"{'path':<20} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
           f"{'max ms':>8} {'errors':>6} {'CPU ms/req':>10}")
    print(hdr)
    print("-" * len(hdr))
    for r in runs:
        cpu = r["server_cpu_ms_per_request"]
        print(f"{r['path']:<20} {r['connections']:>5} {r['rps']:>8.0f} {r['p50_ms']:>8.2f} "
              f"{r['p99_ms']:>8.2f} {r['max_ms']:>8.1f} {r['errors']:>6} "
              f"{cpu if cpu is None else format(cpu, '.2f'):>10}")
    for name, c in (("CLI (no HTTP)", cli), ("CLI --related=8", meta["cli_related"])):
        print(f"{name:<20} {'1':>5} {1000 / c['mean_ms'] if c['mean_ms'] else 0:>8.0f} "
              f"{c['p50_ms']:>8.2f} {c['p99_ms']:>8.2f} {'':>8} {'':>6} {c['cpu_ms_per_query']:>10.2f}")
    print("  (CLI: searcher --batch --latency, in-process, one thread, no rendering or HTTP;\n"
          "   req/s is 1/mean; CPU ms/req is the process's CPU time over its two passes;\n"
          "   the server adds 8 related names to every search, as --related=8 does)")
    if api16 and api16["server_cpu_ms_per_request"]:
        cores = int(meta["nproc"])
        ceiling = cores * 1000 / api16["server_cpu_ms_per_request"]
        report["api16_cpu_ceiling_rps"] = round(ceiling)
        print(f"\n/api/search @16: the server used {api16['server_cpu_ms_per_request']:.2f} ms of CPU "
              f"per request, so even with all {cores} cores to itself\n(and wrk elsewhere) it would "
              f"answer at most about {ceiling:,.0f} requests/s")
    if soak:
        print(f"\nsoak {meta['soak_s']} s at 16 connections: VmRSS before "
              f"{mib(soak['rss_before_kib'])} MiB, at 1 min {mib(soak['rss_at_1min_kib'])}, "
              f"last under load {mib(soak['rss_last_under_load_kib'])}, max {mib(soak['rss_max_kib'])}, "
              f"after {mib(soak['rss_after_kib'])} MiB\n"
              f"({soak['growth_after_1min']:+.1%} from 1 min to the end of the load) -> "
              f"{'flat' if soak['flat'] else 'GROWING'}")
    print("\ngoals (issue 11)                         value      met")
    if api16:
        print(f"  /api/search @16 req/s >= {GOAL_RPS} (no cache) {api16['rps']:>5.0f}      "
              f"{'yes' if goals['rps_16']['met'] else 'NO'}")
        print(f"  /api/search @16 p99 < {GOAL_P99_MS:g} ms            {api16['p99_ms']:>10.2f}      "
              f"{'yes' if goals['p99_ms_16']['met'] else 'NO'}")
    if apic:
        print(f"  cached: /api/search @16 req/s          {apic['rps']:>10.0f}      "
              f"{'yes' if goals['rps_16_cached']['met'] else 'NO'}")
        print(f"  cached: /api/search @16 p99 ms         {apic['p99_ms']:>10.2f}      "
              f"{'yes' if goals['p99_ms_16_cached']['met'] else 'NO'}")
    print(f"  zero errors (all rows)                 {errors:>10}      "
          f"{'yes' if errors == 0 else 'NO'}")
    if soak:
        print(f"  memory flat over the soak              {soak['growth_after_1min']:>+10.1%}      "
              f"{'yes' if soak['flat'] else 'NO'}")
    print("  (reference: Omega behind lighttpd, 660 req/s, p99 52 ms on this kind of machine)")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
