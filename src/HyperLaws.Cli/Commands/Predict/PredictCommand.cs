using System.CommandLine;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.Predict;

/// <summary><c>hyperlaws predict</c>: the loss curve a fitted law predicts for a schedule.</summary>
internal sealed class PredictCommand : CliCommand<PredictSettings>
{
    private readonly Option<string> _lawFile = CliOptions.LawFile();
    private readonly Option<string> _schedule = new("--schedule") { Description = "The schedule, e.g. 'wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)' or its JSON form.", Required = true, HelpName = "SPEC" };
    private readonly Option<string> _steps = new("--steps") { Description = "Steps to predict: a comma list (1000,5000,24000) or 'every:K' (the last step added); default 200 steps evenly spaced, the last included.", HelpName = "LIST" };
    private readonly Option<string> _plot = new("--plot") { Description = $"Also draw the predicted curve at {PredictRenderer.PlotPoints} steps over the run (PNG; SVG and CSV beside it), dashed where it extrapolates before the first or after the last step of the runs LAW.json was fitted on.", HelpName = "OUT.png" };
    private readonly Option<double?> _level = BootstrapCli.Level("Level of the prediction interval (default: the level LAW.json was bootstrapped at, 0.9 unless chosen); needs a LAW.json from 'fit --bootstrap'.");
    private readonly Option<bool> _explain = CliOptions.Flag("--explain", "Also split the final predicted loss into the law's terms (convergence, noise features, loss drop...): why a schedule wins.");
    private readonly Option<double?> _size = CliOptions.ModelSize();
    private readonly StallHoldOptions _stall = new();
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly Option<bool> _quiet = CliOptions.Quiet("Print only the result: no warnings on stderr (--json: they stay in its warnings[]).");

    public override string Name => "predict";

    public override string Description => "Predict the loss curve of a schedule with a fitted law (with prediction intervals when the law was bootstrapped).";

    protected override IEnumerable<Option> Options => [_lawFile, _schedule, _steps, _plot, _level, _explain, _size, .. _stall.All, _json, _quiet];

    public override PredictSettings Bind(ParseResult parse)
    {
        string path = parse.Required(_lawFile);
        var doc = LawRuns.LoadLaw(path);
        var (law, _) = doc.Instantiate();
        double? level = parse.GetValue(_level);
        if (doc.Bootstrap is null && level is not null)
            throw new UserInputException($"--level: {path} has no bootstrap to draw an interval from (fit it with --bootstrap N).");
        double modelSize = ModelSize(parse.GetValue(_size), law is SizedLaw, path);
        LrSchedule s;
        try
        {
            s = LrSchedule.Parse(parse.Required(_schedule));
            ScheduleMemory.Check(s.Steps);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            throw new UserInputException($"--schedule: {e.Message}");
        }
        int[] at = Steps(parse.GetValue(_steps), s.Steps);
        var (stallCheck, stallHold) = _stall.Read(parse);
        // The figure is a PNG with its SVG and CSV beside it: another extension was replaced silently (--plot h/y.txt wrote h/y.png, .svg, .csv).
        if (parse.GetValue(_plot) is { } plot && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UserInputException($"--plot: '{ErrorText.Echo(plot)}' must end in .png (the SVG and CSV are written beside it).");
        return new PredictSettings(path, doc, s, at, modelSize, level, parse.GetValue(_explain), parse.GetValue(_plot), parse.GetValue(_json))
        {
            StallCheck = stallCheck, StallHold = stallHold, Quiet = parse.GetValue(_quiet),
        };
    }

    public override int Execute(CliIo io, PredictSettings settings)
    {
        var result = PredictHandler.Run(settings);
        if (!settings.Quiet && !settings.Json) LawRuns.WriteNotes(io.Err, result.TornTails);
        var written = PredictRenderer.Plot(settings, result);
        PredictRenderer.Write(io, settings, result, written);
        return 0;
    }

    /// <summary>
    /// The model size of --params for a law fitted across sizes (NaN for a law of one size). With
    /// <paramref name="usedElsewhere"/> (e.g. by a divergence screen), --params may also go with a law of one size.
    /// </summary>
    internal static double ModelSize(double? size, bool acrossSizes, string path, bool usedElsewhere = false)
    {
        if (size is not { } n)
            return acrossSizes ? throw new UserInputException($"--params: {path} holds a law fitted across model sizes; give the model size, e.g. --params 400M.") : double.NaN;
        if (!acrossSizes)
            return usedElsewhere ? double.NaN : throw new UserInputException($"--params: {path} holds a law of one model size; fit it with 'fit --across-sizes' to predict other sizes.");
        return n;
    }

    private static int[] Steps(string? text, int total)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Enumerable.Range(1, 200).Select(i => (int)Math.Round((double)i * total / 200)).Where(x => x >= 1).Distinct().ToArray();
        if (text.StartsWith("every:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(text[6..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int k) || k < 1)
                throw new UserInputException($"--steps: '{text}' needs a positive whole number after 'every:'.");
            return [.. Enumerable.Range(1, total / k).Select(i => i * k), .. total % k == 0 ? Array.Empty<int>() : [total]];
        }
        var list = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Quantity.TryParse(part, out double v) || v != Math.Floor(v) || v < 1 || v > total)
                throw new UserInputException($"--steps: '{part}' is not a step in 1..{total}.");
            list.Add((int)v);
        }
        if (list.Count == 0) throw new UserInputException("--steps: no steps given.");
        return list.Distinct().Order().ToArray();
    }
}
