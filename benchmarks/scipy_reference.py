#!/usr/bin/env python3
"""SciPy reference fit of the LR-annealing law (Tissue et al.) and the Multi-Power Law on protocol 1.

Reads the curves written by `dotnet run -c Release --project benchmarks/HyperLaws.Benchmarks -- reference SIZE DIR`
(every step's LR, the fitted and held-out points, our fit's time and parameters), fits the same law with
scipy.optimize.least_squares on the same training curves with the same objective (the Huber loss of
relative residuals, delta = 1e-3: SciPy's loss='huber' with f_scale = delta is exactly it; positive
parameters searched as logarithms, as HyperLaws does), from the same three starting points (the best end
wins), and prints both fits' time (wall and the process's CPU time, user + sys) and held-out error (PredE: the mean relative error over the six held-out
curves' points, and WorstE: the largest per-curve mean), both evaluated here with the exact sums in NumPy.

    python3 benchmarks/scipy_reference.py DIR [--laws tissue,mpl]
"""
import csv
import os
import sys
import time

import numpy as np
from scipy.optimize import least_squares
from scipy.signal import lfilter

DELTA = 1e-3


def load(directory):
    curves = []
    with open(os.path.join(directory, "curves.csv")) as f:
        for row in csv.DictReader(f):
            lr = np.loadtxt(os.path.join(directory, row["name"] + ".lr"))
            pts = np.loadtxt(os.path.join(directory, row["name"] + ".points"), delimiter=",", skiprows=1, ndmin=2)
            curves.append(dict(name=row["name"], role=row["role"], lr=lr, steps=pts[:, 0].astype(int), loss=pts[:, 1]))
    ours = {}
    with open(os.path.join(directory, "ours.csv")) as f:
        for row in csv.DictReader(f):
            cpu = float(row["cpu_seconds"]) if row.get("cpu_seconds") else float("nan")   # older exports: wall only
            ours[row["law"]] = (float(row["seconds"]), cpu, np.array([float(x) for x in row["parameters"].split()]))
    return curves, ours


def s1(lr):
    return np.concatenate([[0.0], np.cumsum(lr)])  # S1(t), t = 0..S


def tissue_area(lr, lam=0.999):
    """S2(t) of the LR-annealing law: momentum of LR drops after the initial warmup (as src/HyperLaws/Laws/AnnealingLaw.cs)."""
    eta = np.concatenate([[0.0], lr])
    warmup_end = 1
    while warmup_end < len(lr) and eta[warmup_end + 1] >= eta[warmup_end]:
        warmup_end += 1
    drops = np.zeros(len(lr) + 1)
    drops[warmup_end + 1:] = eta[warmup_end:-1] - eta[warmup_end + 1:]
    m = lfilter([1.0], [1.0, -lam], drops)
    return np.cumsum(m)


def tissue(p, c):
    l0, a, alpha, cc = p
    S = c.setdefault("S1", s1(c["lr"]))
    S2 = c.setdefault("S2", tissue_area(c["lr"]))
    t = c["steps"]
    return l0 + a * S[t] ** (-alpha) - cc * S2[t]


def mpl(p, c):
    """L0 + A S1^-alpha - B sum_k (eta_{k-1} - eta_k) G(eta_k^-gamma S_k(t)), exact (O(points x steps))."""
    l0, a, alpha, b, cc, beta, gamma = p
    S = c.setdefault("S1", s1(c["lr"]))
    eta = np.concatenate([[0.0], c["lr"]])
    drop = eta[:-1] - eta[1:]                      # k = 1..S
    nz = np.nonzero(drop)[0]                       # indices k-1 with a drop
    k = nz + 1
    e = np.where(eta[k] > 0, eta[k] ** (-gamma), np.inf)
    out = np.empty(len(c["steps"]))
    for i, t in enumerate(c["steps"]):
        sel = k <= t
        kk = k[sel]
        x = e[sel] * (S[t] - S[kk - 1])
        with np.errstate(over="ignore", invalid="ignore"):
            g = np.where(np.isfinite(x), 1.0 - (cc * x + 1.0) ** (-beta), 1.0)
        out[i] = np.dot(drop[nz][sel], g)
    return l0 + a * S[c["steps"]] ** (-alpha) - b * out


LAWS = {
    "tissue": (tissue, [False, True, True, True],
               lambda m: [[m - 0.3, 0.5, 0.5, 0.3], [m - 0.6, 0.8, 0.4, 1.0], [m - 0.15, 0.3, 0.6, 3.0]]),
    "mpl": (mpl, [False, True, True, True, True, True, True],
            lambda m: [[m - 0.3, 0.5, 0.5, 400, 2.0, 0.6, 0.6], [m - 0.6, 0.8, 0.4, 300, 1.0, 0.5, 0.5],
                       [m - 0.15, 0.3, 0.6, 600, 3.0, 0.7, 0.7]]),
}


def fit(law, train):
    f, positive, starts = LAWS[law]
    positive = np.array(positive)

    def params(z):
        return np.where(positive, np.exp(np.minimum(z, 700)), z)

    def residuals(z):
        p = params(z)
        r = np.concatenate([(f(p, c) - c["loss"]) / c["loss"] for c in train])
        return np.where(np.isfinite(r), r, 1e3)

    best = None
    for s in starts(min(c["loss"].min() for c in train)):
        z0 = np.where(positive, np.log(np.maximum(s, 1e-300)), s)
        r = least_squares(residuals, z0, loss="huber", f_scale=DELTA, method="trf", x_scale="jac", max_nfev=2000)
        if best is None or r.cost < best.cost:
            best = r
    return params(best.x), best.cost / sum(len(c["steps"]) for c in train)


def held_out(law, p, test):
    f = LAWS[law][0]
    per_curve = [np.mean(np.abs(f(p, c) - c["loss"]) / c["loss"]) for c in test]
    points = np.concatenate([np.abs(f(p, c) - c["loss"]) / c["loss"] for c in test])
    return float(np.mean(points)), float(max(per_curve))


def main():
    directory = sys.argv[1]
    laws = sys.argv[sys.argv.index("--laws") + 1].split(",") if "--laws" in sys.argv else ["tissue", "mpl"]
    curves, ours = load(directory)
    train = [c for c in curves if c["role"] == "train"]
    test = [c for c in curves if c["role"] == "test"]
    print("law,fitter,seconds,cpu_seconds,predE,worstE,objective")
    for law in laws:
        t0, c0 = time.perf_counter(), time.process_time()
        p, objective = fit(law, train)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0   # wall; CPU of this process (user + sys, all threads)
        ours_seconds, ours_cpu, ours_p = ours[law]
        f = LAWS[law][0]
        ours_objective = 0.0
        for c in train:
            r = np.abs((f(ours_p, c) - c["loss"]) / c["loss"])
            ours_objective += np.sum(np.where(r <= DELTA, 0.5 * r * r, DELTA * (r - 0.5 * DELTA)))
        ours_objective /= sum(len(c["steps"]) for c in train)
        pe, we = held_out(law, p, test)
        ope, owe = held_out(law, ours_p, test)
        print(f"{law},scipy least_squares,{seconds:.3f},{cpu:.3f},{pe:.5%},{we:.4%},{objective:.6g}")
        print(f"{law},hyperlaws,{ours_seconds:.3f},{ours_cpu:.3f},{ope:.5%},{owe:.4%},{ours_objective:.6g}")
        print(f"{law},ratio scipy/hyperlaws,{seconds / ours_seconds:.1f}x,{cpu / ours_cpu:.1f}x,,,")
        print(f"# {law} scipy parameters: {' '.join(f'{x:.6g}' for x in p)}")
        print(f"# {law} hyperlaws parameters: {' '.join(f'{x:.6g}' for x in ours_p)}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
