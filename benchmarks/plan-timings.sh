#!/usr/bin/env bash
# Wall and CPU time of issue 12's two commands on the Release executable, cold (--no-fit-cache) and warm (fits from a fresh
# fit cache filled by one run first):
#   hyperlaws plan --params 400M --tokens 590B --quiet --out DIR
#   hyperlaws demo --quiet --out DIR
# Each line: wall time, user + sys CPU time (all threads), peak RSS, and the 1-minute load average just before the run
# (quote it with the numbers: on a shared machine wall time measures the other tenants too).
#
#   dotnet build src/HyperLaws.Cli -c Release && benchmarks/plan-timings.sh [repeats]     (default 2 repeats per case)
#   HYPERLAWS_EXE=/path/to/other/build/hyperlaws benchmarks/plan-timings.sh              (another build, e.g. main's)
#   HYPERLAWS_TIMING=1 benchmarks/plan-timings.sh                                       (also each run's stages: its progress
#       lines, each with the wall and CPU time since the process started; the runs are then made without --quiet)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exe=${HYPERLAWS_EXE:-$root/src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws}
repeats=${1:-2}
if [ ! -x "$exe" ]; then
  echo "plan-timings: error: $exe: not built (dotnet build src/HyperLaws.Cli -c Release)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HYPERLAWS_CACHE_DIR=$work/cache
cd "$root"

run() {
  local label=$1
  shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  rm -rf "$work/out"
  local quiet=--quiet
  [ -n "${HYPERLAWS_TIMING:-}" ] && [ "${HYPERLAWS_TIMING}" != 0 ] && quiet=
  /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$exe" "$@" $quiet --out "$work/out" > "$work/stdout" 2> "$work/stderr" || {
    echo "plan-timings: error: $label failed:" >&2
    cat "$work/stderr" >&2
    exit 1
  }
  read -r wall user sys rss < <(tail -n 1 "$work/time")
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v a="$load" \
    'BEGIN { printf "%-34s %7.2f s wall  %7.2f s CPU (user %.2f + sys %.2f)  %5.0f MB peak  load %s\n", l, w, u + s, u, s, m / 1024, a }'
  if [ -z "$quiet" ]; then grep '^\[' "$work/stderr" | sed 's/^/    /' || true; fi
}

echo "executable: $exe"
echo "machine: $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
plan=(plan --params 400M --tokens 590B)
for i in $(seq "$repeats"); do run "plan 400M 590B, cold" "${plan[@]}" --no-fit-cache; done
run "plan 400M 590B, filling the cache" "${plan[@]}"
for i in $(seq "$repeats"); do run "plan 400M 590B, warm" "${plan[@]}"; done
for i in $(seq "$repeats"); do run "demo, cold" demo --no-fit-cache; done
run "demo, filling the cache" demo
for i in $(seq "$repeats"); do run "demo, warm" demo; done
