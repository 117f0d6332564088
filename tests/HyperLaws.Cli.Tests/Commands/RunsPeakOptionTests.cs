using HyperLaws.Cli.Commands.Plan;
using HyperLaws.Cli.Output;
using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary><c>plan --runs-peak</c> reaches the planner: the runs' own evidence on the peak (PlanOptions.PeakFromRunsEvidence) on, off without it (the default).</summary>
public sealed class RunsPeakOptionTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Runs_peak_turns_the_runs_evidence_on(bool flag, bool expected)
    {
        var command = new PlanCommand();
        string[] args = ["--params", "1B", "--tokens", "10B", .. flag ? new[] { "--runs-peak" } : []];
        var settings = command.Bind(command.Build(new CliIo(TextWriter.Null, TextWriter.Null)).Parse(args));
        Assert.Equal(expected, settings.Options.PeakFromRunsEvidence);
    }
}
