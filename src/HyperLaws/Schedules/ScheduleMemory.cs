using System.Globalization;

namespace HyperLaws.Schedules;

/// <summary>
/// Refuses, before anything is allocated, a schedule too long to evaluate in this process's memory.
/// Evaluating S steps takes S doubles for the LRs, and the laws keep a few more arrays of S entries
/// (prefix sums, histories): <see cref="BytesPerStep"/> bounds that. Refused when the estimate exceeds
/// half the memory the runtime says is available (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>).
/// </summary>
public static class ScheduleMemory
{
    /// <summary>An upper estimate of the bytes one step costs once evaluated and handed to a law (8 arrays of doubles).</summary>
    public const long BytesPerStep = 8 * sizeof(double);

    /// <summary>Throws <see cref="ScheduleSpecException"/> when <paramref name="steps"/> steps would not fit in memory.</summary>
    public static void Check(long steps) => Check(steps, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>The check against a given amount of available memory (bytes).</summary>
    public static void Check(long steps, long availableBytes)
    {
        double needed = (double)steps * BytesPerStep;
        if (availableBytes > 0 && needed > availableBytes / 2.0)
            throw new ScheduleSpecException(string.Create(CultureInfo.InvariantCulture,
                $"steps={steps} needs about {needed / 1e9:G3} GB of memory to evaluate, more than half of the {availableBytes / 1e9:G3} GB available; use fewer steps"));
    }

    /// <summary>Checks, then evaluates every step.</summary>
    public static double[] Evaluate(LrSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Check(schedule.Steps);
        return schedule.Evaluate();
    }
}
