#!/usr/bin/env python3
"""Protocol 17's tables (docs/VALIDATION.md) from the JSON of `hyperlaws validate --protocol 17 --json`, one file per set (or one
for all): every run's errors, the declared headline over the sets given, the means per schedule family, and 17b's pairs.
Usage: benchmarks/foreign-runs-lrsched/tables.py P17-SET.json ...   (markdown on stdout)"""
import json, statistics, sys

LAWS = ["optlaw", "mpl", "tissue", "convex"]
ALL = LAWS + ["select", "last"]
GRID = {"sp-124m", "sp-124m-ext"}  # the 124M grid's recipe (declared)


def pct(x):
    return "-" if x is None else f"{100 * x:.2f}%"


def err(p):
    e = p.get("relativeError")
    return e if isinstance(e, (int, float)) else None


def cell(p):
    e = err(p)
    if p.get("failure") is not None and e is None: return "failed"
    s = pct(e) + ("*" if p.get("priors") else "") + (" (<=0)" if p.get("nonPhysical") else "")
    return s + (f" ({p['chosen']})" if p.get("chosen") else "")


def family(p):
    if p["set"].endswith("-ext"): return "extensions"
    return {"const": "constant", "cos": "cosine", "wsd0.2": "WSD 20%"}[p["run"].split("-")[2]]


first, horizon, sets = [], [], []
for f in sys.argv[1:]:
    d = json.load(open(f))
    assert d["protocol"] == 17, f
    first += d["firstHalf"]; horizon += d["horizon"]
    sets += [s for s in d["sets"] if s not in sets]

print("| set | run | points | final loss | last fitted | " + " | ".join(ALL) + " |")
print("|---" * (5 + len(ALL)) + "|")
runs = list(dict.fromkeys((p["set"], p["run"]) for p in first))
by = {(p["set"], p["run"], p["law"]): p for p in first}
for s, r in runs:
    b = by[(s, r, "last")]
    print(f"| {s} | {r} | {b['points']} | {b['actual']:.4f} | {b['predicted']:.4f} | " + " | ".join(cell(by[(s, r, l)]) if (s, r, l) in by else "-" for l in ALL) + " |")


def set_means(law, keep):
    out = {}
    for s in sets:
        if s not in keep: continue
        e = [err(p) for p in first if p["law"] == law and p["set"] == s and err(p) is not None]
        out[s] = statistics.mean(e) if e else None
    return out


print()
print("| law | " + " | ".join(sets) + " | mean of sets | sets won | median | with priors | <= 0 | failures | mean of sets without sp-124m(-ext) |")
print("|---" * (len(sets) + 8) + "|")
means = {l: set_means(l, set(sets)) for l in ALL}
wins = {l: 0 for l in LAWS}
for s in sets:
    best = min((l for l in LAWS if means[l][s] is not None), key=lambda l: means[l][s], default=None)
    if best: wins[best] += 1
for l in ALL:
    m = [v for v in means[l].values() if v is not None]
    mine = [p for p in first if p["law"] == l]
    e = [err(p) for p in mine if err(p) is not None]
    nogrid = [v for s, v in means[l].items() if v is not None and s not in GRID]
    print(f"| {l} | " + " | ".join(pct(means[l][s]) for s in sets) + f" | {pct(statistics.mean(m) if m else None)} | {wins.get(l, '-')} | "
          f"{pct(statistics.median(e) if e else None)} | {sum(1 for p in mine if p.get('priors'))} | {sum(1 for p in mine if p.get('nonPhysical'))} | "
          f"{sum(1 for p in mine if err(p) is None)} | {pct(statistics.mean(nogrid) if nogrid and len(nogrid) < len(m) else None)} |")

fams = list(dict.fromkeys(family(p) for p in first))
print()
print("| law | " + " | ".join(f"{f} ({len({p['run'] for p in first if family(p) == f})} runs)" for f in fams) + " |")
print("|---" * (len(fams) + 1) + "|")
for l in ALL:
    print(f"| {l} | " + " | ".join(pct(statistics.mean(e)) if (e := [err(p) for p in first if p["law"] == l and family(p) == f and err(p) is not None]) else "-" for f in fams) + " |")

if horizon:
    print()
    hl = LAWS + ["last"]
    print("| fitted on | predicted run | step | final loss | " + " | ".join(hl) + " |")
    print("|---" * (4 + len(hl)) + "|")
    pairs = list(dict.fromkeys((p["fittedOn"], p["run"]) for p in horizon))
    hb = {(p["fittedOn"], p["run"], p["law"]): p for p in horizon}
    hw = {l: 0 for l in LAWS}
    for a, b in pairs:
        x = hb[(a, b, "last")]
        print(f"| {a} | {b} | {x['step']} | {x['actual']:.4f} | " + " | ".join(cell(hb[(a, b, l)]) if (a, b, l) in hb else "-" for l in hl) + " |")
        best = min((l for l in LAWS if (a, b, l) in hb and err(hb[(a, b, l)]) is not None), key=lambda l: err(hb[(a, b, l)]), default=None)
        if best: hw[best] += 1
    for name, f in (("mean", statistics.mean), ("median", statistics.median)):
        print(f"| {name} over {len(pairs)} pairs | | | | " + " | ".join(pct(f(e)) if (e := [err(p) for p in horizon if p["law"] == l and err(p) is not None]) else "-" for l in hl) + " |")
    print("| pairs won | | | | " + " | ".join(str(hw[l]) if l in hw else "-" for l in hl) + " |")
