using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The planner's divergence seam: whether a schedule diverges at the target, and where on the peak-LR axis a schedule
/// shape starts to. The planner never chooses a peak at or above the boundary. <see cref="ScreenDivergenceGuard"/> adapts a
/// fitted <see cref="Divergence.DivergenceModel"/>; a boundary model on the LR axis plugs in through
/// <see cref="PlanOptions.Guard"/>. Implementations must be safe to call from several threads at once.
/// </summary>
public interface IDivergenceGuard
{
    /// <summary>Where the guard comes from (a file, a prior), shown with its reason.</summary>
    string Source { get; }

    /// <summary>The verdict on <paramref name="schedule"/> (absolute LRs) at <paramref name="target"/>.</summary>
    DivergenceCheck Check(LrSchedule schedule, PlanTarget target);

    /// <summary>
    /// The highest peak in [<paramref name="low"/>, <paramref name="high"/>] at which <paramref name="shape"/> (a schedule of
    /// the given peak) still trains: <paramref name="high"/> when it trains there, NaN when it diverges at <paramref name="low"/> too.
    /// </summary>
    double HighestSafePeak(Func<double, LrSchedule?> shape, PlanTarget target, double low, double high);
}
