using System.Diagnostics;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 23 (docs/VALIDATION.md "Protocol 23"): protocol 20's procedure (<see cref="LrSweepHoldOut.Run"/>: leave one LR out
/// against the nearest-LR baseline, and the law's LR optimum with the best run held out, in the sweep's x2 steps) on Marin's
/// ablation tables of each optimizer in turn (Muon, Lion, NAdamW, ...; <see cref="HyperLaws.Readers.MarinSweepReader"/>). The joint
/// law is fitted on one optimizer's runs at a time: the LR scales of two optimizers are not comparable (Lion's best LRs are 8x
/// below AdamW's, Muon's are its matrix LR), so no shape over LR is shared between them; within an optimizer, protocol 20's cell
/// offsets and options unchanged.
/// </summary>
public static class LrSweepOptimizers
{
    /// <summary>The optimizers of <paramref name="table"/> (each point's <see cref="SweepPoint.Configuration"/>), in the order of their first point.</summary>
    public static IReadOnlyList<string> Optimizers(SweepTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Points.Select(p => p.Configuration ?? "").Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The divergence label protocol 23 uses unless told otherwise (docs/VALIDATION.md "Protocol 23b").</summary>
    public const SweepDivergenceLabel DefaultLabel = SweepDivergenceLabel.TwiceBest;

    /// <summary>
    /// Runs protocol 20's procedure per optimizer of <paramref name="table"/> (only <paramref name="optimizer"/>'s when given,
    /// matched without regard to case), each cell's diverged runs marked by <paramref name="label"/> (default <see cref="DefaultLabel"/>).
    /// </summary>
    /// <remarks>
    /// An optimizer whose runs cannot be scored (every run diverged) does not stop the others: its result has no cell and names the
    /// reason (<see cref="LrSweepOptimizerResult.NoVerdict"/>).
    /// </remarks>
    /// <exception cref="ValidationDataException">The optimizer is not in the table.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not a defined label.</exception>
    public static LrSweepOptimizersResult Run(SweepTable table, string? optimizer = null, Action<string>? progress = null, SweepDivergenceLabel label = DefaultLabel)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!Enum.IsDefined(label)) throw new ArgumentOutOfRangeException(nameof(label), label, "not a divergence label.");
        var watch = Stopwatch.StartNew();
        var all = Optimizers(table);
        var chosen = optimizer is null ? all : [.. all.Where(o => string.Equals(o, optimizer.Trim(), StringComparison.OrdinalIgnoreCase))];
        if (chosen.Count == 0) throw new ValidationDataException($"the optimizer '{optimizer}' has no table here (the tables' optimizers: {string.Join(", ", all)}).");
        var results = new List<LrSweepOptimizerResult>();
        foreach (var opt in chosen)
        {
            progress?.Invoke($"{opt}: protocol 20's procedure on its tables alone ...");
            var points = table.Points.Where(p => (p.Configuration ?? "") == opt).ToList();
            try
            {
                results.Add(new LrSweepOptimizerResult(opt, LrSweepHoldOut.Run(new SweepTable(points), progress, label: label)));
            }
            catch (ValidationDataException e)
            {
                progress?.Invoke($"{opt}: no verdict: {e.Message}");
                results.Add(new LrSweepOptimizerResult(opt, new LrSweepHoldOutResult([], [], 0, 0), e.Message));
            }
        }
        return new LrSweepOptimizersResult(results, watch.Elapsed.TotalSeconds) { Label = label };
    }
}
