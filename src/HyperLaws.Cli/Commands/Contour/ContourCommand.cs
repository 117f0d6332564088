using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Contour;

/// <summary>
/// <c>hyperlaws contour</c>: the Opt-Laws figure. For each budget, the perplexity exp(L) a fitted law predicts after the
/// last step, over warmup steps x peak LR, with the predicted optimum marked. One figure (PNG, SVG, CSV) per budget: the
/// plotting layer draws one contour panel per figure. contour_optima.csv lists each budget's optimum.
/// </summary>
internal sealed class ContourCommand : CliCommand<ContourSettings>
{
    private readonly Option<string> _lawFile = CliOptions.LawFile();
    private readonly Option<string?> _tokens = CliOptions.Parsed("--tokens", "Token budgets, comma list (e.g. 1B,2B,4B); needs --tokens-per-step.", "LIST", text =>
    {
        // Checked here; Budgets turns each item (its text kept as the figure's label) into steps.
        CliOptions.Numbers("--tokens", text, v => v > 0 && v <= 1e30, "a positive number of tokens (at most 1e30)");
        return text;
    });
    private readonly Option<double?> _perStep = CliOptions.Checked("--tokens-per-step", "Tokens per optimizer step (batch size x sequence length), to turn --tokens into steps.", "K", v => v >= 1 && v <= CliOptions.MaxTokensPerStep, "a positive number of tokens (1 to 1e12)");
    private readonly Option<List<double>?> _stepsOption = CliOptions.NumberList("--steps", "Step budgets, comma list (instead of --tokens).", "LIST", v => v == Math.Floor(v) && v >= 10 && v <= LrSchedule.MaxSteps, "a whole number of steps >= 10");
    private readonly Option<string?> _family = CliOptions.Parsed("--family", "Schedule family of every grid point: cosine (default), linear, wsd or constant.", "NAME", text => CandidateGrid.KnownFamilies.Contains(text.ToLowerInvariant()) ? text.ToLowerInvariant() : throw new UserInputException($"--family: '{ErrorText.Echo(text)}' is not one of {string.Join(", ", CandidateGrid.KnownFamilies)}."));
    private readonly Option<double?> _cooldown = CliOptions.Checked("--cooldown", "wsd cooldown as a fraction of the run (default 0.2).", "F", v => v > 0 && v <= 1, "a fraction of the run in (0, 1]");
    private readonly Option<double?> _floor = CliOptions.Checked("--floor", "Final LR as a fraction of the peak (default 0.1).", "F", v => v >= 0 && v < 1, "a fraction of the peak in [0, 1)");
    private readonly Option<List<double>?> _peaks = CliOptions.Parsed("--peaks", "Peak LR axis LO:HI:N, log-spaced (default: the training runs' peaks /4 to x4, 13 points).", "LO:HI:N", text => Axis("--peaks", text, 1e-12, 10));
    private readonly Option<List<double>?> _warmups = CliOptions.Parsed("--warmups", "Warmup axis as fractions of the run LO:HI:N, log-spaced (default 0.002:0.3:12).", "LO:HI:N", text => Axis("--warmups", text, 1e-9, 0.99));
    private readonly Option<string[]> _runsOption = CliOptions.InputPaths("--runs", "The law's training runs (default: the files LAW.json names, when they exist): default peak axis and the fitted peak range drawn as dashed lines.");
    private readonly Option<double?> _size = CliOptions.ModelSize("Model size in parameters (e.g. 400M): for a law fitted with 'fit --across-sizes', and for the divergence screen.");
    private readonly Option<string> _output = new("--out") { Description = "Folder for the figures (contour_<budget>.png/.svg/.csv and contour_optima.csv).", Required = true, HelpName = "DIR" };
    private readonly DivergenceScreenOptions _divergence = new("cells it predicts to diverge are left blank (never the optimum) and its boundary is drawn");
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet();

    public override string Name => "contour";

    public override string Description => "The Opt-Laws figure: predicted perplexity over warmup steps x peak LR, one figure per token (or step) budget, optimum marked.";

    protected override IEnumerable<Option> Options => [_lawFile, _tokens, _perStep, _stepsOption, _family, _cooldown, _floor, _peaks, _warmups, _runsOption, _size, _output, _json, _quiet, _divergence.Model, _divergence.Batch];

    public override ContourSettings Bind(ParseResult parse)
    {
        string path = parse.Required(_lawFile);
        var doc = LawRuns.LoadLaw(path);
        var (law, _) = doc.Instantiate();
        var screen = _divergence.Create(parse, parse.GetValue(_size));
        double modelSize = Predict.PredictCommand.ModelSize(parse.GetValue(_size), law is SizedLaw, path, usedElsewhere: screen is not null);
        var budgets = Budgets(parse.Given(_tokens), parse.GetValue(_perStep), parse.Given(_stepsOption));
        string fam = parse.GetValue(_family) ?? "cosine";
        // Options the chosen budgets or family do not read, refused rather than ignored.
        if (parse.Given(_stepsOption) is not null && parse.GetValue(_perStep) is not null)
            throw new UserInputException("--tokens-per-step applies to --tokens only (the --steps budgets are steps already).");
        if (parse.GetValue(_cooldown) is not null && fam != "wsd")
            throw new UserInputException($"--cooldown applies to --family wsd only (got --family {fam}).");
        if (parse.GetValue(_floor) is not null && fam == "constant")
            throw new UserInputException("--floor applies to a decaying family (cosine, linear or wsd), not to --family constant.");
        double cool = parse.GetValue(_cooldown) ?? 0.2;
        double floorFraction = parse.GetValue(_floor) ?? 0.1;
        var warmupFractions = parse.Given(_warmups) is { } w ? w : Rank.RankCommand.LogSpaced(0.002, 0.3, 12);
        if (fam == "wsd" && warmupFractions[^1] + cool > 1)
            throw new UserInputException($"--warmups: a warmup of {warmupFractions[^1]} of the run plus the wsd cooldown {cool} exceeds the run.");
        return new ContourSettings(path, doc, budgets, fam, cool, floorFraction, parse.GetValue(_runsOption), parse.Given(_peaks), warmupFractions,
            parse.Required(_output), modelSize, screen, parse.GetValue(_json), parse.GetValue(_quiet));
    }

    public override int Execute(CliIo io, ContourSettings settings)
    {
        var result = ContourHandler.Run(settings);
        if (settings.Chatty) LawRuns.WriteNotes(io.Err, result.TornTails);
        var written = ContourRenderer.WriteFiles(io, settings, result);
        ContourRenderer.Write(io, settings, result, written);
        return 0;
    }

    internal static LrSchedule Make(string family, double peak, int steps, int warmup, double cooldown, double floor) => family switch
    {
        "constant" => new ConstantSchedule(peak, steps, warmup),
        "cosine" => new CosineSchedule(peak, steps, warmup, floor * peak),
        "linear" => new LinearSchedule(peak, steps, warmup, floor * peak),
        _ => new WsdSchedule(peak, steps, warmup, cooldown: cooldown, floor: floor * peak),
    };

    /// <summary>The budgets as (label, steps): tokens / tokens-per-step rounded, or steps given directly.</summary>
    private static List<(string Label, int Steps)> Budgets(string? tokens, double? perStep, List<double>? steps)
    {
        if ((tokens is null) == (steps is null)) throw new UserInputException("--tokens: give the budgets as --tokens (with --tokens-per-step) or as --steps, one of the two.");
        if (steps is not null)
        {
            if (steps.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new UserInputException($"--steps: the budget {((int)twice.Key).ToString(CultureInfo.InvariantCulture)} is given twice.");
            return steps.Select(s => ($"{((int)s).ToString(CultureInfo.InvariantCulture)} steps", (int)s)).ToList();
        }
        if (perStep is not { } k) throw new UserInputException("--tokens-per-step: needed to turn --tokens into steps (batch size x sequence length).");
        var list = new List<(string, int)>();
        foreach (var text in tokens!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            double t = CliOptions.Numbers("--tokens", text, v => v > 0 && double.IsFinite(v), "a positive number of tokens").Single();
            double s = Math.Round(t / k);
            if (s < 10 || s > LrSchedule.MaxSteps) throw new UserInputException($"--tokens: {text} tokens at {Format.G(k)} per step is {s} steps, outside 10..{LrSchedule.MaxSteps}.");
            if (list.FirstOrDefault(b => b.Item2 == (int)s) is { Item1: not null } same)
                throw new UserInputException($"--tokens: {text} tokens is {s} steps, the same budget as {same.Item1}.");
            list.Add(($"{text} tokens", (int)s));
        }
        if (list.Count == 0) throw new UserInputException("--tokens: no values given.");
        return list;
    }

    private static List<double> Axis(string option, string text, double min, double max)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !Quantity.TryParse(parts[0], out double lo) || !Quantity.TryParse(parts[1], out double hi)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            throw new UserInputException($"{option}: '{text}' is not LO:HI:N (e.g. 1e-4:3e-3:13).");
        if (!(lo >= min) || !(hi > lo) || !(hi <= max) || n < 2 || n > 200)
            throw new UserInputException($"{option}: '{text}' needs {Format.G(min)} <= LO < HI <= {Format.G(max)} and 2 <= N <= 200.");
        return Rank.RankCommand.LogSpaced(lo, hi, n);
    }

    internal static string Sanitize(string label) => new(label.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' ? ch : '_').ToArray());
}
