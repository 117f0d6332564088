#!/usr/bin/env python3
"""Field-by-field comparison of two `hyperlaws validate --json` outputs (before/after a change).

usage: compare_validate_json.py BEFORE.json AFTER.json [--show N]

Walks both JSON trees in step; prints every path whose value differs (numbers with their relative difference),
then a summary: how many numbers and other values were compared, how many differ, the largest relative difference
of each field name. Timing, path and version fields are left out (they differ from run to run by design).
"""
import json
import math
import sys
from collections import defaultdict

SKIP = ("seconds", "elapsed", "time", "path", "version", "commit", "provenance", "data")


def skip(key):
    k = key.lower()
    return any(k == s or k.endswith(s) for s in SKIP)


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if skip(key):
                continue
            if key not in a or key not in b:
                out.append((path + "." + key, "missing on one side", a.get(key), b.get(key), None))
                continue
            walk(a[key], b[key], path + "." + key, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path, "length %d vs %d" % (len(a), len(b)), None, None, None))
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, "%s[%d]" % (path, i), out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        out.append((path, "number", a, b, rel(a, b)))
    else:
        out.append((path, "value", a, b, 0.0 if a == b else None))


def rel(a, b):
    if a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)):
        return 0.0
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > 0 else 0.0


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 200
    with open(sys.argv[1]) as f:
        before = json.load(f)
    with open(sys.argv[2]) as f:
        after = json.load(f)
    out = []
    walk(before, after, "", out)
    numbers = [o for o in out if o[1] == "number"]
    others = [o for o in out if o[1] != "number"]
    differ = [o for o in out if o[4] is None or o[4] > 0]
    for path, kind, a, b, r in differ[:show]:
        print("%s: %r -> %r%s" % (path, a, b, "" if r is None else "  (rel %.3g)" % r))
    worst = defaultdict(float)
    for path, kind, a, b, r in numbers:
        name = path.rsplit(".", 1)[-1].split("[")[0]
        worst[name] = max(worst[name], r)
    print("compared %d numbers and %d other values; %d differ" % (len(numbers), len(others), len(differ)))
    for name, r in sorted(worst.items(), key=lambda kv: -kv[1]):
        if r > 0:
            print("  largest relative difference of %s: %.3g" % (name, r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
