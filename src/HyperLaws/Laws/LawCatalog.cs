using HyperLaws.Fitting;

namespace HyperLaws.Laws;

/// <summary>The laws available by name: "optlaw", "mpl", "tissue", "convex".</summary>
public static class LawCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["optlaw", "mpl", "tissue", "convex"];

    public static IFittableLaw Create(string name) => name.ToLowerInvariant() switch
    {
        "optlaw" => new OptLaw(),
        "mpl" => new MultiPowerLaw(),
        "tissue" => new AnnealingLaw(),
        "convex" => new ConvexBoundLaw(),
        _ => throw new ArgumentException($"unknown law '{name}' (known: {string.Join(", ", Names)})."),
    };
}
