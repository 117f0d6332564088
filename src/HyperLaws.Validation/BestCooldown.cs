namespace HyperLaws.Validation;

/// <summary>
/// The best linear cooldown fraction of one (LR, horizon) cell, predicted and actual, among every linear
/// WSD run of the cell (the training fraction included, at its in-sample value).
/// </summary>
/// <param name="Regret">Actual final loss of the predicted fraction minus the best actual final loss (0 when right).</param>
public sealed record BestCooldown(double Lr, int Horizon, double Predicted, double Actual, double Regret, int Candidates)
{
    /// <summary>True when the predicted best fraction is the actual best one.</summary>
    public bool Hit => Predicted == Actual;
}
