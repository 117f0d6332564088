using CsCheck;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// OptLaw's walk table (the decays and logs of a history's walk, built on its third walk; issue 12) gives the same predictions and
/// gradients, bit for bit, as the walk that computes them (<see cref="OptLaw.UseWalkTables"/> off), on random schedules with
/// constant, zero and changing stretches, random powers and weights (some zero: <see cref="OptLaw.Predict"/> walks only the others).
/// </summary>
public sealed class OptLawWalkTableTests
{
    private static readonly Gen<(double[] Lr, int[] Steps, double[] P)> Case =
        Gen.Select(Gen.Int[20, 2500], Gen.Int[0, 3], Gen.Int[1, 30], Gen.Double[0.06, 4.9], Gen.Int[0, int.MaxValue]).Select((n, kind, every, power, seed) =>
        {
            var random = new Random(seed);
            double peak = Math.Exp(random.NextDouble() * Math.Log(1e3)) * 1e-5;
            int warmup = random.Next(0, n / 3);
            var lr = new double[n];
            for (int t = 1; t <= n; t++)
            {
                double x = (double)t / n;
                double eta = kind switch
                {
                    0 => peak * 0.5 * (1 + Math.Cos(Math.PI * x)),
                    1 => t < n * 0.7 ? peak : peak * (1 - (x - 0.7) / 0.3) + peak * 0.01,
                    2 => peak * (t % 200 < 100 ? 1 : 0.1),
                    _ => (t / 97) % 5 == 0 ? 0 : peak * Math.Exp(-3 * x),
                };
                lr[t - 1] = t <= warmup ? eta * t / warmup : eta;
            }
            int[] steps = [.. Enumerable.Range(1, n).Where(t => t % every == 0 || t == n || random.NextDouble() < 0.01)];
            // L0, A, alpha, s_w, p, then 11 noise weights and 2 escape weights, about a third of them 0.
            double[] p = [2 + random.NextDouble(), 0.5 + random.NextDouble(), 0.1 + random.NextDouble(), 1e-3 + random.NextDouble() * 0.1, power,
                .. Enumerable.Range(0, OptLaw.DefaultLags.Count).Select(_ => random.NextDouble() < 0.35 ? 0 : random.NextDouble() * 50),
                .. Enumerable.Range(0, 2).Select(_ => random.NextDouble() < 0.35 ? 0 : -random.NextDouble())];
            return (lr, steps, p);
        });

    [Fact]
    public void Predictions_AndGradients_EqualTheDirectWalk_BitForBit()
    {
        double[] barriers = [1e-4, 1e-3];
        var direct = new OptLaw(OptLaw.DefaultLags, barriers) { UseWalkTables = false };
        Property.ForAll(Case, c =>
        {
            var tabled = new OptLaw(OptLaw.DefaultLags, barriers);
            var history = new ScheduleHistory(c.Lr);
            FitHistories.Admit([history]); // as a fit does for its curves
            try
            {
                int n = c.Steps.Length, k = c.P.Length;
                var expected = new double[n];
                var expectedGradient = new double[n * k];
                direct.Predict(c.P, history, c.Steps, expected);
                var expectedWithGradient = new double[n];
                direct.PredictWithGradient(c.P, history, c.Steps, expectedWithGradient, expectedGradient);
                // Walks 1-2 are direct, the table is built on the third; every walk after reads it: each must equal the direct walk.
                for (int walk = 0; walk < 3; walk++)
                {
                    var y = new double[n];
                    tabled.Predict(c.P, history, c.Steps, y);
                    Assert.Equal(expected, y);
                    var yg = new double[n];
                    var gradient = new double[n * k];
                    tabled.PredictWithGradient(c.P, history, c.Steps, yg, gradient);
                    Assert.Equal(expectedWithGradient, yg);
                    Assert.Equal(expectedGradient, gradient);
                }
                // The third walk built the table (so the walks above compared the table's path with the direct one), and a copy of the
                // history (a fit's parallel start) reads the same table.
                Assert.True(tabled.HasWalkTable(history));
                var copy = history.Copy();
                Assert.True(tabled.HasWalkTable(copy));
                var fromCopy = new double[n];
                tabled.Predict(c.P, copy, c.Steps, fromCopy);
                Assert.Equal(expected, fromCopy);
            }
            finally
            {
                FitHistories.Release([history]);
            }
            Assert.False(tabled.HasWalkTable(history));
        }, iterations: 40);
    }

    private static (ScheduleHistory History, int[] Steps, double[] P) Cosine(int n)
    {
        double[] lr = [.. Enumerable.Range(1, n).Select(t => 1e-3 * 0.5 * (1 + Math.Cos(Math.PI * t / n)))];
        double[] p = [2.5, 1, 0.4, 0.01, 1.2, .. Enumerable.Range(0, OptLaw.DefaultLags.Count).Select(k => 0.5 + k)];
        return (new ScheduleHistory(lr), [.. Enumerable.Range(1, n / 7).Select(i => i * 7)], p);
    }

    /// <summary>A table beyond the byte limit is refused (the walk computes the values, the same predictions), and tried again at the next walk.</summary>
    [Fact]
    public void RefusedTable_WalksDirectly_AndIsBuiltOnceThereIsRoom()
    {
        var (history, steps, p) = Cosine(600);
        FitHistories.Admit([history]);
        try
        {
            var expected = new double[steps.Length];
            new OptLaw { UseWalkTables = false }.Predict(p, history, steps, expected);
            var refusing = new OptLaw { WalkTableByteLimit = 0 };
            for (int walk = 0; walk < 4; walk++)
            {
                var y = new double[steps.Length];
                refusing.Predict(p, history, steps, y);
                Assert.Equal(expected, y);
            }
            Assert.False(refusing.HasWalkTable(history));
            // Not refused for good: the next walk by a law with room builds it, and the refusing law's walks then read it.
            var roomy = new OptLaw();
            var z = new double[steps.Length];
            roomy.Predict(p, history, steps, z);
            Assert.Equal(expected, z);
            Assert.True(roomy.HasWalkTable(history));
            Assert.True(refusing.HasWalkTable(history));
        }
        finally
        {
            FitHistories.Release([history]);
        }
    }

    /// <summary>A history no fit admitted (a plan's candidate schedule) gets no table, however often it is walked.</summary>
    [Fact]
    public void History_NotAdmitted_GetsNoTable()
    {
        var (history, steps, p) = Cosine(400);
        var law = new OptLaw();
        for (int walk = 0; walk < 4; walk++) law.Predict(p, history, steps, new double[steps.Length]);
        Assert.False(law.HasWalkTable(history));
    }

    /// <summary>A table serves only laws with the lags it was built for; another law's walk computes its own (the same as directly).</summary>
    [Fact]
    public void Table_ServesOnlyTheSameLags()
    {
        var (history, steps, p) = Cosine(500);
        FitHistories.Admit([history]);
        try
        {
            var law = new OptLaw();
            for (int walk = 0; walk < 3; walk++) law.Predict(p, history, steps, new double[steps.Length]);
            Assert.True(law.HasWalkTable(history));
            double[] lags = [.. OptLaw.DefaultLags.Select(t => t * 1.5)];
            var other = new OptLaw(lags, []);
            var expected = new double[steps.Length];
            new OptLaw(lags, []) { UseWalkTables = false }.Predict(p, history, steps, expected);
            for (int walk = 0; walk < 3; walk++)
            {
                var y = new double[steps.Length];
                other.Predict(p, history, steps, y);
                Assert.Equal(expected, y);
            }
            Assert.False(other.HasWalkTable(history));
        }
        finally
        {
            FitHistories.Release([history]);
        }
    }

    /// <summary>
    /// Histories of the same LRs made afresh (the planner's fits each build their curves' histories from the runs) share one table
    /// while a fit holds any of them, counted once in the bytes; it is given back when the last is released. Other LRs get their own.
    /// </summary>
    [Fact]
    public void Histories_OfTheSameLrs_ShareOneTable_UntilTheLastIsReleased()
    {
        var (first, steps, p) = Cosine(700);
        var second = new ScheduleHistory([.. Enumerable.Range(1, first.Steps).Select(first.Eta)]);
        double[] otherLrs = [.. Enumerable.Range(1, first.Steps).Select(t => first.Eta(t) * (t == 350 ? 1.5 : 1))];
        var other = new ScheduleHistory(otherLrs);
        var law = new OptLaw();
        var expected = new double[steps.Length];
        new OptLaw { UseWalkTables = false }.Predict(p, second, steps, expected);
        FitHistories.Admit([first]);
        FitHistories.Admit([second, other]);
        try
        {
            // Two walks of the first and one of the second: the third walk of these LRs builds the table both read.
            law.Predict(p, first, steps, new double[steps.Length]);
            law.Predict(p, first, steps, new double[steps.Length]);
            var y = new double[steps.Length];
            law.Predict(p, second, steps, y);
            Assert.Equal(expected, y);
            Assert.True(law.HasWalkTable(first));
            Assert.True(law.HasWalkTable(second));
            // Other LRs: walked as directly, and a table of their own (not yet built after one walk, built on their third).
            var expectedOther = new double[steps.Length];
            new OptLaw { UseWalkTables = false }.Predict(p, other, steps, expectedOther);
            for (int walk = 0; walk < 3; walk++)
            {
                var w = new double[steps.Length];
                law.Predict(p, other, steps, w);
                Assert.Equal(expectedOther, w);
                Assert.Equal(walk == 2, law.HasWalkTable(other));
            }
            FitHistories.Release([first]);
            Assert.False(law.HasWalkTable(first));
            Assert.True(law.HasWalkTable(second));
            var z = new double[steps.Length];
            law.Predict(p, second, steps, z);
            Assert.Equal(expected, z);
        }
        finally
        {
            FitHistories.Release([second, other]);
        }
        Assert.False(law.HasWalkTable(second));
    }

    /// <summary>A fit inside a fit keeps the outer fit's histories admitted; the release is raised once, at the last.</summary>
    [Fact]
    public void FitHistories_CountsAdmissions_AndReleasesAtTheLast()
    {
        var (history, _, _) = Cosine(50);
        var copy = history.Copy();
        var released = new List<ScheduleHistory>();
        void Listen(ScheduleHistory h)
        {
            lock (released) released.Add(h);
        }
        FitHistories.Released += Listen;
        try
        {
            Assert.False(FitHistories.IsAdmitted(history));
            FitHistories.Admit([history, null]);
            FitHistories.Admit([copy]);                  // a copy counts as its original
            Assert.True(FitHistories.IsAdmitted(copy));
            FitHistories.Release([history]);
            Assert.True(FitHistories.IsAdmitted(history));
            lock (released) Assert.DoesNotContain(history, released);
            FitHistories.Release([copy]);
            Assert.False(FitHistories.IsAdmitted(history));
            lock (released) Assert.Single(released, h => ReferenceEquals(h, history));
        }
        finally
        {
            FitHistories.Released -= Listen;
        }
    }

    /// <summary>A fit across sizes (Levenberg-Marquardt on every curve's walk at each evaluation) is the same fit with and without tables.</summary>
    [Fact]
    public void FitAcrossSizes_IsTheSameFit_WithAndWithoutTables()
    {
        const int steps = 1500;
        var targets = new List<FitTarget>();
        foreach (double size in new[] { 1.4e7, 7e7, 1.6e8 })
        {
            double peak = size < 1e8 ? 1e-3 : 6e-4;
            double[] lr = [.. Enumerable.Range(1, steps).Select(t => t <= 15 ? peak * t / 15 : 0.1 * peak + 0.9 * peak * 0.5 * (1 + Math.Cos(Math.PI * (t - 15) / (steps - 15))))];
            var history = new ScheduleHistory(lr);
            int[] at = [.. Enumerable.Range(1, steps / 10).Select(i => i * 10)];
            double level = 2.5 + 3 * Math.Pow(size / 1e7, -0.3);
            double[] loss = [.. at.Select(t => level + 1.5 * Math.Pow(history.S1(t) + 0.01, -0.5) + 0.02 * Math.Sin(t))];
            targets.Add(new FitTarget("run" + size, history, at, loss) { ModelSize = size });
        }
        var spec = new SizeLawSpec(SizeLawSpec.CentreOf(targets));
        var direct = LawFitter.Fit(SizedLaw.Create(new OptLaw { UseWalkTables = false }, spec), targets);
        var tabled = LawFitter.Fit(SizedLaw.Create(new OptLaw(), spec), targets);
        HyperLaws.Tests.Fitting.FitAssert.Same(direct, tabled);
        // The fit gave its tables back (FitHistories.Release at the end of LawFitter.Fit).
        Assert.All(targets, t => Assert.False(new OptLaw().HasWalkTable(t.History)));
    }
}
