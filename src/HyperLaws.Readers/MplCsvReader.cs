using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Readers.Internal;
using HyperLaws.Runs;

namespace HyperLaws.Readers;

/// <summary>
/// The Multi-Power-Law loss curves (<c>loss_curve_repo/csv_{25,100,400}/*.csv</c>, columns <c>step,lr,loss</c>).
/// The files log every 128 steps from the end of the warmup; the schedule is implied by the file name
/// (peak 3e-4, linear warmup 0 -> 3e-4 over 2,160 steps, eta_t = 3e-4 t/2160):
/// <list type="bullet">
/// <item><c>constant_S</c>: 3e-4 to step S;</item>
/// <item><c>cosine_S</c>: cosine from the end of warmup to the floor 3e-5 at step S;</item>
/// <item><c>wsd_D_S</c>: exponential (geometric) decay 3e-4 -> 3e-5 over steps D..S;</item>
/// <item><c>wsdld_D_S</c>: linear decay 3e-4 -> 3e-5 over steps D..S;</item>
/// <item><c>wsdcon_X</c>: 3e-4, then X * 1e-5 from step 8,000 on; 16,000 steps. The files stop at the last
/// logged step (14,144 at 25M, 15,936 at 100M/400M); 16,000 is the run length the MPL repository's own
/// data loader uses for these curves (<c>two_stage_lrs(2160, 16000, 3e-4, X e-5, 8000)</c>), and it is
/// consistent with both logged ends.</item>
/// </list>
/// The lr column at step s is eta_s (the LR of update s; e.g. the two-stage files log X e-5 at step 8,000,
/// and the cosine files 3e-4 at step 2,160); the loss at step s is after s updates. Every logged LR is
/// checked against the reconstruction.
/// </summary>
public static partial class MplCsvReader
{
    /// <summary>The peak learning rate of every MPL schedule, 3e-4.</summary>
    public const double Peak = 3e-4;

    /// <summary>The final learning rate of the cosine and WSD schedules, 3e-5 (a tenth of the peak).</summary>
    public const double Floor = 3e-5;

    /// <summary>The linear warmup, in steps (updates): 0 -> <see cref="Peak"/> over 2,160 steps.</summary>
    public const int Warmup = 2160;

    /// <summary>The length in steps of the two-stage (<c>wsdcon_X</c>) runs, as the MPL repository's data loader has it.</summary>
    public const int TwoStageSteps = 16000;

    /// <summary>The step from which the two-stage (<c>wsdcon_X</c>) runs use their second LR, X * 1e-5.</summary>
    public const int TwoStageDrop = 8000;

    [GeneratedRegex(@"^(?:(constant|cosine)_(\d+)|(wsd|wsdld)_(\d+)_(\d+)|wsdcon_(\d+))$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^csv_(\d+)$")]
    private static partial Regex SizeFolder();

    /// <summary>True when the file name is one of the MPL schedule names and its header is step,lr,loss.</summary>
    public static bool Recognizes(string path) =>
        NamePattern().IsMatch(Path.GetFileNameWithoutExtension(path)) && string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>A step count from a file name; past the largest schedule (1e9 steps) the name is refused, not overflowed.</summary>
    private static int Whole(string digits, string fileStem) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= Schedules.LrSchedule.MaxSteps ? v
            : throw new FormatException($"'{fileStem}': {digits} is more steps than a schedule may have ({Schedules.LrSchedule.MaxSteps}).");

    /// <summary>The schedule spec implied by an MPL file name (e.g. <c>cosine_24000</c>).</summary>
    public static (string Spec, string Family) ScheduleFor(string fileStem)
    {
        var m = NamePattern().Match(fileStem);
        if (!m.Success)
            throw new FormatException($"'{fileStem}' is not an MPL schedule name (constant_S, cosine_S, wsd_D_S, wsdld_D_S, wsdcon_X).");
        string P(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        string head = $"peak={P(Peak)},warmup={Warmup}";
        if (m.Groups[1].Success)
        {
            int s = Whole(m.Groups[2].Value, fileStem);
            return m.Groups[1].Value == "constant"
                ? ($"constant({head},steps={s})", "constant")
                : ($"cosine({head},steps={s},floor={P(Floor)})", "cosine");
        }
        if (m.Groups[3].Success)
        {
            int d = Whole(m.Groups[4].Value, fileStem);
            int s = Whole(m.Groups[5].Value, fileStem);
            if (d <= Warmup || d >= s) throw new FormatException($"'{fileStem}': the decay must start after the warmup and before the end.");
            string shape = m.Groups[3].Value == "wsd" ? "exp" : "linear";
            return ($"wsd({head},steps={s},cooldownSteps={s - d},shape={shape},floor={P(Floor)})", m.Groups[3].Value);
        }
        int x = Whole(m.Groups[6].Value, fileStem);
        return ($"multistep({head},steps={TwoStageSteps},milestones=[{TwoStageDrop}],values=[{P(x / 1e5)}])", "wsdcon");
    }

    /// <summary>
    /// Reads one MPL loss curve: the schedule comes from the file name, every logged LR is checked against it, and the
    /// model size (tag and parameter count) from a parent folder named <c>csv_M</c> (M million parameters: <c>csv_25</c>, <c>csv_100</c>, <c>csv_400</c>).
    /// </summary>
    /// <exception cref="RunFormatException">The name is not an MPL schedule, a row breaks the format, or a logged LR disagrees with the schedule.</exception>
    public static TrainingRun Read(string path, RunReadOptions? options = null)
    {
        options ??= RunReadOptions.Default;
        string stem = Path.GetFileNameWithoutExtension(path);
        string spec, family;
        try
        {
            (spec, family) = ScheduleFor(stem);
        }
        catch (FormatException e)
        {
            throw new RunFormatException(path, 0, e.Message, e);
        }
        double[] lrs;
        try
        {
            lrs = options.EvaluateSchedule(spec);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new RunFormatException(path, 0, $"cannot evaluate the schedule {spec}: {e.Message}", e);
        }

        var csv = CsvText.Read(path, allowComments: false);
        var col = csv.Require("step", "lr", "loss");
        if (csv.Rows.Count == 0) throw new RunFormatException(path, 2, "the file has a header but no data rows.");
        var raw = new List<RawObservation>(csv.Rows.Count);
        var logged = new List<LoggedLr>(csv.Rows.Count);
        int prev = 0;
        foreach (var (line, f) in csv.Rows)
        {
            string where = line.ToString(CultureInfo.InvariantCulture);
            int step = RunAssembly.CheckStep(path, where, csv.Number(line, f, col[0], "step"), options.MaxStep);
            if (step <= prev)
                throw new RunFormatException(path, line, step == prev ? $"step {step} is duplicated." : $"steps are not sorted ({step} after {prev}).");
            prev = step;
            if (step > lrs.Length)
                throw new RunFormatException(path, line, $"step {step} is beyond the schedule's {lrs.Length} steps ({spec}).");
            double lr = csv.Number(line, f, col[1], "lr");
            RunAssembly.CheckLrValue(path, where, lr);
            logged.Add(new LoggedLr(step, lr, where));
            raw.Add(new RawObservation(step, csv.Number(line, f, col[2], "loss"), LossSplit.Train, where));
        }
        RunAssembly.CheckLoggedLrs(path, lrs, logged, options.LrRelativeTolerance, $"the schedule {spec}");

        var tags = new Dictionary<string, string> { ["family"] = family, ["dataset"] = "MultiPowerLaw" };
        double? parameters = null;
        string? folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        var sm = folder is null ? Match.Empty : SizeFolder().Match(folder);
        if (sm.Success)
        {
            int millions = int.TryParse(sm.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int mm) ? mm
                : throw new RunFormatException(path, 0, $"model size {sm.Groups[1].Value}M from the folder name is too large.");
            if (millions <= 0) throw new RunFormatException(path, 0, $"model size {millions}M from the folder name is not positive.");
            parameters = millions * 1e6;
            tags["size"] = $"{millions}M";
        }
        var meta = new RunMetadata(sm.Success ? $"{stem}@{tags["size"]}" : stem)
        {
            Parameters = parameters,
            Schedule = spec,
            // The run's length is the file name's (16,000 for wsdcon_X, whose logs stop before it): known, not a stated plan.
            LengthKnown = true,
            Source = path,
            Tags = tags,
        };
        return RunAssembly.Build(path, meta, lrs, raw, options.DivergenceFactor);
    }
}
