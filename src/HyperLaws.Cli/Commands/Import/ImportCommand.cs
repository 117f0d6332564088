using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Commands.Import;

/// <summary>
/// <c>hyperlaws import FILE --out RUN.csv</c>: reads a log in a layout the other commands cannot read alone (columns
/// named otherwise, a loss-only W&amp;B chart export that needs a schedule, LRs logged every k steps) and writes it in the
/// generic run format (docs/RUN-FORMATS.md) with the LR of every step, so that fit, plan, rank and the rest read it.
/// </summary>
internal sealed class ImportCommand : CliCommand<ImportSettings>
{
    private readonly Argument<string> _file = new("FILE") { Description = "The log: a W&B UI 'Download CSV' or run.history() CSV export, a Hugging Face trainer_state.json (--loss-column eval_loss for its evaluation loss), or any CSV with a header (name its columns)." };
    private readonly Option<string> _stepColumn = new("--step-column") { Description = "The step column or JSONL key (default: step, iter, iteration, global_step, trainer/global_step, Step or _step).", HelpName = "NAME" };
    private readonly Option<string> _lossColumn = new("--loss-column") { Description = "The loss column (default: train/loss, loss, train_loss, ...); for a W&B UI export the metric part of 'RUN - METRIC' is enough.", HelpName = "NAME" };
    private readonly Option<string> _lrColumn = new("--lr-column") { Description = "The LR column (default: lr, learning_rate, train/lr, ...).", HelpName = "NAME" };
    private readonly Option<string> _metric = new("--metric") { Description = "The loss metric's name (e.g. train/loss): the same as --loss-column, for W&B exports.", HelpName = "NAME" };
    private readonly Option<string> _schedule = CliOptions.ScheduleSpec("--schedule", "The run's LR schedule (a spec, e.g. 'cosine(peak=3e-4,warmup=2000,steps=20000,floor=3e-5)') when the log has no LR or only some; logged LRs are checked against it.");
    private readonly Option<bool> _interpolate = CliOptions.Flag("--interpolate-lr", "Without a schedule: fill the steps between logged LRs by linear interpolation (the first logged LR before it, the last after it).");
    private readonly Option<double?> _parameters = CliOptions.Positive("--params", "Model size in parameters (e.g. 125M), recorded in the run file.", "N", CliOptions.MaxModelSize);
    private readonly Option<double?> _tokensPerStep = CliOptions.TokensPerStep("--tokens-per-step", "Tokens per optimizer step (batch x sequence length), recorded in the run file.");
    private readonly Option<string> _optimizer = CliOptions.Completes(new Option<string>("--optimizer") { Description = "The optimizer that trained the run (" + string.Join(", ", KnownOptimizers) + "), recorded in the run file: plan compares it with its own and warns when runs of several optimizers are pooled.", HelpName = "NAME" }, KnownOptimizers);
    private readonly Option<string> _output = new("--out") { Description = "The run file to write (generic CSV); its per-step LRs go beside it as <name>.lr.csv.", Required = true, HelpName = "RUN.csv" };
    private readonly Option<bool> _json = CliOptions.Json();

    /// <summary>
    /// The optimizers import records: plan's own (<see cref="Planning.TrainingOptimizers.Names"/>), then others whose runs the
    /// readers' public sources hold (Adam and Shampoo in modded-nanogpt's optimizer track, protocol 14; SGD, SOAP, Lion,
    /// Adafactor): plan compares the name with its own and warns on a mismatch.
    /// </summary>
    internal static readonly IReadOnlyList<string> KnownOptimizers = [.. Planning.TrainingOptimizers.Names, "adam", "sgd", "shampoo", "soap", "lion", "adafactor"];

    public override string Name => "import";

    public override string Description => "Read a tracker's export or any CSV log (named columns, sparse LRs) and write it as a run file every command reads.";

    protected override IEnumerable<Option> Options => [_stepColumn, _lossColumn, _lrColumn, _metric, _schedule, _interpolate, _parameters, _tokensPerStep, _optimizer, _output, _json];

    protected override IEnumerable<Argument> Arguments => [_file];

    public override ImportSettings Bind(ParseResult parse)
    {
        string path = parse.GetValue(_file)!;
        if (!File.Exists(path) && !Directory.Exists(path)) throw new UserInputException($"{path}: no such file or folder.");
        if (parse.GetValue(_lossColumn) is not null && parse.GetValue(_metric) is not null) throw new UserInputException("--metric and --loss-column name the same column: give one.");
        var read = new RunReadOptions
        {
            StepColumn = parse.GetValue(_stepColumn),
            LossColumn = parse.GetValue(_lossColumn) ?? parse.GetValue(_metric),
            LrColumn = parse.GetValue(_lrColumn),
            Schedule = parse.GetValue(_schedule),
            InterpolateLr = parse.GetValue(_interpolate),
        };
        // One of the optimizers the tool knows, written in lower case (was: any word, "bogus" written as given).
        string? optimizer = parse.GetValue(_optimizer)?.Trim().ToLowerInvariant(); // empty or control characters: refused by InputGuard before this
        if (optimizer is not null && !KnownOptimizers.Contains(optimizer))
            throw new UserInputException($"--optimizer: '{ErrorText.Echo(optimizer)}' is not an optimizer this tool knows ({string.Join(", ", KnownOptimizers)}).");
        return new ImportSettings(path, read, parse.GetValue(_parameters), parse.GetValue(_tokensPerStep), parse.Required(_output), parse.GetValue(_json)) { Optimizer = optimizer };
    }

    public override int Execute(CliIo io, ImportSettings settings)
    {
        var run = ImportHandler.Run(settings);
        ImportRenderer.WriteFiles(settings, run);
        ImportRenderer.Write(io, settings, run);
        return 0;
    }
}
