using System.CommandLine;
using System.CommandLine.Parsing;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands.Fit;

/// <summary><c>hyperlaws fit</c>: fit one schedule-to-loss law on runs and save it as LAW.json.</summary>
internal sealed class FitCommand : CliCommand<FitSettings>
{
    private readonly Option<string> _law = CliOptions.Choice("--law", "Law to fit: " + string.Join(", ", LawCatalog.All) + ".", [.. LawCatalog.All]);
    private readonly Option<string[]> _runs = new("--runs") { Description = "Run files or folders in any format of docs/RUN-FORMATS.md (MPL CSV, W&B, TensorBoard, trainer_state.json, Lightning, llm.c, Megatron, MLflow, generic CSV/JSONL; logs without LRs: hyperlaws import --schedule first).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
    private readonly Option<string> _output = new("--out") { Description = "Where to write the fitted law (JSON).", Required = true, HelpName = "LAW.json" };
    private readonly Option<bool> _validation = CliOptions.Flag("--validation", "Fit the validation losses instead of the training losses.");
    private readonly Option<int?> _bootstrap = BootstrapCli.Replicates();
    private readonly Option<string> _scheme = BootstrapCli.Scheme();
    private readonly Option<int?> _seed = BootstrapCli.Seed();
    private readonly Option<double?> _level = BootstrapCli.Level("Level of the parameters' percentile intervals (default 0.9); needs --bootstrap.");
    private readonly Option<bool> _acrossSizes = CliOptions.Flag("--across-sizes", "Fit one law across model sizes (runs of at least two sizes with known parameter counts): L0 = E + b (N/Nref)^-0.34, every other positive parameter p_ref (N/Nref)^e_p; 'predict --params N' then predicts any size.");
    private readonly Option<bool> _noPriors = CliOptions.Flag("--no-priors", "Leave a decay term the runs cannot identify (no fitted point after an LR decrement, or a decrement too short to show its shape) free instead of holding it at its prior (docs/VALIDATION.md, protocols 14c and 14d); it is reported either way.");
    private readonly Option<int?> _maxPoints = CliOptions.Count("--max-points", "Fit each run of more than N logged points on N bin means of consecutive points (default: every point; plan uses 2000): a long log fits in seconds, not minutes, at a different optimum (docs/VALIDATION.md, \"OptLaw on 143k-point curves\"). The per-run errors and the stall check still use every point.", "N", 2, int.MaxValue);
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public FitCommand()
    {
        _law.Required = true;
    }

    public override string Name => "fit";

    public override string Description => "Fit a schedule-to-loss law (OptLaw, MPL, LR-annealing, convex bound) on training runs; writes LAW.json.";

    protected override IEnumerable<Option> Options => [_law, _runs, _output, _validation, _bootstrap, _scheme, _seed, _level, _acrossSizes, _noPriors, _maxPoints, _json, _quiet];

    protected override IEnumerable<Action<CommandResult>> Validators => [BootstrapCli.NeedsReplicates(_bootstrap, _scheme, _seed, _level)];

    public override FitSettings Bind(ParseResult parse)
    {
        var bootstrap = parse.GetValue(_bootstrap) is int replicates ? BootstrapCli.From(parse, replicates, _scheme, _seed, _level) : null;
        if (bootstrap is not null && parse.GetValue(_acrossSizes)) throw new UserInputException("--bootstrap cannot be combined with --across-sizes yet (the intervals would need the model size).");
        return new FitSettings(
            parse.Required(_law), parse.Required(_runs), parse.Required(_output),
            parse.GetValue(_validation) ? LossSplit.Validation : LossSplit.Train,
            bootstrap, parse.GetValue(_acrossSizes), parse.GetValue(_json), parse.GetValue(_quiet)) { Priors = !parse.GetValue(_noPriors), MaxPointsPerCurve = parse.GetValue(_maxPoints) ?? FitSettings.DefaultMaxPointsPerCurve };
    }

    public override int Execute(CliIo io, FitSettings settings)
    {
        var result = FitHandler.Run(io, settings);
        FitRenderer.WriteFile(settings, result);
        FitRenderer.Write(io, settings, result);
        return 0;
    }
}
