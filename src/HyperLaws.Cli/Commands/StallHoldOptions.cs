using System.CommandLine;
using HyperLaws.Cli.Options;
using HyperLaws.Fitting;
using HyperLaws.Laws;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// The stall hold of the commands that forecast a logged run continued (predict, rank-continuation): <c>--no-stall-check</c> and
/// <c>--stall-hold level|progress</c>, which curve of LAW.json is held (<see cref="HeldCurve"/>), the held forecast
/// (<see cref="Forecast"/>, <see cref="StallCheck.Forecast(CurveStall, StallHold, ILossLaw, double[], ScheduleHistory, ScheduleHistory, int[], double[], double)"/>)
/// and its warnings (docs/VALIDATION.md, "Curves that stop improving", "A stall hold of the progress alone" and "The stall hold outside predict").
/// </summary>
internal sealed class StallHoldOptions
{
    public Option<bool> NoStallCheck { get; } = CliOptions.Flag("--no-stall-check", "The law's own forecast even when LAW.json says its (one) fitted run had stopped improving (the default holds that run's recent level after its last fitted step; docs/VALIDATION.md \"Curves that stop improving\").");

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
    public static IEnumerable<string> Warnings(FittedLawDocument law, bool check, StallHold hold, bool held, string heldNote = "") => law.Stalls.Select(s => s.Describe(law.Law, hold) + (
        held ? heldNote
        : HeldCurve(law, check) is not null ? "; no step asked is after the fitted steps, so nothing was held"
        : !check ? "; --no-stall-check: this forecast is the law's own"
        : "; the law was fitted on several runs, so this forecast is the law's own (the held level is one run's)"));
}
