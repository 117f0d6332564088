using HyperLaws.Laws.Joint;

namespace HyperLaws.Laws;

/// <summary>
/// The laws available by name: "optlaw", "mpl", "tissue", "convex" (<see cref="Names"/>, the default set of the
/// commands that take a list of laws) and "joint" (the joint law over schedule, peak LR, N and D; asked for by name).
/// </summary>
public static class LawCatalog
{
    /// <summary>The laws run when a command is given no list.</summary>
    public static IReadOnlyList<string> Names { get; } = ["optlaw", "mpl", "tissue", "convex"];

    /// <summary>
    /// Every law <see cref="Create"/> knows: <see cref="Names"/>, "joint" and "mpl-box" (MPL fitted with its drop shape C, beta,
    /// gamma bounded to a decade of the published fits' means, <see cref="MplShapeBox"/>; an option, asked for by name) and "mpl-pub"
    /// (MPL with C, beta and gamma held at those means, only L0, A, alpha and B fitted), "mpl-log" (beta held at its log limit) and
    /// "mpl-g1" (gamma at most 1): options, asked for by name (<see cref="MplShapeBox"/>; docs/VALIDATION.md, helper p3rank); and
    /// "tissue-p" (<see cref="AnnealingPowerLaw"/>: the LR-annealing law with a fitted power p of the LR in its progress clock).
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [.. Names, "joint", "mpl-box", "mpl-pub", "mpl-log", "mpl-g1", "tissue-p"];

    /// <summary>A new law by name (case-insensitive): one of <see cref="All"/>.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static IFittableLaw Create(string name) => name.ToLowerInvariant() switch
    {
        "optlaw" => new OptLaw(),
        "mpl" => new MultiPowerLaw(),
        "tissue" => new AnnealingLaw(),
        "tissue-p" => new AnnealingPowerLaw(),
        "convex" => new ConvexBoundLaw(),
        "joint" => new JointLaw(),
        "mpl-box" => new MultiPowerLaw { Bounds = MplShapeBox.Create(MplShapeBox.Factor) },
        "mpl-pub" => new MultiPowerLaw { Bounds = MplShapeBox.Create(MplShapeBox.PinnedFactor), Label = "mpl-pub" },
        "mpl-log" => new MultiPowerLaw { Bounds = MplShapeBox.With(new Dictionary<int, (double, double)> { [MultiPowerLaw.Beta] = (MplShapeBox.LogLimitBeta, MplShapeBox.LogLimitBeta) }), Label = "mpl-log" },
        "mpl-g1" => new MultiPowerLaw { Bounds = MplShapeBox.With(new Dictionary<int, (double, double)> { [MultiPowerLaw.Gamma] = (double.NegativeInfinity, MplShapeBox.MaxGamma) }), Label = "mpl-g1" },
        _ => throw new ArgumentException($"unknown law '{name}' (known: {string.Join(", ", All)})."),
    };
}
