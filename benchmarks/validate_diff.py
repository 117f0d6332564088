#!/usr/bin/env python3
"""Field-by-field comparison of two `hyperlaws validate --json` outputs (before, after).

usage: python3 benchmarks/validate_diff.py BEFORE.json AFTER.json [--only-key-substring mpl]

Prints every number that differs (path, before, after, relative change) and a summary: how many numbers and other values
were compared, how many differ, the largest relative change, and, for each `objective`-like or error field (predE, worstE,
maxE, mae, rmse), how many went down and up. Timing, path and version fields are left out.
"""
import json
import sys

SKIP = ("seconds", "elapsed", "time", "path", "version", "commit", "data")


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if any(s in k.lower() for s in SKIP):
                continue
            walk(a.get(k), b.get(k), path + "." + k, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path, "length", len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        out.append((path, "number", a, b))
    else:
        out.append((path, "other", a, b))


def main():
    before = json.load(open(sys.argv[1]))
    after = json.load(open(sys.argv[2]))
    rows = []
    walk(before, after, "", rows)
    numbers = [r for r in rows if r[1] == "number"]
    others = [r for r in rows if r[1] != "number"]
    changed = []
    for path, _, x, y in numbers:
        if x != y:
            rel = abs(y - x) / abs(x) if x != 0 else float("inf")
            changed.append((path, x, y, rel))
    other_changed = [r for r in others if r[2] != r[3]]
    for path, x, y, rel in changed:
        print(f"{path}: {x!r} -> {y!r} (relative {rel:.3g})")
    for path, kind, x, y in other_changed:
        print(f"{path}: {x!r} -> {y!r}")
    print(f"compared {len(numbers)} numbers and {len(others)} other values; {len(changed)} numbers and {len(other_changed)} other values differ")
    if changed:
        print(f"largest relative change {max(c[3] for c in changed):.3g}")
    for key in ("predE", "worstE", "maxE", "mae", "rmse", "objective"):
        sel = [c for c in changed if c[0].rsplit(".", 1)[-1] == key]
        if sel:
            down = sum(1 for c in sel if c[2] < c[1])
            print(f"  {key}: {len(sel)} changed, {down} lower, {len(sel) - down} higher")


if __name__ == "__main__":
    main()
