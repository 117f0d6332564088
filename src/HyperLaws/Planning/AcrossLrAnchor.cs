namespace HyperLaws.Planning;

/// <summary>How the plan's loss is anchored when no run of its shape lies within <see cref="AnchoredLoss.PeakFactor"/> of its peak (<see cref="PlanOptions.AnchorAcrossLr"/>).</summary>
public enum AcrossLrAnchor
{
    /// <summary>No anchor across LR: the plan's loss is the law's.</summary>
    Off,

    /// <summary>The nearest run of the plan's shape within <see cref="AnchoredLoss.MaxLrFactor"/>, the peak-LR part of the ratio from the joint law (<see cref="AnchoredLoss.PredictAcrossLr"/>).</summary>
    LrLaw,

    /// <summary>The same anchor with the plan's law's ratio alone, O(a) x M(p) / M(a) (the plan's law carries the peak move).</summary>
    PlanLaw,
}
