#!/usr/bin/env bash
# The scoring run of docs/VALIDATION.md's "Protocols 3h and 17h with the nearest seen LR's members" (helper lrranker): protocol 17h
# per manifest set and protocol 3h per training fraction (independent; the same fits and scores as one process; 3h first, its
# processes are the longest), LANES processes at a time. Run from the repository's root with ../shared beside it. Env: HYPERLAWS_EXE (the hyperlaws to run), OUT (where the JSON
# goes), P17 (protocol 17's runs split by benchmarks/foreign-runs-lrsched/split-sets.sh P17), LANES (default 3).
cd "$(dirname "$0")/../.."
H=${HYPERLAWS_EXE:-hyperlaws}
O=${OUT:-/tmp/lrranker/out}
P17=${P17:-/tmp/lrranker/p17}
mkdir -p "$O"
date -u +%H:%M:%S > "$O/start.txt"
jobs=()
for f in 0.1 0.2 0.4 0.6 0.8 0.9; do jobs+=("validate --protocol 3 --data ../shared/data --train-fraction $f --lr-holdout --json|p3h-$f"); done
for d in "$P17"/sets/*/; do n=$(basename "$d"); jobs+=("validate --protocol 17 --rank --lr-holdout --data $d --json|17h-$n"); done
printf '%s\n' "${jobs[@]}" | xargs -P "${LANES:-3}" -I{} bash -c 'a="{}"; n=${a##*|}; nice -n 5 '"$H"' ${a%|*} > "'"$O"'/$n.json" 2> "'"$O"'/$n.err"; echo $? > "'"$O"'/$n.rc"'
date -u +%H:%M:%S > "$O/end.txt"
