#!/usr/bin/env python3
"""Sums the outputs of `validate --lr-holdout --json` (protocol 3h: one file; 17h: one file per manifest set) into one table:
per ranker the held-out-LR pairs ordered right (all, within, across, by fraction), and the member drop's check on the full fit.
Usage: benchmarks/lr-holdout/merge.py OUT.json [OUT2.json ...]"""
import json, sys
from collections import defaultdict

files = [json.load(open(p)) for p in sys.argv[1:]]
rankers = files[0]["rankers"]
tot = defaultdict(lambda: defaultdict(int))
for d in files:
    for r in d["rankers"]:
        t = tot[r["ranker"]]
        for k in ("correct", "pairs", "withinCorrect", "within", "acrossCorrect", "across", "acrossSameShapeCorrect", "acrossSameShape"):
            t[k] += r[k]
        for b in r["byFraction"]:
            t[("f", b["fraction"], "c")] += b["correct"]; t[("f", b["fraction"], "p")] += b["pairs"]
        for b in r["byHeldLr"]:
            t[("lr", b["heldLr"], "c")] += b["correct"]; t[("lr", b["heldLr"], "p")] += b["pairs"]
fr = sorted({k[1] for t in tot.values() for k in t if isinstance(k, tuple) and k[0] == "f"})
lrs = sorted({k[1] for t in tot.values() for k in t if isinstance(k, tuple) and k[0] == "lr"})
pct = lambda c, p: f"{100 * c / p:.1f}% ({c}/{p})" if p else "-"
print(f"protocol {files[0]['protocol']}: {len(files)} file(s)")
print("| ranker | all | within | across | across, same shape | " + " | ".join(f"f={f}" for f in fr) + " | " + " | ".join(f"lr={l:g} out" for l in lrs) + " |")
for r in rankers:
    t = tot[r["ranker"]]
    print(f"| {r['ranker']} | {pct(t['correct'], t['pairs'])} | {pct(t['withinCorrect'], t['within'])} | {pct(t['acrossCorrect'], t['across'])} | {pct(t['acrossSameShapeCorrect'], t['acrossSameShape'])} | "
          + " | ".join(pct(t[('f', f, 'c')], t[('f', f, 'p')]) for f in fr) + " | "
          + " | ".join(pct(t[('lr', l, 'c')], t[('lr', l, 'p')]) for l in lrs) + " |")
drop = defaultdict(lambda: defaultdict(int))
for d in files:
    for x in d["drop"]:
        for k in ("sets", "setsChanged", "top2WithDrop", "top2Without", "correctWithDrop", "correctWithout", "pairs", "nearChanged"):
            drop[x["fraction"]][k] += x[k]
print("\nmember drop on the full fit: | fraction | sets (changed) | Top-2 with / without | pairs with / without |")
s = defaultdict(int)
for f in sorted(drop):
    x = drop[f]
    for k, v in x.items(): s[k] += v
    print(f"| {f} | {x['sets']} ({x['setsChanged']}) | {x['top2WithDrop']} / {x['top2Without']} | {x['correctWithDrop']} / {x['correctWithout']} of {x['pairs']} |")
print(f"| all | {s['sets']} ({s['setsChanged']}) | {s['top2WithDrop']} / {s['top2Without']} | {s['correctWithDrop']} / {s['correctWithout']} of {s['pairs']} |")
print(f"full-fit sets where ensemble-lr-near's order differs from ensemble-lr's: {s['nearChanged']}")
notes = [n for d in files for n in d["notes"]]
print(f"\ndrop notes ({len(notes)}):")
for n in notes: print("  " + n)
