using HyperLaws.Optimum;
using Xunit;

namespace HyperLaws.Tests.Optimum;

public sealed class OptimumRulesTests
{
    // (N, D) pairs spread like the Step Law grid's 17 cells.
    private static readonly (double N, double D)[] Cells =
    [
        (2.1e8, 4e9), (2.1e8, 1.1e10), (2.1e8, 2e10), (2.1e8, 1e11), (2.7e8, 5e9), (2.7e8, 1.4e10), (2.7e8, 8e10),
        (4.3e8, 8e9), (4.3e8, 2.3e10), (4.3e8, 5e10), (5.4e8, 1e10), (5.4e8, 2.8e10), (1.1e9, 2e10), (1.1e9, 5.7e10),
    ];

    private static CellOptimum Optimum(double n, double d, double lnLr, double lnB) =>
        new(n, d, lnLr, lnB, "test", 1, 2, new HyperLaws.Runs.SweepPoint(n, d, 1, 1, 1, 1, 2, 2, "x"));

    [Fact]
    public void The_fitted_rule_recovers_known_exponents()
    {
        // eta* = 1.79 N^-0.713 D^0.307 and B* = 0.4 N^0.1 D^0.571 exactly.
        var optima = Cells.Select(c => Optimum(c.N, c.D, Math.Log(1.79) - 0.713 * Math.Log(c.N) + 0.307 * Math.Log(c.D),
            Math.Log(0.4) + 0.1 * Math.Log(c.N) + 0.571 * Math.Log(c.D))).ToList();
        var rule = FittedOptimumRule.Fit(optima);
        Assert.Equal(-0.713, rule.B, 9);
        Assert.Equal(0.307, rule.C, 9);
        Assert.Equal(1.79, rule.LearningRatePrefactor, 6);
        Assert.Equal(0.1, rule.E, 9);
        Assert.Equal(0.571, rule.F, 9);
        Assert.Equal(0.4, rule.BatchPrefactor, 6);
        Assert.Equal(Cells.Length, rule.Cells);
        var (lr, b) = rule.Predict(7e8, 3e10);
        Assert.Equal(Math.Log(1.79) - 0.713 * Math.Log(7e8) + 0.307 * Math.Log(3e10), lr, 9);
        Assert.Equal(Math.Log(0.4) + 0.1 * Math.Log(7e8) + 0.571 * Math.Log(3e10), b, 9);
    }

    [Fact]
    public void The_step_law_form_has_no_model_size_term_in_the_batch()
    {
        var optima = Cells.Select(c => Optimum(c.N, c.D, -0.5 * Math.Log(c.N), Math.Log(0.58) + 0.571 * Math.Log(c.D))).ToList();
        var rule = FittedOptimumRule.Fit(optima, RuleForm.StepLaw);
        Assert.Equal(0, rule.E);
        Assert.Equal(0.571, rule.F, 9);
        Assert.Equal(0.58, rule.BatchPrefactor, 6);
        Assert.Equal(-0.5, rule.B, 9);
    }

    [Fact]
    public void Too_few_or_degenerate_cells_are_rejected()
    {
        var three = Cells.Take(3).Select(c => Optimum(c.N, c.D, 0, 0)).ToList();
        Assert.Contains("at least 4", Assert.Throws<ArgumentException>(() => FittedOptimumRule.Fit(three)).Message, StringComparison.Ordinal);
        // Every cell on D = 100 N: ln N and ln D are collinear.
        var collinear = new[] { 1e8, 2e8, 4e8, 8e8 }.Select(n => Optimum(n, 100 * n, 0, 0)).ToList();
        Assert.Throws<ArgumentException>(() => FittedOptimumRule.Fit(collinear));
    }

    [Fact]
    public void A_size_range_too_narrow_for_an_exponent_is_refused()
    {
        // N within x1.5 (D well spread): the N exponent would be fitted to noise.
        var narrow = new[] { (1e8, 1e9), (1.2e8, 4e9), (1.5e8, 2e10), (1.1e8, 8e10), (1.4e8, 3e9) }
            .Select(c => Optimum(c.Item1, c.Item2, -0.7 * Math.Log(c.Item1) + 0.3 * Math.Log(c.Item2), 0.5 * Math.Log(c.Item2))).ToList();
        string message = Assert.Throws<ArgumentException>(() => FittedOptimumRule.Fit(narrow)).Message;
        Assert.Contains("model sizes N span only 1E+08 to 1.5E+08 (x1.5): too narrow to fit an exponent in N", message, StringComparison.Ordinal);
        // The same cells with the sizes spread x4 fit.
        var spread = narrow.Select((o, i) => Optimum(o.N * (i % 2 == 0 ? 1 : 4), o.D, o.LnLearningRate, o.LnBatchTokens)).ToList();
        Assert.Equal(5, FittedOptimumRule.Fit(spread).Cells);
    }

    [Fact]
    public void Step_law_and_deepseek_reproduce_their_formulas_at_a_known_point()
    {
        // By hand (Python, float64) at N = 1e9, D = 1e11: Step Law eta* = 1.79 * 1e9^-0.713 * 1e11^0.307
        // = 1.6324994e-3, B* = 0.58 * 1e11^0.571 = 1.1077149e6 tokens; DeepSeek with C = 6 N D = 6e20:
        // eta* = 0.3118 * 6e20^-0.125 = 7.8814696e-4, B* = 0.292 * 6e20^0.3271 = 1.8277472e6 tokens.
        var (slLr, slB) = StepLawRule.Instance.Predict(1e9, 1e11);
        Property.Near(1.6324994e-3, Math.Exp(slLr), 1e-7, "Step Law eta*");
        Property.Near(1.1077149e6, Math.Exp(slB), 1e-7, "Step Law B*");
        var (dsLr, dsB) = DeepSeekRule.Instance.Predict(1e9, 1e11);
        Property.Near(7.8814696e-4, Math.Exp(dsLr), 1e-7, "DeepSeek eta*");
        Property.Near(1.8277472e6, Math.Exp(dsB), 1e-7, "DeepSeek B*");
    }
}
