#!/usr/bin/env bash
# Extracts the runs of protocol 25 (docs/VALIDATION.md) into OUTDIR: one W&B runs table of Marin's LR_datasize sweep (Muon and
# MuonH on a 130M model, peak LRs x sqrt 2 apart at 13 horizons of 1B-128B tokens, one final C4 loss per run), committed by the
# blog post "From Weight Decay to Hyperball Optimization" (Wen, Dang, Lyu, Ma, Liang 2025) to github.com/WhenWen/WhenWen.github.io,
# unchanged at its path at the manifest's commit, with the licence and the manifest beside it.
# Usage: benchmarks/foreign-runs-hyperball/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone (a bare or blobless one works) of github.com/WhenWen/WhenWen.github.io (default: a blobless clone
#   into OUTDIR/.src).
# Read by RunsTableReader (docs/RUN-FORMATS.md) with the manifest's facts (size, batch, schedule: not in the file, assumed).
# What is checked: the file's sha256 and row count against the manifest, and that every row's tokens / steps is the manifest's
# batch tokens.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: fetch.sh OUTDIR [CLONE]}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$here/manifest.json")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet --filter=blob:none --no-checkout https://github.com/WhenWen/WhenWen.github.io "$src"; fi
git -C "$src" show "$commit:LICENSE" > "$out/LICENSE"
python3 - "$here/manifest.json" "$src" "$commit" "$out" <<'PY'
import csv, hashlib, io, json, os, subprocess, sys
manifest, src, commit, out = sys.argv[1:]
m = json.load(open(manifest))
raw = subprocess.run(["git", "-C", src, "show", f"{commit}:{m['file']}"], check=True, capture_output=True).stdout
digest = hashlib.sha256(raw).hexdigest()
if digest != m["sha256"]: sys.exit(f"{m['file']}: sha256 {digest}, manifest {m['sha256']}")
rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
if len(rows) != m["rows"]: sys.exit(f"{m['file']}: {len(rows)} rows, manifest {m['rows']}")
batch = m["facts"]["batchTokens"]
for i, r in enumerate(rows, start=2):
    tokens, steps = float(r["num_tokens"]), float(r["num_train_steps"])
    if abs(tokens / steps - batch) > 1e-6 * batch: sys.exit(f"{m['file']}:{i}: tokens / steps = {tokens / steps}, manifest batch {batch}")
path = os.path.join(out, m["file"])
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "wb") as w: w.write(raw)
print(f"{out}: {m['file']}, {len(rows)} runs")
PY
cp "$here/manifest.json" "$out/manifest.json"
