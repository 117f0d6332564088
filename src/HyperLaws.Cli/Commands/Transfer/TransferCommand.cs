using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Theory;

namespace HyperLaws.Cli.Commands.Transfer;

/// <summary><c>hyperlaws transfer</c>: carry hyperparameters tuned at T0 to a budget T by a regime's power laws.</summary>
internal sealed class TransferCommand : CliCommand<TransferSettings>
{
    private readonly Option<string> _regime = RegimeOption.Create(includeFixedLr: false);
    private readonly Option<double?> _from = CliOptions.Positive("--from-tokens", "Budget T0 at which the hyperparameters were tuned.", "T0", 1e30);
    private readonly Option<double?> _lr = CliOptions.Positive("--lr", "Tuned learning rate eta0.", "ETA0", 1e6);
    private readonly Option<double?> _momentum = CliOptions.Checked("--momentum", "Tuned momentum beta0 in [0, 1).", "BETA0", v => v >= 0 && v < 1, "a momentum in [0, 1)");
    private readonly Option<double?> _batch = CliOptions.Number("--batch", "Tuned batch size b0 >= 1 (at most 1e15).", "B0", 1, 1e15);
    private readonly Option<double?> _to = CliOptions.Positive("--to-tokens", "Target budget T (same unit as T0).", "T", 1e30);
    private readonly Option<double?> _ridge = CliOptions.Number("--ridge-exponent", "Batch-growth exponent c in [0, 1/2] (ridge).", "C", 0, 0.5);
    private readonly Option<double?> _multiple = CliOptions.Number("--batch-multiple", "Round the batch to a multiple of M (micro-batch x devices); default 1 (whole batches).", "M", 1, 1e15);
    private readonly Option<bool> _noRound = CliOptions.Flag("--no-round", "Keep the batch the rule gives, unrounded.");
    private readonly Option<double?> _seqLen = CliOptions.Positive("--seq-len", "Tokens per sequence when the batch counts sequences (K = T/(b L)).", "L", 1e12);
    private readonly Option<bool> _json = CliOptions.Json();

    public TransferCommand()
    {
        foreach (var o in new[] { _from, _lr, _momentum, _batch, _to }) o.Required = true;
    }

    public override string Name => "transfer";

    public override string Description => "Transfer a learning rate, momentum and batch size tuned at one budget to another (LMO scaling rules).";

    protected override IEnumerable<Option> Options => [_regime, _from, _lr, _momentum, _batch, _to, _ridge, _multiple, _noRound, _seqLen, _json];

    public override TransferSettings Bind(ParseResult parse)
    {
        // Was: exit 0, the exponent ignored (only the ridge path reads it).
        if (parse.GetResult(_ridge) is not null && RegimeOption.Read(parse, _regime) != TuningRegime.Ridge)
            throw new UserInputException($"--ridge-exponent applies to --regime ridge only (got --regime {Names.Of(RegimeOption.Read(parse, _regime))}).");
        if (parse.GetValue(_noRound) && parse.GetValue(_multiple) is not null) throw new UserInputException("give either --batch-multiple or --no-round, not both.");
        var request = new TransferRequest(
            RegimeOption.Read(parse, _regime), parse.Required(_from), parse.Required(_lr),
            parse.Required(_momentum), parse.Required(_batch), parse.Required(_to))
        {
            RidgeExponent = parse.GetValue(_ridge),
            BatchMultiple = parse.GetValue(_noRound) ? null : parse.GetValue(_multiple) ?? 1,
            SequenceLength = parse.GetValue(_seqLen),
        };
        return new TransferSettings(request, parse.GetValue(_json));
    }

    public override int Execute(CliIo io, TransferSettings settings)
    {
        TransferRenderer.Write(io, TransferHandler.Run(settings), settings.Json);
        return 0;
    }
}
