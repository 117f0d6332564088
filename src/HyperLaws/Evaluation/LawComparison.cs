using HyperLaws.Laws;

namespace HyperLaws.Evaluation;

/// <summary>Fit on some curves, predict the others: the protocol behind 'compare' and 'validate'.</summary>
public static class LawComparison
{
    /// <summary>Fits <paramref name="law"/> on <paramref name="train"/> and scores its predictions of every curve of <paramref name="test"/> (per-curve metrics, their summary, and Kendall's tau between actual and predicted final losses over the training and test curves together).</summary>
    /// <param name="law">The law.</param>
    /// <param name="train">The curves it is fitted on.</param>
    /// <param name="test">The curves it predicts.</param>
    /// <param name="options">The fit's settings.</param>
    /// <param name="fitter">How the law is fitted (default <see cref="LawFitter.Fit"/>; the planner passes the identified fit, so that its held-out check judges the law it uses).</param>
    /// <exception cref="ArgumentException">No held-out curves, or training curves the fit refuses.</exception>
    public static LawScore Score(IFittableLaw law, IReadOnlyList<FitTarget> train, IReadOnlyList<FitTarget> test, FitOptions? options = null,
        Func<IFittableLaw, IReadOnlyList<FitTarget>, FitOptions?, LawFit>? fitter = null)
    {
        if (test.Count == 0) throw new ArgumentException("no held-out curves to predict.");
        var fit = fitter is null ? LawFitter.Fit(law, train, options) : fitter(law, train, options);
        var predictions = test.Select(t => fit.Predict(t.History, t.Steps, t.ModelSize)).ToList();
        var metrics = test.Select((t, i) => CurveMetrics.Of(t.Loss, predictions[i])).ToList();
        var all = train.Concat(test).ToList();
        double tau = KendallTau(
            all.Select(t => t.Loss[^1]).ToArray(),
            all.Select(t => fit.Predict(t.History, [t.Steps[^1]], t.ModelSize)[0]).ToArray());
        return new LawScore(fit, metrics, predictions, MetricSummary.Of(metrics), tau);
    }

    /// <summary>Kendall's tau-b (ties counted in neither concordant nor discordant pairs, corrected in the denominator).</summary>
    public static double KendallTau(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException("the rankings differ in length.");
        if (a.Concat(b).Any(double.IsNaN)) return double.NaN;
        long concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
        for (int i = 0; i < a.Count; i++)
            for (int j = i + 1; j < a.Count; j++)
            {
                double da = Math.Sign(a[i] - a[j]), db = Math.Sign(b[i] - b[j]);
                if (da == 0 && db == 0) continue;
                if (da == 0) tiesA++;
                else if (db == 0) tiesB++;
                else if (da == db) concordant++;
                else discordant++;
            }
        double denominator = Math.Sqrt((double)(concordant + discordant + tiesA) * (concordant + discordant + tiesB));
        return denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
    }
}
