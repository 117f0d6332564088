#!/usr/bin/env python3
"""The stability rule declared in docs/VALIDATION.md, "MPL: the walk's node test bounded by the node's spread" (helper mplnode),
applied to two `hyperlaws validate --protocol 1|2|3 --laws mpl --json` outputs of the same protocol (BASE: the width's bounds,
NEW: the spread's).

usage: mpl_spread_acceptance.py BASE.json NEW.json

Every number is classified by its field name: ranking scores (kendallTau, top1, top2) may not fall; scores in loss units
(mae, rmse, predicted losses) may move by at most 2e-5 (2 eps); relative-error scores (predE, worstE, maxE, meanRelErr,
maxRelErr, relErr and the like) by at most 1e-5; fitted parameters, R^2, objectives and every other number are reported, not
judged. Prints the largest difference per field name and PASS or FAIL; exit status 1 on FAIL.
"""
import json
import sys
from collections import defaultdict

RANK = {"kendalltau", "top1", "top2"}
LOSS = {"mae", "rmse", "predicted", "prediction", "predictedloss", "predictedfinal"}
REL = {"pred", "worste", "maxe", "meanrelerr", "maxrelerr", "relerr", "relativeerror", "prede", "meanrelerror", "maxrelerror"}
SKIP = ("seconds", "elapsed", "time", "path", "version", "commit", "provenance", "data")


def leaves(a, b, key, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k in b and not any(k.lower() == s or k.lower().endswith(s) for s in SKIP):
                leaves(a[k], b[k], k, path + "." + k, out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            leaves(x, y, key, "%s[%d]" % (path, i), out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        out.append((key, path, float(a), float(b)))


def main():
    base, new = (json.load(open(p)) for p in sys.argv[1:3])
    out = []
    leaves(base, new, "", "", out)
    worst = defaultdict(lambda: (0.0, "", 0.0, 0.0))
    failures = []
    for key, path, a, b in out:
        k = key.lower()
        if k in RANK:
            kind, limit, bad = "ranking (may not fall)", None, b < a
        elif k in LOSS:
            kind, limit = "loss units (<= 2e-5)", 2e-5
            bad = not abs(b - a) <= limit
        elif k in REL:
            kind, limit = "relative error (<= 1e-5)", 1e-5
            bad = not abs(b - a) <= limit
        else:
            kind, bad = "reported", False
        d = abs(b - a) if a == a and b == b else float("inf")
        if a != b and not (a != a and b != b) and d >= worst[(kind, key)][0]:
            worst[(kind, key)] = (d, path, a, b)
        if bad:
            failures.append((path, a, b, kind))
    print("compared %d numbers" % len(out))
    for (kind, key), (d, path, a, b) in sorted(worst.items()):
        print("  %-26s %-14s largest |diff| %.3g at %s (%r -> %r)" % (kind, key, d, path, a, b))
    for path, a, b, kind in failures:
        print("FAIL %s: %r -> %r (%s)" % (path, a, b, kind))
    print("PASS" if not failures else "FAIL (%d)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
