using System.Runtime.CompilerServices;

namespace HyperLaws.Laws;

/// <summary>
/// The histories of the fits running now: a fit's curves, each walked at every evaluation (by their <see cref="ScheduleHistory.Original"/>,
/// so a fit's parallel starts' copies count as their original). <see cref="LawFitter.Fit"/> admits its curves' histories at its start and
/// releases them at its end, counted (a fit inside a fit keeps the outer fit's); a law that keeps data per history worth building only for
/// histories walked many times (OptLaw's walk tables) asks <see cref="IsAdmitted"/> and drops that data on <see cref="Released"/>. The
/// fitter knows no law's caches, and no law's cache outlives the fits of its history.
/// </summary>
internal static class FitHistories
{
    private sealed class Count
    {
        public int Value;
    }

    private static readonly Lock Gate = new();
    private static readonly ConditionalWeakTable<ScheduleHistory, Count> Admitted = new();

    /// <summary>Raised, outside this type's lock, with each original history whose last admitting fit has released it.</summary>
    internal static event Action<ScheduleHistory>? Released;

    /// <summary>Marks <paramref name="histories"/> (their originals; nulls skipped) as a fit's curves until the matching <see cref="Release"/>.</summary>
    internal static void Admit(IEnumerable<ScheduleHistory?> histories)
    {
        foreach (var history in Originals(histories))
            lock (Gate) Admitted.GetValue(history, _ => new Count()).Value++;
    }

    /// <summary>Ends one admission of each of <paramref name="histories"/>; at the last, <see cref="Released"/> is raised for it.</summary>
    internal static void Release(IEnumerable<ScheduleHistory?> histories)
    {
        foreach (var history in Originals(histories))
        {
            bool last = false;
            lock (Gate)
                if (Admitted.TryGetValue(history, out var count) && --count.Value == 0)
                {
                    Admitted.Remove(history);
                    last = true;
                }
            if (last) Released?.Invoke(history);
        }
    }

    /// <summary>Whether a fit running now has <paramref name="history"/> (or its original) among its curves.</summary>
    internal static bool IsAdmitted(ScheduleHistory history)
    {
        lock (Gate) return Admitted.TryGetValue(history.Original, out var count) && count.Value > 0;
    }

    private static IEnumerable<ScheduleHistory> Originals(IEnumerable<ScheduleHistory?> histories) =>
        histories.OfType<ScheduleHistory>().Select(h => h.Original).Distinct(ReferenceEqualityComparer.Instance).Cast<ScheduleHistory>();
}
