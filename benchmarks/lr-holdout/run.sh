#!/usr/bin/env bash
# As run by helper lrhold: the scoring runs of docs/VALIDATION.md's "Protocols 3h and 17h: results" (the binary of the declaration's
# branch copied to /tmp/lrhold/bin; /tmp/lrhold/p17 a copy of /tmp/p17's manifest with links to its files, split by split-sets.sh).
cd /work/wt/lrhold
H=/tmp/lrhold/bin/hyperlaws
O=/tmp/lrhold/out
date -u +%H:%M:%S > $O/start.txt
( nice -n 5 $H validate --protocol 3 --data ../shared/data --train-fraction all --lr-holdout --json > $O/p3h.json 2> $O/p3h.err; echo $? > $O/p3h.rc ) &
for d in /tmp/lrhold/p17/sets/*/; do n=$(basename "$d"); ( nice -n 5 $H validate --protocol 17 --rank --lr-holdout --data "$d" --json > "$O/17h-$n.json" 2> "$O/17h-$n.err"; echo $? > "$O/17h-$n.rc" ) & done
wait
date -u +%H:%M:%S > $O/end.txt
