#!/usr/bin/env python3
"""The practitioner's look at the plan cells of run.sh (plan, and plan10x: 10x the runs' model size): the planned peak LR against
Step Law's eta* = 1.79 N^-0.713 D^0.307 (Li et al. 2025, arXiv 2503.04715; an AdamW rule, shown for every
source as the published reference), the guard that bound it, the loss against the runs' lowest logged loss, and whether the plan
says it extrapolates (warnings *Extrapolated, lossTrusted). Read-only: nothing here changes a plan.
The runs' own peaks and lowest losses are in the plan's guard (supportLow/supportHigh) and its warnings' text.
Usage: plan_audit.py WORK [WORK...]   (WORK: run.sh's scratch folder)."""
import json, math, os, re, sys

UNITS = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}


def num(s):
    """A size or token count as the CLI takes it: 400M, 590B, 8.03e9 or 8.03e9 with a unit; None if it is none."""
    m = re.fullmatch(r"((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)([kKMBGT]?)", s.strip())
    return float(m.group(1)) * UNITS.get(m.group(2), 1) if m else None


def g(x):
    return "-" if x is None else f"{x:.3g}"


print("| cell | target N, D | law | peak | bound / guard | Step Law eta* | peak / eta* | loss (trusted) | extrapolation said |")
print("|---|---|---|---|---|---|---|---|---|")
for work in sys.argv[1:]:
    for src in sorted(os.listdir(f"{work}/cells")):
        for cell in ("plan", "plan10x"):
            p = f"{work}/cells/{src}/{cell}.out"
            if not os.path.exists(p):
                continue
            try:
                j = json.load(open(p, encoding="utf-8"))
            except ValueError:
                err = open(f"{work}/cells/{src}/{cell}.err", encoding="utf-8", errors="replace").read().strip().splitlines()
                print(f"| {src}/{cell} | | | | | | | | exit != 0: {(err[-1] if err else '')[:160]} |")
                continue
            req = j.get("request") or {}
            n, d = req.get("parameters"), req.get("tokens")
            n = num(n) if isinstance(n, str) else n
            d = num(d) if isinstance(d, str) else d
            pk = (j.get("decisions") or {}).get("peakLr") or {}
            peak = pk.get("chosen")
            eta = 1.79 * n ** -0.713 * d ** 0.307 if n and d else None
            gd = pk.get("guard") or {}
            guard = gd.get("kind")
            if gd.get("supportLow") is not None:
                guard = (guard or "?") + f" [{g(gd.get('supportLow'))}, {g(gd.get('supportHigh'))}]"
            kinds = sorted({w.get("kind") for w in j.get("warnings") or []})
            ext = [k for k in kinds if "Extrapolated" in k or k in ("RunsAtOtherSize", "SizeUnknown", "LossNotPhysical", "LrAxisPriorNotPhysical")]
            loss = (j.get("best") or {}).get("predictedLoss")
            print(f"| {src}/{cell} | {g(n)}, {g(d)} | {j.get('law')} | {g(peak)} | {pk.get('bound')} / {guard or '-'} | {g(eta)} | "
                  f"{g(peak / eta) if peak and eta else '-'} | {g(loss)} ({j.get('lossTrusted')}) | {', '.join(ext) or 'none'} |")
