using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The stability-edge cost on the peak LR (<see cref="JointFitOptions.StabilityEdge"/>, <see cref="JointLaw.EdgeHeight"/>, <see cref="JointStabilityEdge"/>).</summary>
public sealed class JointEdgeTests
{
    private static readonly string[] EdgeNames = ["H_edge", "ln_eta_edge", "edge_N", "edge_batch", "edge_D", "k_edge"];

    /// <summary>The shared test vector with the edge term set (size, batch and data exponents 0 unless given).</summary>
    private static double[] WithEdge(double h, double edge, double slope = 8, double kappa = 500, double c = 2, double b = 0, double cb = 0, double e = 0)
    {
        var p = JointLawTests.Parameters(kappa: kappa, c: c);
        p[JointLaw.EdgeHeight] = h;
        p[JointLaw.EdgeLn] = Math.Log(edge);
        p[JointLaw.EdgeSizeExponent] = b;
        p[JointLaw.EdgeBatchExponent] = cb;
        p[JointLaw.EdgeDataExponent] = e;
        p[JointLaw.EdgeSlope] = slope;
        return p;
    }

    [Fact]
    public void The_parameters_are_appended_named_and_read_as_zero_when_absent()
    {
        var law = new JointLaw();
        Assert.Equal(EdgeNames, law.ParameterNames.Skip(JointLaw.EdgeHeight).Take(EdgeNames.Length).ToArray());
        Assert.Equal(JointLaw.LastingScale + 1, JointLaw.EdgeHeight);
        Assert.Equal(JointLaw.NoiseMemorySizeExponent - 1, JointLaw.EdgeSlope);   // n_M (helper sizelaw) appended after the edge
        Assert.Equal(law.ParameterNames.Count, law.Positive.Count);
        Assert.True(law.Positive[JointLaw.EdgeHeight]);
        Assert.False(law.Positive[JointLaw.EdgeLn]);
        Assert.All(EdgeNames, n => Assert.Contains(n, JointLaw.ZeroWhenAbsent));
    }

    [Fact]
    public void Prediction_adds_H_phi_of_the_peak_so_far_over_the_edge_and_nothing_else()
    {
        // Warmup to 2e-3, a dip, a cooldown: the edge term follows the running maximum, not the current LR.
        var lrs = Enumerable.Range(1, 1200).Select(t => t <= 100 ? 2e-3 * t / 100 : t <= 400 ? 5e-4 : t <= 900 ? 1e-3 : 1e-3 * (1200 - t) / 300.0).ToArray();
        var history = new ScheduleHistory(lrs);
        int[] steps = [10, 50, 100, 300, 600, 1200];
        var law = new JointLaw();
        double n = 3e8, batch = 5e5;
        var without = WithEdge(0, 3e-3, b: -0.4, cb: -0.07, e: 0.18);
        var with = WithEdge(2.5, 3e-3, b: -0.4, cb: -0.07, e: 0.18);
        var y0 = new double[steps.Length];
        var y1 = new double[steps.Length];
        law.Predict(without, history, n, batch, steps, y0);
        law.Predict(with, history, n, batch, steps, y1);
        for (int i = 0; i < steps.Length; i++)
        {
            double peak = lrs.Take(steps[i]).Max();
            double lnEdge = Math.Log(3e-3) - 0.4 * Math.Log(n / 1e8) - 0.07 * Math.Log(batch / 1e6) + 0.18 * Math.Log(steps[i] * batch / 1e10);
            double r = peak / Math.Exp(lnEdge);
            double phi = Math.Pow(r, 8) / (1 + Math.Pow(r, 8));
            Property.Near(y0[i] + 2.5 * phi, y1[i], 1e-13, $"step {steps[i]}");
        }
        var terms = law.Explain(with, history, 1200, n, batch);
        Property.Near(y1[^1], terms.Sum(t => t.Contribution), 1e-12, "terms sum to the prediction");
        Assert.DoesNotContain(law.Explain(without, history, 1200, n, batch), t => t.Name == "edge");
    }

    [Fact]
    public void Off_the_law_is_the_law_before_bit_for_bit()
    {
        // H = 0 with the rest of the edge set (an edge below the peak, where phi is near 1) and the vector with all six at 0 predict the
        // same bits (a saved fit from before reads the six as 0: the next test but one).
        var law = new JointLaw();
        var history = new ScheduleHistory(JointLawTests.Wsd(3000, 100, 2e-3, 0.3));
        int[] steps = [100, 1000, 2000, 3000];
        var full = WithEdge(0, 1e-3, b: -0.4, cb: -0.07, e: 0.18);
        var cut = (double[])full.Clone();
        for (int i = JointLaw.EdgeHeight; i <= JointLaw.EdgeSlope; i++) cut[i] = 0;
        var a = new double[steps.Length];
        var b = new double[steps.Length];
        law.Predict(full, history, 1.2e8, 5e5, steps, a);
        law.Predict(cut, history, 1.2e8, 5e5, steps, b);
        Assert.Equal(a, b);
        Assert.Equal(law.Explain(full, history, 3000, 1.2e8, 5e5).Select(t => t.Contribution), law.Explain(cut, history, 3000, 1.2e8, 5e5).Select(t => t.Contribution));
    }

    [Fact]
    public void Phi_is_a_logistic_in_ln_peak_over_the_edge_monotone_and_half_at_the_edge()
    {
        Property.ForAll(Gen.Select(Property.LogUniform(1e-5, 1), Property.LogUniform(1e-5, 1), Property.LogUniform(0.5, 30), Gen.Double[1.0001, 3]), x =>
        {
            var (peak, edge, k, step) = x;
            double phi = JointStabilityEdge.Phi(peak, Math.Log(edge), k);
            Assert.InRange(phi, 0, 1);
            Assert.True(JointStabilityEdge.Phi(peak * step, Math.Log(edge), k) >= phi, "monotone in the peak");
            Property.Near(Math.Pow(peak / edge, k) / (1 + Math.Pow(peak / edge, k)), phi, 1e-10, "r^k / (1 + r^k)");
        });
        Assert.Equal(0.5, JointStabilityEdge.Phi(2e-3, Math.Log(2e-3), 8.39), 15);
        Assert.Equal(0, JointStabilityEdge.Phi(0, Math.Log(2e-3), 8.39));
    }

    [Fact]
    public void The_edge_term_rises_with_the_peak_and_moves_the_optimum_down_and_keeps_it_interior()
    {
        // Adding a function increasing in the peak can only move the argmin down; with H > 0 the optimum stays inside the range.
        var gen = Gen.Select(Property.LogUniform(0.1, 2), Property.LogUniform(1e-3, 0.1), Property.LogUniform(10, 3000), Property.LogUniform(1e-3, 10),
            Property.LogUniform(0.01, 10), Property.LogUniform(3e-4, 3e-2), Gen.Double[4, 12], Gen.Double[0.1, 0.8]);
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (a, sw, kappa, c, h, edge, k, cooldown) = x;
            var off = WithEdge(0, edge, k, kappa, c);
            var on = WithEdge(h, edge, k, kappa, c);
            foreach (var p in new[] { off, on })
                (p[JointLaw.A], p[JointLaw.Sw]) = (a, sw);
            var shape = JointLawTests.Wsd(2000, 50, 1, cooldown);
            double[] At(double peak) => [.. shape.Select(s => s * peak)];
            double Excess(double peak) => law.PredictFinal(on, new ScheduleHistory(At(peak))) - law.PredictFinal(off, new ScheduleHistory(At(peak)));
            // Up to rounding: the excess is a difference of two predictions (1e-12 of their size), flat once phi has saturated at 1.
            for (double peak = 1e-4; peak < 1; peak *= 1.7)
                Assert.True(Excess(peak * 1.7) >= Excess(peak) - 1e-9 && Excess(peak) >= -1e-9, $"the edge term at {peak}");
            var withEdge = law.OptimalPeak(on, At, 1e-5, 1e2);
            var without = law.OptimalPeak(off, At, 1e-5, 1e2);
            Assert.True(withEdge.Interior, $"optimum at {withEdge.Peak} (H {h}, edge {edge})");
            Assert.True(withEdge.Peak <= without.Peak * (1 + 1e-6), $"with the edge {withEdge.Peak}, without {without.Peak}");
        }, iterations: 30);
    }

    [Fact]
    public void The_intercept_is_the_logistic_maximum_likelihood_and_absent_without_both_classes()
    {
        // Labels drawn from the logistic at a known edge: the fitted intercept satisfies sum P = #diverged and lands near the truth.
        var rng = new Random(7);
        double truth = Math.Log(4e-3), k = JointStabilityEdge.PriorSlope;
        var labels = new List<EdgeLabel>();
        for (int i = 0; i < 4000; i++)
        {
            double peak = Math.Exp(Math.Log(5e-4) + rng.NextDouble() * Math.Log(40));
            bool diverged = rng.NextDouble() < JointStabilityEdge.Phi(peak, truth, k);
            labels.Add(new EdgeLabel(peak, double.NaN, double.NaN, double.NaN, diverged, diverged ? 7.5 : 3.2));
        }
        var edge = JointStabilityEdge.FitIntercept(labels)!;
        Assert.InRange(edge.LnEdge, truth - 0.05, truth + 0.05);
        Property.Near(labels.Count(l => l.Diverged), labels.Sum(l => JointStabilityEdge.Phi(l.Peak, edge.LnEdge, k)), 1e-6, "score equation");
        Property.Near(4.3, edge.MaxHeight, 1e-9, "plateau height");
        Assert.Equal(JointStabilityEdge.PriorSizeExponent, edge.SizeExponent);
        Assert.False(edge.FixedHeight);
        Assert.Null(JointStabilityEdge.FitIntercept([.. labels.Where(l => !l.Diverged)]));
        Assert.Null(JointStabilityEdge.FitIntercept([.. labels.Where(l => l.Diverged)]));
        // The size, batch and data terms shift each label's edge: labels at N = 1e9 with the exponent -0.4 see an edge 10^-0.4 lower.
        var sized = labels.Select(l => l with { ModelSize = 1e9, Peak = l.Peak * Math.Pow(10, -0.4) }).ToList();
        var shifted = JointStabilityEdge.FitIntercept(sized, -0.4, 0, 0)!;
        Property.Near(edge.LnEdge, shifted.LnEdge, 1e-6, "the centred size term");
    }

    /// <summary>Synthetic curves of the law with the edge at 4e-3 and the fit's edge spec (bound <paramref name="maxHeight"/>).</summary>
    private static (List<JointCurve> Train, JointStabilityEdge Edge) Synthetic(double h, double maxHeight)
    {
        var truth = WithEdge(h, 4e-3, JointStabilityEdge.PriorSlope, kappa: 400, c: 0);
        return (JointLawTests.Synthetic(truth), new JointStabilityEdge(Math.Log(4e-3), 0, 0, 0, JointStabilityEdge.PriorSlope, maxHeight));
    }

    [Fact]
    public void The_fit_recovers_H_within_its_bound_and_caps_it_there()
    {
        var (train, edge) = Synthetic(3, 10);
        // A p = 1 truth: the fit as the law before (both powers where identified, the default since helper lagdefault, off).
        var fit = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, StabilityEdge = edge });
        Assert.Contains("stability edge H fitted", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-9, $"objective {fit.Objective}");
        Property.Near(3, fit.Parameters[JointLaw.EdgeHeight], 0.02, "H");
        Assert.Equal(edge.LnEdge, fit.Parameters[JointLaw.EdgeLn]);
        Assert.Equal(edge.Slope, fit.Parameters[JointLaw.EdgeSlope]);
        // The same data with H_max below the truth: H sits on its bound.
        var capped = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, StabilityEdge = edge with { MaxHeight = 1 } });
        Assert.Equal(1, capped.Parameters[JointLaw.EdgeHeight]);
        // The plateau variant: H is H_max whatever the data say.
        var plateau = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, StabilityEdge = edge with { MaxHeight = 5, FixedHeight = true } });
        Assert.Equal(5, plateau.Parameters[JointLaw.EdgeHeight]);
    }

    [Fact]
    public void Without_the_option_or_with_one_peak_LR_the_fit_is_the_one_before()
    {
        var (train, edge) = Synthetic(3, 10);
        var off = JointLawFitter.Fit(train, new JointFitOptions());
        Assert.DoesNotContain("stability edge", off.StopReason, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(JointLaw.EdgeHeight, 6), i => Assert.Equal(0, off.Parameters[i]));
        // One peak LR: the column would be a constant, the offset's; the term is off.
        var one = train.Where(c => c.Name.StartsWith("lr=0.001 ", StringComparison.Ordinal)).ToList();
        var fit = JointLawFitter.Fit(one, new JointFitOptions { StabilityEdge = edge });
        var plain = JointLawFitter.Fit(one, new JointFitOptions());
        Assert.DoesNotContain("stability edge", fit.StopReason, StringComparison.Ordinal);
        Assert.Equal(plain.Parameters, fit.Parameters);
    }

    [Fact]
    public void A_saved_fit_without_the_edge_reads_it_as_zero_and_the_cache_tells_the_variants_apart()
    {
        var law = new JointLaw();
        var p = JointLawTests.Parameters();
        var old = law.ParameterNames.Select((n, i) => (n, i)).Where(x => !EdgeNames.Contains(x.n)).ToDictionary(x => x.n, x => p[x.i]);
        var (back, q) = new HyperLaws.Fitting.FittedLawDocument("joint", old, 0, true, "", []).Instantiate();
        Assert.Equal(p, q);
        var curve = new JointCurve("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 100)]), [50, 100], [3.5, 3.4]);
        var edge = new JointStabilityEdge(Math.Log(4e-3), 0, 0, 0, 8, 4);
        var plain = HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions());
        var fitted = HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { StabilityEdge = edge });
        var plateau = HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { StabilityEdge = edge with { FixedHeight = true } });
        var moved = HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { StabilityEdge = edge with { LnEdge = Math.Log(5e-3) } });
        Assert.NotEqual(plain, fitted);
        Assert.NotEqual(fitted, plateau);
        Assert.NotEqual(fitted, moved);
    }

    [Fact]
    public void A_bad_edge_is_refused()
    {
        var (train, edge) = Synthetic(3, 10);
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit(train, new JointFitOptions { StabilityEdge = edge with { Slope = 0 } }));
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit(train, new JointFitOptions { StabilityEdge = edge with { MaxHeight = double.NaN } }));
    }
}
