using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Numerics;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws rank</c>: schedule pre-selection. Builds a grid of candidate schedules for a step budget, predicts each
/// one's final loss with a fitted law, ranks them, gives the top ones an interval (when LAW.json was bootstrapped) and
/// explains the winner term by term against the runner-up and the best constant schedule.
/// </summary>
internal static class RankCommand
{
    public static Command Create(CliIo io)
    {
        var lawFile = CliOptions.LawFile();
        var stepsOption = new Option<string>("--steps") { Description = "The step budget of every candidate (e.g. 24000 or 24k).", Required = true, HelpName = "S" };
        var runsOption = CliOptions.InputPaths("--runs", "The law's training runs (default: the files LAW.json names, when they exist): the default peak grid and the extrapolation warnings come from them.");
        var families = CliOptions.Parsed("--families", "Schedule families, comma list of constant, cosine, linear, wsd (default: all four).", "LIST", text => Words("--families", text));
        var peaks = CliOptions.Parsed("--peaks", "Peak LRs: a comma list (1e-4,3e-4) or LO:HI:N, N log-spaced values (default 7 across the training runs' peaks).", "LIST", Peaks);
        var warmups = CliOptions.NumberList("--warmups", "Warmup lengths in steps, comma list (default 1%, 5% and 10% of S).", "LIST", v => v == Math.Floor(v) && v >= 0 && v < int.MaxValue, "a whole number of steps >= 0");
        var cooldowns = CliOptions.NumberList("--cooldowns", "wsd cooldown lengths as fractions of the run, comma list (default 0.1,0.2,0.4).", "LIST", v => v > 0 && v <= 1, "a fraction of the run in (0, 1]");
        var floors = CliOptions.NumberList("--floors", "Final LR as a fraction of the peak for cosine, linear and wsd, comma list (default 0,0.1).", "LIST", v => v >= 0 && v < 1, "a fraction of the peak in [0, 1)");
        var top = CliOptions.Count("--top", "How many candidates to report (default 10).", "K", 1, 1_000_000);
        var size = CliOptions.ModelSize("Model size in parameters (e.g. 400M): for a law fitted with 'fit --across-sizes', and for the divergence screen.");
        var divergence = new DivergenceScreenOptions();
        var level = BootstrapCli.Level("Level of the intervals (default: the level LAW.json was bootstrapped at); needs a LAW.json from 'fit --bootstrap'.");
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("rank", "Pre-select schedules: rank a grid of candidates (family x peak LR x warmup x cooldown x floor) by the final loss a fitted law predicts, and say why the winner wins.");
        foreach (var o in new Option[] { lawFile, stepsOption, runsOption, families, peaks, warmups, cooldowns, floors, top, size, level, json, quiet }) command.Options.Add(o);
        divergence.AddTo(command);

        command.SetAction(r =>
        {
            string path = r.GetValue(lawFile)!;
            var doc = LawRuns.LoadLaw(path);
            var (law, p) = doc.Instantiate();
            if (doc.Bootstrap is null && r.GetValue(level) is not null)
                throw new UserInputException($"--level: {path} has no bootstrap to draw an interval from (fit it with --bootstrap N).");
            var screen = divergence.Create(r, r.GetValue(size));
            double modelSize = Predict.PredictCommand.ModelSize(r.GetValue(size), law is SizedLaw, path, usedElsewhere: screen is not null);
            string stepsText = r.GetValue(stepsOption)!;
            int steps = LawRuns.Steps(stepsText);
            int k = r.GetValue(top) ?? 10;
            bool chatty = !r.GetValue(json) && !r.GetValue(quiet);

            var training = TrainingRange(r.GetValue(runsOption), doc, path);
            var grid = new CandidateGrid(
                r.Given(families) ?? CandidateGrid.KnownFamilies,
                r.Given(peaks) ?? DefaultPeaks(training, path),
                r.Given(warmups) is { } w ? w.Select(x => (int)x).ToList()
                    : [.. new[] { 0.01, 0.05, 0.1 }.Select(x => (int)Math.Round(x * steps)).Distinct()],
                r.Given(cooldowns) ?? [0.1, 0.2, 0.4],
                r.Given(floors) ?? [0, 0.1]);
            var candidates = UserInputException.Guard(() => grid.Schedules(steps, out int skipped) is var list ? (list, skipped) : default);
            if (candidates.list.Count == 0)
                throw new UserInputException($"--warmups: no candidate fits in {steps} steps (every warmup or wsd cooldown is too long).");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var ranked = SchedulePreselection.Rank(law, p, candidates.list, modelSize, screen);
            double seconds = clock.Elapsed.TotalSeconds;
            var shown = ranked.Take(k).ToList();

            var intervals = doc.Intervals();
            double lvl = r.GetValue(level) ?? doc.Bootstrap?.Level ?? 0.9;
            var bands = shown.Select(x => intervals?.Predict(new ScheduleHistory(x.Schedule.Evaluate()), [x.Schedule.Steps], lvl)).ToList();

            var warnings = new List<string>();
            if (training is null)
                warnings.Add($"the training runs of {path} were not found (give --runs): no check that candidates stay inside the fitted range");
            else
            {
                var outside = ranked.Where(x => x.Schedule is WarmupSchedule ws && (ws.Peak < training.Value.MinPeak * 0.999 || ws.Peak > training.Value.MaxPeak * 1.001)).Count();
                if (outside > 0)
                    warnings.Add($"{outside} of {ranked.Count} candidates have a peak LR outside the training runs' range [{Format.G(training.Value.MinPeak)}, {Format.G(training.Value.MaxPeak)}]: extrapolated");
                if (steps > training.Value.MaxSteps)
                    warnings.Add($"{steps} steps is {Format.G((double)steps / training.Value.MaxSteps, 3)}x the longest training run ({training.Value.MaxSteps} steps): extrapolated");
            }
            if (intervals is null) warnings.Add($"{path} has no bootstrap, so no intervals (fit it with --bootstrap N)");
            if (screen is null)
                warnings.Add("divergence is not screened (diverges: null; give --divergence DIV.json --params N --batch B): a candidate may blow up at a peak LR the law never saw");
            else if (ranked.Count(x => x.Diverges == true) is int diverging and > 0)
                warnings.Add($"{diverging} of {ranked.Count} candidates are predicted to diverge (ranked last)");

            var winner = ranked[0];
            var runnerUp = ranked.Count > 1 ? ranked[1] : null;
            var constant = ranked.FirstOrDefault(x => x.Schedule is ConstantSchedule && !ReferenceEquals(x, winner));
            var vsRunnerUp = runnerUp is null ? null : SchedulePreselection.Compare(law, p, winner.Schedule, runnerUp.Schedule);
            var vsConstant = constant is null ? null : SchedulePreselection.Compare(law, p, winner.Schedule, constant.Schedule);

            if (r.GetValue(json))
            {
                var node = new JsonObject
                {
                    ["law"] = law.Name,
                    ["modelSize"] = Json.Number(modelSize),
                    ["steps"] = steps,
                    ["evaluated"] = ranked.Count,
                    ["skipped"] = candidates.skipped,
                    ["seconds"] = Math.Round(seconds, 3),
                    ["trainingRange"] = training is { } t ? new JsonObject { ["minPeak"] = t.MinPeak, ["maxPeak"] = t.MaxPeak, ["maxSteps"] = t.MaxSteps, ["runs"] = t.Runs } : null,
                    ["intervalLevel"] = intervals is null ? null : lvl,
                    ["candidates"] = new JsonArray([.. shown.Select((x, i) => (JsonNode)new JsonObject
                    {
                        ["rank"] = i + 1,
                        ["schedule"] = x.Schedule.ToSpec(),
                        ["family"] = x.Schedule.Family,
                        ["peak"] = x.Schedule is WarmupSchedule ws ? ws.Peak : null,
                        ["warmup"] = x.Schedule is WarmupSchedule wu ? wu.Warmup : null,
                        ["predictedLoss"] = Json.Number(x.PredictedLoss),
                        ["interval"] = bands[i] is { } b ? new JsonObject { ["lower"] = Json.Number(b.Lower[0]), ["median"] = Json.Number(b.Median[0]), ["upper"] = Json.Number(b.Upper[0]) } : null,
                        ["diverges"] = x.Diverges,
                    })]),
                    ["why"] = new JsonObject
                    {
                        ["vsRunnerUp"] = Why(vsRunnerUp, runnerUp),
                        ["vsBestConstant"] = Why(vsConstant, constant),
                    },
                    ["warnings"] = Json.Strings(warnings),
                };
                io.Out.WriteLine(Json.Serialize(node));
                return 0;
            }
            var console = io.Table();
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("#").RightAligned()).AddColumn("schedule").AddColumn(new TableColumn("predicted loss").RightAligned());
            string pct = Format.Percent(lvl, 0);
            if (intervals is not null) table.AddColumn(new TableColumn($"{pct} interval").RightAligned());
            for (int i = 0; i < shown.Count; i++)
            {
                string[] cells = [(i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(shown[i].Schedule.ToSpec()), Format.G(shown[i].PredictedLoss, 6)];
                table.AddRow(bands[i] is { } b ? [.. cells, $"{Format.G(b.Lower[0], 5)} to {Format.G(b.Upper[0], 5)}"] : cells);
            }
            console.Write(table);
            console.MarkupLine(Markup.Escape($"{law.Name}: {ranked.Count} candidates of {steps} steps ranked in {seconds:F2} s" + (candidates.skipped > 0 ? $" ({candidates.skipped} grid points skipped: warmup or cooldown too long)" : "") + "."));
            WriteWhy(console, vsRunnerUp, winner, runnerUp, "runner-up");
            WriteWhy(console, vsConstant, winner, constant, "best constant schedule");
            if (vsRunnerUp is null && runnerUp is not null) console.MarkupLine(Markup.Escape($"(the {law.Name} law cannot split its prediction into terms, so no feature breakdown)"));
            if (chatty)
                foreach (var warning in warnings) io.Err.WriteLine($"warning: {warning}.");
            return 0;
        });
        return command;
    }

    /// <summary>The training runs' peak LR range and longest run, or null when they cannot be found.</summary>
    internal static (double MinPeak, double MaxPeak, int MaxSteps, int Runs)? TrainingRange(string[]? given, FittedLawDocument doc, string lawPath)
    {
        IReadOnlyList<TrainingRun> runs;
        if (given is { Length: > 0 })
        {
            runs = LawRuns.Load(given);
        }
        else
        {
            // LAW.json names its runs by source path: as given to 'fit' (relative to where it ran) or absolute.
            string dir = Path.GetDirectoryName(Path.GetFullPath(lawPath))!;
            var found = doc.Runs.Select(x => File.Exists(x) ? x : File.Exists(Path.Combine(dir, x)) ? Path.Combine(dir, x) : null).ToList();
            if (found.Count == 0 || found.Any(x => x is null)) return null;
            try
            {
                runs = LawRuns.Load(found!);
            }
            catch (UserInputException)
            {
                return null;
            }
        }
        var peaks = runs.Where(x => x.Steps > 0).Select(x => x.LearningRates.Max()).Where(x => x > 0).ToList();
        if (peaks.Count == 0) return null;
        return (peaks.Min(), peaks.Max(), runs.Max(x => x.Steps), runs.Count);
    }

    /// <summary>7 log-spaced peaks across the training peaks (a factor 2 either side when they all share one peak).</summary>
    private static List<double> DefaultPeaks((double MinPeak, double MaxPeak, int MaxSteps, int Runs)? training, string lawPath)
    {
        if (training is not { } t)
            throw new UserInputException($"--peaks: the training runs of {lawPath} were not found, so give the peak LRs (e.g. --peaks 1e-4:1e-3:5) or the runs (--runs).");
        double lo = t.MinPeak, hi = t.MaxPeak;
        if (hi / lo < 1.01) (lo, hi) = (lo / 2, hi * 2);
        return LogSpaced(lo, hi, 7);
    }

    /// <summary>n values lo (hi/lo)^(i/(n-1)), rounded to 3 significant digits so the specs stay readable.</summary>
    internal static List<double> LogSpaced(double lo, double hi, int n) =>
        n == 1 ? [lo] : [.. Enumerable.Range(0, n).Select(i => Significant.Round(Math.Exp(Math.Log(lo) + (Math.Log(hi) - Math.Log(lo)) * i / (n - 1)))).Distinct()];

    private static List<double> Peaks(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 1) return CliOptions.Numbers("--peaks", text, v => v > 0 && v <= CliOptions.MaxLearningRate, "a positive learning rate of at most 1e6");
        if (parts.Length != 3 || !Quantity.TryParse(parts[0], out double lo) || !Quantity.TryParse(parts[1], out double hi)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            throw new UserInputException($"--peaks: '{text}' is neither a comma list nor LO:HI:N (e.g. 1e-4:1e-3:5).");
        if (!(lo > 0) || !(hi >= lo) || !(hi <= CliOptions.MaxLearningRate) || n < 1 || n > 1000)
            throw new UserInputException($"--peaks: '{ErrorText.Echo(text)}' needs 0 < LO <= HI <= 1e6 and 1 <= N <= 1000.");
        return LogSpaced(lo, hi, n);
    }

    private static List<string> Words(string option, string text)
    {
        var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.ToLowerInvariant()).ToList();
        if (words.Count == 0) throw new UserInputException($"{option}: no values given.");
        foreach (var w in words)
            if (!CandidateGrid.KnownFamilies.Contains(w))
                throw new UserInputException($"{option}: '{w}' is not one of {string.Join(", ", CandidateGrid.KnownFamilies)}.");
        return words;
    }

    internal static List<double> Numbers(string option, string text, Func<double, bool> ok, string what) => CliOptions.Numbers(option, text, ok, what);

    private static JsonObject? Why(IReadOnlyList<TermDifference>? terms, RankedCandidate? other) => terms is null || other is null ? null : new JsonObject
    {
        ["schedule"] = other.Schedule.ToSpec(),
        ["predictedLoss"] = Json.Number(other.PredictedLoss),
        ["terms"] = new JsonArray([.. terms.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name, ["formula"] = t.Formula,
            ["winnerFeature"] = Json.Number(t.WinnerFeature), ["otherFeature"] = Json.Number(t.ReferenceFeature),
            ["winnerContribution"] = Json.Number(t.WinnerContribution), ["otherContribution"] = Json.Number(t.ReferenceContribution),
            ["difference"] = Json.Number(t.Difference),
        })]),
    };

    private static void WriteWhy(IAnsiConsole console, IReadOnlyList<TermDifference>? terms, RankedCandidate winner, RankedCandidate? other, string label)
    {
        if (terms is null || other is null) return;
        var why = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"why #1 beats the {label} {other.Schedule.ToSpec()} ({Format.G(winner.PredictedLoss, 6)} vs {Format.G(other.PredictedLoss, 6)})"))
            .AddColumn("term").AddColumn("what it is").AddColumn(new TableColumn("#1 feature").RightAligned()).AddColumn(new TableColumn($"{label} feature").RightAligned())
            .AddColumn(new TableColumn("#1 minus other (loss)").RightAligned());
        foreach (var t in terms.Take(6))
            why.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Formula), Format.G(t.WinnerFeature, 4), Format.G(t.ReferenceFeature, 4), Format.Signed(t.Difference, 5));
        console.Write(why);
    }
}
