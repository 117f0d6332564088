using HyperLaws.Cli.Commands.Validate;
using HyperLaws.Cli.Output;
using HyperLaws.Tests;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>validate --joint-batch-scale fit|off|VALUE</c> reaches protocol 4's joint fit options (b_eta fitted where identified, or held),
/// is refused where no protocol reads it, and a bad value is named (a settings-binding test: no protocol is run).
/// </summary>
public sealed class BatchScaleWiringTests
{
    private static readonly CliIo Quiet = new(TextWriter.Null, TextWriter.Null);

    private static ValidateSettings Bind(params string[] args)
    {
        var command = new ValidateCommand();
        return command.Bind(command.Build(Quiet).Parse([.. args, "--data", DataFolders.Shared]));
    }

    [Theory]
    [InlineData(null, true, 0.0)]
    [InlineData("off", false, 0.0)]
    [InlineData("fit", true, 0.0)]
    [InlineData("-0.35", false, -0.35)]
    public void The_value_reaches_protocol_4s_joint_fit(string? value, bool fit, double held)
    {
        string[] option = value is null ? [] : ["--joint-batch-scale", value];
        var four = ValidateHandler.StepLawJointOptionsOf(Bind(["--protocol", "4", "--laws", "joint", .. option]));
        Assert.Equal(fit, four.LrBatchScale);
        Assert.Equal(held, four.LrBatchExponent);
        var s = Bind(["--protocol", "22", .. option]);
        Assert.Equal(fit, s.JointBatchScaleFit);
        Assert.Equal(held, s.JointBatchExponent);
    }

    [Fact]
    public void It_is_refused_where_no_protocol_reads_it()
    {
        var e = Assert.Throws<UserInputException>(() => Bind("--protocol", "20", "--joint-batch-scale", "fit"));
        Assert.Equal("--joint-batch-scale applies to protocol 4 with --laws joint and protocol 22 only (got --protocol 20).", e.Message);
    }

    [Fact]
    public void With_intervals_the_refusal_names_intervals_not_the_protocol()
    {
        // Protocol 4 with --laws joint and --intervals is the interval report: "(got --protocol 4)" named the protocol the option applies to.
        var e = Assert.Throws<UserInputException>(() => Bind("--protocol", "4", "--laws", "joint", "--intervals", "--joint-batch-scale", "fit"));
        Assert.Equal("--joint-batch-scale applies to protocol 4 with --laws joint and protocol 22 only (got --intervals).", e.Message);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("NaN")]
    [InlineData("maybe")]
    public void A_bad_value_is_named_at_parse_time(string value)
    {
        var command = new ValidateCommand();
        var parse = command.Build(Quiet).Parse(["--protocol", "4", "--laws", "joint", "--joint-batch-scale", value, "--data", DataFolders.Shared]);
        var error = Assert.Single(parse.Errors);
        Assert.Equal($"--joint-batch-scale: '{value}' is not fit, off or a number in [-5, 5].", error.Message);
    }

    [Theory]
    [InlineData(true, 0.0, "\"fit\"")]
    [InlineData(false, 0.0, "\"off\"")]
    [InlineData(false, -0.25, "-0.25")]
    public void Protocol_4s_json_says_which_batch_scale_was_used_and_each_cells_b_eta(bool fit, double held, string expected)
    {
        var cell = new HyperLaws.Validation.StepLawJointCell(1e8, 2e9, 1e-3, 1e6, 0.001, 1e-3, 1e6, 0.002, 0.1, 0, 0.37);
        var board = new StepLawJointScoreboard(new HyperLaws.Validation.StepLawJointResult([cell], 1, 10), true, false, LrBatchFit: fit, LrBatchHeld: held);
        var json = StepLawJointRenderer.Instance.ToJson(board);
        Assert.Equal(expected, json["lrBatchScale"]!.ToJsonString());
        Assert.Equal(0.37, (double)json["cells"]![0]!["bEta"]!);
    }
}
