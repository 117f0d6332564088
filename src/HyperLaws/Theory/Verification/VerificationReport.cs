namespace HyperLaws.Theory.Verification;

/// <summary>Everything the verification sweep found, for printing, JSON and figures.</summary>
/// <param name="Options">The sweep's settings.</param>
/// <param name="Curves">Each regime's optimum per budget.</param>
/// <param name="Checks">Fitted exponents against the theory.</param>
/// <param name="Ridge">Excess of each ridge path over the joint optimum.</param>
/// <param name="Contour">Best proxy over (batch, iterations) at fixed alpha.</param>
/// <param name="LargestProxyGap">Largest |P_closed - P_numerical| / P_numerical over every solution.</param>
/// <param name="LargestExactArgumentGap">Largest relative gap in (eta, alpha, b) where the closed form is exact.</param>
public sealed record VerificationReport(
    VerificationOptions Options,
    IReadOnlyList<RegimeCurve> Curves,
    IReadOnlyList<ExponentCheck> Checks,
    IReadOnlyList<RidgeExcess> Ridge,
    ProxyContour Contour,
    double LargestProxyGap,
    double LargestExactArgumentGap)
{
    /// <summary>Whether every exponent check passed.</summary>
    public bool AllPassed => Checks.All(c => c.Passed);
}
