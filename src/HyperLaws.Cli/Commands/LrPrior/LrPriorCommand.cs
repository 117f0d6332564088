using System.CommandLine;
using System.Diagnostics;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Laws.Joint;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.LrPrior;

/// <summary>
/// <c>hyperlaws lr-prior --data DIR --out FILE</c>: fits the joint law's LR-axis prior (<see cref="LrAxisPrior"/>) on the Step
/// Law sweep table under DIR (steplaw/data/dense_lr_bs_loss.csv) and writes it (data/priors/lr-axis-steplaw.json is made so).
/// Only fitted numbers are written, never the table's rows.
/// </summary>
internal sealed class LrPriorCommand : CliCommand<LrPriorSettings>
{
    /// <summary>The prior plan and demo use when none is given (data/priors/README.md).</summary>
    public static readonly string DefaultPrior = Path.Combine("data", "priors", "lr-axis-steplaw.json");

    private readonly Option<string> _data = new("--data") { Description = "Folder laid out like shared/data (needs steplaw/data/dense_lr_bs_loss.csv).", DefaultValueFactory = _ => Path.Combine("..", "shared", "data"), HelpName = "DIR" };
    private readonly Option<string> _output = new("--out") { Description = "Where to write the prior.", Required = true, HelpName = "FILE" };
    private readonly Option<bool> _curvatureInTokens = CliOptions.Flag("--curvature-in-tokens", "Fit the curvature as k(D) = k0 (D/1e10)^-q (Theil-Sen) instead of one median k (not the shipped prior: it made protocol 10 worse, docs/VALIDATION.md).");
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "lr-prior";

    public override string Description => "Fit the joint law's LR-axis prior (the optimum's ratio to Step Law's eta_ref(N, D) and the curvature of the loss in ln LR) cell by cell on the Step Law sweep and write it.";

    protected override IEnumerable<Option> Options => [_data, _output, _curvatureInTokens, _json, _quiet];

    public override LrPriorSettings Bind(ParseResult parse)
    {
        string root = parse.GetValue(_data)!, outPath = parse.GetValue(_output)!;
        if (!File.Exists(StepLawGrid.TablePath(root)))
            throw new UserInputException($"--data: {StepLawGrid.TablePath(root)} not found (the LR-axis prior is fitted on the Step Law grid, which the repository does not ship; try --data ../shared/data).");
        return new LrPriorSettings(root, outPath, parse.GetValue(_json), parse.GetValue(_quiet), parse.GetValue(_curvatureInTokens));
    }

    public override int Execute(CliIo io, LrPriorSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var result = LrPriorHandler.Run(settings);
        LrPriorRenderer.WriteFile(settings, result);
        LrPriorRenderer.Write(io, settings, result, clock.Elapsed);
        return 0;
    }
}
