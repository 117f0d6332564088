using HyperLaws.Cli.Commands.Rank;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <see cref="AxisEdge"/>: rank's #1 at an end of its candidates' peaks or warmups. Where the peaks are the runs' own (ensemble-lr
/// without --peaks), the sentence asks for runs beyond them, not for --peaks values that the same output calls not validated.
/// </summary>
public sealed class AxisEdgeTests
{
    private static readonly LrSchedule[] Grid =
        [.. new[] { 1e-3, 2e-3, 4e-3 }.SelectMany(p => new[] { 100, 400 }.Select(w => LrSchedule.Parse(FormattableString.Invariant($"cosine(peak={p},steps=5000,warmup={w})"))))];

    [Fact]
    public void A_best_at_the_highest_peak_asks_for_grid_values_or_for_runs_when_the_peaks_are_the_runs()
    {
        var best = Grid.Single(s => s is WarmupSchedule w && w.Peak == 4e-3 && w.Warmup == 100);
        var grid = AxisEdge.OfBest(best, Grid);
        Assert.Equal(2, grid.Count);
        Assert.Contains("higher values in --peaks would place one", grid[0].Text, StringComparison.Ordinal);
        Assert.Contains("lower values in --warmups would place one", grid[1].Text, StringComparison.Ordinal);
        var runs = AxisEdge.OfBest(best, Grid, peaksFromRuns: true);
        Assert.Contains("these are the runs' own peaks: runs at a higher peak would place one", runs[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("--peaks", runs[0].Text, StringComparison.Ordinal);
        Assert.Equal(grid[1].Text, runs[1].Text);
        // The structured part (kind, labels, quantities) is the same; only the sentence differs.
        Assert.Equal(Structured(grid[0].Json), Structured(runs[0].Json));
        Assert.Contains("AxisAtEdge", Structured(runs[0].Json), StringComparison.Ordinal);
    }

    private static string Structured(System.Text.Json.Nodes.JsonObject json) =>
        new System.Text.Json.Nodes.JsonObject(json.Where(kv => !(kv.Value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var t) && t.Contains("brackets", StringComparison.Ordinal)))
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))).ToJsonString();

    [Fact]
    public void A_best_inside_both_axes_is_no_edge()
    {
        var grid3 = Grid.Concat([LrSchedule.Parse("cosine(peak=0.002,steps=5000,warmup=200)")]).ToArray();
        Assert.Empty(AxisEdge.OfBest(grid3[^1], grid3, peaksFromRuns: true));
    }
}
