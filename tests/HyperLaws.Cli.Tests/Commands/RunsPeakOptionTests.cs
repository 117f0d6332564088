using HyperLaws.Cli.Commands.Plan;
using HyperLaws.Cli.Output;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary><c>plan --no-runs-peak</c> reaches the planner: the runs' own evidence on the peak (PlanOptions.PeakFromRunsEvidence) off, on without it.</summary>
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
}
