using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>A law's prediction of one run's final validation loss.</summary>
/// <param name="Run">The run.</param>
/// <param name="Predicted">The prediction: the law's value at the last step plus the LR's offset.</param>
/// <param name="LawValue">The law's value at the last step (on the scale of the curve it was fitted on).</param>
/// <param name="Training">True for a training run (an in-sample value, never scored as a prediction).</param>
public sealed record GridPrediction(GridRun Run, double Predicted, double LawValue, bool Training)
{
    public double Actual => Run.FinalLoss;

    /// <summary>|Predicted - Actual| / Actual.</summary>
    public double RelativeError => Math.Abs(Predicted - Actual) / Actual;
}

/// <summary>Errors of the predicted final losses of the held-out runs (those with a finite prediction).</summary>
/// <param name="Runs">Held-out runs scored.</param>
/// <param name="MeanRelErr">Mean of |predicted - actual| / actual.</param>
/// <param name="MaxRelErr">Largest |predicted - actual| / actual.</param>
/// <param name="Mae">Mean |predicted - actual| in loss units (nats).</param>
/// <param name="Worst">The run with the largest relative error.</param>
/// <param name="NonFinite">Held-out runs the law gave no finite value for (left out of the means, ranked last in groups).</param>
public sealed record FinalLossError(int Runs, double MeanRelErr, double MaxRelErr, double Mae, string Worst, int NonFinite)
{
    public static FinalLossError Of(IReadOnlyList<GridPrediction> predictions)
    {
        if (predictions.Count == 0) throw new ArgumentException("no held-out runs to score.");
        var finite = predictions.Where(p => double.IsFinite(p.Predicted)).ToList();
        int failed = predictions.Count - finite.Count;
        if (finite.Count == 0) return new FinalLossError(0, double.NaN, double.NaN, double.NaN, "", failed);
        var worst = finite.MaxBy(p => p.RelativeError)!;
        return new FinalLossError(finite.Count, finite.Average(p => p.RelativeError), worst.RelativeError,
            finite.Average(p => Math.Abs(p.Predicted - p.Actual)), worst.Run.Name, failed);
    }
}

/// <summary>
/// The best linear cooldown fraction of one (LR, horizon) cell, predicted and actual, among every linear
/// WSD run of the cell (the training fraction included, at its in-sample value).
/// </summary>
/// <param name="Regret">Actual final loss of the predicted fraction minus the best actual final loss (0 when right).</param>
public sealed record BestCooldown(double Lr, int Horizon, double Predicted, double Actual, double Regret, int Candidates)
{
    public bool Hit => Predicted == Actual;
}

/// <summary>One fit of a law: on one LR's training runs (Lr set), or on all of them (Lr null).</summary>
public sealed record GridFit(double? Lr, LawFit Fit, int Curves, int Points);

/// <summary>A run left out of the protocol, and why.</summary>
public sealed record ExcludedRun(GridRun Run, string Reason);

/// <summary>One law on protocol 3.</summary>
/// <param name="Law">Law name (LawCatalog).</param>
/// <param name="Fits">The fits (one per LR, or one pooled).</param>
/// <param name="Offsets">Per LR: mean over its training runs (all training runs when pooled) of (final validation loss - law value at the last step).</param>
/// <param name="Predictions">Every training and held-out run, in grid order.</param>
/// <param name="FinalLoss">Errors over the held-out runs.</param>
/// <param name="Groups">The (horizon, LR) groups of held-out runs.</param>
/// <param name="ByGroup">Hit rates over the (horizon, LR) groups.</param>
/// <param name="AtBestLr">Hit rates over one group per horizon: the (horizon, LR) group holding the horizon's best held-out run.</param>
/// <param name="AcrossLrs">Hit rates over one group per horizon holding the held-out runs of every LR (choosing LR and schedule together).</param>
/// <param name="BestCooldown">Predicted and actual best linear cooldown fraction per (LR, horizon).</param>
/// <param name="Elapsed">Fitting and predicting time.</param>
public sealed record LawGridResult(
    string Law, IReadOnlyList<GridFit> Fits, IReadOnlyDictionary<double, double> Offsets, IReadOnlyList<GridPrediction> Predictions,
    FinalLossError FinalLoss, IReadOnlyList<RankingGroup> Groups, HitRates ByGroup, HitRates AtBestLr, HitRates AcrossLrs,
    IReadOnlyList<BestCooldown> BestCooldown, TimeSpan Elapsed)
{
    public IEnumerable<GridPrediction> HeldOut => Predictions.Where(p => !p.Training);
}

/// <summary>Protocol 3 with one choice of options: the runs used and every law's result.</summary>
public sealed record GridResult(
    GridOptions Options, IReadOnlyList<GridRun> Train, IReadOnlyList<GridRun> HeldOut, IReadOnlyList<ExcludedRun> Excluded,
    IReadOnlyList<LawGridResult> Laws);

/// <summary>
/// A law's protocol-3 numbers averaged over several training fractions: each number is the mean over the
/// fractions of that fraction's value (MaxRelErr is the largest).
/// </summary>
public sealed record GridAverage(
    string Law, IReadOnlyList<double> Fractions, double Top1, double Top2, double AtBestLrTop1, double AtBestLrTop2,
    double AcrossLrsTop1, double AcrossLrsTop2, double MeanRelErr, double MaxRelErr, double Mae, double BestCooldownHits, double BestCooldownRegret)
{
    public static GridAverage Of(string law, IReadOnlyList<GridResult> results)
    {
        var rs = results.Select(r => r.Laws.Single(l => l.Law == law)).ToList();
        if (rs.Count == 0) throw new ArgumentException("no results to average.");
        return new GridAverage(law, [.. results.Select(r => r.Options.TrainFraction)],
            rs.Average(r => r.ByGroup.Top1), rs.Average(r => r.ByGroup.Top2),
            rs.Average(r => r.AtBestLr.Top1), rs.Average(r => r.AtBestLr.Top2),
            rs.Average(r => r.AcrossLrs.Top1), rs.Average(r => r.AcrossLrs.Top2),
            rs.Average(r => r.FinalLoss.MeanRelErr), rs.Max(r => r.FinalLoss.MaxRelErr), rs.Average(r => r.FinalLoss.Mae),
            rs.Average(r => r.BestCooldown.Count == 0 ? double.NaN : r.BestCooldown.Count(b => b.Hit) / (double)r.BestCooldown.Count),
            rs.Average(r => r.BestCooldown.Count == 0 ? double.NaN : r.BestCooldown.Average(b => b.Regret)));
    }
}
