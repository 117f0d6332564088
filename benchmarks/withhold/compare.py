"""withhold2's check: base against branch outputs of check.sh (numbers identical where both print one; what the branch withholds).
Usage: python3 benchmarks/withhold/compare.py BASE_OUT BRANCH_OUT"""
import json, sys, os
base, branch = sys.argv[1], sys.argv[2]
def flat(x, p=""):
    if isinstance(x, dict):
        for k, v in x.items(): yield from flat(v, p + "." + k)
    elif isinstance(x, list):
        for i, v in enumerate(x): yield from flat(v, p + f"[{i}]")
    else: yield p, x
for f in sorted(os.listdir(base)):
    if not f.endswith(".json"): continue
    a = dict(flat(json.load(open(os.path.join(base, f)))))
    b = dict(flat(json.load(open(os.path.join(branch, f)))))
    diff = [k for k in a if k in b and a[k] != b[k] and not k.endswith("seconds")]
    nulled = [k for k in diff if b[k] is None]
    other = [k for k in diff if b[k] is not None]
    wb = json.load(open(os.path.join(branch, f)))
    withheld = {w["labels"][1]: w["count"] for w in wb.get("withheld", [])}
    reasons = {}
    for w in wb.get("withheld", []): reasons[w["labels"][1]] = reasons.get(w["labels"][1], 0) + w["count"]
    flags = {k: wb[k] for k in ("orderUnsupported", "scheduleUnsupported") if k in wb}
    print(f"{f:28s} printed in base, null in branch: {len(nulled):3d}; other changed: {len(other)} {other[:3]}; withheld {reasons}; {flags}; warnings {len(wb.get('warnings', []))}")
