
namespace HyperLaws.Laws;

/// <summary>
/// A law with its own fitting procedure (e.g. variable projection: linear weights solved exactly inside
/// a search over a few nonlinear parameters). <see cref="LawFitter.Fit"/> hands such laws their own fit.
/// </summary>
public interface ISelfFittingLaw : IFittableLaw
{
    /// <summary>Fits on validated targets with the options' Huber threshold.</summary>
    LawFit Fit(IReadOnlyList<FitTarget> targets, FitOptions options);
}
