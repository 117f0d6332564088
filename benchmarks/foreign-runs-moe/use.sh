#!/usr/bin/env bash
# Every command on protocol 21's gpt-oss 20B MoE logs as a user would (docs/VALIDATION.md, "Protocol 21"): each cell's exit code, CPU
# seconds and last stderr line; outputs under OUT. Usage: benchmarks/foreign-runs-moe/use.sh [P21 [OUT]]
#   P21: the folder of benchmarks/foreign-runs-moe/fetch.sh (default /tmp/p21); HYPERLAWS: the command (default: the Release build).
cd "$(dirname "$0")/../.."
H="${HYPERLAWS:-dotnet src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws.dll}"
P="${1:-/tmp/p21}" o="${2:-/tmp/p21-use}"
mkdir -p "$o"
export HYPERLAWS_CACHE_DIR="$o/cache"
B16="$P/b16-lr0.0004-w128-tyche8-r0.txt" B24="$P/b24-lr0.0005-w256-theia8-r0.txt" B36="$P/b36-lr0.0004-w256-theia72-r0.txt" B64="$P/b64-lr0.00052-w32-theia512-r0.txt"
cell() { local name=$1; shift; /usr/bin/time -f "%U %S" -o "$o/$name.time" $H "$@" > "$o/$name.out" 2> "$o/$name.err"; local rc=$?
  echo "$name rc=$rc cpu=$(tail -1 "$o/$name.time" | awk '{print $1+$2}') | $(grep -v '^\s*$' "$o/$name.err" | tail -1 | cut -c1-230)"; }
cell import       import "$B24" --params 3.6B --out "$o/b24.json"
cell fit-raw      fit --law tissue --runs "$B24" --out "$o/law-nosplit.json"
cell fit          fit --law tissue --validation --runs "$B24" --out "$o/law.json"
cell fit-folder   fit --law optlaw --validation --runs "$P" --out "$o/law-folder.json"
cell predict      predict --law "$o/law.json" --schedule 'constant(peak=5e-4,warmup=257,steps=18432)' --steps 9216,18432
cell predict-folder predict --law "$o/law-folder.json" --schedule 'constant(peak=4e-4,warmup=129,steps=12288)' --steps 12288
cell compare      compare --train "$B16" "$B36" --test "$B24" --validation
cell rank-law     rank --law "$o/law.json" --steps 9216 --top 5
cell rank-runs    rank --runs "$B16" "$B24" "$B36" "$B64" --steps 9216 --top 5
cell contour      contour --law "$o/law.json" --tokens 1.8B --tokens-per-step 196608 --out "$o/contour"
cell diverge-active diverge --model data/priors/divergence-steplaw.json --params 3.6B --batch 196608 --schedule 'cosine(peak=5e-4,warmup=257,steps=1200001,floor=5e-5)'
cell diverge-total diverge --model data/priors/divergence-steplaw.json --params 20.9B --batch 196608 --schedule 'cosine(peak=5e-4,warmup=257,steps=1200001,floor=5e-5)'
cell plan-active  plan --runs "$P" --params 3.6B --tokens 3.6B --fit-on val --out "$o/plan-active"
cell plan-total   plan --runs "$P" --params 20.9B --tokens 3.6B --fit-on val --out "$o/plan-total"
cell sweep        sweep --params 3.6B --tokens 3.6B --out "$o/sweep"
