using HyperLaws.Cli.Commands.Plan;
using HyperLaws.Cli.Output;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>
/// <c>plan --no-runs-peak</c> reaches the planner: the runs' own evidence on the peak (PlanOptions.PeakFromRunsEvidence) off, on without it
/// (the default); <c>validate --protocol 6 --plan-runs-peak on|off|best</c> and <c>--plan-runs-loss final|last</c> reach the plan backtest, each the planner's default without it.
/// </summary>
public sealed class RunsPeakOptionTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void No_runs_peak_turns_the_runs_evidence_off(bool flag, bool expected)
    {
        var command = new PlanCommand();
        string[] args = ["--params", "1B", "--tokens", "10B", .. flag ? new[] { "--no-runs-peak" } : []];
        var settings = command.Bind(command.Build(new CliIo(TextWriter.Null, TextWriter.Null)).Parse(args));
        Assert.Equal(expected, settings.Options.PeakFromRunsEvidence);
    }

    private static HyperLaws.Validation.PlanBacktestOptions Bound(params string[] extra)
    {
        var command = new HyperLaws.Cli.Commands.Validate.ValidateCommand();
        string[] args = ["--protocol", "6", "--data", DataFolders.Shared, "--laws", "tissue", .. extra];
        return HyperLaws.Cli.Commands.Validate.ValidateHandler.PlanBacktestOptionsOf(command.Bind(command.Build(new CliIo(TextWriter.Null, TextWriter.Null)).Parse(args)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("on")]
    [InlineData("off")]
    [InlineData("ON")]
    [InlineData("best")]
    public void Plan_runs_peak_reaches_the_backtests_options(string? value)
    {
        var options = Bound(value is null ? [] : ["--plan-runs-peak", value]);
        var defaults = new HyperLaws.Planning.PlanOptions();
        bool expected = value is null ? defaults.PeakFromRunsEvidence : !value.Equals("off", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(expected, options.PeakFromRunsEvidence);
        // 'best' also takes the runs' best as measured where the law cannot tell it from its optimum (PlanOptions.PeakFromRunsBest).
        Assert.Equal(value is null ? defaults.PeakFromRunsBest : value == "best", options.PeakFromRunsBest);
        Assert.Equal(defaults.PeakFromFinalEvaluation, options.PeakFromFinalEvaluation); // the loss compared is --plan-runs-loss's
    }

    [Fact]
    public void Plan_runs_loss_chooses_the_loss_compared_and_combines_with_best()
    {
        // 'final' reads the runs' final evaluations (PlanOptions.PeakFromFinalEvaluation), 'last' their last logged losses: the two
        // bind to opposite values, so one of them is not the default whatever the default is.
        Assert.True(Bound("--plan-runs-loss", "final").PeakFromFinalEvaluation);
        Assert.False(Bound("--plan-runs-loss", "LAST").PeakFromFinalEvaluation);
        var both = Bound("--plan-runs-peak", "best", "--plan-runs-loss", "last");
        Assert.Equal((true, true, false), (both.PeakFromRunsEvidence, both.PeakFromRunsBest, both.PeakFromFinalEvaluation));
        both = Bound("--plan-runs-peak", "best", "--plan-runs-loss", "final");
        Assert.Equal((true, true, true), (both.PeakFromRunsEvidence, both.PeakFromRunsBest, both.PeakFromFinalEvaluation));
    }

    [Theory]
    [InlineData("--protocol 3 --data /nonexistent --plan-runs-peak on", "--plan-runs-peak applies to the plan backtest only")]
    [InlineData("--protocol 6 --intervals --data /nonexistent --plan-runs-peak off", "--plan-runs-peak applies to the plan backtest only")]
    [InlineData("--protocol 6 --data /nonexistent --plan-runs-peak maybe", "--plan-runs-peak: unknown value 'maybe'")]
    [InlineData("--protocol 6 --data /nonexistent --plan-runs-peak final", "--plan-runs-peak: unknown value 'final' (on, off or best; the loss compared is --plan-runs-loss final|last)")]
    [InlineData("--protocol 6 --data /nonexistent --plan-runs-loss best", "--plan-runs-loss: unknown value 'best' (final or last)")]
    [InlineData("--protocol 3 --data /nonexistent --plan-runs-loss final", "--plan-runs-loss applies to the plan backtest only")]
    public void Plan_runs_peak_is_refused_off_the_plan_backtest_or_with_an_unknown_value(string arguments, string expected)
    {
        string line = Cli.Run(["validate", .. Cli.Split(arguments)]).AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
