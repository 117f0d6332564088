namespace HyperLaws.Planning.Sweeps;

/// <summary>The schedules of the arm run at each budget's centre LR and batch (beside the grid's WSD).</summary>
public enum SweepArm
{
    /// <summary>Constant after the warmup: the pure S1 (intrinsic time) power law, no decay term.</summary>
    Constant,

    /// <summary>Cosine to zero: a decay spread over the whole run.</summary>
    Cosine,

    /// <summary>WSD with the second cooldown length: how the decay term grows with the cooldown.</summary>
    Wsd,
}
