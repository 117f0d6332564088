namespace HyperLaws.Theory.Verification;

/// <summary>A fitted log-log exponent of one quantity of one curve, next to the theory's value.</summary>
/// <param name="Curve">The curve's name.</param>
/// <param name="Quantity">"batch", "alpha", "eta" or "proxy" (proxy minus its floor where the curve has one).</param>
/// <param name="Theory">The exponent the theory predicts.</param>
/// <param name="ClosedForm">Exponent fitted to the closed-form optima.</param>
/// <param name="Numerical">Exponent fitted to the numerical optima.</param>
/// <param name="FromTokens">First budget of the fit window.</param>
/// <param name="ToTokens">Last budget of the fit window.</param>
/// <param name="Points">Budgets in the window.</param>
/// <param name="Passed">Both fits within the tolerance of the theory.</param>
public sealed record ExponentCheck(
    string Curve, string Quantity, double Theory, double ClosedForm, double Numerical,
    double FromTokens, double ToTokens, int Points, bool Passed);
