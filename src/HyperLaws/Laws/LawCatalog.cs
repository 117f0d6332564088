using HyperLaws.Fitting;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Laws;

/// <summary>The laws available by name: "optlaw", "mpl", "tissue", "convex", "joint" (the joint law over schedule, peak LR, N and D).</summary>
public static class LawCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["optlaw", "mpl", "tissue", "convex", "joint"];

    public static IFittableLaw Create(string name) => name.ToLowerInvariant() switch
    {
        "optlaw" => new OptLaw(),
        "mpl" => new MultiPowerLaw(),
        "tissue" => new AnnealingLaw(),
        "convex" => new ConvexBoundLaw(),
        "joint" => new JointLaw(),
        _ => throw new ArgumentException($"unknown law '{name}' (known: {string.Join(", ", Names)})."),
    };
}
