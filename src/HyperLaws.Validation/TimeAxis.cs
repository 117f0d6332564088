namespace HyperLaws.Validation;

/// <summary>
/// What a law's step counts in protocol 17c (<see cref="CrossSizeLrSchedule.Run"/>): optimizer steps (the protocol as declared), or
/// tokens, in units of the smallest tokens per step among the protocol's runs (docs/VALIDATION.md, "Protocol 17c on tokens":
/// <see cref="HyperLaws.Laws.FitTarget.Stretched"/>).
/// </summary>
public enum TimeAxis
{
    /// <summary>Optimizer steps: every run's LR history as logged.</summary>
    Steps,

    /// <summary>Tokens: a run of k times the unit's tokens per step is stretched k-fold (k a whole number).</summary>
    Tokens,
}
