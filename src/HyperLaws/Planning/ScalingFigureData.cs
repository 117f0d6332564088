namespace HyperLaws.Planning;

/// <summary>The data of the scaling-rules figures: LR and batch against the token budget, the plan and the runs marked.</summary>
public sealed record ScalingFigureData(IReadOnlyList<RuleCurve> LearningRate, IReadOnlyList<RuleCurve> BatchTokens,
    IReadOnlyList<ScalingPoint> LearningRatePoints, IReadOnlyList<ScalingPoint> BatchPoints);
