#!/usr/bin/env python3
"""The stall holds side by side (docs/VALIDATION.md, "A stall hold of the progress alone") from the JSON of one
`hyperlaws validate --protocol N --stall-hold progress --json` run: per law the headline (mean of the set means), the median and
the held count of the law's own prediction ("off", each row's lawPredicted), the level hold (the stall record's level after its
window: what --stall-hold level predicts from the same fit) and the progress hold (the run's predicted); protocol 17 adds 17b's
mean over its pairs; then every stalled prediction. A JSON of a --stall-hold level run gives off and level only (progress = level).
Usage: benchmarks/stall-hold/compare.py RUN.json   (markdown on stdout)"""
import json, math, statistics, sys

LAWS = ["optlaw", "mpl", "tissue", "convex", "select", "last"]


def fin(x):
    return isinstance(x, (int, float)) and math.isfinite(x)


def stalled(p):
    s = p.get("stall")
    return bool(s and s.get("stalled") and p["step"] > s["toStep"])


def value(p, hold):
    """The prediction of row p under hold (off, level, progress)."""
    if p["law"] == "last": return p["predicted"]
    if hold == "off": return p.get("lawPredicted")
    if hold == "level": return p["stall"]["level"] if stalled(p) and fin(p.get("lawPredicted")) else p.get("lawPredicted")
    return p.get("predicted")


def err(p, hold):
    v = value(p, hold)
    return abs(v - p["actual"]) / p["actual"] if fin(v) else None


def headline(rows, law, hold):
    mine = [p for p in rows if p["law"] == law]
    sets = sorted({p["set"] for p in mine})
    means = []
    for s in sets:
        e = [err(p, hold) for p in mine if p["set"] == s]
        e = [x for x in e if x is not None]
        if e: means.append(sum(e) / len(e))
    all_e = [x for x in (err(p, hold) for p in mine) if x is not None]
    bad = sum(1 for p in mine if fin(value(p, hold)) and value(p, hold) <= 0)
    return (sum(means) / len(means) if means else None, statistics.median(all_e) if all_e else None, len(mine) - len(all_e), bad)


def pct(x):
    return "-" if x is None else f"{100 * x:.3f}%"


d = json.load(open(sys.argv[1]))
first, horizon = d["firstHalf"], d.get("horizon", [])
print(f"Protocol {d['protocol']}: {len({p['run'] for p in first})} runs, {len(d['sets'])} sets\n")
cols = "| law | off | level | progress | ratio progress/level | median off / level / progress | held | no prediction | <= 0 |"
print(cols + (" horizon (b) off / level / progress | horizon held |" if horizon else ""))
print("|" + "---|" * (cols.count("|") - 1 + (2 if horizon else 0)))
for law in LAWS:
    h = {k: headline(first, law, k) for k in ("off", "level", "progress")}
    held = sum(1 for p in first if p["law"] == law and stalled(p))
    ratio = h["progress"][0] / h["level"][0] if h["level"][0] and h["progress"][0] is not None else None
    line = (f"| {law} | {pct(h['off'][0])} | {pct(h['level'][0])} | {pct(h['progress'][0])} | {'-' if ratio is None else f'{ratio:.3f}'} | "
            f"{pct(h['off'][1])} / {pct(h['level'][1])} / {pct(h['progress'][1])} | {held} | {h['progress'][2]} | {h['progress'][3]} |")
    if horizon:
        hb = {k: [x for x in (err(p, k) for p in horizon if p["law"] == law) if x is not None] for k in ("off", "level", "progress")}
        line += " " + " / ".join(pct(sum(v) / len(v)) if v else "-" for v in hb.values()) + f" | {sum(1 for p in horizon if p['law'] == law and stalled(p))} |"
    print(line)

print("\nStalled predictions (after the fitted window): final loss, the law's own, the level, the progress hold, errors off / level / progress:\n")
print("| part | run | law | final | own | level | progress | off | level | progress |")
print("|---|---|---|---|---|---|---|---|---|---|")
for part, rows in (("first half", first), ("horizon (b)", horizon)):
    for p in rows:
        if p["law"] != "last" and stalled(p):
            print(f"| {part} | {p['run']} | {p['law']} | {p['actual']:.4f} | {value(p, 'off'):.4f} | {value(p, 'level'):.4f} | {value(p, 'progress'):.4f} | "
                  f"{pct(err(p, 'off'))} | {pct(err(p, 'level'))} | {pct(err(p, 'progress'))} |")
