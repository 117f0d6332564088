#!/usr/bin/env bash
# As run by helper lrhold after the declared `--train-fraction all` process had run 23 min at load 80-106 (2 min of CPU, no output read):
# the same protocol 3h, one process per training fraction side by side (the fractions are independent; the same fits and scores).
# Run from anywhere; env as run.sh's (HYPERLAWS_EXE, OUT).
cd "$(dirname "$0")/../.."
H=${HYPERLAWS_EXE:-hyperlaws}
O=${OUT:-/tmp/lrhold/out}
mkdir -p "$O"
for f in 0.1 0.2 0.4 0.6 0.8 0.9; do ( nice -n 5 $H validate --protocol 3 --data ../shared/data --train-fraction $f --lr-holdout --json > $O/p3h-$f.json 2> $O/p3h-$f.err; echo $? > $O/p3h-$f.rc ) & done
wait
date -u +%H:%M:%S > $O/end-p3h.txt
