#!/usr/bin/env bash
# The two slow cells of run.sh (issue 12; docs/VALIDATION.md, "OptLaw on long curves and the contour at 2.3M steps"), base and
# branch alternately: OptLaw's fit of the three raw PolyPythias curves (143,000 points each) and contour at 2,288,818 steps.
# Usage: BASE=/path/to/base/hyperlaws BRANCH=/path/to/branch/hyperlaws benchmarks/foreign-usage/longcurves.sh [WORK]
#   PYTHIA_GIT  a clone (bare works) of github.com/EleutherAI/pythia (default /work/.mirror/EleutherAI+pythia/repo)
#   STEPS       which to run: any of "setup fit contour" (default all three)
#   BUILDS      which builds, in order (default "base branch")
# Each command's CPU (user + sys), wall and peak memory go to WORK/times.tsv; outputs under WORK/{base,branch}-*.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
base="${BASE:?BASE: the hyperlaws of the base build}" branch="${BRANCH:?BRANCH: the hyperlaws of this branch}"
work="${1:-/tmp/longcurves}"
pythia_git="${PYTHIA_GIT:-/work/.mirror/EleutherAI+pythia/repo}"
todo="${STEPS:-setup fit contour}"
td="$repo/tests/HyperLaws.Readers.Tests/TestData"
export HYPERLAWS_NO_COLOR=1
mkdir -p "$work/data/raw" "$work/data/runs"
cd "$work"
timed() { # timed TAG COMMAND...: CPU, wall and peak memory of one command, appended to times.tsv
  local tag="$1"; shift
  /usr/bin/time -f "%U	%S	%e	%M" -o "$tag.time" nice -n 5 "$@" > "$tag.out" 2> "$tag.err"; local rc=$?
  printf '%s\t%s\t%s\t%s\n' "$tag" "$rc" "$(cat "$tag.time" | tail -1)" "$(cut -d' ' -f1-3 /proc/loadavg)" >> times.tsv
  echo "[$tag] rc=$rc $(tail -1 "$tag.time")" >&2
}
if [[ " $todo " == *" setup "* ]]; then
  # as run.sh: the raw W&B TSVs from the pinned commit, imported with GPT-NeoX's schedule; the fairseq 13B fixture's OptLaw
  for s in 14m-seed1:14M:0.001:0.0001 70m-seed1:70M:0.001:0.0001 160m-seed5:160M:0.0006:6e-05; do
    IFS=: read -r f n peak floor <<<"$s"
    git --git-dir="$pythia_git" show "ccdf77005e27f2b6811d85ca145532cc502180b6:hmm-training-maps/training_losses/data/$f.tsv" > "data/raw/$f.tsv"
    "$base" import "data/raw/$f.tsv" --schedule "cosine(peak=$peak,steps=143000,warmup=1430,floor=$floor,offset=1)" --out "data/runs/$f.csv" --params "$n" --tokens-per-step 2097152 >/dev/null
  done
  "$base" fit --law optlaw --runs "$td/fairseq_log/fsdp_13b_8gpu.log" "$td/fairseq_log/fsdp_13b_1gpu.log" --out data/fairseq-law.json --json > /dev/null
fi
runs=(data/runs/14m-seed1.csv data/runs/70m-seed1.csv data/runs/160m-seed5.csv)
for build in ${BUILDS:-base branch}; do
  exe="$base"; [ "$build" = branch ] && exe="$branch"
  if [[ " $todo " == *" fit "* ]]; then
    timed "$build-fit" "$exe" fit --law optlaw --runs "${runs[@]}" --out "$build-law.json" --json
    [ "$build" = base ] && [ -f base-law.json ] && cp base-law.json data/pythia-law.json
  fi
  if [[ " $todo " == *" contour "* ]]; then
    rm -rf "$build-contour-fairseq" "$build-contour-pythia"
    timed "$build-contour-fairseq" "$exe" contour --law data/fairseq-law.json --tokens 300B --tokens-per-step 131072 --out "$build-contour-fairseq" --json
    [ -f data/pythia-law.json ] && timed "$build-contour-pythia" "$exe" contour --law data/pythia-law.json --tokens 300B --tokens-per-step 131072 --out "$build-contour-pythia" --json
  fi
done
