namespace HyperLaws.Evaluation;

/// <summary>
/// Which tier of the finite-sample interval rule (<see cref="ConformalCalibration.FiniteSampleTails"/>, docs/VALIDATION.md
/// "The planner's interval with few residuals") set an interval's tails; the tier follows from the number of scores n and the level.
/// </summary>
public enum FiniteSampleTier
{
    /// <summary>Both exact signed ranks exist (n &gt;= 19 at 90%): two one-sided conformal tails; a side no residual reaches takes the symmetric quantile.</summary>
    TwoTails,

    /// <summary>Only the symmetric exact rank exists (9 &lt;= n &lt;= 18 at 90%): -+ the conformal quantile of |s|.</summary>
    Symmetric,

    /// <summary>No exact rank at the level (n &lt;= 8 at 90%): -+ the normal-theory bound max(t_{n, 1 - alpha/2} rms(s), max |s|), not exact.</summary>
    NormalFallback,
}
