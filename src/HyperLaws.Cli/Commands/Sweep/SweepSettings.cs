using HyperLaws.Cli.Output;
using HyperLaws.Planning.Sweeps;

namespace HyperLaws.Cli.Commands.Sweep;

/// <summary>The settings of <c>hyperlaws sweep</c>, each read and checked once.</summary>
/// <param name="Options">The sweep's design options (target, budgets, grids, schedules, anchor).</param>
/// <param name="Files">What the written files say (log folder, training command, Slurm and W&amp;B settings).</param>
/// <param name="OutDir">The folder to write the sweep's files to, or null: print the plan, write nothing.</param>
/// <param name="Json">Print the plan as one JSON object.</param>
/// <param name="Quiet">Print only the CSV (or a one-line summary with --out); no notes.</param>
internal sealed record SweepSettings(SweepOptions Options, SweepFileSettings Files, string? OutDir, bool Json, bool Quiet)
{
    /// <summary>Each --budgets value with its text as given, to name a budget the design refuses as the user wrote it.</summary>
    public IReadOnlyDictionary<double, string> BudgetTexts { get; init; } = new Dictionary<double, string>();

    /// <summary>The --runs read whose file had a torn tail (<see cref="LawRuns.TornTails"/>), said on stderr as notes.</summary>
    public IReadOnlyList<string> TornTails { get; init; } = [];
}
