using HyperLaws.Readers;

namespace HyperLaws.Cli.Commands.Import;

/// <summary>The settings of <c>hyperlaws import</c>.</summary>
/// <param name="File">The log to read (an existing file).</param>
/// <param name="Read">How to read it: columns, schedule, LR interpolation.</param>
/// <param name="Parameters">Model size recorded in the run file, or null.</param>
/// <param name="TokensPerStep">Tokens per optimizer step recorded in the run file, or null.</param>
/// <param name="OutPath">The run file to write; its LRs go beside it as &lt;name&gt;.lr.csv.</param>
/// <param name="Json">Print one JSON object instead of the summary line.</param>
internal sealed record ImportSettings(string File, RunReadOptions Read, double? Parameters, double? TokensPerStep, string OutPath, bool Json)
{
    /// <summary>The optimizer recorded in the run file (<c>--optimizer</c>), or null (the log's own, if it names one).</summary>
    public string? Optimizer { get; init; }

    /// <summary>Where the per-step LRs go.</summary>
    public string LrPath => Path.ChangeExtension(OutPath, null) + ".lr.csv";
}
