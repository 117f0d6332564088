using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 17 --rank</c> (<see cref="LrScheduleRankingScoreboard"/>).</summary>
internal sealed class LrScheduleRankingRenderer : IResultRenderer<LrScheduleRankingScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly LrScheduleRankingRenderer Instance = new();

    private static JsonObject ScoreJson(RankCheckScore s) => new()
    {
        ["fraction"] = s.Fraction is { } f ? Json.Number(f) : null,
        ["pairs"] = s.Pairs, ["correctPairs"] = s.Correct, ["pairwise"] = Json.Number(s.Accuracy),
        ["groupsOf3"] = s.Triples.Groups, ["top1Hits"] = s.Triples.Top1Hits, ["top2Hits"] = s.Triples.Top2Hits,
        ["top1"] = Json.Number(s.Triples.Top1), ["top2"] = Json.Number(s.Triples.Top2),
    };

    /// <inheritdoc/>
    public JsonNode ToJson(LrScheduleRankingScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = "17r",
            ["fractions"] = new JsonArray([.. r.Fractions.Select(f => (JsonNode?)JsonValue.Create(f))]),
            ["members"] = Json.Strings(LrScheduleRanking.Members),
            ["leftOut"] = Json.Strings(r.LeftOut),
            ["rankers"] = new JsonArray([.. r.Rankers.Select(k => (JsonNode)new JsonObject
            {
                ["ranker"] = k,
                ["scores"] = new JsonArray([.. r.Scores.Where(s => s.Ranker == k).Select(s => (JsonNode)ScoreJson(s))]),
            })]),
            ["groups"] = new JsonArray([.. r.Groups.Select(g => (JsonNode)new JsonObject
            {
                ["group"] = g.Key, ["fraction"] = g.Fraction,
                ["runs"] = new JsonArray([.. g.Runs.Select((n, i) => (JsonNode)new JsonObject
                {
                    ["run"] = n, ["actual"] = g.Actual[i],
                    ["predicted"] = new JsonObject([.. LrScheduleRanking.Members.Select((m, l) => KeyValuePair.Create(m, Json.Number(g.Predicted[l][i])))]),
                    ["ensemblePosition"] = g.ByRanker[EnsembleGrid.Primary].Candidates[i].Predicted,
                    ["bordaPosition"] = g.ByRanker[EnsembleGrid.Secondary].Candidates[i].Predicted,
                    ["weightedPosition"] = g.ByRanker[EnsembleGrid.Weighted].Candidates[i].Predicted,
                    // Each member anchored on the run's own prefix (ranker member + "-a"), and ensemble-a's position among them.
                    ["anchoredPredicted"] = new JsonObject([.. LrScheduleRanking.Members.Select(m => KeyValuePair.Create(m,
                        g.ByRanker.TryGetValue(m + ScheduleGrid.AnchoredSuffix, out var a) ? Json.Number(a.Candidates[i].Predicted) : null))]),
                    ["ensembleAnchoredPosition"] = g.ByRanker.TryGetValue(EnsembleGrid.Anchored, out var ea) ? ea.Candidates[i].Predicted : null,
                    ["ensembleAxesPosition"] = g.ByRanker.TryGetValue(EnsembleGrid.Axes, out var ex) ? ex.Candidates[i].Predicted : null,
                })]),
                ["heldOutTailError"] = new JsonObject([.. LrScheduleRanking.Members.Select((m, l) => KeyValuePair.Create(m, Json.Number(l < g.HeldOutErrors.Count ? g.HeldOutErrors[l] : double.NaN)))]),
                ["rankOfBest"] = new JsonObject([.. r.Rankers.Select(k => KeyValuePair.Create(k, (JsonNode?)g.ByRanker[k].PredictedRankOfBest))]),
            })]),
            ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 1),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, LrScheduleRankingScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var console = io.Table();
        int groups = r.Groups.Select(g => g.Key).Distinct().Count();
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Protocol 17r: {groups} candidate sets (set, horizon) seen up to f = {string.Join(", ", r.Fractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))} of their steps"))
            .AddColumn("ranker").AddColumn(new TableColumn("pairwise (all f)").RightAligned());
        foreach (double f in r.Fractions) table.AddColumn(new TableColumn(FormattableString.Invariant($"pairwise f={f}")).RightAligned());
        table.AddColumn(new TableColumn("Top-1 (sets of 3+)").RightAligned()).AddColumn(new TableColumn("Top-2 (sets of 3+)").RightAligned());
        foreach (string k in r.Rankers)
        {
            var all = r.Scores.Single(s => s.Ranker == k && s.Fraction is null);
            var cells = new List<string> { Markup.Escape(k), Pairs(all) };
            cells.AddRange(r.Fractions.Select(f => Pairs(r.Scores.Single(s => s.Ranker == k && s.Fraction == f))));
            cells.Add($"{all.Triples.Top1Hits}/{all.Triples.Groups}");
            cells.Add($"{all.Triples.Top2Hits}/{all.Triples.Groups}");
            table.AddRow([.. cells]);
        }
        console.Write(table);
        console.WriteLine($"pairwise: pairs of one set ordered as their last validation losses are; left out (one run): {(r.LeftOut.Count == 0 ? "none" : string.Join(", ", r.LeftOut))}.");
    }

    private static string Pairs(RankCheckScore s) => $"{Format.Percent(s.Accuracy, 1)} ({s.Correct}/{s.Pairs})";
}
