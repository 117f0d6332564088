#!/usr/bin/env bash
# As run by helper p3rank4: the scoring runs of docs/VALIDATION.md's "ensemble-lr: results" (worktree and binary paths as on that machine).
cd /work/wt/p3rank4
H=/tmp/p3rank4/bin/hyperlaws
O=/tmp/p3rank4/out
date -u +%H:%M:%S > $O/start-p3.txt
nice -n 5 $H validate --protocol 3 --data ../shared/data --train-fraction all --ensemble --json > $O/p3.json 2> $O/p3.err; echo $? > $O/p3.rc
date -u +%H:%M:%S > $O/start-17r.txt
for d in /tmp/p3rank4/p17/sets/*/; do n=$(basename "$d"); ( nice -n 5 $H validate --protocol 17 --rank --data "$d" --json > "$O/17r-$n.json" 2> "$O/17r-$n.err"; echo $? > "$O/17r-$n.rc" ) & done
wait
date -u +%H:%M:%S > $O/end.txt
