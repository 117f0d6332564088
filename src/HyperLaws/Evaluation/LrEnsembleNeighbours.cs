namespace HyperLaws.Evaluation;

/// <summary>
/// Where <c>ensemble-lr-near</c> takes a candidate at a peak LR without runs from (<see cref="LrEnsemble.Neighbours"/>): the seen LRs
/// that bracket it, the weight of the upper one in the interpolation in log LR, and the seen LR in whose class it is ranked.
/// </summary>
/// <param name="Lower">The seen LR below it (the nearest seen LR when it lies outside the seen range).</param>
/// <param name="Upper">The seen LR above it (equal to <paramref name="Lower"/> outside the seen range).</param>
/// <param name="UpperWeight">w = ln(lr / Lower) / ln(Upper / Lower) between the two; 0 outside the seen range.</param>
/// <param name="Joined">The nearer of the two in log LR (a tie: the lower), the class it is ranked in.</param>
public sealed record LrEnsembleNeighbours(double Lower, double Upper, double UpperWeight, double Joined)
{
    /// <summary>(1 - w) <paramref name="lower"/> + w <paramref name="upper"/>; one value alone where its weight is 1; NaN where a weighted value is NaN.</summary>
    public double Interpolate(double lower, double upper) => UpperWeight switch
    {
        0 => lower,
        1 => upper,
        var w => (1 - w) * lower + w * upper,
    };
}
