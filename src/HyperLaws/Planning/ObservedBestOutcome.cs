namespace HyperLaws.Planning;

/// <summary>What the schedule-regret rule (<see cref="ObservedBest"/>) decided.</summary>
public enum ObservedBestOutcome
{
    /// <summary>No incumbent: the runs compare fewer than two schedules at one horizon and size. The law's pick stands.</summary>
    NoIncumbent,

    /// <summary>The incumbent is no schedule the planner writes (its shape differs by more than <see cref="ObservedBest.ShapeTolerance"/>). The law's pick stands.</summary>
    NotPlannable,

    /// <summary>The law's pick is the incumbent (within <see cref="ObservedBest.SameShape"/>): nothing to decide.</summary>
    Same,

    /// <summary>The law's predicted gain exceeds its comparison error measured on the runs: the plan departs from the incumbent.</summary>
    Departed,

    /// <summary>The law's predicted gain is within its comparison error measured on the runs: the incumbent is kept.</summary>
    KeptWithinError,

    /// <summary>Too few within-runs comparisons to measure the law's comparison error: the incumbent is kept (no evidence to depart).</summary>
    KeptUnmeasured,
}
