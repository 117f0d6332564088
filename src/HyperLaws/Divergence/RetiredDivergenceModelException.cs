using System.Globalization;

namespace HyperLaws.Divergence;

/// <summary>
/// A DIV.json of a version this build no longer reads (<see cref="DivergenceModelDocument.Parse"/>): version 1, the area criterion
/// with a classifier, written before the boundary moved onto the peak-LR axis. <see cref="Reason"/> says why it is refused; the message
/// adds that the model is refitted on its runs, and a front end may name its own way to refit instead (the CLI: its divergence fit).
/// </summary>
public sealed class RetiredDivergenceModelException(double version)
    : FormatException(Why(version) + "; refit it on the runs.")
{
    /// <summary>The document's version.</summary>
    public double Version { get; } = version;

    /// <summary>Why the document is refused, without what to do.</summary>
    public string Reason => Why(Version);

    private static string Why(double version) =>
        $"version {version.ToString(CultureInfo.InvariantCulture)} (the area criterion with a classifier) is no longer read: this build's divergence model is a critical peak LR (version {DivergenceModelDocument.Version})";
}
