using System.Text;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Architecture;

/// <summary>
/// The core's folders form layers: the folder dependency graph of the compiled HyperLaws.Core assembly
/// (<see cref="FolderDependencyGraph"/>, nodes = top-level folders under src/HyperLaws, so Laws/Joint counts
/// as Laws) has no cycle. A failure prints the cycle and, for each of its edges, the types that carry it.
/// </summary>
public sealed class CoreLayeringTests(ITestOutputHelper output)
{
    private static readonly Lazy<FolderDependencyGraph> Graph = new(() =>
        FolderDependencyGraph.Read(typeof(ILossLaw).Assembly.Location, "HyperLaws", depth: 1));

    [Fact]
    public void TopLevelFolders_DependOnEachOtherWithoutCycles()
    {
        var graph = Graph.Value;
        var cycle = graph.FindCycle();
        if (cycle is not null) Assert.Fail(Describe(graph, cycle));
        foreach (var layer in graph.Layers().Select((nodes, i) => (nodes, i)))
        {
            output.WriteLine($"layer {layer.i}: {string.Join(", ", layer.nodes)}");
        }
    }

    /// <summary>The intended layers, bottom first: a folder may depend only on folders of lower layers.</summary>
    private static readonly string[][] DeclaredLayers =
    [
        ["Numerics", "Platform", "Runs"],
        ["Schedules", "Optimum"], // Optimum: LR/batch rules fitted on final-loss tables (Step Law's eta_ref, which the LR-axis prior measures LRs against)
        ["Laws"], // the laws, their fitting capabilities (IFittableLaw, FitTarget, FitOptions, LawFit) and LawFitter
        ["Fitting", "Evaluation", "ScheduleOptimization"], // bootstrap/intervals/law documents; scoring and selection
        ["Divergence", "SizeLaws", "Theory"],
        ["Planning"],
    ];

    [Fact]
    public void EveryDependency_PointsToALowerDeclaredLayer()
    {
        var rank = DeclaredLayers.SelectMany((names, i) => names.Select(n => (n, i))).ToDictionary(x => x.n, x => x.i);
        var undeclared = Graph.Value.Nodes.Where(n => !rank.ContainsKey(n)).ToList();
        Assert.True(undeclared.Count == 0, $"folders missing from {nameof(DeclaredLayers)}: {string.Join(", ", undeclared)}");
        var upward = Graph.Value.Edges
            .SelectMany(e => e.Value.Where(t => rank[t.Key] >= rank[e.Key])
                .Select(t => $"{e.Key} -> {t.Key}: {string.Join("; ", t.Value.Take(6))}"))
            .ToList();
        Assert.True(upward.Count == 0, "dependencies that do not point to a lower layer:" + Environment.NewLine + string.Join(Environment.NewLine, upward));
    }

    [Fact]
    public void Graph_SeesDependenciesInSignaturesAndMethodBodies()
    {
        // Guards the check against passing vacuously (an empty or signature-only graph is trivially acyclic).
        var edges = Graph.Value.Edges;
        Assert.True(Graph.Value.Nodes.Count() >= 10, "fewer than 10 folders found");
        // Signature: Planning's types take schedules as parameters.
        Assert.Contains("Schedules", edges["Planning"].Keys);
        // Method bodies only: ClosedForms calls the static class Numerics.CubicRoot by its qualified name
        // (no using line, no signature, no local of its type), so only the IL scan can see this edge.
        Assert.Contains("ClosedForms -> CubicRoot", edges["Theory"]["Numerics"]);
    }

    private static string Describe(FolderDependencyGraph graph, IReadOnlyList<string> cycle)
    {
        var text = new StringBuilder($"folder cycle: {string.Join(" -> ", cycle)}");
        for (int i = 0; i + 1 < cycle.Count; i++)
        {
            var carriers = graph.Edges[cycle[i]][cycle[i + 1]];
            text.Append($"{Environment.NewLine}  {cycle[i]} -> {cycle[i + 1]}: {string.Join("; ", carriers.Take(12))}");
            if (carriers.Count > 12) text.Append($" (+{carriers.Count - 12} more)");
        }
        return text.ToString();
    }
}
