namespace HyperLaws.Planning;

/// <summary>
/// How a schedule law fitted on the runs (in their steps) counts a plan's steps when the plan's batch differs from the runs'
/// (<see cref="PlanOptions.BatchSteps"/>; docs/VALIDATION.md "Protocol 17c with steps counted by the critical batch").
/// </summary>
public enum BatchSteps
{
    /// <summary>A plan step is one step at the runs' batch, whatever the plan's batch.</summary>
    Steps,

    /// <summary>
    /// A plan step at batch B is w(B, B_r) = (1 + B_noise / B_r) / (1 + B_noise / B) steps at the runs' batch B_r (McCandlish et al. 2018),
    /// B_noise of the plan's tokens from protocol 5 (<see cref="Laws.StepEquivalence"/>, <see cref="Laws.CriticalBatchLaw.Protocol5"/>).
    /// </summary>
    CriticalBatch,
}
