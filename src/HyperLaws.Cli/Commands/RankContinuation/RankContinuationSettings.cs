using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Commands.RankContinuation;

/// <summary>The settings of <c>hyperlaws rank-continuation</c>, each parsed once; the grid's axes are resolved against the history.</summary>
/// <param name="Law">LAW.json, read and validated.</param>
/// <param name="LawPath">Where LAW.json was read from (its runs, named relative to it, give what the runs support).</param>
/// <param name="History">The run so far.</param>
/// <param name="Steps">Steps of the continuation.</param>
/// <param name="Grid">The continuations to rank.</param>
/// <param name="Top">How many to report.</param>
/// <param name="ModelSize">The model size for a law fitted across sizes; NaN otherwise.</param>
/// <param name="Json">Print one JSON object instead of the table.</param>
/// <param name="Quiet">No warnings on stderr.</param>
internal sealed record RankContinuationSettings(FittedLawDocument Law, string LawPath, LrSchedule History, int Steps, ContinuationGrid Grid, int Top, double ModelSize, bool Json, bool Quiet)
{
    /// <summary>Hold a stalled run's forecast after its last fitted step, as predict does (LAW.json's "stall", a law fitted on one run); false: --no-stall-check.</summary>
    public bool StallCheck { get; init; } = true;

    /// <summary>What the held forecast holds (--stall-hold level|progress; <see cref="Fitting.StallHold"/>).</summary>
    public StallHold StallHold { get; init; } = Fitting.StallCheck.DefaultHold;

    /// <summary>The run of <c>--history</c> when it is a run file; null for a schedule spec.</summary>
    public TrainingRun? HistoryRun { get; init; }

    /// <summary>
    /// Why the history is shorter than the run file's schedule (the run's log ends more than one logging interval before it:
    /// <see cref="RankContinuationCommand.TrainedSteps"/>), said as a warning; null when it is not.
    /// </summary>
    public string? HistoryCut { get; init; }

    /// <summary>The stalled run whose forecast is held (<see cref="StallHoldOptions.HeldCurve"/>) when <c>--history</c> is that run (<see cref="StallHoldOptions.IsStalledRun"/>), or null.</summary>
    public CurveStall? Hold => StallHoldOptions.HeldCurve(Law, StallCheck) is { } s && StallHoldOptions.IsStalledRun(Law, s, HistoryRun) ? s : null;

    /// <summary>Why a law that holds its stalled run's forecast did not here (the history is another run or a spec), or null.</summary>
    public string? NotHeld => StallHoldOptions.HeldCurve(Law, StallCheck) is { } s && Hold is null
        ? $"--history is not the stalled run {s.Curve} ({(HistoryRun is null ? "a schedule spec" : "the run " + HistoryRun.Name)}), so nothing was held: the losses are the law's own (give that run's file as --history to hold its level)"
        : null;
}
