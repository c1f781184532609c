"""The table of benches/official-sdks/run.sh from its results.tsv (also on its own:
`python3 benches/official-sdks/table.py <out>/results.tsv`).

Per concurrency and side, medians over the rounds; each ratio is side / ours within a round, and
the cell shows those ratios' median (min-max), so the shared machine's drift between rounds
cancels.
"""
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
sides = ["ours", "raw", "node", "python"]
levels = sorted({int(r["concurrency"]) for r in rows})
rounds = sorted({int(r["round"]) for r in rows})

def metrics(r):
    n = int(r["events"])
    return {
        "rate": n / float(r["seconds"]),
        "cpu": float(r["cpu_seconds"]) * 1e6 / n,
        "rss": int(r["peak_rss_kib"]) / 1024,
        # The server's CPU over the whole side process: warm-up and measured events.
        "server": float(r["server_cpu_seconds"]) * 1e6 / (n + int(r.get("warmup") or 0)),
    }

def cell(values, fmt):
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return f"{fmt(med)} ({fmt(min(values))}–{fmt(max(values))})"

thousands = lambda v: f"{v:,.0f}"
one = lambda v: f"{v:.1f}"
ratio = lambda v: f"{v:.3f}" if v < 0.1 else f"{v:.2f}" if v < 10 else f"{v:.1f}"
print("| concurrency | side | events/s | ÷ ours | client CPU µs/event | ÷ ours | peak RSS MiB | ÷ ours | server CPU µs/event |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for c in levels:
    by = {(int(r["round"]), r["side"]): metrics(r) for r in rows if int(r["concurrency"]) == c}
    for side in sides:
        got = [by[(n, side)] for n in rounds if (n, side) in by]
        if not got:
            continue
        pairs = [(by[(n, side)], by[(n, "ours")]) for n in rounds if (n, side) in by and (n, "ours") in by]
        col = lambda key: [m[key] for m in got]
        rat = lambda key: [s[key] / o[key] for s, o in pairs]
        if side == "ours":
            rates = cpus = rsss = "1"
        else:
            rates, cpus, rsss = (cell(rat(k), ratio) for k in ("rate", "cpu", "rss"))
        print(f"| {c} | {side} | {cell(col('rate'), thousands)} | {rates} | {cell(col('cpu'), one)} | {cpus} "
              f"| {cell(col('rss'), one)} | {rsss} | {cell(col('server'), one)} |")
print()
print("Each cell: median over the rounds (min–max); a ratio is side ÷ ours within each round, median (min–max).")
print("Server CPU per event: the intercom-dummy process over the whole side process (warm-up included).")
