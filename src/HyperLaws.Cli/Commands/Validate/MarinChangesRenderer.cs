using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Readers;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 24</c> (<see cref="MarinChangesScoreboard"/>): every row, then the score per optimizer, kind and variant.</summary>
internal sealed class MarinChangesRenderer : IResultRenderer<MarinChangesScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly MarinChangesRenderer Instance = new();

    /// <summary>The kind's name in tables and JSON: warmup, minLr or batch.</summary>
    public static string KindName(MarinChange c) => c switch { MarinChange.Warmup => "warmup", MarinChange.MinLr => "minLr", _ => "batch" };

    /// <inheritdoc/>
    public JsonNode ToJson(MarinChangesScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = 24,
            ["law"] = "joint",
            ["seconds"] = r.Seconds,
            ["tie"] = MarinChanges.Tie,
            ["minRows"] = MarinChanges.MinRows,
            ["scores"] = new JsonArray([.. r.Scores.Select(s => (JsonNode)new JsonObject
            {
                ["optimizer"] = s.Optimizer, ["change"] = KindName(s.Change), ["variant"] = s.Variant,
                ["rows"] = s.Rows.Count, ["finite"] = s.Finite.Count, ["diverged"] = s.Diverged.Count,
                ["meanError"] = Json.Number(s.MeanError), ["baselineMeanError"] = Json.Number(s.BaselineMeanError),
                ["ties"] = s.Ties, ["signsAgreed"] = s.SignsAgreed, ["signed"] = s.Finite.Count - s.Ties, ["passes"] = s.Passes,
            })]),
            ["rows"] = new JsonArray([.. r.Rows.Select(x => (JsonNode)new JsonObject
            {
                ["optimizer"] = x.Optimizer, ["cell"] = x.Cell, ["change"] = KindName(x.Change), ["variant"] = x.Variant,
                ["value"] = x.Value, ["baselineValue"] = x.BaselineValue, ["baselineLoss"] = Json.Number(x.BaselineLoss),
                ["actual"] = Json.Number(x.Actual), ["predicted"] = Json.Number(x.Predicted), ["diverged"] = x.Diverged,
                ["error"] = Json.Number(x.Error), ["baselineError"] = Json.Number(x.BaselineError), ["tie"] = x.IsTie, ["signAgrees"] = x.SignAgrees, ["name"] = x.Name,
            })]),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, MarinChangesScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var rows = new Table().Border(TableBorder.Rounded).Title("Protocol 24: each row changing one hyperparameter alone; law = L(baseline) + f(row) - f(baseline)");
        foreach (var h in new[] { "cell", "change", "variant", "value (baseline)", "baseline loss", "actual", "law", "law error", "no-change error", "sign" }) rows.AddColumn(h);
        foreach (var x in r.Rows)
            rows.AddRow(Markup.Escape(x.Cell), KindName(x.Change), Markup.Escape(x.Variant), Invariant($"{x.Value:G4} ({x.BaselineValue:G4})"), Invariant($"{x.BaselineLoss:F3}"),
                double.IsFinite(x.Actual) ? Invariant($"{x.Actual:F3}") : "diverged", Invariant($"{x.Predicted:F4}"),
                x.Diverged ? "apart" : LrAxisRenderer.Pct(x.Error), x.Diverged ? "apart" : LrAxisRenderer.Pct(x.BaselineError),
                x.Diverged ? "diverged" : x.IsTie ? "tie" : x.SignAgrees ? "agrees" : "differs");
        io.Table().Write(rows);

        var scores = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol 24's rule per optimizer and kind: at least {MarinChanges.MinRows} finite rows, the law's mean error below no change's, signs agreeing in 2/3 of the rows that are not ties"));
        foreach (var h in new[] { "optimizer", "change", "variant", "finite rows", "diverged", "law mean error", "no-change mean error", "signs agreed", "ties", "rule" }) scores.AddColumn(h);
        foreach (var s in r.Scores)
            scores.AddRow(s.Optimizer, KindName(s.Change), Markup.Escape(s.Variant), $"{s.Finite.Count}", $"{s.Diverged.Count}", LrAxisRenderer.Pct(s.MeanError), LrAxisRenderer.Pct(s.BaselineMeanError),
                $"{s.SignsAgreed} of {s.Finite.Count - s.Ties}", $"{s.Ties}", s.Passes switch { true => "met", false => "not met", null => s.Finite.Count < MarinChanges.MinRows ? $"no verdict (under {MarinChanges.MinRows} finite rows)" : "no verdict (every finite row a tie)" });
        io.Table().Write(scores);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
