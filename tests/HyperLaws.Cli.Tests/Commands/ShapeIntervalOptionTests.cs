using HyperLaws.Cli.Output;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>
/// <c>validate --protocol 6 --plan-interval cross-step-shape</c> reaches the plan backtest as variant W (PlanOptions.ShapeIntervals with the
/// cross-step rule; docs/VALIDATION.md "Intervals widened by the schedule-shape distance"); every other rule, and none, leave it at the
/// planner's default.
/// </summary>
public sealed class ShapeIntervalOptionTests
{
    private static HyperLaws.Validation.PlanBacktestOptions Bound(params string[] extra)
    {
        var command = new HyperLaws.Cli.Commands.Validate.ValidateCommand();
        string[] args = ["--protocol", "6", "--data", DataFolders.Shared, "--laws", "tissue", .. extra];
        return HyperLaws.Cli.Commands.Validate.ValidateHandler.PlanBacktestOptionsOf(command.Bind(command.Build(new CliIo(TextWriter.Null, TextWriter.Null)).Parse(args)));
    }

    [Theory]
    [InlineData(null, false, true)]
    [InlineData("cross-step-shape", true, true)]
    [InlineData("CROSS-STEP-SHAPE", true, true)]
    [InlineData("cross-step", false, true)]
    [InlineData("symmetric", false, false)]
    public void Cross_step_shape_turns_the_shape_width_on_with_the_cross_step_rule(string? rule, bool shape, bool crossStep)
    {
        var options = Bound(rule is null ? [] : ["--plan-interval", rule]);
        var defaults = new HyperLaws.Planning.PlanOptions();
        Assert.Equal(rule is null ? defaults.ShapeIntervals : shape, options.ShapeIntervals);
        Assert.Equal(rule is null ? defaults.CrossStepIntervals : crossStep, options.CrossStepIntervals);
        Assert.False(options.PseudoStepIntervals);
    }
}
