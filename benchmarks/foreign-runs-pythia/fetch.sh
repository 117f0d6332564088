#!/usr/bin/env bash
# Extracts the Pythia training-loss curves of protocol 16 (docs/VALIDATION.md) into OUTDIR: one generic run file (.csv,
# docs/RUN-FORMATS.md "Generic CSV") per run of manifest.json, the manifest and the licence beside them.
# Usage: benchmarks/foreign-runs-pythia/fetch.sh OUTDIR [CLONE]
#   CLONE: an existing clone (a bare snapshot works) of github.com/EleutherAI/pythia (default: cloned into OUTDIR/.src).
# Source: hmm-training-maps/training_losses/data/{SIZE}-seed{N}.tsv at the manifest's commit (removed from the repository
# later, so the commit is read, not HEAD): W&B's per-step `train/lm_loss` of the PolyPythias runs (GPT-NeoX, seeds 1-9), two
# columns `train/lm_loss<TAB>step`, step = W&B `_step` = GPT-NeoX's `iteration` after the update (megatron/training.py:
# train_step, then iteration += 1, then training_log(..., iteration)), so the loss logged at step k was computed before update k:
# the loss after k - 1 updates. Licence Apache-2.0 (LICENSE at the commit, copied beside the files).
# What is checked: the header; steps 1..143000, each once, in order; every loss finite and > 0; each run's schedule in the
# manifest against its model's config (models/SIZE/pythia-SIZE.yml at the manifest's configCommit: lr, min_lr, warmup fraction,
# train-iters, lr-decay-iters, lr-decay-style cosine), as GPT-NeoX's AnnealingLR builds it (W = warmup x lr-decay-iters).
# What is derived (declared with protocol 16): the losses after 0..142,999 updates are averaged over windows of `window`
# (1,000) consecutive steps [1000 j, 1000 j + 999], j = 1..142 (j = 0 holds the untrained model and most of the warmup and is
# left out); each mean is the observation at the window's middle step 1000 j + 499 (exact for a loss linear within the
# window), written as split `val`. The file's run has the schedule's 143,000 steps; `validate --protocol 16` ends each run at
# its last observation (S = 142,499, the last window's middle step; CrossDataPythia.Load), its LRs the schedule's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: fetch.sh OUTDIR [CLONE]}"
mkdir -p "$out"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$here/manifest.json")"
src="${2:-$out/.src}"
if [ ! -d "$src" ]; then git clone --quiet https://github.com/EleutherAI/pythia "$src"; fi
git -C "$src" show "$commit:LICENSE" > "$out/LICENSE"
python3 - "$here/manifest.json" "$src" "$out" <<'PY'
import json, math, re, subprocess, sys
manifest, src, out = sys.argv[1:]
m = json.load(open(manifest))
commit, config_commit, window = m["commit"], m["configCommit"], int(m["window"])
def show(rev, path):
    return subprocess.run(["git", "-C", src, "show", f"{rev}:{path}"], check=True, capture_output=True).stdout.decode()
def key(text, name, where):
    found = re.findall(r'"' + re.escape(name) + r'"\s*:\s*"?([^",\s]+)"?', text)
    if len(found) != 1: sys.exit(f"{where}: expected one \"{name}\", found {len(found)}")
    return found[0]
for r in m["runs"]:
    cfg = show(config_commit, r["config"])
    where = f"{r['config']}@{config_commit[:8]}"
    lr, floor = float(key(cfg, "lr", where)), float(key(cfg, "min_lr", where))
    iters, decay = int(key(cfg, "train-iters", where)), int(key(cfg, "lr-decay-iters", where))
    warm, style = float(key(cfg, "warmup", where)), key(cfg, "lr-decay-style", where)
    if style != "cosine" or iters != decay: sys.exit(f"{where}: lr-decay-style {style}, train-iters {iters}, lr-decay-iters {decay}")
    expected = f"cosine(peak={lr!r},steps={decay},warmup={int(round(warm * decay))},floor={floor!r},offset=1)"
    if r["schedule"] != expected:
        sys.exit(f"{r['run']}: manifest schedule {r['schedule']} but {where} gives {expected}")
    lines = show(commit, r["path"]).splitlines()
    if lines[0].split("\t") != ["train/lm_loss", "step"]: sys.exit(f"{r['path']}:1: unexpected header {lines[0]!r}")
    losses = []
    for n, line in enumerate(lines[1:], start=2):
        loss, step = line.split("\t")
        if int(step) != n - 1: sys.exit(f"{r['path']}:{n}: step {step}, expected {n - 1}")
        x = float(loss)
        if not (math.isfinite(x) and x > 0): sys.exit(f"{r['path']}:{n}: loss {loss}")
        losses.append(x)  # losses[i]: the loss after i updates (logged at step i + 1)
    if len(losses) != iters: sys.exit(f"{r['path']}: {len(losses)} steps, expected {iters}")
    windows = len(losses) // window
    with open(f"{out}/{r['file']}", "w") as f:
        f.write(f"# name: {r['run']}\n# schedule: {r['schedule']}\n")
        f.write(f"# source: github.com/EleutherAI/pythia@{commit}:{r['path']} (Apache-2.0), means of {window} logged train/lm_loss per row\n")
        f.write("step,loss,split\n")
        for j in range(1, windows):
            chunk = losses[j * window:(j + 1) * window]
            f.write(f"{j * window + (window - 1) // 2},{sum(chunk) / len(chunk):.6f},val\n")
print(f"{out}: {len(m['runs'])} runs")
PY
cp "$here/manifest.json" "$out/manifest.json"
