namespace HyperLaws.Planning.Sweeps;

/// <summary>What a sweep run is for.</summary>
public enum SweepPurpose
{
    /// <summary>One point of the LR x batch grid (WSD schedule) at one budget.</summary>
    Grid,

    /// <summary>One schedule of the arm at the budget's centre LR and batch.</summary>
    Schedule,
}
