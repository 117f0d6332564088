#!/usr/bin/env bash
# Extracts protocol 21's four MLPerf Training v6.0 gpt_oss_20b result logs (docs/VALIDATION.md) into OUTDIR, manifest.json beside them.
# Usage: benchmarks/foreign-runs-moe/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone of the manifest's "source" (default: cloned into OUTDIR/.src). The files are Apache-2.0-licensed (the
#   MLPerf results repositories' LICENSE.md, copied beside them as LICENSE).
# Kept from each log: its settings events (the keys below), every eval_accuracy event and run_stop, unchanged and in order; the
# tracked_stats lines (training loss every 32 updates, step times) are dropped, so the runs are their validation curves. The reader
# (MlperfLogReader) reads the same numbers from the whole file; protocol 21 scores only validation losses.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: fetch.sh OUTDIR [CLONE]}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$here/manifest.json")"
repo="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"])' "$here/manifest.json")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet "$repo" "$src"; fi
# The licence file: LICENSE.md (as in mlcommons/training_results_v5.1), else LICENSE; none is an error.
git -C "$src" show "$commit:LICENSE.md" > "$out/LICENSE" 2>/dev/null || git -C "$src" show "$commit:LICENSE" > "$out/LICENSE"
keys='submission_benchmark|submission_org|submission_platform|seed|global_batch_size|max_sequence_length|init_checkpoint_step|opt_name|opt_base_learning_rate|opt_end_learning_rate|opt_learning_rate_warmup_steps|opt_learning_rate_decay_steps|opt_learning_rate_decay_schedule|target_accuracy|eval_accuracy|run_stop'
python3 - "$here/manifest.json" "$src" "$commit" "$out" "$keys" <<'PY'
import json, re, subprocess, sys
manifest, src, commit, out, keys = sys.argv[1:]
keep = re.compile(r'"key": "(' + keys + r')"')
for r in json.load(open(manifest))["runs"]:
    text = subprocess.run(["git", "-C", src, "show", f"{commit}:{r['path']}"], check=True, capture_output=True, text=True).stdout
    lines = [l for l in text.split("\n") if l.startswith(":::MLLOG ") and keep.search(l)]
    open(f"{out}/{r['file']}", "w").write("\n".join(lines) + "\n")
    print(f"{r['file']}: {len(lines)} of {text.count(chr(10))} lines")
PY
cp "$here/manifest.json" "$out/manifest.json"
