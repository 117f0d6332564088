using System.Globalization;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// Chooses <see cref="JointLaw"/>'s LR-cost mechanism by cross-validation on training curves only (never on a
/// test score): leave one group out, where a group is the curves of one peak LR when the training curves have
/// three or more peak LRs (the question is how the loss moves with the LR), else of one model size when there
/// are three or more sizes, else one curve. Each candidate of <see cref="JointMechanism.Candidates"/> is fitted
/// on the other groups and scored by the mean relative error of the held-out curves' last observed loss (the
/// final loss is what the law is for); the best is refitted on all curves.
/// </summary>
public static class JointLawSelection
{
    /// <param name="curves">The training curves.</param>
    /// <param name="options">Fit settings (<see cref="JointFitOptions.Mechanism"/> is replaced by each candidate).</param>
    /// <param name="group">Overrides the grouping (a key per curve).</param>
    public static JointSelection Select(IReadOnlyList<JointCurve> curves, JointFitOptions? options = null, Func<JointCurve, string>? group = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        options ??= new JointFitOptions();
        if (curves.Count == 0) throw new ArgumentException("Nothing to fit: no curves.");
        string how;
        if (group is not null) how = "given groups";
        else if (curves.Select(Peak).Distinct().Count() >= 3)
        {
            group = c => Peak(c).ToString("R", CultureInfo.InvariantCulture);
            how = "peak LR";
        }
        else if (curves.Select(c => c.ModelSize).Distinct().Count() >= 3)
        {
            group = c => c.ModelSize.ToString("R", CultureInfo.InvariantCulture);
            how = "model size";
        }
        else
        {
            group = c => c.Name;
            how = "curve";
        }
        var folds = curves.GroupBy(group).Select(g => g.ToList()).ToList();
        var scores = new List<MechanismScore>();
        foreach (var mechanism in JointMechanism.Candidates)
        {
            var settings = options with { Mechanism = mechanism, SelectMechanism = false };
            if (folds.Count < 2)
            {
                scores.Add(new MechanismScore(mechanism, double.NaN));
                continue;
            }
            double total = 0;
            int count = 0;
            foreach (var fold in folds)
            {
                var train = curves.Where(c => !fold.Contains(c)).ToList();
                var fit = JointLawFitter.Fit(train, settings);
                foreach (var c in fold)
                {
                    var predicted = new double[1];
                    ((JointLaw)fit.Law).Predict(fit.Parameters, c.History, c.ModelSize, c.BatchTokens, [c.Steps[^1]], predicted, c.Stride);
                    total += Math.Abs(predicted[0] / c.Loss[^1] - 1);
                    count++;
                }
            }
            scores.Add(new MechanismScore(mechanism, total / count));
        }
        var finite = scores.Where(s => double.IsFinite(s.Error)).ToList();
        var chosen = finite.Count == 0 ? JointMechanism.Full : finite.MinBy(s => s.Error)!.Mechanism;
        var final = JointLawFitter.Fit(curves, options with { Mechanism = chosen, SelectMechanism = false });
        return new JointSelection(chosen, scores, $"leave one {how} out, {folds.Count} folds", final);
    }

    /// <summary>A curve's peak LR.</summary>
    public static double Peak(JointCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        double peak = 0;
        for (int t = 1; t <= curve.History.Steps; t++) peak = Math.Max(peak, curve.History.Eta(t));
        return peak;
    }
}
