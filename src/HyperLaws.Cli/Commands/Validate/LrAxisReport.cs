using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary><c>hyperlaws validate --protocol 7|8</c>: leave one LR out and cross-family on the 124M grid (<see cref="LrAxis"/>).</summary>
internal static class LrAxisReport
{
    public static int Run(CliIo io, string data, IReadOnlyList<string> laws, bool json, string fitOn, int protocol, Action<string>? progress, HyperLaws.Laws.Joint.JointFitOptions? joint = null)
    {
        var split = ScheduleGridReport.Options("0.2", true, fitOn, out _, out _).FitOn;
        string folder = Path.Combine(data, "lr-scheduling", "data");
        if (!Directory.Exists(folder))
            throw new UserInputException($"--data: {folder} not found (protocol {protocol} needs the lr-scheduling W&B exports, which the repository does not ship; try --data ../shared/data).");
        var runs = ScheduleGrid.Load(data);
        var result = UserInputException.Guard(() => protocol == 7 ? LrAxis.LeaveOneLrOut(runs, laws, split, progress, joint) : LrAxis.CrossFamily(runs, laws, split, progress, joint));
        if (json)
        {
            io.Out.WriteLine(Json.Serialize(ToJson(result)));
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol {result.Protocol}: {result.Description}"));
        foreach (var h in new[] { "law", "runs", "mean err", "max err", "worst run", protocol == 7 ? "optimum within x2" : "best cooldown hits", protocol == 7 ? "interior" : "regret (mean)", "mechanism", "fit s" }) table.AddColumn(h);
        foreach (var r in result.Laws)
        {
            string hits = protocol == 7 ? $"{r.Optima.Count(o => o.WithinOneStep)}/{r.Optima.Count}" : $"{r.BestCooldowns.Count(b => b.Hit)}/{r.BestCooldowns.Count}";
            string extra = protocol == 7 ? $"{r.Optima.Count(o => o.Interior)}/{r.Optima.Count}" : r.BestCooldowns.Count == 0 ? "-" : Pct(r.BestCooldowns.Average(b => b.Regret) / 3);
            table.AddRow(Markup.Escape(r.Law), r.FinalLoss.Runs.ToString(CultureInfo.InvariantCulture), Pct(r.FinalLoss.MeanRelErr), Pct(r.FinalLoss.MaxRelErr), Markup.Escape(r.FinalLoss.Worst),
                hits, extra, Markup.Escape(string.Join(" ", r.Folds.Select(f => f.Mechanism ?? "-").Distinct())), r.Folds.Sum(f => f.Seconds).ToString("F1", CultureInfo.InvariantCulture));
        }
        io.Table().Write(table);
        if (protocol == 7)
            foreach (var r in result.Laws)
            {
                var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{r.Law}: optimum peak LR per (horizon, schedule), from the fold without the grid's best LR"));
                foreach (var h in new[] { "horizon", "schedule", "LRs", "grid best", "law optimum", "interior", "within x2" }) t.AddColumn(h);
                foreach (var o in r.Optima)
                    t.AddRow(o.Horizon.ToString(CultureInfo.InvariantCulture), Markup.Escape(o.Label), o.Lrs.ToString(CultureInfo.InvariantCulture),
                        o.GridBestLr.ToString("G3", CultureInfo.InvariantCulture), o.LawOptimum.ToString("G3", CultureInfo.InvariantCulture), o.Interior ? "yes" : "no", o.WithinOneStep ? "yes" : "no");
                io.Table().Write(t);
            }
        foreach (var e in result.Excluded) io.Out.WriteLine($"excluded: {e.Run.Name}: {e.Reason}");
        return 0;
    }

    /// <summary><c>validate --protocol 4 --laws joint</c>: the joint law's LR/batch optimum per Step Law cell, leave one cell out (<see cref="StepLawJoint"/>).</summary>
    public static int StepLaw(CliIo io, string data, bool json, Action<string>? progress)
    {
        if (!File.Exists(StepLawGrid.TablePath(data)))
            throw new UserInputException($"--data: {StepLawGrid.TablePath(data)} not found (protocol 4 needs the Step Law grid, which the repository does not ship; try --data ../shared/data).");
        var table = StepLawGrid.Load(data);
        var result = UserInputException.Guard(() => StepLawJoint.Run(table, progress));
        if (json)
        {
            io.Out.WriteLine(Json.Serialize(new JsonObject
            {
                ["protocol"] = 4,
                ["law"] = "joint",
                ["runs"] = result.Runs,
                ["meanGap"] = result.MeanGap,
                ["maxGap"] = result.MaxGap,
                ["meanRelErr"] = result.MeanRelError,
                ["seconds"] = result.Seconds,
                ["cells"] = new JsonArray([.. result.Cells.Select(c => (JsonNode)new JsonObject
                {
                    ["n"] = c.N, ["d"] = c.D, ["lawLr"] = c.LawLr, ["lawBatchTokens"] = c.LawBatchTokens, ["gap"] = c.Gap,
                    ["gridBestLr"] = c.GridBestLr, ["gridBestBatchTokens"] = c.GridBestBatchTokens, ["meanRelErr"] = c.MeanRelError,
                })]),
            }));
            return 0;
        }
        var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol 4, joint law: optimum (LR, batch) read off the law fitted on the other 16 cells ({result.Runs} runs fitted)"));
        foreach (var h in new[] { "N", "D", "law LR", "law batch", "grid best LR", "grid best batch", "gap", "final-loss error" }) t.AddColumn(h);
        foreach (var c in result.Cells)
            t.AddRow(c.N.ToString("G3", CultureInfo.InvariantCulture), c.D.ToString("G3", CultureInfo.InvariantCulture), c.LawLr.ToString("G3", CultureInfo.InvariantCulture),
                c.LawBatchTokens.ToString("G3", CultureInfo.InvariantCulture), c.GridBestLr.ToString("G3", CultureInfo.InvariantCulture), c.GridBestBatchTokens.ToString("G3", CultureInfo.InvariantCulture), Pct(c.Gap), Pct(c.MeanRelError));
        t.AddRow("mean", "", "", "", "", "", Pct(result.MeanGap), Pct(result.MeanRelError));
        io.Table().Write(t);
        return 0;
    }

    private static string Pct(double x) => double.IsFinite(x) ? (100 * x).ToString("F3", CultureInfo.InvariantCulture) + "%" : "-";

    private static JsonObject ToJson(LrAxisResult result) => new()
    {
        ["protocol"] = result.Protocol,
        ["description"] = result.Description,
        ["laws"] = new JsonArray([.. result.Laws.Select(r => (JsonNode)new JsonObject
        {
            ["law"] = r.Law,
            ["runs"] = r.FinalLoss.Runs,
            ["meanRelErr"] = r.FinalLoss.MeanRelErr,
            ["maxRelErr"] = r.FinalLoss.MaxRelErr,
            ["worst"] = r.FinalLoss.Worst,
            ["optimumHitRate"] = double.IsFinite(r.OptimumHitRate) ? r.OptimumHitRate : null,
            ["optima"] = new JsonArray([.. r.Optima.Select(o => (JsonNode)new JsonObject
            {
                ["horizon"] = o.Horizon, ["schedule"] = o.Label, ["lrs"] = o.Lrs, ["gridBestLr"] = o.GridBestLr, ["lawOptimum"] = o.LawOptimum,
                ["interior"] = o.Interior, ["withinOneStep"] = o.WithinOneStep,
            })]),
            ["bestCooldowns"] = new JsonArray([.. r.BestCooldowns.Select(b => (JsonNode)new JsonObject
            {
                ["lr"] = b.Lr, ["horizon"] = b.Horizon, ["predicted"] = b.Predicted, ["actual"] = b.Actual, ["regret"] = b.Regret, ["hit"] = b.Hit,
            })]),
            ["folds"] = new JsonArray([.. r.Folds.Select(f => (JsonNode)new JsonObject
            {
                ["heldOut"] = f.HeldOut, ["curves"] = f.Curves, ["mechanism"] = f.Mechanism, ["offset"] = f.Offset, ["seconds"] = f.Seconds,
                ["scores"] = new JsonArray([.. f.Scores.Select(s => (JsonNode)new JsonObject { ["mechanism"] = s.Mechanism.Name, ["cvError"] = double.IsFinite(s.Error) ? s.Error : null })]),
            })]),
            ["predictions"] = new JsonArray([.. r.Predictions.Select(p => (JsonNode)new JsonObject
            {
                ["run"] = p.Run.Name, ["lr"] = p.Run.Lr, ["horizon"] = p.Run.Horizon, ["schedule"] = p.Run.Label, ["predicted"] = p.Predicted, ["actual"] = p.Actual,
            })]),
            ["seconds"] = r.Elapsed.TotalSeconds,
        })]),
        ["excluded"] = new JsonArray([.. result.Excluded.Select(e => (JsonNode)new JsonObject { ["run"] = e.Run.Name, ["reason"] = e.Reason })]),
    };
}
