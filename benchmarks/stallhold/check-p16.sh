#!/usr/bin/env bash
# stallhold2's declared check 2 (docs/VALIDATION.md, "The stall hold outside predict"): PolyPythias 14m-seed1 (protocol 16, /tmp/p16 from
# benchmarks/foreign-runs-pythia/fetch.sh), its first half fitted; predict against rank-continuation. Usage: check-p16.sh BIN OUT
set -uo pipefail
B="$(cd "${1:?BIN}" && pwd)/hyperlaws"; O=${2:?OUT}; mkdir -p "$O"; cd "$O"
S='cosine(peak=0.001,steps=143000,warmup=1430,floor=0.0001,offset=1)'
awk -F, '/^#/||/^step/{print;next} $1<=71500{print}' /tmp/p16/pythia-14m-seed1.csv > p16-14m-seed1-half.csv
$B fit --law tissue --validation --runs p16-14m-seed1-half.csv --out p16-tissue.json > /dev/null
$B predict --law p16-tissue.json --schedule "$S" --steps 71499,143000 --json > p16-predict.json
for hold in level progress; do
  $B rank-continuation --law p16-tissue.json --history p16-14m-seed1-half.csv --steps 71500 --stall-hold $hold --json > p16-rc-$hold.json 2> p16-rc-$hold.err
  python3 -c "
import json;d=json.load(open('p16-rc-$hold.json'));p=json.load(open('p16-predict.json'))
print('$hold', 'historySteps',d['historySteps'],'historyLoss',d['historyLoss'],'historyLawLoss',d['historyLawLoss'],'held',d['held'],'evaluated',d['evaluated'],'predict final',p['finalLoss'],p['lawLoss'][-1],p['held'])
for c in d['candidates']: print(c['rank'],c['next'],repr(c['predictedLoss']),repr(c['lawLoss']))
open('next-$hold.txt','w').write(''.join(c['next']+'\n' for c in d['candidates'][:3]))"
  while read n; do
    $B predict --law p16-tissue.json --schedule "continued(previous=$S,next=$n,rewarmFrom=zero)" --steps 214500 --stall-hold $hold --json | python3 -c "import json,sys;d=json.load(sys.stdin);print('  predict $hold',sys.argv[1],repr(d['finalLoss']),repr(d['lawLoss'][-1]),d['held'])" "$n"
  done < next-$hold.txt
done
$B rank-continuation --law p16-tissue.json --history p16-14m-seed1-half.csv --steps 71500 --no-stall-check --top 3 --json | python3 -c "import json,sys;d=json.load(sys.stdin);print('off',d['held'],[c['predictedLoss'] for c in d['candidates']])"
