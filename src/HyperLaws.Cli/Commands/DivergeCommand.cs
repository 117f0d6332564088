using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Divergence;
using HyperLaws.Readers;
using HyperLaws.Schedules;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws diverge</c>: the divergence boundary on the peak-LR axis (<see cref="CriticalLrRule"/>).
/// <c>--fit --runs FILE... --out DIV.json</c> fits it on labelled runs (a Step Law sweep table, labelled
/// by the 2x-cell-best rule, and/or run files or folders, labelled by the readers' divergence mark) and
/// reports leave-one-cell-out precision/recall/F1; <c>--model DIV.json --schedule SPEC --params N --batch T</c>
/// predicts one schedule; <c>--validate --data DIR</c> runs the divergence part of protocol 4 on shared/data.
/// </summary>
internal static class DivergeCommand
{
    public const double OptLawsF1 = 0.92;

    public static Command Create(CliIo io)
    {
        var fit = CliOptions.Flag("--fit", "Fit the critical peak LR eta_crit(N, batch, tokens) on labelled runs (--runs, --out).");
        var runs = new Option<string[]>("--runs") { Description = "Labelled runs: a Step Law sweep table (dense_lr_bs_loss.csv; diverged = loss > 2x the cell's best) and/or run files or folders (W&B JSON etc.; diverged = the reader's mark; each file or folder is one cell).", AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "Where to write the fitted predictor.", HelpName = "DIV.json" };
        var score = new Option<string>("--score") { Description = "Score a saved predictor (DIV.json) on the labelled runs of --runs: precision, recall and F1 of its critical peak LR boundary.", HelpName = "DIV.json" };
        var model = new Option<string>("--model") { Description = "A predictor written by 'diverge --fit'.", HelpName = "DIV.json" };
        var schedule = CliOptions.ScheduleSpec("--schedule", "The schedule to check, e.g. 'cosine(peak=5e-3,warmup=300,steps=50000)' or its JSON form.");
        var size = CliOptions.ModelSize("Model size in parameters (e.g. 124M).");
        var batch = CliOptions.TokensPerStep("--batch", "Batch size in tokens per optimizer step (e.g. 1M, 102400).", "TOKENS");
        var validate = CliOptions.Flag("--validate", "Protocol 4, divergence part: label shared/data (Step Law 2x rule, lr-scheduling runs) and report leave-one-cell-out precision/recall/F1.");
        var data = CliOptions.InputFolder("--data", "With --validate: folder laid out like shared/data (needs steplaw/data/dense_lr_bs_loss.csv and lr-scheduling/data).", Path.Combine("..", "shared", "data"));
        var warmup = CliOptions.Number("--sweep-warmup", "Warmup steps assumed for sweep-table runs (default 2000, Step Law's; then cosine to the run's mlr).", "STEPS");
        var factor = CliOptions.Number("--factor", "A sweep run is labelled diverged when its loss exceeds this factor x its cell's best (default 2).", "X", 1, 1e6);
        var fitWarmup = CliOptions.Flag("--fit-warmup", "Also fit the warmup exponent W of eta_crit (needs runs with different warmups).");
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("diverge", "Predict divergence on the peak-LR axis: a run diverges when its peak LR exceeds a fitted critical LR eta_crit(N, batch, tokens, warmup), with a logistic margin P(diverge).");
        foreach (var o in new Option[] { fit, runs, output, model, score, schedule, size, batch, validate, data, warmup, factor, fitWarmup, json, quiet })
            command.Options.Add(o);
        command.SetAction(r =>
        {
            int modes = (r.GetValue(fit) ? 1 : 0) + (r.GetValue(model) is not null ? 1 : 0) + (r.GetValue(validate) ? 1 : 0) + (r.GetValue(score) is not null ? 1 : 0);
            if (modes != 1) throw new UserInputException("diverge: give exactly one of --fit, --model DIV.json, --score DIV.json, --validate.");
            var assumption = Assumption(r.GetValue(warmup));
            double f = r.GetValue(factor) ?? SweepLabels.DefaultFactor;
            if (!(f > 1) || !double.IsFinite(f)) throw new UserInputException($"--factor must be a number > 1 (got {f.ToString(CultureInfo.InvariantCulture)}).");
            bool asJson = r.GetValue(json), beQuiet = r.GetValue(quiet) || asJson;
            if (r.GetValue(fit))
            {
                var files = r.GetValue(runs);
                if (files is null || files.Length == 0) throw new UserInputException("--fit needs --runs FILE...");
                string? outPath = r.GetValue(output) ?? throw new UserInputException("--fit needs --out DIV.json.");
                return Fit(io, files, outPath, assumption, f, r.GetValue(fitWarmup), asJson, beQuiet);
            }
            if (r.GetValue(score) is { } scored)
            {
                var labelled = r.GetValue(runs) is { Length: > 0 } given ? given : throw new UserInputException("--score needs --runs FILE... (labelled runs to score the predictor on).");
                return DivergeScore.Run(io, scored, DivergenceScreenOptions.Load(scored), Load(labelled, assumption, f), labelled, asJson);
            }
            if (r.GetValue(validate))
                return Validate(io, r.GetValue(data)!, assumption, asJson, beQuiet);
            return Predict(io, r.GetValue(model)!, r.GetValue(schedule), r.GetValue(size), r.GetValue(batch), asJson);
        });
        return command;
    }

    private static SweepScheduleAssumption Assumption(double? warmup)
    {
        if (warmup is null) return new SweepScheduleAssumption();
        if (warmup.Value != Math.Floor(warmup.Value) || warmup.Value < 1 || warmup.Value > 1e8)
            throw new UserInputException($"--sweep-warmup must be a whole number of steps from 1 to 1e8 (got {warmup.Value.ToString(CultureInfo.InvariantCulture)}).");
        return new SweepScheduleAssumption((int)warmup.Value);
    }

    /// <summary>Reads the labelled runs: sweep tables by the 2x rule, other files and folders by the readers' mark.</summary>
    private static List<DivergenceExample> Load(IReadOnlyList<string> paths, SweepScheduleAssumption assumption, double factor)
    {
        var examples = new List<DivergenceExample>();
        foreach (string path in paths)
        {
            if (File.Exists(path) && SteplawReader.Recognizes(path))
            {
                try
                {
                    examples.AddRange(SweepLabels.Label(SteplawReader.Read(path), assumption, factor));
                }
                catch (Exception e) when (e is FormatException or IOException)
                {
                    throw new UserInputException(e.Message);
                }
                continue;
            }
            var set = LawRuns.Load([path]);
            try
            {
                examples.AddRange(DivergenceValidation.FromRuns(set, Path.TrimEndingDirectorySeparator(path)));
            }
            catch (Exception e) when (e is ValidationDataException or ArgumentException)
            {
                throw new UserInputException(e.Message);
            }
        }
        return examples;
    }

    private static int Fit(CliIo io, IReadOnlyList<string> paths, string outPath, SweepScheduleAssumption assumption, double factor, bool fitWarmup, bool json, bool quiet)
    {
        var clock = Stopwatch.StartNew();
        var examples = Load(paths, assumption, factor);
        int positives = examples.Count(x => x.Diverged);
        int groups = examples.Select(x => x.Group).Distinct().Count();
        if (positives == 0 || positives == examples.Count)
            throw new UserInputException($"--runs: the {examples.Count} runs are all {(positives == 0 ? "stable" : "diverged")}; the fit needs both kinds.");
        if (groups < 2) throw new UserInputException($"--runs: all {examples.Count} runs are in one cell; the held-out split leaves whole cells out and needs at least 2.");
        if (!quiet) io.Err.WriteLine($"diverge: {examples.Count} runs, {positives} diverged, {groups} cells; leave-one-cell-out ...");
        var cv = UserInputException.Guard(() => DivergenceFitting.CrossValidate(examples, fitWarmup, g => { if (!quiet) io.Err.WriteLine($"diverge:   holding out {g}"); }));
        if (!quiet) io.Err.WriteLine("diverge: fitting on all runs ...");
        var m = UserInputException.Guard(() => DivergenceFitting.Fit(examples, fitWarmup));
        var heldOut = HeldOut(cv);
        var training = new JsonObject
        {
            ["runs"] = examples.Count, ["diverged"] = positives, ["cells"] = groups,
            ["labels"] = $"sweep tables: loss > {factor.ToString(CultureInfo.InvariantCulture)} x cell best; run files: the reader's divergence mark",
            ["sweepSchedule"] = $"linear warmup {assumption.WarmupSteps.ToString(CultureInfo.InvariantCulture)} steps, cosine to the run's mlr (default {assumption.MinLr.ToString(CultureInfo.InvariantCulture)})",
            ["sources"] = Json.Strings(paths),
            ["heldOut"] = heldOut.DeepClone(),
        };
        var doc = DivergenceModelDocument.ToJson(m, training);
        Files.WriteAtomic(outPath, Json.Serialize(doc));
        var def = cv.Pooled.Boundary;
        var node = new JsonObject
        {
            ["model"] = outPath,
            ["runs"] = examples.Count, ["diverged"] = positives, ["cells"] = groups,
            ["boundary"] = doc["boundary"]!.DeepClone(),
            ["split"] = "leave-one-cell-out",
            ["precision"] = Json.Number(def.Precision), ["recall"] = Json.Number(def.Recall), ["f1"] = Json.Number(def.F1),
            ["heldOut"] = heldOut,
            ["optLawsF1"] = OptLawsF1,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
        };
        if (json) io.Out.WriteLine(Json.Serialize(node));
        else PrintScores(io, cv, $"wrote {outPath}: eta_crit = {EtaText(m.Rule)}");
        return 0;
    }

    private static int Validate(CliIo io, string dataRoot, SweepScheduleAssumption assumption, bool json, bool quiet)
    {
        var clock = Stopwatch.StartNew();
        if (!Directory.Exists(dataRoot)) throw new UserInputException($"--data: {dataRoot} not found (the divergence protocol needs shared/data: try --data ../shared/data).");
        DivergenceValidationResult res;
        try
        {
            if (!quiet) io.Err.WriteLine($"diverge: labelling {dataRoot} and holding out each cell in turn ...");
            res = DivergenceValidation.Run(dataRoot, assumption, g => { if (!quiet) io.Err.WriteLine($"diverge:   holding out {g}"); });
        }
        catch (ValidationDataException e)
        {
            throw new UserInputException($"--data: {e.Message}");
        }
        var node = ValidationJson(res, dataRoot);
        node["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
        if (json) io.Out.WriteLine(Json.Serialize(node));
        else PrintValidation(io, res);
        return 0;
    }

    /// <summary>The held-out scores of protocol 4's divergence part as JSON (also under 'validate --protocol 4').</summary>
    internal static JsonObject ValidationJson(DivergenceValidationResult res, string dataRoot)
    {
        var def = res.CrossValidation.Pooled.Boundary;
        return new JsonObject
        {
            ["protocol"] = "4 (divergence)", ["data"] = dataRoot,
            ["runs"] = res.Runs, ["diverged"] = res.Diverged, ["cells"] = res.Groups,
            ["split"] = "leave-one-cell-out",
            ["precision"] = Json.Number(def.Precision), ["recall"] = Json.Number(def.Recall), ["f1"] = Json.Number(def.F1),
            ["heldOut"] = HeldOut(res.CrossValidation),
            ["optLawsF1"] = OptLawsF1,
        };
    }

    internal static void PrintValidation(CliIo io, DivergenceValidationResult res) =>
        PrintScores(io, res.CrossValidation, $"{res.Runs} runs, {res.Diverged} diverged, {res.Groups} cells (Step Law 2x rule + lr-scheduling)");

    private static int Predict(CliIo io, string path, string? spec, double? sizeValue, double? batchValue, bool json)
    {
        var m = DivergenceScreenOptions.Load(path);
        if (spec is null) throw new UserInputException("--model needs --schedule SPEC.");
        double n = CliOptions.RequiredWith(sizeValue, "--params", "a model size in parameters, e.g. 124M", "--model");
        double b = CliOptions.RequiredWith(batchValue, "--batch", "tokens per optimizer step, e.g. 1M", "--model");
        LrSchedule s;
        try
        {
            s = LrSchedule.Parse(spec);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            throw new UserInputException($"--schedule: {e.Message}");
        }
        // The profile samples at most ~1,024 steps, so a schedule of any length is checked without evaluating every step.
        var profile = LrProfile.FromFunction(t => s.At((int)t), s.Steps);
        if (!(profile.Peak > 0)) throw new UserInputException("--schedule: the schedule's peak LR must be positive.");
        int warmupSteps = WarmupSteps(s);
        var x = new DivergenceExample("schedule", "input", n, b, warmupSteps, profile, false);
        var p = m.Predict(x);
        var node = new JsonObject
        {
            ["schedule"] = s.ToSpec(), ["params"] = n, ["batchTokens"] = b, ["tokens"] = profile.Steps * b, ["warmupSteps"] = warmupSteps, ["peakLr"] = profile.Peak,
            ["criticalPeakLr"] = p.EtaL, ["margin"] = p.Margin, ["probability"] = p.Probability,
            ["S1"] = p.S1, ["S2"] = p.S2, ["R"] = Json.Number(p.Ratio),
            ["diverges"] = p.Diverges,
        };
        if (json) io.Out.WriteLine(Json.Serialize(node));
        else
        {
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(p.Diverges ? "DIVERGING" : "stable")}: peak LR {Format.G(p.PeakLr)} is {(p.Margin > 0 ? $"{Math.Exp(p.Margin):0.##}x above" : $"{Math.Exp(-p.Margin):0.##}x below")} the critical peak LR eta_crit = {Format.G(p.EtaL)}; P(diverge) = {p.Probability:F3}; area above eta_crit S2/S1 = {Format.G(p.Ratio)}"));
        }
        return 0;
    }

    /// <summary>Steps until the schedule first reaches its peak (sampled like the profile for long schedules).</summary>
    private static int WarmupSteps(LrSchedule s)
    {
        int stride = Math.Max(1, s.Steps / 100_000);
        int best = 1;
        double peak = s.At(1);
        for (int t = 1; t <= s.Steps; t += stride)
        {
            double v = s.At(t);
            if (v > peak) { peak = v; best = t; }
        }
        return best;
    }


    private static string EtaText(CriticalLrRule r) => string.Create(CultureInfo.InvariantCulture,
        $"exp({r.A:F3} {r.B:+0.000;-0.000} ln(N/1e8) {r.C:+0.000;-0.000} ln(B/1e6) {r.E:+0.000;-0.000} ln(D/1e10){(r.W != 0 ? $" {r.W:+0.000;-0.000} ln(W/1000)" : "")}) = {Format.G(Math.Exp(r.A), 3)} at N=1e8, B=1M tokens, D=1e10 tokens; logistic slope {r.Slope:G3}");

    private static JsonObject Metrics(BinaryMetrics m) => new()
    {
        ["precision"] = Json.Number(m.Precision), ["recall"] = Json.Number(m.Recall), ["f1"] = Json.Number(m.F1),
        ["tp"] = m.TruePositives, ["fp"] = m.FalsePositives, ["fn"] = m.FalseNegatives, ["tn"] = m.TrueNegatives,
    };

    internal static JsonObject HeldOut(DivergenceCrossValidation cv)
    {
        var node = new JsonObject
        {
            ["split"] = "leave-one-cell-out (each cell predicted by a model fitted on the others)",
            ["folds"] = cv.Folds.Count,
            ["boundary"] = Metrics(cv.Pooled.Boundary),
        };
        if (cv.Pooled.Area.Count > 0) node["areaBaseline"] = Metrics(cv.Pooled.Area);
        return node;
    }

    internal static void PrintScores(CliIo io, DivergenceCrossValidation cv, string headline)
    {
        io.Out.WriteLine(headline);
        var table = new Table().Border(TableBorder.Rounded).Title($"Held-out divergence prediction (leave-one-cell-out, {cv.Folds.Count} folds; Opt-Laws F1 {OptLawsF1.ToString(CultureInfo.InvariantCulture)})")
            .AddColumn("predictor").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("TP").RightAligned()).AddColumn(new TableColumn("FP").RightAligned())
            .AddColumn(new TableColumn("FN").RightAligned()).AddColumn(new TableColumn("TN").RightAligned());
        void Row(string name, BinaryMetrics m) => table.AddRow(name, F(m.Precision), F(m.Recall), F(m.F1),
            I(m.TruePositives), I(m.FalsePositives), I(m.FalseNegatives), I(m.TrueNegatives));
        Row("critical peak LR (the model)", cv.Pooled.Boundary);
        if (cv.Pooled.Area.Count > 0) Row("baseline: Opt-Laws area criterion (R > 1)", cv.Pooled.Area);
        io.Table().Write(table);
    }

    private static string F(double x) => double.IsNaN(x) ? "-" : x.ToString("F3", CultureInfo.InvariantCulture);

    private static string I(int x) => x.ToString(CultureInfo.InvariantCulture);
}
