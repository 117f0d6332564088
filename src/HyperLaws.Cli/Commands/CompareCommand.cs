using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary><c>hyperlaws compare</c>: fit every law on training runs, predict held-out runs, score them side by side.</summary>
internal static class CompareCommand
{
    public static Command Create(CliIo io)
    {
        var train = new Option<string[]>("--train") { Description = "Runs to fit on (files or folders).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var test = new Option<string[]>("--test") { Description = "Runs to predict (files or folders).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var laws = new Option<string>("--laws") { Description = "Comma list of laws (default: " + string.Join(",", LawCatalog.Names) + ").", HelpName = "LIST" };
        var plot = new Option<string>("--plot") { Description = "Folder for one figure per test run: actual vs each law's prediction.", HelpName = "DIR" };
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("compare", "Fit each law on the training runs and score its predictions of the test runs (PredE, WorstE, MaxE, R^2, MAE, RMSE).");
        foreach (var o in new Option[] { train, test, laws, plot, json, quiet }) command.Options.Add(o);

        command.SetAction(r =>
        {
            var names = LawRuns.ParseLaws(r.GetValue(laws));
            var trainTargets = LawRuns.WithoutDiverged(LawRuns.Load(r.GetValue(train)!)).Select(x => LawRuns.Target(x)).ToList();
            var testTargets = LawRuns.Load(r.GetValue(test)!).Select(x => LawRuns.Target(x)).ToList();
            bool silent = r.GetValue(quiet) || r.GetValue(json);
            var scores = names.Select(n =>
            {
                if (!silent) io.Err.WriteLine($"compare: fitting {n} on {trainTargets.Count} run(s) ...");
                var score = UserInputException.Guard(() => LawComparison.Score(LawCatalog.Create(n), trainTargets, testTargets));
                if (!silent && !score.Fit.HasFiniteParameters)
                    io.Err.WriteLine($"compare: note: {n} did not converge to finite parameters ({score.Fit.NonFiniteSummary()}); its row scores that fit (converged: false in --json).");
                return (Name: n, Score: score);
            }).ToList();

            if (r.GetValue(plot) is { } dir)
                Files.Guard(dir, () => WritePlots(dir, testTargets, scores));
            if (r.GetValue(json))
            {
                io.Out.WriteLine(Json.Serialize(new JsonObject
                {
                    ["train"] = Json.Strings(trainTargets.Select(t => t.Name)),
                    ["test"] = Json.Strings(testTargets.Select(t => t.Name)),
                    ["laws"] = new JsonArray([.. scores.Select(s => (JsonNode)ToJson(s.Name, s.Score, testTargets))]),
                }));
                return 0;
            }
            Print(io, scores.Select(s => (s.Name, s.Score)).ToList(), $"{trainTargets.Count} training run(s) -> {testTargets.Count} test run(s)");
            return 0;
        });
        return command;
    }

    public static JsonObject ToJson(string name, LawScore s, IReadOnlyList<FitTarget> test) => new()
    {
        ["name"] = name,
        ["predE"] = Json.Number(s.Summary.PredE),
        ["worstE"] = Json.Number(s.Summary.WorstE),
        ["maxE"] = Json.Number(s.Summary.MaxE),
        ["r2"] = Json.Number(s.Summary.RSquared),
        ["mae"] = Json.Number(s.Summary.Mae),
        ["rmse"] = Json.Number(s.Summary.Rmse),
        ["kendallTau"] = Json.Number(s.RankTau),
        ["converged"] = s.Fit.Converged && s.Fit.HasFiniteParameters,
        ["stopReason"] = s.Fit.StopReason,
        // A fit that ran a parameter off to infinity shows it as null (JSON has no infinity) with converged false.
        ["parameters"] = new JsonObject([.. s.Fit.Law.ParameterNames.Select((p, i) => KeyValuePair.Create(p, Json.Number(s.Fit.Parameters[i])))]),
        ["curves"] = new JsonArray([.. test.Select((t, i) => (JsonNode)new JsonObject
        {
            ["run"] = t.Name, ["predE"] = Json.Number(s.Test[i].PredE), ["worstE"] = Json.Number(s.Test[i].WorstE), ["r2"] = Json.Number(s.Test[i].RSquared),
        })]),
    };

    public static void Print(CliIo io, IReadOnlyList<(string Name, LawScore Score)> scores, string title)
    {
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("law");
        foreach (var c in new[] { "PredE", "WorstE", "MaxE", "R^2", "MAE", "RMSE", "Kendall tau" }) table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var (name, s) in scores)
        {
            var m = s.Summary;
            table.AddRow(Markup.Escape(name), Format.Percent(m.PredE), Format.Percent(m.WorstE), Format.Percent(m.MaxE), m.RSquared.ToString("F4", System.Globalization.CultureInfo.InvariantCulture),
                Format.G(m.Mae, 3), Format.G(m.Rmse, 3), s.RankTau.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }

    private static int WritePlots(string dir, IReadOnlyList<FitTarget> test, IReadOnlyList<(string Name, LawScore Score)> scores)
    {
        for (int i = 0; i < test.Count; i++)
        {
            var t = test[i];
            double[] x = t.Steps.Select(s => (double)s).ToArray();
            var series = new List<LineSeries> { new("actual", x, t.Loss, Markers: true, ColorHex: "#000000") };
            series.AddRange(scores.Select(s => new LineSeries($"{s.Name} (PredE {100 * s.Score.Test[i].PredE:F3}%)", x, s.Score.Predictions[i])));
            var chart = new LineChart($"{t.Name}: actual vs predicted", "step", "loss", false, false, series);
            FigureWriter.Write(chart, dir, "compare-" + Sanitize(t.Name));
        }
        return test.Count;
    }

    private static string Sanitize(string name) => new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
}
