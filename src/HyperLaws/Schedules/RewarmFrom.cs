namespace HyperLaws.Schedules;

/// <summary>Where the warmup of a continued run starts (see <see cref="ContinuedSchedule"/>).</summary>
public enum RewarmFrom
{
    /// <summary>The next schedule's own warmup (from its warmupInit, default 0).</summary>
    Zero,

    /// <summary>A re-warm from the previous schedule's final LR to the new peak.</summary>
    Current,
}
