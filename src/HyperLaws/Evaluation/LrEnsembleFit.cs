using HyperLaws.Laws;
using HyperLaws.Runs;

namespace HyperLaws.Evaluation;

/// <summary>The four members of <see cref="LrEnsemble"/> fitted on a set of runs (<see cref="LrEnsemble.Fit"/>).</summary>
public sealed class LrEnsembleFit
{
    private readonly Func<IReadOnlyList<double>, double, LawFit, double> _anchor;
    private readonly Func<TrainingRun, double> _lrOf;

    internal LrEnsembleFit(IReadOnlyList<double> lrs, IReadOnlyDictionary<string, IReadOnlyDictionary<double, LrEnsembleMember>> perLr, LrEnsembleMember pooled,
        int runs, IReadOnlyDictionary<double, TrainingRun?> anchors, Func<IReadOnlyList<double>, double, LawFit, double> anchor, Func<TrainingRun, double> lrOf)
    {
        Anchors = anchors;
        Lrs = lrs;
        PerLr = perLr;
        PooledMember = pooled;
        Runs = runs;
        _anchor = anchor;
        _lrOf = lrOf;
    }

    /// <summary>The peak LRs of the runs, ascending (one per class of LRs equal to 1e-9 relative).</summary>
    public IReadOnlyList<double> Lrs { get; }

    /// <summary>Per per-LR member (<see cref="LrEnsemble.PerLrMembers"/>), its fit at each LR of <see cref="Lrs"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<double, LrEnsembleMember>> PerLr { get; }

    /// <summary>The pooled joint law (<see cref="LrEnsemble.Pooled"/>).</summary>
    public LrEnsembleMember PooledMember { get; }

    /// <summary>Per LR of <see cref="Lrs"/>, the run that anchors its candidates (its first run that ends at its peak), or null.</summary>
    public IReadOnlyDictionary<double, TrainingRun?> Anchors { get; }

    /// <summary>How many runs gave a fit target.</summary>
    public int Runs { get; }

    /// <summary>The LR of <see cref="Lrs"/> that <paramref name="run"/> was grouped under (NaN for a run not fitted).</summary>
    public double LrOf(TrainingRun run) => _lrOf(run);

    /// <summary>The LR of <see cref="Lrs"/> equal to <paramref name="peak"/> to 1e-9 relative, or null.</summary>
    public double? LrClass(double peak) => Lrs.Cast<double?>().FirstOrDefault(v => AnchoredPrediction.Same(v!.Value, peak));

    /// <summary>
    /// The members' predictions of a candidate with LR schedule <paramref name="lrs"/> (index 0 is step 1) at its last step: each
    /// member's value law(S) plus its offset; anchored, plus the residual r on its LR's constant run (<see cref="LrEnsemble.AnchorResidual"/>)
    /// and the anchored offset. A per-LR member exists only at the LRs of the runs (NaN elsewhere); the pooled member everywhere
    /// (anchored only where its LR has a constant run).
    /// </summary>
    public LrEnsemblePrediction Predict(double[] lrs)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        double peak = LrEnsemble.PeakLr(lrs);
        var history = new ScheduleHistory(lrs);
        int[] at = [lrs.Length];
        double? cls = LrClass(peak);
        var perLr = new List<double>();
        var residuals = new List<double>();
        foreach (string name in LrEnsemble.PerLrMembers)
        {
            if (cls is not { } lr || !PerLr[name].TryGetValue(lr, out var m))
            {
                perLr.Add(double.NaN);
                residuals.Add(0);
                continue;
            }
            double r = _anchor(lrs, lr, m.Fit);
            perLr.Add(m.Fit.Predict(history, at)[0] + r + m.AnchoredOffset);
            residuals.Add(r);
        }
        double v = PooledMember.Fit.Predict(history, at)[0];
        double rq = cls is { } c ? _anchor(lrs, c, PooledMember.Fit) : 0;
        residuals.Add(rq);
        int shared = cls is { } a && Anchors.GetValueOrDefault(a) is { } run ? AnchoredPrediction.SharedPrefix(lrs, run.LearningRates) : 0;
        return new LrEnsemblePrediction(cls ?? peak, perLr, v + rq + PooledMember.AnchoredOffset, v + PooledMember.Offset, residuals, shared);
    }

    /// <summary>
    /// <c>ensemble-lr-near</c>'s prediction (docs/VALIDATION.md, "Protocols 3h and 17h with the nearest seen LR's members", helper
    /// lrranker): at a peak LR of <see cref="Lrs"/>, exactly <see cref="Predict"/>'s. At a peak LR without runs, <see cref="Predict"/>'s
    /// Q, J and residuals (no anchor), with each per-LR member's value of the candidate's schedule at the seen LRs that bracket it
    /// (its law at the last step plus that LR's anchored offset, as <see cref="Predict"/> gives a candidate without a shared prefix)
    /// interpolated in log LR (<see cref="LrEnsemble.Neighbours"/>), and <see cref="LrEnsemblePrediction.Lr"/> the seen LR whose class
    /// it is ranked in.
    /// </summary>
    public LrEnsemblePrediction PredictNear(double[] lrs)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        var plain = Predict(lrs);
        double peak = LrEnsemble.PeakLr(lrs);
        if (LrClass(peak) is not null || Lrs.Count == 0 || !(peak > 0)) return plain;
        var history = new ScheduleHistory(lrs);
        int[] at = [lrs.Length];
        double Value(int l, double lr) => PerLr[LrEnsemble.PerLrMembers[l]].TryGetValue(lr, out var m) ? m.Fit.Predict(history, at)[0] + m.AnchoredOffset : double.NaN;
        return LrEnsemble.Near(plain, peak, Lrs, Value);
    }

    /// <summary>Ranks one candidate set: <see cref="LrEnsemble.Rank"/> (it uses the predictions only).</summary>
    /// <exception cref="ArgumentException">As <see cref="LrEnsemble.Rank"/>.</exception>
    public IReadOnlyList<LrEnsembleRanked> Rank(IReadOnlyList<LrEnsemblePrediction> predictions, IReadOnlyList<string> names) => LrEnsemble.Rank(predictions, names);
}
