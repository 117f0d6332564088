#!/usr/bin/env bash
# The scoring runs of docs/VALIDATION.md's "Protocols 3h and 17h: results", as helper lrhold ran them (with the binary of the
# declaration's branch). Run from the repository's root with ../shared beside it. Env: HYPERLAWS_EXE (the hyperlaws to run),
# OUT (where the JSON goes), P17 (protocol 17's runs split into sets by benchmarks/foreign-runs-lrsched/split-sets.sh P17).
cd "$(dirname "$0")/../.."
H=${HYPERLAWS_EXE:-hyperlaws}
O=${OUT:-/tmp/lrhold/out}
P17=${P17:-/tmp/lrhold/p17}
mkdir -p "$O"
date -u +%H:%M:%S > $O/start.txt
( nice -n 5 $H validate --protocol 3 --data ../shared/data --train-fraction all --lr-holdout --json > $O/p3h.json 2> $O/p3h.err; echo $? > $O/p3h.rc ) &
for d in "$P17"/sets/*/; do n=$(basename "$d"); ( nice -n 5 $H validate --protocol 17 --rank --lr-holdout --data "$d" --json > "$O/17h-$n.json" 2> "$O/17h-$n.err"; echo $? > "$O/17h-$n.rc" ) & done
wait
date -u +%H:%M:%S > $O/end.txt
