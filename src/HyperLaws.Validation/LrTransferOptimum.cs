namespace HyperLaws.Validation;

/// <summary>
/// Protocol 10, one (base LR, horizon, schedule) optimum: the law fitted on the runs of one base LR with the prior's LR
/// axis, its optimal peak for the schedule's shape against the grid's best LR.
/// </summary>
/// <param name="BaseLr">The one LR the law was fitted on.</param>
/// <param name="Horizon">Steps.</param>
/// <param name="Label">Schedule label.</param>
/// <param name="GridBestLr">The grid's best LR for (horizon, label).</param>
/// <param name="LawLr">The law's optimum.</param>
/// <param name="Interior">False when the optimum lies at an end of the searched range.</param>
/// <param name="ReferenceLr">The prior alone: x* eta_ref(N, D) at this horizon (the baseline: the optimum for Step Law's schedule, whatever the schedule).</param>
public sealed record LrTransferOptimum(double BaseLr, int Horizon, string Label, double GridBestLr, double LawLr, bool Interior, double ReferenceLr)
{
    /// <summary>Within x2 of the grid's best.</summary>
    public bool WithinTwo => Math.Abs(Math.Log(LawLr / GridBestLr)) <= Math.Log(2) + 1e-9;

    /// <summary>The prior alone within x2 of the grid's best (the baseline).</summary>
    public bool ReferenceWithinTwo => Math.Abs(Math.Log(ReferenceLr / GridBestLr)) <= Math.Log(2) + 1e-9;
}
