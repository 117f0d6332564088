using System.Text.Json.Nodes;
using HyperLaws.Laws;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Plotting;
using HyperLaws.Runs;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary>A comparison as figures (one per test run), a console table or one JSON object.</summary>
internal static class CompareRenderer
{
    /// <summary>One figure per test run into <paramref name="dir"/>; returns the files written (PNG, SVG, CSV of each).</summary>
    public static IReadOnlyList<string> WritePlots(string dir, CompareResult result) => Files.Guard(dir, () => WritePlots(dir, result.Test, [.. result.Scores.Select(s => (s.Name, s.Score))]));

    /// <summary>The comparison on stdout, with the figures <c>--plot</c> wrote (<paramref name="written"/>): JSON <c>files</c>, or a <c>written: PATH</c> line each after the table, as predict does.</summary>
    public static void Write(CliIo io, CompareResult result, bool json, IReadOnlyList<string> written)
    {
        if (json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["split"] = result.Split == LossSplit.Validation ? "validation" : "train",
                ["train"] = Json.Strings(result.Train.Select(t => t.Name)),
                ["test"] = Json.Strings(result.Test.Select(t => t.Name)),
                ["laws"] = new JsonArray([.. result.Scores.Select(s => (JsonNode)ToJson(s.Name, s.Score, result.Test, s.Supported))]),
                ["files"] = Json.Strings(written),
            });
            return;
        }
        Print(io, [.. result.Scores.Select(s => (s.Name, s.Score))], $"{result.Train.Count} training run(s) -> {result.Test.Count} test run(s)");
        foreach (string file in written) io.Out.WriteLine($"written: {file}");
    }

    /// <summary>One law's row as JSON (docs/SCHEMAS.md, compare); <paramref name="supported"/>, when given, its <c>supported</c>.</summary>
    public static JsonObject ToJson(string name, LawScore s, IReadOnlyList<FitTarget> test, bool? supported = null)
    {
        var row = Row(name, s, test);
        if (supported is { } yes) row["supported"] = yes;
        return row;
    }

    private static JsonObject Row(string name, LawScore s, IReadOnlyList<FitTarget> test) => new()
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
            table.AddRow(Markup.Escape(name), Format.Percent(m.PredE), Format.Percent(m.WorstE), Format.Percent(m.MaxE), Fixed(m.RSquared, "F4"),
                Format.G(m.Mae, 3), Format.G(m.Rmse, 3), Fixed(s.RankTau, "F3"));
        }
        console.Write(table);
    }

    /// <summary>
    /// A score that can be undefined shown as "n/a", never "NaN": Kendall's tau over one test run (no pair to rank), R^2 of a
    /// test run whose loss is constant (no variance to explain).
    /// </summary>
    private static string Fixed(double v, string format) => double.IsFinite(v) ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private static List<string> WritePlots(string dir, IReadOnlyList<FitTarget> test, IReadOnlyList<(string Name, LawScore Score)> scores)
    {
        var written = new List<string>();
        for (int i = 0; i < test.Count; i++)
        {
            var t = test[i];
            double[] x = t.Steps.Select(s => (double)s).ToArray();
            var series = new List<LineSeries> { new("actual", x, t.Loss, Markers: true, ColorHex: "#000000") };
            series.AddRange(scores.Select(s => new LineSeries($"{s.Name} (PredE {100 * s.Score.Test[i].PredE:F3}%)", x, s.Score.Predictions[i])));
            var chart = new LineChart($"{t.Name}: actual vs predicted", "step", "loss", false, false, series);
            // Full paths (JSON "files", docs/SCHEMAS.md), as optimize-schedule gives them, whatever form --plot was typed in.
            written.AddRange(FigureWriter.Write(chart, dir, "compare-" + Sanitize(t.Name)).Select(Path.GetFullPath));
        }
        return written;
    }

    private static string Sanitize(string name) => new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
}
