using HyperLaws.Cli.Commands.Validate;
using HyperLaws.Cli.Output;
using HyperLaws.Tests;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>validate --joint-lag-prior-curves-only</c> reaches the fit options of protocols 4 (with --laws joint) and 20, and only
/// when given (a settings-binding test: no protocol is run).
/// </summary>
public sealed class LagPriorCurvesOnlyWiringTests
{
    private static ValidateSettings Bind(params string[] args)
    {
        var command = new ValidateCommand();
        return command.Bind(command.Build(new CliIo(TextWriter.Null, TextWriter.Null)).Parse([.. args, "--data", DataFolders.Shared]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_option_reaches_protocol_4s_joint_fit_and_protocol_20s(bool given)
    {
        string[] flag = given ? ["--joint-lag-prior-curves-only"] : [];
        var four = ValidateHandler.StepLawJointOptionsOf(Bind(["--protocol", "4", "--laws", "joint", .. flag]));
        Assert.Equal(given, four.NoiseLagPriorNeedsCurves);
        Assert.True(four.GroupOffsets);
        var twenty = ValidateHandler.LrSweepOptionsOf(Bind(["--protocol", "20", .. flag]));
        Assert.Equal(given, twenty.NoiseLagPriorNeedsCurves);
        Assert.True(twenty.GroupOffsets);
    }
}
