using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>A ranking by ensemble-lr as a console table (warnings on stderr) or one JSON object (docs/SCHEMAS.md, "rank --json").</summary>
internal static class RankEnsembleRenderer
{
    /// <summary>The anchored members' names in the order of <see cref="LrEnsemblePrediction.PerLr"/>, then the pooled one anchored.</summary>
    private static IReadOnlyList<string> AnchoredNames { get; } =
        [.. LrEnsemble.PerLrMembers.Append(LrEnsemble.Pooled).Select(m => m + LrEnsemble.AnchoredSuffix)];

    private const string PredictedLossRule = "mean_G J x (1 + score) = level + withinLr: level = mean over the candidates at its peak LR of the pooled joint law's own prediction J; withinLr = mean_G J x w, w the within-LR contrast of the two families";

    public static void Write(CliIo io, RankSettings settings, RankEnsembleResult r) =>
        ResultOutput.Write(io, settings.Json, () => ToJson(r), () => Table(io, settings, r));

    public static JsonObject ToJson(RankEnsembleResult r)
    {
        var fit = r.Fit;
        var members = new JsonArray();
        foreach (var (name, byLr) in fit.PerLr)
            members.Add(new JsonObject
            {
                ["name"] = name,
                ["fit"] = "per-LR",
                ["lrs"] = new JsonArray([.. byLr.Select(kv => (JsonNode)new JsonObject
                {
                    ["lr"] = kv.Key, ["runs"] = kv.Value.Runs, ["converged"] = kv.Value.Fit.Converged,
                    ["offset"] = Json.Number(kv.Value.Offset), ["anchoredOffset"] = Json.Number(kv.Value.AnchoredOffset),
                })]),
            });
        members.Add(new JsonObject
        {
            ["name"] = LrEnsemble.Pooled,
            ["fit"] = "pooled",
            ["runs"] = fit.PooledMember.Runs,
            ["converged"] = fit.PooledMember.Fit.Converged,
            ["offset"] = Json.Number(fit.PooledMember.Offset),
            ["anchoredOffset"] = Json.Number(fit.PooledMember.AnchoredOffset),
        });
        var winner = r.Ranked[0];
        var runnerUp = r.Ranked.Count > 1 ? r.Ranked[1] : null;
        return new JsonObject
        {
            ["ranker"] = RankCommand.EnsembleRanker,
            ["steps"] = r.Steps,
            ["evaluated"] = r.Ranked.Count,
            ["skipped"] = r.Skipped,
            ["seconds"] = Math.Round(r.FitSeconds + r.RankSeconds, 3),
            ["fitSeconds"] = Math.Round(r.FitSeconds, 3),
            ["trainingRange"] = r.Training is { } t ? new JsonObject { ["minPeak"] = t.MinPeak, ["maxPeak"] = t.MaxPeak, ["maxSteps"] = t.MaxSteps, ["runs"] = t.Runs } : null,
            ["fittedOn"] = new JsonObject
            {
                ["split"] = RankEnsembleHandler.SplitName(r.Split),
                ["runs"] = fit.Runs,
                ["peakLrs"] = new JsonArray([.. fit.Lrs.Select(x => (JsonNode)x)]),
            },
            ["members"] = members,
            ["rule"] = new JsonObject
            {
                ["acrossLrs"] = LrEnsemble.Pooled,
                ["withinLr"] = new JsonArray(
                    new JsonObject { ["family"] = "per-LR", ["members"] = Json.Strings(AnchoredNames.Take(LrEnsemble.PerLrMembers.Count).ToList()), ["weight"] = LrEnsemble.FamilyWeight },
                    new JsonObject { ["family"] = "pooled", ["members"] = Json.Strings([AnchoredNames[^1]]), ["weight"] = LrEnsemble.FamilyWeight }),
                ["predictedLoss"] = PredictedLossRule,
            },
            ["intervalLevel"] = null,
            ["candidates"] = new JsonArray([.. r.Shown.Select((x, i) => (JsonNode)Candidate(x, i + 1))]),
            ["why"] = new JsonObject { ["vsRunnerUp"] = runnerUp is null ? null : Why(winner, runnerUp) },
            ["warnings"] = Json.Strings(r.Warnings),
            ["runNotes"] = RunNotesJson.Of(r.RunNotes),
            ["edges"] = new JsonArray([.. r.Edges.Select(e => (JsonNode)e.DeepClone())]),
        };
    }

    private static JsonObject Candidate(RankEnsembleCandidate x, int rank)
    {
        var p = x.Ranked.Prediction;
        var values = new JsonObject();
        foreach (var (name, value) in x.Values) values[name] = Json.Number(value);
        var residuals = new JsonObject();
        foreach (var (name, res) in LrEnsemble.PerLrMembers.Append(LrEnsemble.Pooled).Zip(p.Residuals)) residuals[name] = Json.Number(res);
        var finite = x.Finite;
        return new JsonObject
        {
            ["rank"] = rank,
            ["schedule"] = x.Schedule.ToSpec(),
            ["family"] = x.Schedule.Family.Name,
            ["peak"] = x.Schedule is WarmupSchedule ws ? ws.Peak : null,
            ["warmup"] = x.Schedule is WarmupSchedule wu ? wu.Warmup : null,
            ["lrWithoutRuns"] = x.AtLrWithoutRuns,
            ["predictedLoss"] = Json.Number(x.Ranked.PredictedLoss),
            ["level"] = Json.Number(x.Ranked.LevelLoss),
            ["withinLr"] = Json.Number(x.Ranked.WithinLr),
            ["score"] = Json.Number(x.Ranked.Score),
            ["members"] = values,
            ["leftOut"] = Json.Strings(x.LeftOut),
            ["anchor"] = new JsonObject { ["sharedSteps"] = p.AnchoredSteps, ["residuals"] = residuals },
            ["memberSpread"] = finite.Count == 0 ? null : new JsonObject { ["lowest"] = Json.Number(finite.Min()), ["highest"] = Json.Number(finite.Max()) },
            ["interval"] = null,
        };
    }

    private static JsonObject Why(RankEnsembleCandidate winner, RankEnsembleCandidate other) => new()
    {
        ["schedule"] = other.Schedule.ToSpec(),
        ["predictedLoss"] = Json.Number(other.Ranked.PredictedLoss),
        ["levelDifference"] = Json.Number(winner.Ranked.LevelLoss - other.Ranked.LevelLoss),
        ["withinLrDifference"] = Json.Number(winner.Ranked.WithinLr - other.Ranked.WithinLr),
        ["scoreDifference"] = Json.Number(winner.Ranked.Score - other.Ranked.Score),
    };

    public static void Table(CliIo io, RankSettings settings, RankEnsembleResult r)
    {
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("#").RightAligned()).AddColumn("schedule")
            .AddColumn(new TableColumn("predicted loss").RightAligned()).AddColumn(new TableColumn("LR level").RightAligned())
            .AddColumn(new TableColumn("within LR").RightAligned()).AddColumn(new TableColumn("member spread (not an interval)").RightAligned());
        for (int i = 0; i < r.Shown.Count; i++)
        {
            var x = r.Shown[i];
            var finite = x.Finite;
            static string Cell(double v, Func<double, string> format) => double.IsFinite(v) ? format(v) : "-";
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(x.Schedule.ToDisplaySpec() + (x.AtLrWithoutRuns ? " *" : "")), Cell(x.Ranked.PredictedLoss, v => Format.G(v, 6)),
                Cell(x.Ranked.LevelLoss, v => Format.G(v, 6)), Cell(x.Ranked.WithinLr, v => Format.Signed(v, 4)),
                finite.Count == 0 ? "-" : $"{Format.G(finite.Min(), 5)} to {Format.G(finite.Max(), 5)}");
        }
        console.Write(table);
        var fit = r.Fit;
        console.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"ensemble-lr: {r.Ranked.Count} candidates of {r.Steps} steps ranked in {r.RankSeconds:F2} s; members fitted in {r.FitSeconds:F1} s on {fit.Runs} runs' {RankEnsembleHandler.SplitName(r.Split)} losses at {fit.Lrs.Count} peak LR(s) ({string.Join(", ", fit.Lrs.Select(v => Format.G(v)))})")
            + (r.Skipped > 0 ? $" ({r.Skipped} grid points skipped: warmup or cooldown too long)" : "") + "."));
        console.MarkupLine(Markup.Escape($"across peak LRs: the level of {LrEnsemble.Pooled} (the joint law pooled over the runs, noise power fitted); within an LR: "
            + $"{string.Join(", ", AnchoredNames.Take(LrEnsemble.PerLrMembers.Count))} as one family (weight 1/2) and {AnchoredNames[^1]} (weight 1/2), each anchored on its LR's constant run where the candidate shares its start."));
        console.MarkupLine(Markup.Escape("predicted loss = LR level + within LR (" + PredictedLossRule + ")."));
        if (r.Ranked.Any(x => x.AtLrWithoutRuns))
            console.MarkupLine(Markup.Escape("* at a peak LR without runs: only the pooled joint law ranks it; " + RankEnsembleHandler.HeldOutLrEvidence + "."));
        if (r.Ranked.Count > 1)
        {
            var (a, b) = (r.Ranked[0], r.Ranked[1]);
            // A level or contrast that is not known (NaN: the pooled law's level set aside, the declared fallback) is "none", never NaN.
            static string G(double v) => double.IsFinite(v) ? Format.G(v, 6) : "none";
            static string Signed(double v) => double.IsFinite(v) ? Format.Signed(v, 4) : "none";
            console.MarkupLine(Markup.Escape($"why #1 beats #2 {b.Schedule.ToDisplaySpec()}: LR level {G(a.Ranked.LevelLoss)} vs {G(b.Ranked.LevelLoss)}, within LR {Signed(a.Ranked.WithinLr)} vs {Signed(b.Ranked.WithinLr)}."));
        }
        var best = r.Ranked[0];
        var top = best.Ranked.Prediction;
        // A member without a value for #1 is printed as left out (the warnings say why), never as NaN.
        var leftOut = best.LeftOut;
        string Member((string Name, double Value) m) => double.IsFinite(m.Value) ? $"{m.Name} {Format.G(m.Value, 6)}"
            : leftOut.Contains(m.Name) ? $"{m.Name} left out" : $"{m.Name} none at this LR";
        console.MarkupLine(Markup.Escape("#1's members: " + string.Join(", ", best.Values.Select(Member)) + "; anchor residuals " + string.Join(", ", LrEnsemble.PerLrMembers.Append(LrEnsemble.Pooled).Zip(top.Residuals).Select(z => $"{z.First} {Format.Signed(z.Second, 4)}"))
            + $" (shared steps with its LR's constant run: {top.AnchoredSteps})."));
        if (!settings.Json && !settings.Quiet)
            foreach (var warning in r.Warnings) io.Err.WriteLine($"warning: {warning}.");
    }
}
