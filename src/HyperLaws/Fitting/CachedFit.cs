using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>A <see cref="LawFit"/> without its law, as an <see cref="IFitCache"/> keeps it.</summary>
public sealed record CachedFit(double[] Parameters, double Objective, int Iterations, int Evaluations, bool Converged, string StopReason)
{
    /// <summary>The fit's numbers without its law.</summary>
    public static CachedFit Of(LawFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return new([.. fit.Parameters], fit.Objective, fit.Iterations, fit.Evaluations, fit.Converged, fit.StopReason);
    }

    /// <summary>The fit of <paramref name="law"/>; null when the parameter count is not the law's (a stale or foreign entry).</summary>
    public LawFit? ToFit(ILossLaw law)
    {
        ArgumentNullException.ThrowIfNull(law);
        return Parameters is { } p && p.Length == law.ParameterNames.Count && StopReason is not null
            ? new LawFit(law, [.. p], Objective, Iterations, Evaluations, Converged, StopReason)
            : null;
    }
}
