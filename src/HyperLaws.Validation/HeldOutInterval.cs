using HyperLaws.Evaluation;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>One held-out final loss against its calibrated interval.</summary>
public sealed record HeldOutInterval(string Run, double Predicted, double Actual, double Lower, double Upper, ExtrapolationDistance Distance)
{
    /// <summary>True when the actual final loss lies inside the interval (ends included).</summary>
    public bool Inside => Actual >= Lower && Actual <= Upper;

    /// <summary>(upper - lower) / predicted.</summary>
    public double RelativeWidth => (Upper - Lower) / Predicted;
}
