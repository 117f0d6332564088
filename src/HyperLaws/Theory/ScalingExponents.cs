namespace HyperLaws.Theory;

/// <summary>
/// Power-law exponents of a regime's optimum in the budget, for the budget-transfer rules and the
/// verification sweep (../shared/docs/lmo-scaling.md). In regime A the budget is K (b fixed, so T ~ K).
/// </summary>
/// <param name="Batch">d ln b* / d ln T.</param>
/// <param name="Alpha">d ln alpha* / d ln T (alpha = 1 - beta).</param>
/// <param name="LearningRate">d ln eta* / d ln T.</param>
/// <param name="Proxy">d ln P* / d ln T; for regime A and the fixed-LR curve, of P* minus its floor.</param>
public sealed record ScalingExponents(double Batch, double Alpha, double LearningRate, double Proxy)
{
    /// <summary>The regime's exponents (../shared/docs/lmo-scaling.md); <paramref name="ridgeExponent"/> is the batch-growth exponent c of the ridge regime.</summary>
    public static ScalingExponents For(TuningRegime regime, double ridgeExponent = 0) => regime switch
    {
        TuningRegime.LrOnly => new(0, 0, -0.5, -0.5),
        TuningRegime.FixedMomentum => new(0.5, 0, -0.25, -0.25),
        TuningRegime.FixedBatch => new(0, -0.5, -0.75, -0.25),
        TuningRegime.Joint => new(1.0 / 6, -1.0 / 3, -7.0 / 12, -0.25),
        TuningRegime.Ridge => new(ridgeExponent, ridgeExponent - 0.5, ridgeExponent - 0.75, -0.25),
        // b* ~ T^(2/3) once the s^3 term dominates; P - C2 eta (ca/alpha + cb) ~ T^(-1/3).
        TuningRegime.FixedLearningRate => new(2.0 / 3, 0, 0, -1.0 / 3),
        _ => throw new ArgumentOutOfRangeException(nameof(regime)),
    };
}
