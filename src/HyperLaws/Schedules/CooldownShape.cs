namespace HyperLaws.Schedules;

/// <summary>
/// Shape of a cooldown from a start LR <c>a</c> to an end LR <c>b</c> with progress q in [0, 1]
/// (see <see cref="ScheduleMath.Cooldown"/>).
/// </summary>
public enum CooldownShape
{
    /// <summary>a - (a - b) q.</summary>
    Linear,

    /// <summary>"1 - sqrt": b + (a - b) (1 - sqrt(q)).</summary>
    Sqrt,

    /// <summary>b + (a - b) (1 + cos(pi q)) / 2.</summary>
    Cosine,

    /// <summary>Geometric: a (b / a)^q (needs b &gt; 0).</summary>
    Exp,
}
