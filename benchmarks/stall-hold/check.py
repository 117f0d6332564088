#!/usr/bin/env python3
"""The level run of a protocol against the progress run of the same protocol (docs/VALIDATION.md, "A stall hold of the progress alone"):
every prediction of the level run must equal the level hold derived from the progress run's JSON (the same fits).
Usage: benchmarks/stall-hold/check.py PN-progress.json PN-level.json"""
import json, math, sys
prog, lev = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n = bad = 0
for part in ("firstHalf", "horizon"):
    a = {(p["run"], p["law"], p["fittedOn"]): p for p in prog.get(part, [])}
    for p in lev.get(part, []):
        q = a[(p["run"], p["law"], p["fittedOn"])]
        s = q.get("stall")
        derived = q["predicted"] if q["law"] == "last" else (s["level"] if s and s["stalled"] and q["step"] > s["toStep"] and isinstance(q.get("lawPredicted"), (int, float)) else q.get("lawPredicted"))
        n += 1
        same = (p["predicted"] == derived) or (p["predicted"] is None and derived is None) or (isinstance(p["predicted"], float) and isinstance(derived, float) and math.isnan(p["predicted"]) and math.isnan(derived))
        if not same or p.get("lawPredicted") != q.get("lawPredicted"):
            bad += 1; print("differs:", part, p["run"], p["law"], p["predicted"], derived)
print(f"{sys.argv[2]}: {n} rows, {bad} differ from the level derived from {sys.argv[1]}")
