using HyperLaws.Optimum;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Commands.Optimum;

/// <summary>The settings of <c>hyperlaws optimum</c>, each parsed once (choices by their options' parsers).</summary>
/// <param name="Sweeps">The sweep tables.</param>
/// <param name="Read">How to read them (MoE parameter count).</param>
/// <param name="Options">Loss column, estimator and window.</param>
/// <param name="Form">The rule's form.</param>
/// <param name="LeaveOneOut">Score each cell with the rule fitted on the others.</param>
/// <param name="RuleFile">A rule fitted elsewhere to apply instead of fitting one, or null.</param>
/// <param name="SaveRule">Where to write the rule fitted on all cells, or null.</param>
/// <param name="Json">Print one JSON object instead of the tables.</param>
/// <param name="Quiet">No progress.</param>
internal sealed record OptimumSettings(
    IReadOnlyList<string> Sweeps, RunReadOptions Read, OptimumOptions Options, RuleForm Form, bool LeaveOneOut, string? RuleFile, string? SaveRule, bool Json, bool Quiet)
{
    /// <summary>Progress lines go to stderr unless --quiet or --json.</summary>
    public bool Silent => Quiet || Json;
}
