namespace HyperLaws.Planning;

/// <summary>The optimizers a plan or a sweep can be made for.</summary>
public enum TrainingOptimizer
{
    /// <summary>AdamW: the optimizer of the published LR/batch anchors (Step Law, DeepSeek).</summary>
    AdamW,

    /// <summary>Muon on the matrices (AdamW on the rest), its update scaled to AdamW's RMS (Liu et al. 2025, "Muon is scalable").</summary>
    Muon,

    /// <summary>signSGD with momentum: the LMO theory's stand-in for Adam.</summary>
    SignSgd,

    /// <summary>Normalized SGD with momentum (l2 ball).</summary>
    NormalizedSgd,
}
