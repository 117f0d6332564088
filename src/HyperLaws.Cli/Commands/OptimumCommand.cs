using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using HyperLaws.Readers;
using HyperLaws.Runs;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws optimum</c>: the optimal peak LR and batch size per (N, D) cell of sweep tables (Step Law
/// format), our rule fitted across cells, and the loss gap of the grid run nearest each rule's prediction
/// (ours, Step Law's, DeepSeek's), in-sample or leave-one-cell-out.
/// </summary>
internal static class OptimumCommand
{
    public static Command Create(CliIo io)
    {
        var sweeps = new Option<string[]>("--sweep") { Description = "Sweep tables in Step Law format (h,ffnh,numh,numl,lr,bs,ti,loss,smooth loss,exp_name,D,N,D/N; bs in sequences of 2048 tokens).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var leaveOneOut = CliOptions.Flag("--leave-one-out", "Score each cell with the rule fitted on the other cells (default: the rule fitted on all cells, in-sample).");
        var estimator = new Option<string>("--estimator") { Description = "Per-cell optimum: quadratic (a quadratic in ln lr, ln batch fitted to the runs within --window of the best, minimised inside their range) or best-run; default quadratic.", DefaultValueFactory = _ => "quadratic", HelpName = "NAME" };
        var form = new Option<string>("--form") { Description = "Rule form: full (ln B* depends on N and D) or steplaw (ln B* on D only); default full.", DefaultValueFactory = _ => "full", HelpName = "NAME" };
        var loss = new Option<string>("--loss") { Description = "Loss column judged: smooth (the smoothed final loss, as Step Law) or final; default smooth.", DefaultValueFactory = _ => "smooth", HelpName = "NAME" };
        var window = CliOptions.Checked("--window", "Quadratic estimator: relative loss window above the cell's best (default 0.02).", "F", v => v > 0 && v <= 10, "a relative loss window in (0, 10]");
        var size = new Option<string>("--size") { Description = "MoE tables (Step Law's moe_lr_bs_loss.csv): N is the activated (active) or the total (total) parameter count; each configuration is its own cell.", HelpName = "active|total" };
        var ruleFile = new Option<string>("--rule") { Description = "Apply this rule (RULE.json from --save-rule, fitted on another sweep) to the tables instead of fitting one on them.", HelpName = "RULE.json" };
        var saveRule = new Option<string>("--save-rule") { Description = "Write the rule fitted on all cells to RULE.json, to apply to other tables with --rule.", HelpName = "RULE.json" };
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("optimum", "Optimal peak learning rate and batch size per (N, D) cell of sweep tables, a rule fitted across cells, and its loss gap next to Step Law's and DeepSeek's.");
        foreach (var o in new Option[] { sweeps, leaveOneOut, estimator, form, loss, window, size, ruleFile, saveRule, json, quiet }) command.Options.Add(o);

        command.SetAction(r =>
        {
            bool silent = r.GetValue(quiet) || r.GetValue(json);
            Action<string>? progress = silent ? null : m => io.Err.WriteLine("optimum: " + m);
            var options = new OptimumOptions(
                r.GetValue(loss) switch { "smooth" => SweepLoss.Smooth, "final" => SweepLoss.Final, var s => throw new UserInputException($"--loss: unknown '{s}' (smooth or final).") },
                r.GetValue(estimator) switch { "quadratic" => OptimumEstimator.Quadratic, "best-run" => OptimumEstimator.BestRun, var s => throw new UserInputException($"--estimator: unknown '{s}' (quadratic or best-run).") },
                r.GetValue(window) ?? 0.02);
            if (!(options.Window > 0)) throw new UserInputException($"--window: must be a positive fraction, found {Format.G(options.Window)}.");
            if (r.GetValue(window) is not null && options.Estimator != OptimumEstimator.Quadratic) throw new UserInputException("--window applies to --estimator quadratic only.");
            var ruleForm = r.GetValue(form) switch { "full" => RuleForm.Full, "steplaw" => RuleForm.StepLaw, var s => throw new UserInputException($"--form: unknown '{s}' (full or steplaw).") };
            var paths = r.GetValue(sweeps)!;
            bool loo = r.GetValue(leaveOneOut);
            var readOptions = new RunReadOptions
            {
                MoeSize = r.GetValue(size) switch
                {
                    null => null,
                    "active" => MoeParameterCount.Active,
                    "total" => MoeParameterCount.Total,
                    var other => throw new UserInputException($"--size: unknown '{other}' (active or total)."),
                },
            };
            var (table, notes) = Read(paths, readOptions);
            if (r.GetValue(ruleFile) is { } givenRule)
            {
                if (loo || r.GetValue(saveRule) is not null || r.GetValue(form) != "full")
                    throw new UserInputException("--rule applies a rule fitted elsewhere: --leave-one-out, --save-rule and --form belong to fitting one.");
                return OptimumRuleApplication.Run(io, givenRule, table, paths, options, r.GetValue(json), progress);
            }
            // Checked here too so that bad input gives one line on stderr, with no progress before it.
            int minimum = loo ? 5 : 4;
            if (table.Cells.Count < minimum)
                throw new UserInputException($"--sweep: {table.Cells.Count} (N, D) cell(s) in {string.Join(", ", paths)}; {(loo ? "--leave-one-out" : "fitting the rule")} needs at least {minimum}.");
            foreach (string note in notes) progress?.Invoke(note);
            var result = UserInputException.Guard(() => OptimumEvaluation.Run(table, loo, options, ruleForm, progress));
            if (r.GetValue(saveRule) is { } rulePath)
                Files.WriteAtomic(rulePath, OptimumRuleFile.ToJson(result.Rule, new OptimumRuleFile.FittedRange(table.Cells.Min(c => c.N), table.Cells.Max(c => c.N), table.Cells.Min(c => c.D), table.Cells.Max(c => c.D)), paths.Select(Path.GetFullPath)));
            if (r.GetValue(json))
            {
                var node = ToJson(result);
                node["sweeps"] = Json.Strings(paths);
                node["points"] = table.Points.Count;
                io.Out.WriteLine(Json.Serialize(node));
            }
            else
            {
                Print(io, result, $"Optimal (LR, batch) per (N, D) cell: {table.Points.Count} runs, {table.Cells.Count} cells");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Reads and merges the sweep tables; a missing file, an unreadable one or an empty result is bad input.</summary>
    private static (SweepTable Table, List<string> Notes) Read(IReadOnlyList<string> paths, RunReadOptions readOptions)
    {
        if (paths.Count == 0) throw new UserInputException("--sweep: no file given.");
        var points = new List<SweepPoint>();
        var notes = new List<string>();
        var seen = new Dictionary<(string?, double, double, double, double), string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path)) throw new UserInputException($"{path}: is a folder; --sweep takes sweep table files (CSV in Step Law format).");
            if (!File.Exists(path)) throw new UserInputException($"{path}: no such file.");
            SweepTable t;
            try
            {
                t = RunReader.ReadSweep(path, readOptions);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new UserInputException(e is RunFormatException ? e.Message : $"{path}: {e.Message}");
            }
            foreach (var p in t.Points)
            {
                if (seen.TryGetValue((p.Configuration, p.N, p.D, p.LearningRate, p.BatchTokens), out string? other))
                    throw new UserInputException($"{p.Source ?? path}: the same (N, D, lr, bs) point as {other}.");
                seen[(p.Configuration, p.N, p.D, p.LearningRate, p.BatchTokens)] = p.Source ?? path;
            }
            points.AddRange(t.Points);
            notes.Add($"{path}: {t.Points.Count} runs in {t.Cells.Count} (N, D) cells");
        }
        return (new SweepTable(points), notes);
    }

    private static string Name(OptimumEstimator e) => e == OptimumEstimator.Quadratic ? "quadratic" : "best-run";

    private static string Name(RuleForm f) => f == RuleForm.Full ? "full" : "steplaw";

    public static JsonObject RuleJson(FittedOptimumRule rule) => new()
    {
        ["form"] = Name(rule.Form),
        ["formula"] = rule.Form == RuleForm.Full ? "ln eta* = a + b ln N + c ln D; ln B*_tokens = d + e ln N + f ln D" : "ln eta* = a + b ln N + c ln D; ln B*_tokens = d + f ln D",
        ["learningRate"] = new JsonObject { ["prefactor"] = Json.Number(rule.LearningRatePrefactor), ["exponentN"] = Json.Number(rule.B), ["exponentD"] = Json.Number(rule.C) },
        ["batchTokens"] = new JsonObject { ["prefactor"] = Json.Number(rule.BatchPrefactor), ["exponentN"] = Json.Number(rule.E), ["exponentD"] = Json.Number(rule.F) },
        ["cells"] = rule.Cells,
    };

    private static JsonObject GapJson(NearestRunGap g) => new()
    {
        ["learningRate"] = Json.Number(g.LearningRate),
        ["batchTokens"] = Json.Number(g.BatchTokens),
        ["nearest"] = new JsonObject
        {
            ["name"] = g.Run.Name,
            ["learningRate"] = g.Run.LearningRate,
            ["batchSequences"] = g.Run.BatchSizeSequences,
            ["batchTokens"] = g.Run.BatchTokens,
            ["distance"] = Json.Number(g.Distance),
            ["loss"] = g.Loss,
        },
        ["gap"] = Json.Number(g.Gap),
    };

    private static string Key(string rule) => rule switch { "Step Law" => "stepLaw", "DeepSeek" => "deepSeek", _ => rule };

    public static JsonObject SummaryJson(GapSummary s) => new()
    {
        ["rule"] = s.Rule,
        ["meanGap"] = Json.Number(s.Mean),
        ["maxGap"] = Json.Number(s.Max),
        ["cells"] = s.Cells,
        ["bestRunHits"] = s.BestRunHits,
    };

    /// <summary>The evaluation as JSON: <c>cells[]</c>, <c>meanGap</c> (our rule's mean gap, a fraction) and the references' summaries.</summary>
    public static JsonObject ToJson(OptimumEvaluationResult result)
    {
        var ours = result.Summaries[0];
        return new JsonObject
        {
            ["loss"] = SweepLosses.Name(result.Options.Loss),
            ["estimator"] = Name(result.Options.Estimator),
            ["window"] = result.Options.Estimator == OptimumEstimator.Quadratic ? result.Options.Window : null,
            ["leaveOneOut"] = result.LeaveOneOut,
            ["distance"] = "Euclidean in (ln lr, ln batch); ties to the smaller lr, then the smaller batch",
            ["deepSeekCompute"] = "C = 6 N D",
            ["rule"] = RuleJson(result.Rule),
            ["meanGap"] = Json.Number(ours.Mean),
            ["maxGap"] = Json.Number(ours.Max),
            ["summaries"] = new JsonArray([.. result.Summaries.Select(s => (JsonNode)SummaryJson(s))]),
            ["cells"] = new JsonArray([.. result.Cells.Select(c =>
            {
                var node = new JsonObject
                {
                    ["n"] = c.Cell.N,
                    ["configuration"] = c.Cell.Configuration,
                    ["d"] = c.Cell.D,
                    ["runs"] = c.Cell.Points.Count,
                    ["optimum"] = new JsonObject
                    {
                        ["learningRate"] = Json.Number(c.Optimum.LearningRate),
                        ["batchTokens"] = Json.Number(c.Optimum.BatchTokens),
                        ["method"] = c.Optimum.Method,
                        ["runsUsed"] = c.Optimum.PointsUsed,
                    },
                    ["best"] = new JsonObject
                    {
                        ["name"] = c.Optimum.Best.Name,
                        ["learningRate"] = c.Optimum.Best.LearningRate,
                        ["batchSequences"] = c.Optimum.Best.BatchSizeSequences,
                        ["batchTokens"] = c.Optimum.Best.BatchTokens,
                        ["loss"] = c.Optimum.BestLoss,
                    },
                    ["fitted"] = GapJson(c.Fitted),
                    ["gap"] = Json.Number(c.Fitted.Gap),
                };
                foreach (var (rule, gap) in c.References) node[Key(rule)] = GapJson(gap);
                return (JsonNode)node;
            })]),
        };
    }

    /// <summary>Three significant digits in short scientific notation (2.68e8).</summary>
    private static string Short(double v) => v.ToString("0.##e0", CultureInfo.InvariantCulture);

    public static void Print(CliIo io, OptimumEvaluationResult result, string title)
    {
        var console = io.Table();
        string mode = result.LeaveOneOut ? "leave-one-cell-out" : "in-sample";
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{title}; {SweepLosses.Name(result.Options.Loss)}; estimator {Name(result.Options.Estimator)}; rule {Name(result.Form)}, {mode}"));
        foreach (var h in new[] { "N", "D", "opt LR", "opt batch", "est.", "pred LR", "pred batch", "gap", "Step Law", "DeepSeek" })
            table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var c in result.Cells)
            table.AddRow(Short(c.Cell.N), Short(c.Cell.D), Format.G(c.Optimum.LearningRate, 3), Short(c.Optimum.BatchTokens),
                c.Optimum.Method == "quadratic" ? "quad" : "best", Format.G(c.Fitted.LearningRate, 3), Short(c.Fitted.BatchTokens),
                Format.Percent(c.Fitted.Gap), Format.Percent(c.References[0].Gap.Gap), Format.Percent(c.References[1].Gap.Gap));
        console.Write(table);
        foreach (var c in result.Cells.Where(c => c.Optimum.Method is not ("quadratic" or "best run")))
            console.MarkupLine(Markup.Escape($"N={Short(c.Cell.N)}, D={Short(c.Cell.D)}: {c.Optimum.Method}"));
        console.MarkupLine("batch sizes in tokens; gaps: the fitted rule, Step Law's and DeepSeek's.");
        foreach (var s in result.Summaries)
            console.MarkupLine(Markup.Escape($"{s.Rule}: mean gap {Format.Percent(s.Mean)}, max {Format.Percent(s.Max)}, nearest run is the cell's best in {s.BestRunHits}/{s.Cells} cells"));
        var rule = result.Rule;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"fitted on all {rule.Cells} cells: eta* = {Format.G(rule.LearningRatePrefactor)} N^{rule.B:0.###} D^{rule.C:0.###}; B*_tokens = {Format.G(rule.BatchPrefactor)} N^{rule.E:0.###} D^{rule.F:0.###}")));
        console.MarkupLine(Markup.Escape("gap = loss of the grid run nearest the prediction in (ln lr, ln batch) / the cell's best loss - 1. Step Law: eta* = 1.79 N^-0.713 D^0.307, B* = 0.58 D^0.571 (its authors fitted it on this grid: in-sample, 0.096% mean reported); DeepSeek: eta* = 0.3118 C^-0.125, B* = 0.292 C^0.3271 with C = 6 N D."));
    }
}
