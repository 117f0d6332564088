using HyperLaws.Evaluation;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>The in-sample fit on one training size's curves.</summary>
public sealed record SizeCheck(double ModelSize, MetricSummary Summary);
