using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>One target horizon: what the plans could learn from, the grid's best, the baselines and the plans.</summary>
/// <param name="Horizon">H (steps).</param>
/// <param name="LearnedFrom">The longest horizon the plans learned from (the stable runs are cut to it).</param>
/// <param name="Available">The runs the plans learned from.</param>
/// <param name="Best">The grid run at H with the lowest final validation loss.</param>
/// <param name="GridRuns">How many grid runs at H are candidates.</param>
/// <param name="Calibration">The planner's LR calibration on the available runs (<see cref="LrBatchCalibration"/>), null when they cannot calibrate.</param>
/// <param name="Baselines">The baselines' regrets.</param>
/// <param name="Cases">The plans.</param>
public sealed record HorizonBacktest(int Horizon, int LearnedFrom, IReadOnlyList<string> Available, GridRun Best, int GridRuns, LrBatchCalibration? Calibration,
    IReadOnlyList<BacktestBaseline> Baselines, IReadOnlyList<BacktestCase> Cases)
{
    /// <summary>
    /// The plan <c>hyperlaws plan --laws</c> with all of this horizon's laws would make on <paramref name="split"/>: the law with
    /// the smallest held-out final-loss error (the first law when none has one), as <see cref="Planner"/> chooses; null without cases.
    /// </summary>
    /// <param name="split">The fitted split.</param>
    /// <param name="corrected">True: the choice with the horizon-bias correction on, by <see cref="BacktestCase.HeldOutCorrectedError"/> when every case has one.</param>
    public BacktestCase? PlannerChoice(LossSplit split, bool corrected = false)
    {
        var cases = Cases.Where(c => c.FitOn == split).ToList();
        if (cases.Count == 0) return null;
        bool byCorrected = corrected && cases.All(c => double.IsFinite(c.HeldOutCorrectedError));
        double Error(BacktestCase c) => byCorrected ? c.HeldOutCorrectedError : c.HeldOutError;
        return cases.Where(c => double.IsFinite(Error(c))).DefaultIfEmpty(cases[0]).MinBy(c => double.IsFinite(Error(c)) ? Error(c) : 0);
    }
}
