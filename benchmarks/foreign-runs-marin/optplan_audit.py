#!/usr/bin/env python3
"""The planned LR against Marin's best LR, every table cell (helper optplan; docs/VALIDATION.md, "Planned LR for the optimizers
Marin measured"). A usage audit, no rule.

usage: optplan_audit.py CELLS_OUT.json PLANS_DIR SWEEPS_DIR OUT.csv TABLE_DIR [TABLE_DIR ...]

TABLE_DIR: folders holding Marin's tables (experiments/optimizer_sweep/Analysis/*/tex/*.tex, as fetch.sh copies them); the first
table of an (optimizer, size, multiple) wins. A cell's best LR is the lowest loss among the baseline and the rows that change
$\\eta$ alone (ties: the lower LR; >10 and NaN diverged). PLANS_DIR holds `hyperlaws plan ... --json` outputs named
OPT-N-D-B.json (OPT the CLI's --optimizer, B the batch in tokens); SWEEPS_DIR `hyperlaws sweep ... --json` outputs named OPT-N-D.json.
Step Law's eta* = 1.79 N^-0.713 D^0.307 at its batch B* = 0.58 D^0.571 (Li et al. 2025); `optimum`'s rule is the pooled bowl
fitted on the Step Law grid (`hyperlaws optimum --sweep ../shared/data/steplaw/data/dense_lr_bs_loss.csv --save-rule R.json`):
its a..f are read from R.json when given as OPTIMUM_RULE in the environment.
"""
import csv, glob, json, math, os, re, sys

SIZES = {"130m": 134217728, "300m": 301989888, "520m": 536870912, "1.2b": 1207959552}
CLI = {"AdamW": "adamw", "Muon": "muon"}  # the optimizers `--optimizer` names; the others are refused by name


def cells(dirs):
    out = {}
    for root in dirs:
        for f in sorted(glob.glob(root + "/experiments/optimizer_sweep/Analysis/*/tex/*.tex")):
            for tab in re.split(r"\\begin\{table\}", open(f).read())[1:]:
                m = re.search(r"\\caption\{Hyperparameter ablation for (.+?) on ([0-9.]+[mb]) on ([0-9]+)x Chinchilla Data\}", tab)
                if not m or (m.group(1), m.group(2), int(m.group(3))) in out:
                    continue
                lines = [l.strip() for l in tab.split("\\toprule")[1].split("\n") if "&" in l]
                hdr = [c.strip() for c in lines[0].rstrip("\\").split("&")]
                ie, ib, il = hdr.index("$\\eta$"), hdr.index("$\\mathrm{BSZ}$"), hdr.index("Loss")
                base, rows = None, []
                for l in lines[1:]:
                    c = [x.strip() for x in l.split("&")]
                    if base is None:
                        base = c
                        rows.append((float(c[ie]), c[il]))
                    elif c[ie] != "--" and not [i for i in range(len(c) - 1) if i not in (ie, il) and c[i] != "--"]:
                        rows.append((float(c[ie]), c[il]))
                def loss(s):
                    try:
                        return float(s)
                    except ValueError:
                        return math.inf
                pts = [(lr, loss(s)) for lr, s in rows]
                best = min(pts, key=lambda p: (p[1], p[0]))
                n = SIZES[m.group(2)]
                out[(m.group(1), m.group(2), int(m.group(3)))] = dict(
                    optimizer=m.group(1), size=m.group(2), mult=int(m.group(3)), N=n, D=int(m.group(3)) * 20 * n,
                    bsz=int(float(base[ib])), batchTokens=int(float(base[ib])) * 4096, best=best[0], lrs=sorted(lr for lr, _ in pts))
    return sorted(out.values(), key=lambda c: (c["optimizer"].lower(), c["N"], c["mult"]))


def main():
    cells_out, plans, sweeps, out_csv, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    cs = cells(dirs)
    json.dump(cs, open(cells_out, "w"), indent=1)
    rule = json.load(open(os.environ["OPTIMUM_RULE"])) if os.environ.get("OPTIMUM_RULE") else None
    rows = []
    for c in cs:
        n, d, b, best = c["N"], c["D"], c["batchTokens"], c["best"]
        eta_sl, b_sl = 1.79 * n ** -0.713 * d ** 0.307, 0.58 * d ** 0.571
        row = dict(optimizer=c["optimizer"], size=c["size"], mult=c["mult"], batch_seqs=c["bsz"], best=best,
                   lrs=" ".join("%g" % x for x in c["lrs"]), cli=CLI.get(c["optimizer"], "refused"),
                   steplaw=eta_sl, steplaw_ratio=best / eta_sl, steplaw_at_batch=eta_sl * math.sqrt(b / b_sl),
                   steplaw_at_batch_ratio=best / (eta_sl * math.sqrt(b / b_sl)))
        if rule:
            eo = math.exp(rule["a"] + rule["b"] * math.log(n) + rule["c"] * math.log(d))
            row.update(optimum=eo, optimum_ratio=best / eo)
        opt = CLI.get(c["optimizer"], "adamw")  # the others: what `--optimizer adamw` gives (their refusal's fallback)
        p = os.path.join(plans, "%s-%d-%d-%d.json" % (opt, n, d, b))
        if opt == "muon" and not os.path.exists(p):  # muon's plan equals adamw's peak where both were run (the 1x cells)
            opt, p = "adamw", os.path.join(plans, "adamw-%d-%d-%d.json" % (n, d, b))
        if os.path.exists(p) and os.path.getsize(p) > 0:
            pl = json.load(open(p))
            row.update(plan_optimizer=opt, plan_peak=pl["best"]["peak"], plan_ratio=best / pl["best"]["peak"])
        s = os.path.join(sweeps, "%s-%d-%d.json" % ("adamw" if opt != "muon" else "muon", n, d))
        if os.path.exists(s) and os.path.getsize(s) > 0:
            sw = json.load(open(s))
            lrs = [r["lr"] for r in sw["runs"]]
            row.update(sweep_low=min(lrs), sweep_high=max(lrs), sweep_contains=min(lrs) <= best <= max(lrs),
                       sweep_target_centre=eta_sl, sweep_span_contains=0.25 <= best / eta_sl <= 4)
        rows.append(row)
    keys = sorted({k for r in rows for k in r}, key=lambda k: list(rows[0]).index(k) if k in rows[0] else 100)
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("%.4g" % v if isinstance(v, float) else v) for k, v in r.items()})
    within = lambda r, k: k in r and 0.5 <= r[k] <= 2
    print("| optimizer | cells | `--optimizer` | plan peak: cells planned, best/plan (geo mean, range), within x2 | Step Law eta*: best/eta* (geo mean), within x2 | eta* at the table's batch (sqrt): within x2 | optimum's rule: within x2 | sweep's LRs contain the best | best/eta* in the sweep's span x1/4..x4 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for o in sorted({r["optimizer"] for r in rows}, key=str.lower):
        rs = [r for r in rows if r["optimizer"] == o]
        g = lambda k, sub: math.exp(sum(math.log(r[k]) for r in sub) / len(sub)) if sub else float("nan")
        pl = [r for r in rs if "plan_ratio" in r]
        sw = [r for r in rs if "sweep_contains" in r]
        print("| %s | %d | %s | %d: %.2f (%.2f-%.2f), %d | %.2f, %d | %d | %s | %s | %d of %d |" % (
            o, len(rs), rs[0]["cli"], len(pl), g("plan_ratio", pl), min([r["plan_ratio"] for r in pl] or [math.nan]),
            max([r["plan_ratio"] for r in pl] or [math.nan]), sum(within(r, "plan_ratio") for r in pl),
            g("steplaw_ratio", rs), sum(within(r, "steplaw_ratio") for r in rs), sum(within(r, "steplaw_at_batch_ratio") for r in rs),
            sum(within(r, "optimum_ratio") for r in rs) if rule else "-",
            "%d of %d" % (sum(r["sweep_contains"] for r in sw), len(sw)) if sw else "refused",
            sum(0.25 <= r["steplaw_ratio"] <= 4 for r in rs), len(rs)))


if __name__ == "__main__":
    main()
