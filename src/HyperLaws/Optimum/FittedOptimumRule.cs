namespace HyperLaws.Optimum;

/// <summary>
/// Our rule, ln eta* = a + b ln N + c ln D, ln B*_tokens = d + e ln N + f ln D (e = 0 in the Step Law form),
/// fitted by ordinary least squares to per-cell optima (one point per cell, equal weights).
/// </summary>
public sealed record FittedOptimumRule(RuleForm Form, double A, double B, double C, double Dc, double E, double F, int Cells) : IOptimumRule
{
    /// <inheritdoc/>
    public string Name => Form == RuleForm.Full ? "fitted" : "fitted (Step Law form)";

    /// <inheritdoc/>
    public (double LnLearningRate, double LnBatchTokens) Predict(double n, double d) =>
        (A + B * Math.Log(n) + C * Math.Log(d), Dc + E * Math.Log(n) + F * Math.Log(d));

    /// <summary>eta* = exp(A) N^B D^C.</summary>
    public double LearningRatePrefactor => Math.Exp(A);

    /// <summary>B* = exp(Dc) N^E D^F tokens.</summary>
    public double BatchPrefactor => Math.Exp(Dc);

    /// <summary>Fits the rule by ordinary least squares of ln eta* and ln B* on (ln N, ln D) over the cells' optima, one equally weighted point per cell.</summary>
    /// <param name="optima">The per-cell optima (<see cref="CellOptimumEstimator"/>).</param>
    /// <param name="form">Full (batch in N and D) or Step Law's form (batch in D only, e = 0).</param>
    public static FittedOptimumRule Fit(IReadOnlyList<CellOptimum> optima, RuleForm form = RuleForm.Full)
    {
        ArgumentNullException.ThrowIfNull(optima);
        if (optima.Count < 4) throw new ArgumentException($"fitting the optimum rule needs at least 4 (N, D) cells, found {optima.Count}.");
        // An exponent needs a spread to be fitted on: over sizes within a factor 2 of each other the slope is fitted to
        // noise (issue 11: a rule fitted on a degenerate N range printed eta* = 8.835E+218 N^-24.0). Refused, naming the range.
        RequireSpread("model sizes N", optima.Select(o => o.N));
        RequireSpread("token budgets D", optima.Select(o => o.D));
        // Centred logs keep the normal equations well conditioned; the intercepts are shifted back below.
        double mn = optima.Average(o => Math.Log(o.N)), md = optima.Average(o => Math.Log(o.D));
        var rows = optima.Select(o => new[] { 1, Math.Log(o.N) - mn, Math.Log(o.D) - md }).ToList();
        var lr = LinearLeastSquares.Solve(rows, optima.Select(o => o.LnLearningRate).ToList())
            ?? throw new ArgumentException("the cells do not vary independently in N and D: cannot fit ln eta* = a + b ln N + c ln D.");
        double[] bs;
        if (form == RuleForm.Full)
        {
            bs = LinearLeastSquares.Solve(rows, optima.Select(o => o.LnBatchTokens).ToList())
                ?? throw new ArgumentException("the cells do not vary independently in N and D: cannot fit ln B* = d + e ln N + f ln D.");
        }
        else
        {
            var b2 = LinearLeastSquares.Solve(rows.Select(r => new[] { r[0], r[2] }).ToList(), optima.Select(o => o.LnBatchTokens).ToList())
                ?? throw new ArgumentException("the cells do not vary in D: cannot fit ln B* = d + f ln D.");
            bs = [b2[0], 0, b2[1]];
        }
        return new FittedOptimumRule(form, lr[0] - lr[1] * mn - lr[2] * md, lr[1], lr[2], bs[0] - bs[1] * mn - bs[2] * md, bs[1], bs[2], optima.Count);
    }

    /// <summary>The smallest ratio max/min of N and of D over the cells that a rule is fitted on.</summary>
    public const double MinimumSpread = 2;

    internal static void RequireSpread(string what, IEnumerable<double> values)
    {
        var list = values.ToList();
        double lo = list.Min(), hi = list.Max();
        if (hi < MinimumSpread * lo)
            throw new ArgumentException(FormattableString.Invariant(
                $"the cells' {what} span only {lo:G3} to {hi:G3} (x{hi / lo:0.###}): too narrow to fit an exponent in {what.Split(' ')[^1]} (needs a factor {MinimumSpread:G} or more); add cells of other sizes."));
    }
}
