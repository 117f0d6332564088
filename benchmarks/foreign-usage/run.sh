#!/usr/bin/env bash
# Every user command on public runs that are not in shared/data, as a new user would run them: the runs in the format their
# producer wrote (modded-nanogpt / llm.c logs, AlgoPerf eval_measurements.csv, the PolyPythias W&B TSVs, the lr-scheduling W&B
# JSON exports, OpenAI Parameter Golf's train.log (modded-nanogpt lines stopped at a wallclock cap), the real-producer fixtures under tests/**/TestData: fairseq dense and MoE JSON logs, a Megatron MoE log, nanoGPT
# W&B JSONL, llm.c resumed JSONL, Hugging Face trainer_state.json, Lightning metrics.csv, MLflow file stores). Logs that carry no
# LR go through `hyperlaws import --schedule` first, as the README tells a user to (the schedule from the producer's config).
#
# Usage: benchmarks/foreign-usage/run.sh [OUT.md]   (default benchmarks/foreign-usage/RESULTS.md)
#   HYPERLAWS   the executable (default: the Release build of src/HyperLaws.Cli)
#   WORK        scratch folder (default /tmp/foreign-usage)
#   P14 P15 P16 P17 P18   the foreign sources (default /tmp/p14 .. /tmp/p18, from benchmarks/foreign-runs*/fetch.sh)
#   P19 MOE       MLPerf llama31_8b logs (default /tmp/p19, benchmarks/foreign-runs-mlperf/fetch.sh) and the gpt-oss 20B MoE logs
#                 (default /tmp/foreignmoe/data, benchmarks/foreign-runs-moe/fetch.sh): validation losses only (fit --validation,
#                 plan --fit-on val)
#   MARIN         Marin's optimizer-sweep tables (default /tmp/marinopt/marin, benchmarks/foreign-runs-marin/fetch.sh)
#   PYTHIA_GIT  a clone (bare works) of github.com/EleutherAI/pythia, for the raw TSVs (default /work/.mirror/EleutherAI+pythia/repo)
#   CELL_TIMEOUT  seconds per command (default 300)
#   ONLY        a regular expression on "source/command" to run a part of the matrix
# Each cell's stdout/stderr is kept under $WORK/cells/SOURCE/COMMAND.{out,err}; the table gives the exit code, the first
# error line or the key outputs (LR, schedule, predicted loss and interval, warnings).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out_md="${1:-$here/RESULTS.md}"
exe="${HYPERLAWS:-$repo/src/HyperLaws.Cli/bin/Release/net10.0/linux-x64/hyperlaws}"
work="${WORK:-/tmp/foreign-usage}"
p14="${P14:-/tmp/p14}" p15="${P15:-/tmp/p15/study0}" p16="${P16:-/tmp/p16}" p17="${P17:-/tmp/p17}" p18="${P18:-/tmp/p18}"
p19="${P19:-/tmp/p19}" moe="${MOE:-/tmp/foreignmoe/data}" marin="${MARIN:-/tmp/marinopt/marin}"
pythia_git="${PYTHIA_GIT:-/work/.mirror/EleutherAI+pythia/repo}"
cell_timeout="${CELL_TIMEOUT:-300}"
only="${ONLY:-.}"
td="$repo/tests/HyperLaws.Readers.Tests/TestData"
[ -x "$exe" ] || { echo "no executable at $exe (build Release first)" >&2; exit 2; }
rm -rf "$work"; mkdir -p "$work/runs" "$work/cells"
export HYPERLAWS_NO_COLOR=1

# ---- the runs, in their producers' formats (imports only where the log has no LR) ----
imp() { # imp SRC_FILE OUT_NAME SCHEDULE [import options...]
  local src="$1" name="$2" spec="$3"; shift 3
  mkdir -p "$work/runs/$(dirname "$name")" "$work/import"
  local log="$work/import/$(echo "$name" | tr / _).err"
  "$exe" import "$src" --schedule "$spec" --out "$work/runs/$name" "$@" >/dev/null 2>"$log" \
    || echo "import $src failed: $(head -1 "$log")" >&2
}
declare -A RUNS PARAMS TOKENS SPEC STEPS TPS OPT NOTE FITOPT PLANOPT P10 T10
# modded-nanogpt AdamW 124M: the AdamW baseline and the optimizers record's Adam (LR-less speedrun logs, imported), llm.c's main.log as is
if [ -d "$p14" ]; then
  imp "$p14/adamw-124m.log" p14-adamw/adamw-124m.csv "wsd(peak=0.0018,warmup=250,steps=9536,cooldownSteps=2000)" --params 124M
  imp "$p14/opt-adam.txt" p14-adamw/opt-adam.csv "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)" --params 124M
  cp "$p14/llmc-124m.log" "$work/runs/p14-adamw/main.log"
  RUNS[p14-adamw]="$work/runs/p14-adamw"; PARAMS[p14-adamw]=124M; TOKENS[p14-adamw]=10B; OPT[p14-adamw]=adamw
  SPEC[p14-adamw]="wsd(peak=0.0018,warmup=250,steps=19072,cooldownSteps=4000)"; STEPS[p14-adamw]=19072; TPS[p14-adamw]=524288
  NOTE[p14-adamw]="modded-nanogpt AdamW 124M logs (2 imported) + llm.c main.log"
  # modded-nanogpt 1.5B Muon, a short and a long run
  imp "$p14/1b5-muon-short.txt" p14-1b5muon/1b5-muon-short.csv "wsd(peak=0.00018,steps=15258,cooldownSteps=4359)" --params 1.5B --optimizer muon
  imp "$p14/1b5-muon.txt" p14-1b5muon/1b5-muon.csv "wsd(peak=0.00018,steps=20344,cooldownSteps=5812)" --params 1.5B --optimizer muon
  RUNS[p14-1b5muon]="$work/runs/p14-1b5muon"; PARAMS[p14-1b5muon]=1.5B; TOKENS[p14-1b5muon]=30B; OPT[p14-1b5muon]=muon
  SPEC[p14-1b5muon]="wsd(peak=0.00018,steps=57220,cooldownSteps=16000)"; STEPS[p14-1b5muon]=57220; TPS[p14-1b5muon]=524288
  NOTE[p14-1b5muon]="modded-nanogpt 1.5B Muon, 15k and 20k steps (imported)"
fi
# AlgoPerf WMT (NAdamW, 5 trials of one study): eval_measurements.csv, imported with each trial's schedule
if [ -d "$p15" ]; then
  python3 - "$p15/manifest.json" > "$work/runs/p15.list" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    if r["set"] == "wmt": print(r["file"], r["schedule"])
PY
  while read -r f spec; do imp "$p15/$f" "p15-wmt/${f%.csv}.run.csv" "$spec"; done < "$work/runs/p15.list"
  RUNS[p15-wmt]="$work/runs/p15-wmt"; PARAMS[p15-wmt]=133M; TOKENS[p15-wmt]=20B; OPT[p15-wmt]=adamw
  SPEC[p15-wmt]="cosine(peak=0.0017,steps=266666,warmup=2666)"; STEPS[p15-wmt]=266666; TPS[p15-wmt]=65536
  NOTE[p15-wmt]="AlgoPerf WMT Transformer, 5 NAdamW trials (imported)"
fi
# PolyPythias: the raw W&B TSVs (train/lm_loss<TAB>step, 143k rows), imported with GPT-NeoX's schedule
if git --git-dir="$pythia_git" rev-parse -q --verify ccdf77005e27f2b6811d85ca145532cc502180b6 >/dev/null 2>&1; then
  mkdir -p "$work/raw/pythia"
  for s in 14m-seed1:14M:0.001:0.0001 70m-seed1:70M:0.001:0.0001 160m-seed5:160M:0.0006:6e-05; do
    IFS=: read -r f n peak floor <<<"$s"
    git --git-dir="$pythia_git" show "ccdf77005e27f2b6811d85ca145532cc502180b6:hmm-training-maps/training_losses/data/$f.tsv" > "$work/raw/pythia/$f.tsv"
    imp "$work/raw/pythia/$f.tsv" "p16-pythia/$f.csv" "cosine(peak=$peak,steps=143000,warmup=1430,floor=$floor,offset=1)" --params "$n" --tokens-per-step 2097152
  done
  RUNS[p16-pythia]="$work/runs/p16-pythia"; PARAMS[p16-pythia]=410M; TOKENS[p16-pythia]=300B; OPT[p16-pythia]=adamw
  SPEC[p16-pythia]="cosine(peak=0.0003,steps=143000,warmup=1430,floor=3e-05)"; STEPS[p16-pythia]=143000; TPS[p16-pythia]=2097152
  NOTE[p16-pythia]="PolyPythias 14M/70M/160M raw W&B TSVs, 143k steps (imported)"
fi
# lr-scheduling W&B JSON exports (Llama 33M and 124M-class on SlimPajama; cosine at 2e-3 and WSD at 1e-3), read as they are
if [ -d "$p17" ]; then
  mkdir -p "$work/runs/p17-33m" "$work/runs/p17-124m"
  ln -s "$p17"/sl_slimpajama_llama_norm_nlayers8_nhead6_lr*.json "$work/runs/p17-33m/"
  ln -s "$p17"/sl_slimpajama_llama_norm_nlayers12_nhead12_lr*.json "$work/runs/p17-124m/"
  RUNS[p17-33m]="$work/runs/p17-33m"; PARAMS[p17-33m]=33M; TOKENS[p17-33m]=3B; OPT[p17-33m]=adamw
  SPEC[p17-33m]="cosine(peak=0.002,warmup=300,steps=30000)"; STEPS[p17-33m]=30000; TPS[p17-33m]=102400
  NOTE[p17-33m]="lr-scheduling W&B JSON, Llama 33M, 4 runs"
  RUNS[p17-124m]="$work/runs/p17-124m"; PARAMS[p17-124m]=124M; TOKENS[p17-124m]=10B; OPT[p17-124m]=adamw
  SPEC[p17-124m]="wsd(peak=0.001,warmup=300,steps=100000,cooldown=0.2)"; STEPS[p17-124m]=100000; TPS[p17-124m]=102400
  NOTE[p17-124m]="lr-scheduling W&B JSON, Llama 12-layer, 4 runs"
fi
# OpenAI Parameter Golf (9x512 GPT, Muon, 10-minute wallclock cap): the baseline recipe at matrix_lr 0.04 (two runs) and 0.02,
# imported with each run's warmdown, which the wallclock times to end at the step the run stopped (benchmarks/foreign-runs-paramgolf)
if [ -f "$p18/manifest.json" ]; then
  python3 - "$p18/manifest.json" > "$work/runs/p18.list" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["runs"]:
    if r["set"] == "lr-9x512": print(r["file"], r["schedule"])
PY
  while read -r f spec; do imp "$p18/$f" "p18-pgolf/${f%.log}.csv" "$spec" --optimizer muon; done < "$work/runs/p18.list"
  RUNS[p18-pgolf]="$work/runs/p18-pgolf"; PARAMS[p18-pgolf]=17M; TOKENS[p18-pgolf]=7.2B; OPT[p18-pgolf]=muon
  SPEC[p18-pgolf]="wsd(peak=0.02,steps=13780,cooldownSteps=1200)"; STEPS[p18-pgolf]=13780; TPS[p18-pgolf]=524288
  NOTE[p18-pgolf]="Parameter Golf train.log, 17M Muon, matrix_lr 0.04 x2 and 0.02 (imported)"
fi
# MLPerf Training v5.1 llama31_8b (MLLOG events, LRs from the logged settings; validation losses only): the three batch-32
# recipes at peaks 4e-4, 8e-4 and 1e-3 (benchmarks/foreign-runs-mlperf/use.sh's B32)
if [ -f "$p19/manifest.json" ]; then
  RUNS[p19-mlperf]="$p19/b32-lr0.0004-w16-dell-r0.txt $p19/b32-lr0.0008-w128-amd-r0.txt $p19/b32-lr0.001-w128-amd-r0.txt"
  PARAMS[p19-mlperf]=8B; TOKENS[p19-mlperf]=1.6B; OPT[p19-mlperf]=adamw; FITOPT[p19-mlperf]=--validation
  PLANOPT[p19-mlperf]="--fit-on val --seq-len 8192"
  SPEC[p19-mlperf]="constant(peak=0.0008,warmup=128,steps=6144)"; STEPS[p19-mlperf]=6144; TPS[p19-mlperf]=262144
  NOTE[p19-mlperf]="MLPerf v5.1 llama31_8b MLLOG, batch 32 at peaks 4e-4/8e-4/1e-3 (validation losses)"
fi
# MLPerf Training v6.0 gpt_oss_20b (20.9B parameters, 3.6B active): four recipes (batch 16-64, peaks 4e-4 to 5.2e-4)
if [ -f "$moe/manifest.json" ]; then
  RUNS[moe-gptoss]="$(ls "$moe"/b*.txt | tr '\n' ' ')"
  PARAMS[moe-gptoss]=3.6B; TOKENS[moe-gptoss]=3.6B; OPT[moe-gptoss]=adamw; FITOPT[moe-gptoss]=--validation
  PLANOPT[moe-gptoss]="--fit-on val --seq-len 8192"
  SPEC[moe-gptoss]="constant(peak=0.0005,warmup=257,steps=18432)"; STEPS[moe-gptoss]=18432; TPS[moe-gptoss]=196608
  NOTE[moe-gptoss]="MLPerf v6.0 gpt-oss 20B MoE MLLOG, 4 recipes (validation losses; --params the 3.6B active)"
fi
# W&B's transaction-log fixture (run-tiny0001.wandb: W&B's generator, train/loss falling 0.035 a step; config lr 0.001, no LR per
# step), read as it is: a format check, not a training run
RUNS[wandb-runfile]="$td/wandb_runfile/run-tiny0001.wandb"; PARAMS[wandb-runfile]=10M; TOKENS[wandb-runfile]=100M; OPT[wandb-runfile]=adamw
SPEC[wandb-runfile]="constant(peak=0.001,steps=50)"; STEPS[wandb-runfile]=50; TPS[wandb-runfile]=65536
NOTE[wandb-runfile]="W&B run file (.wandb transaction log), W&B's tiny fixture"
# real-producer fixtures, as committed
RUNS[fairseq-dense]="$td/fairseq_log/fsdp_13b_8gpu.log $td/fairseq_log/fsdp_13b_1gpu.log"; PARAMS[fairseq-dense]=13B; TOKENS[fairseq-dense]=300B; OPT[fairseq-dense]=adamw
SPEC[fairseq-dense]="linear(peak=0.0001,warmup=5,steps=100)"; STEPS[fairseq-dense]=100; TPS[fairseq-dense]=131072
NOTE[fairseq-dense]="fairseq --log-format json, 13B FSDP, 10 updates"
RUNS[fairseq-moe]="$td/fairseq_log/moe_lm_8xV100.log"; PARAMS[fairseq-moe]=1B; TOKENS[fairseq-moe]=50B; OPT[fairseq-moe]=adamw
SPEC[fairseq-moe]="invsqrt(peak=0.0005,warmup=4000,steps=20000)"; STEPS[fairseq-moe]=20000; TPS[fairseq-moe]=262144
NOTE[fairseq-moe]="fairseq MoE LM JSON log (inner_loss)"
RUNS[megatron-moe]="$td/megatron_log/gpt3_125m_moe_kernel.head.log"; PARAMS[megatron-moe]=125M; TOKENS[megatron-moe]=10B; OPT[megatron-moe]=adamw
SPEC[megatron-moe]="cosine(peak=0.00045,warmup=2000,steps=40000)"; STEPS[megatron-moe]=40000; TPS[megatron-moe]=262144
NOTE[megatron-moe]="Megatron-DeepSpeed MoE 125M stdout (Slurm .out)"
RUNS[wandb-jsonl]="$td/nanogpt_jsonl/nanogpt_wandb_history.jsonl"; PARAMS[wandb-jsonl]=124M; TOKENS[wandb-jsonl]=10B; OPT[wandb-jsonl]=adamw
SPEC[wandb-jsonl]="cosine(peak=0.0006,warmup=2000,steps=20000,floor=6e-05)"; STEPS[wandb-jsonl]=20000; TPS[wandb-jsonl]=491520
NOTE[wandb-jsonl]="nanoGPT W&B history JSONL"
RUNS[llmc-jsonl]="$td/resumed_jsonl/llmc_resumed.jsonl"; PARAMS[llmc-jsonl]=124M; TOKENS[llmc-jsonl]=10B; OPT[llmc-jsonl]=adamw
SPEC[llmc-jsonl]="cosine(peak=0.0006,warmup=700,steps=20000)"; STEPS[llmc-jsonl]=20000; TPS[llmc-jsonl]=524288
NOTE[llmc-jsonl]="llm.c resumed run JSONL"
RUNS[hf-trainer]="$td/hf_trainer_state/stanford_alpaca.trainer_state.json"; PARAMS[hf-trainer]=7B; TOKENS[hf-trainer]=1B; OPT[hf-trainer]=adamw
SPEC[hf-trainer]="cosine(peak=2e-05,warmup=30,steps=2000)"; STEPS[hf-trainer]=2000; TPS[hf-trainer]=262144
NOTE[hf-trainer]="HF Trainer trainer_state.json (Alpaca fine-tune)"
RUNS[lightning]="$td/lightning_csv/turngpt_metrics.csv"; PARAMS[lightning]=124M; TOKENS[lightning]=1B; OPT[lightning]=adamw
SPEC[lightning]="constant(peak=0.0001,steps=5000,warmup=100)"; STEPS[lightning]=5000; TPS[lightning]=65536
NOTE[lightning]="Lightning CSVLogger metrics.csv (TurnGPT)"
RUNS[mlflow]="$td/mlflow/deberta_mlruns"; PARAMS[mlflow]=184M; TOKENS[mlflow]=1B; OPT[mlflow]=adamw
SPEC[mlflow]="linear(peak=2e-05,warmup=100,steps=5000)"; STEPS[mlflow]=5000; TPS[mlflow]=65536
NOTE[mlflow]="MLflow file store (DeBERTa classification, HF Trainer)"

sources=(p14-adamw p14-1b5muon p15-wmt p16-pythia p17-33m p17-124m p18-pgolf p19-mlperf moe-gptoss fairseq-dense fairseq-moe megatron-moe wandb-jsonl llmc-jsonl hf-trainer lightning mlflow wandb-runfile)

# plan10x: a plan at 10x the runs' (largest) model size and 10x the source's target tokens (the same tokens per parameter)
for kv in p14-adamw:1.24B:100B p14-1b5muon:15B:300B p15-wmt:1.33B:200B p16-pythia:1.6B:3T p17-33m:330M:30B p17-124m:1.24B:100B \
          p18-pgolf:170M:72B p19-mlperf:80B:16B moe-gptoss:36B:36B fairseq-dense:130B:3T fairseq-moe:10B:500B megatron-moe:1.25B:100B \
          wandb-jsonl:1.24B:100B llmc-jsonl:1.24B:100B hf-trainer:70B:10B lightning:1.24B:10B mlflow:1.84B:10B wandb-runfile:100M:1B; do
  IFS=: read -r s n t <<<"$kv"; P10[$s]=$n; T10[$s]=$t
done

for s in "${sources[@]}"; do [ -n "${RUNS[$s]:-}" ] && printf '%s\t%s\t%s\t%s\t%s\n' "$s" "${NOTE[$s]}" "${PARAMS[$s]}" "${TOKENS[$s]}" "${OPT[$s]}"; done > "$work/sources.tsv"

# ---- one cell ----
run_cell() { # run_cell SOURCE COMMAND args...
  local src="$1" cmd="$2"; shift 2
  [[ "$src/$cmd" =~ $only ]] || return 0
  local d="$work/cells/$src"; mkdir -p "$d"
  local t0=$SECONDS
  (cd "$work" && timeout "$cell_timeout" "$exe" "$@" >"$d/$cmd.out" 2>"$d/$cmd.err"); local rc=$?
  echo "$src	$cmd	$rc	$((SECONDS - t0))" >> "$work/cells.tsv"
  echo "[$src/$cmd] rc=$rc ($((SECONDS - t0)) s)" >&2
}

for s in "${sources[@]}"; do
  [ -n "${RUNS[$s]:-}" ] || continue
  read -r -a runs <<<"${RUNS[$s]}"
  d="$work/cells/$s"; mkdir -p "$d"
  read -r -a fitopt <<<"${FITOPT[$s]:-}"; read -r -a planopt <<<"${PLANOPT[$s]:-}"
  run_cell "$s" fit fit --law optlaw --runs "${runs[@]}" "${fitopt[@]}" --out "$d/law.json" --json
  run_cell "$s" fit-boot fit --law tissue --runs "${runs[@]}" "${fitopt[@]}" --out "$d/law-boot.json" --bootstrap 20 --seed 1 --json
  if [ -f "$d/law.json" ]; then
    run_cell "$s" predict predict --law "$d/law.json" --schedule "${SPEC[$s]}" --steps "$((STEPS[$s] / 2)),${STEPS[$s]}" --json
    run_cell "$s" rank rank --law "$d/law.json" --steps "${STEPS[$s]}" --top 5 --json
    run_cell "$s" contour contour --law "$d/law.json" --tokens "${TOKENS[$s]}" --tokens-per-step "${TPS[$s]}" --out "$d/contour" --json
  fi
  [ -f "$d/law-boot.json" ] && run_cell "$s" predict-boot predict --law "$d/law-boot.json" --schedule "${SPEC[$s]}" --steps "${STEPS[$s]}" --json
  run_cell "$s" plan plan --runs "${runs[@]}" "${planopt[@]}" --params "${PARAMS[$s]}" --tokens "${TOKENS[$s]}" --optimizer "${OPT[$s]}" --out "$d/plan" --json
  run_cell "$s" plan10x plan --runs "${runs[@]}" "${planopt[@]}" --params "${P10[$s]}" --tokens "${T10[$s]}" --optimizer "${OPT[$s]}" --out "$d/plan10x" --json
  run_cell "$s" diverge diverge --model "$repo/data/priors/divergence-steplaw.json" --schedule "${SPEC[$s]}" --params "${PARAMS[$s]}" --batch "${TPS[$s]}" --optimizer "${OPT[$s]}" --json
  # A sweep for an optimizer without a published LR rule (muon) is centred on the source's runs (protocol 18d).
  sweep_runs=(); [ "${OPT[$s]}" = adamw ] || sweep_runs=(--runs "${runs[@]}")
  run_cell "$s" sweep sweep --params "${PARAMS[$s]}" --tokens "${TOKENS[$s]}" --optimizer "${OPT[$s]}" "${sweep_runs[@]}" --out "$d/sweep" --json
done
# validate: the cross-data protocols on the foreign sources (one law, to keep the time)
[ -d "$p14" ] && run_cell p14-all validate validate --protocol 14 --data "$p14" --laws tissue --json
[ -d "$p16" ] && run_cell p16-all validate validate --protocol 16 --data "$p16" --laws tissue --json
# Marin's sweep tables (final losses per peak LR, no curves): what a user can do with them
if [ -f "$marin/manifest.json" ]; then
  t1="$marin/experiments/optimizer_sweep/Analysis/PhaseI/tex/hyperparam_tables_adamw.tex"
  run_cell marin plan plan --runs "$t1" --params 1.2B --tokens 24B --optimizer adamw --out "$work/cells/marin/plan" --json
  run_cell marin optimum optimum --sweep "$t1" --json
  run_cell marin diverge-fit diverge --fit --runs "$t1" --out "$work/cells/marin/div.json" --json
  run_cell marin sweep sweep --params 130M --tokens 2.7B --optimizer adamw --out "$work/cells/marin/sweep" --json
  run_cell marin validate validate --protocol 20 --data "$marin" --json
fi

python3 "$here/summarise.py" "$work" "$out_md" "$exe" "${sources[*]}"
echo "wrote $out_md" >&2
