#!/usr/bin/env bash
# stallhold2's declared check 1 (docs/VALIDATION.md, "The stall hold outside predict"): withhold2's laws (benchmarks/withhold/fit.sh)
# and tissue on each of its three 124M grid runs alone, then rank-continuation and optimize-schedule with BASE's and BRANCH's build.
# Usage: benchmarks/stallhold/check-shared.sh BASE_BIN BRANCH_BIN OUT   (BIN: a folder holding hyperlaws; env SHARED=../shared)
#        then: python3 benchmarks/withhold/compare.py OUT/base OUT/branch
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
O="${3:?OUT}"; L="$O/laws"; mkdir -p "$L"
G="${SHARED:-$repo/../shared}/data/lr-scheduling/data"
EXE="${2:?BRANCH_BIN}/hyperlaws" LAWS="$L" "$repo/benchmarks/withhold/fit.sh"   # fit is not changed by the branch
for r in cos-10 cos-zero ann124-0.2; do
  f=$(ls "$G" | grep "^$r.*lr0.001_sched.*iter25000_bs50x2_ws2_seed0_data_seed1337.json" | head -1)
  "$2/hyperlaws" fit --law tissue --runs "$G/$f" --out "$L/tissue-one-$r.json" > /dev/null 2> "$L/one-$r.err"
  echo "$G/$f" > "$L/one-$r.run"
done
for side in base branch; do
  B="$1"; [ $side = branch ] && B="$2"
  mkdir -p "$O/$side"
  LAWS="$L" "$repo/benchmarks/withhold/check.sh" "$B" "$O/$side"
  for r in cos-10 cos-zero ann124-0.2; do
    "$B/hyperlaws" rank-continuation --law "$L/tissue-one-$r.json" --history "$(cat "$L/one-$r.run")" --steps 24000 --top 5 --json > "$O/$side/rc-tissue-one-$r.json" 2> "$O/$side/rc-tissue-one-$r.err"; echo "rc one-$r $?"
  done
done
