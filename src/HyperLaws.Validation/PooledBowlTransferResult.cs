namespace HyperLaws.Validation;

/// <summary>The transfer check's cases and hit counts.</summary>
public sealed record PooledBowlTransferResult(IReadOnlyList<PooledBowlTransferCase> Cases)
{
    /// <summary>Cases where the bowl's LR at the grid's batch is within x2 (the declared score).</summary>
    public int BowlHits => Cases.Count(c => c.WithinTwo(c.BowlLr));

    /// <summary>Cases where the bowl's centre eta* is within x2 (reported only).</summary>
    public int BowlCentreHits => Cases.Count(c => c.WithinTwo(c.BowlCentreLr));

    /// <summary>Cases where the two-stage rule's eta* is within x2 (the adoption rule's comparator).</summary>
    public int TwoStageHits => Cases.Count(c => c.WithinTwo(c.TwoStageLr));

    /// <summary>Cases where Step Law's eta* is within x2.</summary>
    public int StepLawHits => Cases.Count(c => c.WithinTwo(c.StepLawLr));
}
