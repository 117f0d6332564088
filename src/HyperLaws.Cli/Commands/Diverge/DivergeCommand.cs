using System.CommandLine;
using System.Globalization;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Divergence;
using HyperLaws.Schedules;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Diverge;

/// <summary>
/// <c>hyperlaws diverge</c>: the divergence boundary on the peak-LR axis (<see cref="CriticalLrRule"/>).
/// <c>--fit --runs FILE... --out DIV.json</c> fits it on labelled runs (a Step Law sweep table, labelled
/// by the 2x-cell-best rule, and/or run files or folders, labelled by the readers' divergence mark) and
/// reports leave-one-cell-out precision/recall/F1; <c>--model DIV.json --schedule SPEC --params N --batch T</c>
/// predicts one schedule; <c>--score DIV.json --runs FILE...</c> scores a saved predictor on labelled runs;
/// <c>--validate --data DIR</c> runs the divergence part of protocol 4 on shared/data;
/// <c>--calibrate DIV.json --runs FILE... --out DIV2.json</c> moves a saved boundary onto one sweep's labelled runs
/// (<see cref="SweepCalibration"/>: one offset of ln eta_crit, shrunk toward the saved boundary).
/// </summary>
internal sealed class DivergeCommand : CliCommand<DivergeSettings>
{
    private readonly Option<bool> _fit = CliOptions.Flag("--fit", "Fit the critical peak LR eta_crit(N, batch, tokens) on labelled runs (--runs, --out).");
    private readonly Option<string[]> _runs = new("--runs") { Description = "Labelled runs: a Step Law sweep table (dense_lr_bs_loss.csv; diverged = loss > 2x the cell's best) and/or run files or folders (W&B JSON etc.; diverged = the reader's mark; each file or folder is one cell).", AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
    private readonly Option<string> _output = new("--out") { Description = "Where to write the fitted predictor.", HelpName = "DIV.json" };
    private readonly Option<string> _score = new("--score") { Description = "Score a saved predictor (DIV.json) on the labelled runs of --runs: precision, recall and F1 of its critical peak LR boundary.", HelpName = "DIV.json" };
    private readonly Option<string> _calibrate = new("--calibrate") { Description = "Calibrate a saved boundary (DIV.json) on the labelled runs of one sweep (--runs): one offset of ln eta_crit, MAP under a N(0, (ln 2)^2) prior, so the edge moves toward the sweep's own; writes --out and reports leave-one-run-out scores of both.", HelpName = "DIV.json" };
    private readonly Option<string> _model = new("--model") { Description = "A predictor written by 'diverge --fit'.", HelpName = "DIV.json" };
    private readonly Option<LrSchedule?> _schedule = CliOptions.Schedule("--schedule", "The schedule to check, e.g. 'cosine(peak=5e-3,warmup=300,steps=50000)' or its JSON form.");
    private readonly Option<double?> _size = CliOptions.ModelSize("Model size in parameters (e.g. 124M).");
    private readonly Option<double?> _batch = CliOptions.TokensPerStep("--batch", "Batch size in tokens per optimizer step (e.g. 1M, 102400).", "TOKENS");
    private readonly Option<bool> _validate = CliOptions.Flag("--validate", "Protocol 4, divergence part: label shared/data (Step Law 2x rule, lr-scheduling runs) and report leave-one-cell-out precision/recall/F1.");
    private readonly Option<string> _data = CliOptions.InputFolder("--data", "With --validate: folder laid out like shared/data (needs steplaw/data/dense_lr_bs_loss.csv and lr-scheduling/data).", Path.Combine("..", "shared", "data"));
    private readonly Option<double?> _warmup = CliOptions.Number("--sweep-warmup", "Warmup steps assumed for sweep-table runs (default 2000, Step Law's; then cosine to the run's mlr).", "STEPS");
    private readonly Option<double?> _factor = CliOptions.Number("--factor", "A sweep run is labelled diverged when its loss exceeds this factor x its cell's best (default 2).", "X", 1, 1e6);
    private readonly Option<bool> _fitWarmup = CliOptions.Flag("--fit-warmup", "Also fit the warmup exponent W of eta_crit (needs runs with different warmups).");
    private readonly Option<bool> _batchCurvature = CliOptions.Flag("--batch-curvature", "With --fit or --validate: also fit G, the curvature of ln eta_crit in ln batch (protocol 4-D's variant, scored held out below the power law and not adopted: docs/VALIDATION.md).");
    private readonly Option<string> _optimizer = CliOptions.Completes(new Option<string>("--optimizer") { Description = "With --model: the optimizer of the run checked (" + string.Join(", ", Planning.TrainingOptimizers.Names) + "; default adamw). The shipped prior was fitted on AdamW runs and gives no verdict for another.", HelpName = "NAME" }, Planning.TrainingOptimizers.Names);
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "diverge";

    public override string Description => "Predict divergence on the peak-LR axis: a run diverges when its peak LR exceeds a fitted critical LR eta_crit(N, batch, tokens, warmup), with a logistic margin P(diverge).";

    protected override IEnumerable<Option> Options => [_fit, _runs, _output, _model, _score, _calibrate, _schedule, _size, _batch, _optimizer, _validate, _data, _warmup, _factor, _fitWarmup, _batchCurvature, _json, _quiet];

    public override DivergeSettings Bind(ParseResult parse)
    {
        int modes = (parse.GetValue(_fit) ? 1 : 0) + (parse.GetValue(_model) is not null ? 1 : 0) + (parse.GetValue(_validate) ? 1 : 0) + (parse.GetValue(_score) is not null ? 1 : 0)
            + (parse.GetValue(_calibrate) is not null ? 1 : 0);
        if (modes != 1) throw new UserInputException("diverge: give exactly one of --fit, --model DIV.json, --score DIV.json, --calibrate DIV.json, --validate.");
        // Parsed first, so that a bad name is refused naming it in every mode; used with --model only.
        var optimizer = parse.GetValue(_optimizer) is { } named ? Optimizer(named) : Planning.TrainingOptimizer.AdamW;
        if (parse.GetValue(_optimizer) is not null && parse.GetValue(_model) is null) throw new UserInputException("--optimizer: only used with --model DIV.json.");
        NotReadByMode(parse);
        var assumption = Assumption(parse.GetValue(_warmup));
        double f = parse.GetValue(_factor) ?? SweepLabels.DefaultFactor;
        if (!(f > 1) || !double.IsFinite(f)) throw new UserInputException($"--factor must be a number > 1 (got {f.ToString(CultureInfo.InvariantCulture)}).");
        bool json = parse.GetValue(_json), quiet = parse.GetValue(_quiet) || json;
        string dataRoot = parse.GetValue(_data)!;
        var settings = new DivergeSettings(DivergeMode.Validate, null, null, null, null, null, double.NaN, double.NaN, dataRoot, assumption, f, parse.GetValue(_fitWarmup), parse.GetValue(_batchCurvature), json, quiet);
        if (parse.GetValue(_fit))
        {
            var files = parse.GetValue(_runs);
            if (files is null || files.Length == 0) throw new UserInputException("--fit needs --runs FILE...");
            string outPath = parse.GetValue(_output) ?? throw new UserInputException("--fit needs --out DIV.json.");
            return settings with { Mode = DivergeMode.Fit, Runs = files, OutPath = outPath };
        }
        if (parse.GetValue(_score) is { } scored)
        {
            var labelled = parse.GetValue(_runs) is { Length: > 0 } given ? given : throw new UserInputException("--score needs --runs FILE... (labelled runs to score the predictor on).");
            return settings with { Mode = DivergeMode.Score, Runs = labelled, ModelPath = scored, Model = DivergenceScreenOptions.Load(scored) };
        }
        if (parse.GetValue(_calibrate) is { } prior)
        {
            var sweep = parse.GetValue(_runs) is { Length: > 0 } given ? given : throw new UserInputException("--calibrate needs --runs FILE... (the sweep's labelled runs).");
            string outPath = parse.GetValue(_output) ?? throw new UserInputException("--calibrate needs --out DIV.json.");
            if (parse.GetValue(_fitWarmup)) throw new UserInputException("--fit-warmup: only used with --fit (--calibrate keeps the saved boundary's exponents).");
            return settings with { Mode = DivergeMode.Calibrate, Runs = sweep, OutPath = outPath, ModelPath = prior, Model = DivergenceScreenOptions.Load(prior) };
        }
        if (parse.GetValue(_validate)) return settings;
        string modelPath = parse.GetValue(_model)!;
        var model = DivergenceScreenOptions.Load(modelPath);
        if (DivergenceScreenOptions.NoPriorFor(optimizer, modelPath) is { } refused) throw new UserInputException(refused);
        var s = parse.GetValue(_schedule) ?? throw new UserInputException("--model needs --schedule SPEC.");
        double n = CliOptions.RequiredWith(parse.GetValue(_size), "--params", "a model size in parameters, e.g. 124M", "--model");
        double b = CliOptions.RequiredWith(parse.GetValue(_batch), "--batch", "tokens per optimizer step, e.g. 1M", "--model");
        return settings with { Mode = DivergeMode.Predict, ModelPath = modelPath, Model = model, Schedule = s, Parameters = n, BatchTokens = b };
    }

    /// <summary>
    /// Refuses an option the chosen mode does not read (was: exit 0, e.g. --model with --factor 3 the factor silently unused):
    /// --fit reads --runs, --out, --factor, --sweep-warmup, --fit-warmup, --batch-curvature; --score --runs, --factor, --sweep-warmup;
    /// --calibrate --runs, --out, --factor, --sweep-warmup; --validate --data, --sweep-warmup and --batch-curvature; --model --schedule,
    /// --params, --batch and --optimizer.
    /// </summary>
    private void NotReadByMode(ParseResult parse)
    {
        (string Mode, Option[] Reads) mode = parse.GetValue(_fit) ? ("--fit", [_runs, _output, _factor, _warmup, _fitWarmup, _batchCurvature])
            : parse.GetValue(_score) is not null ? ("--score", [_runs, _factor, _warmup])
            : parse.GetValue(_calibrate) is not null ? ("--calibrate", [_runs, _output, _factor, _warmup, _fitWarmup]) // --fit-warmup: its own message below
            : parse.GetValue(_validate) ? ("--validate", [_data, _warmup, _batchCurvature])
            : ("--model", [_schedule, _size, _batch, _optimizer]);
        Option[] modeOptions = [_runs, _output, _factor, _warmup, _fitWarmup, _batchCurvature, _data, _schedule, _size, _batch, _optimizer];
        if (modeOptions.FirstOrDefault(o => !mode.Reads.Contains(o) && parse.GetResult(o) is { Implicit: false }) is { } given)
            throw new UserInputException($"{given.Name} does not apply with diverge {mode.Mode} (not read there).");
    }

    public override int Execute(CliIo io, DivergeSettings settings)
    {
        Action<string>? progress = settings.Quiet ? null : m => io.Err.WriteLine("diverge: " + m);
        Action<string>? tornTail = settings.Quiet ? null : t => LawRuns.WriteNotes(io.Err, [t]);
        switch (settings.Mode)
        {
            case DivergeMode.Fit:
                var fit = DivergeHandler.Fit(settings, progress, tornTail);
                var doc = DivergeRenderer.WriteFile(settings, fit);
                DivergeRenderer.WriteFit(io, settings, fit, doc);
                break;
            case DivergeMode.Score:
                DivergeRenderer.WriteScore(io, settings, DivergeHandler.Score(settings, tornTail));
                break;
            case DivergeMode.Calibrate:
                var calibrated = DivergeHandler.Calibrate(settings, tornTail);
                var written = DivergeRenderer.WriteCalibratedFile(settings, calibrated);
                DivergeRenderer.WriteCalibration(io, settings, calibrated, written);
                break;
            case DivergeMode.Validate:
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var res = DivergeHandler.Validate(settings, progress);
                DivergeRenderer.WriteValidation(io, settings, res, clock.Elapsed.TotalSeconds);
                break;
            default:
                var predicted = DivergeHandler.Predict(settings);
                if (settings.Model!.Rule.G > 0)
                    io.Err.WriteLine($"diverge: warning: {settings.ModelPath}: boundary.G = {settings.Model.Rule.G.ToString("R", CultureInfo.InvariantCulture)} is positive: the edge then has a minimum in batch, not a peak, and grows without bound away from it (protocol 4-D's fits give G < 0).");
                DivergeRenderer.WritePrediction(io, settings, predicted);
                break;
        }
        return 0;
    }

    /// <summary>The optimizer named by --optimizer; a bad name is one line naming the option.</summary>
    private static Planning.TrainingOptimizer Optimizer(string name)
    {
        try
        {
            return Planning.TrainingOptimizers.Parse(name);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"--optimizer: {e.Message}");
        }
    }

    private static SweepScheduleAssumption Assumption(double? warmup)
    {
        if (warmup is null) return new SweepScheduleAssumption();
        if (warmup.Value != Math.Floor(warmup.Value) || warmup.Value < 1 || warmup.Value > 1e8)
            throw new UserInputException($"--sweep-warmup must be a whole number of steps from 1 to 1e8 (got {warmup.Value.ToString(CultureInfo.InvariantCulture)}).");
        return new SweepScheduleAssumption((int)warmup.Value);
    }
}
