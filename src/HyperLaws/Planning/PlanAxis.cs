namespace HyperLaws.Planning;

/// <summary>A continuous setting the planner decides by a 1-D search over the law's predicted final loss.</summary>
public enum PlanAxis
{
    /// <summary>The peak learning rate (absolute; searched in log).</summary>
    PeakLr,

    /// <summary>The warmup length in steps (searched in log).</summary>
    Warmup,

    /// <summary>The wsd cooldown as a fraction of the run (searched linearly).</summary>
    Cooldown,
}
