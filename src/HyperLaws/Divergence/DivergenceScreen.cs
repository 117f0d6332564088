using HyperLaws.Evaluation;
using HyperLaws.Laws;

namespace HyperLaws.Divergence;

/// <summary>
/// A fitted divergence model (<see cref="DivergenceModel"/>) as the screen of schedule pre-selection:
/// a candidate diverges when the model's default predictor says so for a model of
/// <see cref="ModelSize"/> parameters trained with <see cref="BatchTokens"/> tokens per step.
/// </summary>
public sealed class DivergenceScreen(DivergenceModel model, double modelSize, double batchTokens) : IDivergenceScreen
{
    /// <summary>The model size N (parameters) the screen judges candidates at.</summary>
    public double ModelSize { get; } = modelSize > 0 && double.IsFinite(modelSize) ? modelSize : throw new ArgumentException($"the divergence screen needs a positive model size (got {modelSize}).");

    /// <summary>The batch size (tokens per optimizer step) the screen judges candidates at.</summary>
    public double BatchTokens { get; } = batchTokens > 0 && double.IsFinite(batchTokens) ? batchTokens : throw new ArgumentException($"the divergence screen needs positive tokens per step (got {batchTokens}).");

    /// <summary>The predictor whose verdict the screen returns (the model's default).</summary>
    public DivergencePredictorKind DefaultPredictor => model.Default;

    /// <summary>The model's verdict; the law's model size is ignored (the screen has its own).</summary>
    public bool? Diverges(ScheduleHistory history, double modelSize) => Predict(history).Diverges;

    /// <summary>The model's verdict and its P(diverge) = sigmoid(k ln(peak / eta_crit)) from one prediction; the law's model size is ignored.</summary>
    public ScreenVerdict Screen(ScheduleHistory history, double modelSize)
    {
        var p = Predict(history);
        return new ScreenVerdict(p.Diverges, p.Probability);
    }

    /// <summary>
    /// The critical peak LR at this screen's size and batch for a run of <paramref name="steps"/> steps with
    /// <paramref name="warmupSteps"/> warmup steps (tokens = steps x batch): the cap a planner puts on its peak.
    /// </summary>
    public double CriticalPeakLr(long steps, double warmupSteps) =>
        steps >= 1 ? model.CriticalPeakLr(ModelSize, BatchTokens, steps * BatchTokens, warmupSteps) : throw new ArgumentOutOfRangeException(nameof(steps), steps, "a run has at least one step.");

    /// <summary>The peak LR at which P(diverge) reaches <paramref name="probability"/> for such a run (a stricter cap than eta_crit for p &lt; 1/2).</summary>
    public double PeakAtProbability(double probability, long steps, double warmupSteps) =>
        model.Rule.PeakAtProbability(probability, ModelSize, BatchTokens, steps * BatchTokens, warmupSteps);

    /// <summary>The full prediction (eta_crit, margin, areas, probability) for a schedule.</summary>
    public DivergencePrediction Predict(ScheduleHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Predict(history.EtaSpan[1..]);
    }

    /// <summary>
    /// The full prediction for a schedule given as its LRs (step t at index t - 1), each finite and &gt;= 0: the same as
    /// <see cref="Predict(ScheduleHistory)"/> of their history, without building it (the planner screens ~100 schedules of up to
    /// 10^6 steps).
    /// </summary>
    /// <exception cref="ArgumentException">An LR is not finite or negative, or there is none.</exception>
    public DivergencePrediction Predict(ReadOnlySpan<double> learningRates)
    {
        for (int i = 0; i < learningRates.Length; i++)
            if (!double.IsFinite(learningRates[i]) || learningRates[i] < 0) throw new ArgumentException($"Learning rate at step {i + 1} is {learningRates[i]} (must be finite and >= 0).");
        return model.Predict(DivergenceExample.FromSchedule("candidate", "candidate", ModelSize, BatchTokens, learningRates, false));
    }
}
