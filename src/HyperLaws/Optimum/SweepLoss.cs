using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>Which loss of a sweep run the optimum is judged on.</summary>
public enum SweepLoss
{
    /// <summary>The source's smoothed final loss (Step Law's choice: it judges the grid on it).</summary>
    Smooth,

    /// <summary>The raw final loss.</summary>
    Final,
}
