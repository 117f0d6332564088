namespace HyperLaws.Theory;

/// <summary>
/// A hyperparameter a regime may hold fixed, named so that a front end can say which of its inputs is missing
/// (<see cref="MissingQuantityException"/>); the core itself names no command-line option.
/// </summary>
public enum ScalingQuantity
{
    /// <summary>The batch size b (<see cref="ScalingProblem.Batch"/>).</summary>
    Batch,

    /// <summary>The momentum beta = 1 - alpha (<see cref="ScalingProblem.Alpha"/>).</summary>
    Momentum,

    /// <summary>The learning rate eta (<see cref="ScalingProblem.LearningRate"/>).</summary>
    LearningRate,

    /// <summary>The batch-growth exponent c of the ridge (<see cref="ScalingProblem.RidgeExponent"/>).</summary>
    RidgeExponent,
}
