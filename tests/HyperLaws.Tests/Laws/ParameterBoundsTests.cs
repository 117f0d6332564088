using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>A law's declared box (<see cref="IBoundedLaw"/>, <see cref="ParameterBounds"/>): honoured by <see cref="LawFitter"/>; MPL's default unchanged.</summary>
public sealed class ParameterBoundsTests
{
    private static readonly double[] Truth = [.. MultiPowerLaw.Published["25M"]];

    private static FitTarget[] Curves(double[] truth, int seed) =>
    [
        SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(3000, 0.0), "constant", 0.001, seed),
        SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(3000, 0.4), "wsd", 0.001, seed + 1),
    ];

    [Fact]
    public void Mpl_has_no_box_by_default_and_the_catalog_names_the_boxed_option()
    {
        var mpl = new MultiPowerLaw();
        Assert.Null(mpl.Bounds);
        Assert.Equal("mpl", mpl.Name);
        Assert.Null(((MultiPowerLaw)LawCatalog.Create("mpl")).Bounds);
        Assert.DoesNotContain("mpl-box", LawCatalog.Names);
        var boxed = Assert.IsType<MultiPowerLaw>(LawCatalog.Create("mpl-box"));
        Assert.Equal("mpl-box", boxed.Name);
        Assert.Equal(MplShapeBox.Create(), boxed.Bounds);
    }

    [Fact]
    public void The_box_is_a_decade_around_the_published_shape_means_and_leaves_the_rest_free()
    {
        var box = MplShapeBox.Create();
        // The means are DecayPrior's (rounded there to 4 decimals).
        (int Index, double Mean)[] shape = [(MultiPowerLaw.C, DecayPrior.MplC), (MultiPowerLaw.Beta, DecayPrior.MplBeta), (MultiPowerLaw.Gamma, DecayPrior.MplGamma)];
        foreach (var (j, mean) in shape)
        {
            Assert.Equal(mean, MplShapeBox.PublishedMean(j), 4);
            Assert.Equal(MplShapeBox.PublishedMean(j) / 10, box.Lower[j], 12);
            Assert.Equal(MplShapeBox.PublishedMean(j) * 10, box.Upper[j], 12);
        }
        foreach (int j in (int[])[MultiPowerLaw.L0, MultiPowerLaw.A, MultiPowerLaw.Alpha, MultiPowerLaw.B])
            Assert.True(double.IsNegativeInfinity(box.Lower[j]) && double.IsPositiveInfinity(box.Upper[j]));
        Assert.Equal([MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma], box.Bounded());
        // Every published fit lies inside its own box.
        foreach (var p in MultiPowerLaw.Published.Values) Assert.True(box.Contains(p));
    }

    [Fact]
    public void An_infinite_box_fits_exactly_what_no_box_fits()
    {
        var curves = Curves(Truth, 3);
        var free = LawFitter.Fit(new MultiPowerLaw(), curves);
        var open = LawFitter.Fit(new MultiPowerLaw { Bounds = new ParameterBounds(Enumerable.Repeat(double.NegativeInfinity, 7).ToArray(), Enumerable.Repeat(double.PositiveInfinity, 7).ToArray()) }, curves);
        Assert.Equal(free.Parameters, open.Parameters);
        Assert.Equal(free.Objective, open.Objective);
        Assert.Equal(free.Iterations, open.Iterations);
    }

    [Fact]
    public void Fits_stay_in_a_random_box_and_end_on_the_edge_when_the_truth_is_outside()
    {
        // Property: curves drawn from a shape around the published one, a random box on (C, beta, gamma); the fit lies in the box.
        var gen = Gen.Select(Property.LogUniform(0.5, 2), Property.LogUniform(0.05, 5), Property.LogUniform(1.05, 10), Gen.Int[0, 2], Gen.Int[1, 1000]);
        Property.ForAll(gen, s =>
        {
            var (scale, lowAt, width, which, seed) = s;
            double[] truth = [.. Truth];
            truth[MultiPowerLaw.Gamma] *= scale;
            var lower = Enumerable.Repeat(double.NegativeInfinity, 7).ToArray();
            var upper = Enumerable.Repeat(double.PositiveInfinity, 7).ToArray();
            int j = (int[])[MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma] is var shape ? shape[which] : 0;
            lower[j] = truth[j] * lowAt;
            upper[j] = lower[j] * width;
            var law = new MultiPowerLaw { Bounds = new ParameterBounds(lower, upper) };
            var fit = LawFitter.Fit(law, Curves(truth, seed));
            Assert.True(law.Bounds!.Contains(fit.Parameters), $"parameters {string.Join(", ", fit.Parameters)} outside the box on {j}");
            Assert.True(double.IsFinite(fit.Objective));
        }, iterations: 8);
    }

    [Fact]
    public void A_box_that_excludes_the_truth_binds()
    {
        // gamma's truth 0.64; a box [1.5, 3] holds the fit at an end, and the free fit (inside no box) fits better.
        var curves = Curves(Truth, 7);
        var lower = Enumerable.Repeat(double.NegativeInfinity, 7).ToArray();
        var upper = Enumerable.Repeat(double.PositiveInfinity, 7).ToArray();
        (lower[MultiPowerLaw.Gamma], upper[MultiPowerLaw.Gamma]) = (1.5, 3);
        var boxed = LawFitter.Fit(new MultiPowerLaw { Bounds = new ParameterBounds(lower, upper) }, curves);
        var free = LawFitter.Fit(new MultiPowerLaw(), curves);
        Assert.InRange(boxed.Parameters[MultiPowerLaw.Gamma], 1.5, 3);
        Assert.True(free.Parameters[MultiPowerLaw.Gamma] < 1.5, $"free gamma {free.Parameters[MultiPowerLaw.Gamma]}");
        Assert.True(free.Objective < boxed.Objective, $"free {free.Objective} against boxed {boxed.Objective}");
    }

    [Fact]
    public void Bad_boxes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ParameterBounds([0, 1], [1]));
        Assert.Throws<ArgumentException>(() => new ParameterBounds([2], [1]));
        Assert.Throws<ArgumentException>(() => new ParameterBounds([double.NaN], [1]));
        Assert.Throws<ArgumentException>(() => new MultiPowerLaw { Bounds = new ParameterBounds([0], [1]) });
        Assert.Throws<ArgumentOutOfRangeException>(() => MplShapeBox.Create(0.5));
        var curves = Curves(Truth, 1);
        // A positive parameter (searched as a logarithm) with a non-positive finite end.
        var lower = Enumerable.Repeat(double.NegativeInfinity, 7).ToArray();
        var upper = Enumerable.Repeat(double.PositiveInfinity, 7).ToArray();
        (lower[MultiPowerLaw.C], upper[MultiPowerLaw.C]) = (-1, 3);
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(new MultiPowerLaw { Bounds = new ParameterBounds(lower, upper) }, curves));
        // Variable projection does not honour a box: refused, not ignored.
        Assert.Throws<ArgumentException>(() => LawFitter.Fit(new MultiPowerLaw { Bounds = MplShapeBox.Create() }, curves, new FitOptions { VariableProjection = true }));
    }

    [Fact]
    public void The_box_enters_the_fit_cache_key()
    {
        var curves = Curves(Truth, 2);
        Assert.NotEqual(FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions()), FitCacheKey.Of(new MultiPowerLaw { Bounds = MplShapeBox.Create() }, curves, new FitOptions()));
        Assert.NotEqual(FitCacheKey.Of(new MultiPowerLaw { Bounds = MplShapeBox.Create(10) }, curves, new FitOptions()), FitCacheKey.Of(new MultiPowerLaw { Bounds = MplShapeBox.Create(2) }, curves, new FitOptions()));
    }
}
