using HyperLaws.Tests;

namespace HyperLaws.Cli.Tests.Hostile;

/// <summary>
/// A temp folder holding a fitted tissue law (<c>law.json</c>) for the hostile-input tests, whose refusals must leave it as
/// it was; <see cref="Mpl"/> names a shipped Multi-Power-Law curve.
/// </summary>
public abstract class HostileTempFolder : IDisposable
{
    /// <summary>A small fitted LR-annealing law, written as <c>law.json</c>.</summary>
    protected const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    private protected readonly TempDir Tmp = new();

    protected HostileTempFolder()
    {
        File.WriteAllText(P("law.json"), TissueLaw);
    }

    public void Dispose()
    {
        Tmp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A path in the temp folder.</summary>
    protected string P(string name) => Tmp.Combine(name);

    /// <summary>A shipped 25M Multi-Power-Law curve.</summary>
    protected static string Mpl(string name) => Path.Combine(DataFolders.Repo, "MultiPowerLaw", "loss_curve_repo", "csv_25", name);
}
