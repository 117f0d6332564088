using HyperLaws.Optimum;

namespace HyperLaws.Planning;

/// <summary>
/// The published anchors a plan falls back on when the user's runs cannot calibrate the LR and batch rules:
/// Step Law (Li et al. 2025) and DeepSeek LLM (2024), both fitted on AdamW (<see cref="StepLawRule"/>, <see cref="DeepSeekRule"/>).
/// </summary>
public static class PublishedAnchors
{
    /// <summary>Every published anchor: Step Law, then DeepSeek.</summary>
    public static IReadOnlyList<IOptimumRule> Rules { get; } = [StepLawRule.Instance, DeepSeekRule.Instance];

    /// <summary>The primary anchor (Step Law: fitted on 1,911 dense runs, the most of any published LR/batch rule).</summary>
    public static IOptimumRule Primary => StepLawRule.Instance;

    /// <summary>The anchor's (LR, batch) for a model of <paramref name="n"/> parameters on <paramref name="d"/> tokens, the LR carried from AdamW to <paramref name="optimizer"/> (<see cref="FromAdamW"/>), with the optimizer's momentum.</summary>
    /// <exception cref="ArgumentException">n or d not positive and finite.</exception>
    public static AnchorPoint At(IOptimumRule rule, double n, double d, TrainingOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!(n > 0) || !double.IsFinite(n)) throw new ArgumentException($"the model size must be positive (got {n}).");
        if (!(d > 0) || !double.IsFinite(d)) throw new ArgumentException($"the token budget must be positive (got {d}).");
        var (lnEta, lnB) = rule.Predict(n, d);
        var (eta, note) = FromAdamW(Math.Exp(lnEta), optimizer, n);
        return new AnchorPoint(rule.Name, eta, Math.Exp(lnB), optimizer.AnchorMomentum(), note);
    }

    /// <summary>
    /// An AdamW learning rate carried over to <paramref name="optimizer"/>, with a note saying how:
    /// signSGD takes it as is (sign descent is Adam without its second-moment smoothing: the same per-coordinate step);
    /// Muon as is, on the premise that its update is scaled to AdamW's RMS (0.2 sqrt(max(m, n)) per matrix, Liu et al. 2025);
    /// normalized SGD times sqrt(N), the l-infinity-to-l2 norm factor rho of lmo-scaling.md, so that a step moves each
    /// coordinate about as far as AdamW's.
    /// </summary>
    public static (double LearningRate, string Note) FromAdamW(double adamLearningRate, TrainingOptimizer optimizer, double n) => optimizer switch
    {
        TrainingOptimizer.AdamW => (adamLearningRate, ""),
        TrainingOptimizer.SignSgd => (adamLearningRate, "signSGD takes the AdamW value as is (the same per-coordinate step)"),
        TrainingOptimizer.Muon => (adamLearningRate, "Muon takes the AdamW value as is: this assumes its update is scaled to AdamW's RMS (0.2 sqrt(max(m, n)) per matrix, Liu et al. 2025)"),
        TrainingOptimizer.NormalizedSgd => (adamLearningRate * Math.Sqrt(n), "normalized SGD: the AdamW value times sqrt(N), the l-inf-to-l2 norm factor, so each coordinate moves as far"),
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer)),
    };
}
