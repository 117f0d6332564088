using HyperLaws.Cli.Commands.Plan;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// plan's warning when no run states its model size (<see cref="WarningKind.SizeUnknown"/>): the runs are taken at the target's size,
/// so a target 10x theirs gets no size scaling of its peak (the foreign-usage matrix's MLPerf 8B runs planned at 80B: peak 0.000998 ->
/// 0.00129). The CLI's hint names how to state the size; the core's sentence names no command.
/// </summary>
public sealed class PlanSizeUnknownHintTests
{
    [Fact]
    public void The_warning_names_how_to_give_the_runs_size()
    {
        var w = new PlanWarning(WarningKind.SizeUnknown);
        Assert.StartsWith("the runs do not give their model size: they are taken to be at the target's size", PlanOutput.Text(w), StringComparison.Ordinal);
        Assert.Contains("; give their size with `hyperlaws import --params`", PlanOutput.Text(w), StringComparison.Ordinal);
        Assert.DoesNotContain("hyperlaws", PlanExplainer.Warning(w), StringComparison.Ordinal);
    }
}
