namespace HyperLaws.Planning.Sweeps;

/// <summary>The compute of a sweep against the target run's.</summary>
/// <param name="Tokens">Tokens of all runs together.</param>
/// <param name="Flops">6 N D summed over the runs.</param>
/// <param name="TargetFlops">6 N T of the target run.</param>
/// <param name="MaxFraction">The threshold above which the sweep is flagged.</param>
public sealed record SweepCost(double Tokens, double Flops, double TargetFlops, double MaxFraction)
{
    /// <summary>The sweep's compute as a fraction of the target run's.</summary>
    public double Fraction => Flops / TargetFlops;

    /// <summary>Whether the sweep's compute is above <see cref="MaxFraction"/> of the target run's.</summary>
    public bool Exceeds => Fraction > MaxFraction;
}
