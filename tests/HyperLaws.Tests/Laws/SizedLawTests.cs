using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

public sealed class SizedLawTests
{
    private const double Nref = 5e7;

    private static double[] Wsd(int steps, int warmup, double peak, double cooldown) =>
        Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup
            : t <= steps * (1 - cooldown) ? peak : peak * (steps - t + 1) / (steps * cooldown)).ToArray();

    private static double[] Cosine(int steps, int warmup, double peak, double floor) =>
        Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup
            : floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)))).ToArray();

    private static readonly ScheduleHistory History = new(Wsd(3000, 100, 1e-3, 0.3));

    private static readonly int[] Steps = [50, 100, 400, 1500, 2100, 2500, 2999, 3000];

    /// <summary>Base parameters that make sense for each law (the offset first, positives positive).</summary>
    private static double[] BaseParameters(string law, Random rng) => law switch
    {
        "mpl" => [2 + rng.NextDouble(), 0.3 + rng.NextDouble(), 0.3 + 0.4 * rng.NextDouble(), 100 + 500 * rng.NextDouble(), 0.5 + 3 * rng.NextDouble(), 0.3 + 0.6 * rng.NextDouble(), 0.3 + 0.6 * rng.NextDouble()],
        "tissue" => [2 + rng.NextDouble(), 0.3 + rng.NextDouble(), 0.3 + 0.4 * rng.NextDouble(), 0.1 + rng.NextDouble()],
        "convex" => [2 + rng.NextDouble(), 1e-3 * (1 + rng.NextDouble()), 100 + 500 * rng.NextDouble()],
        "optlaw" => [2 + rng.NextDouble(), 0.3 + rng.NextDouble(), 0.3 + 0.4 * rng.NextDouble(), 0.01 * rng.NextDouble(), 0.6 + 0.4 * rng.NextDouble(),
            .. new OptLaw().Lags.Select(_ => rng.NextDouble() < 0.4 ? 200 * rng.NextDouble() : 0)],
        _ => throw new ArgumentException(law),
    };

    /// <summary>A full sized parameter vector: the base values, then b and exponents drawn at random.</summary>
    private static double[] SizedParameters(SizedLaw law, Random rng)
    {
        var p = BaseParameters(law.Base.Name, rng).ToList();
        for (int j = p.Count; j < law.ParameterNames.Count; j++)
            p.Add(law.ParameterNames[j].EndsWith("_reducible", StringComparison.Ordinal) ? 0.1 + 0.5 * rng.NextDouble()
                : law.Positive[j] ? 0.2 + 0.3 * rng.NextDouble() : 0.3 * (rng.NextDouble() - 0.5));
        return [.. p];
    }

    public static TheoryData<string> Laws => [.. LawCatalog.Names];

    [Theory]
    [MemberData(nameof(Laws))]
    public void EveryCatalogLawHasAnOffsetAndItsSizeParameters(string name)
    {
        var baseLaw = LawCatalog.Create(name);
        var law = SizedLaw.Create(baseLaw, new SizeLawSpec(Nref));
        Assert.True(law.OffsetIndex >= 0, $"{name} has no offset for the size law");
        Assert.Equal(baseLaw.ParameterNames, law.ParameterNames.Take(baseLaw.ParameterNames.Count));
        string offset = baseLaw.ParameterNames[law.OffsetIndex];
        var expected = new List<string> { offset + "_reducible" };
        bool keptShared(string n) => SizedLaw.SharedAcrossSizes.TryGetValue(name, out var f) && f(n);
        expected.AddRange(baseLaw.ParameterNames.Where((n, j) => j != law.OffsetIndex && baseLaw.Positive[j] && !keptShared(n)).Select(n => n + "_exponent"));
        Assert.Equal(expected, law.ParameterNames.Skip(baseLaw.ParameterNames.Count));
        Assert.Equal(baseLaw is IDifferentiableLaw, law is IDifferentiableLaw);

        var shared = SizedLaw.Create(baseLaw, new SizeLawSpec(Nref, SizeScaling.Shared));
        Assert.Equal([.. baseLaw.ParameterNames, offset + "_reducible"], shared.ParameterNames);
        var fitted = SizedLaw.Create(baseLaw, new SizeLawSpec(Nref, SizeScaling.Shared, OffsetExponent: null));
        Assert.Equal([.. baseLaw.ParameterNames, offset + "_reducible", offset + "_exponent"], fitted.ParameterNames);
    }

    [Theory]
    [MemberData(nameof(Laws))]
    public void ReducesExactlyToTheBaseLawAtTheReferenceSize(string name)
    {
        var rng = new Random(11);
        foreach (var spec in new[] { new SizeLawSpec(Nref), new SizeLawSpec(Nref, SizeScaling.Shared, null), new SizeLawSpec(3e9, SizeScaling.PowerLaw, 0.2) })
        {
            var law = SizedLaw.Create(LawCatalog.Create(name), spec);
            for (int i = 0; i < 5; i++)
            {
                var p = SizedParameters(law, rng);
                var expected = new double[Steps.Length];
                law.Base.Predict(p.AsSpan(0, law.Base.ParameterNames.Count), History, Steps, expected);
                var actual = new double[Steps.Length];
                ((ILossLaw)law).Predict(p, History, spec.ReferenceSize, Steps, actual);
                Assert.Equal(expected, actual);
                Assert.Equal(p.Take(law.Base.ParameterNames.Count), law.ParametersAt(p, spec.ReferenceSize));
            }
        }
    }

    [Fact]
    public void FollowsItsSizeFormulas() =>
        ForAll(Gen.Select(LogUniform(1e6, 1e11), Gen.Double[0.1, 0.6], Gen.Double[0.05, 1], Gen.Double[-0.3, 0.3]), t =>
        {
            var (n, beta, b, e) = t;
            var law = SizedLaw.Create(new AnnealingLaw(), new SizeLawSpec(Nref, SizeScaling.PowerLaw, beta));
            double[] p = [2.5, 0.6, 0.45, 0.4, b, e, -e, 2 * e];
            var q = law.ParametersAt(p, n);
            double z = n / Nref;
            Near(2.5 - b + b * Math.Pow(z, -beta), q[0], 1e-13, "L0 = E + b z^-beta");
            Near(0.6 * Math.Pow(z, e), q[1], 1e-13, "A");
            Near(0.45 * Math.Pow(z, -e), q[2], 1e-13, "alpha");
            Near(0.4 * Math.Pow(z, 2 * e), q[3], 1e-13, "C");
            Near(2.5 - b, law.LargeModelOffset(p), 1e-15, "E");
        }, iterations: 50);

    [Fact]
    public void GradientMatchesFiniteDifferencesAwayFromTheReference()
    {
        var rng = new Random(5);
        foreach (var spec in new[] { new SizeLawSpec(Nref), new SizeLawSpec(Nref, SizeScaling.PowerLaw, null) })
        {
            var law = (IDifferentiableLaw)SizedLaw.Create(new MultiPowerLaw(tolerance: 0), spec);
            var p = SizedParameters((SizedLaw)law, rng);
            int n = p.Length;
            foreach (double size in new[] { 2.5e7, 4e8 })
            {
                var y = new double[Steps.Length];
                var g = new double[Steps.Length * n];
                law.PredictWithGradient(p, History, size, Steps, y, g);
                for (int j = 0; j < n; j++)
                {
                    double h = 1e-6 * Math.Max(1, Math.Abs(p[j]));
                    var up = (double[])p.Clone();
                    var down = (double[])p.Clone();
                    up[j] += h;
                    down[j] -= h;
                    var yu = new double[Steps.Length];
                    var yd = new double[Steps.Length];
                    law.Predict(up, History, size, Steps, yu);
                    law.Predict(down, History, size, Steps, yd);
                    for (int i = 0; i < Steps.Length; i++)
                    {
                        double fd = (yu[i] - yd[i]) / (2 * h);
                        Assert.True(Math.Abs(fd - g[i * n + j]) <= 1e-5 * Math.Max(1, Math.Abs(fd)),
                            $"{law.ParameterNames[j]} at N={size}, step {Steps[i]}: analytic {g[i * n + j]}, finite difference {fd}");
                    }
                }
            }
        }
    }

    /// <summary>Noiseless tissue curves of three sizes from known size-scaled parameters.</summary>
    private static List<FitTarget> Synthetic(SizedLaw law, double[] truth, double[] sizes)
    {
        double[][] schedules = [Wsd(4000, 100, 1e-3, 0.2), Cosine(5000, 100, 1e-3, 1e-4), Wsd(3000, 100, 1e-3, 0.5)];
        var targets = new List<FitTarget>();
        foreach (double n in sizes)
            for (int s = 0; s < schedules.Length; s++)
            {
                var h = new ScheduleHistory(schedules[s]);
                int[] steps = Enumerable.Range(1, 40).Select(i => i * schedules[s].Length / 40).ToArray();
                var y = new double[steps.Length];
                ((ILossLaw)law).Predict(truth, h, n, steps, y);
                targets.Add(new FitTarget($"s{s}@{n:G3}", h, steps, y) { ModelSize = n });
            }
        return targets;
    }

    [Fact]
    public void FitRecoversSizeScaledParametersOfSyntheticCurves()
    {
        // L0 = 2.1 + 0.6 z^-0.34; A, alpha, C drift with N; three sizes over 16x.
        var law = SizedLaw.Create(new AnnealingLaw(), new SizeLawSpec(Nref));
        double[] truth = [2.7, 0.55, 0.5, 0.4, 0.6, 0.08, -0.05, 0.1];
        var fit = LawFitter.Fit(law, Synthetic(law, truth, [2.5e7, 1e8, 4e8]));
        Assert.True(fit.Objective < 1e-12, $"objective {fit.Objective}");
        for (int j = 0; j < truth.Length; j++) Assert.Equal(truth[j], fit.Parameters[j], 4);

        // The offset's exponent fitted too (three sizes): recovered.
        var free = SizedLaw.Create(new AnnealingLaw(), new SizeLawSpec(Nref, SizeScaling.Shared, null));
        double[] truthFree = [2.7, 0.55, 0.5, 0.4, 0.6, 0.25];
        var fitFree = LawFitter.Fit(free, Synthetic(free, truthFree, [2.5e7, 1e8, 4e8]));
        for (int j = 0; j < truthFree.Length; j++) Assert.Equal(truthFree[j], fitFree.Parameters[j], 4);
        Assert.Equal(0.25, free.OffsetExponent(fitFree.Parameters), 4);
    }

    [Fact]
    public void FittedOnTwoSizesItPredictsAThirdWhenThePriorIsRight()
    {
        var law = SizedLaw.Create(new AnnealingLaw(), new SizeLawSpec(Nref));
        double[] truth = [2.7, 0.55, 0.5, 0.4, 0.6, 0.08, -0.05, 0.1];
        var fit = LawFitter.Fit(law, Synthetic(law, truth, [2.5e7, 1e8]));
        foreach (var t in Synthetic(law, truth, [4e8]))
        {
            var y = fit.Predict(t.History, t.Steps, t.ModelSize);
            for (int i = 0; i < y.Length; i++) Assert.Equal(t.Loss[i], y[i], 5);
        }
    }

    [Fact]
    public void FittingNeedsEveryCurvesSizeAndEnoughSizes()
    {
        var law = SizedLaw.Create(new AnnealingLaw(), new SizeLawSpec(Nref));
        double[] truth = [2.7, 0.55, 0.5, 0.4, 0.6, 0.08, -0.05, 0.1];
        var targets = Synthetic(law, truth, [2.5e7, 1e8]);

        var unsized = targets.Select((t, i) => i == 4 ? t with { ModelSize = double.NaN } : t).ToList();
        var e = Assert.Throws<ArgumentException>(() => LawFitter.Fit(law, unsized));
        Assert.Contains(targets[4].Name, e.Message, StringComparison.Ordinal);
        Assert.Contains("model size", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => LawFitter.Fit(law, targets.Take(3).ToList()));
        Assert.Contains("at least 2 model sizes", e.Message, StringComparison.Ordinal);
        Assert.Contains("got 1", e.Message, StringComparison.Ordinal);

        var free = SizedLaw.Create(new AnnealingLaw(), new SizeLawSpec(Nref, SizeScaling.Shared, null));
        e = Assert.Throws<ArgumentException>(() => LawFitter.Fit(free, targets));
        Assert.Contains("at least 3 model sizes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictingNeedsTheModelSize()
    {
        var law = SizedLaw.Create(new ConvexBoundLaw(), new SizeLawSpec(Nref));
        double[] p = [2.5, 1e-3, 300, 0.5, 0.1, 0.1];
        var y = new double[Steps.Length];
        Assert.Contains("model size", Assert.Throws<ArgumentException>(() => law.Predict(p, History, Steps, y)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ((ILossLaw)law).Predict(p, History, double.NaN, Steps, y));
        Assert.Throws<ArgumentException>(() => ((ILossLaw)law).Predict(p, History, -1, Steps, y));
        Assert.Throws<ArgumentException>(() => ((ILossLaw)law).Predict(p.Take(3).ToArray(), History, Nref, Steps, y));
        Assert.Throws<ArgumentException>(() => SizedLaw.Create(law, new SizeLawSpec(Nref)));
        Assert.Throws<ArgumentException>(() => SizedLaw.Create(new ConvexBoundLaw(), new SizeLawSpec(0)));
        Assert.Throws<ArgumentException>(() => SizedLaw.Create(new ConvexBoundLaw(), new SizeLawSpec(Nref, SizeScaling.PowerLaw, -0.3)));
    }

    [Fact]
    public void TheLawFileKeepsTheSizeLaw()
    {
        foreach (var spec in new[] { new SizeLawSpec(Nref), new SizeLawSpec(2e9, SizeScaling.Shared, null) })
        {
            var law = SizedLaw.Create(new MultiPowerLaw(), spec);
            var p = SizedParameters(law, new Random(3));
            var doc = FittedLawDocument.Parse(FittedLawDocument.From(new LawFit(law, p, 1e-6, 10, 20, true, "test"), ["a.csv"]).ToJson());
            Assert.Equal("mpl", doc.Law);
            Assert.Equal(spec, doc.AcrossSizes);
            var (read, q) = doc.Instantiate();
            var sized = Assert.IsAssignableFrom<SizedLaw>(read);
            Assert.Equal(law.ParameterNames, sized.ParameterNames);
            Assert.Equal(p, q);
            var expected = new double[Steps.Length];
            var actual = new double[Steps.Length];
            ((ILossLaw)law).Predict(p, History, 3e8, Steps, expected);
            read.Predict(q, History, 3e8, Steps, actual);
            Assert.Equal(expected, actual);
        }
        // A file of one size stays one: no size law.
        var plain = FittedLawDocument.Parse(FittedLawDocument.From(new LawFit(new AnnealingLaw(), [3, 0.5, 0.5, 0.3], 0, 1, 1, true, "test"), []).ToJson());
        Assert.Null(plain.AcrossSizes);
        Assert.IsType<AnnealingLaw>(plain.Instantiate().Law);
    }
}
