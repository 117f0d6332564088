#!/usr/bin/env python3
"""Summary of the anchor estimators of docs/VALIDATION.md "The plan's anchor without a final evaluation".

Reads the JSON of `hyperlaws validate --protocol 6 [--data DIR] --json` (protocol 6 or 17p) and prints, per split the plans were
fitted on (and per law), the mean |E / final - 1| over every (plan, run) pair of each plan's `anchorTail` list:
E0 lastLogged (the anchor before), E1 tail (AnchoredLoss.TailEstimate), E2 lawAtEnd (F(S)), E3 line (a straight line through the tail).

    python3 benchmarks/anchor_tail_summary.py p6.json [p17.json ...]
"""
import json
import math
import sys
from collections import defaultdict

ESTIMATORS = [("E0 last logged", "lastLogged"), ("E1 tail", "tail"), ("E2 law F(S)", "lawAtEnd"), ("E3 line", "line")]


def plans(node):
    """Every plan object (one with an anchorTail list) in the JSON, wherever it lies."""
    if isinstance(node, dict):
        if "anchorTail" in node and "fitOn" in node:
            yield node
        for v in node.values():
            yield from plans(v)
    elif isinstance(node, list):
        for v in node:
            yield from plans(v)


def main(paths):
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        groups = defaultdict(list)
        for p in plans(data):
            for x in p["anchorTail"]:
                groups[(p["fitOn"], "all")].append(x)
                groups[(p["fitOn"], p["law"])].append(x)
        print(f"{path}")
        print(f"  {'split':5} {'law':7} {'pairs':>5} {'runs':>5} " + " ".join(f"{name:>15}" for name, _ in ESTIMATORS) + "  (mean |E / final - 1|, %; signed mean in brackets)")
        for (split, law), xs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != "all", kv[0][1])):
            cells = []
            for _, key in ESTIMATORS:
                errors = [x[key] / x["final"] - 1 for x in xs if isinstance(x.get(key), (int, float)) and math.isfinite(x[key])]
                cells.append(f"{100 * sum(map(abs, errors)) / len(errors):6.3f} ({100 * sum(errors) / len(errors):+.2f})" if errors else f"{'-':>15}")
            runs = len({x["run"] for x in xs})
            print(f"  {split:5} {law:7} {len(xs):5d} {runs:5d} " + " ".join(f"{c:>15}" for c in cells))


if __name__ == "__main__":
    main(sys.argv[1:])
