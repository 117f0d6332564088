using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>One variant of protocol 4's LR/batch part: an optimum estimator and a rule form, scored leave-one-cell-out; the estimator is
/// null for the pooled bowl, which fits the rule on the runs themselves (<see cref="PooledBowl"/>).</summary>
public sealed record StepLawVariant(string Name, OptimumEstimator? Estimator, RuleForm Form, OptimumEvaluationResult Result);
