#!/usr/bin/env python3
"""Turns the raw outputs of bench/run.sh into the backend's section of docs/BENCHMARKS.md.

usage: bench/report.py BACKEND OUT_DIR DOC

Medians over the runs; every run's figure is listed beside the median. The section sits between
two marker comments and is replaced on the next run of the same backend.
"""
import glob
import os
import re
import statistics
import sys

backend, out, doc = sys.argv[1], sys.argv[2], sys.argv[3]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse(path):
    text = open(path, encoding="utf-8").read()
    r = {"text": text}
    m = re.search(r"^load: (\S+)", text, re.M)
    r["load"] = float(m.group(1)) if m else None
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        r["p" + pct] = float(m.group(1)) * UNITS[m.group(2)] if m else None
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"requests in ([\d.]+)(s|m)", text)
    r["secs"] = float(m.group(1)) * (60 if m and m.group(2) == "m" else 1) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    r["errors"] = errors
    for key in ("rss_kb", "hwm_kb", "submitted", "created", "approved", "queue empty"):
        m = re.search(rf"^{key}: (\d+)", text, re.M)
        r[key] = int(m.group(1)) if m else None
    return r


def runs(name):
    files = sorted(glob.glob(os.path.join(out, f"{name}.*.txt")), key=lambda p: int(p.rsplit(".", 2)[1]))
    return [parse(f) for f in files]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0, unit=""):
    if v is None:
        return "—"
    return f"{v:,.{digits}f}{unit}"


def cell(values, digits=0, unit=""):
    """Median in bold, then every run's value."""
    m = med(values)
    each = ", ".join(fmt(v, digits) for v in values)
    return f"**{fmt(m, digits, unit)}** ({each})" if m is not None else "—"


def verdict(value, limit, at_least):
    if value is None or limit is None:
        return ""
    ok = value >= limit if at_least else value <= limit
    return "met" if ok else "**missed**"


pg = backend == "postgres"
rows = []
budget_rows = []


def add(name, label, rate=None, rate_label="req/s", rate_budget=None, p50_budget=None, p99_budget=None):
    rs = runs(name)
    if not rs:
        return
    if rate is None:
        rates = [r["rps"] for r in rs]
    else:
        rates = [rate(r) for r in rs]
    p50s, p99s = [r["p50"] for r in rs], [r["p99"] for r in rs]
    errors = sum(r["errors"] for r in rs)
    # A rate over a queue that ran out is only a lower bound: say so beside it.
    ran_out = [str(i + 1) for i, r in enumerate(rs) if rate is not None and (r.get("queue empty") or 0)]
    if ran_out:
        label = f"{label} (queue ran out in run {', '.join(ran_out)}: a lower bound)"
    loads = ", ".join(fmt(r["load"], 2) for r in rs)
    rss = max((r["rss_kb"] or 0) for r in rs) / 1024
    rows.append(
        f"| {label} | {cell(rates)} {rate_label} | {cell(p50s, 2)} | {cell(p99s, 2)} | {errors:,} | {loads} | {rss:,.0f} MB |"
    )
    if rate_budget:
        budget_rows.append((f"{label}: {rate_label}", f"≥ {rate_budget:,}", fmt(med(rates)), verdict(med(rates), rate_budget, True)))
    if p50_budget:
        budget_rows.append((f"{label}: p50", f"≤ {p50_budget} ms", fmt(med(p50s), 2, " ms"), verdict(med(p50s), p50_budget, False)))
    if p99_budget:
        budget_rows.append((f"{label}: p99", f"≤ {p99_budget} ms", fmt(med(p99s), 2, " ms"), verdict(med(p99s), p99_budget, False)))


def per_second(key):
    return lambda r: (r[key] / r["secs"]) if r[key] is not None and r["secs"] else None


add("read_by_id", "GET /milestones/{id}, random of 20,000 ids across the table, province officer",
    rate_budget=8000 if pg else 16000, p99_budget=25)
add("review_queue", "GET /milestones?state=submitted, Hangzhou reviewer (first page of 50)")
add("stats_cumulative", "/stats/progress cloud adoption 2022 (cumulative, 家), no known_at", p50_budget=15)
add("stats_increment", "/stats/progress smart factories 2023 (increment, 个), no known_at", p50_budget=15)
add("create_submit", "create + submit a digital workshop, API clients of 200 random enterprises",
    rate=per_second("submitted"), rate_label="milestones/s", rate_budget=2000 if pg else None)
add("approve", "approve, the 11 city reviewers, submitted records in random order",
    rate=per_second("approved"), rate_label="approvals/s", rate_budget=1500 if pg else None)
add("stats_known_at_cumulative", "/stats/progress cloud 2022, known_at 2024-01-15 (2 connections: the cap)",
    p50_budget=300)
add("stats_known_at_increment", "/stats/progress smart 2023, known_at 2024-01-15 (2 connections: the cap)",
    p50_budget=300)
add("logins", "login storm, 8 connections (beside the reads below)", rate_budget=70)
add("reads_beside_logins", "GET /milestones/{id} beside the logins, 16 connections paced at ~1,000 req/s",
    p99_budget=50)

add("ref_read_by_id", "reference service: the same reads (JWT check + PK read), same run")
add("ref_approve", "reference service: the same approvals (conditional update + counter), same run",
    rate=per_second("approved"), rate_label="approvals/s")


def ratio(name, ref, label, goal, rate=None):
    mine, theirs = runs(name), runs(ref)
    if not mine or not theirs:
        return
    get = rate or (lambda r: r["rps"])
    # An approval rate is a rate only while there was something to approve.
    ran_out = [i + 1 for i, (a, b) in enumerate(zip(mine, theirs)) if (a["queue empty"] or 0) or (b["queue empty"] or 0)]
    if ran_out:
        budget_rows.append((f"{label}: registry ÷ reference, same run", f"≥ {goal}",
                            f"— (a queue ran out in run {', '.join(map(str, ran_out))}: more data needed)", ""))
        return
    pairs = [(get(a), get(b)) for a, b in zip(mine, theirs)]
    values = [a / b for a, b in pairs if a and b]
    if values:
        budget_rows.append((f"{label}: registry ÷ reference, same run", f"≥ {goal}",
                            f"{med(values):.2f} ({', '.join(f'{v:.2f}' for v in values)})",
                            verdict(med(values), goal, True)))


ratio("read_by_id", "ref_read_by_id", "reads", 0.8)
ratio("approve", "ref_approve", "approvals", 0.5, rate=per_second("approved"))

misses = {}
for path in sorted(glob.glob(os.path.join(out, "stats_miss.*.txt"))):
    for line in open(path, encoding="utf-8"):
        m = re.match(r"(\w+) cache miss: ([\d.]+) s", line)
        if m:
            misses.setdefault(m.group(1), []).append(float(m.group(2)) * 1000)

meta = open(os.path.join(out, "meta.txt"), encoding="utf-8").read().strip()
hwm = max((r["hwm_kb"] or 0) for name in ("read_by_id", "review_queue", "stats_cumulative", "stats_increment",
          "create_submit", "approve", "stats_known_at_cumulative", "stats_known_at_increment", "logins",
          "reads_beside_logins") for r in runs(name)) / 1024
budget_rows.append(("server peak RSS (VmHWM) over the whole run", "≤ 150 MB", f"{hwm:,.0f} MB", verdict(hwm, 150, False)))
# Not a budget line (the budget's p50 is over 64 connections, mostly cache hits): what the first
# request after writes costs, one request, timed by curl.
for kind, values in misses.items():
    budget_rows.append((f"/stats/progress {kind}, first request after writes (cache miss, one request)", "—",
                        f"{med(values):,.1f} ms ({', '.join(f'{v:.1f}' for v in values)})", "information"))

lines = [
    f"<!-- bench/run.sh {backend} start -->",
    f"### {'PostgreSQL' if pg else 'SQLite'} — generated by `bench/run.sh`",
    "",
    "```",
    meta,
    "```",
    "",
    "Medians in bold, each run's figure in brackets; latency in ms; errors = non-2xx + socket errors",
    "over all runs; load = 1-minute load average before each run; RSS = the server's largest",
    "resident size after the scenario.",
    "",
    "| scenario (wrk -t2 -c64 unless noted) | throughput | p50 ms | p99 ms | errors | load | RSS |",
    "|---|---|---|---|---|---|---|",
    *rows,
    "",
    "| budget line | budget | median | |",
    "|---|---|---|---|",
    *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in budget_rows],
    f"<!-- bench/run.sh {backend} end -->",
]
section = "\n".join(lines)
text = open(doc, encoding="utf-8").read() if os.path.exists(doc) else "# Benchmarks\n"
start, end = f"<!-- bench/run.sh {backend} start -->", f"<!-- bench/run.sh {backend} end -->"
if start in text and end in text:
    text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(doc, "w", encoding="utf-8").write(text)
print(section)
