using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Theory.Verification;

namespace HyperLaws.Cli.Commands.Verify;

/// <summary>
/// <c>hyperlaws verify</c>: every regime over a budget sweep, fitted exponents against the theory,
/// closed form against numerical optimum, and the paper's figures (PNG, SVG, CSV).
/// </summary>
internal sealed class VerifyCommand : CliCommand<VerifySettings>
{
    private readonly Option<string> _outDir = new("--out") { Description = "Folder for the figures and verify.json.", DefaultValueFactory = _ => Path.Combine("hyperlaws-out", "verify"), HelpName = "DIR" };
    private readonly Option<int?> _budgets = CliOptions.Count("--budgets", "Number of log-spaced budgets (default 100).", "N", 3, 100_000);
    private readonly Option<double?> _min = CliOptions.Number("--min-tokens", "Smallest budget (default 1e3; from 1 to 1e20).", "T", 1, 1e20);
    private readonly Option<double?> _max = CliOptions.Number("--max-tokens", "Largest budget (default 1e14; from 1 to 1e20).", "T", 1, 1e20);
    private readonly Option<bool> _integer = CliOptions.Flag("--integer-batch", "Whole batches only.");
    private readonly Option<bool> _noFigures = CliOptions.Flag("--no-figures", "Skip the figures (numbers only).");
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();
    private readonly ProxyOptions _proxy = new();

    public override string Name => "verify";

    public override string Description => "Check the closed forms against numerical optimisation over budgets 1e3..1e14, fit the scaling exponents, and draw the paper's figures.";

    protected override IEnumerable<Option> Options => [_outDir, _budgets, _min, _max, _integer, _noFigures, .. _proxy.All, _json, _quiet];

    public override VerifySettings Bind(ParseResult parse)
    {
        var (_, _, constants) = _proxy.Read(parse);
        var defaults = new VerificationOptions();
        var options = defaults with
        {
            Constants = constants,
            Budgets = parse.GetValue(_budgets) ?? defaults.Budgets,
            MinTokens = parse.GetValue(_min) ?? defaults.MinTokens,
            MaxTokens = parse.GetValue(_max) ?? defaults.MaxTokens,
            IntegerBatch = parse.GetValue(_integer),
        };
        if (!(options.MinTokens < options.MaxTokens))
            throw new UserInputException($"--min-tokens: {Format.G(options.MinTokens)} is not below --max-tokens {Format.G(options.MaxTokens)}.");
        UserInputException.Guard(() => { options.Validate(); return 0; });
        return new VerifySettings(options, parse.Required(_outDir), !parse.GetValue(_noFigures), parse.GetValue(_json), parse.GetValue(_quiet));
    }

    public override int Execute(CliIo io, VerifySettings settings) =>
        Run(io, settings.Options, settings.OutDir, settings.Figures, settings.Json, settings.Quiet);

    /// <summary>Runs the sweep, writes figures and verify.json, prints the result; exit 0 when every check passed, else 1.</summary>
    public static int Run(CliIo io, VerificationOptions options, string outDir, bool figures, bool json, bool quiet)
    {
        UserInputException.Guard(() => { options.Validate(); return 0; });
        Files.Guard(outDir, () => Directory.CreateDirectory(outDir)); // fail on an unwritable folder before any work
        if (!quiet && !json) io.Err.WriteLine($"verify: solving {Names(options)} regimes at {options.Budgets} budgets ...");
        var report = VerifyHandler.Run(options);
        var (node, files, reportPath) = VerifyRenderer.WriteFiles(io, report, outDir, figures, progress: !quiet && !json);
        if (json) ResultOutput.WriteJson(io, node);
        else VerifyRenderer.Print(io, report, files, reportPath);
        return report.AllPassed ? 0 : 1;
    }

    private static string Names(VerificationOptions o) => (4 + o.FixedMomentumBetas.Count + o.RidgeExponents.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
