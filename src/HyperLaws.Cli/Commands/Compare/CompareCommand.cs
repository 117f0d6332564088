using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Compare;

/// <summary><c>hyperlaws compare</c>: fit every law on training runs, predict held-out runs, score them side by side.</summary>
internal sealed class CompareCommand : CliCommand<CompareSettings>
{
    private readonly Option<string[]> _train = new("--train") { Description = "Runs to fit on (files or folders).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
    private readonly Option<string[]> _test = new("--test") { Description = "Runs to predict (files or folders).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
    private readonly Option<IReadOnlyList<string>> _laws = LawRuns.LawsOption("Comma list of laws (default: " + string.Join(",", LawCatalog.Names) + "; known: " + string.Join(", ", LawCatalog.All) + ").");
    private readonly Option<bool> _validation = CliOptions.Flag("--validation", "Fit and score the validation losses instead of the training losses (logs of evaluations only: MLPerf, speedruns).");
    private readonly Option<string> _plot = new("--plot") { Description = "Folder for one figure per test run: actual vs each law's prediction.", HelpName = "DIR" };
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "compare";

    public override string Description => "Fit each law on the training runs and score its predictions of the test runs (PredE, WorstE, MaxE, R^2, MAE, RMSE).";

    protected override IEnumerable<Option> Options => [_train, _test, _laws, _validation, _plot, _json, _quiet];

    public override CompareSettings Bind(ParseResult parse) =>
        new(parse.Required(_train), parse.Required(_test), parse.Required(_laws), parse.GetValue(_plot), parse.GetValue(_json), parse.GetValue(_quiet),
            parse.GetValue(_validation) ? LossSplit.Validation : LossSplit.Train);

    public override int Execute(CliIo io, CompareSettings settings)
    {
        var result = CompareHandler.Run(io, settings);
        var written = settings.PlotDir is { } dir ? CompareRenderer.WritePlots(dir, result) : [];
        CompareRenderer.Write(io, result, settings.Json, written);
        return 0;
    }
}
