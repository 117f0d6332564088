namespace HyperLaws.Plotting;

/// <summary>A corner of the data area, used to place notes.</summary>
public enum Corner
{
    /// <summary>Top left of the data area.</summary>
    UpperLeft,

    /// <summary>Top right of the data area.</summary>
    UpperRight,

    /// <summary>Bottom left of the data area.</summary>
    LowerLeft,

    /// <summary>Bottom right of the data area.</summary>
    LowerRight,
}
