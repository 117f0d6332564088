using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>The starting points' probes side by side (each on its own copies of the histories) give the fit made in sequence, bit for bit.</summary>
public sealed class LawFitterProbeTests
{
    private static void SameFit(IFittableLaw law, IReadOnlyList<FitTarget> curves)
    {
        var parallel = LawFitter.Fit(law, curves);
        var sequential = LawFitter.Fit(law, curves, new FitOptions { ParallelProbes = false });
        FitAssert.Same(sequential, parallel);
    }

    [Fact]
    public void Mpl_probes_side_by_side_fit_what_they_fit_in_sequence()
    {
        // Three MPL starts; two curves share one history (its copy is shared too).
        var mpl = new MultiPowerLaw();
        double[] truth = [.. MultiPowerLaw.Published["25M"]];
        var lr = SyntheticCurves.Wsd(4000, 0.2);
        var a = SyntheticCurves.Curve(mpl, truth, lr, "a", 0.002, 1);
        var b = SyntheticCurves.Curve(mpl, truth, SyntheticCurves.Wsd(3000, 0.5), "b", 0.002, 2);
        var c = a with { Name = "c", Steps = [.. a.Steps.Select(s => Math.Max(1, s - 7))] };
        c = c with { Loss = [.. c.Loss.Select((y, i) => y * (1 + 1e-3 * Math.Sin(i)))] };
        Assert.Equal(3, mpl.StartingPoints([a, b, c]).Count);
        SameFit(mpl, [a, b, c]);
    }

    [Fact]
    public void Tissue_probes_side_by_side_fit_what_they_fit_in_sequence() =>
        SameFit(new AnnealingLaw(), SyntheticCurves.Tissue(3, 0.002, seed: 11));
}
