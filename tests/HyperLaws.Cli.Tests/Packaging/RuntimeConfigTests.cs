using System.Text.Json;

namespace HyperLaws.Cli.Tests.Packaging;

using Xunit;

/// <summary>
/// The executable's runtimeconfig (hyperlaws.runtimeconfig.json, copied beside the tests from the CLI's build): the GC setting that keeps
/// a plan's heap near its live size (issue 12, docs/VALIDATION.md "A plan's memory: the GC's large-object heap").
/// </summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void TheGcConservesMemory()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "hyperlaws.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal(5, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
        // No Server GC: on a few cores it reserves a heap per core (the measurements were made with the workstation GC).
        Assert.False(properties.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean());
    }
}
