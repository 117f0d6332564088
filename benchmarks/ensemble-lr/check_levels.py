"""The pooled joint law's plain predictions (ensemble-lr's level) in the published ensemble-lr runs (helper reviewfix1).

Usage: python3 check_levels.py OUT   (OUT: the folder of run.sh's outputs, p3.json and 17r-*.json)
Prints every protocol-3 or 17r plain joint prediction that is not a positive number, every one below half the run's loss,
and every 17r group across peak LRs in which the joint law misses a candidate (those take the declared fallback).
"""
import glob, json, os, re, sys

out = sys.argv[1]
p3 = json.load(open(os.path.join(out, 'p3.json')))
joint = [p['predicted'] for b in p3['byFraction'] for l in b['laws'] if l['name'] == 'joint-pooled-p' for p in l['predictions']]
print('protocol 3: joint-pooled-p plain predictions', len(joint), 'min', min(v for v in joint if v is not None),
      'not positive', sum(1 for v in joint if v is None or not v > 0))
for f in sorted(glob.glob(os.path.join(out, '17r-*.json'))):
    d = json.load(open(f))
    for g in d['groups']:
        lrs = {re.search(r'lr([0-9.e-]+)', r['run']).group(1).split('-')[0] for r in g['runs']}
        level = [r['predicted'].get('joint-pooled-p') for r in g['runs']]
        for r, v in zip(g['runs'], level):
            if v is not None and (v <= 0 or v < 0.5 * r['actual']):
                print(f"17r {g['group']} f={g['fraction']}: {r['run']} level {v:.4g}, loss {r['actual']:.4g}, {len(lrs)} LR(s), ensemble-lr position {r['ensembleAxesPosition']}")
        if len(lrs) > 1 and any(v is None for v in level):
            print(f"17r {g['group']} f={g['fraction']}: no level for a candidate across {len(lrs)} LRs (the fallback); positions",
                  [r['ensembleAxesPosition'] for r in g['runs']])
