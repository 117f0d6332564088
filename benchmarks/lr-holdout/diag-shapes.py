#!/usr/bin/env python3
"""The data-only diagnosis of docs/VALIDATION.md's "Protocols 3h and 17h with the nearest seen LR's members" (helper lrranker): no
ranker involved, the final validation losses only.
Protocol 3 (the 124M grid, shared/data/lr-scheduling/data): for each training fraction f the held-out shapes (all but the constant
and the linear-f cooldown; the diverged 5e-3 run out), per horizon and base LR; between adjacent base LRs how often the best shape
is the same, and how many pairs of shapes are ordered the same way at both LRs; the held-out-LR pairs by kind.
Protocol 17 (P17, default /tmp/p17): per group (set, horizon) with two peak LRs, the candidates and which is lower.
Usage: benchmarks/lr-holdout/diag-shapes.py [DATA_ROOT] [P17]"""
import collections, glob, itertools, json, math, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
p17 = sys.argv[2] if len(sys.argv) > 2 else "/tmp/p17"

runs = []
for f in glob.glob(f"{root}/lr-scheduling/data/*.json"):
    d = json.load(open(f))
    m = re.search(r"lr([0-9.e-]+)_sched_([a-z]+)_warmup300_?(?:decay_([a-z]+)_([0-9.]+))?.*iter([0-9]+)", d["name"])
    lr, sch, dt, fr, S = float(m.group(1)), m.group(2), m.group(3), float(m.group(4) or 0), int(m.group(5))
    fv = d["history"].get("final-val") or {}
    if not (fv.get("final_val_loss") and fv["iter"] and fv["iter"][-1] == S): continue
    loss = fv["final_val_loss"][-1]
    if math.isnan(loss) or loss > 10: continue  # diverged
    shape = "constant" if sch == "wsd" and fr == 0 else f"wsd-{dt}-{fr:g}" if sch == "wsd" else d["name"].split("_")[0]
    runs.append((S, lr, shape, loss))
lrs = sorted({r[1] for r in runs if r[2] == "constant"})  # the grid's LRs with a constant run (5e-3 has none)
tot, per = collections.Counter(), collections.defaultdict(collections.Counter)
for f in [0.1, 0.2, 0.4, 0.6, 0.8, 0.9]:
    held = [r for r in runs if r[1] in lrs and r[2] not in ("constant", f"wsd-linear-{f:g}")]
    for S in sorted({r[0] for r in held}):
        by = {lr: {r[2]: r[3] for r in held if r[0] == S and r[1] == lr} for lr in lrs}
        for a, b in zip(lrs, lrs[1:]):
            A, B = by[a], by[b]
            common = sorted(set(A) & set(B))
            if len(common) < 2: continue
            p = per[(a, b)]
            p["sets"] += 1
            p["best same"] += min(common, key=A.get) == min(common, key=B.get)
            for x, y in itertools.combinations(common, 2):
                p["pairs"] += 1
                p["concordant"] += (A[x] < A[y]) == (B[x] < B[y])
        for h in lrs:  # the pairs of the fold that holds h out: within h, and h against every other LR
            tot["within"] += sum(1 for x, y in itertools.combinations(by[h].values(), 2) if x != y)
            for o in lrs:
                if o == h: continue
                for x, lx in by[h].items():
                    for y, ly in by[o].items():
                        if lx != ly: tot["across, same shape" if x == y else "across, different shape"] += 1
print("protocol 3: held-out-LR pairs by kind (each fold counts its own):", dict(tot))
s = collections.Counter()
for k, p in sorted(per.items()):
    s.update(p)
    print(f"  lr {k[0]:g} / {k[1]:g}: best shape the same in {p['best same']} of {p['sets']} sets; pairs ordered alike {p['concordant']} of {p['pairs']}")
print(f"  all: best shape the same in {s['best same']} of {s['sets']}; pairs ordered alike {s['concordant']} of {s['pairs']} ({100 * s['concordant'] / s['pairs']:.1f}%)")

m = json.load(open(f"{p17}/manifest.json"))
groups = collections.defaultdict(list)
for r in m["runs"]:
    h = json.load(open(f"{p17}/{r['file']}"))["history"]
    fv = h.get("final-val") or {}
    loss = fv["final_val_loss"][-1] if fv.get("final_val_loss") else h["val"]["val_loss"][-1]  # else the last validation point (17's cut)
    groups[(r["set"], r["iterations"])].append((r["run"], r["lr"], loss))
lower, n = 0, 0
print("protocol 17: groups with two peak LRs (candidate lr loss ...; the lower-LR runs against the higher-LR one)")
for k, v in sorted(groups.items()):
    if len({x[1] for x in v}) < 2: continue
    top = max(x[1] for x in v)
    for a in (x for x in v if x[1] == top):
        for b in (x for x in v if x[1] != top):
            n += 1
            lower += a[2] < b[2]
            print(f"  {k[0]} S={k[1]}: {a[0]} {a[2]:.4f} vs {b[0]} {b[2]:.4f} ({a[2] - b[2]:+.4f})")
print(f"  the higher-LR run lower in {lower} of {n} pairs")
