using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;

namespace HyperLaws.Cli.Commands.SizeLaw;

/// <summary>
/// <c>hyperlaws size-law</c>: the Chinchilla size law L(N, D) = E + A N^-alpha + B D^-beta fitted on the
/// Chinchilla runs (Besiroglu et al. 2024's procedure) and per Porian et al. 2024 configuration
/// (<see cref="HyperLaws.Validation.ChinchillaFitValidation"/>), printed next to the published parameters.
/// </summary>
internal sealed class SizeLawCommand : CliCommand<SizeLawSettings>
{
    private readonly Option<string> _data = new Option<string>("--data") { Description = "Folder laid out like shared/data (needs analyzing-chinchilla/data/svg_extracted_data.csv and resolving-scaling-law-discrepancies/derived/porian2024_isoflop_{points,optima}.csv); or --table.", HelpName = "DIR" };
    private readonly Option<string> _table = new Option<string>("--table") { Description = "Instead of --data: your own runs, a CSV with columns N (or params), D (or tokens) and loss, one row per run.", HelpName = "RUNS.csv" };
    private readonly Option<double?> _heldOut = CliOptions.Checked("--held-out", "With --table: the fraction of runs with the most compute (6 N D) left out of the fit and predicted (default 0.2).", "F", v => v >= 0 && v < 1, "a fraction in [0, 1)");
    private readonly Option<string> _lawOut = new Option<string>("--out") { Description = "With --table: write the fitted law to SIZE.json, for --law ... --predict.", HelpName = "SIZE.json" };
    private readonly Option<string> _lawIn = new Option<string>("--law") { Description = "A size law written by --table ... --out, to predict with (--predict).", HelpName = "SIZE.json" };
    private readonly Option<List<(double N, double D)>?> _predict = CliOptions.Parsed("--predict", "With --law: the (N, D) to predict the loss at, N:D pairs separated by commas (e.g. 1.3B:26B,7B:140B).", "N:D,...", SizeLawTable.Points);
    private readonly Option<bool> _fullGrid = CliOptions.Flag("--full-grid", "Use Besiroglu et al.'s 4,500-start grid (slow) instead of its 243-start sub-grid.");
    private readonly Option<int?> _resamples = CliOptions.Count("--resamples", "Bootstrap resamples of the runs (default 200).", "N", 10, 100000);
    private readonly Option<int?> _seed = CliOptions.Count("--seed", "Bootstrap seed (default 20240418).", "N", 0, int.MaxValue);
    private readonly Option<double?> _trainFraction = CliOptions.Checked("--train-fraction", "Held-out check: fraction of runs, smallest training FLOP first, fitted on (default 0.8).", "F", v => v >= 0.1 && v <= 0.95, "a fraction in [0.1, 0.95]");
    private readonly Option<int?> _exclude = CliOptions.Count("--exclude-highest-loss", "Drop this many highest-loss Chinchilla runs before fitting, as Besiroglu et al. 2024 did (default 5; 0 keeps all 245).", "K", 0, 100000);
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "size-law";

    public override string Description => "Fit the Chinchilla law L(N, D) = E + A N^-alpha + B D^-beta on the Chinchilla and Porian et al. runs: parameters with bootstrap intervals, a held-out compute check and the compute-optimal exponents.";

    protected override IEnumerable<Option> Options => [_data, _table, _heldOut, _lawOut, _lawIn, _predict, _fullGrid, _exclude, _resamples, _seed, _trainFraction, _json, _quiet];

    public override SizeLawSettings Bind(ParseResult parse)
    {
        int sources = (parse.GetValue(_data) is null ? 0 : 1) + (parse.GetValue(_table) is null ? 0 : 1) + (parse.GetValue(_lawIn) is null ? 0 : 1);
        if (sources != 1) throw new UserInputException("size-law: give exactly one of --data DIR, --table RUNS.csv, --law SIZE.json.");
        // Options of one mode given in another would be ignored: an --out that writes nothing, a --predict that predicts nothing.
        if (parse.GetValue(_lawOut) is not null && parse.GetValue(_table) is null)
            throw new UserInputException("--out: writes the law fitted on --table RUNS.csv; without --table nothing would be written (size-law --data prints the fit).");
        if (parse.GetValue(_heldOut) is not null && parse.GetValue(_table) is null)
            throw new UserInputException("--held-out: the share of --table's runs held out; without --table it would be ignored (--data's check is --train-fraction).");
        if (parse.Given(_predict) is not null && parse.GetValue(_lawIn) is null)
            throw new UserInputException("--predict: predicts with a fitted size law: give --law SIZE.json (written by size-law --table RUNS.csv --out SIZE.json).");
        return new SizeLawSettings(
            parse.GetValue(_data), parse.GetValue(_table), parse.GetValue(_lawIn), parse.GetValue(_heldOut) ?? 0.2, parse.GetValue(_lawOut), parse.Given(_predict),
            parse.GetValue(_fullGrid), parse.GetValue(_resamples) ?? 200, parse.GetValue(_seed) ?? 20240418, parse.GetValue(_trainFraction) ?? 0.8,
            parse.GetValue(_exclude) ?? 5, parse.GetValue(_json), parse.GetValue(_quiet));
    }

    public override int Execute(CliIo io, SizeLawSettings settings)
    {
        Action<string>? progress = settings.Quiet || settings.Json ? null : m => io.Err.WriteLine("size-law: " + m);
        // --table and --law: fit your runs, or predict with a fitted size law (each mode computes and renders in SizeLawTable).
        if (settings.Table is { } runsTable) return SizeLawTable.Fit(io, runsTable, settings.HeldOut, settings.LawOut, settings.Json, progress);
        if (settings.LawIn is { } sizeLaw) return SizeLawTable.Predict(io, sizeLaw, settings.Predict, settings.Json);
        SizeLawRenderer.Write(io, SizeLawHandler.Run(settings, progress), settings.Json);
        return 0;
    }
}
