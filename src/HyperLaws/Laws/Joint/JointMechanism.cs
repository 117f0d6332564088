namespace HyperLaws.Laws.Joint;

/// <summary>
/// Which LR-cost mechanisms of <see cref="JointLaw"/> are switched on (shared/docs/schedule-laws.md, "The LR axis").
/// A mechanism that is off has its parameter held at zero (kappa = 0: no saturation; C = 0: no cost term).
/// </summary>
/// <param name="Saturation">Saturating progress: intrinsic time tau = sum eta/(1 + kappa eta), kappa fitted.</param>
/// <param name="Cost">The descent-lemma cost C z^c K(t), K = sum eta^2 / sum eta (Schaipp et al.'s convex bound), C fitted.</param>
public sealed record JointMechanism(bool Saturation, bool Cost)
{
    /// <summary>Both mechanisms.</summary>
    public static JointMechanism Full { get; } = new(true, true);

    /// <summary>
    /// The candidates cross-validation chooses from, in a fixed order (ties go to the earlier one): both, the
    /// cost alone, saturation alone, neither (progress and noise only, the structure of the existing laws).
    /// </summary>
    public static IReadOnlyList<JointMechanism> Candidates { get; } = [Full, new(false, true), new(true, false), new(false, false)];

    /// <summary>"saturation+cost", "cost", "saturation" or "none".</summary>
    public string Name => (Saturation, Cost) switch
    {
        (true, true) => "saturation+cost",
        (false, true) => "cost",
        (true, false) => "saturation",
        _ => "none",
    };

    /// <summary>The mechanism of a <see cref="Name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static JointMechanism Parse(string name) =>
        Candidates.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown mechanism '{name}' (known: {string.Join(", ", Candidates.Select(m => m.Name))}).");

    /// <summary>The mechanism's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
