#!/usr/bin/env python3
"""The plausibility audit of the losses predict, predict-boot, rank and contour print (docs/VALIDATION.md, "Losses the runs do not
support, withheld by predict, rank and contour"): a printed loss fails when it is not physical (not finite, <= 0, below half the
runs' lowest logged loss or above twice their highest), or when it is past the runs' longest run and the law's fitted L0 < 0 or
every run was still in its warmup. The runs' bounds, longest run and warmup flag are read from a rank cell of BOUNDS_WORK (its
"trainingRange", written since this rule), the law's L0 from each cell's own LAW.json.
Usage: audit.py BOUNDS_WORK WORK [WORK...]   prints, per WORK, the failing cells and their count."""
import json, math, os, sys

bounds_work, works = sys.argv[1], sys.argv[2:]


def load(path):
    try:
        return json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError):
        return None


def printed(cmd, j):
    """(loss, step, last) for every loss the cell prints."""
    if cmd in ("predict", "predict-boot"):
        steps, loss = j.get("steps") or [], j.get("loss") or []
        out = [(l, s, i == len(loss) - 1) for i, (l, s) in enumerate(zip(loss, steps))]
        fin = ((j.get("interval") or {}).get("final") or {})
        if fin.get("lower") is not None and steps:
            out.append((fin["lower"], steps[-1], True))
        return out
    if cmd == "rank":
        return [(c.get("predictedLoss"), j.get("steps"), True) for c in j.get("candidates") or []]
    if cmd == "contour":
        return [(o.get("loss"), o.get("steps"), True) for o in j.get("optima") or []]
    return []


for work in works:
    failing, checked = [], 0
    for src in sorted(os.listdir(f"{work}/cells")):
        tr = (load(f"{bounds_work}/cells/{src}/rank.out") or {}).get("trainingRange")
        if not tr or tr.get("lowestLoss") is None:
            continue
        lo, hi, longest, warm = tr["lowestLoss"], tr["highestLoss"], tr.get("lastLoggedStep", tr["maxSteps"]), bool(tr.get("warmupOnly"))
        for cmd in ("predict", "predict-boot", "rank", "contour"):
            j = load(f"{work}/cells/{src}/{cmd}.out")
            if j is None:
                continue
            law = load(f"{work}/cells/{src}/{'law-boot.json' if cmd == 'predict-boot' else 'law.json'}") or {}
            l0 = (law.get("parameters") or {}).get("L0")
            checked += 1
            bad = []
            for loss, step, last in printed(cmd, j):
                if loss is None:
                    continue
                past = step is not None and step > longest
                if not (last or past):
                    continue
                physical = math.isfinite(loss) and loss > 0 and loss >= 0.5 * lo and loss <= 2 * hi
                if not physical:
                    bad.append(f"{loss:.4g} not physical [{0.5 * lo:.4g}, {2 * hi:.4g}]")
                elif past and l0 is not None and l0 < 0:
                    bad.append(f"{loss:.4g} past {longest} steps, L0 {l0:.4g}")
                elif past and warm:
                    bad.append(f"{loss:.4g} past {longest} warmup-only steps")
            if bad:
                failing.append(f"{src}/{cmd}: {len(bad)} loss(es), e.g. {bad[0]}")
    print(f"## {work}: {len(failing)} of {checked} cells print a loss that fails the audit")
    for f in failing:
        print(f"- {f}")
