using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's quick node test (<see cref="MplTailBounds.Decide"/>, issue 12): where it decides a node without tail_min's pow, the full
/// test decides the same, so the tree walk with it gives every value and derivative bit for bit as the walk without it.
/// </summary>
public sealed class MplTailBoundsTests
{
    private enum Full { Reject, AcceptUncorrected, AcceptCorrected, RangeFallBack }

    /// <summary>
    /// The walk's full node test as written in <c>DropTree.LossDrop</c> (with tail_min from pow), given whether the correction is usable:
    /// with the width's bounds (<paramref name="spread"/> false) its expressions in r; with the spread's, tail_min times the factors.
    /// </summary>
    private static Full FullTest(double qMin, double qMax, double r, double beta, double b, double accept, double cOverQ, double x1Error, double vError, double absDrop, bool usable,
        bool spread, double secondFactor, double thirdFactor)
    {
        double bb1 = beta * (beta + 1);
        double tailMin = Math.Pow(qMin, -beta);
        double roundFirst = beta * tailMin * (cOverQ * x1Error) / absDrop;
        double roundSecond = roundFirst + 0.5 * bb1 * tailMin * (cOverQ * (cOverQ * vError)) / absDrop;
        double secondOrder = spread ? tailMin * secondFactor : 0.5 * bb1 * tailMin * r * r + roundFirst;
        double thirdOrder = spread ? tailMin * thirdFactor : bb1 * (beta + 2) * tailMin * r * r * r / 6 + roundSecond;
        bool corrected = thirdOrder < secondOrder && usable;
        double bound = corrected ? thirdOrder : secondOrder;
        if (!(b * bound <= accept))
        {
            double tailMax = double.IsPositiveInfinity(qMax) ? 0 : Math.Pow(qMax, -beta);
            double firstOrder = tailMin - tailMax + roundFirst;
            if (firstOrder < bound) { bound = firstOrder; corrected = false; }
            if (!double.IsFinite(firstOrder) && !double.IsFinite(secondOrder)) return Full.RangeFallBack;
        }
        return !(b * bound <= accept) ? Full.Reject : corrected ? Full.AcceptCorrected : Full.AcceptUncorrected;
    }

    [Fact]
    public void Where_the_quick_test_decides_the_full_test_decides_the_same()
    {
        var gen = Gen.Select(LogUniform(1, 1e19), LogUniform(1, 1e4), LogUniform(1e-9, 1e3), LogUniform(1e-9, 60), LogUniform(1e-3, 1e12),
            LogUniform(0.2, 5), LogUniform(1e-20, 1e-6), Gen.Select(Gen.Bool, Gen.Bool, LogUniform(1e-4, 1), LogUniform(1e-3, 1e3)));
        int decided = 0, samples = 0;
        ForAll(gen, s =>
        {
            var (qMin, rho, r, beta, b, near, error, (usable, spread, shrink, ratio)) = s;
            double qMax = rho < 1.001 ? qMin : qMin * rho;   // some nodes with q_max = q_min (rho exactly 1)
            double cOverQ = 0.7, absDrop = 1e-4, x1Error = error, vError = error * 3;
            var bounds = new MplTailBounds(beta);
            // accept near the full test's own bound, so that the decisions fall on both sides of it, many of them close.
            double tail = Math.Pow(qMin, -beta), bb1 = beta * (beta + 1);
            double accept = b * tail * (0.5 * bb1 * r * r) * near;
            if (!(accept > 0 && accept < double.PositiveInfinity)) return;
            // The factors as the walk computes them: the width's expressions with tail_min = 1, or (spread) a second-order factor up to
            // the width's and a third-order one above or below it (the spread's bounds: any positive pair).
            double roundFirst = beta * (cOverQ * x1Error) / absDrop;
            double second = spread ? shrink * (0.5 * bb1 * r * r) + roundFirst : 0.5 * bb1 * r * r + roundFirst;
            double third = spread ? second * ratio / 30 : bb1 * (beta + 2) * r * r * r / 6 + (roundFirst + 0.5 * bb1 * (cOverQ * (cOverQ * vError)) / absDrop);
            int quick = MplTailBounds.Decide(bounds, qMin, qMax, second, third, beta, b, accept);
            var full = FullTest(qMin, qMax, r, beta, b, accept, cOverQ, x1Error, vError, absDrop, usable, spread, second, third);
            samples++;
            if (quick == MplTailBounds.Unsure) return;
            decided++;
            var expected = quick switch
            {
                MplTailBounds.Reject => Full.Reject,
                MplTailBounds.AcceptSecond => Full.AcceptUncorrected,
                MplTailBounds.AcceptThird when usable => Full.AcceptCorrected,
                MplTailBounds.AcceptEither => usable ? Full.AcceptCorrected : Full.AcceptUncorrected,
                _ => (Full?)null,
            };
            if (expected is { } e) Assert.Equal(e, full);
        }, iterations: 20000);
        // Not a vacuous check: most samples are decided quickly (the rest, near the threshold or out of the table's range, fall back).
        Assert.True(decided > samples / 3, $"{decided} of {samples} decided quickly");
    }

    [Fact]
    public void The_walk_with_the_quick_test_is_the_walk_without_it_bit_for_bit() =>
        ForAll(Gen.Select(Gen.Int[1500, 6000], Gen.Double[0.05, 0.6], Gen.Int[1, 9], LogUniform(1e-4, 1e4), LogUniform(1e-8, 30), LogUniform(0.05, 3), LogUniform(1, 1e10)), t =>
        {
            var (steps, cooldown, every, c, beta, gamma, b) = t;
            var history = new ScheduleHistory(SyntheticCurves.Wsd(steps, cooldown));
            int[] at = [.. Enumerable.Range(1, steps / every).Select(k => k * every)];
            double[][] parameters =
            [
                [2.6, 0.7, 0.45, b, c, beta, gamma], MultiPowerLaw.Published["25M"], MultiPowerLaw.Published["400M"], [2.5, 0.7, 0.4, 5e6, 0.3, 1e-6, 0.2],
                [2.6, 0.8, 0.3, 400, 5e36, 0.6, 46], [2.6, 0.8, 0.3, 400, 1e300, 3.5e9, 0.5], [2.55, 0.79, 0.31, 8.9e-51, 1e-300, 3.7e-60, 4.4e-21],
            ];
            // The spread's bounds (SpreadBounds) and the width's (the default) alternately.
            bool spread = steps % 2 == 0;
            var quick = new MultiPowerLaw { PointsPerChunk = 97, SpreadBounds = spread };
            var full = new MultiPowerLaw { PointsPerChunk = 97, QuickNodeTest = false, SpreadBounds = spread };
            foreach (var p in parameters)
            {
                // Fresh histories for each law, so neither walk reuses the other's cached tree.
                var (h1, h2) = (history.Copy(), history.Copy());
                Assert.Equal(MplCalls.Values(full, p, h2, at), MplCalls.Values(quick, p, h1, at));
                var (y1, g1) = MplCalls.Gradient(quick, p, h1, at);
                var (y2, g2) = MplCalls.Gradient(full, p, h2, at);
                Assert.Equal(y2, y1);
                Assert.Equal(g2, g1);
                var (plain1, values1, fused1) = MplCalls.Fused(quick, p, h1, at);
                var (plain2, values2, fused2) = MplCalls.Fused(full, p, h2, at);
                Assert.Equal(plain2, plain1);
                Assert.Equal(values2, values1);
                Assert.Equal(fused2, fused1);
                if (double.IsFinite(p[MultiPowerLaw.B]))
                {
                    var (basis1, bg1) = MplCalls.Basis(quick, p, h1, at);
                    var (basis2, bg2) = MplCalls.Basis(full, p, h2, at);
                    Assert.Equal(basis2, basis1);
                    Assert.Equal(bg2, bg1);
                }
            }
        }, iterations: 10);

    [Fact]
    public void A_fit_with_the_quick_test_is_the_fit_without_it()
    {
        var truth = MultiPowerLaw.Published["100M"];
        var curves = new[]
        {
            SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(5000, 0.2), "a", 0.002, 3, points: 120),
            SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(4000, 0.5), "b", 0.002, 4, points: 120),
        };
        var quick = LawFitter.Fit(new MultiPowerLaw(), curves);
        var full = LawFitter.Fit(new MultiPowerLaw { QuickNodeTest = false }, curves);
        Assert.Equal(full.Parameters, quick.Parameters);
        Assert.Equal(full.Objective, quick.Objective);
        Assert.Equal(full.Iterations, quick.Iterations);
        Assert.Equal(full.Evaluations, quick.Evaluations);
    }
}
