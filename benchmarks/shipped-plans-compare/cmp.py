import json,sys,os
def load(p):
    return json.load(open(p))
def strip(x):
    if isinstance(x,dict):
        return {k:strip(v) for k,v in x.items() if k not in ('provenance','out','files','elapsed','seconds','report','date','commit','rerun','version','timings','madeSeconds')}
    if isinstance(x,list): return [strip(v) for v in x]
    if isinstance(x,str) and ('/tmp/muon' in x or '/work/wt/muon' in x): return '<path>'
    return x
for f in ['p400.json','p1b3.json','p400/plan.json','p1b3/plan.json','demo/plan/plan.json']:
    a=f'/tmp/muon-cmp/base/{f}'; b=f'/tmp/muon-cmp/mine/{f}'
    if not (os.path.exists(a) and os.path.exists(b)): print(f,'missing',os.path.exists(a),os.path.exists(b)); continue
    A=strip(load(a)); B=strip(load(b))
    print(f,'IDENTICAL' if A==B else 'DIFFERENT')
    if A!=B:
        import difflib
        d=list(difflib.unified_diff(json.dumps(A,indent=1,sort_keys=True).splitlines(),json.dumps(B,indent=1,sort_keys=True).splitlines(),lineterm='',n=0))
        print('\n'.join(d[:60]))
