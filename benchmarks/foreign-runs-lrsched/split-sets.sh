#!/usr/bin/env bash
# Splits the folder fetch.sh made into one folder per set of protocol 17 (OUTDIR/sets/NN-SET/, in manifest order), each with
# links to its runs' files and a manifest.json of its runs and of the horizonTransfers pairs among them, so that the sets can be
# scored one at a time (`validate --protocol 17 --data OUTDIR/sets/NN-SET`; every cooldown run's parent is in its own set).
# Usage: benchmarks/foreign-runs-lrsched/split-sets.sh OUTDIR   (OUTDIR: the folder fetch.sh made)
set -euo pipefail
out="${1:?usage: split-sets.sh OUTDIR}"
python3 - "$out" <<'PY'
import json, os, sys
out = os.path.abspath(sys.argv[1])
m = json.load(open(os.path.join(out, "manifest.json")))
sets = list(dict.fromkeys(r["set"] for r in m["runs"]))
for i, s in enumerate(sets, start=1):
    d = os.path.join(out, "sets", f"{i:02d}-{s}")
    runs = [r for r in m["runs"] if r["set"] == s]
    names = {r["run"] for r in runs}
    pairs = [p for p in m["horizonTransfers"] if p["from"] in names and p["to"] in names]
    os.makedirs(d, exist_ok=True)
    for r in runs:
        link = os.path.join(d, r["file"])
        os.makedirs(os.path.dirname(link), exist_ok=True)
        if not os.path.lexists(link): os.symlink(os.path.join(out, r["file"]), link)
    json.dump({**{k: v for k, v in m.items() if k not in ("runs", "horizonTransfers")}, "runs": runs, "horizonTransfers": pairs}, open(os.path.join(d, "manifest.json"), "w"), indent=2)
    print(f"{d}: {len(runs)} runs, {len(pairs)} pairs")
n = sum(len([p for p in m["horizonTransfers"] if any(r["run"] == p["from"] and r["set"] == s for r in m["runs"]) and any(r["run"] == p["to"] and r["set"] == s for r in m["runs"])]) for s in sets)
if n != len(m["horizonTransfers"]): sys.exit(f"{len(m['horizonTransfers']) - n} pairs across sets")
PY
