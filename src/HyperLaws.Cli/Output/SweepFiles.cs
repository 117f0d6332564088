using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HyperLaws.Planning;
using HyperLaws.Planning.Sweeps;

namespace HyperLaws.Cli.Output;

/// <summary>
/// The text of a sweep's files, built from a <see cref="SweepDesign"/> without touching the disk: <c>sweep.csv</c> and
/// <c>sweep.json</c> (one row per run), <c>run-row.sh</c> (runs one row through the training command),
/// <c>sweep.slurm</c> (a job array over the rows), <c>wandb-sweep.yaml</c> (a W&amp;B grid over the run ids) and
/// <c>RESULTS.md</c> (how to launch the runs and how their results come back through the readers).
/// </summary>
public static partial class SweepFiles
{
    /// <summary>The columns of sweep.csv, which are also the placeholders of the training command. The schedule spec,
    /// the only field with commas, is last and quoted, so a shell can split the others off at the commas.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "run_id", "purpose", "budget", "params", "tokens", "steps", "seq_len", "batch_seqs", "batch_tokens", "lr", "lr_factor",
        "batch_factor", "warmup", "family", "cooldown_steps", "momentum", "optimizer", "log", "schedule",
    ];

    public const string CsvName = "sweep.csv", JsonName = "sweep.json", SlurmName = "sweep.slurm", RunnerName = "run-row.sh",
        WandbName = "wandb-sweep.yaml", ResultsName = "RESULTS.md";

    /// <summary>The folder Slurm writes its job logs to (relative to the sweep folder; created with the files).</summary>
    public const string SlurmLogDir = "slurm";

    private const string ExampleCommand =
        "python train.py --run-name {run_id} --lr {lr} --batch-size {batch_seqs} --seq-len {seq_len} --steps {steps} --warmup {warmup} --schedule {schedule} --beta1 {momentum} --log {log}";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Checks a training command template: one line, and every <c>{name}</c> (not <c>${name}</c>, a shell expansion)
    /// a column of sweep.csv. Returns a one-line problem, or null when it is fine.
    /// </summary>
    public static string? TemplateProblem(string template)
    {
        if (string.IsNullOrWhiteSpace(template)) return "the template is empty.";
        if (template.Contains('\n') || template.Contains('\r')) return "the template must be one line.";
        foreach (Match m in Placeholder().Matches(template))
            if (!Columns.Contains(m.Groups[1].Value))
                return $"unknown placeholder {m.Value} (use {string.Join(" ", Columns.Select(c => "{" + c + "}"))}).";
        return null;
    }

    /// <summary>Checks a log folder: no characters that a CSV field or the row runner would misread. One line, or null.</summary>
    public static string? LogDirProblem(string dir)
    {
        if (string.IsNullOrWhiteSpace(dir)) return "the folder is empty.";
        if (dir.IndexOfAny([',', '"', '\'', '\n', '\r', '{', '}', '\\']) >= 0) return $"'{dir}' has a character the CSV or the shell would misread (, \" ' {{ }} \\ or a line break).";
        return null;
    }

    /// <summary>The run's result file, relative to the sweep folder unless the log folder is absolute.</summary>
    public static string LogPath(SweepRun run, string logDir) => logDir.TrimEnd('/') + "/" + run.RunId + ".csv";

    /// <summary>The run's values in <see cref="Columns"/> order (unquoted).</summary>
    public static IReadOnlyList<string> Values(SweepRun r, string logDir) =>
    [
        r.RunId, Purpose(r.Purpose), Int(r.Budget), Num(r.Params), Num(r.Tokens), Int(r.Steps), Int(r.SequenceLength),
        Int(r.BatchSequences), Num(r.BatchTokens), Num(r.LearningRate), Factor(r.LrFactor), Factor(r.BatchFactor), Int(r.Warmup),
        r.Schedule.Family.Name, Int(r.CooldownSteps), Num(r.Momentum), r.Optimizer.Name(), LogPath(r, logDir), r.Schedule.ToSpec(),
    ];

    /// <summary>
    /// The metadata lines a run's result CSV starts with (docs/RUN-FORMATS.md, generic CSV), then the column line:
    /// the readers take N from <c>params</c>, tokens per step from <c>tokens_per_step</c>, every step's LR from <c>schedule</c>.
    /// </summary>
    public static IReadOnlyList<string> LogHeader(SweepRun r) =>
    [
        $"# name: {r.RunId}",
        $"# params: {Num(r.Params)}",
        $"# tokens_per_step: {Num(r.BatchTokens)}",
        $"# batch_size: {Int(r.BatchSequences)}",
        $"# sequence_length: {Int(r.SequenceLength)}",
        $"# optimizer: {r.Optimizer.Name()}",
        $"# momentum: {Num(r.Momentum)}",
        $"# sweep_purpose: {Purpose(r.Purpose)}",
        $"# schedule: {r.Schedule.ToSpec()}",
        "step,loss,lr",
    ];

    public static string Csv(SweepDesign design, SweepFileSettings settings)
    {
        var sb = new StringBuilder().Append(string.Join(',', Columns)).Append('\n');
        foreach (var r in design.Runs)
        {
            var v = Values(r, settings.LogDir);
            sb.Append(string.Join(',', v.Take(v.Count - 1))).Append(",\"").Append(v[^1]).Append("\"\n");
        }
        return sb.ToString();
    }

    /// <summary>The plan as JSON (sweep.json; <c>--json</c> prints it with the files written).</summary>
    public static JsonObject Plan(SweepDesign d, SweepFileSettings settings)
    {
        var o = d.Options;
        return new JsonObject
        {
            ["target"] = new JsonObject
            {
                ["params"] = o.Params,
                ["tokens"] = o.Tokens,
                ["flops"] = d.Cost.TargetFlops,
                ["optimizer"] = o.Optimizer.Name(),
                ["seqLen"] = o.SequenceLength,
            },
            ["sweepParams"] = d.SweepParams,
            ["anchor"] = d.Budgets[0].Anchor.Rule,
            ["smallestBudget"] = d.SmallestBudget,
            ["budgets"] = new JsonArray([.. d.Budgets.Select(b => (JsonNode)new JsonObject
            {
                ["budget"] = b.Index,
                ["tokens"] = b.Tokens,
                ["anchorLr"] = b.Anchor.LearningRate,
                ["anchorBatchTokens"] = b.Anchor.BatchTokens,
                ["anchorMomentum"] = b.Anchor.Momentum,
                ["centreBatchSeqs"] = b.CentreBatchSequences,
                ["batchSeqs"] = new JsonArray([.. b.BatchSequences.Select(x => (JsonNode)x)]),
                ["lrs"] = new JsonArray([.. b.LearningRates.Select(x => (JsonNode)x)]),
                ["runs"] = d.Runs.Count(r => r.Budget == b.Index),
            })]),
            ["runs"] = new JsonArray([.. d.Runs.Select(r => (JsonNode)RunJson(r, settings.LogDir))]),
            ["cost"] = new JsonObject
            {
                ["runs"] = d.Runs.Count,
                ["tokens"] = d.Cost.Tokens,
                ["flops"] = d.Cost.Flops,
                ["targetFlops"] = d.Cost.TargetFlops,
                ["fractionOfTarget"] = d.Cost.Fraction,
                ["maxFraction"] = d.Cost.MaxFraction,
                ["exceedsMax"] = d.Cost.Exceeds,
            },
            ["notes"] = Json.Strings(d.Notes),
            ["warnings"] = Json.Strings(d.Warnings),
        };
    }

    private static JsonObject RunJson(SweepRun r, string logDir) => new()
    {
        ["runId"] = r.RunId,
        ["purpose"] = Purpose(r.Purpose),
        ["budget"] = r.Budget,
        ["params"] = r.Params,
        ["tokens"] = r.Tokens,
        ["steps"] = r.Steps,
        ["seqLen"] = r.SequenceLength,
        ["batchSeqs"] = r.BatchSequences,
        ["batchTokens"] = r.BatchTokens,
        ["lr"] = r.LearningRate,
        ["lrFactor"] = r.LrFactor,
        ["batchFactor"] = r.BatchFactor,
        ["warmup"] = r.Warmup,
        ["family"] = r.Schedule.Family.Name,
        ["cooldownSteps"] = r.CooldownSteps,
        ["schedule"] = r.Schedule.ToSpec(),
        ["momentum"] = r.Momentum,
        ["optimizer"] = r.Optimizer.Name(),
        ["log"] = LogPath(r, logDir),
        ["logHeader"] = Json.Strings(LogHeader(r)),
    };

    /// <summary>The row runner: looks up one row of sweep.csv, fills the template's placeholders (shell-quoted), runs it.</summary>
    public static string RowRunner(SweepFileSettings settings)
    {
        string header = string.Join(',', Columns);
        string template = settings.TrainCommand is { } t ? ShellQuote(t) : "''";
        var sb = new StringBuilder();
        sb.Append("""
            #!/usr/bin/env bash
            # Runs one row of sweep.csv (written by 'hyperlaws sweep') through the training command TEMPLATE below.
            #   bash run-row.sh index=I      row I, 0-based after the header (the Slurm array task id)
            #   bash run-row.sh run_id=ID    the row whose run_id is ID (what the W&B sweep passes)
            # Each {column} of TEMPLATE takes the row's value of that column of sweep.csv, shell-quoted ({log} made
            # absolute). DRY_RUN=1 prints the filled command instead of running it; SWEEP_TRAIN_COMMAND, when set,
            # replaces TEMPLATE.
            set -euo pipefail
            shopt -u patsub_replacement 2>/dev/null || true

            """).Append('\n');
        if (settings.TrainCommand is null)
            sb.Append($"# No --train-command was given: put yours here, for example\n#   TEMPLATE='{ExampleCommand}'\n");
        sb.Append($"TEMPLATE={template}\n");
        sb.Append($$$"""
            if [[ -n ${SWEEP_TRAIN_COMMAND:-} ]]; then TEMPLATE=$SWEEP_TRAIN_COMMAND; fi

            SWEEP_DIR=${SWEEP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
            CSV=$SWEEP_DIR/{{{CsvName}}}
            die() { echo "run-row.sh: $*" >&2; exit 2; }
            [[ -f $CSV ]] || die "no $CSV"
            case ${1:-} in
              index=*) index=${1#index=} ;;
              run_id=*)
                id=${1#run_id=}
                index=$(awk -F, -v id="$id" 'NR > 1 && $1 == id { print NR - 2; exit }' "$CSV")
                [[ -n $index ]] || die "no run '$id' in $CSV" ;;
              *) die "usage: run-row.sh index=I | run_id=ID" ;;
            esac
            [[ $index =~ ^[0-9]+$ ]] || die "the index must be a whole number (got '$index')"
            IFS= read -r header < "$CSV"
            [[ $header == '{{{header}}}' ]] || die "$CSV does not have the columns this script was written for"
            line=$(sed -n "$((index + 2))p" "$CSV")
            [[ -n $line ]] || die "no row $index in $CSV"
            [[ -n $TEMPLATE ]] || die "no training command: set TEMPLATE in $SWEEP_DIR/run-row.sh or SWEEP_TRAIN_COMMAND (placeholders: {run_id} {lr} {batch_seqs} {steps} {warmup} {schedule} {log} ...)"

            # Split the row: every field but the last (the quoted schedule spec, which holds commas) ends at a comma.
            IFS=, read -r -a names <<< "$header"
            n=${#names[@]}
            values=()
            rest=$line
            for ((i = 0; i < n - 1; i++)); do values[i]=${rest%%,*}; rest=${rest#*,}; done
            rest=${rest#\"}
            values[n - 1]=${rest%\"}

            cmd=$TEMPLATE
            log=
            for ((i = 0; i < n; i++)); do
              value=${values[i]}
              if [[ ${names[i]} == log ]]; then
                [[ $value == /* ]] || value=$SWEEP_DIR/$value
                log=$value
              fi
              printf -v quoted '%q' "$value"
              cmd=${cmd//"{${names[i]}}"/"$quoted"}
            done
            if [[ ${DRY_RUN:-0} == 1 ]]; then printf '%s\n' "$cmd"; exit 0; fi
            mkdir -p "$(dirname "$log")"
            echo "run-row.sh: row $index (${values[0]}): $cmd" >&2
            eval "$cmd"

            """);
        return sb.ToString();
    }

    /// <summary>The Slurm job array: task I runs row I of sweep.csv through run-row.sh.</summary>
    public static string Slurm(SweepDesign d, SweepFileSettings s)
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append($"# Slurm job array of the calibration sweep written by 'hyperlaws sweep' ({d.Runs.Count} runs): task I runs row I\n");
        sb.Append("# of sweep.csv (0-based, after the header) through run-row.sh, which fills the training command's placeholders.\n");
        sb.Append("# Submit from this folder: sbatch sweep.slurm   (job logs go to slurm/, results to the runs' {log} files)\n");
        if (s.TrainCommand is null) sb.Append("# No --train-command was given: set TEMPLATE in run-row.sh (or export SWEEP_TRAIN_COMMAND) before submitting.\n");
        sb.Append($"#SBATCH --job-name={s.JobName}\n");
        sb.Append($"#SBATCH --array=0-{d.Runs.Count - 1}{(s.MaxParallel is { } p ? "%" + Int(p) : "")}\n");
        sb.Append($"#SBATCH --output={SlurmLogDir}/%x-%A_%a.out\n");
        if (s.Partition is { } part) sb.Append($"#SBATCH --partition={part}\n");
        if (s.Time is { } time) sb.Append($"#SBATCH --time={time}\n");
        if (s.Gpus is { } g) sb.Append($"#SBATCH --gres=gpu:{Int(g)}\n");
        foreach (var line in s.SlurmOptions) sb.Append($"#SBATCH {line}\n");
        sb.Append("set -euo pipefail\n");
        sb.Append("SWEEP_DIR=${SWEEP_DIR:-${SLURM_SUBMIT_DIR:-$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)}}\n");
        sb.Append("export SWEEP_DIR\n");
        sb.Append($"exec bash \"$SWEEP_DIR/{RunnerName}\" \"index=${{SLURM_ARRAY_TASK_ID:?sweep.slurm: not an array task (submit it with sbatch)}}\"\n");
        return sb.ToString();
    }

    /// <summary>
    /// The W&amp;B sweep: a grid over the run ids alone, so each run's coupled values (LR, batch, steps, schedule) stay
    /// together; run-row.sh looks the row up by id.
    /// </summary>
    public static string WandbYaml(SweepDesign d, SweepFileSettings s)
    {
        var sb = new StringBuilder();
        sb.Append($"# W&B sweep over the {d.Runs.Count} runs of sweep.csv (written by 'hyperlaws sweep'). The grid is over run_id alone,\n");
        sb.Append("# so each run's coupled values (LR, batch, steps, schedule) stay together: run-row.sh looks the row up by its\n");
        sb.Append("# run_id and fills the training command's placeholders. Start it from this folder:\n");
        sb.Append("#   wandb sweep wandb-sweep.yaml      then      wandb agent <entity>/<project>/<sweep id>\n");
        sb.Append("# The training program should call wandb.init(), log \"loss\", and write its {log} CSV for hyperlaws (RESULTS.md).\n");
        sb.Append($"name: {s.JobName}\n");
        if (s.Project is { } project) sb.Append($"project: {project}\n");
        if (s.Entity is { } entity) sb.Append($"entity: {entity}\n");
        sb.Append($"program: {RunnerName}\n");
        sb.Append("method: grid\n");
        sb.Append("metric:\n  name: loss\n  goal: minimize\n");
        sb.Append("parameters:\n  run_id:\n    values:\n");
        foreach (var r in d.Runs) sb.Append($"      - \"{r.RunId}\"\n");
        sb.Append("command:\n  - bash\n  - ${program}\n  - ${args_no_hyphens}\n");
        return sb.ToString();
    }

    /// <summary>RESULTS.md: what the sweep is, how to launch it, and how the results come back.</summary>
    public static string Results(SweepDesign d, SweepFileSettings s, string logDirForCommands)
    {
        var o = d.Options;
        var first = d.Runs[0];
        var sb = new StringBuilder();
        sb.Append($"# Calibration sweep for N = {G(o.Params)} parameters, T = {G(o.Tokens)} tokens ({o.Optimizer.Name()})\n\n");
        sb.Append($"Written by `hyperlaws sweep`: {d.Runs.Count} runs of N = {G(d.SweepParams)} parameters at {d.Budgets.Count} token budget(s), ");
        sb.Append($"{G(d.Cost.Tokens)} tokens and {G(d.Cost.Flops)} FLOPs (6 N D) in all, {Pct(d.Cost.Fraction)} of the target run's {G(d.Cost.TargetFlops)}.\n\n");
        sb.Append("| budget | tokens | anchor LR | anchor batch (tokens) | batches (sequences) | peak LRs | runs |\n|---|---|---|---|---|---|---|\n");
        foreach (var b in d.Budgets)
            sb.Append($"| {b.Index} | {G(b.Tokens)} | {G(b.Anchor.LearningRate)} | {G(b.Anchor.BatchTokens)} | {string.Join(", ", b.BatchSequences)} | {string.Join(", ", b.LearningRates.Select(G))} | {d.Runs.Count(r => r.Budget == b.Index)} |\n");
        sb.Append("\nWhy these runs:\n\n");
        foreach (var n in d.Notes) sb.Append($"- {n}\n");
        foreach (var w in d.Warnings) sb.Append($"- **warning:** {w}\n");
        sb.Append("\n## Files\n\n");
        sb.Append("- `sweep.csv`, `sweep.json`: one row per run (run_id, purpose, budget, params, tokens, steps, seq_len, batch_seqs, batch_tokens, ");
        sb.Append("peak lr, lr_factor and batch_factor against the anchor, warmup, family, cooldown_steps, momentum, optimizer, log, schedule spec).\n");
        sb.Append("- `run-row.sh`: runs one row through the training command (`bash run-row.sh index=0`, `bash run-row.sh run_id=ID`; `DRY_RUN=1` prints it).\n");
        sb.Append("- `sweep.slurm`: a Slurm job array, task I = row I. Submit from this folder: `sbatch sweep.slurm`.\n");
        sb.Append("- `wandb-sweep.yaml`: a W&B grid over the run ids. From this folder: `wandb sweep wandb-sweep.yaml`, then `wandb agent <sweep id>`.\n\n");
        sb.Append("## The training command\n\n");
        sb.Append(s.TrainCommand is { } t
            ? $"`{t}`\n\n"
            : $"None was given (`--train-command`): set `TEMPLATE` in `run-row.sh` or export `SWEEP_TRAIN_COMMAND`, for example\n`{ExampleCommand}`.\n\n");
        sb.Append($"Placeholders are the columns of `sweep.csv`: {string.Join(" ", Columns.Select(c => "`{" + c + "}`"))}. ");
        sb.Append("Values are shell-quoted; `{log}` is made absolute. `{schedule}` is a spec such as `wsd(peak=...,steps=...,warmup=...,cooldown=0.2,shape=linear,floor=0)`: ");
        sb.Append("warmup linear from 0 to the peak over `warmup` steps (the LR of update t is peak t/warmup), then the family's main phase ");
        sb.Append("(constant; cosine to 0; WSD: the peak, then a linear cooldown to 0 over the last `cooldown_steps` steps). Steps count from 1. ");
        sb.Append("`{batch_seqs}` sequences of `{seq_len}` tokens make `{batch_tokens}` tokens per step; `{momentum}` is beta1 for AdamW.\n\n");
        sb.Append("## How the results come back\n\n");
        sb.Append($"Each run writes its `{{log}}` file (`{s.LogDir}/<run_id>.csv`) in the generic run format of `docs/RUN-FORMATS.md`: ");
        sb.Append("the metadata lines of its row (every run's are in `sweep.json` under `logHeader`), then one `step,loss,lr` row per logged step ");
        sb.Append("(loss after `step` updates; `lr` is the LR of that update, or empty: the schedule gives every step's). For the first run:\n\n");
        sb.Append("```text\n");
        foreach (var line in LogHeader(first)) sb.Append(line).Append('\n');
        sb.Append("```\n\n");
        sb.Append("In Python, for example:\n\n```python\n");
        sb.Append("with open(log, \"w\") as f:\n");
        sb.Append("    f.write(\"\".join(line + \"\\n\" for line in log_header))   # the row's logHeader from sweep.json\n");
        sb.Append("    for step, loss, lr in curve:                            # after each logged update\n");
        sb.Append("        f.write(f\"{step},{loss!r},{lr!r}\\n\")\n");
        sb.Append("```\n\n");
        sb.Append("A run that diverges should keep its file (a NaN or exploding loss marks it diverged; it is kept, not dropped). ");
        sb.Append("Then read the results back:\n\n```sh\n");
        sb.Append($"hyperlaws fit --law optlaw --runs {logDirForCommands} --out LAW.json\n");
        sb.Append($"hyperlaws plan --params {Num(o.Params)} --tokens {Num(o.Tokens)} --optimizer {o.Optimizer.Name()} --runs {logDirForCommands}\n");
        sb.Append("```\n");
        return sb.ToString();
    }

    /// <summary>Single-quotes a string for bash ('it'\''s').</summary>
    public static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Purpose(SweepPurpose p) => p == SweepPurpose.Grid ? "lr-batch-grid" : "schedule-arm";

    private static string Num(double x) => x.ToString("R", Inv);

    private static string Int(int x) => x.ToString(Inv);

    private static string Factor(double x) => x.ToString("G4", Inv);

    private static string G(double x) => x.ToString("G3", Inv);

    private static string Pct(double f) => (100 * f).ToString("0.#", Inv) + "%";

    [GeneratedRegex(@"(?<!\$)\{([^{}\s]*)\}")]
    private static partial Regex Placeholder();
}
