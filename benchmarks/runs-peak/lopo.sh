#!/usr/bin/env bash
# Leave-one-peak-out on foreign runs at two or more peak LRs (docs/VALIDATION.md, "The runs decide the peak where they bracket it").
# Per fold: each law fitted on the validation losses of the runs at every peak but one; the held-out runs' final validation losses
# predicted at their own schedules; the law's optimum from the held-out run's schedule with its peak moved over a x sqrt(2) grid.
# Usage: benchmarks/runs-peak/lopo.sh OUT.tsv   (env: EXE, P14=/tmp/p14, P18=/tmp/p18, WORK=/tmp/runs-peak, LAWS="optlaw joint")
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
exe="${EXE:-$repo/src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws}"
p14="${P14:-/tmp/p14}" p18="${P18:-/tmp/p18}" work="${WORK:-/tmp/runs-peak}" laws="${LAWS:-optlaw joint}" out="${1:?OUT.tsv}"
export HYPERLAWS_NO_COLOR=1
[ "${REUSE:-0}" = 1 ] || rm -rf "$work"; mkdir -p "$work/all"   # REUSE=1: keep the folds' fitted laws (same runs, same fits)
# set|file|source|schedule|import options
cat > "$work/runs.txt" <<RUNS
p18|baseline-lr0.04|$p18/baseline-lr0.04.log|wsd(peak=0.04,steps=13780,cooldownSteps=1200)|--optimizer muon
p18|slidingwindow-lr0.04|$p18/slidingwindow-lr0.04.log|wsd(peak=0.04,steps=13450,cooldownSteps=1200)|--optimizer muon
p18|lowerlr-lr0.02|$p18/lowerlr-lr0.02.log|wsd(peak=0.02,warmup=200,steps=14421,cooldownSteps=1200,offset=1)|--optimizer muon
p14|adamw-124m|$p14/adamw-124m.log|wsd(peak=0.0018,warmup=250,steps=9536,cooldownSteps=2000)|--params 124M
p14|opt-adam|$p14/opt-adam.txt|wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)|--params 124M
p14|t3-adam|$p14/t3-adam.txt|wsd(peak=0.0015,steps=5625,warmup=250,cooldown=0.7)|--params 124M
p14|llmc-124m|$p14/llmc-124m.log|cosine(peak=0.0006,warmup=700,steps=19560)|
RUNS
while IFS='|' read -r set name src spec opts; do
  mkdir -p "$work/all/$set"
  if [ "$name" = llmc-124m ]; then cp "$src" "$work/all/$set/main.log"; continue; fi   # llm.c's main.log carries its LRs
  # shellcheck disable=SC2086
  "$exe" import "$src" --schedule "$spec" --out "$work/all/$set/$name.csv" $opts >/dev/null
done < "$work/runs.txt"
peak_of() { sed -E 's/.*peak=([0-9.e-]+).*/\1/' <<<"$1"; }
file_of() { [ "$1" = llmc-124m ] && echo main.log || echo "$1.csv"; }
printf 'set\tfold_peak\tlaw\trun\tactual\tpredicted\trel_error\tlaw_optimum\tat_edge\tbest_observed\twithin_x2\n' > "$out"
for set in p18 p14; do
  best=$([ $set = p18 ] && echo 0.02 || echo 0.0015)
  for held in $(awk -F'|' -v s=$set '$1==s{sub(/.*peak=/,"",$4); sub(/[,)].*/,"",$4); print $4}' "$work/runs.txt" | sort -u); do
    fold="$work/fold-$set-$held"; mkdir -p "$fold/runs"
    while IFS='|' read -r s name src spec opts; do
      [ "$s" = "$set" ] || continue
      [ "$(peak_of "$spec")" = "$held" ] && continue
      f=$(file_of "$name"); cp "$work/all/$set/$f" "$fold/runs/"; [ -f "$work/all/$set/$name.lr.csv" ] && cp "$work/all/$set/$name.lr.csv" "$fold/runs/" || true
    done < "$work/runs.txt"
    for law in $laws; do
      if [ -s "$fold/$law.json" ] && [ "${REUSE:-0}" = 1 ]; then :
      elif ! "$exe" fit --law "$law" --validation --runs "$fold/runs" --out "$fold/$law.json" --quiet >/dev/null 2>"$fold/$law.err"; then
        echo -e "$set\t$held\t$law\t-\tfit failed: $(head -1 "$fold/$law.err")" >> "$out"; continue
      fi
      while IFS='|' read -r s name src spec opts; do
        [ "$s" = "$set" ] && [ "$(peak_of "$spec")" = "$held" ] || continue
        steps=$(sed -E 's/.*[(,]steps=([0-9]+).*/\1/' <<<"$spec")
        if [ "$name" = llmc-124m ]; then actual=$(grep -o 'tel:[0-9.]*' "$work/all/$set/main.log" | tail -1 | cut -d: -f2)
        else actual=$(grep -v '^#' "$work/all/$set/$name.csv" | awk -F, '$3=="val"{v=$2} END{print v}'); fi
        [ -n "$actual" ] || actual=NaN
        pred=$("$exe" predict --law "$fold/$law.json" --schedule "$spec" --steps "$steps" --json 2>/dev/null | python3 -c "import json,sys; v=json.load(sys.stdin)['finalLoss']; print('NaN' if v is None else v)" 2>/dev/null || echo NaN)
        # the law's optimum: the held-out schedule with its peak on a x sqrt(2) grid around the best observed peak
        opt=$(for k in $(seq -8 8); do
                p=$(python3 -c "print('%.6g' % ($best * 2 ** ($k / 2)))")
                s2=$(sed -E "s/peak=[0-9.e-]+/peak=$p/" <<<"$spec")
                l=$("$exe" predict --law "$fold/$law.json" --schedule "$s2" --steps "$steps" --json 2>/dev/null | python3 -c "import json,sys; v=json.load(sys.stdin)['finalLoss']; print('NaN' if v is None else v)" 2>/dev/null || echo NaN)
                echo "$k $p $l"
              done | python3 -c "
import sys, math
rows = [l.split() for l in sys.stdin if l.strip()]
rows = [(int(k), float(p), float(l)) for k, p, l in rows if l != 'NaN' and math.isfinite(float(l))]
if not rows: print('NaN 1'); sys.exit()
k, p, l = min(rows, key=lambda r: r[2]); print(p, int(k in (-8, 8)))")
        read -r optp edge <<<"$opt"
        python3 - "$set" "$held" "$law" "$name" "$actual" "$pred" "$optp" "$edge" "$best" >> "$out" <<'PY'
import sys, math
s, held, law, name, a, p, o, edge, best = sys.argv[1:]
a, p, o, best = float(a), float(p), float(o), float(best)
err = p / a - 1 if math.isfinite(a) and math.isfinite(p) else float('nan')
within = int(edge == '0' and math.isfinite(o) and abs(math.log(o / best)) <= math.log(2) + 1e-9)
print(f"{s}\t{held}\t{law}\t{name}\t{a:.4f}\t{p:.4f}\t{100*err:+.2f}%\t{o:.4g}\t{edge}\t{best:g}\t{within}")
PY
      done < "$work/runs.txt"
    done
  done
done
cat "$out"
