using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// Tables and JSON of <c>hyperlaws validate --protocol 2|3|6 --intervals</c> (<see cref="ConformalIntervalScoreboard"/>):
/// protocol 9's split-conformal intervals, calibrated on the training runs, and the held-out final losses inside.
/// </summary>
internal sealed class ConformalIntervalRenderer : IResultRenderer<ConformalIntervalScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly ConformalIntervalRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(ConformalIntervalScoreboard scoreboard) => new JsonObject
    {
        ["protocol"] = scoreboard.Protocol,
        ["intervals"] = new JsonObject { ["method"] = "split-conformal, leave-one-out + first-half (or nested-horizon) residuals, width x (1 + g d); rows \"shape\" also leave-one-schedule-shape-out residuals, width x (1 + g d + g_s D); protocol 2 also with a size term Q_S ln S in quadrature; rows \"signed\" the same fits with two one-sided tails of the signed scores r / w (fourth round); rows \"finite-sample\" the same fits with the finite-sample tiers (two exact tails, exact symmetric, or a normal-theory fallback by the residual count); rows \"shape-width\" the same residuals with the finite-sample tiers on scores r / (1 + g d + g_s D), each residual's own shape distance D, the width x (1 + g d + g_s D) at the target (variant W); rows \"size-width\" also residuals that extrapolate in model size (fit the smaller sizes, two or more, predict the next) and the finite-sample tiers on scores r / (1 + g (ln H + ln L) + g_N ln S), the width x (1 + g (ln H + ln L) + g_N ln S) at the target (variant N; where no target lies outside the fitted sizes the finite-sample row)", ["level"] = scoreboard.Level },
        ["results"] = new JsonArray([.. scoreboard.Results.Select(x => (JsonNode)ToJson(x))]),
    };

    private static JsonObject ToJson(IntervalCoverageResult x) => new()
    {
        ["split"] = x.Protocol, ["law"] = x.Law,
        ["coverage"] = Json.Number(x.Coverage), ["heldOut"] = x.HeldOut.Count,
        ["quantile"] = x.Interval.Quantile, ["growth"] = x.Interval.Growth, ["growthFitted"] = x.Interval.GrowthFitted,
        ["residuals"] = x.Interval.Residuals, ["exact"] = x.Interval.Exact,
        ["shapeGrowth"] = x.Interval.ShapeGrowth, ["shapeGrowthFitted"] = x.Interval.ShapeGrowthFitted,
        ["sizeGrowth"] = Json.Number(x.Interval.SizeGrowth), ["sizeGrowthFitted"] = x.Interval.SizeGrowthFitted,
        ["below"] = x.HeldOut.Count(h => h.Actual < h.Lower), ["above"] = x.HeldOut.Count(h => h.Actual > h.Upper),
        ["meanHalfWidth"] = Json.Number(x.HeldOut.Where(h => double.IsFinite(h.Predicted)).Select(h => h.RelativeWidth / 2).DefaultIfEmpty(double.NaN).Average()),
        ["sizeQuantile"] = x.Interval.SizeQuantile,
        ["signed"] = x.Interval.Signed, ["rule"] = x.Interval.Rule,
        ["lowerQuantile"] = Json.Number(x.Interval.LowerQuantile), ["upperQuantile"] = Json.Number(x.Interval.UpperQuantile),
        ["sizeLowerQuantile"] = Json.Number(x.Interval.SizeLowerQuantile), ["sizeUpperQuantile"] = Json.Number(x.Interval.SizeUpperQuantile),
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
            ["run"] = c.Run, ["split"] = c.Split, ["predicted"] = c.Predicted, ["actual"] = c.Actual, ["relative"] = c.Relative, ["distance"] = c.Distance.Value, ["shape"] = c.Distance.Shape, ["sizeRatio"] = c.Distance.SizeRatio,
        })]),
        ["runs"] = new JsonArray([.. x.HeldOut.Select(h => (JsonNode)new JsonObject
        {
            ["run"] = h.Run, ["predicted"] = Json.Number(h.Predicted), ["actual"] = h.Actual, ["lower"] = Json.Number(h.Lower), ["upper"] = Json.Number(h.Upper), ["inside"] = h.Inside,
            ["horizonRatio"] = h.Distance.HorizonRatio, ["sizeRatio"] = h.Distance.SizeRatio, ["lrRatio"] = h.Distance.LrRatio, ["distance"] = h.Distance.Value, ["shape"] = h.Distance.Shape,
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

    /// <inheritdoc/>
    public void WriteTable(CliIo io, ConformalIntervalScoreboard scoreboard)
    {
        var results = scoreboard.Results;
        double level = scoreboard.Level;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Protocol 9: {Format.Percent(level, 0)} conformal intervals calibrated on the training runs; held-out final losses inside (target 80-95%)")
            .AddColumn("split").AddColumn("law").AddColumn(new TableColumn("inside").RightAligned()).AddColumn(new TableColumn("Q").RightAligned())
            .AddColumn(new TableColumn("growth g").RightAligned()).AddColumn(new TableColumn("residuals").RightAligned()).AddColumn(new TableColumn("below/above").RightAligned()).AddColumn(new TableColumn("half-width").RightAligned())
            .AddColumn("mean width by distance d (count, inside)");
        foreach (var x in results)
            table.AddRow(x.Protocol, x.Law, $"{x.HeldOut.Count(h => h.Inside)}/{x.HeldOut.Count} ({Format.Percent(x.Coverage, 0)})",
                (x.Interval.Signed ? $"{Format.Percent(x.Interval.LowerQuantile, 2)} .. +{Format.Percent(x.Interval.UpperQuantile, 2)}" : Format.Percent(x.Interval.Quantile, 2))
                    + (x.SizeTerm is { } st ? (x.Interval.Signed && double.IsFinite(x.Interval.SizeLowerQuantile)
                        ? $", Q_S {Format.Percent(x.Interval.SizeLowerQuantile, 2)} .. +{Format.Percent(x.Interval.SizeUpperQuantile, 2)}"
                        : $", Q_S {Format.Percent(st.Quantile, 2)}") + $" x ln S ({st.Residuals.Count} size extrapolations)" : ""),
                x.Interval.Growth.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + (x.Interval.GrowthFitted ? "" : " (prior)")
                    + (x.Interval.ShapeGrowth > 0 || x.Interval.ShapeGrowthFitted ? System.FormattableString.Invariant($", shape {x.Interval.ShapeGrowth:0.##}") + (x.Interval.ShapeGrowthFitted ? "" : " (prior)") : "")
                    + (x.Interval.SizeSeparate ? System.FormattableString.Invariant($", size {x.Interval.SizeGrowth:0.##}") + (x.Interval.SizeGrowthFitted ? "" : " (prior)") : ""),
                x.Interval.Residuals.ToString(System.Globalization.CultureInfo.InvariantCulture) + (x.Interval.Exact ? "" : " (too few)"),
                $"{x.HeldOut.Count(h => h.Actual < h.Lower)}/{x.HeldOut.Count(h => h.Actual > h.Upper)}",
                Format.Percent(x.HeldOut.Where(h => double.IsFinite(h.Predicted)).Select(h => h.RelativeWidth / 2).DefaultIfEmpty(double.NaN).Average(), 2),
                string.Join("; ", Bins(x).Select(b => System.FormattableString.Invariant($"d<={b.To:0.##}: {100 * b.Width:0.##}% ({b.Count}, {100 * b.Coverage:0}%)"))));
        io.Table().Write(table);
    }
}
