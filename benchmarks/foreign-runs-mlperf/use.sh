#!/usr/bin/env bash
# Every command on protocol 19's logs as a user would (docs/VALIDATION.md, "Protocol 19: results"): each cell's exit code, CPU
# seconds and last stderr line; outputs under OUT. Usage: benchmarks/foreign-runs-mlperf/use.sh [P19 [OUT]]
#   P19: the folder of benchmarks/foreign-runs-mlperf/fetch.sh (default /tmp/p19); HYPERLAWS: the command (default: the Release build).
cd "$(dirname "$0")/../.."
H="${HYPERLAWS:-dotnet src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws.dll}"
P="${1:-/tmp/p19}" o="${2:-/tmp/p19-use}"
mkdir -p "$o"
export HYPERLAWS_CACHE_DIR="$o/cache"
B32="$P/b32-lr0.0004-w16-dell-r0.txt $P/b32-lr0.0008-w128-amd-r0.txt $P/b32-lr0.001-w128-amd-r0.txt"
cell() { local name=$1; shift; /usr/bin/time -f "%U %S" -o "$o/$name.time" $H "$@" > "$o/$name.out" 2> "$o/$name.err"; local rc=$?
  echo "$name rc=$rc cpu=$(tail -1 "$o/$name.time" | awk '{print $1+$2}') | $(grep -v '^\s*$' "$o/$name.err" | tail -1 | cut -c1-230)"; }
cell fit-raw      fit --law optlaw --validation --runs $B32 --out "$o/law.json"
cell fit-folder   fit --law tissue --validation --runs "$P" --out "$o/law-folder.json"
cell fit-mpl      fit --law mpl --validation --runs $B32 --out "$o/law-mpl.json"
cell predict      predict --law "$o/law.json" --schedule 'constant(peak=8e-4,warmup=129,steps=6144)' --steps 3072,6144
cell predict-12k  predict --law "$o/law.json" --schedule 'cosine(peak=8e-4,warmup=129,steps=12288,floor=8e-5)' --steps 12288
cell rank-law     rank --law "$o/law.json" --steps 6144 --top 5
cell rank-runs    rank --runs $B32 --steps 6144 --top 5
cell plan         plan --runs $B32 --params 8B --tokens 1.6B --out "$o/plan"
cell plan-val     plan --runs $B32 --params 8B --tokens 1.6B --seq-len 8192 --fit-on val --out "$o/plan-val"
cell plan-folder  plan --runs "$P" --params 8B --tokens 3.2B --out "$o/plan-folder"
cell contour      contour --law "$o/law.json" --tokens 1.6B --tokens-per-step 262144 --out "$o/contour"
cell compare      compare --train "$P/b32-lr0.0008-w128-amd-r0.txt" "$P/b32-lr0.001-w128-amd-r0.txt" --test "$P/b32-lr0.0004-w16-dell-r0.txt"
