namespace HyperLaws.Theory.Verification;

/// <summary>
/// Cost of following a ridge path b ~ T^c instead of the joint optimum (Corollary 2, Remark 4):
/// the relative excess P_path / P_joint - 1 at each budget (a number, not a claim).
/// </summary>
public sealed record RidgeExcess(double Exponent, IReadOnlyList<double> Tokens, IReadOnlyList<double> RelativeExcess)
{
    /// <summary>The relative excess at the sweep's largest budget.</summary>
    public double AtLargestBudget => RelativeExcess[^1];
}
