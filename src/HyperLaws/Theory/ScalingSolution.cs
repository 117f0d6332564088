namespace HyperLaws.Theory;

/// <summary>
/// A regime solved two ways: the closed form (the theorem) and the numerical optimum (the proxy
/// minimised by search), with the point to use, its validity, and warnings for a person to read.
/// </summary>
/// <param name="Problem">What was solved.</param>
/// <param name="Constants">The proxy constants used (rho folded into C3).</param>
/// <param name="ClosedForm">The closed-form optimum.</param>
/// <param name="ClosedFormExact">True when the closed form is exact for this proxy, false when it is leading order.</param>
/// <param name="Numerical">The numerical optimum.</param>
/// <param name="NumericalEvaluations">Proxy evaluations the search spent.</param>
/// <param name="Conditions">Active constraints and special cases of the closed form.</param>
/// <param name="Valid">False when the regime's scaling law does not apply (alpha clipped at 1).</param>
/// <param name="Warnings">One line each, for people.</param>
public sealed record ScalingSolution(
    ScalingProblem Problem,
    ProxyConstants Constants,
    HyperparameterPoint ClosedForm,
    bool ClosedFormExact,
    HyperparameterPoint Numerical,
    int NumericalEvaluations,
    SolutionConditions Conditions,
    bool Valid,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// The recommended point: the numerical optimum (exact for the proxy), except on a flat ridge,
    /// where the search's argmin is arbitrary and the closed form's representative point is reported.
    /// </summary>
    public HyperparameterPoint Recommended =>
        Conditions.HasFlag(SolutionConditions.FlatRidge) ? ClosedForm : Numerical;

    /// <summary>|P_closed - P_numerical| / P_numerical.</summary>
    public double ProxyGap => ClosedForm.RelativeProxyGap(Numerical);

    /// <summary>Largest relative gap of eta, alpha, b between closed form and numerical optimum.</summary>
    public double ArgumentGap => ClosedForm.MaxRelativeArgumentGap(Numerical);
}
