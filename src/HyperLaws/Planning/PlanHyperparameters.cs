namespace HyperLaws.Planning;

/// <summary>The batch, step count, momentum and LR scale of a plan, and where they came from.</summary>
/// <param name="BatchTokens">Tokens per optimizer step (= <see cref="BatchSequences"/> x sequence length).</param>
/// <param name="BatchSequences">Sequences per optimizer step, rounded to the batch multiple.</param>
/// <param name="Steps">Optimizer steps, round(T / batch tokens).</param>
/// <param name="Momentum">beta1 (beta = 1 - alpha in the LMO theory).</param>
/// <param name="RuleLearningRate">The peak LR the scaling rule gives at the target (before the law's choice of a multiple of it).</param>
/// <param name="Source">"calibrated" (the LMO transfer rules fitted to the user's runs) or "anchor" (published rules as priors).</param>
/// <param name="SourceName">Which rule: e.g. "Step Law (Li et al. 2025)" or "LMO ridge path c = 0.41, calibrated on 12 runs".</param>
public sealed record PlanHyperparameters(double BatchTokens, int BatchSequences, int Steps, double Momentum, double RuleLearningRate, string Source, string SourceName)
{
    /// <summary>
    /// The factor the rule's LR took for a batch the user fixed (<see cref="ScalingRules.FixedBatchLrFactor"/>, sqrt(B / B_rule); 1 at the
    /// rule's own batch). The LR-axis prior's eta_ref is carried to the plan's batch by the same factor, so the two never disagree about
    /// a change of batch; their levels agree only where the rule's batch B_rule is Step Law's B*(D) (eta_ref's), i.e. the default
    /// anchor without a batch calibrated from the runs (scope: <c>LrAxisPrior.ReferenceLr(n, d, batchFactor)</c>).
    /// </summary>
    public double BatchLrFactor { get; init; } = 1;
}
