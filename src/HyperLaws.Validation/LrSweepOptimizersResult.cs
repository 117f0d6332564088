namespace HyperLaws.Validation;

/// <summary>Protocol 23's result: protocol 20's procedure per optimizer (<see cref="LrSweepOptimizerResult"/>).</summary>
/// <param name="Optimizers">One per optimizer run, in the order of their first table.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record LrSweepOptimizersResult(IReadOnlyList<LrSweepOptimizerResult> Optimizers, double Seconds)
{
    /// <summary>The optimizer of protocol 20 (AdamW), reported beside the others as a reference and not counted by protocol 23's rule.</summary>
    public const string Reference = "adamw";

    /// <summary>The divergence label the runs were scored with.</summary>
    public SweepDivergenceLabel Label { get; init; } = LrSweepOptimizers.DefaultLabel;

    /// <summary>The optimizers the rule counts: those other than <see cref="Reference"/> with at least one headline cell.</summary>
    public IReadOnlyList<LrSweepOptimizerResult> Counted => [.. Optimizers.Where(o => o.Optimizer != Reference && o.RuleMet is not null)];

    /// <summary>How many of <see cref="Counted"/> meet protocol 20's rule.</summary>
    public int RuleMetCount => Counted.Count(o => o.RuleMet == true);
}
