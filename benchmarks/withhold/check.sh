#!/usr/bin/env bash
# withhold2's declared check (docs/VALIDATION.md, "... withheld by rank-continuation and optimize-schedule"): rank-continuation and
# optimize-schedule on the laws fit.sh fitted, with the build in BIN, the JSON (and stderr) of each run into OUT.
# Usage: benchmarks/withhold/check.sh BIN OUT   (BIN: the folder holding hyperlaws, e.g. a base build and the branch's in turn;
#        env: LAWS=/tmp/withhold2-laws, SHARED=../shared beside the repo, as in CI); then compare.py BASE_OUT BRANCH_OUT.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
B="${1:?BIN}/hyperlaws"; O="${2:?OUT}"; mkdir -p "$O"
L="${LAWS:-/tmp/withhold2-laws}"
D="$repo/data/MultiPowerLaw/loss_curve_repo/csv_25"
G="${SHARED:-$repo/../shared}/data/lr-scheduling/data"
F="$repo/tests/HyperLaws.Readers.Tests/TestData"
for law in tissue optlaw mpl; do
  "$B" rank-continuation --law $L/$law-csv25.json --history $D/cosine_24000.csv --steps 24000 --top 5 --json > $O/rc-$law-csv25.json 2>$O/rc-$law-csv25.err; echo "rc $law-csv25 $?"
  "$B" optimize-schedule --law $L/$law-csv25.json --steps 48000 --knots 12 --evaluations 600 --json > $O/os-$law-csv25.json 2>$O/os-$law-csv25.err; echo "os $law-csv25 $?"
done
"$B" rank-continuation --law $L/tissue-grid.json --history $G/cos-10-124m_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_cos_warmup300_decay_sqrt_0.0_iter25000_bs50x2_ws2_seed0_data_seed1337.json --steps 24000 --top 5 --json > $O/rc-tissue-grid.json 2>$O/rc-tissue-grid.err; echo "rc tissue-grid $?"
"$B" optimize-schedule --law $L/tissue-grid.json --steps 48000 --knots 12 --evaluations 600 --json > $O/os-tissue-grid.json 2>$O/os-tissue-grid.err; echo "os tissue-grid $?"
for x in "llmc resumed_jsonl/llmc_resumed.jsonl 995 19900" "alpaca hf_trainer_state/stanford_alpaca.trainer_state.json 1218 24360" "megatron megatron_log/gpt3_125m_moe_kernel.head.log 1280 25600"; do
  set -- $x
  "$B" rank-continuation --law $L/optlaw-$1.json --history $F/$2 --steps $3 --top 5 --json > $O/rc-optlaw-$1.json 2>$O/rc-optlaw-$1.err; echo "rc optlaw-$1 $?"
  "$B" optimize-schedule --law $L/optlaw-$1.json --steps $4 --knots 12 --evaluations 600 --json > $O/os-optlaw-$1.json 2>$O/os-optlaw-$1.err; echo "os optlaw-$1 $?"
done
