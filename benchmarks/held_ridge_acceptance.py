#!/usr/bin/env python3
"""The declared acceptance rule of docs/VALIDATION.md, "MPL held at its decay prior: a declared stop on its ridge" (helper mplridge).

usage: held_ridge_acceptance.py OLD.json NEW.json        (two `hyperlaws validate --protocol 14|16 --json` outputs)
       held_ridge_acceptance.py --plan OLD/plan.json NEW/plan.json

Validate: (1) the mpl headline (meanOfSets) within +-0.01 points absolute; (2) no prediction (every law's `predicted` and
`lawPredicted`, select included, firstHalf and horizon) changed by more than 0.05% relative. Plan: best.peak,
decisions.peakLr.chosen and every predicted loss (best.predictedLoss, decisions.*.chosenLoss/optimumLoss) identical or within 1e-4
relative. Prints each check and PASS/FAIL; exit 0 on pass, 1 on fail.
"""
import json
import sys


def rel(a, b):
    if a == b:
        return 0.0
    if a is None or b is None:
        return float("inf")
    return abs(b - a) / abs(a) if a != 0 else float("inf")


def validate(old, new):
    ok = True
    o = {s["law"]: s for s in old["summaries"]}
    n = {s["law"]: s for s in new["summaries"]}
    for law in o:
        if law not in n:
            print(f"headline {law}: missing in NEW  FAIL")
            ok = False
            continue
        d = 100 * (n[law]["meanOfSets"] - o[law]["meanOfSets"])
        flag = law == "mpl" and abs(d) > 0.01
        print(f"headline {law}: {100 * o[law]['meanOfSets']:.4f}% -> {100 * n[law]['meanOfSets']:.4f}% ({d:+.4f} points){'  FAIL' if flag else ''}")
        ok &= not flag
    worst = []
    for part in ("firstHalf", "horizon"):
        rows_old, rows_new = old.get(part) or [], new.get(part) or []
        # The two outputs must list the same predictions in the same order: otherwise the comparison means nothing (FAIL, no traceback).
        if len(rows_old) != len(rows_new):
            print(f"{part}: {len(rows_old)} rows in OLD, {len(rows_new)} in NEW  FAIL")
            ok = False
            continue
        mismatch = next((i for i, (a, b) in enumerate(zip(rows_old, rows_new)) if (a.get("run"), a.get("law")) != (b.get("run"), b.get("law"))), None)
        if mismatch is not None:
            a, b = rows_old[mismatch], rows_new[mismatch]
            print(f"{part}: row {mismatch} is {a.get('run')} {a.get('law')} in OLD, {b.get('run')} {b.get('law')} in NEW  FAIL")
            ok = False
            continue
        for a, b in zip(rows_old, rows_new):
            for key in ("predicted", "lawPredicted"):
                r = rel(a.get(key), b.get(key))
                if r > 0:
                    worst.append((r, part, a["run"], a["law"], key, a.get(key), b.get(key), a.get("chosen"), b.get("chosen")))
    worst.sort(reverse=True)
    over = [w for w in worst if w[0] > 5e-4]
    print(f"predictions changed: {len(worst)}; over 0.05%: {len(over)}")
    for w in worst[:12]:
        print(f"  {100 * w[0]:.4f}%  {w[1]} {w[2]} {w[3]} {w[4]}: {w[5]} -> {w[6]}" + (f" (chosen {w[7]} -> {w[8]})" if w[7] or w[8] else ""))
    return ok and not over


def plan(old, new):
    ok = True
    keys = [("best", "peak"), ("best", "predictedLoss"), ("decisions", "peakLr", "chosen")]
    for name, dec in old["decisions"].items():
        if isinstance(dec, dict):
            for k in ("chosenLoss", "optimumLoss"):
                if k in dec:
                    keys.append(("decisions", name, k))
    for path in keys:
        a, b = old, new
        for k in path:
            a = a.get(k) if isinstance(a, dict) else None
            b = b.get(k) if isinstance(b, dict) else None
        r = rel(a, b)
        bad = r > 1e-4
        ok &= not bad
        print(f"{'.'.join(path)}: {a} -> {b} (rel {r:.3g}){'  FAIL' if bad else ''}")
    return ok


if __name__ == "__main__":
    args = sys.argv[1:]
    is_plan = bool(args) and args[0] == "--plan"
    if is_plan:
        args = args[1:]
    if len(args) != 2:
        print("usage: held_ridge_acceptance.py [--plan] OLD.json NEW.json", file=sys.stderr)
        sys.exit(2)
    old, new = (json.load(open(p)) for p in args)
    passed = plan(old, new) if is_plan else validate(old, new)
    print("PASS" if passed else "FAIL")
    sys.exit(0 if passed else 1)
