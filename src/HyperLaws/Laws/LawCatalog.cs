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
    /// gamma bounded to a decade of the published fits' means, <see cref="MplShapeBox"/>; an option, asked for by name).
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [.. Names, "joint", "mpl-box"];

    /// <summary>A new law by name (case-insensitive): one of <see cref="All"/>.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static IFittableLaw Create(string name) => name.ToLowerInvariant() switch
    {
        "optlaw" => new OptLaw(),
        "mpl" => new MultiPowerLaw(),
        "tissue" => new AnnealingLaw(),
        "convex" => new ConvexBoundLaw(),
        "joint" => new JointLaw(),
        "mpl-box" => new MultiPowerLaw { Bounds = MplShapeBox.Create(MplShapeBox.Factor) },
        _ => throw new ArgumentException($"unknown law '{name}' (known: {string.Join(", ", All)})."),
    };
}
