using HyperLaws.Cli.Commands.Plan;
using HyperLaws.Cli.Output;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary>
/// <c>plan --no-runs-peak</c> reaches the planner: the runs' own evidence on the peak (PlanOptions.PeakFromRunsEvidence) off, on without it
/// (the default); <c>validate --protocol 6 --plan-runs-peak on|off|best|final|last</c> reaches the plan backtest, the planner's default without it.
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

    [Theory]
    [InlineData(null)]
    [InlineData("on")]
    [InlineData("off")]
    [InlineData("ON")]
    [InlineData("best")]
    [InlineData("final")]
    [InlineData("last")]
    public void Plan_runs_peak_reaches_the_backtests_options(string? value)
    {
        var command = new HyperLaws.Cli.Commands.Validate.ValidateCommand();
        string[] args = ["--protocol", "6", "--data", DataFolders.Shared, "--laws", "tissue", .. value is null ? Array.Empty<string>() : ["--plan-runs-peak", value]];
        var settings = command.Bind(command.Build(new CliIo(TextWriter.Null, TextWriter.Null)).Parse(args));
        var options = HyperLaws.Cli.Commands.Validate.ValidateHandler.PlanBacktestOptionsOf(settings);
        bool expected = value is null ? new HyperLaws.Planning.PlanOptions().PeakFromRunsEvidence : !value.Equals("off", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(expected, options.PeakFromRunsEvidence);
        // 'best' also takes the runs' best as measured where the law cannot tell it from its optimum (PlanOptions.PeakFromRunsBest).
        bool best = value is null ? new HyperLaws.Planning.PlanOptions().PeakFromRunsBest : value == "best";
        Assert.Equal(best, options.PeakFromRunsBest);
        // 'final' reads the runs' final evaluations (PlanOptions.PeakFromFinalEvaluation), 'last' their last logged losses; else the default.
        bool final = value switch { "final" => true, "last" => false, _ => new HyperLaws.Planning.PlanOptions().PeakFromFinalEvaluation };
        Assert.Equal(final, options.PeakFromFinalEvaluation);
    }

    [Theory]
    [InlineData("--protocol 3 --data /nonexistent --plan-runs-peak on", "--plan-runs-peak applies to the plan backtest only")]
    [InlineData("--protocol 6 --intervals --data /nonexistent --plan-runs-peak off", "--plan-runs-peak applies to the plan backtest only")]
    [InlineData("--protocol 6 --data /nonexistent --plan-runs-peak maybe", "--plan-runs-peak: unknown value 'maybe'")]
    public void Plan_runs_peak_is_refused_off_the_plan_backtest_or_with_an_unknown_value(string arguments, string expected)
    {
        string line = Cli.Run(["validate", .. Cli.Split(arguments)]).AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
