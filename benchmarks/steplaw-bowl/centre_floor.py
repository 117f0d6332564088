"""Protocol 4's smooth-centre floor and the bowl's centre errors (docs/VALIDATION.md, "Where protocol 4's 0.155% comes from").

Reconstructed by helper reviewfix1 (helper p4curv's own throw-away script was not kept); it reproduces that section's numbers.
Usage: hyperlaws optimum --sweep ../shared/data/steplaw/data/dense_lr_bs_loss.csv --leave-one-out [--bowl-curvature tokens] --json > LOO.json
       python3 centre_floor.py ../shared/data/steplaw/data/dense_lr_bs_loss.csv LOO.json
Per cell: the gap of the grid run nearest (Euclidean in ln lr, ln batch tokens; ties to the smaller lr, then the smaller batch) the
cell's own windowed-quadratic optimum (the floor: no rule, in sample), as protocol 4 scores a rule (smoothed final loss over the
cell's best); and |ln(predicted / own optimum)| of the held-out centre in LR and batch, with the LR error's correlation with ln D.
"""
import csv, json, math, sys

runs = {}
for r in csv.DictReader(open(sys.argv[1])):
    runs.setdefault((float(r['N']), float(r['D'])), []).append((float(r['lr']), float(r['bs']) * 2048, float(r['smooth loss'])))
cells = json.load(open(sys.argv[2]))['cells']
floor, elr, ebs, lnd = [], [], [], []
for c in cells:
    pts = runs[(float(c['n']), float(c['d']))]
    best = min(p[2] for p in pts)
    o = c['optimum']
    lr0, b0 = math.log(o['learningRate']), math.log(o['batchTokens'])
    near = min(pts, key=lambda p: (math.hypot(math.log(p[0]) - lr0, math.log(p[1]) - b0), p[0], p[1]))
    floor.append(near[2] / best - 1)
    f = c['fitted']
    elr.append(math.log(f['learningRate'] / o['learningRate']))
    ebs.append(math.log(f['batchTokens'] / o['batchTokens']))
    lnd.append(math.log(c['d']))
    print(f"N={c['n']:.3g} D={c['d']:.3g}: floor {floor[-1]:.3%}, gap {c['gap']:.3%}, ln(pred/own) lr {elr[-1]:+.3f} batch {ebs[-1]:+.3f}")


def corr(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))


print(f"cells {len(cells)}; floor mean {sum(floor) / len(floor):.3%} max {max(floor):.3%}; gap mean {sum(c['gap'] for c in cells) / len(cells):.3%}")
print(f"mean |ln(pred/own)|: lr {sum(map(abs, elr)) / len(elr):.3f}, batch {sum(map(abs, ebs)) / len(ebs):.3f}; "
      f"corr with ln D: lr {corr(elr, lnd):.2f}, batch {corr(ebs, lnd):.2f}")
