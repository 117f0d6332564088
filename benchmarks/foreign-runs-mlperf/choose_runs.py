#!/usr/bin/env python3
"""Writes protocol 19's manifest.json (docs/VALIDATION.md) from a clone of github.com/mlcommons/training_results_v5.1.

Usage: benchmarks/foreign-runs-mlperf/choose_runs.py CLONE [COMMIT] > benchmarks/foreign-runs-mlperf/manifest.json

The rule (fixed before any law was fitted to these runs): every `*/results/*/llama31_8b/result_N.txt` at COMMIT is read for its
settings events (global_batch_size, opt_base_learning_rate, opt_learning_rate_warmup_steps); the runs are grouped by those three
values (a "set": one training recipe, run on different systems and seeds); per set the system folder first in path order is kept
and its result_0, result_1 and result_2. Only the settings are read here, not a loss.
"""
import json, re, subprocess, sys

clone = sys.argv[1]
commit = sys.argv[2] if len(sys.argv) > 2 else "441d65f4445cd59687466533fd9f55399136e7a4"


def git(*args):
    return subprocess.run(["git", "-C", clone, *args], check=True, capture_output=True, text=True).stdout


files = sorted(f for f in git("ls-tree", "-r", "--name-only", commit).split("\n") if re.search(r"/results/[^/]+/llama31_8b/result_\d+\.txt$", f))
KEYS = ("global_batch_size", "opt_base_learning_rate", "opt_learning_rate_warmup_steps")
sets = {}
for f in files:
    kv = {}
    for line in git("show", f"{commit}:{f}").split("\n"):
        i = line.find(":::MLLOG ")
        if i < 0:
            continue
        try:
            e = json.loads(line[i + 9:])
        except json.JSONDecodeError:
            continue
        if e.get("key") in KEYS:
            kv[e["key"]] = e["value"]
    if len(kv) != 3:
        continue
    key = (kv["global_batch_size"], kv["opt_base_learning_rate"], kv["opt_learning_rate_warmup_steps"])
    system = f.rsplit("/llama31_8b/", 1)[0]
    sets.setdefault(key, {}).setdefault(system, []).append(f)

runs = []
for (gbs, lr, warmup) in sorted(sets):
    systems = sets[(gbs, lr, warmup)]
    system = sorted(systems)[0]
    name = f"b{gbs}-lr{lr:g}-w{warmup}"
    org = system.split("/")[0].lower()
    for r in range(3):
        path = f"{system}/llama31_8b/result_{r}.txt"
        if path not in systems[system]:
            continue
        run = f"{name}-{org}-r{r}"
        runs.append({"set": name, "run": run, "path": path, "file": f"{run}.txt", "schedule": None,
                     "batch": gbs, "peak": lr, "warmup": warmup, "systemsWithThisRecipe": len(systems)})

manifest = {
    "source": "https://github.com/mlcommons/training_results_v5.1",
    "commit": commit,
    "licence": "Apache License 2.0, LICENSE.md at that commit",
    "producer": "MLPerf Training v5.1 result logs (mlperf_logging ':::MLLOG {JSON}' events) of the llama31_8b benchmark: Llama 3.1 8B "
                "(8.03B parameters) pre-trained from scratch on C4 with NeMo 2 / Megatron (AdamW, beta2 0.95, weight decay 0.1, clip 1.0, "
                "sequences of 8192 tokens), evaluated every 12,288 samples on 1,024 validation sequences (eval_accuracy = log perplexity), "
                "stopped at the first evaluation <= 3.3",
    "schedule": "null in every run: MlperfLogReader builds the LRs from the logged settings (NeMo's CosineAnnealingScheduler: linear "
                "warmup over opt_learning_rate_warmup_steps, cosine to opt_end_learning_rate = peak/10 over 1.2M steps), so every run is at "
                "its peak within 0.01% after its warmup (the runs stop after 3-12k steps)",
    "selection": "benchmarks/foreign-runs-mlperf/choose_runs.py: per recipe (global batch, peak LR, warmup) the first system in path order, result_0..2",
    "params": 8030261248,
    "runs": runs,
}
print(json.dumps(manifest, indent=2))
