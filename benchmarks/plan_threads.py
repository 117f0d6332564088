#!/usr/bin/env python3
"""Which stages of a hyperlaws command leave a core idle (issue 12, helper coldplan; docs/VALIDATION.md "The cold 400M plan under 3 s").

Runs the command with HYPERLAWS_TIMING=1 (its progress lines mark the stages; give it without --quiet), samples every thread's CPU
time (/proc/PID/task/TID/schedstat, nanoseconds) every 5 ms, and prints for each stage:
  CPU    the CPU time of all threads in the stage,
  top    the CPU time of the busiest thread in it,
  bound  max(top, CPU / 2): the stage's wall time on an otherwise idle 2-core machine were its work spread perfectly (a lower
         bound: the work inside a stage is not always divisible); top > CPU / 2 means one core idles for top - CPU / 2.
CPU times are the machine's own; on a loaded machine the wall column measures the other tenants too, the CPU columns do not.
A thread that exits counts to its last sample (up to 5 ms of its CPU lost). Exits with the command's exit code.

  python3 benchmarks/plan_threads.py src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws plan --params 400M --tokens 590B --no-fit-cache --out DIR
"""
import os
import subprocess
import sys
import threading
import time


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    p = subprocess.Popen(argv[1:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                         env=dict(os.environ, HYPERLAWS_TIMING="1"))
    lines = []

    def read():
        for line in p.stderr:
            lines.append((time.monotonic(), line.rstrip()))

    reader = threading.Thread(target=read)
    reader.start()
    samples = []
    t0 = time.monotonic()
    while p.poll() is None:
        cpu = {}
        try:
            for tid in os.listdir(f"/proc/{p.pid}/task"):
                try:
                    with open(f"/proc/{p.pid}/task/{tid}/schedstat") as f:
                        cpu[tid] = int(f.read().split()[0]) / 1e9
                except OSError:
                    pass
        except OSError:
            pass
        if cpu:
            samples.append((time.monotonic(), cpu))
        time.sleep(0.005)
    reader.join()
    if not samples:
        print("plan_threads: no sample taken", file=sys.stderr)
        return 1

    def at(t):
        # Every thread seen by t at its last sample: a thread that exits between two marks ends at its last sample, so its CPU
        # in that stage counts (a snapshot at t alone would lose it).
        last = dict(samples[0][1])
        for when, cpu in samples:
            if when > t:
                break
            last.update(cpu)
        return last

    marks = [(t0, "start")] + lines + [(samples[-1][0], "end")]
    total = bound = 0.0
    print(f"{'CPU':>7} {'top':>7} {'bound':>7} {'wall':>7} | stage (its first progress line)")
    for (a, line), (b, _) in zip(marks, marks[1:]):
        A, B = at(a), at(b)
        deltas = [B.get(k, 0.0) - A.get(k, 0.0) for k in B.keys() | A.keys()]
        cpu = sum(deltas)
        top = max(deltas, default=0.0)
        total += cpu
        bound += max(top, cpu / 2)
        print(f"{cpu:7.2f} {top:7.2f} {max(top, cpu / 2):7.2f} {b - a:7.2f} | {line[:140]}")
    print(f"total {total:.2f} s CPU; sum of the bounds {bound:.2f} s; exit {p.returncode}")
    return p.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
