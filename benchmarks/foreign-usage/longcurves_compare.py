#!/usr/bin/env python3
"""Compares the base and branch outputs of longcurves.sh (docs/VALIDATION.md, "OptLaw on long curves and the contour at 2.3M
steps"): the OptLaw fits (objective, alpha, p, every parameter) and the contours (every cell of each contour CSV, the optima).
Usage: longcurves_compare.py WORK"""
import csv, glob, json, math, os, sys

work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/longcurves"
def rel(a, b):
    return 0.0 if a == b else abs(a - b) / max(abs(a), abs(b))
b, n = os.path.join(work, "base-law.json"), os.path.join(work, "branch-law.json")
if os.path.exists(b) and os.path.exists(n):
    pb, pn = json.load(open(b)), json.load(open(n))
    print(f"fit objective base {pb['objective']!r} branch {pn['objective']!r} (branch/base - 1 = {pn['objective'] / pb['objective'] - 1:.3g})")
    print(f"  stop: {pn['stopReason']}")
    for k, v in pb["parameters"].items():
        w = pn["parameters"][k]
        print(f"  {k}: base {v!r} branch {w!r} rel {rel(v, w):.3g}")
for case in ("pythia", "fairseq"):
    db, dn = os.path.join(work, f"base-contour-{case}"), os.path.join(work, f"branch-contour-{case}")
    eb, en = os.path.join(work, f"base-contour-{case}.err"), os.path.join(work, f"branch-contour-{case}.err")
    if os.path.exists(eb) and os.path.exists(en):
        print(f"contour {case}: stderr equal: {open(eb).read() == open(en).read()}")
    files = sorted(os.path.basename(f) for f in glob.glob(os.path.join(db, "*.csv")))
    for f in files:
        rb = list(csv.reader(open(os.path.join(db, f))))
        rn = list(csv.reader(open(os.path.join(dn, f)))) if os.path.exists(os.path.join(dn, f)) else []
        cells = differ = 0; worst = 0.0; text = 0
        for x, y in zip(rb, rn):
            for u, v in zip(x, y):
                try:
                    fu, fv = float(u), float(v)
                except ValueError:
                    text += u != v
                    continue
                if math.isnan(fu) and math.isnan(fv):
                    continue
                cells += 1
                if u != v:
                    differ += 1
                    worst = max(worst, rel(fu, fv))
        print(f"contour {case} {f}: rows {len(rb)}/{len(rn)}, numbers {cells}, differ {differ}, largest relative difference {worst:.3g}, text fields differing {text}")
