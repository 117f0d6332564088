using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Fitting;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// The stall hold of the commands that forecast a logged run continued (predict, rank-continuation): <c>--no-stall-check</c> and
/// <c>--stall-hold level|progress</c>, which curve of LAW.json is held (<see cref="HeldCurve"/>), the held forecast
/// (<see cref="Forecast"/>, <see cref="StallCheck.Forecast(CurveStall, StallHold, ILossLaw, double[], ScheduleHistory, ScheduleHistory, int[], double[], double)"/>)
/// and its warnings (docs/VALIDATION.md, "Curves that stop improving", "A stall hold of the progress alone" and "The stall hold outside predict").
/// </summary>
internal sealed class StallHoldOptions
{
    /// <summary>The option that turns the stall check off.</summary>
    public const string NoStallCheckName = "--no-stall-check";

    public Option<bool> NoStallCheck { get; } = CliOptions.Flag(NoStallCheckName, "The law's own forecast even when LAW.json says its (one) fitted run had stopped improving (the default holds that run's recent level after its last fitted step; docs/VALIDATION.md \"Curves that stop improving\").");

    public Option<string> Hold { get; } = CliOptions.StallHold("For a law fitted on one run");

    /// <summary>Both options, in the order help lists them.</summary>
    public IEnumerable<Option> All => [NoStallCheck, Hold];

    /// <summary>Whether the check is on and what a held forecast holds; one-line error when both options are given.</summary>
    public (bool Check, StallHold Hold) Read(ParseResult parse)
    {
        bool noStall = parse.GetValue(NoStallCheck);
        if (noStall && parse.GetResult(Hold) is { Implicit: false })
            throw new UserInputException("--stall-hold and --no-stall-check exclude each other (without the check nothing is held).");
        return (!noStall, CliOptions.StallHoldOf(parse.GetValue(Hold)!));
    }

    /// <summary>The stalled run whose forecast is held: LAW.json's one stalled curve when the law was fitted on one run and the check is on; null otherwise (a law of several runs keeps its own forecast: the held level is one run's).</summary>
    public static CurveStall? HeldCurve(FittedLawDocument law, bool check) => check && law.Runs.Count == 1 && law.Stalls.Count == 1 ? law.Stalls[0] : null;

    /// <summary>
    /// Whether <paramref name="history"/> (rank-continuation's <c>--history</c>: a run file's run, null for a schedule spec) is the
    /// stalled run of <paramref name="law"/> (<see cref="HeldCurve"/>): its name is the stalled curve's, or its file is LAW.json's one run
    /// (<see cref="LawRuns.RecordedPath"/>). Only that run continued holds its recent level; another run or a spec has the law's own loss.
    /// </summary>
    public static bool IsStalledRun(FittedLawDocument law, CurveStall stall, TrainingRun? history) =>
        history is not null && (history.Name == stall.Curve || law.Runs.Count == 1 && LawRuns.RecordedPath(history) == law.Runs[0]);

    /// <summary>Whether the forecast at <paramref name="step"/> is held (<see cref="StallCheck.Forecast(CurveStall, StallHold, ILossLaw, double[], ScheduleHistory, ScheduleHistory, int[], double[], double)"/> holds the steps after the stalled run's last fitted step).</summary>
    public static bool HeldAt(CurveStall? stall, int step) => stall is { Stalled: true } && step > stall.ToStep;

    /// <summary>
    /// Whether a loss printed at <paramref name="step"/> is withheld (recorded in <paramref name="withheld"/>): a held loss is the run's,
    /// not the law's, and is never withheld; the law's own <paramref name="own"/> is when the runs do not support it. predict and rank-continuation.
    /// </summary>
    public static bool Withhold(bool held, WithheldLosses withheld, double own, int step) => !held && withheld.Withhold(own, step);

    /// <summary>The law's own value printed beside a held loss (JSON <c>lawLoss</c>): NaN where the runs do not support it (<see cref="PredictionSupport.Check"/>), else <paramref name="own"/>.</summary>
    public static double LawLossShown(bool held, double own, int step, PredictionSupport? support) =>
        held && support?.Check(own, step) is not null ? double.NaN : own;

    /// <summary>
    /// The forecasts at <paramref name="steps"/> of <paramref name="history"/>, the law's own values there being <paramref name="own"/>:
    /// those values when <paramref name="stall"/> is null, else the held forecast. LAW.json keeps no schedule, so the fitted run's first T
    /// steps are taken from the schedule predicted (the same run's, continued: predict's schedule, rank-continuation's history and
    /// continuation).
    /// </summary>
    public static double[] Forecast(CurveStall? stall, StallHold hold, ILossLaw law, double[] parameters, ScheduleHistory history, int[] steps, double[] own, double modelSize) =>
        stall is null ? (double[])own.Clone() : StallCheck.Forecast(stall, hold, law, parameters, history, history, steps, own, modelSize);

    /// <summary>
    /// One warning per run of <paramref name="law"/> that had stopped improving, saying what the forecast did: held (with
    /// <paramref name="heldNote"/> added), nothing held since no step is after the fitted steps, the check off, or a law of several runs.
    /// </summary>
    /// <paramref name="notHeld"/>: why a law that could hold did not (rank-continuation's history is not the stalled run), or null.
    /// The option that keeps the law's own forecast is named only where the forecast could be held (<see cref="HeldCurve"/>): with the check
    /// off, or a law of several runs, the forecast is the law's own already.
    public static IEnumerable<string> Warnings(FittedLawDocument law, bool check, StallHold hold, bool held, string heldNote = "", string? notHeld = null) => law.Stalls.Select(s => (HeldCurve(law, check) is not null ? Describe(s, law.Law, hold) : s.Describe(law.Law, hold)) + (
        held ? heldNote
        : HeldCurve(law, check) is not null && notHeld is not null ? "; " + notHeld
        : HeldCurve(law, check) is not null ? "; no step asked is after the fitted steps, so nothing was held"
        : !check ? $"; {NoStallCheckName}: this forecast is the law's own"
        : "; the law was fitted on several runs, so this forecast is the law's own (the held level is one run's)"));

    /// <summary>
    /// <see cref="CurveStall.Describe"/>'s line with the option that keeps the law's own forecast (predict's and rank-continuation's
    /// <see cref="NoStallCheckName"/>); null when the curve is not stalled. The commands that hold (fit: <see cref="FitDescribe"/>).
    /// </summary>
    public static string? Describe(CurveStall stall, string law, StallHold hold = StallCheck.DefaultHold) =>
        stall.Describe(law, hold) is { } line ? $"{line}; {NoStallCheckName} keeps the law's own forecast" : null;

    /// <summary>
    /// fit's warning for a stalled curve (fit has no <see cref="NoStallCheckName"/>: predict's keeps the law's own forecast); a law of
    /// <paramref name="runs"/> &gt; 1 runs is never held (<see cref="HeldCurve"/>), so its line names no option. Null when not stalled.
    /// </summary>
    public static string? FitDescribe(CurveStall stall, string law, int runs) =>
        stall.Describe(law, StallCheck.DefaultHold) is { } line ? (runs == 1 ? line + "; hyperlaws predict --no-stall-check keeps the law's own forecast" : line) : null;
}
