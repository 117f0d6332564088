#!/usr/bin/env python3
"""Cell-by-cell comparison of a new foreign-usage table against the latest committed row of each (source, command) in RESULTS.md
(the file's tables are in the order they were run, so the last row of a cell is its latest).
Usage: compare_results.py OLD_RESULTS.md NEW.md   (numbers compared as printed; paths left out)"""
import re, sys

def rows(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        p = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(p) == 6 and p[2].lstrip("-").isdigit():
            out[(p[0], p[1])] = (int(p[2]), p[4], p[5])
    return out

old, new = rows(sys.argv[1]), rows(sys.argv[2])
nums = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", re.I)
same = changed = 0
for k in new:
    if k not in old:
        print(f"NEW   {k[0]}/{k[1]}: exit {new[k][0]} {new[k][1]} | {new[k][2][:300]}"); continue
    o, n = old[k], new[k]
    # paths differ between runs: compare without them
    strip = lambda s: re.sub(r"/\S+/", "/", s)
    if o[0] == n[0] and o[1] == n[1] and strip(o[2]) == strip(n[2]):
        same += 1; continue
    changed += 1
    print(f"DIFF  {k[0]}/{k[1]}: exit {o[0]} -> {n[0]}; flags '{o[1]}' -> '{n[1]}'\n   old: {strip(o[2])[:400]}\n   new: {strip(n[2])[:400]}")
for k in old:
    if k not in new: print(f"GONE  {k[0]}/{k[1]}")
print(f"same {same}, changed {changed}, new {sum(1 for k in new if k not in old)}")
