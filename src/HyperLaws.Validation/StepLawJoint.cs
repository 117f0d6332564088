using System.Diagnostics;
using HyperLaws.Divergence;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 4, the LR optimum read off the fitted loss law (the joint law) on the Step Law grid, leave one cell
/// out. Declared before any gap was computed:
/// <list type="bullet">
/// <item>Each run is one final loss (the smoothed loss, as Step Law fits and as protocol 4's other part scores) at
/// its last step, with N, batch (tokens) and the schedule Step Law describes (<see cref="SweepScheduleAssumption"/>:
/// 2,000 warmup steps, cosine to the run's minimum LR), as a coarse history of at most
/// <see cref="Entries"/> entries (each entry a block of steps at the LR of its middle step).</item>
/// <item>Fitted runs: those with loss at most 2x their cell's best (the others are the divergence label of protocol 4,
/// which a loss law does not model). The law: both mechanisms (saturation and cost), chosen before scoring: the
/// cross-validated choice of the 124M protocols is not repeated per fold here (17 x 4 x 16 fits). Each cell has
/// its own offset (<see cref="JointFitOptions.GroupOffsets"/>): the cells come from different model shapes and
/// data amounts, and the optimum's position depends on the shape of the loss in (LR, batch), not on its level.</item>
/// <item>For the held-out cell, the law's optimum: the lowest predicted final loss over a 49-point log grid of peak
/// LRs spanning the cell's LRs and each batch the cell has; scored as protocol 4 scores rules
/// (<see cref="NearestRun"/>: the grid run nearest in (ln LR, ln batch), its smooth loss over the cell's best).</item>
/// </list>
/// </summary>
public static class StepLawJoint
{
    /// <summary>Most entries of a run's coarse history.</summary>
    public const int Entries = 1000;

    /// <summary>
    /// The final loss of sweep point <paramref name="p"/> under the fitted joint law (<paramref name="parameters"/>), on the run's coarse
    /// history (<see cref="Curve"/>): the one evaluation protocols 4, 20, 22 and 24 make of a fitted law at a sweep point.
    /// </summary>
    public static double FinalLoss(JointLaw law, double[] parameters, SweepPoint p, SweepScheduleAssumption assumption)
    {
        ArgumentNullException.ThrowIfNull(law);
        var c = Curve(p, assumption, 1);
        var y = new double[1];
        law.Predict(parameters, c.History, c.ModelSize, c.BatchTokens, c.Steps, y, c.Stride);
        return y[0];
    }

    /// <summary>The run's coarse history: stride k = ceil(steps / Entries), entry j at the LR of step j k - k/2.</summary>
    public static JointCurve Curve(SweepPoint p, SweepScheduleAssumption assumption, double loss)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(assumption);
        int stride = (int)Math.Ceiling(p.Iterations / (double)Entries);
        int n = (int)Math.Ceiling(p.Iterations / (double)stride);
        var lr = assumption.LrOf(p);
        var eta = new double[n];
        for (int j = 0; j < n; j++) eta[j] = lr(Math.Min(p.Iterations, (long)j * stride + (stride + 1) / 2));
        return new JointCurve(p.Name, new ScheduleHistory(eta), [n], [loss], p.N, p.BatchTokens) { Stride = stride };
    }

    /// <summary>
    /// Runs the protocol: per cell, fits the joint law on the other cells' runs (<paramref name="options"/>; default: cell
    /// offsets on) and scores its optimum on the held-out cell. With <paramref name="stabilityEdge"/> each fold also fits the joint law's
    /// stability-edge term, its edge placed by <see cref="JointStabilityEdge.FitIntercept"/> on the training cells' divergence labels (a run
    /// diverged when its loss exceeds 2x its cell's best, as protocol 4's divergence part labels it; peak = its LR, D = steps x batch).
    /// </summary>
    /// <param name="fitWindow">
    /// The training cells' runs fitted: loss at most <paramref name="fitWindow"/> x their cell's best (the protocol's 2, the default: every
    /// run that did not diverge). A smaller window (issue 10, helper gapcell, an option for a diagnosis: 1.02 is the pooled bowl's) fits
    /// the law only near each cell's bottom, not the wall above it; the held-out cell is scored as always (its error over the 2x runs).
    /// </param>
    public static StepLawJointResult Run(SweepTable table, Action<string>? progress = null, JointFitOptions? options = null, JointEdgeHeight? stabilityEdge = null, double fitWindow = 2)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!(fitWindow >= 1 && fitWindow <= 2)) throw new ArgumentOutOfRangeException(nameof(fitWindow), fitWindow, "the fit window must lie in [1, 2] (a multiple of the cell's best loss).");
        options ??= new JointFitOptions { GroupOffsets = true };
        var watch = Stopwatch.StartNew();
        var assumption = new SweepScheduleAssumption();
        var curves = new Dictionary<SweepCell, List<(SweepPoint Point, JointCurve Curve)>>();
        foreach (var cell in table.Cells) curves[cell] = CellRuns(cell, assumption);
        var cells = new List<StepLawJointCell>();
        foreach (var held in table.Cells)
        {
            var train = table.Cells.Where(c => c != held).SelectMany(c => Window(curves[c], fitWindow).Select(x => x.Curve)).ToList();
            progress?.Invoke(FormattableString.Invariant($"joint: fitting without N={held.N:G3} D={held.D:G3} on {train.Count} runs ..."));
            var foldOptions = options;
            if (stabilityEdge is { } height)
            {
                var labels = table.Cells.Where(c => c != held).SelectMany(c =>
                {
                    double best = SweepFinite.Best(c.Points, Loss);
                    return c.Points.Select(x => new EdgeLabel(x.LearningRate, x.N, x.BatchTokens, (double)x.Iterations * x.BatchTokens, !SweepFinite.IsFinite(Loss(x), best), Loss(x)));
                }).ToList();
                foldOptions = options with { StabilityEdge = JointStabilityEdge.FitIntercept(labels) is { } fitted ? fitted with { FixedHeight = height == JointEdgeHeight.Plateau } : null };
                if (foldOptions.StabilityEdge is { } e)
                    progress?.Invoke(FormattableString.Invariant($"joint: stability edge {Math.Exp(e.LnEdge):G3} at N 1e8, batch 1e6, D 1e10 (k {e.Slope:G3}, H_max {e.MaxHeight:G3})"));
            }
            var fit = JointLawFitter.Fit(train, foldOptions);
            var law = (JointLaw)fit.Law;
            double Predict(SweepPoint p) => FinalLoss(law, fit.Parameters, p, assumption);
            // The held-out cell's offset is unknown to a law with cell offsets: its shape error is scored after the
            // cell's mean residual is removed (the offset does not move the argmin); with one offset, as predicted.
            var residuals = curves[held].Select(x => Predict(x.Point) - Loss(x.Point)).ToList();
            double shift = options.GroupOffsets ? residuals.Average() : 0;
            double error = curves[held].Select((x, i) => Math.Abs((residuals[i] - shift) / Loss(x.Point))).Average();
            double lo = Math.Log(held.Points.Min(x => x.LearningRate)), hi = Math.Log(held.Points.Max(x => x.LearningRate));
            var template = held.Points[0];
            (double Lr, double Batch, double Loss) bestPoint = (double.NaN, double.NaN, double.PositiveInfinity);
            foreach (var batch in held.Points.Select(x => (x.BatchSizeSequences, x.BatchTokens)).Distinct())
                for (int i = 0; i < 49; i++)
                {
                    double eta = Math.Exp(lo + i * (hi - lo) / 48);
                    int steps = (int)Math.Max(1, Math.Round(held.D / batch.BatchTokens));
                    var candidate = template with { LearningRate = eta, BatchSizeSequences = batch.BatchSizeSequences, BatchTokens = batch.BatchTokens, Iterations = steps };
                    double v = Predict(candidate);
                    if (v < bestPoint.Loss) bestPoint = (eta, batch.BatchTokens, v);
                }
            var gap = NearestRun.Gap(held, Math.Log(bestPoint.Lr), Math.Log(bestPoint.Batch));
            var gridBest = held.Points.MinBy(x => Loss(x))!;
            cells.Add(new StepLawJointCell(held.N, held.D, bestPoint.Lr, bestPoint.Batch, gap.Gap, gridBest.LearningRate, gridBest.BatchTokens, error,
                fit.Parameters[JointLaw.LrSizeExponent], fit.Parameters[JointLaw.LrDataExponent], fit.Parameters[JointLaw.LrBatchExponent]));
            progress?.Invoke(FormattableString.Invariant($"joint: H_edge {(fit.Parameters.Length > JointLaw.EdgeHeight ? fit.Parameters[JointLaw.EdgeHeight] : 0):G3}, gap {100 * gap.Gap:F3}%, final-loss error {100 * error:F3}%, law LR {bestPoint.Lr:G3} (grid best {gridBest.LearningRate:G3}), gamma_eta {fit.Parameters[JointLaw.LrSizeExponent]:G3}, delta_eta {fit.Parameters[JointLaw.LrDataExponent]:G3}, b_eta {fit.Parameters[JointLaw.LrBatchExponent]:G3}, a_N {fit.Parameters[JointLaw.ProgressExponent]:G3}"));
        }
        return new StepLawJointResult(cells, watch.Elapsed.TotalSeconds, curves.Values.Sum(v => v.Count));
    }

    /// <summary>
    /// The runs of one cell (its finite runs, loss at most 2x its best) with loss at most <paramref name="window"/> x the cell's best, in their
    /// order; all of them when the window is 2 or more.
    /// </summary>
    public static List<(SweepPoint Point, JointCurve Curve)> Window(IReadOnlyList<(SweepPoint Point, JointCurve Curve)> runs, double window)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (window >= 2 || runs.Count == 0) return [.. runs];
        double best = runs.Min(x => Loss(x.Point));
        return [.. runs.Where(x => Loss(x.Point) <= window * best)];
    }

    /// <summary>A cell's finite runs (<see cref="SweepFinite.Of{T}(IReadOnlyCollection{T}, Func{T, double})"/>), each with its coarse history grouped by the cell, in the table's order.</summary>
    public static List<(SweepPoint Point, JointCurve Curve)> CellRuns(SweepCell cell, SweepScheduleAssumption assumption)
    {
        ArgumentNullException.ThrowIfNull(cell);
        string key = FormattableString.Invariant($"N={cell.N:R} D={cell.D:R}");
        return [.. SweepFinite.Of(cell.Points, Loss).Select(x => (x, Curve(x, assumption, Loss(x)) with { Group = key }))];
    }

    /// <summary>The smoothed loss when the table has one, else the loss.</summary>
    public static double Loss(SweepPoint p) => double.IsFinite(p.SmoothLoss) ? p.SmoothLoss : p.Loss;
}
