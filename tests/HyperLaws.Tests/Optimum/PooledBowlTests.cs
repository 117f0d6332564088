using HyperLaws.Numerics;
using HyperLaws.Optimum;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Tests.Optimum;

/// <summary>The pooled bowl (<see cref="PooledBowl"/>) on synthetic cells generated from a known bowl.</summary>
public sealed class PooledBowlTests
{
    // (N, D) pairs spread like the Step Law grid's cells.
    private static readonly (double N, double D)[] Cells =
    [
        (2.1e8, 4e9), (2.1e8, 2e10), (2.1e8, 1e11), (2.7e8, 5e9), (2.7e8, 8e10), (4.3e8, 8e9),
        (4.3e8, 5e10), (5.4e8, 1e10), (5.4e8, 2.8e10), (1.1e9, 2e10), (1.1e9, 5.7e10),
    ];

    // The true rule: eta* = 1.79 N^-0.713 D^0.307, B* = 0.4 N^0.1 D^0.571 tokens; q = 0.01 u^2 + 0.004 u v + 0.006 v^2.
    private static (double X, double Y) Centre(double n, double d) =>
        (Math.Log(1.79) - 0.713 * Math.Log(n) + 0.307 * Math.Log(d), Math.Log(0.4) + 0.1 * Math.Log(n) + 0.571 * Math.Log(d));

    private const double Alpha = 0.01, Beta = 0.004, Gamma = 0.006;

    /// <summary>Cells whose ln L is exactly l_g + q (levels differ by cell), on grids offset from the centre by a cell-dependent
    /// factor (so the windows are not symmetric about it), with relative noise of standard deviation <paramref name="noise"/>.</summary>
    /// <remarks>With <paramref name="kappa"/> the whole bowl of a cell is scaled by (D / 1e10)^-kappa.</remarks>
    private static List<SweepCell> Sweep(double noise, int seed = 7, double kappa = 0)
    {
        var random = new Random(seed);
        return [.. Cells.Select((c, i) =>
        {
            var (x, y) = Centre(c.N, c.D);
            double level = 1.0 + 0.05 * i, s = Math.Pow(c.D / 1e10, -kappa);
            var cell = SyntheticSweep.Cell(c.N, c.D, Math.Exp(x + 0.3 * ((i % 3) - 1)), Math.Exp(y - 0.2 * ((i % 2) * 2 - 1)) / SyntheticSweep.SequenceLength, 6, 5,
                (lx, ly) => Math.Exp(level + s * (Alpha * (lx - x) * (lx - x) + Beta * (lx - x) * (ly - y) + Gamma * (ly - y) * (ly - y))));
            return cell with { Points = [.. cell.Points.Select(p => { double l = p.SmoothLoss * (1 + noise * Gaussian(random)); return p with { Loss = l, SmoothLoss = l }; })] };
        })];
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void Noise_free_runs_give_back_the_generating_centre_and_curvature_exactly()
    {
        var bowl = PooledBowl.Fit(Sweep(0))!;
        Assert.NotNull(bowl);
        Assert.Equal(-0.713, bowl.Centre.B, 8);
        Assert.Equal(0.307, bowl.Centre.C, 8);
        Assert.Equal(1.79, bowl.Centre.LearningRatePrefactor, 6);
        Assert.Equal(0.1, bowl.Centre.E, 8);
        Assert.Equal(0.571, bowl.Centre.F, 8);
        Assert.Equal(0.4, bowl.Centre.BatchPrefactor, 6);
        Assert.Equal(Alpha, bowl.Alpha, 10);
        Assert.Equal(Beta, bowl.Beta, 10);
        Assert.Equal(Gamma, bowl.Gamma, 10);
        // A cell not fitted on: the bowl's centre is the generating one.
        var (x, y) = Centre(7e8, 3e10);
        Assert.Equal(x, bowl.Predict(7e8, 3e10).LnLearningRate, 8);
        Assert.Equal(y, bowl.Predict(7e8, 3e10).LnBatchTokens, 8);
        // Only runs in the 2% windows are fitted.
        Assert.InRange(bowl.Runs, 4 * Cells.Length, Cells.Length * 13 * 11 - 1);
    }

    [Fact]
    public void Noisy_runs_give_the_centre_within_half_a_grid_step()
    {
        // 0.1% relative noise on every loss (a fifth of the 2% window's depth is 0.4%); the grid steps by a factor sqrt 2,
        // ln sqrt 2 = 0.35 in ln lr and ln batch. The recovered centre must lie within half a step at every fitted cell and at
        // an unfitted one inside the range.
        var bowl = PooledBowl.Fit(Sweep(0.001))!;
        Assert.NotNull(bowl);
        foreach (var (n, d) in Cells.Append((7e8, 3e10)))
        {
            var (x, y) = Centre(n, d);
            var (px, py) = bowl.Predict(n, d);
            Assert.InRange(px - x, -0.17, 0.17);
            Assert.InRange(py - y, -0.17, 0.17);
        }
        Assert.True(bowl.Alpha > 0 && 4 * bowl.Alpha * bowl.Gamma > bowl.Beta * bowl.Beta);
    }

    [Fact]
    public void The_closed_form_minimum_is_the_numerical_minimum_of_the_fitted_bowl()
    {
        var bowl = PooledBowl.Fit(Sweep(0.001))!;
        const double n = 3e8, d = 2.5e10;
        var (cx, cy) = bowl.Predict(n, d);
        var numeric = NelderMead.Minimize(v => bowl.Value(n, d, v[0], v[1]), [cx + 1, cy - 1], [0.5, 0.5], 1e-15, 5000);
        Assert.Equal(cx, numeric.X[0], 4);
        Assert.Equal(cy, numeric.X[1], 4);
        Assert.Equal(0, bowl.Value(n, d, cx, cy), 12);

        // At a fixed batch the conditional minimum in ln lr is the 1-D minimum of the bowl along that batch.
        double lnBatch = cy + 0.8;
        double conditional = bowl.ConditionalLnLearningRate(n, d, lnBatch);
        var line = BrentMinimizer.Minimize(x => bowl.Value(n, d, x, lnBatch), cx - 5, cx + 5);
        Assert.Equal(conditional, line.X, 5);
    }

    [Fact]
    public void The_fit_is_the_least_squares_minimum_of_the_nonlinear_model()
    {
        // Moving any of the nine shared parameters away from the fit (each cell's level re-fitted: the mean residual)
        // raises the sum of squares of ln L over the windowed runs.
        var cells = Sweep(0.002, seed: 11);
        var bowl = PooledBowl.Fit(cells)!;
        var windowed = cells.Select(c => { double best = c.Points.Min(p => p.SmoothLoss); return (c, Runs: c.Points.Where(p => p.SmoothLoss <= best * 1.02).ToList()); }).ToList();
        double Sse(double[] p)
        {
            var rule = new FittedOptimumRule(RuleForm.Full, p[0], p[1], p[2], p[3], p[4], p[5], cells.Count);
            var b = new PooledBowl(rule, p[6], p[7], p[8], 0);
            double sum = 0;
            foreach (var (c, runs) in windowed)
            {
                var r = runs.Select(q => Math.Log(q.SmoothLoss) - b.Value(c.N, c.D, Math.Log(q.LearningRate), Math.Log(q.BatchTokens))).ToList();
                double level = r.Average();
                sum += r.Sum(v => (v - level) * (v - level));
            }
            return sum;
        }
        var r0 = bowl.Centre;
        double[] fitted = [r0.A, r0.B, r0.C, r0.Dc, r0.E, r0.F, bowl.Alpha, bowl.Beta, bowl.Gamma];
        double sse = Sse(fitted);
        for (int j = 0; j < fitted.Length; j++)
            foreach (double step in new[] { -1e-3, 1e-3 })
            {
                var moved = (double[])fitted.Clone();
                moved[j] += step * (j < 6 ? 1 : 0.01);
                Assert.True(Sse(moved) > sse, $"parameter {j} moved by {step}: {Sse(moved)} <= {sse}");
            }
    }

    [Fact]
    public void With_the_curvature_in_tokens_noise_free_runs_give_back_kappa_the_centre_and_the_curvature()
    {
        // Cells whose bowl is scaled by (D / 1e10)^-0.45 (the curvature falling with D as the Step Law cells' does).
        var options = OptimumOptions.Default with { BowlCurvatureInTokens = true };
        var bowl = PooledBowl.Fit(Sweep(0, kappa: 0.45), options)!;
        Assert.NotNull(bowl);
        Assert.Equal(0.45, bowl.CurvatureExponent, 6);
        Assert.Equal(-0.713, bowl.Centre.B, 5);
        Assert.Equal(0.307, bowl.Centre.C, 5);
        Assert.Equal(0.1, bowl.Centre.E, 5);
        Assert.Equal(0.571, bowl.Centre.F, 5);
        Assert.Equal(Alpha, bowl.Alpha, 7);
        Assert.Equal(Beta, bowl.Beta, 7);
        Assert.Equal(Gamma, bowl.Gamma, 7);
        // Value is the scaled bowl; the LR at a fixed batch does not depend on the scale.
        var (cx, cy) = bowl.Predict(3e8, 4e10);
        Assert.Equal(Math.Pow(4, -0.45) * Alpha, bowl.Value(3e8, 4e10, cx + 1, cy), 6);
        var flat = bowl with { CurvatureExponent = 0 };
        Assert.Equal(flat.ConditionalLnLearningRate(3e8, 4e10, cy + 0.5), bowl.ConditionalLnLearningRate(3e8, 4e10, cy + 0.5), 12);
    }

    [Fact]
    public void One_curvature_misreads_the_centres_of_cells_whose_curvature_falls_with_D_and_the_scaled_bowl_does_not()
    {
        // The same noise-free cells fitted with one curvature: the centre's D exponent is off; with the scale it is exact.
        var cells = Sweep(0, kappa: 0.45);
        var one = PooledBowl.Fit(cells)!;
        Assert.Equal(0, one.CurvatureExponent);
        Assert.True(Math.Abs(one.Centre.C - 0.307) > 1e-3, $"one curvature gave the D exponent {one.Centre.C}");
        var scaled = PooledBowl.Fit(cells, OptimumOptions.Default with { BowlCurvatureInTokens = true })!;
        Assert.True(Math.Abs(scaled.Centre.C - 0.307) < 1e-5);
    }

    [Fact]
    public void With_the_curvature_in_tokens_cells_of_one_curvature_give_kappa_near_zero_and_the_same_bowl()
    {
        var cells = Sweep(0);
        var one = PooledBowl.Fit(cells)!;
        var scaled = PooledBowl.Fit(cells, OptimumOptions.Default with { BowlCurvatureInTokens = true })!;
        Assert.Equal(0, scaled.CurvatureExponent, 6);
        Assert.Equal(one.Centre.B, scaled.Centre.B, 6);
        Assert.Equal(one.Centre.C, scaled.Centre.C, 6);
        Assert.Equal(one.Alpha, scaled.Alpha, 8);
        // Noisy cells: kappa stays inside the searched bound and the bowl keeps a minimum.
        var noisy = PooledBowl.Fit(Sweep(0.001), OptimumOptions.Default with { BowlCurvatureInTokens = true })!;
        Assert.InRange(noisy.CurvatureExponent, -PooledBowl.MaxCurvatureExponent, PooledBowl.MaxCurvatureExponent);
        Assert.True(noisy.Alpha > 0 && 4 * noisy.Alpha * noisy.Gamma > noisy.Beta * noisy.Beta);
    }

    [Fact]
    public void A_concave_surface_has_no_bowl()
    {
        var cells = Cells.Select(c => SyntheticSweep.Cell(c.N, c.D, 1e-3, 256, 3, 3, (x, y) => 3 - 0.001 * (x + 7) * (x + 7) - 0.001 * (y - 13) * (y - 13))).ToList();
        Assert.Null(PooledBowl.Fit(cells));
    }

    [Fact]
    public void Too_few_cells_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => PooledBowl.Fit([.. Sweep(0).Take(3)]));
        Assert.Contains("at least 4", e.Message, StringComparison.Ordinal);
    }
}
