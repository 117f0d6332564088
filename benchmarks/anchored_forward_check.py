#!/usr/bin/env python3
"""The anchored interval's forward check (docs/VALIDATION.md "Protocol 6: the anchored interval from every horizon pair", check 2).

Reads one `hyperlaws validate --protocol 6 --json` output. For each law and fitted split, the 35k plan's anchored interval is a
relative half-width h = (upper - lower) / (2 predicted) about its anchored loss (symmetric). The 50k plan of the same law and split
carries the anchored predictor's calibration residuals (`anchored.calibration`); those of the 35k runs anchored on 25k runs at the
same peak (distance ln(35000 / 25000), within 1e-3) come from the law refitted on the runs up to 25k, i.e. on the same runs as the 35k
plan's own fit: they are every 35k run's anchored error, not only the plan's schedule. The check counts those with |r| <= h, r =
actual / predicted - 1: the 35k plan's interval rule, applied to the whole 35k horizon of the grid.

Usage: anchored_forward_check.py OUT.json [LABEL]
"""
import json
import math
import sys


def main(path, label):
    data = json.load(open(path))
    plans = {}
    for h in data["horizons"]:
        for p in h["plans"]:
            plans[(h["horizon"], p["law"], p["fitOn"])] = p
    total = covered = 0
    target = math.log(35000 / 25000)
    for (horizon, law, split), p35 in sorted(plans.items()):
        if horizon != 35000:
            continue
        p50 = plans.get((50000, law, split))
        a35 = p35.get("anchored") or {}
        if p50 is None or not a35.get("calibrated"):
            print(f"{label} {law} {split}: no calibrated 35k interval or no 50k plan")
            continue
        half = (a35["upper"] - a35["lower"]) / (2 * a35["predicted"])
        residuals = [c["relative"] for c in (p50.get("anchored") or {}).get("calibration", [])
                     if abs(c["distance"] - target) < 1e-3]
        n = len(residuals)
        k = sum(1 for r in residuals if abs(r) <= half)
        total += n
        covered += k
        worst = max((abs(r) for r in residuals), default=float("nan"))
        print(f"{label} {law:7s} {split:10s} half-width {100 * half:.3f}%: {k} of {n} 35k runs inside (largest |r| {100 * worst:.3f}%)")
    share = covered / total if total else float("nan")
    print(f"{label} forward check: {covered} of {total} inside ({100 * share:.1f}%)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
