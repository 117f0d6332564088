#!/usr/bin/env bash
# Extracts the 13 public training logs of protocol 14 (docs/VALIDATION.md) into OUTDIR, with manifest.json beside them.
# Usage: benchmarks/foreign-runs/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone of github.com/KellerJordan/modded-nanogpt (default: cloned into OUTDIR/.src).
# The files are MIT-licensed (Copyright (c) 2024 Keller Jordan); the licence is copied beside them.
# Other sources with the same layout (a manifest.json naming the repository as "source", its "commit" and "runs" with "path" and
# "file") reuse this script with FOREIGN_RUNS_MANIFEST_DIR set to their folder (benchmarks/foreign-runs-paramgolf/fetch.sh).
set -euo pipefail
here="${FOREIGN_RUNS_MANIFEST_DIR:-$(cd "$(dirname "$0")" && pwd)}"
out="${1:?usage: fetch.sh OUTDIR [CLONE]}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$here/manifest.json")"
repo="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"])' "$here/manifest.json")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet "$repo" "$src"; fi
# The licence file: LICENSE, else LICENSE.md (mlcommons/training_results_v5.1, protocol 19).
git -C "$src" show "$commit:LICENSE" > "$out/LICENSE" 2>/dev/null || git -C "$src" show "$commit:LICENSE.md" > "$out/LICENSE"
python3 - "$here/manifest.json" "$src" "$commit" "$out" <<'PY'
import json, subprocess, sys
manifest, src, commit, out = sys.argv[1:]
for r in json.load(open(manifest))["runs"]:
    data = subprocess.run(["git", "-C", src, "show", f"{commit}:{r['path']}"], check=True, capture_output=True).stdout
    open(f"{out}/{r['file']}", "wb").write(data)
    print(f"{r['file']}: {len(data)} bytes")
PY
cp "$here/manifest.json" "$out/manifest.json"
