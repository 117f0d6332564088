using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>
/// Whether a best value chosen from a grid sits at an end of its axis (rank's #1 among its candidates, contour's optimum): the law
/// would go further there, so the value is the grid's end, not an optimum the grid brackets. One structured warning per axis (kind
/// <see cref="WarningKind.AxisAtEdge"/>, labels [axis, "high" | "low"], quantities value, axisMin, axisMax), as contour gives its peak's.
/// A warmup at 0 (the lowest possible) is no edge: no shorter warmup exists.
/// </summary>
internal static class AxisEdge
{
    /// <summary>"high" when <paramref name="value"/> is the axis' largest, "low" its smallest (and above 0), null inside or when the axis has one value.</summary>
    internal static string? End(double value, IReadOnlyCollection<double> axis)
    {
        if (axis.Count == 0) return null;
        double lo = axis.Min(), hi = axis.Max();
        if (!(hi > lo)) return null;
        if (value >= hi - 1e-9 * Math.Abs(hi)) return "high";
        if (value > 0 && value <= lo + 1e-9 * Math.Abs(lo)) return "low";
        return null;
    }

    /// <summary>The structured warning of <paramref name="axis"/> ("peak" | "warmup") at <paramref name="end"/>, and its sentence prefixed with <paramref name="what"/>.</summary>
    /// <remarks>With <paramref name="runsAxis"/> the axis is the runs' own values (ensemble-lr's default peaks), where values beyond are not
    /// validated, so the sentence asks for runs there rather than for more grid values.</remarks>
    internal static (string Text, JsonObject Json) Warning(string what, string axis, string end, double value, IReadOnlyCollection<double> values, string option, bool runsAxis = false)
    {
        double lo = values.Min(), hi = values.Max();
        string further = end == "high" ? "higher" : "lower";
        string text = $"{what}: its {axis} {Format.G(value, 3)} is the {(end == "high" ? "highest" : "lowest")} of the {axis}s searched [{Format.G(lo, 3)}, {Format.G(hi, 3)}]: "
            + $"the law would go further, so this {axis} is the grid's end, not an optimum it brackets "
            + (runsAxis ? $"(these are the runs' own {axis}s: runs at a {further} {axis} would place one)" : $"({further} values in {option} would place one)");
        var w = new PlanWarning(WarningKind.AxisAtEdge)
        {
            Labels = [axis, end],
            Quantities = new Dictionary<string, double> { ["value"] = value, ["axisMin"] = lo, ["axisMax"] = hi },
        };
        return (text, HyperLaws.Cli.Commands.Plan.PlanOutput.Warning(w, text));
    }

    /// <summary>The edge warnings of rank's #1 <paramref name="best"/> among <paramref name="candidates"/> (their peaks and warmups; --peaks, --warmups).</summary>
    /// <remarks><paramref name="peaksFromRuns"/>: the candidates' peaks are the runs' own (ensemble-lr without --peaks).</remarks>
    internal static List<(string Text, JsonObject Json)> OfBest(LrSchedule best, IEnumerable<LrSchedule> candidates, bool peaksFromRuns = false)
    {
        var found = new List<(string, JsonObject)>();
        if (best is not WarmupSchedule b) return found;
        var shaped = candidates.OfType<WarmupSchedule>().ToList();
        double[] peaks = [.. shaped.Select(x => x.Peak).Distinct()], warmups = [.. shaped.Select(x => (double)x.Warmup).Distinct()];
        if (End(b.Peak, peaks) is { } p) found.Add(Warning("the #1 candidate", "peak", p, b.Peak, peaks, "--peaks", peaksFromRuns));
        if (End(b.Warmup, warmups) is { } w) found.Add(Warning("the #1 candidate", "warmup", w, b.Warmup, warmups, "--warmups"));
        return found;
    }
}
