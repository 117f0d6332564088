namespace HyperLaws.Validation;

/// <summary>
/// What a law's step counts in protocol 17c (<see cref="CrossSizeLrSchedule.Run"/>): optimizer steps (the protocol as declared),
/// steps at the smallest batch by the critical batch, or tokens, in units of the smallest tokens per step among the protocol's runs (docs/VALIDATION.md, "Protocol 17c on tokens":
/// <see cref="HyperLaws.Laws.FitTarget.Stretched(int)"/>).
/// </summary>
public enum TimeAxis
{
    /// <summary>Optimizer steps: every run's LR history as logged.</summary>
    Steps,

    /// <summary>Tokens: a run of k times the unit's tokens per step is stretched k-fold (k a whole number).</summary>
    Tokens,

    /// <summary>
    /// Steps at the unit's batch counted by the critical batch (<see cref="HyperLaws.Laws.StepEquivalence"/>, B_noise from protocol 5,
    /// <see cref="HyperLaws.Laws.CriticalBatchLaw.Protocol5"/>): a run of B tokens per step is stretched w-fold, w = (1 + B_noise / B_r) /
    /// (1 + B_noise / B), between 1 (steps) and B / B_r (tokens); docs/VALIDATION.md "Protocol 17c with steps counted by the critical batch".
    /// </summary>
    CriticalBatch,
}
