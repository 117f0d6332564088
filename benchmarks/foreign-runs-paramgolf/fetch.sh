#!/usr/bin/env bash
# Extracts the public Parameter Golf training logs of protocol 18 (docs/VALIDATION.md) into OUTDIR, with manifest.json beside them.
# Usage: benchmarks/foreign-runs-paramgolf/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone of github.com/openai/parameter-golf (default: cloned into OUTDIR/.src).
# The files are MIT-licensed (Copyright (c) 2026 OpenAI); the licence is copied beside them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: fetch.sh OUTDIR [CLONE]}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$here/manifest.json")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet https://github.com/openai/parameter-golf "$src"; fi
git -C "$src" show "$commit:LICENSE" > "$out/LICENSE"
python3 - "$here/manifest.json" "$src" "$commit" "$out" <<'PY'
import json, subprocess, sys
manifest, src, commit, out = sys.argv[1:]
for r in json.load(open(manifest))["runs"]:
    data = subprocess.run(["git", "-C", src, "show", f"{commit}:{r['path']}"], check=True, capture_output=True).stdout
    open(f"{out}/{r['file']}", "wb").write(data)
    print(f"{r['file']}: {len(data)} bytes")
PY
cp "$here/manifest.json" "$out/manifest.json"
