namespace HyperLaws.Theory;

/// <summary>Conditions met by an optimum that change how its scaling law should be read.</summary>
[Flags]
public enum SolutionConditions
{
    /// <summary>No condition: the asymptotic scaling law reads as is.</summary>
    None = 0,

    /// <summary>The optimal batch sits at 1 (burn-in: the asymptotic rule does not yet apply).</summary>
    BurnIn = 1,

    /// <summary>alpha would exceed 1 and was clipped (no momentum): the regime's scaling does not apply.</summary>
    AlphaClipped = 2,

    /// <summary>The batch limit (or the budget, K = 1) is active.</summary>
    BatchCapped = 4,

    /// <summary>The large-horizon joint problem: a flat ridge b/alpha = u*(T); any point on it is optimal.</summary>
    FlatRidge = 8,

    /// <summary>The batch was rounded to a whole number.</summary>
    BatchRounded = 16,
}
