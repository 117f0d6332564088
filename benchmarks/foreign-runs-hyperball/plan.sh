#!/usr/bin/env bash
# Protocol 25c (docs/VALIDATION.md): the newcomer path for a table of final losses. Writes one generic CSV run file per fitted run
# (D <= 8B tokens) of the fetch.sh folder DATA (its final loss at its last step, with the manifest's assumed schedule: no warmup,
# linear decay to 0), per optimizer, then asks `hyperlaws plan --laws joint` for the 32B- and 128B-token runs of the same model.
# Usage: benchmarks/foreign-runs-hyperball/plan.sh DATA OUT [HYPERLAWS]
#   HYPERLAWS: the command (default: dotnet src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws.dll).
# Prints each plan's peak LR (from plan.json) next to the sweep's best LR at that horizon; a refusal is printed as it comes.
set -uo pipefail
data="${1:?usage: plan.sh DATA OUT [HYPERLAWS]}"
out="${2:?usage: plan.sh DATA OUT [HYPERLAWS]}"
hl="${3:-dotnet src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws.dll}"
mkdir -p "$out"
python3 - "$data" "$out" <<'PY'
import csv, json, math, os, sys
data, out = sys.argv[1:]
m = json.load(open(os.path.join(data, "manifest.json")))
f = m["facts"]
rows = list(csv.DictReader(open(os.path.join(data, m["file"]))))
for r in rows:
    d = float(r["num_tokens"])
    if d > 8e9: continue
    steps = math.floor(d / f["batchTokens"])
    folder = os.path.join(out, "runs-" + r["optimizer_name"])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, r["run_name"] + ".csv"), "w") as w:
        w.write(f"# name: {r['run_name']}\n# params: {f['parameters']}\n# tokens_per_step: {f['batchTokens']}\n# sequence_length: {f['sequenceLength']}\n")
        w.write(f"# optimizer: {r['optimizer_name']}\n# schedule: linear(peak={r['learning_rate']},warmup=0,steps={steps},floor=0)\n")
        w.write(f"step,loss,split\n{steps},{r['loss']},val\n")
best = {}
for r in rows:
    k = (r["optimizer_name"], float(r["num_tokens"]))
    if k not in best or float(r["loss"]) < best[k][1]: best[k] = (float(r["learning_rate"]), float(r["loss"]))
json.dump({f"{o} {d:g}": v for (o, d), v in best.items()}, open(os.path.join(out, "best.json"), "w"), indent=1)
PY
for opt in muon muonh; do
  for t in 32e9 128e9; do
    dir="$out/plan-$opt-$t"
    echo "== $opt, $t tokens"
    # MuonH is not among plan's optimizers: it is planned as muon (its LR prior), stated here.
    $hl plan --runs "$out/runs-$opt" --params 134217728 --tokens "$t" --optimizer muon --laws joint --seq-len 4096 \
      --runs-batch-tokens 524288 --batch-tokens 524288 --no-fit-cache --quiet --out "$dir" > "$dir.txt" 2> "$dir.err"
    rc=$?
    if [ $rc -ne 0 ]; then echo "exit $rc: $(tail -3 "$dir.err")"; continue; fi
    python3 - "$dir/plan.json" "$out/best.json" "$opt" "$t" <<'PY'
import json, math, sys
plan, best, opt, t = sys.argv[1:]
p = json.load(open(plan)); b = json.load(open(best))[f"{opt} {float(t):g}"]
lr, sched = p["best"]["peak"], p["best"]["schedule"]
print(f"plan peak {lr:.4g} ({sched}), sweep best {b[0]:.4g} (loss {b[1]:.4f}), |log2| {abs(math.log2(lr / b[0])):.2f}")
PY
  done
done
