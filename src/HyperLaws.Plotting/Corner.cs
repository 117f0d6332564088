namespace HyperLaws.Plotting;

/// <summary>A corner of the data area, used to place notes.</summary>
public enum Corner
{
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}
