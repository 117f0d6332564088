#!/usr/bin/env python3
"""Writes the foreign-usage matrix (run.sh) as a Markdown table: one row per (source, command) with the exit code, the time,
the first error line or the command's key outputs, and flags for what a user would call a bug (a stack trace, exit 70, NaN or
infinite numbers, a non-positive loss).
Usage: summarise.py WORK OUT.md EXE "SOURCES..." """
import json, math, os, re, subprocess, sys

work, out_md, exe, sources = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()


def g(x, n=4):
    return "-" if x is None else (f"{x:.{n}g}" if isinstance(x, (int, float)) else str(x))


def first_error(err):
    for line in err.splitlines():
        if "error" in line.lower() or "exception" in line.lower():
            return line.strip()
    lines = [l for l in err.splitlines() if l.strip()]
    return lines[-1].strip() if lines else "(no stderr)"


def notes(err, limit=2):
    ws = [l.strip() for l in err.splitlines() if l.strip().startswith(("warning:", "note:"))]
    if not ws:
        return ""
    shown = "; ".join(w[:160] for w in ws[:limit])
    return f" | {len(ws)} warning/note line(s): {shown}" + (" ..." if len(ws) > limit else "")


def losses_ok(values, j=None):
    # A loss the command withholds (null, with a structured "withheld" LossNotPhysical entry: the runs do not support it) is said,
    # not a bug: counted apart.
    held = (j or {}).get("withheld") or []
    bad = [v for v in values if (v is None and not held) or (v is not None and (not math.isfinite(v) or v <= 0))]
    s = "" if not held else " (withheld: " + ", ".join(f"{w.get('labels', ['', '?'])[1]} x{w.get('count')}" for w in held) + ")"
    return s + ("" if not bad else " **non-positive or non-finite loss**")


def fit(j, err):
    ws = j.get("warnings") or []
    unid = j.get("unidentified") or []
    s = f"law {j.get('law')}, objective {g(j.get('objective'))}"
    if unid:
        s += f", unidentified {len(unid)}"
    return s + notes(err)


def predict(j, err):
    steps, loss = j.get("steps") or [], j.get("loss") or []
    iv = j.get("interval") or {}
    fin = iv.get("final") if isinstance(iv, dict) else None
    s = f"{j.get('schedule')}: loss@{g(steps[-1] if steps else None)} = {g(j.get('finalLoss'))}"
    if fin:
        s += f" [{g(fin.get('lower'))}, {g(fin.get('upper'))}]"
    if j.get("held"):
        s += " (held)"
    return s + losses_ok(loss, j) + notes(err)


def rank(j, err):
    c = (j.get("candidates") or [{}])[0]
    iv = c.get("interval") or {}
    s = f"top {c.get('schedule')} loss {g(c.get('predictedLoss'))}"
    if iv:
        s += f" [{g(iv.get('lower'))}, {g(iv.get('upper'))}]"
    s += f"; {len(j.get('warnings') or [])} warning(s)"
    return s + losses_ok([x.get("predictedLoss") for x in j.get("candidates") or []], j)


def contour(j, err):
    parts = [f"{o.get('budget')}: peak {g(o.get('peak'))}, warmup {g(o.get('warmup'))} of {g(o.get('steps'))} steps, loss {g(o.get('loss'))}"
             for o in (j.get("optima") or [])[:2]]
    return ("; ".join(parts) or "(no optima in JSON)") + losses_ok([o.get("loss") for o in j.get("optima") or []], j)


def plan(j, err, folder="plan"):
    b = j.get("best") or {}
    iv = b.get("interval") or {}
    hp = j.get("hyperparameters") or {}
    pk = (j.get("decisions") or {}).get("peakLr") or {}
    w = j.get("warnings") or []
    s = (f"law {j.get('law')}; {b.get('schedule')}; batch {g(hp.get('batchTokens'))} tok; loss {g(b.get('predictedLoss'))}"
         f" [{g(iv.get('lower'))}, {g(iv.get('upper'))}] ({(j.get('interval') or {}).get('kind')}); peak bound {pk.get('bound')}"
         f"; {len(w)} warning(s): {', '.join(sorted({x.get('kind') for x in w}))}")
    bad = losses_ok([b.get("predictedLoss")] + [r.get("predictedLoss") for r in j.get("runnerUps") or []])
    # A non-physical loss the plan itself flags (LossNotPhysical, lossTrusted false) is said, not a silent bug.
    s += (" (flagged by the plan: LossNotPhysical)" if bad and j.get("lossTrusted") is False else bad)
    rep = os.path.join(work, "cells", src, folder, "report.html")
    if os.path.exists(rep):
        html = open(rep, encoding="utf-8", errors="replace").read()
        bad = re.findall(r">\s*(NaN|-?Infinity|∞)\s*<", html)
        s += f"; report.html {os.path.getsize(rep) // 1024} KB" + (f" **{len(bad)} NaN/Infinity cell(s)**" if bad else "")
    return s


def diverge(j, err):
    return f"peak {g(j.get('peakLr'))} vs eta_crit {g(j.get('criticalPeakLr'))}, P {g(j.get('probability'))}, diverges {j.get('diverges')}"


def sweep(j, err):
    runs = j.get("runs") or []
    b0 = (j.get("budgets") or [{}])[0]
    return f"{len(runs)} runs; smallest budget {g(b0.get('tokens'))} tokens at batch {b0.get('batchSeqs')} seqs; LRs {b0.get('lrs')}"


def validate(j, err):
    txt = json.dumps(j)
    return f"JSON {len(txt) // 1024} KB" + notes(err)


extract = {"fit": fit, "fit-boot": fit, "predict": predict, "predict-boot": predict, "rank": rank, "contour": contour,
           "plan": plan, "plan10x": lambda j, err: plan(j, err, "plan10x"), "diverge": diverge, "sweep": sweep, "validate": validate,
           "optimum": validate, "diverge-fit": validate}

notes_by_src = {}
if os.path.exists(f"{work}/sources.tsv"):
    for line in open(f"{work}/sources.tsv"):
        p = line.rstrip("\n").split("\t")
        notes_by_src[p[0]] = p[1:]

rows, clean, total = [], 0, 0
for line in open(f"{work}/cells.tsv"):
    src, cmd, rc, secs = line.rstrip("\n").split("\t")
    rc = int(rc)
    d = f"{work}/cells/{src}"
    outp, errp = f"{d}/{cmd}.out", f"{d}/{cmd}.err"
    out = open(outp, encoding="utf-8", errors="replace").read() if os.path.exists(outp) else ""
    err = open(errp, encoding="utf-8", errors="replace").read() if os.path.exists(errp) else ""
    flags = []
    if re.search(r"^\s+at [\w.<>`]+\(", err, re.M) or "Unhandled exception" in err:
        flags.append("stack trace")
    if rc == 70:
        flags.append("exit 70")
    if rc in (124, 137):
        flags.append("timeout")
    if re.search(r"\b(NaN|-?Infinity)\b", out):
        flags.append("NaN/Infinity in output")
    if rc == 0:
        try:
            j = json.loads(out)
            key = extract[cmd](j, err)
        except Exception as e:  # noqa: BLE001 - a summary must not stop the table
            key = f"(output not read: {type(e).__name__}: {str(e)[:80]})"
    else:
        key = first_error(err)
    if "non-positive" in key or "NaN/Infinity cell" in key:
        flags.append("implausible")
    total += 1
    ok = rc in (0, 2) and not flags  # exit 2 = a one-line refusal of bad input, a clean outcome
    clean += ok
    rows.append((src, cmd, rc, secs, ", ".join(flags), key.replace("|", "\\|")))

with open(out_md, "w", encoding="utf-8") as f:
    f.write("# Every command on foreign runs (benchmarks/foreign-usage/run.sh)\n\n")
    f.write(f"Executable: `{exe}`. Generated by `benchmarks/foreign-usage/run.sh`; each cell's stdout and stderr are in "
            f"`$WORK/cells/SOURCE/COMMAND.{{out,err}}`.\n\n")
    ran0 = sum(1 for r in rows if r[2] == 0 and not r[4])
    f.write(f"**{ran0} of {total} cells ran to a result** (exit 0, no flag); {clean} of {total} clean (a result, or exit 2 with a "
            f"one-line refusal; no stack trace, exit 70, timeout, NaN/Infinity or unflagged non-positive loss).\n\n")
    f.write("| source | what | target |\n|---|---|---|\n")
    for s in sources:
        if s in notes_by_src:
            n = notes_by_src[s]
            f.write(f"| {s} | {n[0]} | --params {n[1]} --tokens {n[2]} --optimizer {n[3]} |\n")
    f.write("\n| source | command | exit | s | flags | first error line, or key outputs |\n|---|---|---|---|---|---|\n")
    for r in rows:
        f.write("| " + " | ".join(str(x) for x in r) + " |\n")
print(f"{clean}/{total} clean")
