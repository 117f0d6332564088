namespace HyperLaws.SizeLaws;

/// <summary>A fitted Chinchilla law: the law, the Huber objective at the optimum and how many starts were run.</summary>
public sealed record ChinchillaFit(ChinchillaLaw Law, double Objective, int Starts, int Points)
{
    /// <summary>Root mean square of ln L_hat - ln L over the fitted points.</summary>
    public double RmsLogResidual { get; init; }
}
