using HyperLaws.Fitting.Internal;
using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// Prediction intervals of a fitted law for any schedule, from its bootstrap. Two sources of error are
/// combined on the relative scale, as a bootstrap prediction interval (Davison &amp; Hinkley 1997, sec. 6.3.3):
/// <code>
/// L*(t) = L_hat_b(t) (1 + e_k),   b = 1..B (bootstrap parameter samples),   k = 1..K (residual quantiles)
/// </code>
/// L_hat_b is the law with sample b's parameters (parameter uncertainty); e_k are the K equal-mass
/// quantiles of the full fit's relative training residuals L / L_hat - 1 (the model's own error, taken
/// as independent of b). All B K values count equally; the interval at level a is their type-7
/// quantiles at (1 - a)/2 and (1 + a)/2, and the median their 0.5 quantile. Unlike adding the two
/// sources' interval half-widths, this is the quantile of their product distribution, so neither
/// source is double-counted. Both sources are measured in sample: extrapolating to a schedule far from
/// the training curves adds error that neither sees (see <c>Calibration</c> in HyperLaws.Validation).
/// </summary>
public sealed class PredictionIntervals
{
    private readonly ILossLaw _law;
    private readonly double[] _parameters;
    private readonly BootstrapSamples _bootstrap;

    /// <summary>Intervals of <paramref name="law"/> with the full-data <paramref name="parameters"/> and their <paramref name="bootstrap"/>.</summary>
    /// <exception cref="ArgumentException">The parameter count does not match the law, or the samples are invalid for it (<see cref="BootstrapSamples.Check"/>).</exception>
    public PredictionIntervals(ILossLaw law, IReadOnlyList<double> parameters, BootstrapSamples bootstrap)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(bootstrap);
        if (parameters.Count != law.ParameterNames.Count) throw new ArgumentException($"{law.Name} has {law.ParameterNames.Count} parameters, not {parameters.Count}.");
        bootstrap.Check(law.ParameterNames.Count);
        _law = law;
        _parameters = [.. parameters];
        _bootstrap = bootstrap;
    }

    /// <summary>The intervals of a bootstrapped fit.</summary>
    public static PredictionIntervals From(BootstrapResult result) => new(result.Fit.Law, result.Fit.Parameters, result.Bootstrap);

    /// <summary>The bootstrap samples the intervals are drawn from.</summary>
    public BootstrapSamples Bootstrap => _bootstrap;

    /// <summary>The prediction and its central interval at <paramref name="level"/> at each of <paramref name="steps"/>.</summary>
    public IntervalPrediction Predict(ScheduleHistory history, int[] steps, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(steps);
        if (!(level > 0 && level < 1)) throw new ArgumentException($"The interval level must be between 0 and 1 (got {level}).");
        var point = new double[steps.Length];
        _law.Predict(_parameters, history, steps, point);
        var samples = _bootstrap.Samples;
        var byStep = new double[samples.Count][];
        for (int b = 0; b < samples.Count; b++)
        {
            byStep[b] = new double[steps.Length];
            _law.Predict(samples[b], history, steps, byStep[b]);
        }
        var factors = _bootstrap.ResidualQuantiles.Select(e => 1 + e).ToArray();
        var lower = new double[steps.Length];
        var median = new double[steps.Length];
        var upper = new double[steps.Length];
        var mixture = new double[samples.Count * factors.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            int n = 0;
            for (int b = 0; b < samples.Count; b++)
            {
                double y = byStep[b][i];
                if (!double.IsFinite(y)) continue;   // a sample the schedule drives out of range: left out at this step
                foreach (double f in factors) mixture[n++] = y * f;
            }
            var values = mixture.AsSpan(0, n);
            values.Sort();
            lower[i] = Quantile.OfSorted(values, (1 - level) / 2);
            median[i] = Quantile.OfSorted(values, 0.5);
            upper[i] = Quantile.OfSorted(values, (1 + level) / 2);
        }
        return new IntervalPrediction([.. steps], level, point, lower, median, upper);
    }
}
