#!/usr/bin/env python3
"""The acceptance rule declared in docs/VALIDATION.md, "MPL: stopping on a flat ridge" (helper mplridge), applied to two
`hyperlaws validate --protocol 1|2|3 --laws mpl --json` outputs of the same protocol (OLD: rule off, NEW: rule on).

usage: mpl_ridge_acceptance.py OLD.json NEW.json

Errors (predE, worstE, finalLoss.meanRelErr) may rise by at most max(5% relative, 5e-5 absolute); top1, top2 and kendallTau
may not fall. Prints every compared number and PASS or FAIL; exit status 1 on FAIL.
"""
import json
import sys


def mpl(laws):
    return next(l for l in laws if l["name"] == "mpl")


def error_ok(old, new):
    return new - old <= max(0.05 * abs(old), 5e-5)


def main():
    old, new = (json.load(open(p)) for p in sys.argv[1:3])
    checks = []  # (label, old, new, kind)
    proto = old["protocol"]
    if proto == 1:
        for o, n in zip(old["results"], new["results"]):
            lo, ln = mpl(o["laws"]), mpl(n["laws"])
            for k in ("predE", "worstE"):
                checks.append((f"{o['size']} {k}", lo[k], ln[k], "error"))
    elif proto == 2:
        lo, ln = mpl(old["laws"]), mpl(new["laws"])
        for k in ("predE", "worstE"):
            checks.append((k, lo[k], ln[k], "error"))
        checks.append(("kendallTau", lo["kendallTau"], ln["kendallTau"], "score"))
    elif proto == 3:
        lo, ln = mpl(old["laws"]), mpl(new["laws"])
        checks.append(("finalLoss.meanRelErr", lo["finalLoss"]["meanRelErr"], ln["finalLoss"]["meanRelErr"], "error"))
        for k in ("top1", "top2"):
            checks.append((k, lo[k], ln[k], "score"))
    else:
        raise SystemExit(f"protocol {proto}: no declared check")
    ok = True
    for label, o, n, kind in checks:
        good = error_ok(o, n) if kind == "error" else n >= o
        ok &= good
        print(f"{label:24s} {o:.6g} -> {n:.6g}  {'ok' if good else 'WORSE'}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
