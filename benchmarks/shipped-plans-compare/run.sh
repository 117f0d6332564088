#!/usr/bin/env bash
# Outputs under /tmp/muon-cmp/TAG; cmp.py compares /tmp/muon-cmp/base with /tmp/muon-cmp/mine (provenance and paths removed).
# run.sh TAG REPO : the shipped plans and the demo with REPO's Release build, fit cache off
tag=$1 repo=$2 exe=$2/src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws o=/tmp/muon-cmp/$1
rm -rf $o; mkdir -p $o; cd $repo
nice -n 5 $exe plan --params 400M --tokens 590B --json --no-fit-cache --out $o/p400 > $o/p400.json 2> $o/p400.err; echo "400M rc=$?" >> $o/rc
nice -n 5 $exe plan --params 1.3B --tokens 26B --json --no-fit-cache --out $o/p1b3 > $o/p1b3.json 2> $o/p1b3.err; echo "1.3B rc=$?" >> $o/rc
nice -n 5 $exe demo --quiet --no-fit-cache --out $o/demo > $o/demo.out 2> $o/demo.err; echo "demo rc=$?" >> $o/rc
echo done >> $o/rc
