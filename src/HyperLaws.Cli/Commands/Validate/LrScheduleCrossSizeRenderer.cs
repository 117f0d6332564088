using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 17 --cross-size</c> (<see cref="LrScheduleCrossSizeScoreboard"/>).</summary>
internal sealed class LrScheduleCrossSizeRenderer : IResultRenderer<LrScheduleCrossSizeScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly LrScheduleCrossSizeRenderer Instance = new();

    private static JsonObject GroupJson(SizeGroupScore g) => new()
    {
        ["size"] = Json.Number(g.ModelSize), ["runs"] = g.Runs, ["predE"] = Json.Number(g.PredE), ["worstE"] = Json.Number(g.WorstE), ["maxE"] = Json.Number(g.MaxE),
        ["finalMean"] = Json.Number(g.FinalMean), ["finalMax"] = Json.Number(g.FinalMax), ["finalBias"] = Json.Number(g.FinalBias),
    };

    private static JsonObject ScoreJson(CrossSizeScore s, IReadOnlyList<HyperLaws.Laws.FitTarget> test) => new()
    {
        ["variant"] = s.Variant,
        ["beta"] = Json.Number(CrossSizeLrSchedule.Beta(s.Fit)),
        ["all"] = GroupJson(CrossSizeLrSchedule.Overall(s, test)),
        ["bySize"] = new JsonArray([.. CrossSizeLrSchedule.BySize(s, test).Select(g => (JsonNode)GroupJson(g))]),
        ["rankTau"] = Json.Number(s.RankTau),
        ["runs"] = new JsonArray([.. test.Select((t, i) => (JsonNode)new JsonObject
        {
            ["run"] = t.Name, ["size"] = t.ModelSize, ["actual"] = t.Loss[^1], ["predicted"] = Json.Number(s.Predictions[i][^1]), ["predE"] = Json.Number(s.Test[i].PredE),
        })]),
        ["inSample"] = new JsonArray([.. s.InSample.Select(x => (JsonNode)new JsonObject { ["size"] = x.ModelSize, ["predE"] = Json.Number(x.Summary.PredE) })]),
        ["fitSeconds"] = Math.Round(s.Seconds, 2),
    };

    /// <inheritdoc/>
    public JsonNode ToJson(LrScheduleCrossSizeScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = "17c",
            ["axis"] = scoreboard.Axis switch { TimeAxis.Tokens => "tokens", TimeAxis.CriticalBatch => "critical-batch", _ => "steps" },
            ["train"] = Json.Strings(r.Train.Select(t => t.Name)),
            ["test"] = Json.Strings(r.Test.Select(t => t.Name)),
            ["laws"] = new JsonArray([.. r.Laws.Select(l => (JsonNode)new JsonObject
            {
                ["law"] = l.Law,
                ["variants"] = new JsonArray([.. l.Variants.Select(v => (JsonNode)ScoreJson(v, r.Test))]),
                ["baseline"] = ScoreJson(l.Baseline, r.Test),
            })]),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, LrScheduleCrossSizeScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var sizes = r.Test.Select(t => t.ModelSize).Distinct().Order().ToList();
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Protocol 17c{scoreboard.Axis switch { TimeAxis.Tokens => " on tokens", TimeAxis.CriticalBatch => " on steps counted by the critical batch", _ => "" }}: fit on the {r.Train.Count} SlimPajama runs of {Format.G(r.Train.Min(t => t.ModelSize) / 1e6)}M-{Format.G(r.Train.Max(t => t.ModelSize) / 1e6)}M; predict the {r.Test.Count} runs of {string.Join(", ", sizes.Select(n => Format.G(n / 1e6) + "M"))}"))
            .AddColumn("law").AddColumn("size law").AddColumn(new TableColumn("beta").RightAligned());
        foreach (double n in sizes) table.AddColumn(new TableColumn($"{Format.G(n / 1e6)}M PredE / final (max)").RightAligned());
        foreach (var h in new[] { "all PredE / WorstE", "all final mean / max / bias", "Kendall tau", "in-sample PredE per size", "fit s" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var l in r.Laws)
            foreach (var s in l.Variants.Append(l.Baseline))
            {
                var all = CrossSizeLrSchedule.Overall(s, r.Test);
                var cells = new List<string> { Markup.Escape(l.Law), Markup.Escape(s == l.Headline ? s.Variant + " *" : s.Variant), Beta(CrossSizeLrSchedule.Beta(s.Fit)) };
                cells.AddRange(CrossSizeLrSchedule.BySize(s, r.Test).Select(g => $"{Format.Percent(g.PredE)} / {Format.Percent(g.FinalMean)} ({Format.Percent(g.FinalMax)})"));
                cells.Add($"{Format.Percent(all.PredE)} / {Format.Percent(all.WorstE)}");
                cells.Add($"{Format.Percent(all.FinalMean)} / {Format.Percent(all.FinalMax)} / {Format.Percent(all.FinalBias)}");
                cells.Add(s.RankTau.ToString("F3", CultureInfo.InvariantCulture));
                cells.Add(string.Join(" ", s.InSample.Select(x => Format.Percent(x.Summary.PredE, 2))));
                cells.Add(s.Seconds.ToString("F0", CultureInfo.InvariantCulture));
                table.AddRow([.. cells]);
            }
        console.Write(table);
        console.WriteLine("* headline. beta: the offset's size exponent (fitted, or the 0.34 prior); final: |predicted - actual| / actual at each run's last validation loss (bias signed, > 0 pessimistic); '<set> only': the law fitted on that one size, no size law.");
    }

    private static string Beta(double beta) => double.IsFinite(beta) ? beta.ToString("F3", CultureInfo.InvariantCulture) : "-";
}
