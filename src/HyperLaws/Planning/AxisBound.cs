namespace HyperLaws.Planning;

/// <summary>Where the law's optimum on an axis lies in the searched range.</summary>
public enum AxisBound
{
    /// <summary>Inside the range, with a higher loss on both sides: an optimum of the law.</summary>
    Interior,

    /// <summary>At the low edge: the law's loss still falls below it.</summary>
    AtLow,

    /// <summary>At the high edge: the law's loss still falls above it.</summary>
    AtHigh,
}
