namespace HyperLaws.Planning;

/// <summary>A prediction interval of a final loss: [<see cref="Lower"/>, <see cref="Upper"/>] at <see cref="Level"/> (NaN ends: none).</summary>
/// <param name="Lower">Lower end.</param>
/// <param name="Upper">Upper end.</param>
/// <param name="Level">The nominal coverage (e.g. 0.9), NaN when the interval has none (a worst held-out error).</param>
public sealed record LossInterval(double Lower, double Upper, double Level)
{
    /// <summary>No interval: both ends and the level NaN.</summary>
    public static LossInterval None { get; } = new(double.NaN, double.NaN, double.NaN);

    /// <summary>True when both ends are finite.</summary>
    public bool Known => double.IsFinite(Lower) && double.IsFinite(Upper);
}
