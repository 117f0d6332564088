using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// A diagnostic of protocol 4's joint-law bias (not a protocol): the joint law fitted on each Step Law cell alone (runs with
/// loss at most 2x the cell's best, as <see cref="StepLawJoint"/>), its optimal peak LR at the batch of the cell's best run
/// (49-point log scan over the cell's LRs) over the grid's best LR. In sample, one cell at a time: it tells whether the law's
/// form can place a cell's optimum at all, apart from carrying it across cells.
/// </summary>
public static class StepLawJointInSample
{
    /// <summary>Law optimum / grid best per cell, in the table's cell order.</summary>
    /// <param name="table">The Step Law table.</param>
    /// <param name="mechanism">The LR mechanisms fitted.</param>
    /// <param name="withBatch">False: every run's batch is left out (u = 1: the noise does not scale with 1/B).</param>
    public static List<double> Ratios(SweepTable table, JointMechanism mechanism, bool withBatch)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(mechanism);
        var assumption = new SweepScheduleAssumption();
        var ratios = new List<double>();
        foreach (var cell in table.Cells)
        {
            var gridBest = cell.Points.MinBy(StepLawJoint.Loss)!;
            double best = StepLawJoint.Loss(gridBest);
            var curves = SweepFinite.Of(cell.Points, StepLawJoint.Loss)
                .Select(x => StepLawJoint.Curve(x, assumption, StepLawJoint.Loss(x)) is var c && withBatch ? c : c with { BatchTokens = double.NaN }).ToList();
            var fit = JointLawFitter.Fit(curves, new JointFitOptions { Mechanism = mechanism });
            var law = (JointLaw)fit.Law;
            double lo = Math.Log(cell.Points.Min(x => x.LearningRate)), hi = Math.Log(cell.Points.Max(x => x.LearningRate));
            (double Lr, double Loss) bestPoint = (double.NaN, double.PositiveInfinity);
            for (int i = 0; i < 49; i++)
            {
                double eta = Math.Exp(lo + i * (hi - lo) / 48);
                var c = StepLawJoint.Curve(gridBest with { LearningRate = eta }, assumption, 1);
                var y = new double[1];
                law.Predict(fit.Parameters, c.History, c.ModelSize, withBatch ? c.BatchTokens : double.NaN, c.Steps, y, c.Stride);
                if (y[0] < bestPoint.Loss) bestPoint = (eta, y[0]);
            }
            ratios.Add(bestPoint.Lr / gridBest.LearningRate);
        }
        return ratios;
    }

}
