using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands.Scale;

/// <summary>
/// <c>hyperlaws scale</c>: the optimal hyperparameters of one regime at one budget, closed form and
/// numerical side by side.
/// </summary>
internal sealed class ScaleCommand : CliCommand<ScaleSettings>
{
    private readonly Option<string> _regime = RegimeOption.Create(includeFixedLr: true);
    private readonly Option<double?> _tokens = CliOptions.Checked("--tokens", "Budget T in samples or tokens (same unit as the batch), e.g. 1e10 or 10B.", "T", v => v > 0 && v <= 1e30, "a positive budget of at most 1e30");
    private readonly Option<double?> _iterations = CliOptions.Number("--iterations", "Budget as iterations K (needs --batch; T = K b). Only for regimes with a fixed batch.", "K", double.NegativeInfinity, 1e30);
    private readonly Option<double?> _momentum = CliOptions.Number("--momentum", "Fixed momentum beta in [0, 1) (lr-only, fixed-momentum, fixed-lr).", "BETA", 0, 1);
    private readonly Option<double?> _batch = CliOptions.Number("--batch", "Fixed batch size b >= 1 (lr-only, fixed-batch).", "B", 1, 1e15);
    private readonly Option<double?> _lr = CliOptions.Checked("--lr", "Fixed learning rate (fixed-lr).", "ETA", v => v > 0 && v <= CliOptions.MaxLearningRate, "a positive learning rate of at most 1e6");
    private readonly Option<double?> _ridge = CliOptions.Checked("--ridge-exponent", "Batch-growth exponent c in [0, 1/2] (ridge).", "C", v => v >= 0 && v <= 0.5, "a ridge exponent in [0, 1/2]");
    private readonly Option<double?> _maxBatch = CliOptions.Number("--max-batch", "Largest batch allowed (memory); with joint, momentum is tuned instead beyond it (Corollary 1).", "B", 1, 1e15);
    private readonly Option<bool> _integer = CliOptions.Flag("--integer-batch", "Whole batches only (default: b is a continuous variable).");
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly ProxyOptions _proxy = new();

    public override string Name => "scale";

    public override string Description => "Optimal learning rate, momentum and batch size for a budget under one tuning regime of the LMO theory.";

    protected override IEnumerable<Option> Options => [_regime, _tokens, _iterations, _momentum, _batch, _lr, _ridge, _maxBatch, _integer, .. _proxy.All, _json];

    public override ScaleSettings Bind(ParseResult parse)
    {
        var reg = RegimeOption.Read(parse, _regime);
        var (optimizer, rho, constants) = _proxy.Read(parse);
        RefuseUnread(parse, reg, (_batch, ScalingQuantity.Batch), (_momentum, ScalingQuantity.Momentum), (_lr, ScalingQuantity.LearningRate), (_ridge, ScalingQuantity.RidgeExponent));
        double? b = parse.GetValue(_batch);
        double t = Budget(reg, parse.GetValue(_tokens), parse.GetValue(_iterations), b);
        double? beta = parse.GetValue(_momentum);
        if (beta is { } bb && !(bb >= 0 && bb < 1)) throw new UserInputException($"--momentum must be in [0, 1) (got {bb}).");
        var problem = new ScalingProblem(reg, t)
        {
            Batch = b,
            Alpha = beta is { } x ? 1 - x : null,
            LearningRate = parse.GetValue(_lr),
            RidgeExponent = parse.GetValue(_ridge),
            MaxBatch = parse.GetValue(_maxBatch),
            IntegerBatch = parse.GetValue(_integer),
        };
        return new ScaleSettings(problem, optimizer, rho, constants, parse.GetValue(_json));
    }

    public override int Execute(CliIo io, ScaleSettings settings)
    {
        ScaleRenderer.Write(io, ScaleHandler.Run(settings), settings.Json);
        return 0;
    }

    /// <summary>
    /// The quantities a regime holds fixed, so reads from the command line (those <see cref="ScalingProblem.Validate"/> requires;
    /// the regime tunes the others).
    /// </summary>
    internal static ScalingQuantity[] Fixed(TuningRegime regime) => regime switch
    {
        TuningRegime.LrOnly => [ScalingQuantity.Batch, ScalingQuantity.Momentum],
        TuningRegime.FixedMomentum => [ScalingQuantity.Momentum],
        TuningRegime.FixedBatch => [ScalingQuantity.Batch],
        TuningRegime.Ridge => [ScalingQuantity.RidgeExponent],
        TuningRegime.FixedLearningRate => [ScalingQuantity.LearningRate, ScalingQuantity.Momentum],
        _ => [],
    };

    /// <summary>
    /// A fixed quantity given to a regime that tunes it is refused (was: exit 0, the value ignored, e.g. <c>--regime joint
    /// --lr 5</c> printed the joint optimum as if --lr were not there).
    /// </summary>
    private static void RefuseUnread(ParseResult parse, TuningRegime regime, params (Option<double?> Option, ScalingQuantity Quantity)[] options)
    {
        foreach (var (option, quantity) in options)
        {
            if (parse.GetResult(option) is null || Fixed(regime).Contains(quantity)) continue;
            var readers = Enum.GetValues<TuningRegime>().Where(r => Fixed(r).Contains(quantity)).Select(Names.Of);
            throw new UserInputException($"{option.Name} does not apply with --regime {Names.Of(regime)}, which tunes it (read by {string.Join(", ", readers)} only).");
        }
    }

    private static double Budget(TuningRegime regime, double? tokens, double? iterations, double? batch)
    {
        if (tokens is not null && iterations is not null) throw new UserInputException("give either --tokens or --iterations, not both.");
        if (tokens is { } t) return t;
        if (iterations is not { } k) throw new UserInputException("give a budget: --tokens T or --iterations K.");
        if (regime is not (TuningRegime.LrOnly or TuningRegime.FixedBatch))
            throw new UserInputException($"--iterations fixes K, but regime {Names.Of(regime)} tunes the batch under a token budget (at fixed K a larger batch always helps): give --tokens.");
        if (batch is not { } b) throw new UserInputException("--iterations needs --batch (T = K b).");
        if (!(k >= 1)) throw new UserInputException($"--iterations must be at least 1 (got {k}).");
        return k * b;
    }

}
