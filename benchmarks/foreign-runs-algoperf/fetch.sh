#!/usr/bin/env bash
# Extracts the AlgoPerf training logs of protocol 15 (docs/VALIDATION.md) into OUTDIR/study0 (manifest.json, 40 runs)
# and OUTDIR/replication (manifest-replication.json, 160 runs), each folder with its manifest.json beside the logs.
# Usage: benchmarks/foreign-runs-algoperf/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone of github.com/mlcommons/algorithmic-efficiency (default: cloned into OUTDIR/.src).
# The logs were removed from the repository after this commit (moved out in b689a989), so the commit is read, not HEAD.
# The files are Apache-2.0 (LICENSE.md at that commit, copied beside them). Each run's schedule in the manifests is
# checked against the trial's own hparams.json (learning_rate, warmup_factor) and meta_data_0.json (workload.step_hint).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: fetch.sh OUTDIR [CLONE]}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$here/manifest.json")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet https://github.com/mlcommons/algorithmic-efficiency "$src"; fi
for pair in "manifest.json:study0" "manifest-replication.json:replication"; do
  manifest="${pair%%:*}"; dir="$out/${pair##*:}"
  mkdir -p "$dir"
  git -C "$src" show "$commit:LICENSE.md" > "$dir/LICENSE.md"
  python3 - "$here/$manifest" "$src" "$commit" "$dir" <<'PY'
import json, subprocess, sys
manifest, src, commit, out = sys.argv[1:]
def show(path):
    return subprocess.run(["git", "-C", src, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout
for r in json.load(open(manifest))["runs"]:
    trial = r["path"].rsplit("/", 1)[0]
    hp = json.loads(show(f"{trial}/hparams.json"))
    hint = int(json.loads(show(f"{trial}/meta_data_0.json"))["workload.step_hint"])
    expected = f"cosine(peak={hp['learning_rate']!r},steps={hint},warmup={int(hp['warmup_factor'] * hint)},offset=1)"
    if r["schedule"] != expected:
        sys.exit(f"{r['run']}: manifest schedule {r['schedule']} but the trial's hparams give {expected}")
    data = show(r["path"])
    open(f"{out}/{r['file']}", "wb").write(data)
print(f"{out}: {len(json.load(open(manifest))['runs'])} runs")
PY
  cp "$here/$manifest" "$dir/manifest.json"
done
