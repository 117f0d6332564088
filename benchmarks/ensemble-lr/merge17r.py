# As run by helper p3rank4 (paths as on that machine): sums the 14 'validate --protocol 17 --rank --json' outputs in /tmp/p3rank4/out into protocol 17r's table (docs/VALIDATION.md, "ensemble-lr: results").
import json,glob,sys,os
files=sorted(glob.glob('/tmp/p3rank4/out/17r-*.json'))
ds=[json.load(open(f)) for f in files]
fr=ds[0]['fractions']
rankers=[r['ranker'] for r in ds[0]['rankers']]
tot={}
for d in ds:
    assert d['fractions']==fr
    for r in d['rankers']:
        for i,s in enumerate(r['scores']):
            t=tot.setdefault((r['ranker'],i),{'pairs':0,'correctPairs':0,'groupsOf3':0,'top1Hits':0,'top2Hits':0})
            for k in t: t[k]+=s[k]
print('sets',len(ds),'fractions',fr,'leftOut',sum((d['leftOut'] for d in ds),[]),'seconds',[d['seconds'] for d in ds])
print('| ranker | pairwise, all f | '+' | '.join(f'f={f}' for f in fr)+' | Top-1, sets of 3 | Top-2, sets of 3 |')
print('|'+'---|'*(3+len(fr)+1))
for k in rankers:
    a=tot[(k,0)]
    def p(t): return f"{100*t['correctPairs']/t['pairs']:.1f}% ({t['correctPairs']}/{t['pairs']})"
    print(f"| {k} | {p(a)} | "+' | '.join(p(tot[(k,i+1)]) for i in range(len(fr)))+f" | {a['top1Hits']}/{a['groupsOf3']} | {a['top2Hits']}/{a['groupsOf3']} |")
merged={'protocol':'17r','fractions':fr,'leftOut':sum((d['leftOut'] for d in ds),[]),'groups':sum((d['groups'] for d in ds),[]),'rankers':[{'ranker':k,'scores':[dict(tot[(k,i)],fraction=(None if i==0 else fr[i-1]),pairwise=tot[(k,i)]['correctPairs']/tot[(k,i)]['pairs']) for i in range(len(fr)+1)]} for k in rankers],'seconds':sum(d['seconds'] for d in ds)}
json.dump(merged,open('/tmp/p3rank4/merged17r.json','w'))
# held-out tail errors per member, mean over groups by fraction
import math
for f in fr:
    gs=[g for g in merged['groups'] if g['fraction']==f]
    row=[]
    for m in ds[0]['members']:
        v=[g['heldOutTailError'][m] for g in gs if g['heldOutTailError'][m] is not None]
        row.append(f"{m} {sum(v)/len(v):.4%} (n={len(v)})" if v else f"{m} none")
    print('f',f,'; '.join(row))
