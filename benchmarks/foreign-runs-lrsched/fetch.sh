#!/usr/bin/env bash
# Extracts the runs of protocol 17 (docs/VALIDATION.md) into OUTDIR: the W&B exports of github.com/fabian-sp/lr-scheduling
# that shared/data/lr-scheduling does not hold (every file under data/ and data/horizon_transfer/ at the manifest's commit
# but the 124M grid of shared/data and the grad_norm/ reruns), unchanged, at the manifest's `file` paths, with the licence
# and the manifest beside them.
# Usage: benchmarks/foreign-runs-lrsched/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone (a bare snapshot works) of github.com/fabian-sp/lr-scheduling (default: cloned into OUTDIR/.src).
# Source: Llama-style models trained with llm-baselines (Hägele et al. 2024, "Scaling Laws and Compute-Optimal Training Beyond
# Fixed Training Durations"; Schaipp, Hägele et al. 2025, "The Surprising Agreement Between Convex Optimization Theory and
# Learning-Rate Scheduling for Large Model Training"), on SlimPajama and OpenWebText2, 33M-360M parameters. Licence MIT
# (LICENSE at the commit, copied beside the files). The files are read by WandbReader (docs/RUN-FORMATS.md), which rebuilds
# each run's LRs from its config; cooldown runs that resumed from a checkpoint are stitched to their parent (in the same folder).
# What is checked: each manifest run's config (dataset, n_layer, n_embd, lr, scheduler, iterations, wsd_fract_decay) and
# summary.parameters against the manifest, and that no listed file is one of shared/data's (by file name).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: fetch.sh OUTDIR [CLONE]}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$here/manifest.json")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet https://github.com/fabian-sp/lr-scheduling "$src"; fi
git -C "$src" show "$commit:LICENSE" > "$out/LICENSE"
python3 - "$here/manifest.json" "$src" "$commit" "$out" <<'PY'
import json, os, subprocess, sys
manifest, src, commit, out = sys.argv[1:]
m = json.load(open(manifest))
names = set()
for r in m["runs"]:
    if r["run"] in names: sys.exit(f"{r['run']}: listed twice")
    names.add(r["run"])
    if os.path.basename(r["file"]).startswith(("stable-124m_", "ann124-", "cos-zero-124m_", "cos-10-124m_")):
        sys.exit(f"{r['file']}: a file of shared/data's 124M grid")
    raw = subprocess.run(["git", "-C", src, "show", f"{commit}:data/{r['file']}"], check=True, capture_output=True).stdout
    d = json.loads(raw)
    c = d["config"]
    for k in ("dataset", "n_layer", "n_embd", "lr", "scheduler", "iterations"):
        if c[k] != r[k]: sys.exit(f"{r['file']}: config {k} = {c[k]!r}, manifest {r[k]!r}")
    if (c.get("wsd_fract_decay") or 0) != r["wsd_fract_decay"]: sys.exit(f"{r['file']}: wsd_fract_decay {c.get('wsd_fract_decay')!r}")
    if d["summary"].get("parameters") != r["parameters"]: sys.exit(f"{r['file']}: parameters {d['summary'].get('parameters')!r}")
    path = os.path.join(out, r["file"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f: f.write(raw)
for p in m["horizonTransfers"]:
    for k in ("from", "to"):
        if p[k] not in names: sys.exit(f"horizonTransfers: no run named {p[k]}")
print(f"{out}: {len(m['runs'])} runs, {len(m['horizonTransfers'])} horizon pairs")
PY
cp "$here/manifest.json" "$out/manifest.json"
