using System.Diagnostics;
using HyperLaws.Divergence;
using HyperLaws.Fitting;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// The LR-axis prior (<see cref="LrAxisPrior"/>) fitted on the Step Law grid, and protocol 10, its transfer to the 124M
/// schedule grid. Declared in docs/VALIDATION.md before any score was computed:
/// <list type="bullet">
/// <item>Prior: <see cref="LrAxisPriorFitter"/> on the Step Law cells, each run one final smoothed loss with Step Law's
/// schedule (<see cref="StepLawJoint.Curve"/>), runs with loss above 2x their cell's best left out (protocol 4's rule).</item>
/// <item>For each base LR b of the 124M grid (those with a constant run) and each horizon H: the joint law is fitted on every
/// usable run at b (all horizons and schedules; validation points as protocol 3's <see cref="ScheduleGrid.Target"/>; N and
/// tokens per step from the run files) with the LR axis fixed from the prior at (N, D = H x tokens per step); the final-
/// validation offset is the mean over those runs of final loss minus the law (as protocol 7).</item>
/// <item>Scores: the final validation loss of every usable run at H at the other LRs (mean and max relative error); and per
/// (H, schedule label) with runs at three or more LRs, the law's optimal peak for the best run's shape over
/// [1e-4/4, 2e-3 x 4] (<see cref="JointLaw.OptimalPeak"/>), a hit when within x2 of the grid's best LR. Baseline: eta_ref(N, D)
/// alone (the rule the prior is measured in).</item>
/// </list>
/// </summary>
public static class LrTransfer
{
    /// <summary>The Step Law cells as LR-axis cells (each run's smoothed final loss).</summary>
    public static List<LrAxisCell> StepLawCells(SweepTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Cells.Select(c => new LrAxisCell(c.N, c.D, [.. c.Points.Select(p => new LrAxisPoint(p.LearningRate, p.BatchTokens, StepLawJoint.Loss(p)))]))];
    }

    /// <summary>The prior fitted on the Step Law table under <paramref name="dataRoot"/>; <paramref name="curvatureInTokens"/>: k(D) instead of one k (<see cref="LrAxisPriorFitter.Fit"/>).</summary>
    public static LrAxisPriorFit FitPrior(string dataRoot, bool curvatureInTokens = false) => LrAxisPriorFitter.Fit(StepLawCells(StepLawGrid.Load(dataRoot)), curvatureInTokens);

    /// <summary>Protocol 10 with a given prior; <paramref name="fitNoisePower"/> fits the joint law's noise power p in both of
    /// <see cref="JointPriorFit"/>'s fits (<see cref="JointFitOptions.FitNoisePower"/>; default p = 1).</summary>
    public static LrTransferResult Run(LrAxisPriorFit prior, IReadOnlyList<GridRun> runs, LossSplit fitOn = LossSplit.Validation, Action<string>? progress = null,
        bool fitNoisePower = false)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(runs);
        var watch = Stopwatch.StartNew();
        var usable = Usable(runs);
        var baseLrs = usable.Where(r => r.Family == "constant").Select(r => r.Lr).Distinct().Order().ToList();
        if (baseLrs.Count < 2) throw new ArgumentException("protocol 10 needs runs at two or more base LRs.");
        var horizons = usable.Select(r => r.Horizon).Distinct().Order().ToList();
        double lo = baseLrs[0] / LrAxis.OptimumRange, hi = baseLrs[^1] * LrAxis.OptimumRange;
        var optima = new List<LrTransferOptimum>();
        var predictions = new List<LrTransferPrediction>();
        foreach (double b in baseLrs)
        {
            var fitRuns = usable.Where(r => r.Lr == b).Select(r => (Run: r, Target: ScheduleGrid.Target(r, fitOn))).Where(x => x.Target is not null).ToList();
            var curves = fitRuns.Select(x => JointCurve.Of(x.Target!) with { BatchTokens = x.Run.Run.Metadata.TokensPerStep!.Value }).ToList();
            foreach (int h in horizons)
            {
                var atH = usable.Where(r => r.Horizon == h).ToList();
                if (atH.Count == 0) continue;
                double n = atH[0].Run.Metadata.Parameters!.Value, tokensPerStep = atH[0].Run.Metadata.TokensPerStep!.Value;
                progress?.Invoke(FormattableString.Invariant($"protocol 10: fitting on the {curves.Count} runs at lr={b:G3}, LR axis from the prior at {h} steps ..."));
                var made = JointPriorFit.Make(curves, prior.Prior, n, h * tokensPerStep, h, n, tokensPerStep, new JointFitOptions { FitNoisePower = fitNoisePower });
                var fit = made.Fit;
                var law = (JointLaw)fit.Law;
                progress?.Invoke(FormattableString.Invariant($"protocol 10: lr={b:G3}, {h} steps: noise power p {JointLaw.NoisePower(fit.Parameters):G4} ({fit.StopReason})"));
                double Value(GridRun r) => law.PredictFinal(fit.Parameters, r.History, r.Run.Metadata.Parameters!.Value, r.Run.Metadata.TokensPerStep!.Value);
                var residuals = fitRuns.Select(x => x.Run).Where(r => double.IsFinite(r.FinalLoss)).Select(r => r.FinalLoss - Value(r)).Where(double.IsFinite).ToList();
                double offset = residuals.Count == 0 ? 0 : residuals.Average();
                foreach (var r in atH.Where(r => r.Lr != b && double.IsFinite(r.FinalLoss)))
                    predictions.Add(new LrTransferPrediction(b, r.Name, r.Lr, h, r.Label, r.FinalLoss, Value(r) + offset));
                foreach (var (label, best) in OptimumCases(atH))
                {
                    var shape = best.Run.LearningRates.Select(x => x / best.Lr).ToArray();
                    var opt = law.OptimalPeak(fit.Parameters, peak => [.. shape.Select(s => s * peak)], lo, hi, n, tokensPerStep);
                    optima.Add(new LrTransferOptimum(b, h, label, best.Lr, opt.Peak, opt.Interior, made.Axis.OptimalLr));
                }
            }
        }
        return new LrTransferResult(prior, optima, predictions, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Protocol 10's usable runs of the 124M grid: every run of its split with the model size and tokens per step in its metadata.</summary>
    internal static List<GridRun> Usable(IReadOnlyList<GridRun> runs)
    {
        var (train, heldOut, _) = ScheduleGrid.Split(ScheduleGrid.Order(runs), double.NaN);
        return [.. train.Concat(heldOut).Where(r => r.Run.Metadata.Parameters is > 0 && r.Run.Metadata.TokensPerStep is > 0)];
    }

    /// <summary>Protocol 10's optimum cases among the runs of one horizon: per schedule label (ordinal order) with finite final losses at
    /// three or more LRs, the run with the lowest final loss.</summary>
    internal static IEnumerable<(string Label, GridRun Best)> OptimumCases(IEnumerable<GridRun> atHorizon)
    {
        foreach (var g in atHorizon.GroupBy(r => r.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var group = g.Where(r => double.IsFinite(r.FinalLoss)).ToList();
            if (group.Select(r => r.Lr).Distinct().Count() < 3) continue;
            yield return (g.Key, group.MinBy(r => r.FinalLoss)!);
        }
    }

}
