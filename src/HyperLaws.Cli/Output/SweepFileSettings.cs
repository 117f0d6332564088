using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HyperLaws.Planning;
using HyperLaws.Planning.Sweeps;

namespace HyperLaws.Cli.Output;

/// <summary>How the files of a sweep are written besides the design itself: where runs log, what they run, where.</summary>
/// <param name="LogDir">The folder the runs' result CSVs go to (relative to the sweep folder unless absolute).</param>
/// <param name="TrainCommand">The training command template (placeholders <c>{column}</c>), or null for an example left to fill in.</param>
public sealed record SweepFileSettings(string LogDir = "runs", string? TrainCommand = null)
{
    public string? Project { get; init; }

    public string? Entity { get; init; }

    public string JobName { get; init; } = "hyperlaws-sweep";

    public string? Partition { get; init; }

    public string? Time { get; init; }

    public int? Gpus { get; init; }

    public int? MaxParallel { get; init; }

    public IReadOnlyList<string> SlurmOptions { get; init; } = [];
}
