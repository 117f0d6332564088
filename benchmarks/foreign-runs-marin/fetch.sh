#!/usr/bin/env bash
# Extracts the runs of protocols 20 and 23 (docs/VALIDATION.md) into OUTDIR: Marin's ablation tables (AdamW for protocol 20; Muon,
# Lion, NAdamW for protocol 23; the optimizer sweep of
# Wen et al. 2025, "Fantastic Pretraining Optimizers and Where to Find Them", arXiv 2509.02046), unchanged, at their paths in
# github.com/marin-community/marin at the manifest's commit, with the licence and the manifest beside them.
# Usage: benchmarks/foreign-runs-marin/fetch.sh OUTDIR [CLONE] [MANIFEST]
#   MANIFEST: the list of tables (default manifest.json beside this script; manifest-23b.json: protocol 23b's tables, those
#   protocols 20, 22 and 23 had not read, into an OUTDIR of their own).
#   CLONE: an existing clone (a bare or blobless one works) of github.com/marin-community/marin (default: a blobless clone
#   into OUTDIR/.src; the repository is large, only the listed files' blobs are fetched).
# Read by MarinSweepReader (docs/RUN-FORMATS.md): each table's baseline row and the rows that change the peak LR alone.
# What is checked: each listed file holds exactly the tables the manifest names, of its optimizer ("optimizer", AdamW when absent;
# caption "Hyperparameter ablation for OPTIMIZER on SIZE on Kx Chinchilla Data").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: fetch.sh OUTDIR [CLONE] [MANIFEST]}"
manifest="${3:-$here/manifest.json}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$manifest")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet --filter=blob:none --no-checkout https://github.com/marin-community/marin "$src"; fi
git -C "$src" show "$commit:LICENSE" > "$out/LICENSE"
python3 - "$manifest" "$src" "$commit" "$out" <<'PY'
import json, os, re, subprocess, sys
manifest, src, commit, out = sys.argv[1:]
m = json.load(open(manifest))
caption = re.compile(r"\\caption\{Hyperparameter ablation for (.+?) on ([0-9.]+[mb]) on ([0-9]+)x Chinchilla Data\}")
for f in m["files"]:
    raw = subprocess.run(["git", "-C", src, "show", f"{commit}:{f['path']}"], check=True, capture_output=True).stdout
    opt = f.get("optimizer", "AdamW")
    found = [f"{s} {k}x" for o, s, k in caption.findall(raw.decode("utf-8")) if o == opt]
    others = sorted({o for o, s, k in caption.findall(raw.decode("utf-8")) if o != opt})
    if found != f["tables"] or others: sys.exit(f"{f['path']}: {opt} tables {found}, manifest {f['tables']}; other optimizers' tables: {others}")
    path = os.path.join(out, f["path"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as w: w.write(raw)
print(f"{out}: {len(m['files'])} files, {sum(len(f['tables']) for f in m['files'])} tables")
PY
cp "$manifest" "$out/manifest.json"
