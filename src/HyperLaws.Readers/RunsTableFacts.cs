namespace HyperLaws.Readers;

/// <summary>
/// What a table of finished runs (<see cref="RunsTableReader"/>) does not say per row and its source states once: the model size,
/// the batch and the schedule's shape. The schedule is Levanter's <c>lr_scheduler</c> as <see cref="HyperLaws.Divergence.SweepScheduleAssumption"/>
/// reads a point's own fields: linear warmup over <see cref="WarmupSteps"/>, then the decay to <see cref="MinLrRatio"/> x the peak over
/// the last <see cref="DecayFraction"/> of the steps (every step after the warmup when null), linear or cosine.
/// </summary>
/// <param name="Parameters">N, the model size every row shares (non-embedding where the source counts so).</param>
/// <param name="BatchTokens">Tokens per optimizer step (sequences x sequence length).</param>
/// <param name="SequenceLength">Tokens per sequence.</param>
/// <param name="WarmupSteps">Linear warmup from 0, in steps.</param>
/// <param name="MinLrRatio">The final LR as a fraction of the peak, in [0, 1].</param>
/// <param name="DecayFraction">The fraction of the steps in the final decay, in (0, 1], or null for every step after the warmup.</param>
/// <param name="LinearDecay">Whether the decay is linear (false: cosine).</param>
public sealed record RunsTableFacts(double Parameters, double BatchTokens, double SequenceLength, int WarmupSteps, double MinLrRatio, double? DecayFraction, bool LinearDecay)
{
    /// <summary>The first fact out of its range, named as <c>what: problem</c>, or null when every one is in range.</summary>
    public string? Problem()
    {
        if (!(Parameters > 0) || double.IsInfinity(Parameters)) return FormattableString.Invariant($"parameters must be a positive finite number (found {Parameters}).");
        if (!(BatchTokens > 0) || double.IsInfinity(BatchTokens)) return FormattableString.Invariant($"batch tokens must be a positive finite number (found {BatchTokens}).");
        if (!(SequenceLength > 0) || SequenceLength > BatchTokens) return FormattableString.Invariant($"the sequence length must be positive and at most the batch's tokens (found {SequenceLength}).");
        if (WarmupSteps < 0) return FormattableString.Invariant($"warmup steps must be 0 or more (found {WarmupSteps}).");
        if (!(MinLrRatio >= 0 && MinLrRatio <= 1)) return FormattableString.Invariant($"the final LR ratio must be in [0, 1] (found {MinLrRatio}).");
        if (DecayFraction is { } f && !(f > 0 && f <= 1)) return FormattableString.Invariant($"the decay fraction must be in (0, 1] (found {f}).");
        return null;
    }
}
