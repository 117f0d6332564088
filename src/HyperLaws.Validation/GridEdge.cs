using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// The stability edge of the joint law's edge term (<see cref="JointFitOptions.StabilityEdge"/>) for a fit on the 124M schedule grid:
/// <see cref="JointStabilityEdge.FitIntercept"/> on the divergence labels of the fit's training runs (stable, at their base LR, with their
/// final validation loss) and of every run of the grid that diverged (at its base LR, with its last observed loss, the plateau). A
/// diverged run is never a scored target (protocols 3, 7 and 8 exclude it), so its label is not held-out information; held-out runs'
/// labels are not used. Null when the labels have no diverged run (the edge cannot be placed; the term is then off).
/// </summary>
public static class GridEdge
{
    /// <summary>The edge for a fit on <paramref name="training"/>, with the diverged runs among <paramref name="all"/>; <paramref name="fixedHeight"/>: H fixed at H_max (<see cref="JointStabilityEdge.FixedHeight"/>).</summary>
    public static JointStabilityEdge? For(IEnumerable<GridRun> training, IEnumerable<GridRun> all, bool fixedHeight = false)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(all);
        var labels = new List<EdgeLabel>();
        foreach (var r in training.Where(r => !r.Diverged && double.IsFinite(r.FinalLoss)))
            labels.Add(new EdgeLabel(r.Lr, r.Run.Metadata.Parameters ?? double.NaN, double.NaN, double.NaN, false, r.FinalLoss));
        foreach (var r in all.Where(r => r.Diverged))
        {
            double last = r.Run.Split(LossSplit.Validation).Concat(r.Run.Split(LossSplit.Train)).Where(o => double.IsFinite(o.Loss))
                .Select(o => (o.Step, o.Loss)).DefaultIfEmpty((Step: 0, Loss: double.NaN)).MaxBy(o => o.Step).Loss;
            labels.Add(new EdgeLabel(r.Lr, r.Run.Metadata.Parameters ?? double.NaN, double.NaN, double.NaN, true, last));
        }
        return JointStabilityEdge.FitIntercept(labels) is { } edge ? edge with { FixedHeight = fixedHeight } : null;
    }

    /// <summary><paramref name="joint"/> with the edge of <see cref="For"/> when <paramref name="height"/> is given (the plateau variant fixes H at H_max); unchanged when null.</summary>
    public static JointFitOptions With(JointFitOptions joint, JointEdgeHeight? height, IEnumerable<GridRun> training, IEnumerable<GridRun> all) =>
        height is { } h ? joint with { StabilityEdge = For(training, all, h == JointEdgeHeight.Plateau) } : joint;
}
