using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// <c>hyperlaws validate --protocol 1 --intervals</c>: calibration of bootstrap prediction intervals on the
/// MPL split (<see cref="Calibration"/>): the share of held-out points and final losses inside the interval.
/// </summary>
internal static class IntervalValidation
{
    public sealed record IntervalOptions(Option<bool> Intervals, Option<int?> Replicates, Option<string> Scheme, Option<int?> Seed, Option<double?> Level)
    {
        /// <summary>The bootstrap's options make sense only with --intervals (checked at parse time).</summary>
        public void NeedsIntervals(System.CommandLine.Parsing.CommandResult result)
        {
            if (result.GetResult(Intervals) is { Implicit: false }) return;
            foreach (var o in new Option[] { Replicates, Scheme, Seed, Level })
                if (result.GetResult(o) is { Implicit: false })
                {
                    result.AddError($"{o.Name} needs --intervals.");
                    return;
                }
        }
    }

    public const int DefaultReplicates = 100;

    public static IntervalOptions Options() => new(
        CliOptions.Flag("--intervals", "Instead of the scoreboard: bootstrap each law on the training curves and report how many held-out points and final losses fall inside its prediction interval (protocol 1); with protocols 2, 3 and 6, calibrate split-conformal intervals on the training runs and report the held-out final losses inside (protocol 9)."),
        BootstrapCli.Replicates($"Bootstrap replicates per law and size for --intervals (default {DefaultReplicates})."),
        BootstrapCli.Scheme(),
        BootstrapCli.Seed(),
        BootstrapCli.Level("Level of the prediction intervals for --intervals (default 0.9)."));

    public static int Run(CliIo io, IntervalSettings o, int protocol, string data, IReadOnlyList<string> laws, IReadOnlyList<string> sizeList, bool json, Action<string>? progress)
    {
        if (IntervalCoverage.Protocols.Contains(protocol)) return RunConformal(io, o, protocol, data, laws, json, progress);
        if (protocol != 1) throw new UserInputException($"--intervals: protocols 1 (bootstrap) and {string.Join(", ", IntervalCoverage.Protocols)} (conformal) have interval calibration (got --protocol {protocol}).");
        MplSplit.CurveFolder(data);
        var options = BootstrapCli.From(o.Replicates ?? DefaultReplicates, o.Scheme, o.Seed, o.Level);
        double level = options.Level;

        var results = new JsonArray();
        foreach (string size in sizeList)
        {
            var result = UserInputException.Guard(() => Calibration.Run(data, size, laws, options, level, progress));
            results.Add(new JsonObject { ["size"] = size + "M", ["laws"] = new JsonArray([.. result.Laws.Select(l => (JsonNode)ToJson(l))]) });
            if (!json) Print(io, result);
        }
        if (json)
            io.Out.WriteLine(Json.Serialize(new JsonObject
            {
                ["protocol"] = 1,
                ["intervals"] = new JsonObject { ["level"] = level, ["replicates"] = options.Replicates, ["seed"] = options.Seed },
                ["results"] = results,
            }));
        return 0;
    }

    /// <summary>Protocol 9 on the splits of protocols 2, 3 and 6: conformal intervals calibrated on the training runs (<see cref="IntervalCoverage"/>).</summary>
    private static int RunConformal(CliIo io, IntervalSettings o, int protocol, string data, IReadOnlyList<string> laws, bool json, Action<string>? progress)
    {
        if (o.BootstrapGiven is [var name, ..])
            throw new UserInputException($"{name}: the bootstrap applies to protocol 1 only (protocol {protocol} calibrates conformal intervals on held-out residuals).");
        double level = o.Level ?? 0.9;
        if (!(level > 0 && level < 1)) throw new UserInputException($"--level must be between 0 and 1 (got {level.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        var grid = protocol == 2 ? null : ScheduleGrid.Load(data);
        var results = new List<IntervalCoverageResult>();
        var sizeTerms = protocol == 2 ? UserInputException.Guard(() => IntervalCoverage.SizePriors(data, level, progress)) : null;
        foreach (string law in laws)
            results.AddRange(UserInputException.Guard(() => protocol switch
            {
                2 => IntervalCoverage.Protocol2(data, law, level, progress, sizeTerms),
                3 => [IntervalCoverage.Protocol3(grid!, law, level, progress)],
                _ => IntervalCoverage.Protocol6(grid!, law, level, progress),
            }));
        if (json)
            io.Out.WriteLine(Json.Serialize(new JsonObject
            {
                ["protocol"] = protocol,
                ["intervals"] = new JsonObject { ["method"] = "split-conformal, leave-one-out + first-half (or nested-horizon) residuals, width x (1 + g d); protocol 2 also with a size term Q_S ln S in quadrature", ["level"] = level },
                ["results"] = new JsonArray([.. results.Select(x => (JsonNode)ToJson(x))]),
            }));
        else Print(io, results, level);
        return 0;
    }

    private static JsonObject ToJson(IntervalCoverageResult x) => new()
    {
        ["split"] = x.Protocol, ["law"] = x.Law,
        ["coverage"] = Json.Number(x.Coverage), ["heldOut"] = x.HeldOut.Count,
        ["quantile"] = x.Interval.Quantile, ["growth"] = x.Interval.Growth, ["growthFitted"] = x.Interval.GrowthFitted,
        ["residuals"] = x.Interval.Residuals, ["exact"] = x.Interval.Exact,
        ["sizeQuantile"] = x.Interval.SizeQuantile,
        ["sizeResiduals"] = x.SizeTerm is { } st ? new JsonObject([.. st.PerTable.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject
        {
            ["count"] = p.Value, ["sizeQuantile"] = Json.Number(st.QuantileOf(t => t == p.Key)),
            ["medianAbsRelative"] = Json.Number(PlanBacktest.Median(st.Residuals.Where(r => r.Table == p.Key).Select(r => Math.Abs(r.Relative)))),
        }))]) : null,
        ["sizeQuantileChinchilla"] = x.SizeTerm is { } c ? Json.Number(c.QuantileOf(t => t == "chinchilla")) : null,
        ["sizeQuantilePorian"] = x.SizeTerm is { } q ? Json.Number(q.QuantileOf(t => t.StartsWith("porian", StringComparison.Ordinal))) : null,
        ["widthVsDistance"] = new JsonArray([.. Bins(x).Select(b => (JsonNode)new JsonObject
        {
            ["distanceFrom"] = b.From, ["distanceTo"] = Json.Number(b.To), ["count"] = b.Count, ["meanRelativeWidth"] = Json.Number(b.Width), ["coverage"] = Json.Number(b.Coverage),
        })]),
        ["calibration"] = new JsonArray([.. x.Residuals.Select(c => (JsonNode)new JsonObject
        {
            ["run"] = c.Run, ["split"] = c.Split, ["predicted"] = c.Predicted, ["actual"] = c.Actual, ["relative"] = c.Relative, ["distance"] = c.Distance.Value,
        })]),
        ["runs"] = new JsonArray([.. x.HeldOut.Select(h => (JsonNode)new JsonObject
        {
            ["run"] = h.Run, ["predicted"] = Json.Number(h.Predicted), ["actual"] = h.Actual, ["lower"] = Json.Number(h.Lower), ["upper"] = Json.Number(h.Upper), ["inside"] = h.Inside,
            ["horizonRatio"] = h.Distance.HorizonRatio, ["sizeRatio"] = h.Distance.SizeRatio, ["lrRatio"] = h.Distance.LrRatio, ["distance"] = h.Distance.Value,
        })]),
        ["seconds"] = Math.Round(x.Seconds, 1),
    };

    /// <summary>Held-out runs binned by distance d: [0, 0.05], (0.05, 0.5], (0.5, 1], (1, inf); empty bins left out.</summary>
    internal static IEnumerable<(double From, double To, int Count, double Width, double Coverage)> Bins(IntervalCoverageResult x)
    {
        double[] edges = [0, 0.05, 0.5, 1, double.PositiveInfinity];
        for (int i = 0; i < edges.Length - 1; i++)
        {
            var b = x.HeldOut.Where(h => double.IsFinite(h.Predicted) && (i == 0 ? h.Distance.Value <= edges[1] : h.Distance.Value > edges[i] && h.Distance.Value <= edges[i + 1])).ToList();
            if (b.Count > 0) yield return (edges[i], edges[i + 1], b.Count, b.Average(h => h.RelativeWidth), b.Count(h => h.Inside) / (double)b.Count);
        }
    }

    private static void Print(CliIo io, IReadOnlyList<IntervalCoverageResult> results, double level)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Protocol 9: {Format.Percent(level, 0)} conformal intervals calibrated on the training runs; held-out final losses inside (target 80-95%)")
            .AddColumn("split").AddColumn("law").AddColumn(new TableColumn("inside").RightAligned()).AddColumn(new TableColumn("Q").RightAligned())
            .AddColumn(new TableColumn("growth g").RightAligned()).AddColumn(new TableColumn("residuals").RightAligned()).AddColumn("mean width by distance d (count, inside)");
        foreach (var x in results)
            table.AddRow(x.Protocol, x.Law, $"{x.HeldOut.Count(h => h.Inside)}/{x.HeldOut.Count} ({Format.Percent(x.Coverage, 0)})",
                Format.Percent(x.Interval.Quantile, 2) + (x.SizeTerm is { } st ? $", Q_S {Format.Percent(st.Quantile, 2)} x ln S ({st.Residuals.Count} size extrapolations)" : ""),
                x.Interval.Growth.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + (x.Interval.GrowthFitted ? "" : " (prior)"),
                x.Interval.Residuals.ToString(System.Globalization.CultureInfo.InvariantCulture) + (x.Interval.Exact ? "" : " (too few)"),
                string.Join("; ", Bins(x).Select(b => System.FormattableString.Invariant($"d<={b.To:0.##}: {100 * b.Width:0.##}% ({b.Count}, {100 * b.Coverage:0}%)"))));
        io.Table().Write(table);
    }

    private static JsonObject Summary(CoverageSummary s) => new()
    {
        ["points"] = s.Points,
        ["inside"] = s.Inside,
        ["below"] = s.Below,
        ["above"] = s.Above,
        ["finals"] = s.Finals,
        ["finalsInside"] = s.FinalsInside,
        ["meanRelativeWidth"] = Json.Number(s.MeanRelativeWidth),
    };

    private static JsonObject ToJson(LawCalibration l) => new()
    {
        ["name"] = l.Law,
        ["scheme"] = LawBootstrap.SchemeName(l.Scheme),
        ["replicates"] = l.Replicates,
        ["failed"] = l.Failed,
        ["level"] = l.Level,
        ["train"] = Summary(l.Train),
        ["test"] = Summary(l.Test),
        ["curves"] = new JsonArray([.. l.TestCurves.Select(c => (JsonNode)new JsonObject
        {
            ["run"] = c.Run,
            ["points"] = c.Points,
            ["inside"] = c.Inside,
            ["below"] = c.Below,
            ["above"] = c.Above,
            ["meanRelativeWidth"] = Json.Number(c.MeanRelativeWidth),
            ["final"] = new JsonObject
            {
                ["step"] = c.FinalStep,
                ["loss"] = c.FinalLoss,
                ["predicted"] = Json.Number(c.FinalPredicted),
                ["lower"] = Json.Number(c.FinalLower),
                ["upper"] = Json.Number(c.FinalUpper),
                ["inside"] = c.FinalInside,
            },
        })]),
        ["seconds"] = l.Seconds,
    };

    private static void Print(CliIo io, CalibrationResult result)
    {
        var console = io.Table();
        string pct = Format.Percent(result.Level, 0);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Protocol 1, {result.Size}M: {pct} prediction intervals from the training curves; coverage of the six test curves")
            .AddColumn("law").AddColumn("bootstrap").AddColumn(new TableColumn("train points in").RightAligned())
            .AddColumn(new TableColumn("test points in").RightAligned()).AddColumn(new TableColumn("below").RightAligned()).AddColumn(new TableColumn("above").RightAligned())
            .AddColumn(new TableColumn("final losses in").RightAligned()).AddColumn(new TableColumn("mean width").RightAligned());
        foreach (var l in result.Laws)
            table.AddRow(l.Law, $"{l.Replicates} {LawBootstrap.SchemeName(l.Scheme)}" + (l.Failed > 0 ? $" ({l.Failed} failed)" : ""),
                Format.Percent(l.Train.Inside, 1), Format.Percent(l.Test.Inside, 1), Format.Percent(l.Test.Below, 1), Format.Percent(l.Test.Above, 1),
                $"{Math.Round(l.Test.FinalsInside * l.Test.Finals)}/{l.Test.Finals}", Format.Percent(l.Test.MeanRelativeWidth, 2));
        console.Write(table);
    }
}
