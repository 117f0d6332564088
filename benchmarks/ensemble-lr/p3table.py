# As run by helper p3rank4 (paths as on that machine): protocol 3's table from 'validate --protocol 3 --train-fraction all --ensemble --json' (docs/VALIDATION.md, "ensemble-lr: results").
import json
d=json.load(open('/tmp/p3rank4/out/p3.json'))
F=[b['trainFraction'] for b in d['byFraction']]
names=[l['name'] for l in d['laws']]
print('| ranker | Top-2 '+'/'.join(str(f) for f in F)+' | mean Top-2 | mean Top-1 | best LR T1/T2 | all LRs T1/T2 | mean rel. err | max rel. err | best f right | regret |')
print('|'+'---|'*10)
for n in names:
    L=[l for l in d['laws'] if l['name']==n][0]
    hits=[round([l for l in b['laws'] if l['name']==n][0]['top2']*14) for b in d['byFraction']]
    print(f"| {n} | {'/'.join(map(str,hits))} | {L['top2']:.0%} ({sum(hits)}/84) | {L['top1']:.0%} | {L['atBestLr']['top1']:.0%} / {L['atBestLr']['top2']:.0%} | {L['acrossLrs']['top1']:.0%} / {L['acrossLrs']['top2']:.0%} | {L['finalLoss']['meanRelErr']:.2%} | {L['finalLoss']['maxRelErr']:.1%} | {L['bestCooldown']['hitRate']:.0%} | {L['bestCooldown']['meanRegret']:.4f} |")
