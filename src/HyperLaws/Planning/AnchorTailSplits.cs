namespace HyperLaws.Planning;

/// <summary>
/// For which fitted split the anchored loss's O(a) of an anchor without a final evaluation is its tail estimate
/// (<see cref="AnchoredLoss.TailEstimate"/>, <see cref="PlanOptions.AnchorTail"/>) rather than its last logged loss.
/// </summary>
public enum AnchorTailSplits
{
    /// <summary>Never: the last logged loss of the fitted split.</summary>
    None,

    /// <summary>Plans fitted on the train curve (the default, by docs/VALIDATION.md "The plan's anchor without a final evaluation"); a validation curve keeps its last point.</summary>
    Train,

    /// <summary>Plans fitted on either curve (the validation part failed its declared rule on the 124M grid: an option).</summary>
    TrainAndValidation,
}
