using HyperLaws.Laws.Joint;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocols 7 and 8 and the joint law's Step Law and cross-size parts on real runs in ../shared/data, cut down to
/// run in seconds (one mechanism, no cross-validated choice; subsets of the grids). The full protocols are
/// <c>hyperlaws validate --protocol 7|8</c>, <c>--protocol 4 --laws joint</c> and <c>--protocol 2 --laws joint</c>
/// (docs/VALIDATION.md).
/// </summary>
public sealed class LrAxisTests
{
    private static readonly JointFitOptions Quick = new() { Mechanism = JointMechanism.Full, MaxPointsPerCurve = 20 };

    /// <summary>The 25k-step runs and the 50k constant runs at 5e-4, 1e-3 and 2e-3 (the grid read once for the class's two tests).</summary>
    private static readonly Lazy<IReadOnlyList<GridRun>> SubsetRuns = new(() =>
        [.. ScheduleGrid.Load(DataFolders.Shared).Where(r => r.Lr >= 5e-4 && r.Lr <= 2e-3 && (r.Horizon == 25000 || r.Family == "constant"))]);

    private static IReadOnlyList<GridRun> Subset() => SubsetRuns.Value;

    [Fact]
    public void Leave_one_LR_out_predicts_each_LR_from_the_others_and_finds_an_interior_optimum()
    {
        var runs = Subset();
        var result = LrAxis.LeaveOneLrOut(runs, ["joint"], joint: Quick);
        var r = Assert.Single(result.Laws);
        Assert.Equal(7, result.Protocol);
        Assert.Equal(3, r.Folds.Count);
        // Every usable run is predicted exactly once, from the fold that did not see its LR.
        Assert.Equal(runs.Count(x => !x.Diverged && double.IsFinite(x.FinalLoss)), r.Predictions.Count);
        Assert.All(r.Folds, f => Assert.Equal("saturation+cost", f.Mechanism));
        Assert.InRange(r.FinalLoss.MeanRelErr, 0, 0.02);
        // The grid's best LR per schedule is 1e-3 or 2e-3; the law's optimum, from the fold without it, is inside the range.
        Assert.NotEmpty(r.Optima);
        Assert.All(r.Optima, o => Assert.InRange(o.LawOptimum, 5e-4 / LrAxis.OptimumRange, 2e-3 * LrAxis.OptimumRange));
        Assert.True(r.Optima.Count(o => o.Interior) >= r.Optima.Count / 2, "most optima interior");
    }

    [Fact]
    public void Cross_family_fits_constant_and_cosine_runs_and_predicts_the_WSD_runs()
    {
        var runs = Subset();
        var result = LrAxis.CrossFamily(runs, ["joint"], joint: Quick);
        var r = Assert.Single(result.Laws);
        Assert.Equal(8, result.Protocol);
        Assert.All(r.Predictions, p => Assert.Equal("wsd", p.Run.Family));
        Assert.Equal(runs.Count(x => x.Family == "wsd" && !x.Diverged && double.IsFinite(x.FinalLoss)), r.Predictions.Count);
        Assert.InRange(r.FinalLoss.MeanRelErr, 0, 0.02);
        Assert.NotEmpty(r.BestCooldowns);
    }

    [Fact]
    public void Step_law_cells_are_fitted_as_final_losses_and_the_optimum_is_read_off_the_law()
    {
        var table = StepLawGrid.Load(DataFolders.Shared);
        // A leave-one-cell-out over a sub-table: the two smallest models, each with its two smallest data amounts (4 cells,
        // 402 runs), so that every held-out cell has a training cell of its size and one of a near D at the other size.
        // (It was all 8 cells of the two smallest models, 853 runs: 17 s CPU in Release, the suite's slowest test; this is
        // about 3 s. Measured on the 4 cells: gaps 0.2-1.6%, mean final-loss error 2.0%; on the 8: gaps 0.3-0.9%, 2.1%.)
        var sizes = table.Cells.Select(c => c.N).Distinct().Order().Take(2).ToHashSet();
        var cells = table.Cells.Where(c => sizes.Contains(c.N)).GroupBy(c => c.N).SelectMany(g => g.OrderBy(c => c.D).Take(2)).ToHashSet();
        var sub = new HyperLaws.Runs.SweepTable([.. table.Points.Where(p => cells.Any(c => c.N == p.N && c.D == p.D))]);
        Assert.Equal(4, sub.Cells.Count);
        Assert.Equal(2, sub.Cells.Select(c => c.N).Distinct().Count());
        var point = sub.Points[0];
        var curve = StepLawJoint.Curve(point, new HyperLaws.Divergence.SweepScheduleAssumption(), 3.0);
        Assert.True(curve.History.Steps * curve.Stride >= point.Iterations && curve.History.Steps <= StepLawJoint.Entries);
        var result = StepLawJoint.Run(sub, options: Quick with { GroupOffsets = true });
        Assert.Equal(sub.Cells.Count, result.Cells.Count);
        Assert.All(result.Cells, c => Assert.InRange(c.Gap, 0, 0.05));
        Assert.InRange(result.MeanRelError, 0, 0.03);
    }

    [Fact]
    public void Cross_size_takes_beta_from_fits_on_the_porian_and_chinchilla_runs()
    {
        var betas = CrossSize.JointSizeExponents(DataFolders.Shared);
        Assert.Equal(8, betas.Count);
        // Helper sizelaw's four first: n_M with the matched Porian tables' beta (the headline), that beta alone, n_M with
        // Chinchilla's, n_M with beta tied to the progress exponent.
        var (porian, tables) = CrossSize.MatchedPorianExponent(HyperLaws.Validation.ChinchillaFitValidation.PorianPointsFile(DataFolders.Shared));
        Assert.Equal(2, tables.Count);
        Assert.All(tables, t => Assert.Contains("/chinchilla/standard/", t.Table, StringComparison.Ordinal));
        Assert.Equal(tables.Average(t => t.Alpha), porian, 12);
        Assert.Contains("matched Porian tables", betas[0].Variant, StringComparison.Ordinal);
        Assert.Equal(porian, betas[0].Beta);
        Assert.Equal(porian, betas[1].Beta);
        Assert.True(betas[0].NoiseMemorySizeScale && !betas[1].NoiseMemorySizeScale && betas[2].NoiseMemorySizeScale && betas[3].NoiseMemorySizeScale);
        Assert.True(betas[3].TieOffsetExponent && betas[3].Options.TieOffsetExponent);
        Assert.False(betas[0].TieOffsetExponent || betas[1].TieOffsetExponent || betas[2].TieOffsetExponent);
        Assert.All(betas.Take(4), b => Assert.False(b.NoiseSizeScale));
        // Then the earlier variants, unchanged: n_N with Chinchilla's fitted beta and with the local one, the law before, the prior.
        var before = betas.Skip(4).ToList();
        Assert.Contains("fitted on Chinchilla runs", before[0].Variant, StringComparison.Ordinal);
        Assert.InRange(before[0].Beta, 0.2, 0.6);
        Assert.Equal(before[0].Beta, betas[2].Beta);
        Assert.True(before[0].NoiseSizeScale && before[1].NoiseSizeScale);
        Assert.False(before[2].NoiseSizeScale || before[3].NoiseSizeScale);
        Assert.All(before, b => Assert.False(b.NoiseMemorySizeScale || b.TieOffsetExponent));
        Assert.InRange(before[1].Beta, 0.1, 0.6);
        Assert.NotEqual(before[0].Beta, before[1].Beta);
        Assert.Equal(before[0].Beta, before[2].Beta);
        Assert.Equal(0.34, before[3].Beta);
    }
}
