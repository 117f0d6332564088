#!/usr/bin/env bash
# Fits the laws of withhold2's check once (docs/VALIDATION.md, "... withheld by rank-continuation and optimize-schedule"): tissue,
# optlaw and mpl on three MPL 25M curves, tissue on three lr-scheduling 124M runs, optlaw on three foreign logs of the test data.
# fit is unchanged by that branch: one build fits the laws both check.sh runs use.
# Usage: benchmarks/withhold/fit.sh   (env: EXE, the hyperlaws to fit with; LAWS=/tmp/withhold2-laws, where the laws go;
#        SHARED=../shared beside the repo, as in CI, for lr-scheduling's runs)
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
B="${EXE:-$repo/src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws}"
D="$repo/data/MultiPowerLaw/loss_curve_repo/csv_25"
G="${SHARED:-$repo/../shared}/data/lr-scheduling/data"
F="$repo/tests/HyperLaws.Readers.Tests/TestData"
L="${LAWS:-/tmp/withhold2-laws}"
mkdir -p "$L"
for law in tissue optlaw mpl; do
  /usr/bin/time -f "$law csv25 %e s" "$B" fit --law $law --runs $D/cosine_24000.csv $D/constant_24000.csv $D/wsdcon_9.csv --out $L/$law-csv25.json --json > $L/$law-csv25.fit.json 2>> $L/fit.err
done
/usr/bin/time -f "tissue grid %e s" "$B" fit --law tissue --runs $G/cos-10-124m_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_cos_warmup300_decay_sqrt_0.0_iter25000_bs50x2_ws2_seed0_data_seed1337.json $G/cos-zero-124m_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_cos_warmup300_decay_sqrt_0.0_iter25000_bs50x2_ws2_seed0_data_seed1337.json $G/ann124-0.2_slimpajama_llama_norm_nlayers12_nhead12_lr0.001_sched_wsd_warmup300_decay_linear_0.2_iter25000_bs50x2_ws2_seed0_data_seed1337.json --out $L/tissue-grid.json --json > $L/tissue-grid.fit.json 2>> $L/fit.err
for x in "llmc resumed_jsonl/llmc_resumed.jsonl" "alpaca hf_trainer_state/stanford_alpaca.trainer_state.json" "megatron megatron_log/gpt3_125m_moe_kernel.head.log"; do
  set -- $x
  /usr/bin/time -f "optlaw $1 %e s" "$B" fit --law optlaw --runs $F/$2 --out $L/optlaw-$1.json --json > $L/optlaw-$1.fit.json 2>> $L/fit.err
done
echo done >> $L/fit.err
