using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// Issue 12's parallel demo: step 1's fits side by side and the plan made beside them (the default) print and write what the
/// sequential path (the hidden --sequential, no fit cache) does; a second run, its step-1 fits from the fit cache, too.
/// </summary>
public sealed class DemoParallelTests
{
    [Fact]
    public void Parallel_and_cached_demo_prints_and_writes_what_the_sequential_demo_does()
    {
        using var sequential = new TempDir(create: false);
        using var parallel = new TempDir(create: false);
        using var warm = new TempDir(create: false);
        // Two laws so that each size has two fits to run side by side; optlaw fits in under a second per size.
        string[] laws = ["--laws", "tissue,optlaw"];
        var reference = Cli.Run(["demo", "--out", sequential.Path, "--sequential", "--no-fit-cache", .. laws]);
        Assert.Equal(0, reference.ExitCode);
        Assert.Contains("100M: best held-out PredE", reference.Stdout, StringComparison.Ordinal);
        foreach (var dir in new[] { parallel, warm })
        {
            var run = Cli.Run(["demo", "--out", dir.Path, .. laws]);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal(reference.Stdout.Replace(sequential.Path, "OUT", StringComparison.Ordinal), run.Stdout.Replace(dir.Path, "OUT", StringComparison.Ordinal));
            Assert.Equal(WithoutProvenance(sequential.Path), WithoutProvenance(dir.Path));
            Assert.Equal(File.ReadAllText(Path.Combine(sequential.Path, "lmo", "verify.json")).Replace(sequential.Path, "OUT", StringComparison.Ordinal),
                File.ReadAllText(Path.Combine(dir.Path, "lmo", "verify.json")).Replace(dir.Path, "OUT", StringComparison.Ordinal));
        }
    }

    /// <summary>plan.json less its provenance (its date and --out differ between runs).</summary>
    private static string WithoutProvenance(string outDir)
    {
        var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "plan", "plan.json")))!.AsObject();
        Assert.True(plan.Remove("provenance"));
        return plan.ToJsonString();
    }
}
