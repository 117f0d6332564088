using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// The MPL drop-shape variants of protocol 3 (docs/VALIDATION.md, "Protocol 3: ranking cooldowns after training on long ones",
/// helper p3rank): "mpl-pub" (C, beta, gamma held at the published means), "mpl-log" (beta held at its log limit) and "mpl-g1"
/// (gamma at most 1).
/// </summary>
public sealed class MplShapeVariantTests
{
    private static readonly double[] Truth = [.. MultiPowerLaw.Published["100M"]];

    private static FitTarget[] Curves(double[] truth) =>
    [
        SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(4000, 0), "constant", 0, 1),
        SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(4000, 0.2), "wsd-0.2", 0, 2),
        SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(3000, 0.5), "wsd-0.5", 0, 3),
    ];

    [Theory]
    [InlineData("mpl-pub")]
    [InlineData("mpl-log")]
    [InlineData("mpl-g1")]
    public void The_variants_are_named_options_of_the_catalogue_not_defaults(string name)
    {
        var law = Assert.IsType<MultiPowerLaw>(LawCatalog.Create(name));
        Assert.Equal(name, law.Name);
        Assert.NotNull(law.Bounds);
        Assert.Contains(name, LawCatalog.All);
        Assert.DoesNotContain(name, LawCatalog.Names);
        Assert.Equal("mpl", new MultiPowerLaw().Name);
        Assert.Equal("mpl-box", LawCatalog.Create("mpl-box").Name);
    }

    [Fact]
    public void Mpl_pub_fits_l0_a_alpha_b_and_holds_the_shape_at_the_published_means()
    {
        var law = (MultiPowerLaw)LawCatalog.Create("mpl-pub");
        var fit = LawFitter.Fit(law, Curves(Truth));
        foreach (int j in (int[])[MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma])
            Assert.Equal(MultiPowerLaw.Published.Values.Average(p => p[j]), fit.Parameters[j]);
        // The published means are within 5% of the 100M fit, so L0, A, alpha, B fit the 100M curves closely.
        Assert.True(fit.Objective < 1e-7, $"objective {fit.Objective}");
        Assert.Equal(Truth[MultiPowerLaw.L0], fit.Parameters[MultiPowerLaw.L0], 0.02);
    }

    [Fact]
    public void Mpl_log_is_the_log_limit_of_the_drop()
    {
        // B beta held: B G(x) -> B beta ln(1 + C x) as beta -> 0. Exact sums (tolerance 0) against the limit summed term by term.
        var exact = new MultiPowerLaw(tolerance: 0);
        double bBeta = 300, c = 2.0, gamma = 0.6;
        var lr = SyntheticCurves.Wsd(3000, 0.4);
        var h = new ScheduleHistory(lr);
        int[] steps = [500, 1800, 2400, 3000];
        double[] limit = new double[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            int t = steps[i];
            double drop = 0;
            for (int k = 1; k <= t; k++)
            {
                double previous = k == 1 ? 0 : lr[k - 2];
                double eta = lr[k - 1];
                double s = 0;
                for (int j = k; j <= t; j++) s += lr[j - 1];
                drop += (previous - eta) * (eta > 0 ? Math.Log(1 + c * Math.Pow(eta, -gamma) * s) : 0);
            }
            limit[i] = 3.0 + 0.5 * Math.Pow(h.S1(t), -0.45) - bBeta * drop;
        }
        double previousGap = double.PositiveInfinity;
        foreach (double beta in (double[])[1e-4, MplShapeBox.LogLimitBeta, 1e-8])
        {
            var y = new double[steps.Length];
            exact.Predict([3.0, 0.5, 0.45, bBeta / beta, c, beta, gamma], h, steps, y);
            double gap = steps.Select((_, i) => Math.Abs(y[i] - limit[i])).Max();
            Assert.True(gap < previousGap, $"beta {beta}: gap {gap} not below {previousGap}");
            previousGap = gap;
            if (beta == MplShapeBox.LogLimitBeta)
            {
                // Within beta ln(1 + C x) / 2 of the limit's drop (relative): 2e-5 covers C x up to 1e17.
                double scale = steps.Select((_, i) => Math.Abs(limit[i] - 3.0 - 0.5 * Math.Pow(h.S1(steps[i]), -0.45))).Max();
                Assert.True(gap <= 2e-5 * scale + 1e-12, $"gap {gap}, drop {scale}");
            }
        }
    }

    [Fact]
    public void Mpl_log_derivatives_match_finite_differences_at_the_limit()
    {
        var law = new MultiPowerLaw(tolerance: 0);
        double[] p = [3.0, 0.5, 0.45, 300 / MplShapeBox.LogLimitBeta, 2.0, MplShapeBox.LogLimitBeta, 0.6];
        var h = new ScheduleHistory(SyntheticCurves.Wsd(2000, 0.5));
        int[] steps = [1200, 1600, 2000];
        var y = new double[steps.Length];
        var g = new double[steps.Length * 7];
        law.PredictWithGradient(p, h, steps, y, g);
        foreach (int j in (int[])[MultiPowerLaw.B, MultiPowerLaw.C, MultiPowerLaw.Gamma])
        {
            var numeric = CentralDifference.Of(law, p, h, steps, j, 1e-5 * Math.Abs(p[j]));
            for (int i = 0; i < steps.Length; i++)
                Assert.Equal(numeric[i], g[i * 7 + j], Math.Max(1e-12, 1e-5 * Math.Abs(numeric[i])));
        }
    }

    [Fact]
    public void Starts_keep_b_beta_when_the_box_moves_beta_and_do_not_move_otherwise()
    {
        var targets = Curves(Truth);
        var plain = new MultiPowerLaw().StartingPoints(targets);
        var boxed = LawCatalog.Create("mpl-box").StartingPoints(targets);
        var log = LawCatalog.Create("mpl-log").StartingPoints(targets);
        Assert.Equal(plain.Count, log.Count);
        for (int s = 0; s < plain.Count; s++)
        {
            Assert.Equal(plain[s], boxed[s]);
            Assert.Equal(MplShapeBox.LogLimitBeta, log[s][MultiPowerLaw.Beta]);
            Assert.Equal(plain[s][MultiPowerLaw.B] * plain[s][MultiPowerLaw.Beta], log[s][MultiPowerLaw.B] * log[s][MultiPowerLaw.Beta], 1e-9 * plain[s][MultiPowerLaw.B]);
            Assert.Equal(plain[s][MultiPowerLaw.C], log[s][MultiPowerLaw.C]);
        }
    }

    [Fact]
    public void Mpl_log_fits_a_log_limit_law_and_keeps_beta_held()
    {
        double[] truth = [3.0, 0.5, 0.45, 250 / MplShapeBox.LogLimitBeta, 1.5, MplShapeBox.LogLimitBeta, 0.55];
        var fit = LawFitter.Fit(LawCatalog.Create("mpl-log"), Curves(truth));
        Assert.Equal(MplShapeBox.LogLimitBeta, fit.Parameters[MultiPowerLaw.Beta]);
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
    }

    [Fact]
    public void Mpl_g1_keeps_gamma_at_most_one_where_the_free_fit_goes_above()
    {
        // Curves drawn with gamma = 3 (outside the bound): the free fit recovers it, mpl-g1 stays at or below 1.
        double[] truth = [.. Truth];
        truth[MultiPowerLaw.Gamma] = 3;
        truth[MultiPowerLaw.C] = 1e-6;
        var curves = Curves(truth);
        var free = LawFitter.Fit(new MultiPowerLaw(), curves);
        var bounded = LawFitter.Fit(LawCatalog.Create("mpl-g1"), curves);
        Assert.True(free.Parameters[MultiPowerLaw.Gamma] > 1, $"free gamma {free.Parameters[MultiPowerLaw.Gamma]}");
        Assert.InRange(bounded.Parameters[MultiPowerLaw.Gamma], 0, MplShapeBox.MaxGamma);
        Assert.True(bounded.Objective >= free.Objective * (1 - 1e-9));
        // Within the bound (the published gamma 0.66) the bound changes nothing.
        var inside = LawFitter.Fit(LawCatalog.Create("mpl-g1"), Curves(Truth));
        Assert.True(inside.Objective < 1e-8, $"objective {inside.Objective}");
    }
}
